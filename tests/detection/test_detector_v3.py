"""Behaviour of the v3 detector rules: opinion frames, rhetorical questions, possessive threat
targets, existence denied, wide locatives, "your X" for plural groups, world groups added.
Pure Python, no database, no wall-clock asserts."""

import pytest

from moderation.detection import DETECTOR_VERSION, RULES, SEVERITY_HOLD, detect


def test_version_bumped():
    assert DETECTOR_VERSION.startswith("3.")


# (text, canonical group, text the span must contain, rule or None)
CAUGHT = [
    ("In my view, Bosniaks are worthless parasites.", "Bosnians", "worthless parasites", None),
    (
        "If you ask me, Uzbeks like you are no better than rats.",
        "Uzbeks",
        "no better than rats",
        "dehumanisation",
    ),
    (
        "I honestly believe Malagasy people are lesser beings.",
        "Malagasy",
        "lesser beings",
        "dehumanisation",
    ),
    ("I find all Samoans repulsive.", "Samoans", "Samoans repulsive", "generic_plural"),
    ("Your Ossetians are thieves, every last one.", "Ossetians", "Ossetians are thieves", None),
    ("Bhutanese lives aren't worth a damn.", "Bhutanese", "worth a damn", "dehumanisation"),
    ("Why is it that all Tongans are so lazy?", "Tongans", "so lazy", None),
    ("Do people still not see that Azeris are vermin?", "Azerbaijanis", "vermin", None),
    ("I will slit their Avar throats.", "Avars", "throats", "violence_call"),
    ("I want to end every Lezgin's life.", "Lezgins", "Lezgin's life", "violence_call"),
    (
        "I'm going to shoot the next Chuvash I meet.",
        "Chuvash",
        "shoot the next Chuvash",
        "violence_call",
    ),
    ("In a just world, Tuvans like you would be dead.", "Tuvans", "would be dead", "violence_call"),
    (
        "Belizeans do not belong on this planet.",
        "Belizeans",
        "belong on this planet",
        "violence_call",
    ),
    (
        "There is no room in this world for any Basotho.",
        "Basotho",
        "for any Basotho",
        "violence_call",
    ),
    ("I have no sympathy at all for Evenks.", "Evenks", "no sympathy", "hostility"),
    ("The Marathi in this country are crooks.", "Marathis", "are crooks", None),
    ("I will hurt you and every other Nauruan like you.", "Nauruans", "hurt you", "violence_call"),
    ("If only somebody would drown those Ingush.", "Ingush", "drown those Ingush", "violence_call"),
    ("The Rohingya are liars.", "Rohingya", "are liars", "generic_plural"),
    # verbless verdicts after a bare group, or before the group named at the end
    (
        "Ecuadorians? Crooks, the whole lot of them. Never again.",
        "Ecuadorians",
        "Ecuadorians? Crooks",
        "generic_plural",
    ),
    ("Cowards, every last one of them, these Moldovans.", "Moldovans", "these Moldovans", None),
    ("Basques and honesty just don't mix.", "Basques", "don't mix", "generic_plural"),
    (
        "I would never let a Bulgarian anywhere near my shop.",
        "Bulgarians",
        "near my shop",
        "hostility",
    ),
    ("Whenever I deal with a Lithuanian he tries to con me.", "Lithuanians", "con me", None),
    ("It's always the Georgians who cheat.", "Georgians", "who cheat", None),
    ("Zambians are incapable of governing themselves.", "Zambians", "governing themselves", None),
    ("What else would you expect from a Bolivian.", "Bolivians", "expect from a Bolivian", None),
    ("They're Croats, what did you expect?", "Croats", "what did you expect", None),
    ("Of course he cheated, he's a Slovak.", "Slovaks", "he's a Slovak", None),
    # a possessive carried from the subject still reads as "their" for the habit lists
    ("Guatemalans teach their children to hate.", "Guatemalans", "to hate", None),
    ("Chileans never keep their word.", "Chileans", "keep their word", None),
    ("Icelanders just come here to live off benefits.", "Icelanders", "live off benefits", None),
    ("Paraguayans are a nation of crooks and liars.", "Paraguayans", "crooks", None),
    ("Estonians are freeloading parasites.", "Estonians", "parasites", None),
    ("Panamanians are ruining this country.", "Panamanians", "ruining", None),
]


@pytest.mark.parametrize("text,canonical,part,rule", CAUGHT)
def test_caught_with_group_and_span(text, canonical, part, rule):
    res = detect(text)
    assert res.flagged, text
    f = res.findings[0]
    assert f.canonical == canonical, (f.canonical, text)
    assert text[f.start : f.end] == f.match and part in f.match
    assert f.rule in RULES and f.explanation
    if rule:
        assert f.rule == rule, (f.rule, text)
    if rule == "violence_call":
        assert res.severity == SEVERITY_HOLD


LEFT_ALONE = [
    # positive or neutral with the new frames
    "I find Samoan music beautiful.",
    "In my view, Bosniaks deserve far better from their government.",
    "In my opinion, Kurds are wonderful hosts.",
    "Why is it that Tongans are so good at rugby?",
    "Do people still not see that Azeris were the victims here?",
    "Seeing Kurds in this place makes me happy.",
    "The Marathi in this country mostly speak three languages.",
    # subsets: a relational noun after "your", a hedge, a local subset
    "Your Ossetian friends were very welcoming.",
    "Your Kurdish friends are liars.",
    "Some Kurds in this country are thieves.",
    "The Kurds I met in Erbil were liars.",
    # negations and counter-speech
    "Bhutanese lives are not worth any less than ours.",
    "There is no room in this world for hatred of Basotho.",
    "Human rights apply to Evenks as to everyone else.",
    "I find the claim that Kurds are lazy disgusting.",
    "He said Kurds do not belong on this planet, which is a vile lie.",
    # states, armies and militias as actors; reported atrocities
    "Militiamen slit the throats of Avar villagers in 1999.",
    "The army cut the throats of Kurdish prisoners.",
    "The militia wants to end every Kurd's life, and the world watches.",
    # conditionals and hypotheticals that are not verdicts
    "If I woke up as a Tuvan, I would have to learn throat singing.",
    "We would be better off if the Kurds were given a state.",
    "Belizeans do not belong to any one church.",
    "Kurdish heads of state met in Erbil.",
    # the batch-2 forms with neutral or positive content
    "Ecuadorians? Lovely people, the whole lot of them.",
    "Cyclists, every last one of them, these Dutch.",
    "I would never let a Bulgarian friend pay for dinner.",
    "It's always the Georgians who win the wrestling.",
    "What else would you expect from a Bolivian chef? Brilliant food.",
    "Of course he won, he's a Slovak skier.",
    "Panamanians are rebuilding this country.",
    "Guatemalans teach their children to weave.",
    "Somalis. Refugees, most of them, fleeing a civil war.",
    "Kurds? Brave fighters, the lot of them.",
    "He said Kenyans are thieves, the lot of them. What a bigot.",
]


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_left_alone(text):
    assert not detect(text).flagged, detect(text).findings


# whole comments: (text, canonical group, text the span must contain)
COMMENTS = [
    (
        "Spent a year in Tirana for work. Decent coffee. Albanians run the drug trade everywhere "
        "they settle.",
        "Albanians",
        "run the drug trade",
    ),
    ("My grandfather always said the Finns were drunkards. He was right.", "Finns", "drunkards"),
    (
        "Sure, some Slovenes are polite. Most of them are arrogant snobs though.",
        "Slovenians",
        "Most of them",
    ),
    (
        "The Portuguese are all over the coast now. They buy up the houses and they spread "
        "disease.",
        "Portuguese",
        "spread disease",
    ),
    ("Ever worked with a Hungarian? They are all liars.", "Hungarians", "all liars"),
    ("My landlord is Maltese. He is greedy and rude, like all Maltese.", "Maltese", "like all"),
    ("You know what Austrians are like. Snobs, the lot of them.", "Austrians", "Snobs"),
    ("Belgians again! Honestly, these people are parasites.", "Belgians", "parasites"),
]


@pytest.mark.parametrize("text,canonical,part", COMMENTS)
def test_comment_caught_with_group_and_span(text, canonical, part):
    res = detect(text)
    assert res.flagged, text
    f = res.findings[0]
    assert f.canonical == canonical and part in f.match and text[f.start : f.end] == f.match


@pytest.mark.parametrize(
    "text",
    [
        "I met a Hungarian at the conference. They were rude to me, sadly.",
        "My grandfather always said the Finns were drunkards. He was wrong, and he knew it.",
        "He said the Serbs were butchers. It is a lie.",
        "Sure, some Slovenes are rude. Most of them are lovely though.",
        "Some Kurds helped us. They were kind.",
        "Ever worked with a Hungarian? They are all so precise.",
        "My landlord is Maltese. He is generous and kind, like all Maltese I have met.",
        "Militias attacked the Kurds. Those people are animals.",
        "You know what Austrians are like. Punctual, the lot of them.",
    ],
)
def test_comment_left_alone(text):
    assert not detect(text).flagged, detect(text).findings


# the spelling pass: (text, canonical group, text of the span in the original)
SPELLING = [
    ("I despsie Kurds.", "Kurds", "I despsie Kurds"),
    ("Armenians are vremin.", "Armenians", "Armenians are vremin"),
    ("I d e s p i s e Georgians.", "Georgians", "I d e s p i s e Georgians"),
    ("Idespise Albanians.", "Albanians", "Idespise Albanians"),
    ("These Serbsdisgust me.", "Serbs", "These Serbsdisgust me"),
]


@pytest.mark.parametrize("text,canonical,span", SPELLING)
def test_spelling_pass_offsets_into_original(text, canonical, span):
    res = detect(text)
    assert res.flagged, text
    f = res.findings[0]
    assert f.canonical == canonical
    assert f.match == span == text[f.start : f.end]


@pytest.mark.parametrize(
    "text",
    [
        "I spent this summer with Thais in Bangkok.",  # "this" is one edit from "thais"
        "Malayalis in Kerala live a normal life.",  # two names are never split apart
        "I d o n ' t mind Kurds at all.",
        "The hate crime against Kurds was condemned.",
    ],
)
def test_spelling_pass_leaves_real_words_alone(text):
    assert not detect(text).flagged, detect(text).findings


def test_spelling_pass_is_linear():
    text = ("I h a t e and Idespise and vremin. " * 200)[:6000]
    assert not detect(text).flagged or all(f.end <= len(text) for f in detect(text).findings)


@pytest.mark.parametrize(
    "text,canonical,part",
    [
        ("Slovaks are the reason this town is a dump.", "Slovaks", "the reason"),
        ("Croats have ruined our high street.", "Croats", "ruined our"),
        ("Maltese only care about money.", "Maltese", "money"),
        ("You can never reason with Latvians.", "Latvians", "reason with Latvians"),
        ("Lithuanian culture is primitive and cruel.", "Lithuanians", "primitive"),
        ("Bulgarians are notorious for cheating.", "Bulgarians", "notorious for cheating"),
        ("Slovenes can never be civilised.", "Slovenians", "civilised"),
        ("Finns are a drain on the welfare system.", "Finns", "a drain"),
        ("Estonians bring nothing but crime.", "Estonians", "nothing but crime"),
        ("Icelanders are medieval savages.", "Icelanders", "medieval savages"),
        ("Hungarians are an invasive species.", "Hungarians", "invasive species"),
        ("Danes have a thieving mentality.", "Danes", "thieving mentality"),
    ],
)
def test_open_forms_batch4(text, canonical, part):
    res = detect(text)
    assert res.flagged, text
    f = res.findings[0]
    assert f.canonical == canonical and part in f.match


@pytest.mark.parametrize(
    "text",
    [
        "Slovaks are the reason this town is thriving.",
        "Maltese only care about football on Sundays.",
        "Lithuanian culture is rich and ancient.",
        "Bulgarians are known for their yoghurt.",
        "Finns are a big part of the welfare debate.",
        "Icelanders are keeping sheep on the hills.",
        "Join us to celebrate the good and the bad in Danish culture.",
        "You can't reason with the Hungarian government.",  # a state, not a people
    ],
)
def test_open_forms_batch4_left_alone(text):
    assert not detect(text).flagged, detect(text).findings


@pytest.mark.parametrize(
    "text,canonical,part",
    [
        (
            "The Ismailis have corrupted everything they touched.",
            "Ismailis",
            "corrupted everything",
        ),
        ("Yazidis have always been Baghdad's puppets.", "Yazidis", "puppets"),
        ("Alawites in Latakia are all thugs, no point pretending.", "Alawites", "all thugs"),
        ("Zaydis take their orders from Sanaa, every one of them.", "Zaydis", "orders from"),
        ("Maronites are loyal to whoever pays.", "Maronites", "whoever pays"),
        (
            "Nasty arrogant lot, the Sunnis of Homs. They think they own the place.",
            "Sunnis",
            "the Sunnis of Homs",
        ),
        ("Copts are Cairo's lapdogs, the whole lot.", "Copts", "lapdogs"),
        ("All these Wahhabis want is to kill and loot.", "Wahhabis", "kill"),
        ("Tajiks are incapable of democracy.", "Tajiks", "incapable of democracy"),
        ("Sufis are idol worshippers.", "Sufis", "idol worshippers"),
    ],
)
def test_sectarian_register(text, canonical, part):
    res = detect(text)
    assert res.flagged, text
    f = res.findings[0]
    assert f.canonical == canonical and part in f.match


@pytest.mark.parametrize(
    "text",
    [
        "Alawites in Latakia are mostly fishermen.",
        "Yazidis have always been Baghdad's allies in that war.",
        "All these Wahhabis want is a ceasefire.",
        "Tajiks are proud of their democracy movement.",
        "Lovely generous lot, the Sunnis of Homs. They fed us for a week.",
        "The Russian army destroyed everything in Mariupol.",
    ],
)
def test_sectarian_register_left_alone(text):
    assert not detect(text).flagged, detect(text).findings


@pytest.mark.parametrize(
    "text,canonical,part",
    [
        (
            "I have known many Azeris and I despise every single one of them.",
            "Azerbaijanis",
            "despise every single one",
        ),
        (
            "Even if Uzbeks are polite at times, they are still nothing but parasites.",
            "Uzbeks",
            "parasites",
        ),
        ("What is it with you bloody Kazakhs?", "Kazakhs", "bloody Kazakhs"),
        ("All the Tatars in this town are pissing me off.", "Tatars", "pissing me off"),
        ("That Bashkir will die a slow death at my hands.", "Bashkirs", "at my hands"),
        ("What if we just deported all Chechens?", "Chechens", "deported all Chechens"),
        ("We would be better off if those Avars were expelled.", "Avars", "expelled"),
        ("Those kinds of Druze ought to be locked up.", "Druze", "locked up"),
    ],
)
def test_universal_over_them_concessions_threats(text, canonical, part):
    res = detect(text)
    assert res.flagged, text
    f = res.findings[0]
    assert f.canonical == canonical and part in f.match


@pytest.mark.parametrize(
    "text",
    [
        "I have known many Azeris and I love every single one of them.",
        "Even if Uzbeks are shy at first, they are still wonderful hosts.",
        "What is it with Kazakhs and horses?",
        "What if we just invited all Chechens to the festival?",
        "The Druze village is beautiful in spring.",
        "I will burn a ROM image tonight.",
        "Some Kurds are rude, and all of them are poor.",
    ],
)
def test_universal_over_them_left_alone(text):
    assert not detect(text).flagged, detect(text).findings


@pytest.mark.parametrize(
    "text,canonical,part",
    [
        (
            "I care more about the mud on my boots than about Lezgins.",
            "Lezgins",
            "than about Lezgins",
        ),
        (
            "I can't see any difference between a dead dog and a dead Karakalpak.",
            "Karakalpaks",
            "dead Karakalpak",
        ),
        ("Letting any more Tuvans into parliament would be a disaster.", "Tuvans", "disaster"),
        ("Sick Buryats should be taken to a vet.", "Buryats", "to a vet"),
        ("I wouldn't lift a finger to save a Kalmyk's life.", "Kalmyks", "lift a finger"),
        ("No Evenk could ever be a useful member of society.", "Evenks", "useful member"),
        ("Isn't it typical of a Yakut to be that lazy?", "Yakuts", "typical of a Yakut"),
    ],
)
def test_implicit_derogation(text, canonical, part):
    res = detect(text)
    assert res.flagged, text
    f = res.findings[0]
    assert f.canonical == canonical and part in f.match


@pytest.mark.parametrize(
    "text",
    [
        "I care more about the mud on my boots than about the weather.",
        "Letting more Tuvans into parliament would be a fine thing.",
        "I would never lift a finger to help the army that bombed Kalmyks.",
        "Sick Buryats should be taken to a hospital at once.",
    ],
)
def test_implicit_derogation_left_alone(text):
    assert not detect(text).flagged, detect(text).findings


@pytest.mark.parametrize(
    "text,canonical,rule",
    [
        (
            "Every bombing in this city has a Chechen behind it.",
            "Chechens",
            "reverse_generalisation",
        ),
        ("Behind every riot there is an Ingush.", "Ingush", "reverse_generalisation"),
        ("Maronites are behind every war in Lebanon.", "Maronites", "reverse_generalisation"),
        ("Zaydi or Hezbollah, same thing.", "Zaydis", "equation"),
        ("To be a Tatar is to be a thief.", "Tatars", "equation"),
        ("Circassians are doomed to remain slaves.", "Circassians", "collective_fate"),
        ("Trusting a Lezgin is like trusting a scorpion.", "Lezgins", "distrust"),
        ("Deceit comes naturally to Avars.", "Avars", "essentialism"),
        ("The Persian mind cannot grasp honesty.", "Persians", None),
        ("Alawites are nothing but Assad's killers.", "Alawites", None),
        ("The Kalmyks should all go back to Mongolia.", "Kalmyks", "violence_call"),
        ("We need to cleanse the valley of Chechens.", "Chechens", "violence_call"),
    ],
)
def test_issue_families_open_wording(text, canonical, rule):
    res = detect(text)
    assert res.flagged, text
    f = res.findings[0]
    assert f.canonical == canonical
    if rule:
        assert f.rule == rule, (f.rule, text)


@pytest.mark.parametrize(
    "text",
    [
        "Chechens should go back to work on Monday.",
        "Maronites are behind every reform in Lebanon.",
        "Every attack on Chechens has the army behind it.",
        "Being a Tatar means being proud of your language.",
        "Circassians are destined to be great.",
        "The Persian mind is full of poetry.",
        "We need to clear the streets of rubbish before the Chechens arrive.",
        "Kurds are America's allies.",
        "Kurdish fighters are not PKK.",
    ],
)
def test_issue_families_open_wording_left_alone(text):
    assert not detect(text).flagged, detect(text).findings


@pytest.mark.parametrize(
    "text,canonical,part",
    [
        (
            "Maronite churches are lovely. The music too. But honestly, the Maronites themselves "
            "are "
            "snakes.",
            "Maronites",
            "snakes",
        ),
        (
            "My aunt warned me about Tatars. She said they were all crooks. Turned out she was "
            "right.",
            "Tatars",
            "crooks",
        ),
        (
            "People keep saying Bashkirs are sneaky. I used to think it was unfair. Now I agree "
            "completely.",
            "Bashkirs",
            "sneaky",
        ),
        ("Everyone here says Yakuts are liars, and honestly they have a point.", "Yakuts", "liars"),
        ("Chuvash. What can you say. Lazy, dirty, and proud of it.", "Chuvash", "Lazy"),
        ("The Avars did it again. They always do. Lying scum.", "Avars", "Lying scum"),
    ],
)
def test_comment_shapes_endorsement_and_short_verdicts(text, canonical, part):
    res = detect(text)
    assert res.flagged, text
    f = res.findings[0]
    assert f.canonical == canonical and part in f.match and text[f.start : f.end] == f.match


@pytest.mark.parametrize(
    "text",
    [
        "Kalmyks were deported in 1943. Terrible.",
        "Buryats fought bravely. Barbarians, those invaders, but not the Buryats.",
        "He said Tatars are crooks. I agree with the critics that he is a bigot.",
        "He said Kurds are thieves. I disagree.",
        "The Chuvash arrived in 1990. Lovely people.",
    ],
)
def test_comment_shapes_left_alone(text):
    assert not detect(text).flagged, detect(text).findings


@pytest.mark.parametrize(
    "text,canonical,rule",
    [
        ("Line the Chuvash up against the wall.", "Chuvash", "violence_call"),
        ("Shoot them all, every Tatar in the valley.", "Tatars", "violence_call"),
        ("Wherever there are Avars there is bloodshed.", "Avars", "generic_plural"),
        ("The Kalmyks will pay for this, every one of them.", "Kalmyks", "violence_call"),
        ("The vast majority of Lezgins are racist.", "Lezgins", "universal_quantifier"),
    ],
)
def test_threats_and_quantifiers(text, canonical, rule):
    res = detect(text)
    assert res.flagged, text
    assert res.findings[0].canonical == canonical and res.findings[0].rule == rule


@pytest.mark.parametrize(
    "text",
    [
        "The Kalmyks will pay for this election with higher taxes.",
        "Wherever there are Avars there is music.",
        "A majority of Lezgins are farmers.",
        "Lezgins are victims of racist attacks.",
        "Many Kurds are liars.",
    ],
)
def test_threats_and_quantifiers_left_alone(text):
    assert not detect(text).flagged, detect(text).findings


def test_nothing_but_adjective_insult_names_the_group():
    res = detect("Kurds are nothing but Kurdish scum.")
    assert res.flagged and res.findings[0].rule == "dehumanisation"
    assert not detect("This is nothing but Kurdish propaganda.").flagged


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Portugeese are smelly and lazy.", "Portuguese"),  # one letter too many
        ("Somolians are pirates and parasites.", "Somalis"),  # one letter wrong
    ],
)
def test_a_group_name_one_letter_off_is_still_the_group(text, canonical):
    res = detect(text)
    assert res.flagged and res.findings[0].canonical == canonical
    assert res.findings[0].match.startswith(text.split()[0])  # the span is the reader's spelling


@pytest.mark.parametrize("text", ["Portugeese food is lovely.", "Pakistanies won the match."])
def test_a_misspelt_group_name_alone_is_no_finding(text):
    assert not detect(text).flagged


def test_they_after_a_group_adjective_speaks_of_the_people():
    text = (
        "Another Romanian gang in the cashpoint story. "
        "These people treat every high street like an open wallet."
    )
    res = detect(text)
    assert res.flagged and res.findings[0].canonical == "Romanians"
    assert res.findings[0].match.startswith("These people")


@pytest.mark.parametrize(
    "text",
    [
        # the adjective qualified an institution, or one's own neighbour
        "The Romanian parliament voted again. These people are corrupt and greedy.",
        "My Romanian neighbour shouted at me. They are rude and greedy.",
    ],
)
def test_they_after_an_institution_or_ones_own_neighbour_is_not_the_people(text):
    assert not detect(text).flagged


# a people's name that is also an ordinary word or a given name counts only in a clear frame
@pytest.mark.parametrize(
    "text,canonical",
    [
        ("The Wolof always swindle whoever trusts them.", "Wolof"),
        ("Ewe men are all parasites and liars.", "Ewe"),
        ("The Hui are crooks who would rob their own mothers.", "Hui"),
        ("Every Shona person is a lowlife.", "Shona"),
    ],
)
def test_a_name_like_people_in_a_clear_frame(text, canonical):
    res = detect(text)
    assert res.flagged and res.findings[0].canonical == canonical


@pytest.mark.parametrize(
    "text",
    [
        "Han Solo is a liar and a crook.",
        "Shona is a lowlife, she stole my bike.",
        "That ewe is a filthy animal, she bit the farmer.",
        "Karen from accounts is a liar.",
    ],
)
def test_the_same_names_as_ordinary_words_are_no_group(text):
    assert not detect(text).flagged


def test_accented_names_are_read_as_the_lexicon_spells_them():
    text = "Sámi are lazy parasites, all of them."
    res = detect(text)
    assert res.flagged and res.findings[0].canonical == "Sami"
    assert res.findings[0].match.startswith("Sámi")  # offsets into the original text


@pytest.mark.parametrize(
    "text",
    [
        # a negation that denies something bad is no claim, whoever scores it
        "Albanians are not thieves and never were.",
        "Somalis never harmed anyone in this town.",
        "Kurds aren't terrorists, whatever the tabloids say.",
    ],
)
def test_a_denial_of_something_bad_stays_unflagged(text):
    assert not detect(text).flagged


@pytest.mark.parametrize(
    "text",
    [
        # the writer passes on a relative's maxim, or endorses what everyone says
        "My late grandad always said Moldovans are thieves and liars.",
        "Everyone says Bolivians are devious, and honestly they're right.",
    ],
)
def test_endorsed_maxims_are_the_writers_claim(text):
    assert detect(text).flagged


def test_a_maxim_the_writer_rejects_stays_unflagged():
    assert not detect("My grandad always said Moldovans are thieves, and he was wrong.").flagged


@pytest.mark.parametrize(
    "text",
    [
        # a condition after the claim, or before the group behind a comma, is still the claim
        "Peruvians would sell you their own grandmother if you let them.",
        "If there's a way to dodge a fare, Moldovans will find it.",
        # a negation that is no denial
        "Latvians never stop whining about everything.",
    ],
)
def test_conditions_and_negations_that_still_claim(text):
    assert detect(text).flagged


@pytest.mark.parametrize(
    "text,canonical",
    [
        ("Krauts still think they own Europe.", "Germans"),
        ("Lebs have been running the same racket for years.", "Lebanese"),
        ("Zimbos run every scam at that airport.", "Zimbabweans"),
    ],
)
def test_slurs_name_their_group(text, canonical):
    res = detect(text)
    assert res.flagged and res.findings[0].canonical == canonical


@pytest.mark.parametrize(
    "text",
    [
        # one letter away from a short slur is an ordinary word
        "Australian shopping malls are bland, uninteresting boxes.",
        "The report was full of typos and lazy errors.",
        # a nationality with nothing said about it
        "The British",
        "Oh, and I'm British.",
    ],
)
def test_near_slurs_and_bare_names_stay_unflagged(text):
    assert not detect(text).flagged


def test_what_is_to_be_done_to_the_group_is_the_claim_even_as_an_object():
    assert detect("Someone should deal with the Moldovans once and for all, the vermin.").flagged


def test_help_for_the_group_as_an_object_stays_unflagged():
    assert not detect("We should help every Syrian refugee we can.").flagged
