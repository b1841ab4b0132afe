"""Detection pipeline.

1. Prefilter (C-level): ASCII-fold the text, split into words, intersect with the lexicon's
   first-word keys. Nearly all comments stop here.
2. Mentions: anchored trie matches at candidate positions of the lower-cased text, with boundary,
   camelCase, hashtag, possessive and people-noun handling; each mention gets a typed placeholder.
3. Sentences around mentions are split into clauses ("but", "while", dashes...) and masked: lower
   case, punctuation spaced, mentions replaced by placeholders, pronouns carried from a generic
   group subject ("Those X won't change. Let's eradicate them").
4. Rule families (patterns.py) run on the short masked clauses, in priority order, skipping those
   whose trigger words are absent from the clause or whose group placeholder kind (GRP, GRS...)
   it does not contain; a candidate match only becomes a finding if no blocker applies
   (quotation, negation, subset quantifier, restrictive relative, reported or rejected speech,
   conditional, question, sympathy for fates).

Offsets always refer to the original text.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
import unicodedata

from . import learned
from . import patterns as P
from .lexicon import ADJ, AMB, AMBPL, ASCII_WORDS, DX, DXS, NAME, PL, SG, VOCAB, get_matcher
from .model import SEVERITY_HOLD, SEVERITY_REPORT, DetectionResult, Finding

# ---------------------------------------------------------------------------------------------
RULES: dict[str, str] = {
    "violence_call": "Calls for killing, harming or expelling a whole religious, sectarian, ethnic or national group.",
    "dehumanisation": "Describes a whole group as animals, vermin, disease or filth, or as not human.",
    "reverse_generalisation": "Ties a crime or violent category to a group: 'all terrorists are X', 'only X do this'.",
    "equation": "Equates a group with a crime or violent category: 'X = terrorists', 'X and terrorist are the same'.",
    "essentialism": "Claims a bad trait is innate or typical: 'in their blood', 'by nature', 'typical X behaviour', 'once an X, always...'.",
    "homogeneity": "Denies individual differences: 'they are all the same', 'no such thing as a moderate X'.",
    "distrust": "Says a whole group cannot be trusted: 'never trust an X', 'X cannot be trusted'.",
    "collective_fate": "Pins a collective (bad) fate on a group: 'X will have nothing and be the losers', 'X are doomed'.",
    "universal_quantifier": "All / every / most members of a group are given a negative trait: 'all X are liars'.",
    "generic_plural": "A group as such (bare or definite plural) is given a negative trait or habit: 'X are barbarians', 'the X will betray anyone'.",
    "hostility": "Declares hatred or disgust for a whole group: 'I hate X', 'X make me sick'.",
    "derogatory_name": "Uses a derogatory name (slur) for a religious, sectarian, ethnic or national group.",
    "learned": "No rule names the form, but the learned model (learned.py) reads the clause as a negative claim about a whole group; the explanation lists the words that weighed most.",
}

_EXPLAIN = {
    "violence_call": "Calls for violence against, or the expulsion of, {g} as a group.",
    "dehumanisation": "Describes {g} as a whole as animals, vermin, disease or less than human.",
    "reverse_generalisation": "Ties crime or terrorism to {g} as a group ('all terrorists are {g}').",
    "equation": "Equates {g} with terrorists or criminals.",
    "essentialism": "Claims a bad trait is innate or typical of {g} ('in their blood', 'by nature', 'typical').",
    "homogeneity": "Claims all {g} are the same or that none of them can be good.",
    "distrust": "Says {g} as a group cannot be trusted.",
    "collective_fate": "Pins a collective fate (losing, having nothing, being wiped out) on {g} as a whole.",
    "universal_quantifier": "Attributes a negative trait to all (or most) {g}.",
    "generic_plural": "Attributes a negative trait or behaviour to {g} as a group.",
    "hostility": "Expresses hatred or contempt for {g} as a group.",
    "derogatory_name": "Uses a derogatory name for {g}.",
    "learned": "Reads as a negative claim about {g} as a whole (learned model, {p:.0%}); weighed most: {why}.",
}

_EMPTY = ()

# ---------------------------------------------------------------------------------------------
_CAMEL_RE = re.compile(r"[a-z][A-Z]")
# bytes.translate table: lower-case ASCII -> 'a', upper-case -> 'A', rest -> ' ' (camelCase test)
_CASE_SHAPE = bytes(97 if 97 <= i <= 122 else 65 if 65 <= i <= 90 else 32 for i in range(256))
# a whole run of ASCII letters with a camelCase joint; tried only where a run starts, and the lazy
# head finds the first joint without backtracking over the run at every position
_CAMEL_TOKEN_RE = re.compile(r"(?<![A-Za-z])[A-Za-z]*?[a-z][A-Z][A-Za-z]*")
_CAMEL_SPLIT_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_HASHTAG_RE = re.compile(r"#([^\W\d_]{4,60})")
_NEXT_RE = re.compile(r"\s*([^\W\d_]+(?:['\u2019][^\W\d_]+)*|\S)?")
_PREV_WORDS_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\d+|[.!?;:,]")
# a run of sentence terminators; written "X X*" (not "X+") so the engine scans ahead for X
_SENT_END_RE = re.compile(r"[.!?;\n\u2026][.!?;\n\u2026]*")
# _CLAUSE_RE, _QUOTE_RE, _PUNCT_RE and _PRON_RE open with a lookahead on the characters any match
# must start with: the engine then rejects most positions with one character-class test instead of
# trying every alternative (and its \b / \s / \w checks) there. The matches are the same.
_CLAUSE_RE = re.compile(
    r"(?=[bwathe,\u2013\u2014\s])(?:\b(?:(?<!nothing )(?<!anything )(?<!none )(?<!all )(?<!help )(?<!everything )but|while|whereas|although|(?<!, )though(?! ?,)|(?<!, )however(?! ?,)|except that)\b|,\s*(?:so|and so)\b(?! (?:obviously|of course|naturally|clearly|surely|need i|you know|guess|no surprise)\b)|\s[-\u2013\u2014]+\s|[\u2013\u2014]|\s-\s)"
)
# every _CLAUSE_RE match contains one of these ("although" contains "though")
_CLAUSE_HINT_RE = re.compile("but|while|whereas|though|however|except that|,|-|\u2013|\u2014")
_QUOTE_RE = re.compile(
    '(?=["\u201c\u201d\u201e\u00ab\u00bb\u2018\'])(?:["\u201c\u201d\u201e\u00ab\u00bb]([^"\u201c\u201d\u201e\u00ab\u00bb]{0,600})["\u201c\u201d\u201e\u00ab\u00bb]'
    "|\u2018([^\u2018\u2019]{0,600})\u2019"
    "|(?<![\\w'])'([^'\\n]{0,300})'(?![\\w']))"
)
_QUOTE_CHARS = str.maketrans(
    {c: " " for c in '"\u201c\u201d\u201e\u00ab\u00bb\u2018'} | {"\u2019": "'"}
)
_PUNCT_RE = re.compile(r"(?=[^a-z0-9 ])([^\w\s'\-]|(?<![\w])['\-]+|['\-]+(?![\w]))")
_PRON_RE = re.compile(
    r"(?=t)\b(they're|theyre|they|them|their|theirs|these people|those people|that lot|this lot)\b"
)
_RESTRICT_RE = re.compile(
    r"\s*(?:who\b|whom\b|whose\b|which\b|that (?!is\b|are\b|'s\b|was\b)|i\b|we\b|i've\b|we've\b|i'd\b|i'm\b|you (?:meet|met|know)\b"
    r"|(?:in|from|at|of|on) (?:my|our|this|that|his|her|your|the same)\b|here\b|living\b|working\b|born in\b|fighting\b|in the video|on tv)"
)

# a restriction that still leaves a whole population: "X in this country", "the X around here"
_WIDE_RE = re.compile(
    r"\s*(?:(?:in|of|on|from) (?:this|our|my|the|your) (?:country|countries|nation|land|world|planet|"
    r"earth|continent|place|society|city|town|region|state|government|parliament)\b|around here\b|here\b(?! (?:in|at|on)\b)|"
    r"in (?:my|all my|my whole|my entire) (?:life|lifetime|years)\b|"
    r"i (?:see|meet|come across|ever meet|ever see)\b|living (?:here|in (?:this|our) (?:country|land))\b)"
)
_OTHER_REF_RE = re.compile(r"\b(?:those|these|that|this|his|her|the)\b")
_SHRUG_RE = re.compile(
    r"\s*(?:what (?:can|could) (?:you|i|one) (?:say|do)|what else is new|go figure|sigh|ugh|typical|classic|"
    r"as usual|as always|surprise surprise|no surprise there|of course|say no more|enough said)\s*[.!?\u2026]*\s*"
)
_KNOW_LIKE_RE = re.compile(r"\b(?:know|knows|remember|seen|see) what (?:the |these |those )?$")
_LIKE_END_RE = re.compile(
    r" (?:are|'re|were|is) like\s*[.!:;\u2026]*\s*$|(?: are| 're| were| is) like\s*[.!:;\u2026]"
)
_WEAK_SUBSET = frozenset("some many few several certain enough couple handful bunch dozen".split())
_INDEF_BEFORE_RE = re.compile(r"\b(?:a|an|any|every)\s+$")
_ALL_OF_THEM_RE = re.compile(
    r"\b(?:(?:most|all|nearly all|almost all|the rest|the majority|every one|every single one|each) of them|"
    r"(?:they|they're|they are|theyre) (?:are )?(?:all|always)|they (?:always|all|never)|only they)\b"
)
# words that refer to a whole people, not to the few just named: "a few Jains in the office ...
# as a community they are ...", "... Lithuanian. That lot drink like fish"
_GROUP_REF_RE = re.compile(
    r"\b(?:that lot|this lot|those people|these people|that whole (?:people|lot|nation|community|tribe|race)|"
    r"as a (?:people|community|nation|race|group|culture)|their (?:kind|sort|lot|type|culture|people)|"
    r"the whole (?:lot|community|nation|tribe|race)(?: of them)?)\b"
)
_WHOLE_APPOS_RE = re.compile(
    r"(?:,|\b(?:all|every one|every single one|every last one|each|the lot|the whole lot) of) "
    r"(?:them|the (?:whole|entire) (?:community|country|nation|island|people|tribe|race|lot|bunch))\b|"
    r", (?:the lot of them|to a man|every last one|every single one|every one|the whole lot)\b"
)
_WHOLE_PEOPLE_RE = re.compile(
    r"\b(?:that lot|this lot|that whole (?:people|lot|nation|community|tribe|race))\b"
)
# what may stand before the group in a sentence that is only the group: "Kenyans?", "Oh, the Serbs."
_LABEL_RE = re.compile(
    r"\s*(?:(?:oh|ah|and|so|well|yeah|right|the|these|those|all|,|\.\.\.)\s*){0,3}"
)
_PLACE_RE = re.compile(
    r" (?:in|of|from) (?:the )?[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}(?= (?:are|were|have|will|can|never|always|all|just|only|,|is)\b|[,.!?]|$)"
)
_AFTER_SG = frozenset(
    "near anywhere he she tomorrow today tonight now soon again yesterday someday across onto "
    "alive living anymore i've i'd i'm we've you've you'd".split()
)
_TYPICAL = frozenset("typical average standard usual classic bog-standard garden-variety".split())
_DETERMINERS = frozenset("a an the their our your his her its some no what".split())
# "any Afghan you'll ever meet": a pronoun after the name opens a clause, so the name is a noun
_PRONOUNS_NEXT = frozenset(
    "you you'll you've you'd i i'll i've i'd we we'll we've he she they".split()
)
_PL_DET = frozenset("these those all most many of the on about for against with among".split())
_POSS_DET = frozenset("my our his her your their".split())
_RELATIONAL = frozenset(
    "friends friend neighbours neighbors neighbour neighbor colleagues colleague coworkers relatives "
    "family families parents kids children brothers sisters cousins wife husband boyfriend girlfriend "
    "partner students classmates employees staff teammates ancestors grandparents".split()
)

_SET = lambda k: frozenset(w.lower() for w in VOCAB[k])  # noqa: E731
PEOPLE = _SET("people_nouns") | frozenset(
    "traders merchants immigrants migrants families kids youths boys girls parents mothers fathers "
    "husbands wives neighbours neighbors lads blokes dudes students ppl okes voters".split()
)
PEOPLE_SG = _SET("people_nouns_singular")
ESSENCE = (
    _SET("essence_nouns") | {"lives", "life"} | {"soul", "veins", "make-up", "makeup", "psyche"}
)
BADCAT_SET = _SET("bad_category")
_DEHUM_COMPOUND = frozenset(
    "animals beasts vermin rats cockroaches roaches dogs pigs swine apes monkeys baboons snakes vipers "
    "parasites leeches lice locusts insects bugs maggots worms pests rodents hyenas jackals mongrels mutts "
    "goats donkeys orcs subhumans savages scum filth trash garbage rat dog pig ape monkey snake roach "
    "cockroach parasite leech maggot worm pest orc subhuman savage vermins".split()
)
_COLOUR_GROUPS = {"black", "white"}
_BODY_NOUNS = frozenset("throats throat necks neck heads skulls".split())
# where a people lives or prays: "bomb every Chechen village", "burn the Christian quarter"
_PLACE_NOUNS = frozenset(
    "village villages quarter quarters camp camps neighbourhood neighbourhoods neighborhood "
    "neighborhoods town towns districts settlement settlements ghetto ghettos ghettoes homes houses "
    "mosque mosques church churches temple temples synagogue synagogues gurdwara gurdwaras".split()
)
# "Greek culture is backward": the adjective + these nouns is a group reference only as a subject
_SUBJ_ESSENCE = frozenset("culture mentality society values mind brain psyche".split())
_SUBJ_VERBS = frozenset(
    "is are was were has have means will can cannot can't could doesn't breeds produces teaches "
    "rewards".split()
)
_PLURAL_VERBS = frozenset(
    "are were have do don't aren't weren't haven't 're all themselves".split()
)
# insults never used for real animals: "common Kurdish trash", "Tamil vermin"
_DEHUM_ALWAYS = frozenset(
    "vermin scum filth trash garbage subhumans subhuman savages savage parasites orcs orc maggots leeches "
    "mongrels vermins plague scourge infestation cancer".split()
)
SUBSET = _SET("subset_words") - {
    "these",
    "those",
    "such",
    "what",
    "which",
    "each",
    "any",
    "no",
    "not",
}
SG_DET = frozenset("a an every each any one another no this that single last".split())
FUNC = frozenset(
    "is are was were will would can could should must may might shall do does did don't doesn't didn't won't "
    "can't cannot never always all who whom that which and or but have has had to in on at of from with for by "
    "like than as so just only really also still again themselves they we i you he she it this these those there "
    "here then aren't isn't wasn't weren't 're everywhere too ever 's nor are not deserve deserves need needs "
    "get got be being been means mean equals aka once now again today already yesterday forever though "
    "either anymore anyway tho out back home away".split()
)
VERB_HINTS = frozenset(
    "die dies burn burns hang rot suffer perish disgust disgusts sicken sickens make makes deserve deserves "
    "hate hates love loves lie lies betray betrays steal steals breed breeds control controls run runs want "
    "wants think thinks need needs kill kills murder murders rape rapes cheat cheats stink stinks smell smells "
    "worship worships support supports spread spreads only understand understands behead behead bomb bombs "
    "go gone belong belongs refuse look talk keep complain live exist breathe".split()
)
_DEHUM_PREV = frozenset(
    "those these you filthy dirty fucking bloody damn stinking all kill ye yer".split()
)
NEGATORS = _SET("negators") | {"nothing", "none", "nobody", "never", "no", "not"}
_NEG_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted((re.escape(w) for w in NEGATORS), key=len, reverse=True))
    + r"|\w+n't)\b"
    r"(?! (?:but|better than|different|more than|less than|matter|doubt|wonder|exception|surprise|question|mercy|mistake)\b)"
)
_REPORT = _SET("report_words")
_FIRST_OK = frozenset(VOCAB["first_person_ok"]) | {
    "wish",
    "hope",
    "want",
    "see",
    "hear",
    "read",
    "mean",
    "means",
}
_FIRST_PERSON = frozenset("i i'd i'll i'm we we'd we'll".split())
_COUNTER = _SET("counter_words")
_CONDITIONAL = frozenset(
    "if unless whether suppose supposing imagine assuming pretend hypothetically".split()
)
_SYMPATHY = frozenset(
    "sadly unfortunately fear fears feared afraid worry worried worries risk risks danger hope hopefully "
    "pray tragically tragedy heartbreaking if unless".split()
)
_SYMPATHY_ONLY = _SYMPATHY - {"if", "unless"}
_QWORDS = frozenset(
    "why how who what do does did is are was were should would could can will isn't aren't don't doesn't "
    "didn't shouldn't wouldn't am".split()
)
_STRONG_REJECT = re.compile(
    r"\b(?:nonsense|myths?|racism|bigots?|bigoted|bigotry|bigotted|false|absurd|ridiculous|untrue|stereotyp\w*|tropes?|propaganda|"
    r"dehumani[sz]\w*|antisemit\w*|anti-semit\w*|islamophob\w*|prejudice\w*|generali[sz]\w*|xenophob\w*|baseless|hogwash|"
    r"slander\w*|libel|smear|debunked|disproven|discredited|not true|isn't true|is a lie|a total lie|an outright lie|blatant lie|big lie|racist (?:lie|myth|trope|nonsense|garbage|claim|statement|thing|comment|rhetoric|idea|talk|bullshit|crap))\b"
)
_WEAK_REJECT = re.compile(
    r"\b(?:is|'s|are|was|that's|thats|which is|this is|it's|its|how|what a|shows|says|sounds|such a|so|be|you are|you're|will get|get you|"
    r"really|very|totally|absolutely|pure|plain|utter|completely|deeply|incredibly) (?:(?:a|an|so|just|such|really|very|pretty|totally|plain|pure|utterly) )?"
    r"(?:wrong|racist|lie|stupid|ignorant|sick|sad|pathetic|garbage|bullshit|horrible|disgusting|hateful|small-minded|misguided|"
    r"hurtful|offensive|shameful|disgraceful|unacceptable|banned|reported|blocked|bigoted|ugly|vile|hurtful|insulting|idiotic|dumb|"
    r"ridiculous|disgrace|shame|hate speech|dehumanising|dehumanizing|wrong thing|horrible thing|terrible|appalling)\b"
    # consequences for the speaker, not every mention of a court or the police ("the police are in
    # on it", "every Italian prison"): "that should get you thrown in jail", "report it to the police"
    r"|\b(?:(?:get|gets|got|put|land|lands|send|throw|thrown|end up|ends up) (?:(?:you|them|him|her|people|someone) )?"
    r"(?:thrown )?(?:in|into|to|behind) (?:jail|prison|court|bars)|(?:jail|prison|court) for (?:saying|that|this|posting)|"
    r"(?:face|faces|facing) (?:the )?consequences|consequences for|kicked off|get you banned|be banned|"
    r"(?:call|calling|called|report \w+ to|report it to|report this to|reported to|reporting \w+ to|tell|inform) the police)\b"
)
# "she was sacked for tweeting that X ..., and rightly so": the sanction is what is endorsed
_SANCTION_RE = re.compile(
    r"\b(?:sacked|fired|banned|suspended|jailed|arrested|charged|convicted|fined|expelled|kicked out|"
    r"apologised|apologized|resigned|disciplined|reprimanded) (?:for|after|over)\b"
)
# a short rejection opening the next sentence
_REJECT_NEXT_RE = re.compile(
    r"[\s;,.!?]*(?:and |but )?(?:(?:it|this|that)(?:'s| is|s)? (?:not true|untrue|a lie|false|nonsense|a myth|rubbish|racist|bigoted)|"
    r"(?:it|this|that) (?:isn't|is not|wasn't) true|(?:utter |total |complete )?(?:nonsense|rubbish|hogwash|not true|untrue))"
    r"(?: ?,? (?:plain and simple|full stop|period|and you know it))?\s*(?:[.!]|$)"
)
# the charge the writer mocks is not the writer's rejection: "... then cry antisemitism when anyone
# complains", "say anything and you're a racist"
_MOCKED_CHARGE_RE = re.compile(
    r"\b(?:cry|cries|crying|scream|screams|screaming|shout|shouts|shouting|yell|yells|play|plays|playing|"
    r"call you|calls you|called|branded|labelled|labeled|accused of being|you're|you are|you get called) "
    r"(?:(?:a|an|the|out|about) )?(?:racism|racist|racists|antisemitism|antisemite|antisemitic|"
    r"islamophobia|islamophobe|islamophobic|bigot|bigotry|bigoted|xenophobe|xenophobia|discrimination|"
    r"prejudice|race card|victim card|victim)\b"
)
# questions that assert: "isn't it obvious that X are scum?", "why are X so sneaky?"
_RHETORICAL_RE = re.compile(
    r"is there (?:a single|one|any) GRS\d+ (?:\w+ ){0,2}(?:who|that)|"
    r"(?:have you |has anyone |did you )?ever (?:met|seen|known|found) (?:a|an|one) (?:\w+ )?GRS\d+|"
    r"when (?:has|did|have|was) (?:(?:a|an|the|any) )?GR[PSX]\d+ (?:\w+ )?(?:ever|last)\b|"
    r"why (?:can't|won't|don't|doesn't|couldn't|wouldn't|do|does) (?:(?:the|all|these|those) )?GR[PX]\d+ (?:\w+ ){0,3}(?:without|ever)\b|"
    r"(?:did|do|does|would|could) you (?:honestly |really |seriously |actually )?(?:expect|think) (?:a|an|the|any) GR[PS]\d+ (?:to|would|could)|"
    r"(?:do|does|did|have|has|will|can) (?:(?:the|any|a|an) )?GR[PSX]\d+ (?:\w+ )?ever\b|"
    r"why (?:do|does|did|will|would|can|must) (?:(?:the|all|these|those|so many) )?GR[PX]\d+ (?:\w+ )?(?:never|always|constantly|all)\b|"
    r"why is it always (?:the )?GR[PX]\d+|can we talk about how (?:the )?GR[PX]\d+|"
    r"is there anything (?:the )?GR[PX]\d+ (?:won't|wouldn't|can't|don't|will not|would not)\b|"
    r"(?:isn't it|is it not|wasn't it|doesn't everyone know|don't we all know|don't you agree|don't you think|"
    r"do you not think|wouldn't you agree|is there anything (?:more|worse|lower)|is there anyone (?:more|worse|lower)|"
    r"why do (?:(?:all|the|these|those|so many|most) )?GR[PSX]\d+ (?:always )?\S+ (?:so much|all the time|so often|constantly)|"
    r"can we (?:finally |all )?agree|when will (?:people|you|they|everyone) (?:finally )?(?:understand|realise|realize|see|accept|admit)|"
    r"why (?:is it that|are|do|does|is) (?:(?:all|the|these|those|so many|most) )?GR[PSX]\d+ (?:(?:are|is|always|all|just) )?(?:so|always|such|all)\b|"
    r"(?:is it|isn't it) (?:obvious|clear|apparent|evident|true|a fact) that|why is it that|"
    r"(?:do|does|did) (?:people|you|they|we|anyone|everyone) (?:really |still |honestly )?(?:not|never) "
    r"(?:realise|realize|see|understand|know|get|recognise|recognize|notice) that|"
    r"why (?:do|don't|can't|won't) (?:people|you|they|we|some people) (?:not |still not |just )?"
    r"(?:realise|realize|see|understand|know|get|recognise|recognize|accept|admit) that|"
    r"(?:does|doesn't|did|didn't) (?:this|that|it) (?:not )?(?:make it|show|prove|tell you|confirm)"
    r"(?: (?:obvious|clear|plain))?(?: that)?|am i (?:wrong|mistaken|crazy|the only one) (?:to|in|for) "
    r"(?:think|thinking|say|saying|believe|believing)(?: that)?|"
    r"where (?:is|'s) the (?:error|mistake|problem|harm|flaw|lie|issue) in (?:thinking|saying|believing|stating)"
    r"(?: that)?|what(?:'s| is) wrong with (?:saying|thinking|stating)(?: that)?|"
    r"why (?:don't|dont|do not|can't|cannot) (?:we|they|you|someone|somebody)|"
    r"is it (?:easy|hard) to (?:tell|see) that|how about (?:we|someone|you)|what is it with|what's with)"
)
# endorsement after reported speech: "everyone knows X steal, and they're right"
_ENDORSE_RE = re.compile(
    r"\b(?:and (?:honestly |frankly |to be fair )?(?:they're|they are|he's|she's|he is|she is|it's|it is|that's|they were|"
    r"he was|she was|you're|you are|GRP\d+ are|GRP\d+'re|GRP\d+ were) (?:so |absolutely |dead |totally |quite |100% )?"
    r"(?:right|correct|true|spot on|not wrong)|which is (?:true|right|correct|a fact)|"
    r"and rightly so|"
    r"and (?:it's|that's|its) (?:the truth|a fact|true)|"
    r"and (?:honestly |frankly |to be fair )?(?:they|he|she|you|GR[PQ]\d+) (?:have|has|had|'ve got|'ve) (?:a point|a fair point)|"
    r"nothing (?:since |i've seen |i have seen )?(?:has )?changed my mind|"
    r"(?:only|just|simply) saying what (?:everyone|everybody|we all|most people|the rest of us) (?:thinks|think|knows|know)|"
    r"(?:truest|truer|most honest) (?:thing|words|joke|line)|"
    r"(?:he|she|they|you)(?:'s| is|'re| are| was| were) not wrong|(?:he|she|they)(?: wasn't| isn't| weren't| aren't) wrong|"
    r"(?:can't|cannot|couldn't) argue with (?:him|her|them|that|it)|"
    r"(?:he|she|they|dad|mum|mom)(?:'s| is|'re| are| was| were) (?:so |dead |absolutely |totally )?(?:right|spot on)|"
    r"(?:had|has|have) (?:the whole thing|it|them) (?:right|figured|figured out|nailed|sussed|pegged))\b"
)
_ENDORSE_NEXT_RE = re.compile(
    r"\s*(?:and |honestly ,? |frankly ,? )?(?:he|she|they|you|dad|mum|mom|my (?:dad|father|uncle|grandad|grandfather|mother|mum))"
    r" (?:was|were|is|are|'s|'re) (?:so |absolutely |dead |totally |quite |completely |100% )?(?:right|correct|spot on)"
    r"\s*(?:[.!]|$)|\s*(?:and )?(?:it's|that's|it is|that is) (?:so |absolutely |totally |the )?(?:true|truth|a fact)\s*(?:[.!]|$)"
    r"|\s*(?:[^.!?]{0,80} ?, )?(?:i think |i'd say |i would say |i reckon )?(?:he|she|they|you|dad|mum|mom|grandad|grandpa|grandma|gran|nan) "
    r"(?:had|has|have|'d) (?:a point|a fair point|it right|the whole \w+ right|them (?:pegged|sussed|figured out))\b"
    r"|\s*(?:[^.!?]{0,80} ?, )?(?:i think |i'd say |i would say |i reckon )?(?:he|she|they|dad|mum|mom|grandad|grandpa|grandma|gran|nan) "
    r"(?:was|were|is|'s|'re) (?:so |dead |absolutely |totally |completely )?(?:right|spot on|not wrong)\b"
    r"|\s*(?:[^.!?]{0,80} ?, )?(?:he|she|they|dad|mum|mom|grandad|grandpa|grandma|gran|nan) (?:wasn't|weren't|isn't) wrong\b"
    r"|\s*(?:(?:and |it )?turn(?:s|ed)? out|as it turns out ,?) (?:he|she|they|you|dad|mum) (?:was|were|is|are) (?:so |absolutely |dead |totally )?right\b"
    r"|(?:\s*[^.!?]{0,80}[.!?])?\s*(?:now |and |honestly ,? |frankly ,? )?i (?:completely |totally |fully |100% |now |wholeheartedly )?agree"
    r"(?: (?:completely|totally|entirely|100%|with (?:him|her|them)))?\s*(?:[.!]|$)"
)
_KNOW_ENDORSE = frozenset("know knows knew".split())
_BELIEF = frozenset("think thinks believe believes pretend pretends".split())
_NEG_SCOPE_END = frozenset(", ; and but or while".split())
# after a negation, words that make it no denial: "never stop lying", "nothing but thieves", "no
# better than rats", "never once paid"
_NOT_DENIAL = frozenset("stop stops stopped cease ceases quit but better more less once".split())
# the writer passing on a relative's maxim as their own: "my late dad always said X ...", "as my
# nan used to say, never trust an X" (a rejection after it still blocks)
_FOLK_RE = re.compile(
    r"\bmy (?:late |old )?(?:dad|father|mum|mom|mother|gran|granny|grandma|grandmother|nan|nana|nani|"
    r"dadi|nanna|grandad|granddad|grandpa|grandfather|oupa|ouma|uncle|aunt|auntie|old man) "
    r"(?:always |once |used to |would always |never stopped saying )?(?:said|say|says|told me|warned|warned me)\b"
)
_PREPS = frozenset(
    "for with by to against from than about at on in into toward towards among amongst between like under over "
    "after before without behind near around upon within via per despite beside besides alongside unlike".split()
)
_OF_OK = frozenset("all most each every majority vast one".split())
_DET_SKIP = frozenset(
    "the these those all most every each you fucking bloody damn filthy dirty stinking of".split()
)
_SUBJ_LEAD = frozenset(
    "the all these those most you of every each as usual , so and but honestly frankly i think believe yes yup "
    "yeah well because since that obviously clearly really typical # : - ! sure know we everyone".split()
)
_QUANT_UNIVERSAL = frozenset(
    "all every each any most all of almost all nearly all every one of each of the vast majority of "
    "every last one of every single one of the majority of every single each and every all you you all no one "
    "nobody none 99 % of 99% of".split(" ")
)

_HASH_PREFIX = {
    "deathto": "death to",
    "deathtoall": "death to all",
    "deathtothe": "death to the",
    "killall": "kill all",
    "kill": "kill",
    "killthe": "kill the",
    "nuke": "nuke",
    "nukethe": "nuke the",
    "gasthe": "gas the",
    "gas": "gas",
    "fuck": "fuck",
    "fuckthe": "fuck the",
    "fuckall": "fuck all",
    "expel": "expel",
    "expelthe": "expel the",
    "expelall": "expel all",
    "deport": "deport",
    "deportall": "deport all",
    "deportthe": "deport the",
    "exterminate": "exterminate",
    "exterminatethe": "exterminate the",
    "ihate": "i hate",
    "hate": "i hate",
    "wipeout": "wipe out",
    "wipeoutthe": "wipe out the",
    "no": "no",
    "stop": "stop",
    "typical": "typical",
    "never trust": "never trust",
    "nevertrust": "never trust",
    "nevertrusta": "never trust a",
}
_HASH_SUFFIX = {
    "": "",
    "s": "",
    "out": "out",
    "gohome": "go home",
    "mustgo": "must go",
    "mustdie": "must die",
    "areterrorists": "are terrorists",
    "arescum": "are scum",
    "areanimals": "are animals",
    "aretraitors": "are traitors",
    "arerats": "are rats",
    "aredogs": "are dogs",
    "arevermin": "are vermin",
    "arethesame": "are all the same",
    "areallthesame": "are all the same",
    "outnow": "out now",
    "raus": "raus",
}


class _Mention:
    __slots__ = (
        "start",
        "end",
        "gid",
        "kind",
        "ph",
        "quoted",
        "subset",
        "restricted",
        "surface",
        "antecedent",
        "kind_raw",
        "poss",
    )

    def __init__(self, start, end, gid, kind, surface, kind_raw="", poss=False):
        self.start = start
        self.end = end
        self.gid = gid
        self.kind = kind  # placeholder letter: P S X A K Q
        self.ph = ""
        self.quoted = False
        self.subset = ""
        self.restricted = False
        self.surface = surface
        self.antecedent = None
        self.kind_raw = kind_raw
        self.poss = poss


# ---------------------------------------------------------------------------------------------
_LEET_HINT_RE = re.compile(r"[A-Za-z][013457@$]|[013457@$][A-Za-z]")
_LEET_WORD_RE = re.compile(r"[A-Za-z013457@$]*[A-Za-z][A-Za-z013457@$]*")
_LEET = str.maketrans("013457@$", "oieastas")


def _unleet(text: str) -> str:
    """Same-length copy with digits and @/$ inside words read as letters ("k1ll", "sc4m")."""

    def fix(m):
        w = m.group(0)
        if w.isalpha() or not any(c.isalpha() for c in w):
            return w
        return w.translate(_LEET)

    return _LEET_WORD_RE.sub(fix, text)


def detect(text: str, extra_terms=()) -> DetectionResult:
    return _detect_all(text, extra_terms, None)


def masked_clauses(text: str) -> list[str]:
    """The masked clauses the engine reads in `text`, as the learned model sees them (training)."""
    sink: list[str] = []
    _detect_all(text, (), sink)
    return sink


def _accent_fold() -> dict[int, str]:
    """Latin letters with diacritics to their base letter, one character for one."""
    table = {}
    for cp in range(0xC0, 0x250):
        base = unicodedata.normalize("NFKD", chr(cp))[:1]
        if base.isascii() and base.isalpha() and base != chr(cp):
            table[cp] = base
    return table


_ACCENT_FOLD = _accent_fold()


def _same_offsets(text: str, res: DetectionResult) -> DetectionResult:
    """A finding in a same-length copy of `text` (unleeted, unaccented), reported on the text."""
    return DetectionResult(
        text=text,
        findings=tuple(dataclasses.replace(f, match=text[f.start : f.end]) for f in res.findings),
    )


def _detect_all(text: str, extra_terms, sink) -> DetectionResult:
    if not text or not isinstance(text, str):
        return DetectionResult(text=text if isinstance(text, str) else "")
    if (
        "0" in text
        or "1" in text
        or "3" in text
        or "4" in text
        or "5" in text
        or "7" in text
        or "@" in text
        or "$" in text
    ) and _LEET_HINT_RE.search(text):
        plain = _unleet(text)
        if plain != text:
            return _same_offsets(text, _detect(plain, extra_terms, None, sink))
    info: list = []
    res = _detect(text, extra_terms, info, sink)
    if not res.findings and not text.isascii():
        plain = text.translate(_ACCENT_FOLD)
        if plain != text:  # "the Sámi", "Māori", "Québécois" read as the lexicon spells them
            res = _same_offsets(text, _detect(plain, extra_terms, None, sink))
    if res.findings or len(text) > 5000 or not info:
        return res
    # second look through misspellings: "I haet X", "contmpt for X", "I h a t e X", "Xdisgust me"
    sp = _speller()
    folded, toks, has_group = info
    if not sp.gate(folded, toks, has_group):
        return res
    norm = sp.normalise(text)
    if norm is None:
        return res
    copy, idx = norm
    res2 = _detect(copy, extra_terms, None, sink)
    if not res2.findings:
        return res
    out = []
    for f in res2.findings:
        s = idx[f.start]
        e = idx[f.end - 1] + 1 if f.end > f.start else s
        out.append(dataclasses.replace(f, start=s, end=e, match=text[s:e]))
    return DetectionResult(text=text, findings=tuple(out))


_SPELLER: list = []


def _speller():
    if not _SPELLER:
        from .spelling import Speller

        m = get_matcher(())
        words = set()
        for k in VOCAB.values():
            if isinstance(k, (list, tuple)):
                for w in k:
                    if isinstance(w, str):
                        words.update(w.lower().split())
        words |= FUNC | PEOPLE | PEOPLE_SG | VERB_HINTS
        # a short slur or a name-like people is too near ordinary words to be guessed at
        # ("malls" is not "mallus", "typos" not "gypos"): only exact spellings count for those
        forms = [
            f
            for f, (_gid, kind) in m.compact.items()
            if f.isalpha() and (kind not in (DX, DXS, NAME) or len(f) >= 8)
        ]
        _SPELLER.append(Speller(forms, words))
    return _SPELLER[0]


def _detect(text: str, extra_terms=(), info=None, sink=None) -> DetectionResult:
    matcher = get_matcher(extra_terms)
    raw = text.encode() if text.isascii() else text.encode("ascii", "replace")
    folded = raw.translate(ASCII_WORDS)
    toks = set(folded.split())
    hits = matcher.keys.intersection(toks)
    if info is not None:  # for the spelling pass: (folded words, their set, a group word seen)
        info.extend((folded, toks, bool(hits)))
    camel = b"aA" in raw.translate(_CASE_SHAPE)
    hashtag = 35 in raw  # '#'
    if not hits and not camel and not hashtag:
        return DetectionResult(text=text)
    try:
        findings = _analyse(text, matcher, folded, hits, camel, hashtag, sink)
    except RecursionError:  # pragma: no cover - defensive; regexes are non-recursive
        findings = _EMPTY
    return DetectionResult(text=text, findings=findings)


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _find_candidates(text, low, folded, hits, camel):
    cands = set()
    n = len(folded)
    for key in hits:
        klen = len(key)
        i = folded.find(key)
        while i != -1:
            j = i + klen
            if (i == 0 or folded[i - 1] == 32) and (j == n or folded[j] == 32):
                cands.add(i)
            i = folded.find(key, j)
    if camel:
        for m in _CAMEL_TOKEN_RE.finditer(text):
            s, e = m.span()
            cands.add(s)
            tok = text[s:e]
            for k in range(1, len(tok)):
                if tok[k].isupper() and tok[k - 1].islower():
                    cands.add(s + k)
    return sorted(cands)


def _analyse(text, matcher, folded, hits, camel, hashtag, sink=None):
    low = _lower_same_length(text)
    mentions: list[_Mention] = []
    overrides: list[tuple[int, int, str]] = []  # (start, end, replacement) for hashtag bodies
    last_end = -1
    for p in _find_candidates(text, low, folded, hits, camel):
        if p < last_end:
            continue
        m = _match_at(text, low, matcher, p)
        if m is not None:
            mentions.append(m)
            last_end = m.end
    if hashtag:
        _hashtag_mentions(text, low, matcher, mentions, overrides)
        mentions.sort(key=lambda m: m.start)
    if not mentions:
        return _EMPTY

    # --- classify by context (people nouns, essence/animal nouns, adjectival use) -----------
    resolved: list[_Mention] = []
    adjectival: list[_Mention] = []  # "another Eritrean festival": a referent for "They ..." next
    i = 0
    while i < len(mentions):
        m = mentions[i]
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if m.kind not in ("A", "K", "X"):
            if not _classify(text, low, m, matcher):
                if m.kind_raw in (AMB, AMBPL, ADJ) and not m.poss:
                    after = _next_token(text, low, m.end)[0]
                    before = _PREV_WORDS_RE.findall(low, max(0, m.start - 12), m.start)[-1:]
                    # not "my Polish neighbour": "they" next is the neighbour's household
                    if (
                        after is not None
                        and after not in _INSTITUTIONS
                        and not (before and before[0] in _POSS_DET)
                    ):
                        adjectival.append(m)
                # adjectival group word directly followed by another mention: "Shia Muslims"
                if (
                    nxt is not None
                    and low[m.end : nxt.start].strip() == ""
                    and m.kind_raw in (AMB, AMBPL, ADJ, SG)
                ):
                    _classify(text, low, nxt, matcher)
                    if nxt.kind:
                        nxt.start, nxt.gid, nxt.surface = m.start, m.gid, text[m.start : nxt.end]
                i += 1
                continue
        resolved.append(m)
        i += 1
    # "Argentinian and Uruguayan football", "Thai and Lebanese cuisine": a name coordinated with
    # an adjectival one is an adjective too
    for k in range(len(mentions) - 1):
        m, nxt = mentions[k], mentions[k + 1]
        if (
            not nxt.kind
            and nxt.kind_raw in (AMB, AMBPL, ADJ)
            and m.kind_raw in (AMB, AMBPL)
            and m.kind in ("P", "S")
            and low[m.end : nxt.start] in (" and ", " or ", ", ", " & ")
        ):
            m.kind = ""
    mentions = [m for m in resolved if m.kind]
    if not mentions and not adjectival:
        return _EMPTY
    # "Sunnis in Idlib are ...", "the Kurds of Syria": a place name after a plural group is part
    # of the reference (the people of a region, not a handful)
    for m in mentions:
        if m.kind == "P" and text.startswith((" in ", " of ", " from "), m.end):
            pm = _PLACE_RE.match(text, m.end)
            if pm is not None:
                m.end = pm.end()
                m.surface = text[m.start : m.end]

    # --- quotes, subset quantifiers, restrictive relatives -----------------------------------
    quotes = []
    if any(c in text for c in "\"\u201c\u201d\u201e\u00ab\u00bb\u2018'"):
        for q in _QUOTE_RE.finditer(text):
            inner = q.group(1) or q.group(2) or q.group(3) or ""
            if len(inner.split()) >= 3:
                quotes.append((q.start(), q.end()))
    qi = 0
    for m in mentions:
        while qi < len(quotes) and quotes[qi][1] <= m.start:
            qi += 1
        if qi < len(quotes) and quotes[qi][0] < m.start < quotes[qi][1]:
            m.quoted = True
        if m.kind in ("P", "S", "X", "Q"):
            prev = _PREV_WORDS_RE.findall(low, max(0, m.start - 40), m.start)[-3:]
            for k in range(len(prev) - 1, -1, -1):
                w = prev[k]
                if w in ".!?;:," or w in _REPORT or w in _KNOW_ENDORSE:
                    break
                if (
                    w in SUBSET
                    or w.isdigit()
                    or (w == "not" and prev and prev[-1] in ("all", "every"))
                ):
                    if w in ("many", "much") and k > 0 and prev[k - 1] == "too":
                        continue
                    if _whole_not_part(prev, k):
                        break
                    # "all other X", "any other X like you": the rest of the group, not a part
                    if w == "other" and k > 0 and prev[k - 1] in ("all", "any", "every", "the"):
                        if prev[k - 1] != "the" or (k > 1 and prev[k - 2] == "all"):
                            break
                    # a possessive before a word that is not the group ("in my opinion, X"):
                    # only a determiner right before the mention (or one adjective) restricts it
                    if w in _POSS_DET and len(prev) - k > 2:
                        continue
                    # "your X are ...": addressing the group as a whole, when X is a plural group
                    if (
                        w == "your"
                        and m.kind == "P"
                        and m.surface.lower().split()[-1] not in _RELATIONAL
                    ):
                        continue
                    # "your typical X", "your average X": any one of them
                    if w == "your" and k + 1 < len(prev) and prev[k + 1] in _TYPICAL:
                        continue
                    m.subset = w
                    break
            if m.kind in ("P", "S", "X") and _RESTRICT_RE.match(low, m.end):
                m.restricted = not (
                    _WIDE_RE.match(low, m.end)
                    or (prev and prev[-1] in ("next", "every", "any") and m.kind == "S")
                )

    # --- sentences and clauses around mentions ------------------------------------------------
    # a sentence runs up to and including a run of terminators, the last one to the end of the text
    ends = [s.end() for s in _SENT_END_RE.finditer(text)]
    if not ends or ends[-1] < len(text):
        ends.append(len(text))
    starts = [0, *ends[:-1]]
    sentences = list(zip(starts, ends, strict=True))
    by_sentence: dict[int, list[_Mention]] = {}
    for m in mentions:
        si = bisect.bisect_right(starts, m.start) - 1
        by_sentence.setdefault(si, []).append(m)
    # "Another Eritrean festival ends in a riot. They can't even ...": the next sentence opening
    # on "they" may speak of the people the adjective names
    they_of_adjective: dict[int, _Mention] = {}
    # "The stabbing was another Kosovar. They come here ...": "another X" names a kind of person
    another = [
        m
        for m in mentions
        if m.kind == "S" and low[max(0, m.start - 8) : m.start].endswith("another ")
    ]
    for m in adjectival + another:
        si = bisect.bisect_right(starts, m.start)  # the sentence after the adjective's
        if si < len(sentences) and si not in by_sentence:
            if _THEY_OPEN_RE.match(low, *sentences[si]):
                people = _Mention(m.start, m.end, m.gid, "P", m.surface, PL)
                people.ph = "GRP0"
                they_of_adjective.setdefault(si, people)

    findings: list[Finding] = []
    seen_spans: set = set()
    counter = [0]
    low_q = low.translate(_QUOTE_CHARS) if quotes or not text.isascii() or '"' in text else low
    # (mention, sentence index, masked clause): whether the mention is the clause subject is only
    # worked out when a later sentence needs it
    antecedent: tuple | None = None
    weak_ante: tuple | None = None  # "some X", "an X": a referent only under "all/most of them"
    ordered = sorted(by_sentence)
    todo = []
    labels = {}  # sentence index -> mention, for a sentence that is only a group: "Kenyans?"
    short = set()  # short sentences without a group or pronoun after one with a group
    verdicts = set()  # longer ones that open on a bad word or a superlative, ditto
    for si in ordered:
        todo.append(si)
        sm = by_sentence[si]
        if (
            len(sm) == 1
            and sm[0].kind in ("P", "X")
            and not sm[0].quoted
            and si + 1 < len(sentences)
        ):
            s0, s1 = sentences[si]
            if (
                _LABEL_RE.fullmatch(low, s0, sm[0].start) and not text[sm[0].end : s1].strip(_TRIM)
            ) or (
                _KNOW_LIKE_RE.search(low, max(s0, sm[0].start - 40), sm[0].start)
                and _LIKE_END_RE.match(low, sm[0].end)
            ):
                labels[si + 1] = sm[0]
                todo.append(si + 1)
                # "Sunnis. What can you say. Backward, violent ...": one shrug between
                n0, n1 = sentences[si + 1]
                if si + 2 < len(sentences) and _SHRUG_RE.fullmatch(low, n0, n1):
                    labels[si + 2] = sm[0]
                    todo.append(si + 2)
        for k in (1, 2, 3):
            if si + k < len(sentences) and si + k not in by_sentence:
                s0, s1 = sentences[si + k]
                if _PRON_RE.search(low, s0, s1):
                    todo.append(si + k)
                elif s1 - s0 < 60 and low.count(" ", s0, s1) <= 6:
                    todo.append(si + k)  # a short verbless verdict: "Lying scum."
                    short.add(si + k)
                elif _opens_on_verdict(low, s0, s1):
                    todo.append(si + k)  # "Greedy, arrogant cattle thieves who ..."
                    verdicts.add(si + k)
    # "Kalenjin runners swept the marathon again. Cheats and liars, the entire community.": a
    # verdict that says it is about the whole people names the people the adjective named
    for m in adjectival:
        si = bisect.bisect_right(starts, m.start)
        for sj in (si, si + 1):
            if sj >= len(sentences) or sj in by_sentence or sj in labels:
                continue
            if _WHOLE_APPOS_RE.search(low, *sentences[sj]):
                people = _Mention(m.start, m.end, m.gid, "P", m.surface, PL)
                people.ph = "GRP0"
                labels[sj] = people
                todo.append(sj)
                break
    todo.extend(they_of_adjective)
    done = set()
    for si in sorted(set(todo)):
        if si in done:
            continue
        done.add(si)
        s0, s1 = sentences[si]
        sent_mentions = by_sentence.get(si, [])
        if antecedent is not None and si - antecedent[1] > 3:
            antecedent = None
        if si in they_of_adjective and (antecedent is None or antecedent[1] < si - 1):
            # its clause is itself: the opening "they" / "these people" is read as its subject
            antecedent = (they_of_adjective[si], si - 1, they_of_adjective[si].ph)
        is_question = text[s0:s1].rstrip().endswith("?")
        label = labels.get(si)
        label_start = label.start if label is not None else 0
        verdict_re = P.VERBLESS_RE
        if (
            label is None
            and si in short
            and antecedent is not None
            and si - antecedent[1] <= 2
            and _is_subject(antecedent[2], antecedent[0].ph)
            and not _OTHER_REF_RE.search(low, s0, s1)
        ):
            # "The Turks did it again. They always do. Lying scum.": the group subject before;
            # only a noun verdict ("Terrible." after "X were massacred" is about the event)
            label, label_start = antecedent[0], s0
            verdict_re = P.VERBLESS_NOUN_RE
        elif (
            label is None
            and si in verdicts
            and antecedent is not None
            and si - antecedent[1] <= 2
            and _is_subject(antecedent[2], antecedent[0].ph)
        ):
            # "The Dinka grabbed everything. Greedy, arrogant thieves who ...": a verdict on the
            # subject before, read as "X are ..." by the rules and the model
            label, label_start = antecedent[0], s0
            verdict_re = _ANY_RE
        for c0, c1 in _clauses(low, s0, s1):
            cms = [m for m in sent_mentions if c0 <= m.start < c1]
            if label is not None and not cms:
                # a verbless verdict after the bare group: "Kenyans? Thieves, the lot of them."
                masked, local = _mask(text, low_q, c0, c1, cms, overrides, camel, counter)
                if verdict_re.match(masked):
                    counter[0] += 1
                    ph = f"GRP{counter[0]}"
                    claim = (text, low, f"{ph} are {masked}", {ph: label}, label_start, c1, s1)
                    fnd = _run_families(*claim, is_question, matcher)
                    if fnd is None and verdict_re is _ANY_RE:
                        fnd = _learned_finding(*claim, is_question, matcher)
                    if fnd is not None and (fnd.start, fnd.end, fnd.canonical) not in seen_spans:
                        seen_spans.add((fnd.start, fnd.end, fnd.canonical))
                        findings.append(fnd)
                        label = None
                        continue
                label = None
            ante = antecedent
            if (
                weak_ante is not None
                and (ante is None or ante[1] < weak_ante[1])
                and si - weak_ante[1] <= 1
                and (_ALL_OF_THEM_RE.search(low, c0, c1) or _GROUP_REF_RE.search(low, c0, c1))
            ):
                # "Some X are decent. Most of them are savages." / "Ever met an X? They are all
                # drunks.": the pronoun under a universal refers to the group
                ante = weak_ante
            if not cms and not (ante and _PRON_RE.search(low, c0, c1)):
                continue
            masked, local = _mask(text, low_q, c0, c1, cms, overrides, camel, counter)
            # pronoun carry
            if ante is not None or cms:
                masked, local = _carry(masked, local, ante, si, cms, counter)
            if sink is not None:
                sink.append(masked)
            fnd = _run_families(text, low, masked, local, c0, c1, s1, is_question, matcher)
            if fnd is None:
                fnd = _learned_finding(text, low, masked, local, c0, c1, s1, is_question, matcher)
            if fnd is not None and (fnd.start, fnd.end, fnd.canonical) not in seen_spans:
                seen_spans.add((fnd.start, fnd.end, fnd.canonical))
                findings.append(fnd)
            # update antecedent: last generic plural mention of this clause
            for m in cms:
                if m.kind in ("P", "X") and not m.subset and not m.quoted:
                    antecedent = (m, si, masked)
                elif m.kind == "S" and not m.quoted and _is_label(masked, m.ph):
                    # "Lithuanian, naturally. They ...": the nationality names the people
                    antecedent = (m, si, masked)
                elif not m.quoted and (
                    (m.kind == "P" and m.subset in _WEAK_SUBSET)
                    or (
                        m.kind == "S" and _INDEF_BEFORE_RE.search(low, max(0, m.start - 8), m.start)
                    )
                ):
                    weak_ante = (m, si, masked)
    # a rule's finding first: it names the form, the model's only weighs words
    return tuple(sorted(findings, key=lambda f: f.rule == "learned"))


def _match_at(text, low, matcher, p):
    if p > 0:
        pc = text[p - 1]
        if pc.isalpha():
            if not (pc.islower() and text[p].isupper()):
                return None
        elif pc == "-" and p > 1 and text[p - 2].isalpha():
            return None  # non-Muslims, anti-Shia, pro-Russian
    mm = matcher.mention_re.match(low, p)
    if mm is None:
        return None
    e = mm.end()
    n = len(text)
    if e < n and text[e].isalpha() and not (text[e - 1].islower() and text[e].isupper()):
        return None
    if e + 1 < n and text[e] == "-" and text[e + 1].isalpha():
        return None  # compound modifier: "Ethiopian-born", "Iranian-backed", "Kurdish-led"
    form = low[p:e].replace("\u2019", "'")
    poss = False
    if form.endswith("'s") and form[:-2].replace(" ", "").replace("-", "") in matcher.compact:
        form, poss = form[:-2], True
    elif form.endswith("'") and form[:-1].replace(" ", "").replace("-", "") in matcher.compact:
        form, poss = form[:-1], True
    entry = matcher.compact.get(
        form.replace(" ", "").replace("-", "").replace("\n", "").replace("\t", "")
    )
    if entry is None:
        entry = matcher.compact.get("".join(form.split()).replace("-", ""))
        if entry is None:
            return None
    gid, kind = entry
    return _Mention(p, e, gid, "", text[p:e], kind, poss)


def _next_token(text, low, pos):
    nm = _NEXT_RE.match(low, pos)
    if nm is None or nm.group(1) is None:
        return None, pos, False
    tok = nm.group(1)
    tok_start = nm.start(1)
    camel_adj = tok_start == pos and pos > 0 and text[pos].isupper() and text[pos - 1].islower()
    if camel_adj:
        cm = re.match(r"[A-Z][a-z]+", text[pos : pos + 40])
        if cm:
            return cm.group().lower(), pos + cm.end(), True
    return tok.replace("\u2019", "'"), nm.end(1), camel_adj


def _classify(text, low, m, matcher) -> bool:
    kind = m.kind_raw
    if kind in (DX, DXS):
        m.kind = "X"
        return True
    nxt, nxt_end, camel_adj = _next_token(text, low, m.end)
    if kind == NAME:
        return _classify_name(text, low, m, nxt, nxt_end)
    group_word = low[m.start : m.end].strip()
    if kind == AMBPL and nxt is not None and (nxt in FUNC or not nxt[0].isalpha()):
        prev = _PREV_WORDS_RE.findall(low, max(0, m.start - 20), m.start)[-1:]
        if prev and prev[0] in SG_DET and prev[0] not in ("this", "that"):
            m.kind = "S"
            return True
    if m.poss:
        if kind in (PL, AMBPL) or (nxt is not None and (nxt in FUNC or not nxt[0].isalpha())):
            if nxt is not None and nxt[0].isalpha() and nxt not in FUNC:
                m.kind = "Q"
            else:
                prev = _PREV_WORDS_RE.findall(low, max(0, m.start - 20), m.start)[-1:]
                m.kind = "S" if prev and prev[0] in SG_DET else "P"
        else:
            m.kind = "Q"
        return True
    if nxt is not None and nxt in PEOPLE and kind in (AMB, AMBPL, ADJ) and not camel_adj:
        m.end = nxt_end
        m.surface = text[m.start : m.end]
        m.kind = "S" if nxt in PEOPLE_SG else "P"
        return True
    if nxt is not None and nxt in PEOPLE and camel_adj:
        m.end = nxt_end
        m.surface = text[m.start : m.end]
        m.kind = "P"
        return True
    if nxt is not None and group_word not in _COLOUR_GROUPS:
        if nxt in _DEHUM_COMPOUND and (camel_adj or kind in (AMB, AMBPL, ADJ) or nxt.endswith("s")):
            # spaced "Alawite dogs" only as a form of address / reference, not "Australian animals"
            prev = _PREV_WORDS_RE.findall(low, max(0, m.start - 20), m.start)[-1:]
            if camel_adj or (prev and prev[0] in _DEHUM_PREV) or nxt in _DEHUM_ALWAYS:
                m.kind = "A"
                return True
        if nxt in _SUBJ_ESSENCE and kind in (AMB, AMBPL, ADJ, SG) and not camel_adj:
            if _next_token(text, low, nxt_end)[0] in _SUBJ_VERBS:
                m.kind = "A"
                return True
        elif (nxt in ESSENCE or nxt in _BODY_NOUNS or nxt in _PLACE_NOUNS) and (
            camel_adj or kind in (AMB, AMBPL, ADJ, SG)
        ):
            m.kind = "A"
            return True
        if camel_adj and nxt in BADCAT_SET:
            m.kind = "K"
            return True
    if camel_adj:
        # unknown camel tail ("SunniLeaders"): treat the group word on its own
        pass
    if kind == ADJ:
        return False
    if kind == PL:
        m.kind = "P"
        return True
    if kind == SG:
        m.kind = "S"
        return True
    # ambiguous noun / adjective; a determiner next makes it a noun ("give the Burmese a beating",
    # "show the Chinese the door")
    if kind in (AMB, AMBPL) and (
        nxt is None
        or not nxt[0].isalpha()
        or nxt in FUNC
        or nxt in _PREPS
        or nxt in _DETERMINERS
        or nxt in _PRONOUNS_NEXT
        or nxt in ("ought", "without", "deserve", "deserves", "up", "out", "off", "down", "away")
    ):
        prev = _PREV_WORDS_RE.findall(low, max(0, m.start - 20), m.start)[-1:]
        if prev and prev[0] in _PL_DET:
            m.kind = "P"
            return True
    if kind == AMB and nxt is not None:
        # "the Igbo are", "Rohingya were", "the Marathi in this country are": the name is its
        # own plural
        if nxt not in _PLURAL_VERBS:
            wide = _WIDE_RE.match(low, m.end)
            if wide is not None:
                nxt = _next_token(text, low, wide.end())[0]
        if nxt in _PLURAL_VERBS:
            m.kind = "P"
            return True
        nxt = _next_token(text, low, m.end)[0]
    if (
        nxt is None
        or not nxt[0].isalpha()
        or nxt in FUNC
        or camel_adj
        or nxt in _DETERMINERS
        or nxt in _PRONOUNS_NEXT
    ):
        m.kind = "P" if kind == AMBPL else "S"
        return True
    if kind == AMBPL and nxt in VERB_HINTS:
        m.kind = "P"
        return True
    if kind in (AMB, AMBPL) and _verb_follows(text, low, m, nxt, nxt_end):
        m.kind = "P"
        return True
    if kind == AMB:
        prev = _PREV_WORDS_RE.findall(low, max(0, m.start - 20), m.start)[-1:]
        if (
            prev
            and prev[0] in SG_DET
            and (
                nxt in VERB_HINTS
                or nxt in _PREPS
                or nxt in _AFTER_SG
                or (nxt.endswith("s") and not nxt.endswith("ss") and len(nxt) > 3)
            )
        ):
            m.kind = "S"
            return True
    return False


# words that open an object or a complement: after "the Congolese loot", "loot" is a verb
_OBJECT_START = frozenset(
    "everything anything nothing everyone anyone everybody anybody whatever whoever their them the "
    "a an to for with about at on in like they it us you our your his her its up down out off all".split()
)


# "why are the Guyanese such ...", "the Dutch always ...": an adverb, then the predicate
_ADVERB_AFTER_PEOPLE = frozenset(
    "such so always never all really just only still too truly simply basically literally "
    "honestly usually generally mostly".split()
)


def _classify_name(text, low, m, nxt, nxt_end) -> bool:
    """A name like Wolof, Shona or Han is the people only in a clear frame: with a people noun
    ("Shona men", "an Ewe person"), or after "the" with a plural verb or an adverb ("the Han are",
    "the Wolof always ...", "that's the Wolof for you")."""
    if m.poss or nxt is None:
        return False
    if nxt in PEOPLE or nxt in PEOPLE_SG:
        m.end, m.surface = nxt_end, text[m.start : nxt_end]
        m.kind = "S" if nxt in PEOPLE_SG else "P"
        return True
    prev = _PREV_WORDS_RE.findall(low, max(0, m.start - 20), m.start)[-1:]
    if prev != ["the"] or not text[m.start].isupper():
        return False
    if nxt in _PLURAL_VERBS or nxt in _ADVERB_AFTER_PEOPLE or nxt == "for":
        m.kind = "P"
        return True
    if nxt.isalpha() and (_verb_follows(text, low, m, nxt, nxt_end) or nxt in VERB_HINTS):
        m.kind = "P"
        return True
    return False


def _verb_follows(text, low, m, nxt, nxt_end) -> bool:
    """An invariant name after "the" followed by a verb is the people, not an adjective: "the
    Congolese loot everything", "the Dutch voted for ...", but "the Dutch oven is ..."."""
    prev = _PREV_WORDS_RE.findall(low, max(0, m.start - 20), m.start)[-1:]
    if prev != ["the"] or not nxt.isalpha():
        return False
    if (nxt.endswith("ed") and len(nxt) > 4) or nxt in _ADVERB_AFTER_PEOPLE:
        return True
    after = _next_token(text, low, nxt_end)[0]
    return after in _OBJECT_START


def _hashtag_mentions(text, low, matcher, mentions, overrides):
    # A hashtag is skipped when a mention found earlier overlaps it. Sorted by start with the
    # running maximum of their ends, one bisect per hashtag answers that: without it every
    # hashtag was checked against every mention, quadratic in a text made of hashtags.
    taken = sorted((m.start, m.end) for m in mentions)
    taken_starts = [s for s, _ in taken]
    reach = list(itertools.accumulate((e for _, e in taken), max))
    for h in _HASHTAG_RE.finditer(text):
        body_raw = h.group(1)
        if _CAMEL_RE.search(body_raw):
            continue  # camelCase hashtags are handled by the camel path
        hs = h.start(1)
        i = bisect.bisect_left(taken_starts, h.end())
        if i and reach[i - 1] > hs:
            continue
        body = body_raw.lower()
        for i in range(0, min(len(body), 20)):
            prefix = body[:i]
            if i and prefix not in _HASH_PREFIX:
                continue
            mm = matcher.body_re.match(body, i)
            if not mm:
                continue
            for end in range(mm.end(), i, -1):
                form = body[i:end]
                entry = matcher.compact.get(form)
                if entry is None:
                    continue
                rest = body[end:]
                gid, kind = entry
                if rest in _HASH_SUFFIX:
                    letter = "X" if kind in (DX, DXS) else ("S" if kind == SG else "P")
                    tail = _HASH_SUFFIX[rest]
                elif rest in _DEHUM_COMPOUND:
                    letter, tail = "A", rest
                elif rest in BADCAT_SET:
                    letter, tail = "K", rest
                elif rest in PEOPLE:
                    letter, tail = "P", ""
                else:
                    continue
                mentions.append(
                    _Mention(hs + i, hs + end, gid, letter, text[hs + i : hs + end], kind)
                )
                if prefix:
                    overrides.append((hs, hs + i, " " + _HASH_PREFIX[prefix] + " "))
                if rest:
                    overrides.append((hs + end, h.end(), " " + tail + " "))
                break
            else:
                continue
            break


def _clauses(low, s0, s1):
    out = []
    cur = s0
    # most sentences hold none of the separators' literal parts: skip the costlier full pattern
    separators = _CLAUSE_RE.finditer(low, s0, s1) if _CLAUSE_HINT_RE.search(low, s0, s1) else ()
    for m in separators:
        if m.start() > cur:
            out.append((cur, m.start()))
        cur = m.end()
    if s1 > cur:
        out.append((cur, s1))
    # bound clause length (linear work on pathological input)
    bounded = []
    for c0, c1 in out:
        while c1 - c0 > 400:
            cut = low.rfind(",", c0 + 100, c0 + 400)
            if cut == -1:
                cut = low.rfind(" ", c0 + 100, c0 + 400)
            if cut == -1:
                cut = c0 + 400
            bounded.append((c0, cut))
            c0 = cut
        bounded.append((c0, c1))
    return bounded


def _clean(text, low, a, b, overrides, camel):
    if a >= b:
        return ""
    if overrides:
        parts = []
        pos = a
        for s, e, rep in overrides:
            if e <= a or s >= b:
                continue
            parts.append(_clean(text, low, pos, max(pos, s), (), camel))
            parts.append(rep)
            pos = max(pos, e)
        parts.append(_clean(text, low, pos, b, (), camel))
        return " ".join(parts)
    if camel and _CAMEL_RE.search(text, a, b):
        seg = _CAMEL_SPLIT_RE.sub(" ", text[a:b]).lower().translate(_QUOTE_CHARS)
    else:
        seg = low[a:b]
    # == _PUNCT_RE.sub(r" \1 ", seg): the pattern is one capturing group, so split() alternates
    # text and punctuation; joining with spaces pads each punctuation mark without a Python-level
    # template expansion per match
    return " ".join(_PUNCT_RE.split(seg))


def _mask(text, low, c0, c1, cms, overrides, camel, counter):
    pieces = []
    pos = c0
    local = {}
    for m in cms:
        pieces.append(_clean(text, low, pos, m.start, overrides, camel))
        counter[0] += 1
        ph = f"GR{m.kind}{counter[0]}"
        m.ph = ph
        local[ph] = m
        pieces.append(" " + ph + " ")
        pos = max(pos, m.end)
    pieces.append(_clean(text, low, pos, c1, overrides, camel))
    masked = " ".join("".join(pieces).replace(" ' ", " ").split())
    return masked, local


_LABEL_FILLERS = frozenset(
    "naturally obviously of course again yep yes yeah surprise as always usual if you hadn't "
    "guessed every one too innit eh what a shock who'd have thought it of all people".split()
)


_ANY_RE = re.compile("")
_VERDICT_NOUNS = frozenset("people lot bunch nation race tribe breed kind sort mob herd".split())
_SUPERLATIVE_RE = re.compile(r"\s*(?:the )?(?:most \w+|\w+est)\b")
_FIRST_WORD_RE = re.compile(r"\s*([a-z][a-z'-]*)")


def _opens_on_verdict(low, s0, s1):
    """The sentence opens on a bad word or a superlative: "Greedy, arrogant ...", "The dumbest,
    loudest people on the planet."."""
    first = _FIRST_WORD_RE.match(low, s0, s1)
    if first is None:
        return False
    if learned.word_class(first.group(1)) != learned.NEG and not _SUPERLATIVE_RE.match(low, s0, s1):
        return False
    # and it speaks of people within its first words ("... thieves", "... villagers", "people")
    head = [w for w in _PREV_WORDS_RE.findall(low, s0, s1) if w[0].isalpha()][:7]
    return any(
        w in PEOPLE
        or w in _VERDICT_NOUNS
        or (w.endswith("s") and learned.word_class(w) == learned.NEG)
        or w.endswith("ers")
        for w in head
    )


_THEY_OPEN_RE = re.compile(
    r"\s*(?:they|they're|theyre|these people|those people|that lot|this lot|the lot of them)\b"
)
# nouns after a group adjective that name an institution, not the people: "the Kurdish
# parliament voted. They ..." speaks of the parliament
_INSTITUTIONS = frozenset(
    "government governments parliament army armies military police regime authorities authority "
    "state ministry ministers minister president prime court courts party parties forces troops "
    "soldiers navy embassy consulate team teams club clubs side squad company companies firm "
    "bank banks media press league federation officials leaders leader council football cricket "
    "national border coast guard intelligence security".split()
)


def _is_label(masked, ph):
    """The clause is only the group and a shrug: "Lithuanian, naturally.", "yep, Somali"."""
    rest = masked.replace(ph, " ").split()
    words = [w for w in rest if w[0].isalnum()]
    return len(words) <= 6 and all(w in _LABEL_FILLERS for w in words)


def _is_subject(masked, ph):
    i = masked.find(ph)
    if i < 0:
        return False
    before = masked[:i].split()
    return len(before) <= 6 and all(w in _SUBJ_LEAD for w in before)


def _carry(masked, local, antecedent, si, cms, counter):
    # pronouns after a generic plural group subject refer back to it
    ante = None
    first_local_generic = None
    for m in cms:
        if m.kind in ("P", "X") and not m.subset and not m.restricted and not m.quoted:
            first_local_generic = m
            break
    demonstrative_ok = True  # "these people" refers back only to a subject or within the clause
    if first_local_generic is None:
        # "I have met many X and I hate every single one of them": a universal over "them"
        for m in cms:
            if m.kind == "P" and m.subset in _WEAK_SUBSET and not m.quoted:
                at = masked.find(m.ph)
                if at >= 0 and _ALL_OF_THEM_RE.search(masked, at):
                    first_local_generic = m
                    break
    if first_local_generic is not None:
        ante = first_local_generic
        cut = masked.find(ante.ph) + len(ante.ph)
    elif antecedent is not None:
        m, asi, amasked = antecedent
        subj = _is_subject(amasked, m.ph)
        # a sentence that opens on "they" names the group it follows, wherever it stood
        opens_on_they = masked.startswith(("they ", "they're ", "theyre "))
        if asi == si or si - asi == 1 or subj or opens_on_they:
            ante = m
            cut = 0
            # "that lot", "that whole people": said of a people, whatever the antecedent's place
            demonstrative_ok = subj or _WHOLE_PEOPLE_RE.search(masked) is not None
        else:
            return masked, local
    else:
        return masked, local
    if not _PRON_RE.search(masked, cut):
        return masked, local
    counter[0] += 1
    ph_p = f"GRP{counter[0]}"
    ph_q = f"GRQ{counter[0]}"

    def rep(mo):
        w = mo.group(1)
        if not demonstrative_ok and " " in w:
            return w
        if w in ("they're", "theyre"):
            return ph_p + " are"
        if w in ("their", "theirs"):
            return ph_q
        return ph_p

    head, tail = masked[:cut], masked[cut:]
    tail = _PRON_RE.sub(
        lambda mo: mo.group(0) if tail[max(0, mo.start() - 5) : mo.start()] == "like " else rep(mo),
        tail,
    )
    pm = _Mention(ante.start, ante.end, ante.gid, "P", ante.surface, PL)
    pm.antecedent = ante
    local = dict(local)
    local[ph_p] = pm
    qm = _Mention(ante.start, ante.end, ante.gid, "Q", ante.surface, PL, True)
    qm.antecedent = ante
    local[ph_q] = qm
    new = head + tail
    # subset quantifier before a carried pronoun ("some of them")
    for mo in re.finditer(re.escape(ph_p), new):
        prev = new[max(0, mo.start() - 30) : mo.start()].split()[-3:]
        for k in range(len(prev) - 1, -1, -1):
            w = prev[k]
            if w in ("and", "or", ",", "but", "."):
                break
            if w in _POSS_DET and k < len(prev) - 1:
                continue
            if _whole_not_part(prev, k):
                break
            if w in SUBSET or w.isdigit():
                pm.subset = w
                break
    return new, local


def _whole_not_part(prev, k):
    """A quantifier that takes the whole group: "every single one of them", "the lot of them",
    "the whole lot of the X", "not one of them" (none: a claim about all)."""
    w = prev[k]
    before = prev[k - 1] if k > 0 else ""
    if w == "one":
        return before in ("every", "each", "single", "last", "not")
    return w == "lot" and before in ("the", "whole", "entire")


# ---------------------------------------------------------------------------------------------
def _words_before(masked, pos, k, stop_at_comma=False):
    words = masked[max(0, pos - 12 * k) : pos].split()[-k:]
    if stop_at_comma and "," in words:
        words = words[len(words) - words[::-1].index(",") :]
    return words


_ADV_BETWEEN = frozenset(
    "really do truly honestly genuinely just still firmly strongly personally sincerely "
    "do also always have".split()
)


def _first_person_before(prev):
    """'I think', 'I really do believe': a first person before the verb, only adverbs between."""
    for w in reversed(prev):
        if w in _FIRST_PERSON:
            return True
        if w not in _ADV_BETWEEN:
            return False
    return False


def _blocked(rule, opts, mo, masked, mention, text, low, c1, s1, is_question) -> bool:
    if mention.quoted:
        return True
    if mention.antecedent is not None and mention.antecedent.quoted:
        return True
    ms, me = mo.span()
    gkey = "g" if mo.group("g") is not None else "g2"
    gs = mo.start(gkey) if gkey in mo.re.groupindex and mo.start(gkey) >= 0 else ms
    ntext = ""
    nspan = (-1, -1)
    if "n" in mo.re.groupindex and mo.group("n"):
        ntext = mo.group("n")
        nspan = mo.span("n")
    hspan = mo.span("h") if "h" in mo.re.groupindex and mo.group("h") else (-1, -1)
    # subset quantifier or restrictive relative on the group
    if mention.subset and mention.subset not in ntext.split() and not opts.get("ignore_subset"):
        q = mo.group("q") if "q" in mo.re.groupindex else None
        if not (q and mention.subset in q.split()):  # "the vast majority of X": the rule's own
            return True
    if mention.restricted and not opts.get("ignore_restricted"):
        return True
    # group in a prepositional phrase (not the subject)
    if opts.get("subject"):
        before = _words_before(masked, gs, 4)
        j = len(before) - 1
        while j >= 0 and before[j] in _DET_SKIP and before[j] != "of":
            j -= 1
        if j >= 0:
            w = before[j]
            if w in _PREPS:
                return True
            if w == "of" and not (j > 0 and before[j - 1] in _OF_OK):
                return True
    # negation in the clause up to the end of the match (outside the rule's own negation)
    pre = _words_before(masked, ms, 4, stop_at_comma=True)
    wstart = ms - (len(" ".join(pre)) + 1 if pre else 0)
    rh = _RHETORICAL_RE.match(masked) if is_question else None
    for nm in _NEG_RE.finditer(masked, max(0, wstart), me):
        a = nm.start()
        if rh is not None and a < rh.end():
            continue
        if nspan[0] <= a < nspan[1] or hspan[0] <= a < hspan[1]:
            continue
        if masked[max(0, a - 4) : a] == "why ":  # "why don't we get rid of X": a proposal
            continue
        after_neg = masked[nm.end() : nm.end() + 48].split()[:4]
        for k, w in enumerate(after_neg):
            if w in _NEG_SCOPE_END:  # "X believe nothing and sneer at ...": the scope has ended
                after_neg = after_neg[:k]
                break
        # the model's claims: only a denial of something bad blocks ("X are not lazy")
        if opts.get("denial_only") and (
            (after_neg and after_neg[0] in _NOT_DENIAL)
            or "without" in after_neg  # "X cannot drink without fighting": no denial
            or not any(learned.word_class(w) == learned.NEG for w in after_neg)
        ):
            continue
        return True
    # reported / quoted / counter speech before the match
    before = _words_before(masked, ms, 12)
    endorsed = (
        bool(_ENDORSE_RE.search(masked, me))
        or bool(_ENDORSE_RE.search(masked, 0, ms))  # "the foreman said it and he's right, X ..."
        or bool(_ENDORSE_RE.search(low, c1, min(s1, c1 + 120)))
        or bool(_ENDORSE_NEXT_RE.match(low, s1))
    ) and not _SANCTION_RE.search(masked, 0, ms)
    for k, w in enumerate(before):
        if w == "how" and k > 0 and before[k - 1] in ("about", "on"):
            if rh is not None and "how" in rh.group(0).split():
                continue  # "can we talk about how X always cheat?": it asserts
            return True
        if w in _REPORT:
            if before[k + 1 : k + 3] == ["what", "you"]:
                continue  # "say what you like, X are ...": a concession, not reported speech
            if (
                w in _BELIEF
                and k > 0
                and (_PH_RE.fullmatch(before[k - 1]) or before[k - 1] == "who")
            ):
                continue  # "X think they're born to rule": what the group thinks is the claim
            prev = before[max(0, k - 3) : k]
            if opts.get("folk") and _FOLK_RE.search(masked, 0, ms):
                continue
            if (
                (rh is not None and w in rh.group(0).split())
                or endorsed
                or (w in _KNOW_ENDORSE and not any(x in NEGATORS for x in prev))
            ):
                continue
            if w in _FIRST_OK and prev and _first_person_before(prev):
                continue
            if w in ("call", "calls") and rule == "violence_call":
                continue
            return True
        if w in _CONDITIONAL and not opts.get("ignore_conditional"):
            # "if only X ...": a wish, not a condition
            if w == "if" and (
                (k + 1 < len(before) and before[k + 1] == "only") or (k and before[k - 1] == "even")
            ):
                continue  # "if only X ...": a wish; "even if X are nice, they are ...": a concession
            if opts.get("sympathy") and "," in before[k + 1 :]:
                continue  # "if there's a way to cheat, X will find it": the group is the claim
            return True
    if rule in ("violence_call", "hostility"):
        for w in before[-6:]:
            if w in _COUNTER:
                return True
    # rejection after the statement (same sentence)
    after = masked[me : me + 240] + " " + low[c1 : min(s1, c1 + 240)]
    after = _MOCKED_CHARGE_RE.sub(" ", after)
    if _STRONG_REJECT.search(after) or _WEAK_REJECT.search(after):
        return True
    if _REJECT_NEXT_RE.match(low, s1):  # "... never pay their debts; it isn't true."
        return True
    # yes/no and why-questions are not assertions
    if is_question and rule != "violence_call":
        first = masked.split(" ", 1)[0]
        if first in _QWORDS and not _RHETORICAL_RE.match(masked):
            return True
    if opts.get("fate"):
        words = set(masked.split())
        if words & _SYMPATHY:
            return True
        if re.match(r" (?:by|at the hands|under|if|unless|because of)\b", masked[me:]):
            return True
    elif opts.get("sympathy"):
        # the model's claims: "sadly X ..." is sympathy, but "X would sell you anything if you
        # let them" is still the claim (a condition before the group is checked above)
        if set(masked.split()) & _SYMPATHY_ONLY:
            return True
        if re.match(r" (?:by|at the hands|under|if|unless|because of)\b", masked[me:]):
            return True  # "X will be slaughtered if nobody protects them": a fear for them
    if opts.get("bad_word_after") and not any(
        learned.word_class(w) == learned.NEG for w in masked[me:].split()
    ):
        return True  # "he's X, so obviously the car was nicked", not "..., so she speaks X"
    if opts.get("neg_any"):
        if not P.NEGANY_RE.search(masked) and not P.HABIT_CHAR_RE.search(masked):
            return True
    if opts.get("need_all"):
        q = mo.group("q") if "q" in mo.re.groupindex else None
        if not q and "all" not in mo.group(0).split() and "alike" not in mo.group(0):
            return True
    return False


_PH_RE = re.compile(r"GR[PSXAKQ]\d+")
_PH_KIND_RE = re.compile(r"GR([PSXAKQ])\d")


_FILLER_RE = re.compile(
    r"(?<=\d) (?:, )?(?:as a (?:nation|people|group|race|whole|rule|community|tribe|sect|religion)|"
    r"in general|generally speaking|on the whole|by and large|as such|collectively|"
    r"frankly|honestly|really|basically|though|however|of course|themselves|itself)(?: ,)?(?= )"
)


# a wide locative after a group is dropped: "the X in this country are ..." is about the group
_WIDE_MASKED_RE = re.compile(
    r"(GR[PSX]\d+) (?:(?:in|of|on|from|across) (?:this|our|my|the|your) (?:country|nation|land|world|planet|"
    r"earth|continent|place|society|city|town|region|state)|around here|here|over here|out there|everywhere)(?= )"
)


# openers that dismiss objections, not reported speech: "whatever you say, X are ..."
_LEAD_RE = re.compile(
    r"(?:whatever (?:you|they|anyone|people|the media) (?:say|says|think|claim)|say what you (?:want|like|will)|"
    r"(?:let's|lets) (?:be honest|face it)|to be honest|truth be told|face it|no offence but|no offense but|"
    r"i'm sorry but|sorry but|call me (?:racist|a bigot) (?:but|if you like)|"
    r"(?:in my|in our) (?:honest )?(?:opinion|view|experience|book)|to my mind|if you ask me|imo|imho|"
    r"if (?:i'm|i am) (?:being )?honest|if you want my (?:opinion|view)|in a (?:just|better|perfect|fair) world|"
    r"personally|honestly|frankly|needless to say|mark my words|believe me|trust me|(?:don't|do not|never) forget(?: that)?|remember(?: that)?) (?:, )?"
)


def _run_families(text, low, masked, local, c0, c1, s1, is_question, matcher):
    if "GR" not in masked:
        return None
    fnd = _run_families_once(text, low, masked, local, c0, c1, s1, is_question, matcher)
    if fnd is None and "GRQ" in masked:
        # a possessive carried from the clause's own subject reads again as "their" for the
        # habit lists: "X never keep their word", "X teach their kids to hate"
        plain = _PH_Q_RE.sub(
            lambda mo: (
                "their"
                if getattr(local.get(mo.group(0)), "antecedent", None) is not None
                else mo.group(0)
            ),
            masked,
        )
        if plain != masked:
            fnd = _run_families_once(text, low, plain, local, c0, c1, s1, is_question, matcher)
    return fnd


_PH_Q_RE = re.compile(r"GRQ\d+")


def _run_families_once(text, low, masked, local, c0, c1, s1, is_question, matcher):
    if (
        " as " in masked
        or " in general" in masked
        or " on the whole" in masked
        or ", " in masked
        or " themselves" in masked
    ):
        masked = _FILLER_RE.sub("", masked)
    if " in " in masked or " here" in masked or " of " in masked:
        masked = _WIDE_MASKED_RE.sub(r"\1", masked)
    lead = _LEAD_RE.match(masked)
    if lead:
        masked = masked[lead.end() :]
    # only families whose trigger words occur and whose group placeholder kind is present
    kinds = set(_PH_KIND_RE.findall(masked))
    candidates = set(P.ALWAYS)
    index = P.TRIGGER_INDEX
    for tok in index.keys() & masked.split():
        candidates.update(index[tok])
    families = P.FAMILIES
    for fi in sorted(candidates):
        rule, rx, opts = families[fi]
        if kinds.isdisjoint(opts["kinds"]):
            continue
        for mo in rx.finditer(masked):
            ph = None
            if "g" in rx.groupindex and mo.group("g"):
                ph = mo.group("g")
            elif "g2" in rx.groupindex and mo.group("g2"):
                ph = mo.group("g2")
            elif opts.get("needs_group"):
                for cand in _PH_RE.findall(masked):
                    mm = local.get(cand)
                    if mm is not None and not mm.quoted and not mm.subset and not mm.restricted:
                        ph = cand
                        break
            if ph is None:
                continue
            mention = local.get(ph)
            if mention is None:
                continue
            if _blocked(rule, opts, mo, masked, mention, text, low, c1, s1, is_question):
                continue
            if rule == "generic":
                q = mo.group("q") if "q" in rx.groupindex else None
                name = "universal_quantifier" if q and q not in ("a", "an") else "generic_plural"
            else:
                name = rule
            return _finding(text, mention, name, c0, c1, matcher)
    return None


# the writer speaking as a member: "we are a group of X", "as a X myself, i ..."
_SELF_RE = re.compile(r"\b(?:we are|we're|i am|i'm)(?: \S+){0,3} GR[PSA]\d+|\bas an? GR[SA]\d+")
# words of a clause besides its groups: "the British", "Kurds, naturally." say nothing by themselves
_WORD_RE = re.compile(r"(?<!\S)(?!GR[PSXAKQ]\d)[a-z][a-z'-]*")
MIN_WORDS_WITHOUT_EVIDENCE = 3

# the group as the one suffering, not the one judged: "X are persecuted", "X are facing famine"
_VICTIM_RE = re.compile(
    r"(?:attacks?|violence|crimes?|discrimination|hatred|hate|prejudice|racism|bigotry|persecution|"
    r"massacres?|genocide|pogroms?|abuse|raids?|bombing|war|sanctions) (?:on|against|towards|of) (?:the )?GR[PSQ]\d+|"
    r"(?:insulting|attacking|abusing|harassing|blaming|demoni[sz]ing|mocking|targeting|killing|bombing|persecuting|"
    r"oppressing|smearing|slandering|stereotyping|scapegoating) (?:the |all |every )?GR[PSQ]\d+|"
    r"GR[PSQ]\d+ (?:(?:in|of|from) [a-z]+ )?(?:are|were|have been|has been|had been|is|was|being|get|got|keep getting|are getting|were getting|getting)? ?"
    r"(?:still |often |being |now |constantly |routinely |systematically |also )?"
    r"(?:persecuted|oppressed|targeted|attacked|killed|murdered|massacred|slaughtered|stopped|searched|barred|banned|"
    r"denied|excluded|discriminated|marginali[sz]ed|displaced|expelled|deported|jailed|imprisoned|detained|tortured|"
    r"abused|harassed|bullied|mocked|blamed|scapegoated|demoni[sz]ed|stereotyped|portrayed|hunted|starved|evicted|"
    r"victims|suffering|suffer|suffered|facing|face|faced|fled|fleeing|mourning|grieving|afraid|terrified|scared|"
    r"struggling|dying|starving|homeless|paying for|losing|treated)\b|"
    # a third party's aim against the group: "the militia wants to end every Kurd's life"
    r"\b(?:militias?|army|armies|regime|junta|soldiers|troops|forces|police|mobs?|gangs?|terrorists|"
    r"extremists|jihadists|isis|settlers|vigilantes|death squads|the state|the government) "
    r"(?:\w+ )?(?:wants?|wanted|tries|tried|plans?|planned|vows?|vowed|threatens?|threatened|aims?|seeks?) "
    r"to (?:\w+ ){1,3}(?:(?:every|all|the) )?GR[PSQ]\d+"
)


_OBJECT_DET = frozenset("the all these those every any each our my your his her their".split())
_PREPS_NOT_THAN = _PREPS - {"than", "like", "unlike"}


def _claim_position(masked, ph):
    """The group is what the claim is made of: not the object of a verb or a preposition
    ("militias attacked the X", "a summer with X"), but a subject anywhere in the clause ("the
    trouble with A is that X ...", "why are X so ..."), or the yardstick of "smarter than any X"."""
    before = _words_before(masked, masked.find(ph), 4)
    while before and before[-1] in _OBJECT_DET:
        before.pop()
    if not before:
        return True
    w = before[-1]
    return not (w in _PREPS_NOT_THAN or (len(w) > 4 and w.endswith(("ed", "ing"))))


_SINGULAR_VERBS = (" is ", " was ", " has ", " does ", " , ")
# a singular that means the whole group: "every X", "never trust an X", "your typical X", "is there
# a single X who ...", "no X should ...", "an X will cheat you"
_UNIVERSAL_SG = frozenset("every each any single typical average no".split())
# what one is advised to do, or never to do, with any one of a people (_GENERIC_SG_RE, _NEVER_FIND_RE)
_ADVICE_VERBS = "ask|hire|employ|put|give|hand|let|get|marry|invite"
_GENERIC_SG_RE = re.compile(
    r"(?:\b(?:trust|expect|spot|met|meet|know|see|seen|find|found|than|between) (?:a|an|one) (?P<t>GRS\d+))|"
    r"(?:\b(?:trust|expect|find) (?:a|an|one) (?:honest|decent|good|trustworthy|clean|sober|smart|polite) (?P<a>GRS\d+))|"
    # advice about any one of them: "never lend money to a Maltese", "ask a Frenchman for help",
    # "dealing with an Estonian is like ...", "there's nothing a Pole won't do"
    r"(?:(?:^|\b(?:never|don't|do not|ever|just|you|always|and) )(?:ever )?(?:"
    + _ADVICE_VERBS
    + "|"
    r"lend (?:\w+ )?to|rent (?:\w+ )?to|sell (?:\w+ )?to|buy (?:\w+ )?from|go (?:\w+ ){0,3}with|wait (?:\w+ ){0,2}for) "
    r"(?:a|an) (?:\w+ )?(?P<i>GRS\d+))|"
    r"(?:\b(?:dealing|doing business|working|arguing|negotiating|living) with (?:a|an) (?P<d>GRS\d+))|"
    r"(?:\bthere's (?:nothing|no such thing as|never been) (?:a|an) (?P<n>GRS\d+))|"
    r"(?:\b(?:compared to|than out of|than from|out of) (?:a|an) (?P<c>GRS\d+))|"
    # "ever met an honest X?", "have you ever seen a sober X", "has a X ever done a day's work?"
    r"(?:\bever (?:met|seen|known|found|heard of) (?:a|an|one) (?:\w+ )?(?P<e>GRS\d+))|"
    r"(?:\b(?:has|have|did|does|will|would|when has|when did) (?:a|an|one|any) (?P<h>GRS\d+) ever\b)|"
    r"(?:(?:^|[,:;] |\b(?:said|says|say|that) )(?:a|an) (?P<m>GRS\d+) (?:will|would|'ll|won't|can't|cannot|never|always)\b)"
)
# "sadly", "I fear": sympathy for the group, as for fate rules; a relative's maxim the writer repeats
_LEARNED_OPTS = {"sympathy": True, "folk": True, "denial_only": True}
# what is to be done to the group, as its object: "Turkey should put every X on a truck", "someone
# needs to deal with the X", "let's send the X back"
_DEMAND_RE = re.compile(
    r"\b(?:should|must|shall|needs? to|ought to|has to|have to|gotta|let's|lets|time to|"
    r"had the right idea about)\b"
)
# "it's in their nature", "in their blood": the possessive is the group's essence
_ESSENCE_AFTER_RE = re.compile(
    r"(?:nature|blood|dna|genes|bones|culture|character|makeup|make-up|soul|veins|mentality|"
    r"mindset|psyche|national character|national sport|national pastime|work ethic)\b"
)


# the word a group is said to be: "X are a blessing", "X are truly wonderful people"
_PRAISE_PREDICATE_RE = re.compile(
    r"GR[PSQ]\d+ (?:\w+ ){0,2}?(?:are|is|were|was|remain|make|'re) "
    r"(?:(?:a|an|the|so|such|truly|really|very|all|always|just|such a) ){0,3}([a-z-]+)"
)
# "isn't it obvious that X ...", "aren't they all ...": a question tag asserts, it negates nothing
_NEG_TAG_RE = re.compile(r"\b(?:isn't|aren't|wasn't|doesn't|don't) (?:it|they|this|that)\b")


_CLAUSE_BREAK_RE = re.compile(r".*(?:[,;:.!?]|\b(?:but|because|cause|so|yet|and then)\b)", re.S)


def _negated_before(masked, at):
    """A negation governs the clause the group is in ("there is no hatred in my heart for you X",
    "we must never condone the killing of X"), not a clause that ended before it ("I don't know
    why, but X ...") or a question tag."""
    clause = _CLAUSE_BREAK_RE.sub("", masked[:at], count=1)
    window = " ".join(clause.split()[-10:])
    return _NEG_RE.search(window) is not None and _NEG_TAG_RE.search(window) is None


# "is there a single X who isn't ...", "I've never met an X that doesn't ...": the relative clause
# is the claim about every X, not a restriction to some of them
_NONE_EXCEPT_RE = re.compile(
    r"\b(?:is there|name|show me|find me|i have yet to meet|i've yet to meet|i have never met|"
    r"i've never met|never met|ever met|ever seen) (?:a single|one|any|a|an) (?P<g>GR[SP]\d+) (?:\w+ ){0,2}(?:who|that) "
    r"(?:isn't|is not|doesn't|does not|wasn't|hasn't|has not|won't|wouldn't|can't|cannot|didn't)\b"
)


# "you can't trust a X", "you will never find an honest X": the negation is the claim
_NEVER_FIND_RE = re.compile(
    r"\b(?:never|not|\w+n't) (?:(?:ever|really|actually|be able to|\w+) )?(?:trust|expect|find|meet|met|see|seen|"
    + _ADVICE_VERBS
    + r"|lend|rent|sell|buy|go|wait)(?: \w+){0,3} "
    r"(?:a|an|one) (?:\w+ )?GRS\d+$"
)


def _generic_singular(masked, ph):
    before = _words_before(masked, masked.find(ph), 2)
    if before and (before[-1] in _UNIVERSAL_SG or before in (["every", "last"], ["not", "one"])):
        return True
    return any(ph in mo.groupdict().values() for mo in _GENERIC_SG_RE.finditer(masked))


def _learned_finding(text, low, masked, local, c0, c1, s1, is_question, matcher):
    model = learned.model()
    if model is None or "GR" not in masked:
        return None
    if _VICTIM_RE.search(masked) or _SELF_RE.search(masked):
        return None
    score = model.score(masked)
    if score.probability < model.threshold:
        return None
    praise = learned.praises(masked)
    if (
        praise
        and not any(learned.word_class(w) == learned.NEG for w in score.evidence)
        and any(learned.word_class(w) == learned.POS for w in _PRAISE_PREDICATE_RE.findall(masked))
    ):
        return None  # "X are a blessing to society": the words the model weighs are no bad word
    # without a negative word, only a sure score about the clause's subject stands
    sure = score.probability >= learned.SURE_WITHOUT_EVIDENCE and not praise
    if not score.evidence and (
        not sure or len(_WORD_RE.findall(masked)) < MIN_WORDS_WITHOUT_EVIDENCE
    ):
        return None
    rhetorical = _RHETORICAL_RE.match(masked) if is_question else None
    for ph in _PH_RE.findall(masked):
        mention = local.get(ph)
        none_except = any(mo.group("g") == ph for mo in _NONE_EXCEPT_RE.finditer(masked))
        if (
            mention is None
            or mention.quoted
            or mention.subset
            or (mention.restricted and not none_except)
        ):
            continue
        generic = mention.kind == "S" and (none_except or _generic_singular(masked, ph))
        at = masked.find(ph)
        # "their culture", and "the Argentinian make-up", "the Kuwaiti soul": the people's essence
        essence = mention.kind in ("Q", "A") and _ESSENCE_AFTER_RE.match(masked, at + len(ph) + 1)
        if mention.kind not in ("P", "Q") and not generic and not essence:
            continue
        demand = _DEMAND_RE.search(masked, 0, at) is not None
        if not essence and (
            not (_claim_position(masked, ph) or demand)
            or not (score.evidence or _is_subject(masked, ph))
        ):
            continue
        if (
            not generic
            and masked.startswith(_SINGULAR_VERBS, at + len(ph))
            and not (
                masked.startswith(" , ", at + len(ph)) and mention.surface.lower().endswith("s")
            )
        ):
            continue  # "the Afghan does have ...", "the Italian, Gabriella, is ...": one person
        if (
            _negated_before(masked, at)
            and not (generic and _NEVER_FIND_RE.search(masked[: at + len(ph)]))
            and not (rhetorical is not None and rhetorical.end() > at)  # "why can't X ever ..."
            and not (generic and masked[:at].endswith("not one "))  # "not one X has ever ..."
        ):
            continue  # "there is no hatred for X", "we must never condone ... X": not for the model
        # the blockers look at the group and the head of its predicate as at a rule's match: a
        # negation there ("X are not ...") blocks; one further on ("... and see no reason to
        # stop") is the model's to weigh
        # "is there a single X who isn't ...": the relative clause's negation is the claim
        span = "" if none_except else r"(?: \S+){0,3}"
        mo = re.compile(rf"(?P<g>{ph})\b{span}").search(masked)
        opts = {**_LEARNED_OPTS, "ignore_restricted": none_except}
        if mo is None or _blocked(
            "learned", opts, mo, masked, mention, text, low, c1, s1, is_question
        ):
            continue
        why = ", ".join(f"'{w}'" for w in score.evidence) or "the clause as a whole"
        return _finding(text, mention, "learned", c0, c1, matcher, p=score.probability, why=why)
    return None


_TRIM = " \t\r\n.,;:!?\u2026-\u2013\u2014\"'\u201c\u201d\u2018\u2019()[]"


def _finding(text, mention, rule, c0, c1, matcher, **explain):
    src = mention.antecedent or mention
    s, e = c0, c1
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    if e <= s:
        s, e = mention.start, mention.end
    group = matcher.groups[src.gid]
    return Finding(
        start=s,
        end=e,
        match=text[s:e],
        group=src.surface,
        canonical=group.canonical,
        category=group.category,
        rule=rule,
        severity=SEVERITY_HOLD if rule == "violence_call" else SEVERITY_REPORT,
        explanation=_EXPLAIN[rule].format(g=group.canonical, **explain),
    )
