"""Detector 3.2: where a negation reaches, mocked charges, questions that assert, generic
singulars. Pure Python, no database."""

import pytest

from moderation.detection import detect


@pytest.mark.parametrize(
    "text",
    [
        # a negation earlier in the same clause governs the group
        "There is no hatred in my heart for you Tamils.",
        "We should never support a politician that treats Yazidis like garbage.",
        "We must never condone the killing of any Druze.",
        # the charge is the writer's own rejection, not a mocked one
        "Saying Kurds are thieves is racist, plain and simple.",
        # praise in the same shapes is not a finding
        "I have never met a Kurd who wasn't generous to guests.",
        "You will never find an honest critic of the Tajik government in that parliament.",
        # reported speech the writer does not take up, or rejects
        "My uncle says Latvians are lazy, and he is wrong.",
        "My dad says Latvians are lazy. He was wrong about so much.",
        "Saying Latvians are thieves should get you thrown in jail.",
        # a rejection in the next sentence, a sanction for saying it, a claim debunked
        "I'm tired of hearing that Latvians never pay their debts; it isn't true.",
        "He was sacked for tweeting that Latvians are misers, and rightly so.",
        "The minister's line that Latvians loot whenever they can has been debunked.",
        # a few people named, then a pronoun about them, not the people
        "A couple of Hazaras moved in next door. They are noisy.",
        # a people's places named in the news, or the state's army as the target
        "The Chinese quarter has the best dumplings in town.",
        "The Kurdish villages were bombed by the army in 1988.",
        "The Armenian churches should be restored, not bulldozed.",
        "Bomb the Russian army until it leaves Ukraine.",
        # an institution after the adjective, then a verdict on it
        "Kenyan police shot a protester. Thugs, the lot of them.",
        # questions that only ask
        "Have you ever met a Kuwaiti?",
        "Why can't Kurds vote anywhere in Syria?",
        # an inflected word is no misspelt group: "backs" is not "blacks"
        "The voter backs the government, traitors all.",
        # a surname or a year of the rat
        "Mr Reddy opened a shop on the high street.",
        "Chinese New Year of the Rat 🐀 starts tonight.",
        "The Rohingya were pushed into the sea by the navy.",
        # coordinated adjectives; a double negation that praises; a genuine "how"
        "He follows Argentinian and Uruguayan football closely.",
        "Nepali people are never less than honest.",
        "Can we talk about how Sri Lankans are treated at the border?",
        "My uncle thinks Argentines are arrogant, which is nonsense.",
        "Kurds are good for the economy, the report says.",
        # identity named with nothing bad after it
        "He's Kurdish, so obviously he was worried about the referendum.",
        "The driver was Ghanaian, which explains the accent.",
        "Basque culture is rich and ancient.",
        "I met another Kosovar at the party. They were lovely.",
        # praise: the words the model weighs are no bad word
        "You and all the other Kurds are a blessing to society.",
        # advice shapes about one person
        "Ask a Frenchman for directions, he was very helpful.",
        "Dealing with an Estonian client was a pleasure.",
        # a why-question in sympathy
        "Why do Bulgarians never get a fair hearing in the press?",
        "Why is it always the Roma who get blamed for everything?",
    ],
)
def test_negation_and_rejection_still_block(text):
    assert not detect(text).flagged, detect(text).findings


@pytest.mark.parametrize(
    "text,canonical",
    [
        # a negation in a clause that has ended does not reach the group
        ("I don't want to sound harsh, but Chechens are liars and cheats.", "Chechens"),
        # the writer mocks the charge; the claim stands
        ("Uzbeks steal everything in sight and then cry racism when caught.", "Uzbeks"),
        # questions that assert
        ("Is there a single Albanian who isn't a crook?", "Albanians"),
        ("Did you honestly expect a Pashtun to keep his word?", "Pashtuns"),
        # reported speech the writer endorses
        (
            "A colleague told me Moldovans are lazy and useless, and I can't argue with him.",
            "Moldovans",
        ),
        (
            "My gran always said Latvians were thieves. Looking at this case, she had a point.",
            "Latvians",
        ),
        ("Say what you will, Chadians are liars.", "Chadians"),
        # a why-question that asserts; a negation that is part of the claim
        ("Why do Bulgarians never pay their debts?", "Bulgarians"),
        ("Fijians cannot drink without starting a brawl.", "Fijians"),
        # the police or a court in the claim is no rejection of it
        ("Latvians are sneaky little thieves and the police are in on it.", "Latvians"),
        # a few named, then the whole people: "as a community", "that lot"
        (
            "I worked with a few Hazaras and they were fine. "
            "But as a community they are sly and clannish.",
            "Hazaras",
        ),
        ("My office has a few Jains. That lot are sanctimonious hypocrites.", "Jains"),
        # a determiner after an invariant name makes it the people
        ("Someone should give the Burmese the beating they have earned.", "Burmese"),
        # a people's villages and quarters as the target of a call (hold)
        ("Bomb every Chechen village until there is nobody left to rebel.", "Chechens"),
        ("Every Alawite village should be burned, they all backed Assad.", "Alawites"),
        # a verdict on the whole people the adjective named in the sentence before
        (
            "Kalenjin runners swept the marathon again. Cheats and liars, the entire community.",
            "Kalenjin",
        ),
        # questions that assert about any one of them
        ("Has a Qatari ever done a day's work in his life?", "Qataris"),
        ("Why can't Kurds settle anywhere without causing trouble?", "Kurds"),
        ("A dog has more loyalty than any Afghan you'll ever meet.", "Afghans"),
        # more calls (hold)
        ("Throw every last Tamil into the Palk Strait.", "Tamils"),
        ("Flatten Gaza with every Palestinian in it.", "Palestinians"),
        # castes, regional slurs, emoji that insult
        ("Kammas only hire Kammas, they are a mafia.", "Kammas"),
        ("Gultis will fake any certificate.", "Telugus"),
        ("Turks 🐀🐀🐀", "Turks"),
        # "your typical X"
        ("Ungrateful, two-faced and forever playing the victim, your typical Serb.", "Serbs"),
        # endorsing what was done to a people (hold)
        ("Saddam had the right idea about the Kurds.", "Kurds"),
        # what the group itself thinks is the claim, not reported speech
        (
            "South Sudan is what happens when the Dinka get power. Arrogant people who think they "
            "were born to rule the others.",
            "Dinka",
        ),
        ("Can we talk about how Sri Lankans always cheat at cricket?", "Sri Lankans"),
        # a good word negated is the evidence
        ("Nepali people never do an honest day's work.", "Nepalese"),
        ("Not one Lithuanian has ever bothered to pay their debts.", "Lithuanians"),
        ("Basotho are only good for working down the mines.", "Basotho"),
        # identity as the explanation
        ("He's Albanian, so obviously the car was stolen.", "Albanians"),
        ("The contractor was Ghanaian, which explains why the work was shoddy.", "Ghanaians"),
        ("What do you expect, he's Chechen.", "Chechens"),
        # a people's essence through its adjective
        ("Greed is baked into the Kuwaiti soul.", "Kuwaitis"),
        ("Basque culture breeds money-grubbing people.", "Basques"),
        # "another X", then what "they" do
        (
            "The stabbing outside the club was another Kosovar. They come here, they breed gangs.",
            "Kosovars",
        ),
        # advice about any one of them
        ("Never lend money to a Maltese.", "Maltese"),
        ("Give a Syrian a flat and he'll bring twelve cousins to live in it.", "Syrians"),
        # generic singulars
        ("You will never find an honest Tajik, not one.", "Tajiks"),
    ],
)
def test_caught(text, canonical):
    result = detect(text)
    assert result.flagged, text
    assert canonical in {f.canonical for f in result.findings}
