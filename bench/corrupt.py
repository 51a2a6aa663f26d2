"""Corruptions of a clean article, each at several strengths, each recording exactly what it changed.

A corrupted article is a list of `Part`s: body paragraphs (possibly with changed words or inserted
periods) and inserted blocks (ads, headlines, widgets). Each part lists the strings that should appear in
the extracted text and the ground-truth spans inside them, so `bench.pages.map_truth` can find the truth
in whatever text the scorer extracted.

- spin: WordNet synonym substitution without sense disambiguation, as cheap spinning tools do it: a
  random synonym from all synsets of the word (any part of speech), including multi-word lemmas, plus
  two-word phrases that are WordNet lemmas ("prime minister" -> "premier"); capitalisation kept; simple
  inflections (-s/-es/-ies, -ed/-ied, -ing) are stripped to find the entry and re-applied to the synonym.
  `spin(..., thesaurus=...)` takes another synonym table: bench.spinners has the other spin families (Moby,
  LibreOffice's MyThes, phrase rewrites), which share `spin_units`/`apply_units`.
- split: a period inserted between two words mid-sentence and the next word capitalised.
- injection: promotional paragraphs (own pool, `PROMOS`), headlines of *other* articles and a list of them,
  all between paragraphs.
- boilerplate: comment forms, share/newsletter widgets, weather/date/counter widgets, cookie notices,
  repeated captions (own pool, `WIDGETS`).
Inserted markup is pasted into the article's flow without class/id names or chrome tags (`paste_into_flow`):
a block the page itself marks as chrome is the site's own, and the main-content stage leaves it out by design.
"""
from __future__ import annotations

import functools
import html
import random
import re
from dataclasses import dataclass, field

from .data import Article, same_source

# strength label -> parameter, per kind (index 1 is "the middle strength" of the targets)
STRENGTHS: dict[str, list[tuple[str, float]]] = {
    "spin": [("10%", 0.10), ("20%", 0.20), ("30%", 0.30)],              # share of content words
    "split": [("1/4", 0.25), ("1/2", 0.50), ("1/1", 1.00)],             # inserted periods per sentence
    "injection": [("low", 1), ("mid", 2), ("high", 3)],                # see `inject`
    "boilerplate": [("low", 1), ("mid", 3), ("high", 6)],              # number of widgets
}
KINDS = tuple(STRENGTHS)


@dataclass
class Part:
    role: str                       # "body", "promo", "headline", "headline_list", "widget:<name>"
    texts: list[str]                # strings expected in the extracted text, in order
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # (index into texts, start, end) of truth
    html: str | None = None         # markup for inserted parts; body parts are rendered by the template

    @property
    def inserted(self) -> bool:
        return self.role != "body"


@dataclass
class Corrupted:
    article: Article
    kind: str                       # "clean" or one of KINDS
    strength: str                   # label from STRENGTHS ("" for clean)
    level: int                      # 0, 1, 2 (-1 for clean)
    parts: list[Part]
    stats: dict[str, float] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.article.id if self.kind == "clean" else f"{self.article.id}.{self.kind}{self.level}"

    @property
    def truth_count(self) -> int:
        return sum(len(p.spans) for p in self.parts)


def clean(article: Article) -> Corrupted:
    return Corrupted(article, "clean", "", -1, [Part("body", [p]) for p in article.paragraphs])


# == spin =================================================================================================
STOPWORDS = frozenset("""
a about above after again against all almost also although always am among an and another any are around as
at be became because become been before being below between both but by can could did do does doing done down
during each either else enough even ever every few for from further had has have having he her here hers
herself him himself his how however i if in into is it its itself just least less many may me might more most
much must my myself neither never no nor not now of off often on once one only or other others our ours
ourselves out over own per perhaps quite rather same several shall she should since so some such than that the
their theirs them themselves then there these they this those though through thus to too toward towards under
until up upon us very was we well were what whatever when where whether which while who whom whose why will
with within without would yet you your yours yourself mr mrs ms dr said says say told also new two three four
five six seven eight nine ten first second last year years today yesterday week monday tuesday wednesday
thursday friday saturday sunday
""".split())
_WORD = re.compile(r"(?<![\w'\-])[A-Za-z]+(?![\w'\-])")  # whole words, not parts of "night-long"
_OK_LEMMA = re.compile(r"[a-z]+(?:[ -][a-z]+){0,2}")


@functools.lru_cache(maxsize=1)
def spin_thesaurus() -> dict[str, tuple[str, ...]]:
    """lemma (one or two words) -> every other lemma of every synset it is in, any part of speech."""
    from scoring.wordnet import iter_synsets

    table: dict[str, set[str]] = {}
    for _, lemmas in iter_synsets():
        good = [w for w in lemmas if _OK_LEMMA.fullmatch(w)]
        for w in good:
            if w.count(" ") <= 1:
                others = [o for o in good if o != w]
                if others:
                    table.setdefault(w, set()).update(others)
    return {w: tuple(sorted(s)) for w, s in table.items()}


def _inflect(word: str, suffix: str) -> str:
    if not suffix:
        return word
    if suffix == "s":
        if word.endswith(("s", "x", "z", "ch", "sh")):
            return word + "es"
        if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
            return word[:-1] + "ies"
        return word + "s"
    if suffix == "ed":
        if word.endswith("e"):
            return word + "d"
        if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
            return word[:-1] + "ied"
        return word + "ed"
    if suffix == "ing":
        if word.endswith("ie"):
            return word[:-2] + "ying"
        if word.endswith("e") and not word.endswith("ee"):
            return word[:-1] + "ing"
        return word + "ing"
    raise ValueError(suffix)


PARTICLES = frozenset("out up off down in on over away back through along about".split())


@functools.lru_cache(maxsize=1)
def irregular_bases() -> frozenset[str]:
    """Base forms with irregular inflections in WordNet's exception lists ("send" <- "sent", "mouse" <- "mice").

    A spinner with a proper inflection table would not write "sended"; we skip those synonyms instead.
    """
    from scoring.wordnet import DEFAULT_DIR

    bases = set()
    for name in ("verb.exc", "noun.exc"):
        path = DEFAULT_DIR / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                fields = line.split()
                bases.update(fields[1:])
    return frozenset(bases)


def _inflect_lemma(lemma: str, suffix: str) -> str | None:
    words = lemma.split(" ")
    # "carry out" -> "carried out", "carries out"; "police officer" -> "police officers"
    i = 0 if suffix != "s" or (len(words) > 1 and words[-1] in PARTICLES) else len(words) - 1
    if words[i] in irregular_bases():
        return None
    words[i] = _inflect(words[i], suffix)
    return " ".join(words)


def _base_forms(word: str) -> list[tuple[str, str]]:
    """(base, suffix) readings of a lowercase surface form, the plain one first."""
    out = [(word, "")]
    if word.endswith("ies") and len(word) > 4:
        out.append((word[:-3] + "y", "s"))
    if word.endswith("es") and len(word) > 4:
        out.append((word[:-2], "s"))
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        out.append((word[:-1], "s"))
    if word.endswith("ied") and len(word) > 4:
        out.append((word[:-3] + "y", "ed"))
    if word.endswith("ed") and len(word) > 4:
        out += [(word[:-2], "ed"), (word[:-1], "ed")]
        if word[-3] == word[-4]:
            out.append((word[:-3], "ed"))
    if word.endswith("ing") and len(word) > 5:
        out += [(word[:-3], "ing"), (word[:-3] + "e", "ing")]
        if word[-4] == word[-5]:
            out.append((word[:-4], "ing"))
    return out


def _match_case(original: str, replacement: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _synonyms_for(surface: str, thesaurus: dict) -> tuple[list[str], str] | None:
    for base, suffix in _base_forms(surface.lower()):
        syns = thesaurus.get(base)
        if syns:
            if suffix:  # inflected: re-inflect; keep it simple with single words and verb particles
                syns = [i for i in (_inflect_lemma(s, suffix) for s in syns if "-" not in s) if i]
            syns = [s for s in syns if s != surface.lower()]
            if syns:
                return syns, suffix
    return None


def _sentence_starts(text: str) -> set[int]:
    from scoring.segment import split_sentences

    return {s for s, _ in split_sentences(text)}


def proper_noun(word: str, start: int, sentence_starts: set[int], lowercase_words: set[str]) -> bool:
    """A name: capitalised mid-sentence, or sentence-initial but never lowercase in the article; or an acronym."""
    if word.isupper() and len(word) > 1:
        return True
    return word[:1].isupper() and (start not in sentence_starts or word.lower() not in lowercase_words)


def content_words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of the content words of a paragraph: the words a spin rate is a share of."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)
            if m.group().lower() not in STOPWORDS and len(m.group()) >= 3]


def article_lowercase_words(article: Article) -> set[str]:
    return {m.group() for p in article.paragraphs for m in _WORD.finditer(p) if m.group().islower()}


def spin_units(article: Article, thesaurus: dict[str, tuple[str, ...]]) -> tuple[list[tuple[str, list]], int]:
    """Per paragraph (text, candidate units), and the article's content word count. A unit is (start, end,
    words it counts for, replacement choices): a two-word thesaurus phrase, or a content word that is not a
    name and has an entry (directly or after stripping -s/-es/-ies/-ed/-ied/-ing)."""
    per_para = []  # (text, candidate units)
    content_total = 0
    lowercase_words = article_lowercase_words(article)
    for text in article.paragraphs:
        starts = _sentence_starts(text)
        words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
        content = [w for w in words if w[0].lower() not in STOPWORDS and len(w[0]) >= 3]
        content_total += len(content)
        units = []  # (start, end, n_words, replacement choices)
        for (w1, s1, e1), (w2, s2, e2) in zip(words, words[1:]):
            if text[e1:s2] == " " and w1.islower() and w2.islower():
                syns = thesaurus.get(f"{w1} {w2}")
                if syns:
                    units.append((s1, e2, 2, list(syns)))
        for w, s, e in content:
            # capitalised mid-sentence, or sentence-initial but never lowercase in the article: a name
            if proper_noun(w, s, starts, lowercase_words):
                continue
            found = _synonyms_for(w, thesaurus)
            if found:
                units.append((s, e, 1, found[0]))
        per_para.append((text, units))
    return per_para, content_total


def apply_units(per_para: list[tuple[str, list]], content_total: int, rate: float, rng: random.Random,
                order: list | None = None, first: int = 0, apart: bool = False) -> tuple[list[Part], dict]:
    """Make about `rate` x content_total words' worth of changes: units in random order (or in `order`, a list
    of (paragraph index, unit)), skipping a unit that overlaps one already made; a random choice per unit, its
    capitalisation matched. One truth span per change. With `first` > 0, stats["first_words"] counts the words
    changed by the first `first` units of `order`. With `apart`, changes are kept at least one unchanged word
    apart (two rewrites side by side, "because of" + "floods and storms", could not be told apart again)."""
    target = round(rate * content_total)
    if order is None:
        order = [(pi, u) for pi, (_, units) in enumerate(per_para) for u in units]
        rng.shuffle(order)
    chosen: dict[int, list] = {}
    done = first_words = 0
    for k, (pi, (s, e, n, choices)) in enumerate(order):
        if done >= target:
            break
        if any(s < ce and cs < e for cs, ce, _ in chosen.get(pi, [])):
            continue
        if apart and any(not per_para[pi][0][min(e, ce):max(s, cs)].strip() for cs, ce, _ in chosen.get(pi, [])):
            continue
        original = per_para[pi][0][s:e]
        replacement = _match_case(original, rng.choice(choices))
        chosen.setdefault(pi, []).append((s, e, replacement))
        done += n
        first_words += n if k < first else 0
    parts = []
    for pi, (text, _) in enumerate(per_para):
        new, spans, pos = [], [], 0
        out_len = 0
        for s, e, rep in sorted(chosen.get(pi, [])):
            new.append(text[pos:s])
            out_len += s - pos
            spans.append((0, out_len, out_len + len(rep)))
            new.append(rep)
            out_len += len(rep)
            pos = e
        new.append(text[pos:])
        parts.append(Part("body", ["".join(new)], spans))
    stats = {"content_words": content_total, "swapped_words": done, "rate": done / content_total if content_total else 0.0}
    if first:
        stats["first_words"] = first_words
    return parts, stats


def spin(article: Article, rate: float, rng: random.Random,
         thesaurus: dict[str, tuple[str, ...]] | None = None) -> tuple[list[Part], dict]:
    """Swap about `rate` of the content words (word by word or two-word phrase) for a synonym from `thesaurus`
    (default: WordNet, `spin_thesaurus()`; bench.spinners has the other families)."""
    per_para, content_total = spin_units(article, spin_thesaurus() if thesaurus is None else thesaurus)
    return apply_units(per_para, content_total, rate, rng)


# == split ================================================================================================
def _break_points(sentence: str) -> list[tuple[int, int, int]]:
    """(end of left word, start of right word, end of right word) for gaps a splitter could break."""
    words = list(re.finditer(r"\S+", sentence))
    out = []
    for i in range(2, len(words) - 2):
        left, right = words[i - 1], words[i]
        if re.search(r"[A-Za-z0-9]$", left.group()) and re.match(r"[A-Za-z]", right.group()) \
                and sentence[left.end():right.start()] == " ":
            m = re.match(r"[A-Za-z]+", right.group())
            out.append((left.end(), right.start(), right.start() + m.end()))
    return out


def split(article: Article, rate: float, rng: random.Random) -> tuple[list[Part], dict]:
    """Insert a period mid-sentence (next word capitalised) in about `rate` of the sentences."""
    from scoring.segment import split_sentences

    sentences = []  # (paragraph index, start offset, break points)
    for pi, text in enumerate(article.paragraphs):
        for s, e in split_sentences(text):
            sentences.append((pi, s, _break_points(text[s:e])))
    eligible = [x for x in sentences if x[2]]
    n = min(len(eligible), max(1, round(rate * len(sentences))))
    cuts: dict[int, list[tuple[int, int, int]]] = {}
    for pi, s, points in rng.sample(eligible, n):
        a, b, c = rng.choice(points)
        cuts.setdefault(pi, []).append((s + a, s + b, s + c))
    parts = []
    for pi, text in enumerate(article.paragraphs):
        new, spans, pos, shift = [], [], 0, 0
        for a, b, c in sorted(cuts.get(pi, [])):
            new.append(text[pos:a] + ".")
            new.append(text[a:b] + text[b].upper() + text[b + 1:c])
            spans.append((0, a + shift, c + shift + 1))   # from the inserted "." to the end of the next word
            shift += 1
            pos = c
        new.append(text[pos:])
        parts.append(Part("body", ["".join(new)], spans))
    return parts, {"sentences": len(sentences), "inserted": n, "rate": n / len(sentences) if sentences else 0.0}


# == injection ============================================================================================
PROMOS = [
    "Limited offer: 40% off designer watches this weekend only, with free delivery at luxewatchdeals.com.",
    "Get the best rates on home loans today. Compare 50 lenders in under two minutes and start saving now.",
    "Doctors hate this one simple trick that melts belly fat overnight. Click here to learn the secret.",
    "Shop the summer sale: up to 70% off sneakers, sandals and swimwear. Use code SUN25 at checkout.",
    "Try our meal kits free for 14 days. Fresh ingredients and easy recipes delivered to your door every week.",
    "Earn up to $500 a day from home with our proven trading system. No experience needed, sign up free.",
    "Need a new car? Drive away today with zero deposit finance on all 2023 models at Metro Motors.",
    "Book your dream holiday now: seven nights in Bali from just $899 per person, flights included.",
    "Sponsored: The mattress that 100,000 Australians swear by is now half price for a limited time.",
    "Protect your family with life insurance from $1 a day. Get an instant quote online, no medical required.",
    "Lose weight fast with KetoSlim, the number one rated supplement of the year. Order your free trial.",
    "Upgrade to fibre internet for $49 a month. Unlimited data, no lock-in contract, switch in minutes.",
    "Flash sale on premium headphones: noise cancelling, 30-hour battery, now only $129 with free shipping.",
    "Are you owed money? Thousands of people have unclaimed refunds. Check your eligibility in 60 seconds.",
    "Learn a new language in three weeks with the app that millions use every day. Download it free today.",
    "This new credit card pays 5% cash back on groceries and fuel. Apply online and get approved instantly.",
    "Invest in gold the smart way. Request your free investor kit and protect your savings from inflation.",
    "Hearing aids that are almost invisible, now at wholesale prices. Book a free hearing test near you.",
    "New solar panels can cut your power bill to zero. See if your home qualifies for the government rebate.",
    "Win a brand new SUV worth $60,000! Enter our giveaway before midnight Sunday for your chance to drive away.",
    "Top-rated plumbers in your area, available 24/7. Call now for a free quote and same-day service.",
    "The anti-ageing cream celebrities don't want you to know about is finally available online.",
    "Get fit at home with our 20-minute workouts. Start your free 30-day membership today, cancel anytime.",
    "Exclusive deal for readers: save 60% on a two-year VPN plan and browse the web securely.",
    "Retire early with our free guide to property investing. Download the 2023 edition now.",
    "Order flowers online for same-day delivery. Beautiful bouquets from $39, hand delivered with care.",
    "Car insurance customers who switched saved an average of $412. Compare quotes in two minutes.",
    "Smart home security cameras now 35% off. Watch your home from your phone, anywhere, anytime.",
    "Stop paying too much for electricity. Our comparison tool finds you a cheaper plan in seconds.",
    "Discover the wine club that delivers a dozen award-winning bottles for the price of six.",
    "Advertisement: Local singles are waiting to meet you. Join free tonight and start chatting.",
    "Quit smoking in seven days with our clinically tested program. Results guaranteed or your money back.",
    "Gamers, this is the deal you've been waiting for: next-gen consoles in stock with two free games.",
    "Fast cash loans approved in one hour. Borrow $500 to $5,000 with flexible repayments. Apply now.",
    "Save big on designer handbags at the warehouse clearance event. Doors open Saturday at 9am.",
    "Teeth whitening kits used by dentists, delivered to your home. Brighter smile in ten minutes.",
    "The last pair of running shoes you'll ever need: lightweight, waterproof and 50% off today only.",
    "Free online course: master Excel in a weekend and boost your salary. Enrol before places run out.",
    "Looking for a new phone? Grab the latest flagship for $0 upfront on our best-value plan.",
    "Our readers love this ergonomic office chair. Back pain gone in a week or your money back.",
    "Join over two million subscribers and get unlimited streaming of movies and shows for $9.99 a month.",
    "Pet insurance from 75 cents a day covers vet bills up to $15,000. Get a quote for your dog or cat.",
]
LIST_HEADINGS = ["More stories", "Related news", "Trending now", "You may also like", "Most read", "Latest headlines"]
READ_MORE = ["Read more:", "Also read:", "Related:", "See also:", "Recommended:", ""]


def _slug(text: str) -> str:
    return "/news/" + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _promo_part(rng: random.Random) -> Part:
    text = rng.choice(PROMOS)
    esc = html.escape(text)
    style = rng.choice(["p", "p", "p", "div.promo", "aside.sponsored", "p.ad"])
    if style == "p":
        markup = f"<p>{esc}</p>"
    else:
        tag, cls = style.split(".")
        markup = f'<{tag} class="{cls}"><p>{esc}</p></{tag}>'
    return Part("promo", [text], [(0, 0, len(text))], markup)


def _headline_part(headline: str, rng: random.Random) -> Part:
    label = rng.choice(READ_MORE)
    link = f'<a href="{_slug(headline)}">{html.escape(headline)}</a>'
    if label:
        markup = f"<p><strong>{html.escape(label)}</strong> {link}</p>"
        return Part("headline", [label, headline], [(0, 0, len(label)), (1, 0, len(headline))], markup)
    return Part("headline", [headline], [(0, 0, len(headline))], f"<p>{link}</p>")


def _headline_list(headlines: list[str], rng: random.Random) -> Part:
    heading = rng.choice(LIST_HEADINGS)
    items = "".join(f'<li><a href="{_slug(h)}">{html.escape(h)}</a></li>' for h in headlines)
    markup = f'<h3>{html.escape(heading)}</h3><ul class="{rng.choice(["related", "links", "more"])}">{items}</ul>'
    texts = [heading, *headlines]
    return Part("headline_list", texts, [(i, 0, len(t)) for i, t in enumerate(texts)], markup)


_ATTR = re.compile(r'\s(class|id|role)="[^"]*"')


_CHROME_TAG = re.compile(r"<(/?)(aside|form|figcaption|nav|footer|header)\b")


def paste_into_flow(parts: list[Part]) -> None:
    """Inserted markup as a content farm pastes it into the article's flow: no class, id or role names and no
    chrome tags. Markup that marks itself as chrome (<aside class="sponsored">) is the site's own page chrome,
    which the main-content stage leaves out by design (scoring/main_content.py): not what these corruptions
    test."""
    for part in parts:
        if part.html:
            part.html = _CHROME_TAG.sub(r"<\1div", _ATTR.sub("", part.html))


def _insert_between(parts: list[Part], extra: list[Part], rng: random.Random) -> list[Part]:
    """Insert each extra part after a random body paragraph but the last (what follows an article's last
    paragraph is its trailer, page chrome); an article of one paragraph gets them before it."""
    out = list(parts)
    for part in extra:
        body_positions = [i + 1 for i, p in enumerate(out) if not p.inserted]
        pos = rng.choice(body_positions[:-1] or [body_positions[0] - 1])
        out.insert(pos, part)
    return out


def inject(article: Article, level: int, rng: random.Random, headlines: list[tuple[str, str]]) -> tuple[list[Part], dict]:
    """level 1: one promo; 2: promo + headline + list of 3; 3: 2 promos + 2 headlines + list of 5; all between
    paragraphs (after the article, a headline list is the site's own chrome, as on every real page)."""
    others = [h for aid, h in headlines if not same_source(article.id, aid)]
    n_promo, n_head, n_list = {1: (1, 0, 0), 2: (1, 1, 3), 3: (2, 2, 5)}[level]
    picked = rng.sample(others, n_head + n_list)
    extra = [_promo_part(rng) for _ in range(n_promo)] + [_headline_part(h, rng) for h in picked[:n_head]]
    rng.shuffle(extra)
    if n_list:
        extra.append(_headline_list(picked[n_head:], rng))
    paste_into_flow(extra)
    return _insert_between(clean(article).parts, extra, rng), {"inserted_blocks": len(extra)}


# == boilerplate ==========================================================================================
CITIES = ["Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Boston", "Chicago", "Atlanta", "Denver", "Dallas"]
SKIES = ["Partly cloudy", "Sunny", "Showers", "Overcast", "Thunderstorms", "Fine", "Windy", "Light rain"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
CAPTION_CREDITS = ["(Photo: Reuters)", "(Photo: AP)", "(Image: supplied)", "(Photo: AFP/Getty Images)", "(File photo)"]


def _w(name: str, texts: list[str], markup: str) -> Part:
    return Part(f"widget:{name}", texts, [(i, 0, len(t)) for i, t in enumerate(texts)], markup)


def _e(text: str) -> str:
    return html.escape(text)


def w_comment_form(rng, article):
    head = rng.choice(["Leave a Reply", "Leave a comment", "Join the discussion", "Add your comment"])
    note = rng.choice(["Your email address will not be published. Required fields are marked *",
                       "Comments are moderated and may take up to 24 hours to appear.",
                       "Please keep comments respectful and on topic."])
    button = rng.choice(["Post Comment", "Submit", "Send comment"])
    texts = [head, note, "Comment", "Name *", "Email *", button]
    markup = (f'<div id="respond" class="comment-respond"><h3 class="comment-reply-title">{_e(head)}</h3>'
              f'<form action="/wp-comments-post.php" method="post" class="comment-form"><p class="comment-notes">{_e(note)}</p>'
              '<p><label for="comment">Comment</label><textarea id="comment" name="comment"></textarea></p>'
              '<p><label for="author">Name *</label><input id="author" name="author" type="text"></p>'
              '<p><label for="email">Email *</label><input id="email" name="email" type="email"></p>'
              f'<p class="form-submit"><button type="submit">{_e(button)}</button></p></form></div>')
    return _w("comment_form", texts, markup)


def w_share(rng, article):
    head = rng.choice(["Share this article", "Share this story", "Share:", "Spread the word"])
    nets = rng.sample(["Facebook", "Twitter", "LinkedIn", "WhatsApp", "Email", "Reddit", "Pinterest"], 4)
    links = "".join(f'<a class="share-{n.lower()}" href="#share-{n.lower()}">{n}</a> ' for n in nets)
    return _w("share", [head, *nets], f'<div class="share-bar social"><span>{_e(head)}</span> {links}</div>')


def w_newsletter(rng, article):
    head = rng.choice(["Sign up for our morning briefing", "Get our daily newsletter", "Never miss a story"])
    body = rng.choice(["Get the day's top stories delivered to your inbox every morning.",
                       "The biggest news of the day, straight to your inbox. It's free.",
                       "Subscribe to receive breaking news alerts and our weekly digest."])
    button = rng.choice(["Subscribe", "Sign up", "Subscribe now"])
    markup = (f'<aside class="newsletter-signup"><h4>{_e(head)}</h4><p>{_e(body)}</p>'
              f'<form><input type="email" placeholder="Your email address"><button>{_e(button)}</button></form></aside>')
    return _w("newsletter", [head, body, button], markup)


def w_weather(rng, article):
    city = rng.choice(CITIES)
    temp = f"{rng.randint(8, 36)}°C"
    sky = rng.choice(SKIES)
    line = f"{city} {temp} {sky}"
    extra = f"Tomorrow: {rng.choice(SKIES)}, max {rng.randint(8, 36)}°C"
    return _w("weather", [line, extra], f'<div class="weather-widget"><p>{_e(line)}</p><p>{_e(extra)}</p></div>')


def w_date(rng, article):
    line = f"{rng.choice(DAYS)}, {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2001, 2023)}"
    upd = f"Updated {rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(['AM', 'PM'])}"
    return _w("date", [line, upd], f'<div class="date-widget"><time>{_e(line)}</time> <span>{_e(upd)}</span></div>')


def w_counters(rng, article):
    views = f"{rng.randint(100, 99999):,} views"
    comments = f"{rng.randint(0, 300)} comments"
    shares = f"{rng.randint(0, 5000):,} shares"
    markup = f'<div class="post-meta counters"><span>{views}</span> · <span>{comments}</span> · <span>{shares}</span></div>'
    return _w("counters", [views, comments, shares], markup)


def w_caption(rng, article):
    caption = f"{article.title}. {rng.choice(CAPTION_CREDITS)}"
    fig = f'<figure><img src="/img/{rng.randint(1000, 9999)}.jpg" alt=""><figcaption>{_e(caption)}</figcaption></figure>'
    times = rng.choice((2, 3))
    part = _w("caption", [caption] * times, "".join([fig] * times))
    return part


def w_cookie(rng, article):
    text = rng.choice(["We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.",
                       "This site uses cookies for analytics and personalised content. Learn more in our Cookie Policy."])
    return _w("cookie", [text, "Accept"], f'<div class="cookie-banner" role="dialog"><p>{_e(text)}</p><button>Accept</button></div>')


def w_tags(rng, article):
    tags = rng.sample(["Politics", "World", "Business", "Local news", "Crime", "Sport", "Weather", "Health",
                       "Education", "Economy", "Elections", "Courts"], 4)
    head = rng.choice(["Tags:", "Topics:", "Filed under:"])
    links = " ".join(f'<a href="/tag/{t.lower().replace(" ", "-")}">{t}</a>' for t in tags)
    return _w("tags", [head, *tags], f'<div class="tags"><span>{head}</span> {links}</div>')


def w_tools(rng, article):
    items = ["Print", "Email", "Save", "A-", "A+"]
    links = " ".join(f'<a href="#{i}">{_e(i)}</a>' for i in items)
    return _w("tools", items, f'<div class="article-tools">{links}</div>')


def w_poll(rng, article):
    q = rng.choice(["Have your say: Do you agree with this decision?", "Poll: Should the council act sooner?",
                    "What do you think? Vote now."])
    return _w("poll", [q, "Yes", "No", "Vote"],
              f'<div class="poll-widget"><p>{_e(q)}</p><label>Yes</label> <label>No</label> <button>Vote</button></div>')


def w_comments_header(rng, article):
    n = rng.randint(2, 250)
    head = f"Comments ({n})"
    sort = rng.choice(["Sort by: Newest", "Sort by: Oldest", "Sort by: Best"])
    return _w("comments_header", [head, sort, "Load more comments"],
              f'<section class="comments"><h3>{head}</h3><p>{sort}</p><button>Load more comments</button></section>')


def w_advert_label(rng, article):
    text = rng.choice(["Advertisement", "ADVERTISEMENT", "Story continues below advertisement", "Sponsored content"])
    return _w("advert_label", [text], f'<div class="ad-slot"><span class="ad-label">{_e(text)}</span></div>')


WIDGETS = [w_comment_form, w_share, w_newsletter, w_weather, w_date, w_counters, w_caption, w_cookie, w_tags,
           w_tools, w_poll, w_comments_header, w_advert_label]
_AT_START = {"date", "weather", "tools", "cookie"}


def boilerplate(article: Article, count: int, rng: random.Random) -> tuple[list[Part], dict]:
    """Insert `count` distinct widgets into the article's flow: date, weather, tools and cookie widgets at the top,
    the others between paragraphs. (After the last paragraph, a comment form or a tag list is the site's own
    trailer, which the main-content stage leaves out as page chrome: not what this corruption tests.)"""
    widgets = [f(rng, article) for f in rng.sample(WIDGETS, count)]
    paste_into_flow(widgets)
    top = [w for w in widgets if w.role.split(":", 1)[1] in _AT_START]
    middle = [w for w in widgets if w not in top]
    return top + _insert_between(clean(article).parts, middle, rng), {"widgets": count}


# == all ==================================================================================================
def corrupt(article: Article, kind: str, level: int, headlines: list[tuple[str, str]], seed: int = 0) -> Corrupted:
    """The article corrupted by `kind` at strength `level` (0, 1, 2); deterministic in (seed, id, kind, level)."""
    label, param = STRENGTHS[kind][level]
    rng = random.Random(f"{seed}:{article.id}:{kind}:{level}")
    if kind == "spin":
        parts, stats = spin(article, param, rng)
    elif kind == "split":
        parts, stats = split(article, param, rng)
    elif kind == "injection":
        parts, stats = inject(article, int(param), rng, headlines)
    elif kind == "boilerplate":
        parts, stats = boilerplate(article, int(param), rng)
    else:
        raise ValueError(f"unknown corruption {kind!r}; known: {', '.join(KINDS)}")
    return Corrupted(article, kind, label, level, parts, stats)
