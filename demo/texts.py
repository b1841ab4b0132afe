"""What the generated demo articles and their readers say (written for the demo; fictional).

Reader comments are put together from these parts by demo.build: an optional opener, one or
two remarks about the article (with its own nouns filled in), an optional closer. A few lines
are sectarian generalisations of the kind the detector reports or holds, and a few are hedges
and counter-speech it leaves alone, so the moderation queue has real findings to show.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    body: str
    # Filled into the remarks: {thing} (what the article is about), {who} (the people acting),
    # {place}.
    thing: str
    who: str
    place: str
    days_ago: float  # published this long before the demo is built


ARTICLES = {
    "busy": DemoArticle(
        slug="demo-ceasefire-talks-resume",
        title="Ceasefire talks resume as aid convoys wait at the northern crossing",
        body=(
            "Negotiators returned to the table on Monday for a third round of talks on a "
            "ceasefire in the north, as more than forty lorries of food and medicine waited at "
            "the crossing for permission to enter.\n\n"
            "Both delegations described the first session as “constructive”, but neither would "
            "say whether the question of who controls the crossing itself was on the agenda. "
            "Aid agencies say the convoys have been held for eleven days.\n\n"
            "Local councils on both sides of the line have asked to be included in the talks. "
            "A spokesperson for the mediators said that “every community that lives with the "
            "consequences will be heard”, without giving a date.\n\n"
            "(A fictional article written for the Newsroom demo.)"
        ),
        thing="the ceasefire",
        who="the negotiators",
        place="the north",
        days_ago=2.5,
    ),
    "schools": DemoArticle(
        slug="demo-religious-schools-bill",
        title="Parliament debates new inspection rules for religious schools",
        body=(
            "A bill that would bring every religious school under the national inspection "
            "regime passed its first reading on Wednesday by 212 votes to 187.\n\n"
            "Supporters say the same standards should apply to every child's education. "
            "Opponents, including several faith organisations, say the bill was drafted "
            "without consulting them and leaves the definition of a “religious school” to the "
            "minister.\n\n"
            "The bill now goes to committee, where amendments on funding and on the inspectors' "
            "training are expected.\n\n"
            "(A fictional article written for the Newsroom demo.)"
        ),
        thing="the bill",
        who="the ministry",
        place="our town",
        days_ago=4.0,
    ),
    "trial": DemoArticle(
        slug="demo-church-arson-trial",
        title="Trial opens over the arson attack on a village church",
        body=(
            "Three men went on trial on Thursday, accused of setting fire to the church of St "
            "Elias in March. Nobody was hurt; the roof and the archive of parish records were "
            "destroyed.\n\n"
            "The prosecution says the attack was planned in a group chat. The defence says two "
            "of the accused were not in the village that night.\n\n"
            "The village's imam and priest attended the first day together. The trial is "
            "expected to last three weeks. Comments on this article are pre-moderated.\n\n"
            "(A fictional article written for the Newsroom demo.)"
        ),
        thing="the trial",
        who="the prosecution",
        place="the village",
        days_ago=1.0,
    ),
    "buses": DemoArticle(
        slug="demo-night-buses-approved",
        title="Council approves night buses on four routes from January",
        body=(
            "Night buses will run every thirty minutes on four routes from January, after the "
            "city council approved a one-year trial on Tuesday.\n\n"
            "The trial costs 1.2 million a year. Hospital and hotel workers' unions, who "
            "campaigned for the service, welcomed the vote; the opposition called the routes "
            "“a map drawn for the city centre”.\n\n"
            "(A fictional article written for the Newsroom demo.)"
        ),
        thing="the trial",
        who="the council",
        place="the city",
        days_ago=9.0,
    ),
}

OPENERS = (
    "Honestly,",
    "To be fair,",
    "I read the whole piece and",
    "As someone who grew up near there,",
    "Not sure about this, but",
    "Interesting article.",
    "Good reporting, for once.",
    "Sorry, but",
    "Let's be realistic:",
    "Two things.",
    "Long-time reader here.",
    "Genuine question:",
)

REMARKS = (
    "I doubt {thing} will change much for people in {place}.",
    "{who} have promised this before and nothing happened.",
    "The article leaves out who actually benefits from {thing}.",
    "At least {who} are talking, which is more than last year.",
    "I'd like to know who is paying for all of this.",
    "The quotes here are carefully chosen to say nothing.",
    "Everyone in {place} I know is simply tired.",
    "This will be decided somewhere else, not by {who}.",
    "There is a real chance here if nobody wrecks it in the next week.",
    "It's the small details of {thing} that matter, and we haven't seen them.",
    "Nobody asked the people who actually live in {place}.",
    "I remember the last round; it collapsed over exactly this.",
    "{thing} is the least bad option on the table.",
    "The headline oversells it; read the third paragraph.",
    "If {who} can't agree on the basics, why should anyone trust the rest?",
    "My cousin works near {place} and says the mood is cautiously hopeful.",
    "I'd rather see slow progress than another dramatic announcement.",
    "The numbers in the article don't add up to me.",
    "Give it a month before judging.",
    "This is what happens when decisions are made without local input.",
    "Credit where it's due: {who} handled this better than I expected.",
    "The real story is what isn't in the article.",
    "Whoever wrote the second paragraph knows the region.",
    "Another committee, another delay.",
    "We keep debating {thing} as if the outcome weren't obvious.",
    "I changed my mind on this after reading the full statement.",
    "The comments here are better informed than most of the coverage.",
)

CLOSERS = (
    "Time will tell.",
    "We've seen this film before.",
    "Sources, please.",
    "Hope I'm wrong.",
    "Just my two cents.",
    "Anyway, thanks for the article.",
    "Let's see what happens next week.",
    "That's all.",
)

REPLIES = (
    "Agreed.",
    "I don't think that's fair.",
    "Do you have a source for that?",
    "This. Exactly this.",
    "That's not what the article says.",
    "You're missing the point.",
    "Fair point, I hadn't thought of it that way.",
    "Read it again, slowly.",
    "Strongly disagree, but I see where you're coming from.",
    "Thank you, this is the most sensible comment here.",
    "Same here.",
    "That was true ten years ago, not now.",
    "Can you explain what you mean?",
    "Half right, I'd say.",
    "Not everyone sees it like that.",
    "Funny, I read it the opposite way.",
)

# Hedges, counter-speech and reported speech: they name groups but generalise about none.
NOT_GENERALISATIONS = (
    "Some militias broke the last ceasefire, not Sunnis as a whole.",
    "Saying all Muslims are terrorists is exactly the kind of talk that fuels this war.",
    "Not all Kurds support the PKK, whatever the headlines say.",
    "My neighbours are Shia and they are the kindest people I know.",
    "Many Alawites I have met are as tired of the war as anyone.",
    "Blaming every Sunni for ISIS is just lazy.",
    "The Christians and Muslims in my village rebuilt the school together.",
    "Please don't turn this into a fight about Druze or Kurds; it's about the crossing.",
)

# Generalisations the detector reports (the comment stays up, under Reported) ...
REPORTED = (
    "All Sunnis are terrorists.",
    "Shias are liars, every one of them.",
    "Kurds are traitors by nature.",
    "Alawites can never be trusted.",
    "Christians are all the same, they only care about money.",
    "Every Druze is a spy for Israel.",
    "Iranians are born liars.",
)
# ... and calls for violence or expulsion, which it holds in Pending.
HELD = (
    "Death to all Alawites.",
    "Throw every Arab out of this country.",
    "The Turks should be expelled from the north.",
)

# Readers' comments that other readers report, though the detector finds nothing in them.
SPAM = "Make 500 a day from home!!! Visit my profile for the secret link."
RUDE = "You are an idiot and everyone here knows it."

# The comment a moderator features on the busy thread.
THOUGHTFUL = (
    "I worked on convoys like these for six years. The lorries are rarely the problem; the "
    "paperwork is. Each load needs a signed manifest from both sides, and the signatures expire "
    "after 72 hours, so a week of talks means the drivers start again from zero.\n\n"
    "If the mediators want a quick win, they should agree on a single manifest that both sides "
    "accept. It costs nobody anything and would get food moving before the bigger questions are "
    "settled."
)

# Readers with published comments and no password: they cannot sign in (username, display name).
COMMENTERS = (
    ("nadia-k", "Nadia K."),
    ("omar-h", "Omar H."),
    ("sam-wright", "Sam Wright"),
    ("leyla", "Leyla"),
    ("jonas-b", "Jonas B."),
    ("maria-s", "María S."),
    ("tariq", "Tariq"),
    ("hannah-l", "Hannah L."),
    ("yusuf-a", "Yusuf A."),
    ("grace-o", "Grace O."),
    ("dmitri", "Dmitri"),
    ("fatima-z", "Fatima Z."),
    ("pete-r", "Pete R."),
    ("elias-m", "Elias M."),
    ("rania", "Rania"),
    ("chen-w", "Chen W."),
    ("ibrahim-d", "Ibrahim D."),
    ("sofia-p", "Sofia P."),
    ("old-harbour", "old_harbour"),
    ("kemal-t", "Kemal T."),
    ("ana-v", "Ana V."),
    ("georg", "Georg"),
    ("zainab-r", "Zainab R."),
    ("mike-t", "Mike T."),
)
# Who posts the generalisations: mostly the first, whose get him a note and pre-moderation.
HOTHEAD = "pete-r"
HOTHEADS = (HOTHEAD, "kemal-t", "mike-t")
# The one who spams (and is suspended for it).
SPAMMER = "old-harbour"
