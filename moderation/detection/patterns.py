"""Rule families: regular expressions over masked clauses.

A masked clause is lower-case text, one space between tokens, punctuation as separate tokens,
with every group mention replaced by a typed placeholder carrying its index:

    GRP<n>  plural / generic group ("Sunnis", "the Druze", "Kurdish people")
    GRS<n>  singular group noun ("a Turk", "every Shia")
    GRX<n>  derogatory name for a group (slur), any number
    GRA<n>  group adjective glued to an essence / animal noun ("typical Shia behaviour", "#ShiaDogs")
    GRK<n>  group + bad-category camel compound ("SalafiTerrorists")
    GRQ<n>  possessive ("a Muslim's nature", "Kurds' blood")

Every repetition is bounded, so matching is linear in the clause length.
"""

from __future__ import annotations

import re

from .lexicon import VALENCE_NEG, VOCAB, trie_regex


def _literal(ch: str) -> str:
    return " " if ch == " " else re.escape(ch)


def alt(words, extra=()) -> str:
    """Non-capturing alternation of literal phrases (longest tried first), built as a trie."""
    return (
        "(?:"
        + trie_regex({w.strip().lower() for w in (*words, *extra) if w.strip()}, _literal)
        + ")"
    )


def _with_s(verbs):
    out = []
    for v in verbs:
        parts = v.split(" ")
        head = parts[0]
        if head.endswith(("s", "sh", "ch", "x", "z")):
            third = head + "es"
        elif head.endswith("y") and head[-2:-1] not in "aeiou":
            third = head[:-1] + "ies"
        else:
            third = head + "s"
        out.append(v)
        out.append(" ".join([third, *parts[1:]]))
    return out


ABSTRACT = {
    "terror",
    "terrorism",
    "violence",
    "war",
    "death",
    "hate",
    "hatred",
    "lies",
    "deceit",
    "dump",
    "mess",
    "shithole",
    "hellhole",
    "decline",
    "filth",
    "treachery",
    "betrayal",
    "barbarism",
    "savagery",
    "destruction",
    "misery",
    "murder",
    "rape",
    "crime",
    "crimes",
    "problems",
}
# heads that need a complement check ("sick of war", "mad at", "bad at")
_COMPLEMENT_HEADS = {
    "sick",
    "mad",
    "crazy",
    "bad",
    "weak",
    "hostile",
    "drunk",
    "tired",
    "trouble",
    "loud",
    "ignorant",
    "incapable",
    "afraid",
    "guilty",
    "hateful",
    "intolerant",
    "suspicious",
}


def _singulars(words):
    out = []
    for w in words:
        out.append(w)
        if " " in w or not w.endswith("s") or w.endswith("ss"):
            continue
        if w.endswith("ies") and len(w) > 4:
            out.append(w[:-3] + "y")
        elif w.endswith(("ches", "shes")):
            out.append(w[:-2])
        else:
            out.append(w[:-1])
    return out


NEG_HEAD_WORDS = [
    w
    for w in _singulars(
        (
            *VOCAB["neg_adj"],
            *VOCAB["neg_nouns"],
            *VOCAB["dehum_nouns"],
            *VALENCE_NEG,
            "worse",
            "the worst",
            "worst",
            "deranged",
            "depraved",
            "demented",
            "brainwashed",
            "inbred",
            "warped",
            "twisted",
            "crooked",
            "unhinged",
            "degenerate",
            "degenerates",
            "backward",
            "uncivilised",
            "uncivilized",
            "two-faced",
            "shifty",
            "sneaky",
            "devil worshippers",
            "devil worshipers",
            "terrorist supporters",
            "spies",
            "agents",
            "freeloading",
            "scrounging",
            "conniving",
            "scheming",
            "good-for-nothing",
            "antisemites",
            "antisemite",
            "racists",
            "bigots",
            "fascists",
            "nazis",
            "homophobes",
            "misogynists",
            "supremacists",
            "rapists",
            "paedophiles",
            "pedophiles",
            "heretics",
            "infidels",
            "mafia",
            "a drain",
            "drain on",
            "a burden on",
            "burden on society",
            "a menace",
            "idol worshippers",
            "idol worshipers",
            "idolaters",
            "apostates",
            "kafirs",
            "kuffar",
            "puppets",
            "lackeys",
            "stooges",
            "mercenaries",
            "lapdogs",
            "pawns",
            "uneducated",
            "baby killers",
            "child killers",
            "baby-killers",
            "murderers",
            "killers",
            "antisemitic",
            "anti-semitic",
            "racist",
            "homophobic",
            "misogynistic",
            "misogynist",
            "fanatical",
            "fanatics",
        )
    )
    if w not in ABSTRACT
]
_plain = [w for w in NEG_HEAD_WORDS if w not in _COMPLEMENT_HEADS]
_compl = [w for w in NEG_HEAD_WORDS if w in _COMPLEMENT_HEADS]
NEGW = (
    "(?:"
    + alt(_plain)
    + r"\b"
    + ("|" + alt(_compl) + r"\b(?! (?:of|at|about|from|with|for|on)\b)" if _compl else "")
    + ")"
)
NEGANY = alt(
    NEG_HEAD_WORDS,
    [
        *ABSTRACT,
        "lied",
        "stole",
        "cheated",
        "betrayed",
        "scammed",
        "robbed",
        "raped",
        "murdered",
        "ripped off",
        "conned",
        "swindled",
        "dumbass",
        "idiot",
        "moron",
    ],
)
DEHUM = alt(
    VOCAB["dehum_nouns"],
    [
        "an invasive species",
        "invasive species",
        "a blight",
        "a pestilence",
        "a cancer",
        "a virus",
        "a plague",
        "a disease",
        "a pest",
        "lesser beings",
        "subhuman creatures",
        "human garbage",
        "human trash",
        "human filth",
        "a tumour",
        "a tumor",
        "a waste of space",
        "waste of space",
        "worthless dirt",
        "refuse",
    ],
)
_ORGS = [
    "isis",
    "daesh",
    "pkk",
    "hezbollah",
    "hizbollah",
    "hamas",
    "al qaeda",
    "al-qaeda",
    "alqaeda",
    "taliban",
    "nusra",
    "al nusra",
    "hts",
    "the mafia",
    "mafia",
    "the kkk",
    "kkk",
    "nazis",
    "the nazis",
    "ypg",
    "jihadis",
]
BADCAT = alt(_singulars(VOCAB["bad_category"]), _ORGS)
BADEVENT = alt(VOCAB["bad_events"])
ESSENCE = alt(VOCAB["essence_nouns"])
FATE = alt(VOCAB["fate_phrases"])
if FATE.count("they") != 1:
    raise ValueError("the fate trie split 'they': match the placeholder another way")
FATE = FATE.replace("they", r"(?:they|GRP\d+)")
FATESTATE = alt(VOCAB["fate_states"])

_CHAR_VERBS = [
    "lie",
    "betray",
    "steal",
    "cheat",
    "rape",
    "backstab",
    "scam",
    "swindle",
    "loot",
    "plunder",
    "breed",
    "multiply",
    "conspire",
    "plot",
    "stink",
    "smell",
    "beg",
    "leech",
    "sponge",
    "freeload",
    "deceive",
    "manipulate",
    "brainwash",
    "molest",
    "groom",
    "bribe",
    "whine",
    "play the victim",
    "play victim",
    "blow themselves up",
    "lie about",
    "sell out",
    "turn on",
    "rip off",
    "stab you",
    "betray you",
    "betray anyone",
    "betray everyone",
    "betray everybody",
    "lie to",
    "cheat you",
    "rob you",
    "stab everyone",
    "stab people",
    "infiltrate",
    "invade",
    "exploit",
    "support terrorism",
    "support terrorists",
    "fund terrorism",
    "export terrorism",
    "spread terrorism",
    "spread hate",
    "spread hatred",
    "spread disease",
    "ruin everything",
    "ruin every",
    "destroy everything",
    "destroy every",
    "ruin",
    "corrupt everything",
    "hate everyone",
    "hate everybody",
    "hate us",
    "hate the west",
    "hate freedom",
    "hate democracy",
    "hate women",
    "hate christians",
    "hate jews",
    "hate muslims",
    "hate non",
    "hate our",
    "hate america",
    "hate europe",
    "hate israel",
    "hate infidels",
    "hate outsiders",
    "hate foreigners",
    "control the",
    "control everything",
    "control our",
    "run the world",
    "run the media",
    "run the banks",
    "run everything",
    "own the",
    "own everything",
    "worship the devil",
    "worship satan",
    "worship death",
    "only understand",
    "understand only",
    "only respect",
    "never keep their word",
    "never keep their promises",
    "never tell the truth",
    "never pay",
    "never work",
    "never integrate",
    "refuse to integrate",
    "don't integrate",
    "do not integrate",
    "can't integrate",
    "won't integrate",
    "never assimilate",
    "don't assimilate",
    "stab you in the back",
    "stab in the back",
    "breed like",
    "rip me off",
    "rip you off",
    "rip people off",
    "rip everyone off",
    "run all the crime",
    "run the crime",
    "run the drug trade",
    "run the drugs trade",
    "control the drug trade",
    "run all the drugs",
    "run the gangs",
    "con you",
    "con me",
    "con people",
    "con everyone",
    "swindle you",
    "swindle me",
    "cheat me",
    "rob me",
    "lie to me",
    "scam me",
    "scam you",
    "teach their kids to hate",
    "teach their children to hate",
    "teach their kids to kill",
    "teach their children to kill",
    "bring disease",
    "bring crime",
    "bring drugs",
    "bring trouble",
    "bring violence",
    "bring nothing but trouble",
    "take our jobs",
    "steal our jobs",
    "live off benefits",
    "live off welfare",
    "live on benefits",
    "live off the state",
    "sponge off",
    "scrounge",
    "scrounge off",
    "treat women like dirt",
    "treat women like shit",
    "treat women like slaves",
    "treat women like animals",
    "treat women like property",
    "treat their women like dirt",
    "treat their women like slaves",
    "beat their wives",
    "are ruining",
    "keep ruining",
    "are destroying this",
    "are destroying our",
    "are taking over",
    "are invading",
    "are overrunning",
    "are flooding",
    "are polluting",
    "are poisoning",
    "have ruined this",
    "have ruined our",
    "have ruined every",
    "have destroyed this",
    "have destroyed our",
    "ruined this",
    "ruined our",
    "spoil everything",
    "spoil every",
    "ruin everything they touch",
    "destroy everything they touch",
    "only care about money",
    "care only about money",
    "care about nothing but money",
    "only care about themselves",
    "bring nothing but crime",
    "bring nothing but problems",
    "bring nothing but misery",
    "bring nothing but violence",
    "bring nothing but drugs",
    "are obsessed with money",
    "are obsessed with power",
    "are obsessed with violence",
    "are obsessed with death",
    "are obsessed with caste",
    "are obsessed with killing",
    "poison everything",
    "have poisoned everything",
    "poisoned everything",
    "ruined everything",
    "have ruined everything",
    "destroyed everything",
    "corrupt everyone",
    "take orders from",
    "take their orders from",
    "are loyal to whoever pays",
    "are loyal to whoever",
    "are loyal only to money",
    "are loyal to the highest bidder",
    "kill each other",
    "have been killing each other",
    "have always killed each other",
    "look down on everyone",
    "look down on everybody",
    "look down on us",
    "look down on others",
    "treat women like cattle",
    "treat their women like cattle",
    "treat women like objects",
    "treat their women like objects",
    "treat their women like animals",
    "treat their women like shit",
    "treat their women like property",
    "treat women like garbage",
    "treat their women like garbage",
]
_ACT_VERBS = [
    "kill",
    "murder",
    "slaughter",
    "butcher",
    "massacre",
    "behead",
    "bomb",
    "terrorize",
    "terrorise",
    "oppress",
    "destroy",
    "abuse",
    "enslave",
    "torture",
    "hate",
    "threaten",
    "harass",
    "bully",
]
HABIT_CHAR = alt(_with_s(_CHAR_VERBS))
HABIT_ACT = alt(_with_s(_ACT_VERBS))
NEGANY_RE = re.compile(r"\b" + NEGANY + r"\b")
HABIT_CHAR_RE = re.compile(r"\b" + HABIT_CHAR + r"\b")
HOV = alt(
    VOCAB["habit_object_verbs"], ["only know", "love", "loves", "adore", "glorify", "worship"]
)
HOB = alt(
    VOCAB["habit_objects_bad"],
    ["force", "the language of force", "violence", "the whip", "the stick", "brute force"],
)

_INT_WORDS = [
    "all",
    "just",
    "only",
    "really",
    "truly",
    "so",
    "such",
    "too",
    "very",
    "simply",
    "basically",
    "absolute",
    "absolutely",
    "complete",
    "completely",
    "total",
    "totally",
    "utter",
    "utterly",
    "fucking",
    "fuckin",
    "bloody",
    "damn",
    "damned",
    "goddamn",
    "massive",
    "real",
    "pure",
    "a",
    "an",
    "the",
    "bunch",
    "pack",
    "herd",
    "nest",
    "gang",
    "band",
    "load",
    "lot",
    "of",
    "nothing",
    "but",
    "born",
    "natural",
    "naturally",
    "inherently",
    "innately",
    "always",
    "still",
    "generally",
    "mostly",
    "clearly",
    "obviously",
    "certainly",
    "definitely",
    "literally",
    "actually",
    "frankly",
    "honestly",
    "little",
    "common",
    "typical",
    "typically",
    "most",
    "biggest",
    "greatest",
    "ultimate",
    "filthy",
    "dirty",
    "stinking",
    "lying",
    "thieving",
    "and",
    "lousy",
    "miserable",
    "human",
    "whole",
    "entire",
    "same",
    "old",
    "professional",
    "natural-born",
    "seriously",
    "deeply",
    "extremely",
    "incredibly",
    "unbelievably",
    "hopelessly",
    "pretty",
    "quite",
    "rather",
    "mere",
    "merely",
    "kind",
    "sort",
    "bunch",
    "collection",
    "race",
    "tribe",
    "sect",
    "breed",
    "ever",
    "forever",
    "now",
    "also",
    "even",
    "probably",
    "likely",
    "mainly",
    "largely",
    "without",
    "doubt",
    "exception",
    "without exception",
    "at heart",
    "by nature",
    "in essence",
    "deep",
    "down",
    "deep down",
    "more",
    "less",
    "far",
    "much",
    "way",
    "cowardly",
    "evil",
    "worse",
    "wild",
    "mostly",
    "people",
    "men",
    "bad",
    "dumb",
    "stupid",
    "scummy",
    "disgusting",
    "subhuman",
    "sick",
    "twisted",
    "nation",
    "country",
    "land",
    "society",
    "culture",
    "community",
    "family",
    "cult",
    "gang",
    "horde",
    "mob",
]
INT = alt(_INT_WORDS)
GAP = rf"(?:(?:{INT}|{NEGW}|,) ){{0,5}}(?:(?:a|an) [a-z]+ )?(?:[a-z]+'s )?(?:[a-z]+-[a-z]+ )?"
SHORTGAP = rf"(?:{INT} ){{0,2}}"

COPP = alt(
    [
        "are",
        "'re",
        "were",
        "remain",
        "will be",
        "will always be",
        "will forever be",
        "have always been",
        "have been",
        "are all",
        "are always",
        "can be",
        "can only be",
        "tend to be",
        "seem to be",
        "are known to be",
        "become",
        "are becoming",
        "are turning into",
        "act like",
        "behave like",
        "are like",
        "look like",
        "are nothing but",
        "are no better than",
        "are no different than",
        "are no different from",
        "are nothing more than",
        "are basically",
        "are simply",
        "are still",
        "are also",
        "will remain",
        "always were",
        "always have been",
        "would be",
        "are just",
        "are naturally",
        "are inherently",
        "are by nature",
        "make",
        "are such",
        "really are",
        "all are",
        "truly are",
        "sure are",
        "are without a doubt",
        "are without exception",
    ]
)
COPS = alt(
    [
        "is",
        "was",
        "will be",
        "will always be",
        "has always been",
        "remains",
        "can be",
        "becomes",
        "is nothing but",
        "is no better than",
        "is like",
        "acts like",
        "is always",
        "is just",
        "is basically",
        "is a",
        "is an",
        "would be",
        "is by nature",
        "is naturally",
        "'s",
    ]
)

_QUANT = "all|every one of|each of|most|all of|almost all|nearly all|the vast majority of|every last one of|every single one of|the majority of|99 ?% of|all you|you all"
_OF = "the|these|those|you|of the|of"
_DET = "the|these|those|you|fucking|bloody|damn|filthy|dirty|stinking"
Q = rf"(?P<q>{_QUANT})"
# SUBJ_P only opens patterns, right before the group placeholder (GR...), and never contains a G
# itself. So a match starts with a quantifier's or determiner's first letter or with that G, and
# the G comes within the longest possible SUBJ_P: two cheap lookaheads let the engine pass over
# every other position instead of trying all the alternatives there.
_SUBJ_P_FIRST = "".join(sorted({w[0] for w in f"{_QUANT}|{_DET}".split("|")} | {"G"}))
_SUBJ_P_WIDTH = sum(max(map(len, ws.split("|"))) + 1 for ws in (_QUANT, _OF, _DET))
SUBJ_P_START = rf"(?=[{_SUBJ_P_FIRST}])(?=[^G]{{0,{_SUBJ_P_WIDTH}}}G)"
SUBJ_P = SUBJ_P_START + rf"(?:{Q}(?: (?:{_OF}))? )?(?:(?:{_DET}) )?"
SUBJ_S = r"\b(?P<q>every|each|any|every single|each and every|a|an|no)(?: single)? "
LIKEYOU = r"(?: like (?:you|them|him|her|that|this|these|those|him))?"

GP = r"(?P<g>GR[PX]\d+)"
GS = r"(?P<g>GR[SX]\d+)"
GANY = r"(?P<g>GR[PSX]\d+)"
GOBJ = r"(?P<g>GR[PSXKA]\d+)"

_VV_EXTRA = [
    # what is done to a people's villages and quarters: "bomb every Chechen village"
    "bomb",
    "firebomb",
    "carpet bomb",
    "torch",
    "flatten",
    "raze",
    "bulldoze",
    "hurt",
    "maim",
    "mutilate",
    "assault",
    "cripple",
    "dismember",
    "disembowel",
    "skin alive",
]
VVERB = alt(VOCAB["violent_verbs"], _VV_EXTRA)
VPP = alt(VOCAB["violent_pp"])
TRIG = alt(
    [
        "let's",
        "lets",
        "let us",
        "we should",
        "we must",
        "we need to",
        "we have to",
        "we ought to",
        "we will",
        "we'll",
        "we are going to",
        "we're going to",
        "we gotta",
        "we gonna",
        "we can",
        "we could",
        "i want to",
        "i wanna",
        "i'd like to",
        "i would like to",
        "i will",
        "i'll",
        "i'm going to",
        "i am going to",
        "im going to",
        "i'm gonna",
        "im gonna",
        "i would love to",
        "i'd love to",
        "i'd happily",
        "i would happily",
        "i'd gladly",
        "i would gladly",
        "someone should",
        "somebody should",
        "someone needs to",
        "somebody needs to",
        "someone has to",
        "someone must",
        "you should",
        "they should",
        "should",
        "must",
        "need to",
        "needs to",
        "ought to",
        "time to",
        "it's time to",
        "its time to",
        "it is time to",
        "the solution is to",
        "the only solution is to",
        "the answer is to",
        "better to",
        "just",
        "we just need to",
        "we should just",
        "i say",
        "i say we",
        "we",
        "i'm ready to",
        "i am ready to",
        "i'd",
        "i would",
        "i wish i could",
        "i wish we could",
        "go",
        "help",
        "come on",
        "why not",
        "why don't we",
        "why dont we",
        "and",
        "then",
        "so",
        "now",
        "please",
        "yes",
        "yup",
        "yeah",
        "finally",
        "simply",
        "is to",
        "was to",
        "should just",
        "shall",
        "we shall",
        "we'd better",
        "let's just",
        "we should all",
        "must all",
        "have to",
        "i'll have to",
        "i will have to",
        "we'll have to",
        "it would be best to",
        "it'd be best to",
        "best to",
        "someone will",
        "someone would",
        "somebody will",
        "somebody would",
        "i'm just going to",
        "i just want to",
        "i only want to",
        "i really want to",
        "i just wanna",
        "we just want to",
        "i am just going to",
        "am just going to",
        "am going to",
        "we will keep",
        "we'll keep",
        "keep",
    ]
)
INTERJ = r"(?:(?:yes|yup|yeah|just|so|now|please|and|then|simply|ok|okay|lol|go|seriously|honestly|finally|i say|all|,|!|-|:|#) )*"
OBJGAP = r"(?:(?:you and|all|every|each|any|other|kinds|kind|sort|sorts|types|type|the|these|those|that|this|their|next|you|of|single|last|one|fucking|bloody|damn|filthy|dirty|remaining|rest|whole|lot|goddamn|stinking|every last one|every single one) ){0,4}"


def fw(*groups) -> frozenset:
    """First words of phrases: a family only runs when one of them occurs in the clause."""
    out: set[str] = set()
    for g in groups:
        for phrase in [g] if isinstance(g, str) else g:
            words = phrase.split(" ")
            content = [w for w in words if w not in _STOP]
            out.update(content or words[:1])
    return frozenset(out)


_STOP = frozenset(
    "a an the of to be not no all our every us you your their them in on with for about anyone everyone everybody "
    "everything back up out off down it its non themselves any this that is are will at into from by as have has get "
    "got they never always again ever would just only one so".split()
)


W_NEG = fw(NEG_HEAD_WORDS, ["worse", "worst", "human", "lesser", "subhuman", "waste", "worthless"])
W_DEHUM = fw(
    VOCAB["dehum_nouns"],
    _singulars(VOCAB["dehum_nouns"]),
    [
        "lesser",
        "subhuman",
        "human",
        "waste",
        "worthless",
        "refuse",
        "cancer",
        "virus",
        "plague",
        "disease",
        "pest",
        "tumour",
        "tumor",
        "invasive",
        "species",
        "blight",
        "pestilence",
    ],
)
W_BAD = fw(
    _singulars(VOCAB["bad_category"]),
    _singulars(VOCAB["bad_events"]),
    ["attack", "bombing", "massacre", "beheading", "rape", "crime", "stabbing", "shooting"],
)
W_HABIT = fw(_with_s(_CHAR_VERBS), _with_s(_ACT_VERBS))
W_HOV = fw(VOCAB["habit_object_verbs"], ["only", "love", "loves", "adore", "glorify", "worship"])
W_VV = fw(VOCAB["violent_verbs"], _VV_EXTRA)
W_FATE = fw(
    VOCAB["fate_phrases"],
    VOCAB["fate_states"],
    ["deserve", "deserved", "got", "get", "nothing", "losers", "doomed"],
)
W_ESS = frozenset("blood dna genes gene nature veins bones genetics culture mentality".split())
W_ESSADV = frozenset(
    "nature naturally inherently innately genetically biologically congenitally born natural-born birth definition heart essence core hard-wired hardwired wired programmed".split()
)
W_SAME = frozenset("same alike identical interchangeable copies clones".split())
W_TRUST = frozenset(
    "trust trusted trustworthy believe believed rely relied count depend untrustworthy unreliable reliable trustable untrustable backstabbers backstabbing two-faced turn beware".split()
)
W_EQ = frozenset(
    "= == ≡ => -> equals equal means mean aka a.k.a a.k.a. synonymous same synonyms interchangeable identical difference word synonym name euphemism codeword".split()
)
W_HOST = frozenset(
    "hate despise detest loathe abhor stand bear contempt hatred disdain disgust make makes disgusts sicken sickens repulse repulses revolt revolts fill piss pissing fuck sick tired rather sooner".split()
)

# (rule, compiled regex, options)
#   subject: the group must be the grammatical subject (not inside a prepositional phrase)
#   neg_any: require a negative word in the clause (essentialism on neutral frames)
#   fate: apply the sympathy blocker
#   kinds (derived): placeholder letters the family's group can be; the engine skips the family
#     when the clause holds none of them
FAMILIES: list[tuple[str, re.Pattern, dict]] = []
_GROUP_RE = re.compile(r"\(\?P<g2?>GR(?:\[([A-Z]+)\]|([A-Z]))\\d\+\)")


def fam(rule, pattern, req=None, **opts):
    opts["req"] = frozenset(req) if req else None
    found = _GROUP_RE.findall(pattern)
    if not found or len(found) != pattern.count("(?P<g"):
        raise ValueError(f"group placeholder not of the form (?P<g>GR[..]\\d+): {pattern[:80]}")
    # a needs_group family may report any placeholder of the clause
    opts["kinds"] = frozenset(
        "PSXAKQ" if opts.get("needs_group") else "".join(a + b for a, b in found)
    )
    FAMILIES.append((rule, re.compile(pattern), opts))


# ---- violence / expulsion calls (hold) ------------------------------------------------------
fam(
    "violence_call",
    rf"\bdeath to {OBJGAP}(?:(?:{INT}|{NEGW}) ){{0,2}}{GOBJ}",
    req=frozenset({"death"}),
)
fam(
    "violence_call",
    rf"(?:^{INTERJ}|\b{TRIG} )(?:(?:just|all|simply|finally|go|now|quickly|please|ahead and|and|really|then|gladly|happily) ){{0,3}}(?P<v>{VVERB}) {OBJGAP}(?:(?:{INT}) ){{0,2}}(?:[a-z]+ (?:and|,) {OBJGAP})?{GOBJ}(?! (?:who|that|which)\b)",
    req=W_VV,
)
fam(
    "violence_call",
    rf"(?:^{INTERJ}|\b{TRIG} )(?:(?:just|all|simply|finally|go|now|please|then) ){{0,2}}make {OBJGAP}{GANY} (?:suffer|pay|bleed|disappear|die)\b",
    req=frozenset({"make"}),
)
fam(
    "violence_call",
    rf"{GANY}{LIKEYOU} (?:(?:all|just|simply|really|,|each|every one|of them) ){{0,3}}(?:should|must|need to|needs to|ought to|deserve to|deserves to|better|have to|has to|will have to) (?:(?:all|just|simply|be|get|finally|really|each|fucking|immediately|now|either|being|publicly) ){{0,3}}(?:{VPP}|die|burn|rot|hang|suffer|perish|drop dead|be wiped|go back (?:home|to (?!(?:work|school|bed|sleep|normal|basics|the drawing board|church|the mosque|their jobs|it|that|this|what)\b)(?![a-z]+ing\b)[a-z]+)(?= [.!?,;]| $|$)|go back to (?:where they came from|their (?:own )?(?:country|countries|homeland|lands?|shitholes?|deserts?|caves?))|get out of (?:our|my|this|the) \S+|leave (?:our|my|this) (?:country|land|countries|continent|city|town))\b",
    req=frozenset("should must need needs ought deserve deserves better have has".split()),
)
# "Hitler had the right idea about the Jews": endorsing what was done to a people
fam(
    "violence_call",
    rf"\bhad (?:the )?(?:right|correct) idea (?:about|with|on|for) {OBJGAP}{GANY}",
    req=frozenset({"idea"}),
)
# "throw every last Tamil into the sea": a people thrown where they drown or burn
fam(
    "violence_call",
    rf"(?:^{INTERJ}|\b{TRIG} )(?:(?:just|simply|finally) )?(?:throw|toss|dump|push|drive|chuck|march) {OBJGAP}{GANY} "
    rf"(?:\S+ )?(?:into|in|off) (?:the )?(?:sea|ocean|river|strait|lake|fire|furnace|ovens?|gas chambers?|cliffs?|cliff|\w+ (?:sea|strait|river|ocean))\b",
    req=frozenset("throw toss dump push drive chuck march".split()),
)
# "flatten Gaza with every Palestinian in it", "wipe Israel off the map, and every Israeli with it"
fam(
    "violence_call",
    rf"(?:^{INTERJ}|\b{TRIG} )(?:(?:just|simply|finally) )?(?:{VVERB}|wipe|level|nuke) [^.;!?]{{1,40}}?"
    rf"(?:with|and) (?:every|all the|all|each) (?:(?:last|single|remaining) )?(?P<g>GR[PSX]\d+) (?:in it|with it|inside|in there|along with it)\b",
    req=frozenset({"with", "and"}),
)
# "every Alawite village should be burned": a people's places as the target of a call
fam(
    "violence_call",
    rf"\b(?:every|each|all|all the|the|their|those|these) (?:(?:last|single|remaining|damn|bloody) )?(?P<g>GRA\d+) \S+ (?:(?:in|of|across) \S+ )?"
    rf"(?:should|must|need to|needs to|ought to|deserve to|deserves to|has to|have to) (?:(?:all|just|simply|be|get|finally|really) ){{1,3}}(?:{VPP}|flattened|razed|torched|bulldozed|levelled|leveled|blown up|blown to bits|set on fire|set alight)\b",
    req=frozenset("should must need needs ought deserve deserves has have".split()),
)
fam(
    "violence_call",
    rf"\b(?:the )?only good {GANY} (?:is|are) (?:a |an )?dead\b",
    req=frozenset({"good"}),
)
fam(
    "violence_call",
    rf"\bgood {GANY} (?:is|are) (?:a |an )?dead (?:one|ones|GR[PSX]\d+)\b",
    req=frozenset({"good"}),
)
fam(
    "violence_call",
    rf"{GANY}{LIKEYOU} (?:(?:all|just|really) ){{0,2}}(?P<n>don't|do not|doesn't|does not|shouldn't|should not|must not|mustn't|have no right to|has no right to|do not deserve to|don't deserve to|doesn't deserve to|are not worthy of|aren't worthy of|do not have the right to|don't have the right to) (?:deserve to |be allowed to |even )?(?:live|exist|breathe|be alive|living|life)\b",
    req=frozenset("live exist breathe alive living life".split()),
)
fam(
    "violence_call",
    rf"\b(?:i|we) (?:(?:really|just|truly|honestly|all|do) ){{0,2}}(?:wish|hope|pray) (?:that )?{OBJGAP}{GANY}{LIKEYOU} (?:(?:would|will|could|all|just|had|were) ){{0,2}}(?:die|be killed|get killed|were dead|be dead|burn|rot|be wiped out|be exterminated|be gassed|be shot|drop dead|perish|disappear|their throats cut|be eradicated|be slaughtered|be hanged|be executed)\b",
    req=frozenset("wish hope pray".split()),
)
fam(
    "violence_call",
    rf"\b(?:i|we|i'd|we'd) (?:would )?(?:(?:really|just|truly|absolutely) )?(?:love|like|want|enjoy|be happy|be glad) to see {OBJGAP}{GANY}{LIKEYOU} (?:(?:all|just) )?(?:die|dead|suffer|burn|hang|killed|shot|gassed|wiped out|exterminated|eradicated|slaughtered|executed|expelled|deported|rot|perish)\b",
    req=frozenset({"see"}),
)
fam(
    "violence_call",
    rf"\b(?:world|earth|region|country|planet|we|everyone|everybody|syria|lebanon|iraq|europe|middle east|humanity|society|it) (?:would be|will be|'d be|is|are|would all be) (?:a |an )?(?:much |so much |far |a lot |way )?(?:better|safer|nicer|cleaner|happier)(?: place)?(?: off)? without {OBJGAP}{GANY}",
    req=frozenset({"without"}),
)
fam(
    "violence_call",
    rf"(?:^{INTERJ}|\b{TRIG} )(?:(?:just|all|simply|finally|now|please) ){{0,2}}(?:kick|throw|drive|chase|get|run|boot|force|send|ship) {OBJGAP}{GANY} (?:out|into the sea|the fuck out|the hell out|out of (?:our|my|this|the) \S+)\b",
    req=frozenset("kick throw drive chase get run boot force send ship".split()),
)
fam(
    "violence_call",
    rf"(?:^{INTERJ}|\b{TRIG} )(?:(?:just|all|simply|finally|now|please) ){{0,2}}(?:send|ship|deport) {OBJGAP}{GANY} (?:back|home|away)\b",
    req=frozenset("send ship deport".split()),
)
fam(
    "violence_call",
    rf"^{INTERJ}{GP} (?:out|go home|get out|go back home|out now|raus|must go|must die|must leave|must be expelled)(?: (?:of|from) \S+(?: \S+)?)?(?: [.!?,;]| !|$)",
    req=frozenset("out go get raus must".split()),
)
fam("violence_call", rf"\bno mercy (?:for|to) {OBJGAP}{GANY}", req=frozenset({"mercy"}))
fam(
    "violence_call",
    rf"(?:execution|extermination|genocide|expulsion|deportation|death|a bullet|the gas chamber|gas chambers) is the (?:only |best |final )?(?:solution|answer|cure) (?:for|to) {OBJGAP}{GANY}",
    req=frozenset("solution answer cure".split()),
)
fam(
    "violence_call",
    rf"\b(?:raping|murdering|killing|shooting|lynching|hanging|torturing) (?:a |an |any |all )?{GANY}{LIKEYOU} should (?P<n>not be illegal|be legal|be allowed|be decriminalised|be decriminalized|be encouraged)",
    req=frozenset("raping murdering killing shooting lynching hanging torturing".split()),
)

fam(
    "violence_call",
    rf"(?:^{INTERJ}|\b{TRIG} )(?:(?:just|all|simply|finally|now|please|then) ){{0,2}}(?:wipe|stamp|root|snuff|kick|throw|drive|chase|burn|smoke|finish|round|gas|bomb|nuke|shoot|string|lock|boot|run) {OBJGAP}{GOBJ}{LIKEYOU} (?:(?:all|each|every one of them) ){{0,2}}(?:out|off|up|down|away)\b(?! (?:for|to|with|of)\b)",
    req=frozenset(
        "wipe stamp root snuff kick throw drive chase burn smoke finish round gas bomb nuke shoot string lock boot run".split()
    ),
)

# ---- dehumanisation -------------------------------------------------------------------------
fam(
    "dehumanisation",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?:{SHORTGAP})?(?:{COPP}) {GAP}(?:(?![a-z]+ing )[a-z]+ )?(?P<h>{DEHUM})\b(?! (?:of|in|at|as a|in a)\b)",
    subject=True,
    req=W_DEHUM,
)
fam(
    "dehumanisation",
    rf"{SUBJ_S}{GS}{LIKEYOU} (?:{COPS}) {GAP}(?P<h>{DEHUM})\b(?! (?:of|in|on)\b)",
    subject=True,
    req=W_DEHUM,
)
fam(
    "dehumanisation",
    rf"{GP}{LIKEYOU} (?:are|'re|were) (?P<n>not|no longer|never|not even|not really) (?:even |really |fully |real )?(?:human|humans|people|human beings|real people|real humans|persons)\b",
    subject=True,
    req=frozenset("human humans people persons".split()),
)
fam(
    "dehumanisation",
    rf"\b(?:nothing but|just|merely|no better than|worse than) (?:(?:a|an|the|common|fucking|filthy|dirty) ){{0,2}}(?P<g>GR[AP]\d+) (?P<h>{DEHUM})\b",
    req=W_DEHUM,
)
fam("dehumanisation", rf"(?P<g>GRA\d+) (?P<h>{DEHUM})\b", req=W_DEHUM)
fam(
    "dehumanisation",
    rf"^(?:{INTERJ})(?:they|they're|theyre) (?:are |'re |were )?{GAP}(?P<h>{DEHUM}) (?:, )?(?:(?:these|those|the|all|damn|bloody|fucking) ){{1,2}}{GP}",
    req=W_DEHUM,
)
fam(
    "dehumanisation",
    rf"\b(?:swarms?|hordes?|plague|infestation|nests?|packs?|herds?|invasion|vermin) of {SHORTGAP}{GP}",
    req=frozenset(
        "swarm swarms horde hordes plague infestation nest nests pack packs herd herds invasion vermin".split()
    ),
)
fam(
    "dehumanisation",
    rf"{SUBJ_P}{GP} (?:are |keep )?(?:infesting|infest|swarming|swarm|breeding like|breed like|multiply like|multiplying like|spreading like|spread like)\b",
    subject=True,
    req=frozenset(
        "infesting infest swarming swarm breeding breed multiply multiplying spreading spread".split()
    ),
)
fam(
    "dehumanisation",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?:(?:{INT}) ){{0,2}}(?:are|breed|multiply|behave|act|live|spread|reproduce) (?:just |exactly )?like {SHORTGAP}(?P<h>{DEHUM})\b",
    subject=True,
    req=W_DEHUM,
)
fam(
    "dehumanisation",
    rf"{GP} (?P<n>don't|do not|doesn't|never) matter\b",
    subject=True,
    req=frozenset({"matter"}),
)
fam(
    "dehumanisation",
    rf"{GP} (?:are|were) (?:(?:{INT}) ){{0,2}}(?P<n>worth (?:nothing|less than|absolutely nothing|shit)|not worth (?:anything|shit|saving|protecting|a damn))",
    req=frozenset({"worth"}),
)
fam(
    "dehumanisation",
    rf"{GANY} (?:belong|belongs) in (?:a |the )?(?:zoo|cage|cages|jungle|gutter|sewer|trash|bin|landfill)\b",
    req=frozenset({"belong", "belongs"}),
)

# ---- reverse generalisation ----------------------------------------------------------------
_RQ = r"(?P<q>all|every|each|most|almost all|nearly all|all of the|all the|every single|the vast majority of|the majority of|99 ?% of|nearly every|almost every|virtually all|practically all)"
_LOC = r"(?:(?:in|around|across|of|from|on) (?:\S+ ){1,3}?)?"
_RCOP = r"(?:are|is|were|was|seem to be|happen to be|turn out to be|come from|are committed by|were committed by|are carried out by|are done by|are caused by|are perpetrated by|have been|'re)"
_RADV = r"(?:(?:all|always|only|mostly|basically|practically|invariably|just|exclusively|somehow|of course|,|nearly always|almost always|without exception|every time|also) ){0,3}"
fam(
    "reverse_generalisation",
    rf"\b{_RQ} (?:(?:the|these|of) )?(?:(?:{INT}) ){{0,2}}(?P<b>{BADCAT}|{BADEVENT}) {_LOC}{_RCOP} {_RADV}(?:(?:committed|carried out|done|perpetrated|caused) by )?(?:a |an |the )?(?:(?:{INT}) ){{0,2}}(?P<g>GR[PSXK]\d+)",
    req=W_BAD,
)
fam(
    "reverse_generalisation",
    rf"\b(?:the )?(?P<b>{BADCAT}|{BADEVENT}) {_LOC}(?:are|is|'re|seem to be) (?:(?:all|always|only|mostly|basically|practically|invariably|exclusively|almost always|nearly always|without exception|,) ){{1,3}}(?:(?:committed|carried out|done|perpetrated|caused) by )?(?:a |an |the )?(?P<g>GR[PSXK]\d+)",
    req=W_BAD,
)
fam(
    "reverse_generalisation",
    rf"\bonly {GP} (?:are|can be|could be|would|will|commit|do|blow|become|rape|behead|bomb) (?:(?:{INT}|that|capable|of) ){{0,4}}(?P<h>{NEGW}|{BADCAT}|{BADEVENT}|such things|such crimes)\b",
    req=frozenset({"only"}),
)
fam(
    "reverse_generalisation",
    rf"\b(?:whenever|every time|when) (?:there is|there's|theres|you hear of|you hear about|i hear of|you see) (?:a |an )?(?:{BADCAT}|{BADEVENT}|terror attack|terrorist attack|bombing|attack|massacre|beheading|rape|crime|stabbing|shooting) (?:, )?(?:it's|its|it is|it was) (?:always |usually |invariably )?(?:a |an |the )?{GANY}",
    req=W_BAD,
)

# ---- equation ------------------------------------------------------------------------------
_EQ = r"(?:=+|≡|=>|->|equals|equal|means|mean|aka|a\.k\.a\.?|is synonymous with|are synonymous with|is the same as|are the same as|same as)"
fam(
    "equation",
    rf"(?P<g>GR[PSXK]\d+) (?:{_EQ} )+(?:(?:\S+ ){{1,2}}{_EQ} )?(?:(?:{INT}) ){{0,2}}(?P<h>{BADCAT}|{NEGW}|{BADEVENT})",
    req=W_EQ,
)
fam(
    "equation",
    rf"(?P<h>{BADCAT}|{BADEVENT}) (?:(?:=+|equals|equal|means|mean|aka) )+(?:a |an |the )?(?P<g>GR[PSXK]\d+)",
    req=W_EQ,
)
fam(
    "equation",
    rf"(?P<g>GR[PSX]\d+) (?:and|or|,|/|&) (?:a |an )?(?P<h>{BADCAT}) (?:(?:are|is|,|-|:|it's|its|all|it|same|thing) ){{0,2}}(?:the )?(?:exact |very )?(?:same|one and the same|synonyms|synonymous|interchangeable|identical)\b",
    req=W_EQ,
)
fam(
    "equation",
    rf"\b(?P<n>no|not any|not much of a|hardly any) difference between (?:a |an |the )?(?P<g>GR[PSX]\d+) and (?:a |an |the )?(?P<h>{BADCAT}|{DEHUM})",
    req=W_EQ,
)
fam(
    "equation",
    rf"\b(?P<n>no|not any|not much of a|hardly any) difference between (?:a |an |the )?(?P<h>{BADCAT}|{DEHUM}) and (?:a |an |the )?(?P<g>GR[PSX]\d+)",
    req=W_EQ,
)
fam(
    "equation",
    rf"(?P<g>GR[PSX]\d+) (?:is|are) (?:just |simply |basically |only )?(?:another |a |the )?(?:word|synonym|name|euphemism|code word|codeword|polite word|nicer word) for (?:a |an )?(?P<h>{BADCAT}|{NEGW})",
    req=W_EQ,
)
fam("equation", r"(?P<g>GRK\d+) (?P<h>\S+)")

# ---- essentialism --------------------------------------------------------------------------
_ESS_NOUN = r"(?:blood|dna|genes|gene|nature|veins|bones|genetics|genetic code|genetic makeup|genetic make-up|culture|mentality)"
fam(
    "essentialism",
    rf"\b(?:in|runs in|run in|is in|are in|part of|written in|coded in|deep in|inside) (?:the |their |his |her |its |a |an )?(?:GR[QA]\d+ |(?P<g>GR[QA]\d+) )?{_ESS_NOUN}(?: of (?:the |all |every |a |an |these |those )?(?P<g2>GR[PSX]\d+))?",
    neg_any=True,
    needs_group=True,
    req=W_ESS | frozenset("mindset psychology character instinct instincts".split()),
)
fam(
    "essentialism",
    rf"{SUBJ_P}{GANY} (?:(?:{INT}) ){{0,2}}(?:{COPP}|{COPS}|{HABIT_CHAR}|{HABIT_ACT})(?: \S+){{0,4}}? (?P<e>by nature|naturally|inherently|innately|genetically|biologically|congenitally|born|natural born|natural-born|by birth|by definition|at heart|in essence|to the core|hard-wired|hardwired|wired to|programmed to|genetically programmed)\b(?! (?:in|after|before|here|abroad|and|to|into|outside|on|during|with|as|there|from)\b)",
    neg_any=True,
    subject=True,
    req=W_ESSADV,
)
fam(
    "essentialism",
    rf"\b(?P<e>by nature|by their nature|by definition|genetically|inherently|innately|at heart) (?:, )?(?:{SHORTGAP})?(?P<g>GR[PSX]\d+)",
    neg_any=True,
    req=W_ESSADV,
)
fam(
    "essentialism",
    rf"(?:^|\b(?:that's|thats|that is|this is|it's|its|it is|isn't it|is it not|wasn't it|so|how|just|very|all|such|more|another|again|what|yet another|as usual|,) |^(?:{INTERJ}))(?:typical|classic|so typical|how typical|just typical|typically)(?: of)? (?:(?:a|an|the|those|these|all|you|them|your|their) )?(?:(?P<g>GR[PSXQ]\d+)(?: {ESSENCE})?(?= [.!?,;:…)]| to\b| and\b| -| lol| behaviou?r| again| as usual|$)|(?P<g2>GRA\d+) {ESSENCE}\b)",
    req=frozenset("typical classic typically".split()),
)
fam(
    "essentialism",
    rf"\bonce (?:a |an )?{GANY} (?:, )?(?:always|forever) (?:a |an )?(?:GR[PSX]\d+|one)",
    req=frozenset({"once"}),
)
fam(
    "essentialism",
    rf"{SUBJ_P}{GANY} (?:(?:{INT}) ){{0,2}}(?P<n>will never|can never|never|won't ever|won't|will not|cannot|can't|don't|do not|never will|never ever) (?:ever )?change\b(?! (?:their|its|his|her|the|a|an|our|anything|much|sides|course|hands|tack|direction)\b)",
    subject=True,
    req=frozenset({"change"}),
)
fam(
    "essentialism",
    rf"{GANY}{LIKEYOU} (?:(?:just|really|simply|all|simply|truly) ){{0,2}}(?P<n>can't|cannot|can not|couldn't|could not) (?:help|stop) (?:themselves|itself|it|being|but)\b",
    subject=True,
    req=frozenset({"help", "stop"}),
)
fam(
    "essentialism",
    r"\b(?:the )?(?P<g>GRA\d+) (?:mentality|mindset|nature|psychology|character|instinct|instincts|dna|genes|blood) (?:is|are|has always been|was|will always be|means)\b",
    neg_any=True,
    req=W_ESS | frozenset("mindset psychology character instinct instincts".split()),
)
fam(
    "essentialism",
    r"\bit'?s in (?:a |an |the |their )?(?P<g>GR[QPSX]\d+) (?:nature|blood|dna|genes)",
    neg_any=True,
    req=W_ESS | frozenset("mindset psychology character instinct instincts".split()),
)

# ---- homogeneity ---------------------------------------------------------------------------
_SAME = r"(?:the same|alike|all alike|one and the same|identical|interchangeable|the same everywhere|carbon copies|clones)"
fam(
    "homogeneity",
    rf"{SUBJ_P}{GP} (?:{SHORTGAP})?(?:are|'re|were) (?P<a>all |just |really |basically |,)*{_SAME}(?! (?:as|to|like|of|in|rights|way|thing|people|ones|age|size|language)\b)",
    subject=True,
    need_all=True,
    req=W_SAME,
)
fam(
    "homogeneity",
    rf"^(?:{INTERJ})(?:they|they're|theyre) (?:are |'re )?all (?:the same|alike)(?: ,| :| -)? (?:(?:those|these|the|all|damn|bloody|fucking) )?{GP}",
    req=W_SAME,
)
fam(
    "homogeneity",
    ignore_subset=True,
    pattern=rf"\b(?P<n>no such thing as|there is no|there's no|there are no|theres no|there ain't no|there aint no|never met|never seen|never known) (?:a |an |any )?(?:such thing as (?:a |an )?)?(?:good|moderate|peaceful|innocent|decent|honest|nice|civilised|civilized|trustworthy|kind|loyal|honourable|honorable|reasonable|harmless|non-violent|nonviolent|friendly|liberal|secular|educated|smart|clean|normal) {GANY}",
    req=frozenset("no there theres never".split()),
)
fam(
    "homogeneity",
    ignore_subset=True,
    pattern=rf"\b(?P<n>no|not a single|not one|none of the) {GANY} (?:is|are|can be|can ever be|could ever be|could be|was|will ever be|will be|has ever been) (?:(?:{INT}) ){{0,2}}(?:innocent|moderate|good|peaceful|trustworthy|decent|honest|civilised|civilized|loyal|harmless|a good person|good people|innocent civilians|civilians|peaceful|(?:a |an )?(?:valuable|useful|productive|good|decent|worthy|real|true|loyal|proper) (?:member|members|citizen|citizens|person|people|neighbou?rs?|human beings?|part of (?:our |this )?(?:society|country|nation)))\b",
    req=frozenset("no not none".split()),
)
fam(
    "homogeneity",
    ignore_subset=True,
    pattern=rf"\bseen one {GANY} (?:, )?(?:(?:you've|you have|youve|and|you|ive|i've|have) ){{0,2}}seen (?:them all|'em all|em all|all of them|them|all)\b",
    req=frozenset({"seen"}),
)
fam(
    "homogeneity",
    rf"\b(?:every|each) {GS} (?:is|are) (?:just |basically )?(?:the same|alike)(?! (?:as|to)\b)",
    req=W_SAME,
)

# ---- distrust ------------------------------------------------------------------------------
fam(
    "distrust",
    rf"\b(?P<n>never|don't|do not|dont|can't|cannot|can not|shouldn't|should not|must not|mustn't|won't|wouldn't|never ever|do not ever|don't ever|you can't|you cannot|you can never|you should never|one can never|one should never|no one should|nobody should|no one can|nobody can|i'd never|i would never|i will never|i'll never|never ever) (?:ever |really |fully )?(?:trust|believe|rely on|turn your back on|turn your back to|count on|depend on) (?:(?:a|an|any|the|them|those|these|one|single|word|of|from|said|by|anything|what|that|says|a word|any word|say|tell|you|with|your|back|life|money|spoken|written|told) ){{0,6}}{GANY}",
    req=W_TRUST,
)
fam(
    "distrust",
    rf"{SUBJ_P}{GANY}{LIKEYOU} (?:(?:{INT}) ){{0,2}}(?P<n>can't|cannot|can not|can never|could never|should never|must never|are not to|will never|can't ever|won't ever|are never to|shouldn't|should not|must not|mustn't|aren't to|are not|aren't|is not|isn't|never|are never|is never|can hardly) (?:ever |really |fully |be )?(?:be )?(?:trusted|trustworthy|to be trusted|reliable|relied on|relied upon|believed|trustable)\b",
    subject=True,
    req=W_TRUST,
)
fam(
    "distrust",
    rf"\b(?P<n>no|not a single|not one|not any) {GANY} (?:can|should|could|will|is to|are to|is|are) (?:ever |really )?(?:be )?(?:trusted|believed|relied on|relied upon|trustworthy)",
    req=W_TRUST,
)
fam(
    "distrust",
    rf"\btrust (?:a |an |any |the )?{GANY} (?:and|,) (?:you'll|you will|you'd|you|youll) (?:(?:will|end up|soon|always) ){{0,2}}(?:regret|be sorry|get stabbed|be betrayed|be stabbed|die|lose|pay)",
    req=W_TRUST,
)
fam("distrust", rf"\bbeware (?:of )?(?:the |any |all |every )?{GANY}", req=W_TRUST)
fam(
    "distrust",
    rf"{SUBJ_P}{GANY}{LIKEYOU} (?:{COPP}|{COPS}) (?:(?:{INT}) ){{0,3}}(?P<h>untrustworthy|unreliable|untrustable|not trustworthy|not to be trusted|backstabbers|backstabbing|two-faced|two faced)\b",
    subject=True,
    req=W_TRUST,
)
fam("distrust", rf"\bnever (?:turn your back on|trust|believe) {OBJGAP}{GANY}", req=W_TRUST)

# ---- collective fate -----------------------------------------------------------------------
_FATE_END = r"(?= (?:[.!?,;:…]|and|again|as|in the end|every time|forever|like|once|,|in|this|whatever|no matter|eventually|at)\b| [.!?,;:…]|$)"
fam(
    "collective_fate",
    rf"{SUBJ_P}{GP} (?:(?:{INT}|as usual|once again|again|,|as always) ){{0,3}}(?:will|'ll|are going to|are gonna|shall|always|will always|will again|are destined to|are doomed to|are bound to|are set to|are about to|gonna|end up|always end up|will end up|will always end up|will once again|would|must) (?:(?:always|again|once again|just|all|only|ever|still|eventually|surely|definitely|certainly|probably|end up|be left to) ){{0,2}}(?P<h>{FATE}){_FATE_END}",
    subject=True,
    fate=True,
    req=W_FATE,
)
fam(
    "collective_fate",
    rf"{SUBJ_P}{GP} (?:(?:{INT}) ){{0,2}}(?:are|'re|will be|will always be|were always|have always been|remain|will remain|are and will be|are always) (?:(?:{INT}) ){{0,2}}(?P<h>{FATESTATE})\b",
    subject=True,
    fate=True,
    req=W_FATE,
)
fam(
    "collective_fate",
    rf"{SUBJ_P}{GP} (?:(?:{INT}) ){{0,2}}(?:deserve|deserved|got|get|will get|are getting|deserve to get) (?:(?:all|exactly|just) )?(?:nothing|what they get|what they got|everything they get|whatever they get|what's coming|what is coming|what's coming to them|all they get|what they deserve|what they deserved|what they had coming|what was coming to them)\b",
    subject=True,
    fate=True,
    req=W_FATE,
)
fam(
    "collective_fate",
    rf"\bas (?:usual|always) (?:, )?{GP} (?:(?:will|'ll|are|get|end up|will end up|always) ){{1,2}}(?:(?:be |get |)(?:nothing|the losers|losers|screwed|fucked|betrayed|sold out|cannon fodder|left behind|abandoned|slaughtered|wiped out|crushed|the victims|lose))\b",
    fate=True,
    req=frozenset({"usual", "always"}),
)

_HEAD = rf"(?P<h>{NEGW}(?: (?:and |or |, |& )?{NEGW}){{0,3}})"
# ---- open-class forms (v2) -----------------------------------------------------------------
# positive traits whose negation or absence is a negative evaluation ("never honest", "no shame")
POS_TRAITS = alt(
    _singulars(
        [
            "honest",
            "honesty",
            "loyal",
            "loyalty",
            "decent",
            "decency",
            "trustworthy",
            "intelligent",
            "intelligence",
            "smart",
            "clever",
            "civilised",
            "civilized",
            "civilisation",
            "civilization",
            "human",
            "humanity",
            "any good",
            "good",
            "kind",
            "kindness",
            "honour",
            "honor",
            "honourable",
            "honorable",
            "moral",
            "morals",
            "morality",
            "grateful",
            "gratitude",
            "clean",
            "capable",
            "competent",
            "faithful",
            "truthful",
            "the truth",
            "fair",
            "fairness",
            "peaceful",
            "compassion",
            "compassionate",
            "empathy",
            "attractive",
            "generous",
            "generosity",
            "brave",
            "courage",
            "courageous",
            "reliable",
            "hard-working",
            "hardworking",
            "shame",
            "manners",
            "conscience",
            "dignity",
            "integrity",
            "self-respect",
            "respect",
            "principles",
            "values",
            "culture",
            "brains",
            "sense",
            "common sense",
            "souls",
            "soul",
            "scruples",
            "empathy",
            "remorse",
            "loyalty",
            "trust",
            "gratitude",
            "sincere",
            "sincerity",
            "worthy",
            "valuable",
            "equal",
            "our equal",
            "civil",
            "polite",
            "tolerant",
            "tolerance",
            "rational",
            "reason",
            "logic",
            "hygiene",
            "democracy",
            "progress",
            "peace",
            "self-government",
            "self-rule",
            "thought",
            "love",
            "forgiveness",
        ]
    )
)
_NEGP = (
    r"(?P<n>never|not|not ever|never ever|incapable of|not capable of|devoid of|lacking in|"
    r"lacking|without any|without|unable to be|too stupid to be|too primitive to be|"
    r"too primitive for|too dumb to be|have no|has no|have zero|has zero|lack|lacks|"
    r"have never had|know no|never show|never had|don't have|do not have|have not got|"
    r"haven't got|have nothing of|know nothing of|have not an ounce of|don't know the meaning of)"
)
W_POS = fw(
    [
        "never",
        "not",
        "incapable",
        "devoid",
        "lacking",
        "lack",
        "lacks",
        "without",
        "unable",
        "too",
        "no",
        "zero",
        "don't",
        "do",
        "haven't",
        "have",
        "know",
        "capable",
    ]
)
fam(
    "generic",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?:(?:{INT}) ){{0,2}}(?:(?:are|'re|were|will be|can be|"
    rf"will never be|can never be|are just|are simply|remain) )?(?:(?:{INT}) ){{0,2}}{_NEGP} "
    rf"(?:(?:ever|any|at all|really|truly|be|being|capable of|even|an ounce of|a shred of|a sense of|"
    rf"a single|one|the|of|a|an|basic|any sense of) ){{0,3}}(?P<h>{POS_TRAITS})\b(?! (?:for|to|in|about|with|at|toward|towards|but)\b)",
    subject=True,
    req=W_POS,
)
fam(
    "generic",
    rf"{SUBJ_S}{GS}{LIKEYOU} (?:(?:{INT}) ){{0,2}}(?:(?:is|will be|can be|will never be|can never be) )?(?:(?:{INT}) ){{0,2}}{_NEGP} "
    rf"(?:(?:ever|any|at all|really|truly|be|being|capable of|even|an ounce of|a shred of|of|a|an|the) ){{0,3}}(?P<h>{POS_TRAITS})\b(?! (?:for|to|in|about|with|at|but)\b)",
    subject=True,
    req=W_POS,
)

# possessive essentialism: "have treachery in their bones"
_ESS_NEG = alt(
    _singulars(
        [
            *VALENCE_NEG,
            *ABSTRACT,
            "treachery",
            "cowardice",
            "deceit",
            "greed",
            "laziness",
            "cruelty",
            "dishonesty",
            "thievery",
            "theft",
            "stealing",
            "lying",
            "violence",
            "hatred",
            "savagery",
            "barbarism",
            "betrayal",
            "corruption",
            "stupidity",
            "arrogance",
            "fanaticism",
            "evil",
            "filth",
            "backstabbing",
            "cunning",
            "deception",
            "wickedness",
            "villainy",
            "murder",
            "crime",
            "criminality",
            "terror",
            "terrorism",
            "hate",
        ]
    )
)
fam(
    "essentialism",
    rf"{GANY}{LIKEYOU} (?:(?:{INT}) ){{0,2}}(?:have|has|had|carry|carries|got|"
    rf"have got|were born with|are born with|inherit) (?:(?:{INT}) ){{0,2}}(?P<h>{_ESS_NEG}) "
    rf"(?:(?:and|or|,) (?:\S+ ){{1,2}})?(?:in|running through|in all) (?:their|his|her|its|the|GR[QP]\d+) "
    rf"(?:very )?(?:blood|bones|dna|genes|veins|nature|hearts?|souls?|guts|marrow|heritage|upbringing)\b",
    subject=True,
    req=frozenset(
        "blood bones dna genes veins nature heart hearts soul souls guts marrow heritage upbringing".split()
    ),
)

# questions that presuppose the trait: "why are X so sneaky?"
fam(
    "generic",
    rf"^(?:{INTERJ})why (?:is it that |do |are )?(?:(?:all|the|these|those|so many|most) )?{GP} (?:(?:are|is|always|all|just) ){{0,2}}(?:so|always|such|all so) (?:(?:{INT}) ){{0,2}}{_HEAD}",
    req=W_NEG,
)

# "X lives are worthless / do not matter"
fam(
    "dehumanisation",
    rf"(?P<g>GRA\d+) (?:lives|life) (?:(?:are|is|were|really|just|simply) ){{0,2}}(?:(?:{INT}) ){{0,2}}(?P<n>not worth|aren't worth|are not worth|isn't worth|is not worth|worthless|worth nothing|worth absolutely nothing|worth less|do not matter|don't matter|doesn't matter|does not matter|have no value|has no value|should not be important|shouldn't be important|shouldn't matter|should not matter|mean nothing|are meaningless|count for nothing|are cheap|are expendable)",
    req=frozenset({"lives", "life"}),
)

# the group named after the claim: "they come here and ruin everything, these X"
fam(
    "generic",
    rf"^(?:{INTERJ})(?:they|they're|theyre) (?:(?:[a-z']+) ){{0,5}}?(?P<h>{HABIT_CHAR}|{HABIT_ACT})\b(?: [a-z']+){{0,3}} (?:, )?(?:(?:these|those|the|all|damn|bloody|fucking) ){{1,2}}{GP}",
    req=W_HABIT,
)

fam(
    "generic",
    rf"^why do (?:(?:all|the|these|those|so many|most) )?{GP} (?:always )?(?P<h>{HABIT_CHAR}) (?:so much|all the time|so often|constantly)\b",
    req=W_HABIT,
)
fam(
    "generic",
    rf"\bis there (?:anything|anyone|anybody|something) (?P<h>more {NEGW}|worse|lower|dumber|stupider|dirtier|lazier) than (?:a |an |the |these |those )?{GANY}",
    req=frozenset({"there"}),
)
fam(
    "violence_call",
    rf"^(?:{INTERJ})(?:they|them) (?:(?:all|just|simply|really|,) ){{0,2}}(?:should|must|need to|ought to|have to|will have to|are to be|deserve to) (?:(?:all|just|simply|be|get|finally|immediately|now) ){{0,3}}"
    rf"(?:{VPP}|sent packing|sent home|sent back|shipped out|shipped back|kicked out|thrown out|driven out|expelled|deported|got rid of|gotten rid of|rounded up|locked up)\b(?: [a-z']+){{0,3}} (?:, )?(?:(?:these|those|the|all|damn|bloody|fucking) ){{1,2}}{GP}",
    req=frozenset("should must need ought have will are deserve".split()),
)

# demeaning comparisons: "my cat is smarter than any Tajik"
_LOWLY = (
    "cat|dog|goat|pig|rat|monkey|donkey|cow|rock|brick|chair|toaster|parrot|hamster|fish|"
    "animal|insect|cockroach|child|toddler|baby|snail|sheep|mule|chimp|ape|potato|turnip|"
    "stone|log|doorknob|tree|plant|worm|dog's|goldfish"
)
fam(
    "dehumanisation",
    rf"\b(?:(?:my|a|an|the|that|this|any|your|our) )?(?:{_LOWLY})s? (?:(?:is|are|was|has|have|would be|could be) )(?:(?:far|way|much|a lot|so|even|still|probably) )?"
    rf"(?:more \S+|\S+er|better|worth more|more valuable|more useful|more human|more civilised|more civilized) than "
    rf"(?:(?:any|all|every|the average|your average|a|an|most|the|these|those|of|you|some|single) ){{0,3}}{GANY}",
    req=frozenset(_LOWLY.replace("dog's", "dog").split("|")),
)
fam(
    "dehumanisation",
    rf"{SUBJ_P}{GP} (?:(?:{INT}) ){{0,2}}(?:are|'re) (?:(?:{INT}) ){{0,2}}(?:dumber|stupider|dirtier|lower|worse|uglier|filthier|lazier) than (?:(?:a|an|the|my|your|any) )?(?:{_LOWLY}|animals|dogs|pigs|rats|monkeys|apes|goats|cattle|insects)\b",
    subject=True,
    req=frozenset("dumber stupider dirtier lower worse uglier filthier lazier".split()),
)

# identity as verdict: "show me a Copt and I'll show you a traitor"
fam(
    "generic",
    rf"\b(?:show|give|find|bring) me (?:a|an|one|any) {GANY} (?:and|,) (?:i'll|i will|ill|and i'll|and i will) (?:show|give|find) you (?:a|an) (?:(?:{INT}) ){{0,2}}(?P<h>\S+)",
    req=frozenset({"show", "give", "find", "bring"}),
)
fam(
    "generic",
    rf"\bscratch (?:a|an|any) {GANY} (?:and|,) (?:you'll|you will|youll|you) (?:find|get) (?:a|an) (?P<h>\S+)",
    req=frozenset({"scratch"}),
)
fam(
    "generic",
    rf"\b(?:wherever|whenever|where) (?:there (?:is|are)|there's|you find|you see) (?:a |an |){GANY} (?:, )?(?:there (?:is|are|will be)|there's|you'll find|you find|you get) (?:(?:always|also) )?(?P<h>{NEGW}|{BADCAT}|{BADEVENT}|trouble|crime|problems|blood|bloodshed|violence|death|chaos|war|terror|misery|poverty|dirt|filth|theft)",
    req=frozenset("wherever whenever where".split()),
)

# deserving violence: "each Ismaili deserves a noose"
fam(
    "violence_call",
    rf"{GANY}{LIKEYOU} (?:(?:all|just|really|,|each|every one|of them) ){{0,3}}(?:deserve|deserves|deserved|need|needs|should get|ought to get|have earned|has earned) (?:(?:a|an|the|nothing but|only|to get|to taste) ){{0,2}}"
    r"(?:noose|rope|bullet|bullets|beating|beatings|gas chamber|gas|firing squad|gallows|lynching|death|death penalty|torture|to be \S+ed|a slow death|bombs|genocide|extermination|the sword|the whip|the stick|the chair)\b",
    req=frozenset("deserve deserves deserved need needs should ought have has earned".split()),
)
# agentless expulsion: "should be sent packing, the lot of them"
fam(
    "violence_call",
    rf"{GANY}{LIKEYOU} (?:(?:all|just|simply|really|,|each|every one|of them) ){{0,3}}(?:should|must|need to|needs to|ought to|have to|has to|will have to|are to be|deserve to) (?:(?:all|just|simply|be|get|finally|immediately|now) ){{0,3}}"
    r"(?:sent packing|sent home|sent back|shipped out|shipped back|shipped off|sent away|kicked out|thrown out|driven out|chased out|run out|booted out|expelled|deported|removed|purged|banished|cleansed|got rid of|gotten rid of|rounded up|locked up|put in camps|put down|culled|sterilised|sterilized|castrated|neutered)\b",
    req=frozenset("should must need needs ought have has will are deserve".split()),
)

# ---- universal / generic negative predicates ----------------------------------------------
_HEAD = rf"(?P<h>{NEGW}(?: (?:and |or |, |& )?{NEGW}){{0,3}})"
fam(
    "generic",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?:(?:{INT}) ){{0,2}}(?:{COPP}) {GAP}{_HEAD}(?! (?:by|under|because)\b)",
    subject=True,
    req=W_NEG,
)
fam(
    "generic",
    rf"^(?:{INTERJ})(?:they|they're|theyre) (?:are |'re |were )?{GAP}{_HEAD} (?:, )?(?:(?:these|those|the|all|damn|bloody|fucking) ){{1,2}}{GP}",
    req=W_NEG,
)
fam(
    "generic",
    rf"{SUBJ_S}{GS}{LIKEYOU} (?:(?:{INT}) ){{0,2}}(?:{COPS}) {GAP}{_HEAD}(?! (?:by|under)\b)",
    subject=True,
    req=W_NEG,
)
fam(
    "generic",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?:(?:always|all|just|only|never|constantly|continually|still|really|mostly|generally|usually|typically|love to|like to|tend to|will|'ll|will always|would|can only|only ever|just love to|will happily|are known to|keep|keep on|simply|happily|gladly|invariably|by nature|naturally|inevitably|eventually|can't stop|can't help but|cannot help but|come here to|came here to|only come here to|come here and|are here to|are only here to) ){{0,3}}(?P<h>{HABIT_CHAR})\b",
    subject=True,
    req=W_HABIT,
)
fam(
    "generic",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?:(?:just|really|simply|all) ){{0,2}}(?:always|only|love to|like to|will always|just love to|enjoy|live to|are known to|can't stop|never stop|never stop to|tend to|will happily|happily|gladly|keep|keep on) (?:(?:just|all|simply) )?(?P<h>{HABIT_ACT})\b",
    subject=True,
    req=W_HABIT,
)
fam(
    "generic",
    rf"{SUBJ_S}{GS} (?:(?:will|would|'ll|always|will always|can only|only|is always|is going to|is gonna) ){{1,3}}(?P<h>{HABIT_CHAR}|{HABIT_ACT})\b",
    subject=True,
    req=W_HABIT,
)
fam(
    "generic",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?:(?:always|all|just|only|really|still|mostly|simply|truly|genuinely|secretly|openly) ){{0,2}}(?P<h>(?:{HOV}) (?:(?:{INT}) ){{0,2}}(?:{HOB}))\b",
    subject=True,
    req=W_HOV,
)
fam(
    "generic",
    rf"\b(?:there is|there's|theres) (?P<n>nothing) (?:worse|lower|more disgusting|more pathetic|dumber|more stupid) than (?:a |an |the |these |those )?{GANY}",
    req=frozenset({"nothing"}),
)
fam(
    "generic",
    rf"\b(?P<n>(?P<q>no one|nobody|none)) (?:else )?(?:is|are) (?:as|so) \S+ (?:as|than) (?:these |those |the )?{GP}",
    req=frozenset("no nobody none".split()),
)
fam(
    "generic",
    rf"{SUBJ_P}{GP} (?:(?:{INT}) ){{0,2}}(?:have|has) (?:(?:{INT}) ){{0,2}}(?P<n>no (?:brains|morals|honour|honor|shame|culture|conscience|dignity|soul|souls|humanity|loyalty|decency|manners)|no place in|no business being|no business in|low iq|an iq of|the mentality of|the brains of)\b",
    subject=True,
    req=frozenset(
        "brains morals honour honor shame culture conscience dignity soul souls humanity loyalty decency manners place business iq mentality".split()
    ),
)

# ---- hostility -----------------------------------------------------------------------------
fam(
    "hostility",
    rf"(?:^{INTERJ}|\b(?:i|we|i really|we all|i just|i fucking|i absolutely|i truly|i do|i personally|i still|i'll always|i will always|i always|everyone|everybody) )(?:(?:really|just|absolutely|truly|fucking|do|so|honestly|personally|all|totally|utterly|deeply|still|always|will|'ll) ){{0,2}}(?P<n>hate|despise|detest|loathe|abhor|can't stand|cannot stand|can not stand|can't bear|cannot bear|have (?:nothing but |so much |such )?(?:contempt|hatred|disdain|disgust) for|feel (?:nothing but |so much |such )?(?:contempt|hatred|disdain|disgust) for) {OBJGAP}{GANY}{LIKEYOU}(?! (?:who|that|which|when|for|because|of|in|at)\b)",
    req=W_HOST,
)
fam(
    "hostility",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?:(?:{INT}) ){{0,2}}(?:make me|makes me|disgust|disgusts|sicken|sickens|repulse|repulses|revolt|revolts|make me want to|fill me with|piss me off|are pissing me off|make my blood boil) (?:(?:so|really|fucking|absolutely|physically|much) ){{0,2}}(?:sick|puke|vomit|throw up|angry|furious|me|us|rage|disgust|contempt|hatred|off|boil)\b",
    subject=True,
    req=W_HOST,
)
fam(
    "hostility",
    rf"\bfuck (?:(?:all|the|these|those|you|every|of|off|with|all the) ){{0,2}}{GANY}\b(?! (?:who|that)\b)",
    req=W_HOST,
)
fam(
    "hostility",
    rf"{GP} (?:(?:can|should|must|all|just) ){{0,2}}(?:go fuck themselves|fuck off|get fucked|go to hell|burn in hell|rot in hell|piss off|get the fuck out|shut the fuck up|die in a fire)\b",
    req=W_HOST,
)
fam(
    "hostility",
    rf"\b(?:so |really |fucking )?(?:sick|tired|sick and tired) of (?:(?:all|the|these|those|you|fucking|bloody) ){{0,2}}{GP}(?! (?:who|that|being|getting)\b)",
    req=W_HOST,
)
fam(
    "hostility",
    rf"\b(?:i'd|i would|i) (?:rather|sooner) (?:die|be dead|have cancer|kill myself|eat shit) than (?:\S+ ){{0,4}}(?:a |an )?{GANY}",
    req=W_HOST,
)

fam(
    "hostility",
    rf"(?:^{INTERJ}|\b(?:i am|i'm|im|we are|we're|i get|i feel|i was|so|really|just|totally) )(?:(?:so|really|fucking|just|absolutely|totally|utterly) ){{0,2}}(?:disgusted|sickened|repulsed|revolted|appalled|nauseated|sick|tired|fed up|pissed off) (?:by|with|of) (?:(?:being around|seeing|dealing with|living with|having) )?{OBJGAP}{GANY}{LIKEYOU}(?! (?:who|that|which|being|getting|'s|GR)\b)",
    req=frozenset(
        "disgusted sickened repulsed revolted appalled nauseated sick tired fed pissed".split()
    ),
)
fam(
    "hostility",
    rf"\b(?:seeing|meeting|hearing|having|being around|living with|living near|thinking about|looking at) {OBJGAP}{GANY} (?:(?:[a-z']+) ){{0,4}}(?:makes|make|made) me (?:(?:so|really|fucking|physically) ){{0,2}}(?:angry|furious|sick|ill|puke|vomit|nauseous|livid|mad|want to puke|want to vomit|want to throw up|boil|rage)\b",
    req=frozenset({"makes", "make", "made"}),
)
fam(
    "hostility",
    rf"\b(?:the )?(?:(?:utter|pure|deep|total) )?(?P<n>scorn|contempt|hatred|disgust|loathing|disdain) (?:that )?(?:i|we) (?:(?:really|truly|still|just) )?(?:feel|have) (?:for|towards|toward) {OBJGAP}{GANY}",
    req=frozenset("scorn contempt hatred disgust loathing disdain".split()),
)
fam(
    "hostility",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?:(?:who|that) (?:\S+ ){{1,6}})?(?:fill|fills) me with (?:(?:so|such|much|pure|nothing but) ){{0,2}}(?:rage|anger|disgust|hatred|contempt|loathing|revulsion)\b",
    req=frozenset({"fill", "fills"}),
)

# ---- v3 forms ---------------------------------------------------------------------------------
# opinion verbs with a small clause: "I find all X disgusting", "I consider X (to be) vermin"
fam(
    "generic",
    rf"\b(?:i|we) (?:(?:really|just|honestly|truly|personally|do|always|still) ){{0,2}}(?:find|consider|regard|see) {OBJGAP}{GP}{LIKEYOU} (?:(?:to be|as|so|really|truly|utterly|absolutely|just|completely|totally|nothing but) ){{0,2}}{GAP}{_HEAD}",
    req=frozenset("find consider regard see".split()),
)
# group lives: "X lives aren't worth shit", "your X lives have no value"
fam(
    "dehumanisation",
    r"(?P<g>GR[PA]\d+) (?:(?:lives|life) )?(?:(?:are|is|were|really|just|simply|should|must) ){0,2}(?:(?P<n>aren't worth|are not worth|isn't worth|is not worth|ain't worth) (?:(?:shit|anything|a thing|a damn|a dime|a penny|saving|protecting|nothing)\b)|(?P<h>have no value|has no value|should not be important|shouldn't be important|should not matter|shouldn't matter|mean nothing|are worthless|count for nothing|are expendable)\b(?! (?:than|compared)\b))",
    req=frozenset("worth value important matter nothing worthless count expendable".split()),
)
# possessive targets of threats: "I want to end every X's life", "cut their X throats"
_BODY = r"(?:throats?|necks?|heads?|skulls?|lives|life|legs|arms|balls|faces?)"
fam(
    "violence_call",
    rf"(?:^{INTERJ}|\b{TRIG} )(?:(?:just|all|simply|finally|go|now|please|then|gladly|happily) ){{0,2}}(?:end|take|cut|slit|snap|break|wring|slash|smash|crush|bash in|blow off|chop off|cut off|rip out) {OBJGAP}(?:their )?(?P<g>GR[QA]\d+) (?:(?:\S+) )?{_BODY}\b",
    req=frozenset(
        "end take cut slit snap break wring slash smash crush bash blow chop rip".split()
    ),
)
fam(
    "violence_call",
    rf"(?:^{INTERJ}|\b{TRIG} )(?:(?:just|all|simply|finally|go|now|please|then) ){{0,2}}(?:cut|slit|snap|break|wring|slash|smash|crush|bash in|blow off|chop off|cut off) the {_BODY} of {OBJGAP}{GANY}",
    req=frozenset("cut slit snap break wring slash smash crush bash blow chop".split()),
)
fam(
    "violence_call",
    rf"(?:^{INTERJ}|\bif only )(?:{OBJGAP}){GP}{LIKEYOU} (?:(?:all|would|could|just) ){{0,3}}(?:had|got|have) (?:their|GR[QP]\d+) (?:throats|necks|heads) (?:cut|slit|snapped|broken|wrung|chopped off|cut off|smashed)\b",
    req=frozenset("had got have".split()),
)
# "in a just world X would all be dead", "X should be dead"
fam(
    "violence_call",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?:(?:would|should|ought to|must|deserve to|deserves to) )(?:(?:all|just|simply|really|better|rather|be better|be) ){{0,3}}(?:dead|wiped out|gone from (?:this|the) (?:earth|planet|world)|six feet under|in (?:their|GR[QP]\d+) graves)\b",
    subject=True,
    req=frozenset("would should ought must deserve deserves".split()),
)
# "we would be better off if X were eradicated"
fam(
    "violence_call",
    rf"\b(?:better off|a better place|better|safer) (?:if|when|once) {OBJGAP}{GANY}{LIKEYOU} (?:(?:were|was|are|got|get|had been|have been|all) ){{1,2}}(?:{VPP}|gone|dead|wiped out|extinct)\b",
    ignore_conditional=True,
    req=frozenset("better safer".split()),
)
# existence denied: "X do not belong on this earth", "no space on this planet for any X"
_EARTH = r"(?:on|in) (?:this|the|our|god's) (?:earth|planet|world|universe|country|land|continent|society|civilised world|civilized world)"
fam(
    "violence_call",
    rf"{SUBJ_P}{GANY}{LIKEYOU} (?:(?:just|simply|really|all) ){{0,2}}(?P<n>do not|don't|does not|doesn't|should not|shouldn't) (?:(?:even|really|ever) )?(?:belong|exist|deserve a place) {_EARTH}\b",
    subject=True,
    req=frozenset({"belong", "exist", "deserve"}),
)
fam(
    "violence_call",
    rf"\b(?P<n>there is no|there's no|there should be no|no) (?:space|place|room) {_EARTH} for {OBJGAP}{GANY}",
    ignore_subset=True,
    req=frozenset("space place room".split()),
)
fam(
    "violence_call",
    rf"\b(?:we|you|they) (?P<n>must not|mustn't|should not|shouldn't|cannot|can't|must never|should never) (?:let|allow) {OBJGAP}{GANY}{LIKEYOU} (?:to )?(?:live|exist|breathe|survive|stay alive|reproduce|breed)\b",
    ignore_subset=True,
    req=frozenset("let allow".split()),
)
# "I have no compassion at all for any X like you"
fam(
    "hostility",
    rf"\b(?:i|we) (?P<n>have no|have zero|feel no|have not an ounce of|don't have any|do not have any|have absolutely no) (?:(?:compassion|sympathy|pity|mercy|respect|love|tolerance|patience|empathy|time|room in my heart|care) )(?:(?:at all|whatsoever|left) )?for {OBJGAP}{GANY}",
    ignore_subset=True,
    req=frozenset(
        "compassion sympathy pity mercy respect love tolerance patience empathy time room care".split()
    ),
)
# "human rights should not apply to X"
fam(
    "dehumanisation",
    rf"\b(?:human rights|rights|laws|the law|the geneva convention|basic decency) (?P<n>should not|shouldn't|must not|do not|don't|does not|doesn't|need not) (?:(?:even|ever|really) )?(?:apply|be extended|extend) to {OBJGAP}{GANY}",
    ignore_subset=True,
    req=frozenset({"apply", "extended", "extend"}),
)
# "X can never be as smart as anyone else"
fam(
    "generic",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?P<n>can never|will never|could never|can't|cannot|are never|are not|aren't) (?:ever )?(?:be )?(?:as|so) (?P<h>{POS_TRAITS}) as (?:anyone|anybody|everyone|everybody|the rest of us|the rest|us|other people|others|normal people|real people|a normal person)\b",
    subject=True,
    req=frozenset("as".split()),
)
# "X with any power / in charge are a threat to ..."
fam(
    "generic",
    rf"{SUBJ_P}{GP} (?:being in charge|in charge|with (?:any )?power|in power|in government|with guns|with rights) (?:is|are|will be|would be) (?:a |an )?(?:(?:real|serious|grave|huge|massive) )?(?P<h>danger|threat|disaster|menace|catastrophe|plague|curse)\b",
    req=frozenset("charge power government guns rights".split()),
)
# "what is it with you fucking X?"
fam(
    "hostility",
    rf"\bwhat is it with (?:(?:you|these|those|all|the) )?(?:fucking|bloody|damn|goddamn|filthy|stinking) {GP}",
    req=frozenset({"what"}),
)
# "there is nothing in the world I like less than a X"
fam(
    "hostility",
    rf"\b(?P<n>there is nothing|there's nothing|nothing) (?:(?:in the world|on earth|in this world) )?(?:i|we) (?:like|love|want|respect|value) less than (?:a |an |the |these |those )?{GANY}",
    ignore_subset=True,
    req=frozenset({"less"}),
)
# "we should test new drugs on X"
fam(
    "dehumanisation",
    rf"\b(?:test|try|use) (?:(?:new|our|the|dangerous|experimental|untested) ){{0,2}}(?:drugs|medicines?|vaccines?|chemicals|poisons?|weapons|products|cosmetics|experiments) on {OBJGAP}{GP}",
    req=frozenset({"test", "try", "use"}),
)
# "if I woke up as a X, I would kill myself"
fam(
    "hostility",
    rf"\bif (?:i|i ever) (?:woke up|wake up|were born|was born|became|turned into|had to be) (?:as )?(?:a |an )?{GS} (?:, )?(?:i'd|i would|i will|i'll|then i'd|then i would) (?:(?:just|probably|immediately) )?(?:kill myself|shoot myself|hang myself|end it|die|rather die|want to die|jump off)\b",
    ignore_conditional=True,
    req=frozenset({"if"}),
)

# verbless predication after a bare group label or before the group: "X? Thieves, the lot of
# them.", "Liars, every one of them, these X."
_LOT = r"(?:the (?:whole )?lot|all|every (?:last |single )?one|each and every one|each one|most) of (?:them|GRP\d+)"
fam(
    "generic",
    rf"^(?:{INTERJ}){GAP}(?P<h>{NEGW}(?: (?:and |or |, |& )?{NEGW}){{0,3}}) (?:, )?{_LOT} (?:, )?(?:(?:these|those|the|all|damn|bloody|fucking) ){{1,2}}{GP}",
    req=W_NEG,
)
VERBLESS_RE = re.compile(rf"^(?:{INTERJ}){GAP}(?:{NEGW}|{DEHUM})")
VERBLESS_NOUN_RE = re.compile(
    rf"^(?:{INTERJ}){GAP}(?:{DEHUM}|(?=[a-z]+s\b){NEGW}|scum|filth|trash|garbage)(?: ,| \.| !|$| all| the| every| to a man)"
)
# "loud and dirty, like all X"
fam(
    "generic",
    rf"(?:{_HEAD}|(?P<h2>{HABIT_CHAR})) (?:, )?(?:just )?(?:like|as do|as) (?:(?:all|every|most|the rest of|any|so many) )(?:(?:the|other|those|these) )?{GANY}(?! (?:who|that|i|in|from)\b)",
    req=W_NEG | W_HABIT,
)
# "X are the reason this city is a dump"
fam(
    "generic",
    rf"{SUBJ_P}{GP} (?:(?:{INT}) ){{0,2}}(?:are|were|'re) (?:(?:the|a|all|just) ){{0,2}}(?:(?:main|real|only|whole|sole|number one|biggest) )?(?P<h>reason|cause|source|root) (?:(?:for|of|why|behind|that) )?(?:(?:all|the|our|this|every) )?(?:\S+ ){{0,5}}?(?:{NEGANY})\b",
    subject=True,
    req=frozenset("reason cause source root".split()),
)
# "you can't reason with X", "X cannot be reasoned with / civilised"
fam(
    "generic",
    rf"\b(?:you|one|we|nobody|no one) (?P<n>can't|cannot|can not|can never|will never) (?:ever )?(?:reason|negotiate|talk sense|coexist|live in peace|do business) with {OBJGAP}{GANY}",
    ignore_subset=True,
    req=frozenset("reason negotiate talk coexist live do".split()),
)
fam(
    "generic",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?P<n>cannot|can't|can not|can never|will never|could never) (?:ever )?be (?P<h>reasoned with|civilised|civilized|tamed|reformed|redeemed|integrated|assimilated|educated)\b",
    subject=True,
    req=frozenset(
        "reasoned civilised civilized tamed reformed redeemed integrated assimilated educated".split()
    ),
)
# "X are known for stealing"
fam(
    "generic",
    rf"{SUBJ_P}{GP} (?:are|were|'re) (?:(?:well|best|mostly|mainly|only|all|infamous|notorious) ){{0,2}}(?:known|famous|infamous|notorious) for (?:(?:their|GRQ\d+|being) )?(?P<h>stealing|lying|cheating|scamming|begging|killing|raping|thieving|theft|crime|violence|dishonesty|laziness|treachery|betrayal|fraud|corruption|{NEGW})\b",
    subject=True,
    req=frozenset("known famous infamous notorious".split()),
)
# "X have a criminal mentality", "X culture is backward"
fam(
    "essentialism",
    rf"{SUBJ_P}{GP} (?:(?:{INT}) ){{0,2}}(?:have|has|possess|share) (?:a|an|the) (?:(?:{INT}) ){{0,2}}(?P<h>{NEGW}|criminal|slave|thieving|violent|savage|barbaric|primitive|medieval|herd|mob) (?:mentality|mindset|nature|streak|gene|genes|instinct|instincts|character|soul|culture)\b",
    subject=True,
    req=frozenset(
        "mentality mindset nature streak gene genes instinct instincts character soul culture".split()
    ),
)
fam(
    "essentialism",
    rf"(?P<g>GRA\d+) (?:culture|mentality|society|way of life|mindset|character|values|sect|tribe|community|clan|race|nation|people|religion|faith) (?:is|are|was) (?:(?:{INT}) ){{0,2}}{_HEAD}(?! (?:by|under|because)\b)",
    req=frozenset("culture mentality society way mindset character values".split()),
)

# "X are Erdogan's sheep", "America's mercenaries", "Assad's dogs"
fam(
    "dehumanisation",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?:(?:{INT}) ){{0,2}}(?:{COPP}) (?:(?:just|nothing but|all|only|simply|merely|basically) ){{0,2}}(?:[a-z]+'s|[a-z]+s') (?:(?:little|loyal|obedient|faithful|obedient|good|willing) )?(?P<h>sheep|puppets|dogs|lapdogs|slaves|pawns|stooges|lackeys|mercenaries|servants|bitches|whores|poodles|attack dogs|foot soldiers|cannon fodder)\b(?! (?:of|in|at|for)\b)",
    subject=True,
    req=frozenset(
        "sheep puppets dogs lapdogs slaves pawns stooges lackeys mercenaries servants bitches whores poodles attack foot cannon".split()
    ),
)
# "all these X want is to rape and behead"
fam(
    "generic",
    rf"\ball (?:(?:these|those|the|you) )?{GP} (?:(?:ever|really) )?(?:want|care about|know|do|think about|understand|respect) (?:is|are) (?:to )?(?P<h>{HABIT_CHAR}|{HABIT_ACT}|money|violence|war|killing|force|power|sex|rape|blood)\b",
    req=frozenset("want care know do think understand respect".split()),
)
# "(very) uneducated lot, the X" / "filthy people, these X"
fam(
    "generic",
    rf"^(?:{INTERJ})(?:(?:a|an|very|such|what a|what|real|truly|total) ){{0,2}}{GAP}{_HEAD} (?:(?:lot|bunch|people|crowd|folk|breed|race|tribe|nation|creatures) )?(?:, )?(?:(?:these|those|the|all|damn|bloody|fucking) ){{1,2}}{GP}",
    req=W_NEG,
)
# "poisoned everything they touched", "ruin every country they enter"
fam(
    "generic",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?:(?:have|has|always|will|just|all) ){{0,2}}(?P<h>(?:poison|ruin|destroy|corrupt|spoil|infect|pollute|wreck|contaminate)(?:s|ed|es)?) (?:everything|everyone|everybody|every \S+|all they|whatever)\b",
    subject=True,
    req=frozenset(
        "poison poisoned poisons ruin ruined ruins destroy destroyed destroys corrupt corrupted corrupts spoil spoiled spoils infect infected pollute polluted wreck wrecked contaminate contaminated".split()
    ),
)

# "that X will die a horrible death at my hands", "we will keep attacking you X"
fam(
    "violence_call",
    rf"{GANY}{LIKEYOU} (?:(?:will|shall|is going to|are going to|'ll|gonna) )(?:(?:all|soon|surely) )?die (?:(?:a|an) )?(?:(?:horrible|slow|painful|agonising|agonizing|terrible|gruesome|violent) )?(?:death )?(?:at my hands|by my hand|at our hands|by our hands)\b",
    req=frozenset({"die"}),
)
fam(
    "violence_call",
    rf"\b(?:we|i) (?:will|'ll|shall|are going to|am going to|'re going to|'m going to) keep (?:on )?(?:attacking|killing|hunting|shooting|bombing|hurting|beating|stabbing|burning) {OBJGAP}{GANY}",
    req=frozenset({"keep"}),
)
fam(
    "violence_call",
    rf"\bwhat if (?:we|someone|somebody|i|they) (?:(?:just|simply|all|finally) ){{0,2}}(?:killed|murdered|exterminated|gassed|shot|deported|expelled|wiped out|got rid of|slaughtered|hanged|burned|drowned|nuked|lynched) {OBJGAP}{GANY}",
    ignore_conditional=True,
    req=frozenset({"what"}),
)
fam(
    "hostility",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?:(?:{INT}) ){{0,2}}(?:are pissing me off|piss me off|pisses me off|get on my nerves|are getting on my nerves|drive me (?:crazy|mad|insane|nuts)|make my skin crawl)\b",
    subject=True,
    req=frozenset("pissing piss pisses nerves drive skin".split()),
)
fam(
    "hostility",
    rf"\beverything about {OBJGAP}{GANY} (?:(?:just|really|so) ){{0,2}}(?:disgusts|sickens|repulses|revolts|offends|annoys|angers) me\b",
    req=frozenset({"everything"}),
)

# "I care more about the dirt under my shoe than about X"
_LOWLY_N = r"(?:dirt|dust|mud|shit|crap|trash|garbage|rubbish|a rat|rats|a dog|dogs|my dog|my cat|an insect|insects|a cockroach|cockroaches|a rock|rocks|a fly|flies|worms|a worm|vermin)"
fam(
    "dehumanisation",
    rf"\b(?:i|we) (?:(?:really|honestly|genuinely) )?(?:care|think|worry) (?:far |much |a lot |way )?more (?:about|of|for) (?:the |my |a |an )?(?:\S+ ){{0,1}}{_LOWLY_N}(?: \S+){{0,4}}? than (?:(?:about|of|for) )?{OBJGAP}{GANY}",
    req=frozenset({"care", "think", "worry"}),
)
fam(
    "equation",
    rf"\b(?:i|you|we) (?P<n>don't|do not|can't|cannot|never) (?:see|notice|find) (?:any|much|a|the slightest) difference between (?:a |an |the )?(?:dead )?(?P<h>{BADCAT}|{DEHUM}|rat|rats|dog|dogs|pig|pigs|animal|animals|cockroach) and (?:a |an |the )?(?:dead )?(?P<g>GR[PSX]\d+)",
    ignore_subset=True,
    req=frozenset({"difference"}),
)
# "putting an X in charge is the biggest mistake", "allowing more X into government will ruin us"
fam(
    "generic",
    rf"\b(?:putting|letting|allowing|electing|hiring|having|giving) (?:(?:a|an|any|any more|more|the) )?{GANY} (?:(?:in charge|in power|into government|in government|into parliament|in parliament|into our country|into the country|into this country|power|the vote|rights|a job|any power|into office|in office|into our schools|near our children) )(?:(?:is|would be|will be|will|would) )(?:(?:always|surely|only|just|certainly) )?(?:(?:the|a|an|biggest|huge|big|total|complete|serious|grave) ){{0,3}}(?P<h>mistake|disaster|catastrophe|ruin|destroy|danger|threat|end)\b",
    ignore_subset=True,
    req=frozenset("putting letting allowing electing hiring having giving".split()),
)
fam(
    "dehumanisation",
    rf"{GANY}{LIKEYOU} (?:(?:who|that) (?:\S+ ){{1,3}})?(?:should|must|ought to|need to) (?:be )?(?:taken|sent|brought|treated) (?:to|by|at) (?:a |an |the )?(?:vet|vets|veterinarian|zoo|pound|slaughterhouse|kennel)\b",
    ignore_restricted=True,
    req=frozenset({"taken", "sent", "brought", "treated"}),
)
fam(
    "hostility",
    rf"\b(?:i|we) (?P<n>would never|wouldn't|would not|will never|won't|will not|never) (?:even )?lift a finger (?:to|for) (?:(?:save|help|protect) )?(?:a |an |any |the )?(?:(?P<g2>GRQ\d+) (?:life|lives)|{GANY})",
    ignore_subset=True,
    req=frozenset({"finger"}),
)
fam(
    "violence_call",
    rf"\b(?:i|we) (?:(?:will|'ll|just|then|finally) ){{0,2}}(?:start|begin|started|get to) (?:shooting|killing|stabbing|hanging|burning|gassing|beating|slaughtering) {OBJGAP}{GOBJ}",
    req=frozenset("start begin started get".split()),
)

# reverse generalisation with "behind": "every attack has an X behind it", "X are behind every war"
_BADTHING = rf"(?:{BADCAT}|{BADEVENT}|attack|attacks|war|wars|bombing|bombings|crime|crimes|problem|problems|conflict|conflicts|massacre|massacres|plot|conspiracy|riot|riots|murder|rape)"
fam(
    "reverse_generalisation",
    rf"\b(?P<q>every|each|all|any|almost every|nearly every) (?:(?:single|terror|terrorist|violent) ){{0,2}}{_BADTHING} {_LOC}(?:has|have|had) (?:(?:always|got) ){{0,1}}(?:a |an |the |some )?(?P<g>GR[PSXK]\d+) (?:behind|at the bottom of|at the root of) (?:it|them)\b",
    req=frozenset({"behind", "bottom", "root"}),
)
fam(
    "reverse_generalisation",
    rf"\bbehind (?P<q>every|each|all|any|almost every|nearly every) (?:(?:single|terror|terrorist|violent) ){{0,2}}{_BADTHING} (?:\S+ ){{0,3}}?(?:there is|there's|there are|you'll find|you find|stands|stand|is|are|lurks) (?:always )?(?:a |an |the |some )?(?P<g>GR[PSXK]\d+)",
    req=frozenset({"behind"}),
)
fam(
    "reverse_generalisation",
    rf"{SUBJ_P}{GP} (?:(?:{INT}) ){{0,2}}(?:are|were|'re) (?:(?:always|all|usually|invariably|secretly) ){{0,2}}behind (?P<q2>every|each|all|most|all the) {_BADTHING}",
    subject=True,
    req=frozenset({"behind"}),
)
# "to be an X is to be a killer", "being X means being a traitor"
fam(
    "equation",
    rf"\b(?:to be|being) (?:a |an )?{GANY} (?:is|means|=|equals) (?:(?:to be|being|also) )?(?:a |an )?(?:(?:{INT}) ){{0,2}}(?P<h>{NEGW}|{BADCAT})",
    req=frozenset({"to", "being"}),
)
# "X are destined to be the losers of history"
fam(
    "collective_fate",
    rf"{SUBJ_P}{GP} (?:(?:{INT}) ){{0,2}}(?:are|were|'re|will always be|have always been) (?:(?:always|forever) )?(?:destined|doomed|bound|condemned|meant|born) to (?P<h>(?:be|remain) (?:(?:the|forever|always|nothing but) )?(?:losers|slaves|servants|victims|failures|nothing|second-class|inferior|subjects)|lose|fail|suffer|die|serve)\b",
    subject=True,
    fate=True,
    req=frozenset("destined doomed bound condemned meant born".split()),
)
# "trusting an X is like trusting a snake"
fam(
    "distrust",
    rf"\btrusting (?:a |an |any |the )?{GANY} is (?:just )?like (?:trusting|petting|hugging|feeding|sleeping with) (?:a |an )?(?:snake|scorpion|viper|wolf|fox|rat|crocodile|shark|hyena|jackal)",
    req=frozenset({"trusting"}),
)
# "lying comes naturally to X"
fam(
    "essentialism",
    rf"\b(?P<h>lying|stealing|cheating|betrayal|treachery|violence|deceit|deception|killing|murder|theft|dishonesty|cruelty|hatred|backstabbing|scamming|begging|laziness|{NEGW}) (?:comes|come) (?:(?:so|very|all too) )?(?:naturally|easily|easy|natural|second nature) to (?:(?:the|all|every|most) )?{GANY}",
    req=frozenset({"comes", "come"}),
)
# "the Arab mind cannot grasp democracy"
fam(
    "generic",
    rf"(?P<g>GRA\d+) (?:mind|brain|mentality|psyche) (?P<n>cannot|can't|can not|is unable to|is incapable of|will never|could never|doesn't|does not) (?:grasp|understand|comprehend|accept|handle|cope with|grasping|understanding) (?P<h>{POS_TRAITS}|logic|freedom|equality|complex|modern|civilisation|civilization)",
    req=frozenset("mind brain mentality psyche".split()),
)
# "cleanse Idlib of X"
fam(
    "violence_call",
    rf"(?:^{INTERJ}|\b{TRIG} )(?:(?:just|all|simply|finally|now|please) ){{0,2}}(?:cleanse|purge|clear|rid|empty|free|clean) (?:[a-z]+ ){{1,3}}?of (?:(?:all|the|these|those|every|every last|its) ){{0,2}}{GANY}",
    req=frozenset("cleanse purge clear rid empty free clean".split()),
)

# "put the X against the wall", "hang them all, every X"
fam(
    "violence_call",
    rf"(?:^{INTERJ}|\b{TRIG} )(?:(?:just|all|simply|finally|now|please|then) ){{0,2}}(?:put|line|stand) {OBJGAP}{GANY} (?:(?:all|up) ){{0,2}}against (?:the|a) wall\b",
    req=frozenset("put line stand".split()),
)
fam(
    "violence_call",
    rf"^(?:{INTERJ})(?:{VVERB}) (?:them|'em) (?:all )?(?:, )?(?:(?:every|all|all the|each|every last|every single) )(?:(?:single|last|one of the) )?{GANY}",
    ignore_restricted=True,
    req=W_VV,
)
# "the X will pay for this, all of them"
fam(
    "violence_call",
    rf"{SUBJ_P}{GP}{LIKEYOU} (?:(?:will|shall|are going to|'ll|must|should) )(?:(?:all|surely|soon) )?pay (?:for (?:this|that|it|what they did|what they've done)(?= [.!?,;]| $|$| all| every| one day| soon)|dearly(?! for)|with (?:their|GRQ\d+) (?:blood|lives))",
    subject=True,
    req=frozenset({"pay"}),
)

# "X and honesty don't mix"
fam(
    "generic",
    rf"{SUBJ_P}{GP} and (?P<h>{POS_TRAITS}) (?P<n>don't|do not|never|simply don't|just don't) (?:mix|go together)\b",
    req=frozenset({"mix", "go"}),
)
# "I wouldn't let a X near my house"
fam(
    "hostility",
    rf"\b(?:i|we) (?P<n>wouldn't|would not|would never|won't|will never|will not|never) (?:ever )?(?:let|allow) (?:a|an|any|one of those|those|these) {GANY} (?:anywhere )?(?:near|into|in|inside|within a mile of) (?:my|our)\b",
    ignore_subset=True,
    req=frozenset({"let", "allow"}),
)
# "every time I meet a X he tries to rip me off"
fam(
    "generic",
    rf"\b(?:every time|whenever|each time|any time) (?:i|you|we) (?:meet|see|deal with|talk to|hire|trust|work with|do business with|met|dealt with) (?:a|an|any) {GS} (?:, )?(?:he|she|they|it) (?:(?:always|tries to|try to|tried to|will|would|ends up|end up|manages to|just|has|have) ){{0,2}}(?P<h>{HABIT_CHAR}|{HABIT_ACT}|(?:is|was|turns out to be|turned out to be) (?:a |an )?{NEGW})",
    req=frozenset("time whenever".split()),
)
# "it's always the X who steal"
fam(
    "generic",
    rf"\b(?:it's|it is|its|it was) (?:always|invariably|usually|forever|every time) (?:the |a |an )?{GANY} (?:who|that|who are|that are|that is|who is) (?:(?:the|a|an|always|so) ){{0,2}}(?P<h>{HABIT_CHAR}|{HABIT_ACT}|{NEGW}|{BADCAT})",
    ignore_restricted=True,
    req=frozenset({"always", "invariably", "usually", "forever", "time"}),
)
# "X are incapable of running their own country"
fam(
    "generic",
    rf"{SUBJ_P}{GP} (?:(?:{INT}) ){{0,2}}(?:are|'re|were) (?:(?:{INT}) ){{0,2}}(?P<n>incapable of|unable to|not capable of|too (?:stupid|primitive|dumb|backward|lazy|corrupt) to) (?:running|governing|ruling|managing|looking after|taking care of|feeding|run|govern|rule|manage|feed|look after|take care of) (?:their own|their|themselves|GRQ\d+ own|GRQ\d+|a country|anything)\b",
    subject=True,
    req=frozenset("incapable unable capable too".split()),
)
# identity as the explanation: "he's Albanian, so obviously the car was nicked", "what do you
# expect, he's Chechen", "the contractor was Ghanaian, which explains why the money vanished"
fam(
    "generic",
    rf"(?:^|\b)(?:he's|she's|they're|he is|she is|they are|he was|she was|they were|my \S+'s|my \S+ is|the \S+ was|the \S+ is) "
    rf"(?:(?:a|an|just) ){{0,2}}{GANY} , so (?:obviously|of course|naturally|clearly|surely|need i say|you know|guess)\b",
    req=frozenset({"so"}),
    bad_word_after=True,
)
fam(
    "generic",
    rf"\bwhat (?:else )?(?:do|did|would) (?:you|we|u) (?:really )?expect ,? (?:he's|she's|they're|he is|she is|they are|he was|she was|it's|it was) "
    rf"(?:(?:a|an|just) ){{0,2}}{GANY}(?= [.!?;,]| $|$)",
    req=frozenset({"expect"}),
)
fam(
    "generic",
    rf"\b(?:was|is|'s|were|are) (?:(?:a|an) )?{GANY} , which (?:explains|tells you|says it all|figures)\b",
    req=frozenset({"which"}),
    bad_word_after=True,
)
# identity as the explanation: "what else would you expect from a X", "they're X, what did you expect?"
fam(
    "generic",
    rf"\bwhat (?:else )?(?:do|did|would|could|can|should) (?:you|we|one|anyone) (?:really )?expect (?:from|of) (?:a |an |the |these |those |them |)(?:GR[PS]\d+ (?:, )?)?{GANY}(?= [.!?,;]| $|$)",
    req=frozenset({"expect"}),
)
fam(
    "generic",
    rf"(?:^|\b)(?:he's|she's|they're|he is|she is|they are|he was|she was|they were|GRP\d+ are) (?:(?:a|an|just|only|all) ){{0,2}}{GANY} (?:, )?(?:so )?(?:what|whaddya|what else) (?:else )?(?:do|did|would|could) (?:you|we|u) (?:really )?expect\b",
    req=frozenset({"expect"}),
)
fam(
    "generic",
    rf"\b(?:no wonder|of course|naturally|figures|it figures|unsurprisingly|surprise surprise|what a surprise|typical) (?:, )?(?:\S+ ){{0,6}}?(?:he's|she's|he is|she is|he was|she was|they're|they are|they were|was|is) (?:(?:a|an|just) ){{0,2}}{GANY}(?= [.!?;]| after all| $|$)",
    neg_any=True,
    req=frozenset("wonder course naturally figures unsurprisingly surprise typical".split()),
)

# ---- derogatory names (slurs) --------------------------------------------------------------
fam("derogatory_name", r"(?P<g>GRX\d+)", ignore_subset=True, ignore_restricted=True)


# word -> indices of the families it can trigger; families without triggers always run
TRIGGER_INDEX: dict[str, tuple[int, ...]] = {}
ALWAYS: tuple[int, ...] = tuple(i for i, (_, _, o) in enumerate(FAMILIES) if o["req"] is None)


def _build_index():
    tmp: dict[str, list[int]] = {}
    for i, (_, _, o) in enumerate(FAMILIES):
        for w in o["req"] or ():
            tmp.setdefault(w, []).append(i)
    TRIGGER_INDEX.update({w: tuple(v) for w, v in tmp.items()})


_build_index()
