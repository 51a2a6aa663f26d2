"""Regenerate the demo site: `python3 crawler/demo_site/build_site.py`.

The articles below were written for this project. From each one the script derives, deterministically,
the four kinds of damage a content farm does to copied news:

- spun:        words swapped for thesaurus "synonyms" that do not fit the context (a spinner's word list)
- split:       full stops and capitals stuffed into the middle of sentences
- injected:    promo paragraphs and unrelated headlines pushed between the paragraphs
- boilerplate: share bars, comment forms, newsletter and weather widgets pasted into the article's text

plus three short pieces in German, Spanish and French, and an index page linking everything. The
generated HTML files are committed; edit this script and rerun it to change them.
"""
from __future__ import annotations

import html
import random
import re
from pathlib import Path

SITE = Path(__file__).resolve().parent

ARTICLES: dict[str, dict] = {
    "footbridge": {
        "title": "Riverside footbridge opens after two years of delays",
        "byline": "By Ellen Marsh, city desk",
        "paragraphs": [
            "The new footbridge across the river at Mill Lane opened to the public on Monday morning, almost two "
            "years later than planned. Several hundred residents walked across it in the first hour, many of them "
            "parents taking children to the primary school on the eastern bank.",
            "The bridge replaces a narrow crossing that was closed in the spring of last year after engineers found "
            "cracks in two of its supports. Since then, people living on the eastern side have had to walk almost a "
            "mile to the road bridge near the station, a route that has no pavement for part of the way.",
            "Work on the replacement was held up first by a dispute over the design and then by the discovery of an "
            "old gas main under the western landing. The council said the final cost was a little over four million "
            "pounds, about a fifth more than the budget agreed when the project was approved.",
            "The deputy leader of the council, who cut a ribbon at the western end, thanked residents for their "
            "patience. She said the delays had been frustrating but that the council had chosen to fix the problems "
            "properly rather than open a bridge that would need repairs within a few years.",
            "The structure is made of steel and timber and is wide enough for bicycles and wheelchairs to pass each "
            "other. Lighting is built into the handrails, and a small viewing platform in the middle looks upstream "
            "towards the old mill.",
            "Local shop owners on the eastern bank said they expected more customers now that the crossing is open "
            "again. The owner of a bakery on Water Street said trade had fallen by almost a third while the old "
            "bridge was closed, because people from the town centre simply stopped coming over.",
            "Not everyone was pleased. A group of residents who campaigned for a cheaper repair of the old bridge "
            "said the council had spent too much money on the new one. They have asked for a public review of how "
            "the contract was managed.",
            "The council said the bridge will be inspected every six months for the first two years. Cyclists are "
            "asked to give way to people on foot.",
        ],
    },
    "seed-library": {
        "title": "County library now lends seeds as well as books",
        "byline": "By Tomas Reyes",
        "paragraphs": [
            "Visitors to the central library can now borrow tomato, bean and lettuce seeds alongside novels and "
            "travel guides. The seed library, which opened this week, is kept in an old card catalogue cabinet near "
            "the entrance, with each small drawer labelled by plant and variety.",
            "The idea is simple. Members take a packet of seeds in the spring, grow the plants at home or on an "
            "allotment, and return some of the seeds they collect at the end of the season. Nobody is fined if a "
            "crop fails, the librarians say, and beginners are especially welcome.",
            "The project was started by a retired teacher who has grown vegetables in the town for more than forty "
            "years. She said she had been saving seeds from the same variety of runner bean since the nineteen "
            "eighties and wanted to share them before they were lost.",
            "Library staff said about two hundred packets were borrowed in the first three days. The most popular "
            "were a small yellow tomato and a climbing bean with purple flowers. Several schools have asked whether "
            "classes can visit to learn how seeds are cleaned, dried and stored.",
            "The county council, which runs the library, said the scheme cost very little. The cabinet was donated, "
            "the packets are made from scrap paper, and volunteers run monthly workshops on saving seeds. A local "
            "garden centre has given compost and pots for the children's sessions.",
            "Seed libraries have become common in North America over the past decade, and a growing number of "
            "libraries in Europe have followed. Supporters say they help keep old local varieties alive and teach "
            "people where their food comes from.",
            "The library manager said the scheme fitted the purpose of a public library well. A library has always "
            "been a place where people share things they could not easily own alone, she said, and seeds are one "
            "more thing worth sharing.",
            "Anyone with a library card can borrow up to five packets at a time. Workshops are held on the first "
            "Saturday of each month and are free to attend.",
        ],
    },
    "heat-map": {
        "title": "Study maps the hottest streets in the city",
        "byline": "By Priya Natarajan, science reporter",
        "paragraphs": [
            "On a warm afternoon last August, the hottest street in the city was more than seven degrees warmer "
            "than a leafy avenue less than two miles away. That is one of the findings of a study published on "
            "Tuesday by researchers at the university's department of geography.",
            "The team fitted temperature sensors to bicycles and asked volunteers to ride fixed routes three times a "
            "day for a month. Together the volunteers covered more than four thousand miles and recorded over a "
            "million measurements, which were then combined with satellite images of the city.",
            "The results show a clear pattern. Streets with few trees, wide roads and dark roofs stayed hot well "
            "into the night, while streets with mature trees and small front gardens cooled down quickly after "
            "sunset. Large car parks and the industrial estate near the ring road were among the warmest places "
            "measured.",
            "The lead author said the difference matters most for older people and young children, who are more "
            "likely to suffer during heat waves. Several of the hottest streets are in neighbourhoods where many "
            "homes have no air conditioning and many residents are over seventy.",
            "The study recommends planting trees along the worst affected streets, painting roofs in lighter "
            "colours and replacing some paved areas with grass or gravel. The authors estimate that doubling tree "
            "cover on the ten hottest streets could lower afternoon temperatures there by two to three degrees.",
            "A spokesman for the city council said the findings would be used to decide where to plant the five "
            "thousand trees promised in its climate plan. He added that the council was already testing a light "
            "coloured road surface on two streets in the north of the city.",
            "The researchers plan to repeat the measurements next summer, this time with sensors on buses as well as "
            "bicycles, so that the whole city can be mapped in a single week. The data from the first study has been "
            "published online so that residents can look up their own street.",
        ],
    },
    "rail-results": {
        "title": "Regional rail operator reports more passengers and a small profit",
        "byline": "By Daniel Okafor, business desk",
        "paragraphs": [
            "The company that runs trains on the coastal line reported a small profit for the first half of the "
            "year on Thursday, its first since the pandemic. Passenger numbers rose by eleven percent compared with "
            "the same period last year, helped by new weekend services and lower fares for young people.",
            "Revenue for the six months to the end of June was just under ninety million pounds. After paying for "
            "staff, fuel, track access and the lease of its trains, the operator made a profit of about two million "
            "pounds. A year ago it reported a loss of almost five million.",
            "The chief executive said the results showed that people were returning to rail as long as trains were "
            "frequent and reliable. He pointed to the new hourly service between the port and the university town, "
            "which has carried far more passengers than the company expected.",
            "Punctuality also improved. Nine out of ten trains arrived within five minutes of the timetable, "
            "compared with eight out of ten a year earlier. The company said it had spent heavily on maintenance "
            "and had hired forty more engineers to keep its older trains running.",
            "Not all of the news was good. Costs rose faster than expected because of higher energy prices, and the "
            "company warned that the second half of the year would be harder. A planned strike by conductors in "
            "September could also reduce income if it goes ahead.",
            "Passenger groups welcomed the figures but said fares on the busiest commuter routes remained too high. "
            "They want the company to extend the discount for young people to part time workers and to people "
            "looking for work.",
            "The regional transport authority, which sets the terms of the contract, said it would decide next year "
            "whether to extend the operator's contract beyond its current end date. The company said it hoped the "
            "latest results would count in its favour.",
        ],
    },
    "flood-watch": {
        "title": "Volunteers fill sandbags as the river keeps rising",
        "byline": "By Ellen Marsh",
        "paragraphs": [
            "Hundreds of volunteers spent Saturday filling sandbags in the market square as the river rose to its "
            "highest level in twelve years. By the evening more than eight thousand bags had been handed out to "
            "households and shops in the streets closest to the water.",
            "The environment agency issued a flood warning for the lower town on Friday night after two days of "
            "heavy rain in the hills to the west. The river is expected to peak early on Monday, and forecasters "
            "say more rain could arrive on Sunday afternoon.",
            "Firefighters and council workers delivered sand and empty bags to the square in lorries, and people of "
            "all ages turned up with shovels. A rugby club sent its whole youth team, and a cafe on the corner gave "
            "out free tea and soup all day.",
            "Residents of Riverside Terrace, which flooded badly twelve years ago, were among the first to collect "
            "sandbags. One woman who has lived on the street for thirty years said she had moved her furniture "
            "upstairs as a precaution. She said the mood was calmer than last time because people knew what to do.",
            "The council has opened the sports hall on Hill Road as a rest centre for anyone who needs to leave "
            "their home. It said it had beds, food and medical staff ready for up to two hundred people, and that "
            "pets would be welcome.",
            "The flood defences built after the last major flood are expected to protect most of the town centre. "
            "Engineers checked the walls and gates on Saturday morning and said they were in good condition. The "
            "greatest risk is to a group of older houses below the railway, which are not behind the new wall.",
            "People are asked not to walk or drive through flood water, to keep away from the river banks and to "
            "check on elderly neighbours. The council will post updates on its website every few hours until the "
            "warning is lifted.",
        ],
    },
    "robotics": {
        "title": "School robotics team heads to the national final",
        "byline": "By Tomas Reyes",
        "paragraphs": [
            "A team of six students from the town's secondary school has qualified for the national final of a "
            "robotics competition after winning the regional round on Saturday. It is the first time a team from "
            "the school has reached the final in the competition's twenty year history.",
            "The students, aged between fourteen and seventeen, had eight weeks to design, build and program a "
            "robot that could sort coloured blocks and stack them on a moving platform. Their robot completed the "
            "task faster than any other machine in the regional round and made only one mistake in three attempts.",
            "The team built most of the parts themselves, using a laser cutter in the school workshop and a second "
            "hand three dimensional printer that a parent found online. They wrote the control software in Python "
            "and tested it in the school hall every lunch break.",
            "The team captain said the hardest part was the gripper that picks up the blocks. The first version "
            "dropped almost every block, and the students rebuilt it four times before it worked reliably. She said "
            "the failures taught them more than the successes did.",
            "Their teacher, who started the robotics club three years ago with only four members, said more than "
            "forty students now take part each week. He said the club had changed how some students saw themselves, "
            "including several who had never thought of studying engineering.",
            "The national final will be held in the spring. The team needs to raise about two thousand pounds to pay "
            "for travel, accommodation and new parts, and local businesses have already promised half of that amount.",
            "The head teacher said the whole school was proud of the team. She said their success showed what "
            "students could achieve when they were given time, space and the freedom to make mistakes.",
        ],
    },
}

FOREIGN: dict[str, dict] = {
    "de-stadtfest": {
        "lang": "de",
        "title": "Stadtfest lockt tausende Besucher an den Fluss",
        "paragraphs": [
            "Bei strahlendem Sonnenschein haben am Wochenende mehrere tausend Menschen das Stadtfest am Flussufer "
            "besucht. Auf drei Bühnen spielten Bands aus der Region, und entlang der Promenade boten Vereine Essen, "
            "Getränke und Spiele für Kinder an.",
            "Der Bürgermeister eröffnete das Fest am Samstagmittag und dankte den vielen Freiwilligen, die seit "
            "Wochen geplant und aufgebaut hatten. Besonders beliebt war ein Wettbewerb im Drachenbootrennen, an dem "
            "zwölf Mannschaften aus Schulen, Betrieben und Sportvereinen teilnahmen.",
            "Die Polizei sprach von einem friedlichen Wochenende ohne größere Zwischenfälle. Die Stadt will die "
            "Einnahmen aus dem Verkauf der Festabzeichen in diesem Jahr für neue Spielgeräte auf dem Spielplatz "
            "am Mühlenweg verwenden.",
            "Im nächsten Jahr soll das Fest um einen Tag verlängert werden. Die Organisatoren suchen bereits jetzt "
            "Helferinnen und Helfer für den Auf- und Abbau.",
        ],
    },
    "es-mercado": {
        "lang": "es",
        "title": "El mercado municipal reabre tras dos años de obras",
        "paragraphs": [
            "El mercado municipal del barrio antiguo volvió a abrir sus puertas el lunes después de dos años de "
            "obras. Los vecinos hicieron cola desde primera hora para ver los nuevos puestos, la cubierta de "
            "madera y la plaza interior, que ahora tiene árboles y bancos.",
            "La reforma ha costado algo más de seis millones de euros, según el ayuntamiento. El edificio, de "
            "principios del siglo pasado, necesitaba una nueva estructura para el tejado y un sistema moderno de "
            "refrigeración para los puestos de pescado y carne.",
            "De los cuarenta puestos, treinta y cinco ya están ocupados. La mayoría son comerciantes que vendían en "
            "el mercado antes de las obras y que durante este tiempo trabajaron en una carpa provisional junto a la "
            "estación de autobuses.",
            "La concejala de comercio dijo que el objetivo es que el mercado sea también un lugar de encuentro. Los "
            "sábados habrá talleres de cocina para niños y, una vez al mes, un mercado de productores de la comarca.",
        ],
    },
    "fr-bibliotheque": {
        "lang": "fr",
        "title": "La bibliothèque du quartier ouvre le dimanche",
        "paragraphs": [
            "À partir du mois prochain, la bibliothèque du quartier de la gare ouvrira ses portes le dimanche "
            "après-midi. La mairie répond ainsi à une demande ancienne des habitants, en particulier des familles "
            "et des étudiants qui travaillent en semaine.",
            "L'ouverture dominicale sera assurée par une équipe de bibliothécaires volontaires, rémunérés en heures "
            "supplémentaires, et par des étudiants embauchés pour l'année. La ville estime le coût à environ "
            "quarante mille euros par an.",
            "Le directeur de la bibliothèque explique que le dimanche est le jour où les salles de lecture seraient "
            "les plus utiles. Beaucoup d'enfants n'ont pas de calme chez eux pour faire leurs devoirs, dit-il, et la "
            "bibliothèque peut leur offrir cet espace.",
            "Un bilan sera fait après six mois. Si la fréquentation est bonne, d'autres bibliothèques de la ville "
            "pourraient suivre le même modèle.",
        ],
    },
}

# A spinner's thesaurus: each swap is a real dictionary synonym in *some* sense of the word, chosen
# without regard to context, which is what produces "tortured phrases".
SPIN_SYNONYMS = {
    "new": "novel", "opened": "unfolded", "public": "open", "morning": "dawn", "almost": "practically",
    "years": "a long time", "later": "after", "planned": "arranged", "residents": "occupants",
    "walked": "strolled", "first": "initial", "hour": "time", "children": "youngsters", "school": "institute",
    "bridge": "extension", "replaces": "substitutes", "narrow": "tight", "closed": "shut",
    "spring": "wellspring", "engineers": "specialists", "found": "established", "cracks": "breaks",
    "supports": "backings", "people": "individuals", "living": "residing", "side": "flank",
    "road": "street", "station": "terminal", "work": "labor", "held": "kept", "dispute": "quarrel",
    "design": "plan", "discovery": "revelation", "old": "antiquated", "council": "chamber",
    "said": "expressed", "final": "last", "cost": "expense", "little": "minimal", "budget": "spending plan",
    "agreed": "concurred", "project": "venture", "approved": "endorsed", "leader": "pioneer",
    "thanked": "acknowledged", "patience": "persistence", "delays": "postponements",
    "frustrating": "disappointing", "problems": "issues", "properly": "appropriately",
    "repairs": "fixes", "structure": "construction", "wide": "expansive", "enough": "sufficient",
    "pass": "elapse", "small": "modest", "looks": "appears", "local": "nearby", "shop": "store",
    "owners": "proprietors", "expected": "anticipated", "customers": "clients", "trade": "exchange",
    "fallen": "dropped", "centre": "focus", "simply": "just", "stopped": "halted", "group": "gathering",
    "cheaper": "less expensive", "spent": "exhausted", "money": "cash", "asked": "requested",
    "review": "audit", "managed": "oversaw", "inspected": "examined", "visitors": "guests",
    "library": "archive", "borrow": "acquire", "books": "volumes", "seeds": "seeds", "kept": "retained",
    "idea": "thought", "simple": "basic", "members": "individuals", "take": "seize", "grow": "develop",
    "plants": "vegetation", "home": "residence", "return": "bring back", "collect": "gather",
    "season": "period", "crop": "harvest", "fails": "flops", "beginners": "amateurs",
    "especially": "particularly", "welcome": "greeted", "started": "begun", "retired": "resigned",
    "teacher": "educator", "town": "township", "share": "offer", "lost": "misplaced", "staff": "faculty",
    "popular": "well known", "yellow": "yellowish", "several": "a few", "schools": "institutes",
    "classes": "courses", "learn": "discover", "cleaned": "purged", "dried": "dehydrated",
    "stored": "put away", "runs": "operates", "cabinet": "bureau", "scheme": "plan", "given": "allowed",
    "common": "normal", "decade": "ten years", "growing": "developing", "number": "figure",
    "supporters": "allies", "help": "assist", "alive": "living", "food": "nourishment",
    "purpose": "reason", "well": "fine", "place": "spot", "worth": "value", "time": "occasion",
    "warm": "hot", "afternoon": "evening", "hottest": "most sultry", "street": "road",
    "warmer": "more sultry", "study": "investigation", "findings": "discoveries", "published": "distributed",
    "researchers": "scientists", "department": "division", "team": "group", "fitted": "fixed",
    "sensors": "sensors", "volunteers": "helpers", "ride": "drive", "fixed": "set", "routes": "courses",
    "month": "period", "covered": "secured", "recorded": "documented", "measurements": "estimations",
    "combined": "consolidated", "images": "pictures", "city": "metropolis", "results": "outcomes",
    "show": "exhibit", "clear": "unmistakable", "pattern": "design", "trees": "timbers",
    "dark": "dim", "roofs": "rooftops", "night": "evening", "gardens": "nurseries", "quickly": "rapidly",
    "large": "huge", "warmest": "hottest", "lead": "leading", "author": "creator",
    "difference": "distinction", "matters": "affairs", "older": "more established", "suffer": "endure",
    "likely": "prone", "homes": "houses", "recommends": "prescribes", "planting": "establishing",
    "worst": "most exceedingly awful", "affected": "impacted", "painting": "artwork", "colours": "tones",
    "replacing": "supplanting", "areas": "regions", "estimate": "gauge", "doubling": "multiplying",
    "cover": "spread", "temperatures": "climates", "decide": "choose",
    "promised": "guaranteed", "climate": "atmosphere", "plan": "arrangement", "added": "included",
    "testing": "trying", "surface": "surface", "repeat": "rehash", "whole": "entire",
    "single": "solitary", "week": "seven day stretch", "data": "information", "company": "firm",
    "trains": "locomotives", "reported": "documented", "profit": "benefit", "year": "annum",
    "passenger": "traveler", "numbers": "figures", "rose": "climbed", "compared": "contrasted",
    "period": "time frame", "helped": "aided", "lower": "diminished", "fares": "tolls",
    "young": "youthful", "revenue": "income", "paying": "compensating", "fuel": "energy",
    "track": "follow", "access": "admittance", "lease": "rent", "loss": "misfortune",
    "chief": "boss", "executive": "official", "showed": "demonstrated", "returning": "coming back",
    "frequent": "successive", "reliable": "dependable", "pointed": "sharp", "service": "administration",
    "carried": "conveyed", "improved": "enhanced", "arrived": "showed up", "heavily": "vigorously",
    "maintenance": "upkeep", "hired": "recruited", "running": "moving", "news": "tidings",
    "costs": "expenses", "higher": "more elevated", "energy": "vitality", "prices": "costs",
    "warned": "cautioned", "harder": "more diligently", "strike": "hit",
    "reduce": "diminish", "income": "pay", "groups": "gatherings", "welcomed": "invited",
    "figures": "numbers", "busiest": "most active", "remained": "stayed", "extend": "broaden",
    "discount": "markdown", "workers": "laborers", "authority": "power", "sets": "puts",
    "terms": "expressions", "contract": "agreement", "hoped": "trusted", "latest": "most recent",
    "count": "tally", "favour": "courtesy", "filling": "stuffing", "square": "rectangle",
    "river": "stream", "highest": "most elevated", "level": "even", "evening": "night",
    "handed": "gave", "households": "families", "shops": "stores", "closest": "nearest",
    "water": "liquid", "warning": "admonition", "issued": "gave", "heavy": "substantial",
    "rain": "precipitation", "hills": "slopes", "peak": "top", "early": "ahead of schedule",
    "forecasters": "prognosticators", "arrive": "show up", "firefighters": "fire fighters",
    "delivered": "conveyed", "empty": "void", "ages": "eras", "turned": "went", "youth": "adolescent",
    "free": "complimentary", "flooded": "overflowed", "badly": "severely", "lived": "existed",
    "moved": "relocated", "furniture": "furnishings", "precaution": "safety measure", "mood": "temper",
    "calmer": "more settled", "knew": "realized", "sports": "sporting activities", "hall": "corridor",
    "rest": "remainder", "leave": "exit", "ready": "prepared", "medical": "clinical", "pets": "creatures",
    "defences": "guards", "built": "constructed", "major": "significant", "flood": "deluge",
    "protect": "secure", "walls": "dividers", "gates": "entryways", "condition": "state",
    "greatest": "most prominent", "risk": "hazard", "houses": "homes", "drive": "drive",
    "banks": "financial institutions", "check": "verify", "elderly": "old", "neighbours": "neighbors",
    "post": "mail", "updates": "refreshes", "lifted": "raised", "students": "understudies",
    "qualified": "competent", "national": "public", "competition": "rivalry", "winning": "prevailing",
    "round": "circular", "aged": "matured", "weeks": "weeks", "program": "program", "robot": "automaton",
    "sort": "kind", "coloured": "hued", "blocks": "squares", "stack": "heap", "moving": "moving",
    "platform": "stage", "completed": "finished", "task": "errand", "faster": "quicker",
    "machine": "apparatus", "mistake": "slip-up", "attempts": "endeavors", "parts": "parts",
    "laser": "laser", "cutter": "shaper", "workshop": "studio", "printer": "printer",
    "parent": "parent", "wrote": "composed", "software": "programming", "tested": "tried",
    "lunch": "noon meal", "captain": "commander", "hardest": "most difficult", "picks": "chooses",
    "version": "form", "dropped": "dropped", "rebuilt": "remade", "worked": "functioned",
    "reliably": "dependably", "failures": "disappointments", "taught": "instructed",
    "successes": "triumphs", "club": "club", "changed": "altered", "studying": "examining",
    "engineering": "designing", "raise": "lift", "travel": "movement", "accommodation": "convenience",
    "businesses": "organizations", "amount": "sum", "head": "skull", "proud": "glad",
    "success": "achievement", "achieve": "accomplish", "space": "room", "freedom": "opportunity",
    "mistakes": "errors", "bicycles": "bikes", "research": "exploration", "university": "college",
}

PROMOS = [
    "Limited offer: 40% off designer watches this week only, with free delivery on every order at "
    "luxwatch-outlet.example. Use the code TIME40 at checkout before Sunday midnight.",
    "Doctors hate this one simple trick that melts belly fat overnight. Thousands of readers have already "
    "tried it. Click here to find out what it is before it gets banned.",
    "Get a personal loan approved in minutes, even with bad credit. No paperwork, no questions, cash in your "
    "account today. Apply now at quickcash-direct.example.",
    "Flights to the sun from only 29 pounds. Book before Friday and save an extra ten percent on hotels with "
    "our summer sale. Terms and conditions apply.",
    "Win a brand new electric scooter! Answer three easy questions and enter our prize draw. Winners are "
    "announced every Monday on our partner site.",
    "Upgrade your kitchen for less: premium knife sets now half price, with a lifetime guarantee and free "
    "engraving for the first hundred customers.",
]

UNRELATED_HEADLINES = [
    "Celebrity chef reveals the one spice he never cooks without",
    "Ten photos of abandoned theme parks that will give you chills",
    "Star striker signs record deal with a club in the Gulf",
    "You will not believe what this child actor looks like today",
    "Scientists say this breakfast habit could add years to your life",
    "Royal wedding guest list leaked: see who made the cut",
    "Man finds rare coin in his garden worth more than his house",
    "The five cars that lose value fastest, ranked",
]

FOREIGN_NAMES = {"de": "Deutsch", "es": "Español", "fr": "Français"}
VARIANT_LABELS = {
    "original": "original article",
    "spun": "spun copy (synonym swaps)",
    "split": "broken sentence splitting",
    "injected": "ads and unrelated headlines injected",
    "boilerplate": "page chrome left in the article",
}


# -- page templates ----------------------------------------------------------------------------------
def page(title: str, body: str, lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)} | The Demo Gazette</title>\n</head>\n<body>\n"
        '<header><a href="/index.html">The Demo Gazette</a></header>\n'
        f"{body}\n"
        "<footer><p>The Demo Gazette is a fictional newspaper written for testing.</p></footer>\n"
        "</body>\n</html>\n"
    )


def article(title: str, byline: str, blocks: list[str]) -> str:
    inner = "\n".join(blocks)
    return (
        f'<article>\n<h1>{html.escape(title)}</h1>\n<p class="byline">{html.escape(byline)}</p>\n'
        f"{inner}\n</article>"
    )


def paragraphs_html(paragraphs: list[str]) -> list[str]:
    return [f"<p>{html.escape(p)}</p>" for p in paragraphs]


# -- damage ------------------------------------------------------------------------------------------
def spin(text: str, rng: random.Random, rate: float = 0.55) -> str:
    def swap(match: re.Match) -> str:
        word = match.group(0)
        synonym = SPIN_SYNONYMS.get(word.lower())
        if synonym is None or synonym == word.lower() or rng.random() > rate:
            return word
        return synonym.capitalize() if word[0].isupper() else synonym

    return re.sub(r"[A-Za-z]+", swap, text)


def split(text: str, rng: random.Random) -> str:
    """Insert a full stop and a capital after 1-2 words in the middle of each sentence."""
    out = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        words = sentence.split(" ")
        candidates = [
            i for i in range(3, len(words) - 3)
            if words[i - 1][-1].isalpha() and words[i][0].islower()
        ]
        for i in sorted(rng.sample(candidates, min(len(candidates), rng.choice([1, 2]))), reverse=True):
            words[i - 1] += "."
            words[i] = words[i][0].upper() + words[i][1:]
        out.append(" ".join(words))
    return " ".join(out)


def injected(paragraphs: list[str], rng: random.Random) -> list[str]:
    blocks = paragraphs_html(paragraphs)
    promo_a, promo_b = rng.sample(PROMOS, 2)
    headline = rng.choice(UNRELATED_HEADLINES)
    blocks.insert(2, f"<p>{html.escape(promo_a)}</p>")
    blocks.insert(5, f'<p><a href="/index.html">{html.escape(headline)}</a></p>')
    blocks.insert(len(blocks) - 2, f"<p>{html.escape(promo_b)}</p>")
    # A list of other headlines pushed between two paragraphs (after the article, it would be the site's own
    # "More stories" chrome: counted, never flagged).
    others = rng.sample([h for h in UNRELATED_HEADLINES if h != headline], 4)
    listing = "<ul>" + "".join(f'<li><a href="/index.html">{html.escape(h)}</a></li>' for h in others) + "</ul>"
    blocks[len(blocks) - 4:len(blocks) - 4] = ["<h3>More stories</h3>", listing]
    return blocks


def boilerplate(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Widget text pasted into the article's flow without its markup, as a content farm copies a page: the
    same widgets inside the page's own marked containers (<aside class="weather-widget">) would be page chrome,
    counted and never flagged."""
    comments = rng.randint(3, 48)
    blocks = [
        f"<p>Posted on 14 March | 4 min read | {comments} comments | Print this page</p>",
        "<p>Share this article: Facebook Twitter WhatsApp Email Copy link</p>",
    ]
    body = paragraphs_html(paragraphs)
    body.insert(3, "<p>Weather now: 14°C, partly cloudy. Tomorrow: 16°C, light rain. See the 10 day forecast</p>")
    body.insert(6, "<p>Sign up for our newsletter. Enter your email address. Subscribe. We will never share your "
                   "email.</p>")
    blocks += body
    blocks += [
        "<p>Did you enjoy this article? Share it with your friends! Facebook Twitter Email</p>",
        "<p>Tags: News, Local, Community, Town, Latest</p>",
        "<h3>Leave a comment</h3><div><p>Name (required)</p><p>Email (will not be published) (required)</p>"
        "<p>Website</p><p>Comment</p><p>Post comment</p><p>Notify me of follow-up comments by email.</p></div>",
        "<p>We use cookies to improve your experience on our site. By continuing to browse you agree to our use "
        "of cookies. Accept. Manage settings.</p>",
    ]
    return blocks


# -- build ---------------------------------------------------------------------------------------------
def build() -> list[tuple[str, str]]:
    """Write every page; return (path, label) pairs for the index."""
    written: list[tuple[str, str]] = []
    (SITE / "articles").mkdir(exist_ok=True)
    for slug, art in ARTICLES.items():
        rng = random.Random(slug)  # deterministic per article
        paras = art["paragraphs"]
        variants = {
            "original": paragraphs_html(paras),
            "spun": paragraphs_html([spin(p, rng) for p in paras]),
            "split": paragraphs_html([split(p, rng) for p in paras]),
            "injected": injected(paras, rng),
            "boilerplate": boilerplate(paras, rng),
        }
        for variant, blocks in variants.items():
            name = f"articles/{slug}.html" if variant == "original" else f"articles/{slug}-{variant}.html"
            title = spin(art["title"], random.Random(slug)) if variant == "spun" else art["title"]
            (SITE / name).write_text(page(title, article(title, art["byline"], blocks)), encoding="utf-8")
            written.append((name, f"{art['title']} — {VARIANT_LABELS[variant]}"))
    for slug, art in FOREIGN.items():
        name = f"articles/{slug}.html"
        (SITE / name).write_text(
            page(art["title"], article(art["title"], "", paragraphs_html(art["paragraphs"])), art["lang"]),
            encoding="utf-8",
        )
        written.append((name, f"{art['title']} ({FOREIGN_NAMES[art['lang']]})"))
    return written


def write_index(entries: list[tuple[str, str]]) -> None:
    items = "\n".join(f'<li><a href="/{path}">{html.escape(label)}</a></li>' for path, label in entries)
    body = (
        "<main>\n<h1>The Demo Gazette</h1>\n<p>Original articles and the damaged copies a content farm would make "
        "of them. Every page on this site was written for testing the quality plugin.</p>\n"
        f'<ul class="article-list">\n{items}\n</ul>\n'
        '<p><a href="/about.txt">About this site (plain text)</a></p>\n</main>'
    )
    (SITE / "index.html").write_text(page("Front page", body), encoding="utf-8")


if __name__ == "__main__":
    entries = build()
    write_index(entries)
    print(f"wrote {len(entries)} articles and index.html under {SITE}")
