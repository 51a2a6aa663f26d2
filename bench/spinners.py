"""Spin families: synonym spinners from different sources, so the spin benchmark is not only WordNet swaps.

The `spin` signal puts content words on trial against their WordNet synonyms (scoring/signals/spin.py), so
a spinner that draws from WordNet hands the detector its own candidate table. The families here draw from
elsewhere; the benchmark reports each one separately (bench/realbench.py, "spin by family").

| family | source | licence | what it swaps |
|---|---|---|---|
| `wordnet` (seen) | Debian wordnet-base (/usr/share/wordnet): bench.corrupt.spin | WordNet 3.0 licence | a random lemma of any synset of the word |
| `moby` | Debian `libaiksaurus-1.2-data` (Aiksaurus 1.2, built from Grady Ward's Moby thesaurus) | GPL-2+ (Moby itself: public domain) | a random word of any of the word's meanings |
| `mythes` | Debian `mythes-en-us` (LibreOffice's en_US thesaurus, th_en_US_v2.dat) | WordNet licence | a random entry of any sense: synonyms, "similar", "related" and "generic" (hypernym) terms; antonyms never |
| `phrase` (held out) | none: hand-written rules in this file | (ours) | function-word expansions ("because" -> "due to the fact that"), connective swaps, register swaps ("use" -> "utilise"), light-verb phrases ("decided" -> "made the decision"), "-ly" adverbs -> "in a ... manner", "X and Y" -> "Y and X", pronoun-subject active -> passive |

The Debian packages are fetched as models/build_default.py fetches its text (`apt-get download`, then
`dpkg-deb -x`), into .cache/bench/ (git-ignored); nothing is vendored. Moby comes from Aiksaurus rather than
npm's `thesaurus` package because that package is LibreOffice's MyThes data again (WordNet-derived), not Moby;
Aiksaurus is Moby regrouped into ~2,600 titled meanings, fetched through the same client as the other two.

Every family keeps bench.corrupt.spin's interface and accounting: about `rate` x the article's content words
changed (a two-word swap counts 2; a phrase rewrite counts the content words it moves, at least 1), one truth
span per change (`bench.corrupt.Part`, so `bench.pages.map_truth` and bench.realpages find it), capitalisation
kept, -s/-es/-ies/-ed/-ied/-ing stripped and re-applied, names left alone, random choice among all senses (no
disambiguation, like cheap tools), seeded by the caller's `random.Random`.

Held out: `phrase`. It is the family least like anything the detector reads or was fitted on (no thesaurus at
all), and the one tuning would most easily absorb: its rules are ours and short, so seeing them on dev invites
pasting them into the detector's phrase catalogue (scoring/data/tortured_phrases.tsv), which would turn the
benchmark circular again. `mythes` would be a weak hold-out: it is WordNet plus WordNet's neighbour relations,
half-seen already. `spin()` refuses the held-out family unless the caller names the test split
(`HeldOutFamily`), so a `--split dev` run cannot use it.
"""
from __future__ import annotations

import functools
import pickle
import random
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from . import corrupt as bc
from .corrupt import Part
from .data import CACHE, Article


@dataclass(frozen=True)
class Family:
    name: str
    label: str              # table label
    source: str
    licence: str
    seen: bool = False      # the detector reads this family's synonym source (WordNet)
    held_out: bool = False  # test split only: never built by a dev (tuning) run


FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family("wordnet", "WordNet", "Debian wordnet-base (/usr/share/wordnet)", "WordNet 3.0 licence", seen=True),
    Family("moby", "Moby (Aiksaurus)", "Debian libaiksaurus-1.2-data (words.dat, meanings.dat)",
           "GPL-2+ (Moby: public domain)"),
    Family("mythes", "LibreOffice MyThes", "Debian mythes-en-us (th_en_US_v2.dat)", "WordNet licence"),
    Family("phrase", "phrase rewrites", "hand-written rules (bench/spinners.py)", "project's own", held_out=True),
)}
DEFAULT_FAMILY = "wordnet"
HELD_OUT = tuple(n for n, f in FAMILIES.items() if f.held_out)


class HeldOutFamily(RuntimeError):
    """A held-out spin family asked for outside the test split."""


def families_for(split: str) -> tuple[str, ...]:
    """The families a run on `split` may build: all on test; on dev (tuning) the held-out family is left out,
    so nothing tuned on dev has seen it."""
    return tuple(n for n, f in FAMILIES.items() if split == "test" or not f.held_out)


def check_family(family: str, split: str | None) -> Family:
    if family not in FAMILIES:
        raise ValueError(f"unknown spin family {family!r}; known: {', '.join(FAMILIES)}")
    fam = FAMILIES[family]
    # By construction: a held-out family is built only when the caller names the test split. A dev (tuning)
    # run, or a caller that does not say which split its text is from, gets an error, never the family.
    if fam.held_out and split != "test":
        raise HeldOutFamily(f"spin family {family!r} is held out for the test split; refused for split {split!r}")
    return fam


def spin(article: Article, rate: float, rng: random.Random, family: str = DEFAULT_FAMILY,
         split: str | None = None) -> tuple[list[Part], dict]:
    """bench.corrupt.spin with the synonyms (or rewrites) of `family`; `split` is the split the article is
    from (required, and must be "test", for the held-out family)."""
    check_family(family, split)
    if family == "wordnet":
        return bc.spin(article, rate, rng)
    if family == "moby":
        return bc.spin(article, rate, rng, moby_thesaurus())
    if family == "mythes":
        return bc.spin(article, rate, rng, mythes_thesaurus())
    return phrase_spin(article, rate, rng)


# == Debian packages ======================================================================================
DEBIAN_PACKAGES = {"moby": "libaiksaurus-1.2-data", "mythes": "mythes-en-us"}


def debian_package(package: str, cache: Path = CACHE) -> Path:
    """The package's files, unpacked into .cache/bench/<package> by the default model's fetcher."""
    from models.build_default import fetch_debian

    return fetch_debian(package, cache)


def package_version(package: str, cache: Path = CACHE) -> str:
    debs = sorted((cache / "debs").glob(f"{package}_*.deb"))
    return debs[-1].name.split("_")[1].replace("%3a", ":") if debs else "?"


def _table(pairs: dict[str, set[str]]) -> dict[str, tuple[str, ...]]:
    """word -> sorted synonyms, in bench.corrupt's thesaurus shape: lowercase entries of 1-3 words (keys of 1-2),
    the word itself left out."""
    ok = bc._OK_LEMMA
    out = {}
    for w, syns in pairs.items():
        if ok.fullmatch(w) and w.count(" ") <= 1:
            good = sorted(s for s in syns if s != w and ok.fullmatch(s))
            if good:
                out[w] = tuple(good)
    return out


# == Moby, as Aiksaurus ships it ==========================================================================
def _u16_lists(data: bytes, start: int) -> tuple[list[int], int]:
    """Big-endian 16-bit ids from `start` up to the 0xFFFF terminator; (ids, offset after it)."""
    ids = []
    i = start
    while True:
        (v,) = struct.unpack_from(">H", data, i)
        i += 2
        if v == 0xFFFF:
            return ids, i
        ids.append(v)


def read_aiksaurus(directory: Path) -> dict[str, set[str]]:
    """word -> every word of every meaning it belongs to.

    Format (read off the files; Aiksaurus 1.2's data): words.dat is the sorted word list, each entry the word
    (Latin-1, ':' for a space) NUL-terminated, then the ids of its meanings as big-endian uint16, ended by
    0xFFFF; a word's id is its position. meanings.dat is the meanings in id order, each a list of word ids
    (uint16, 0xFFFF-terminated): two title words, then the members sorted by id."""
    words_raw = (directory / "words.dat").read_bytes()
    meanings_raw = (directory / "meanings.dat").read_bytes()
    words, word_meanings = [], []
    i = 0
    while i < len(words_raw):
        j = words_raw.index(b"\0", i)
        words.append(words_raw[i:j].decode("latin-1").replace(":", " "))
        ids, i = _u16_lists(words_raw, j + 1)
        word_meanings.append(ids)
    meanings = []
    i = 0
    while i < len(meanings_raw):
        ids, i = _u16_lists(meanings_raw, i)
        meanings.append({words[k] for k in ids if k < len(words)})
    table: dict[str, set[str]] = {}
    for w, ids in zip(words, word_meanings):
        table.setdefault(w.lower() if w.islower() else w, set()).update(
            x for m in ids if m < len(meanings) for x in meanings[m])
    return table


def _cached(family: str, read) -> dict[str, tuple[str, ...]]:
    """The family's table, parsed once per package version and pickled beside the package in .cache/bench."""
    package = DEBIAN_PACKAGES[family]
    root = debian_package(package)
    path = CACHE / f"{package}_{package_version(package)}.table.pickle"
    if path.is_file():
        try:
            with path.open("rb") as f:
                return pickle.load(f)
        except Exception:  # a torn write: parse again
            pass
    table = _table(read(root))
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump(table, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return table


@functools.lru_cache(maxsize=1)
def moby_thesaurus() -> dict[str, tuple[str, ...]]:
    return _cached("moby", lambda root: read_aiksaurus(root / "usr/share/aiksaurus"))


# == LibreOffice's MyThes =================================================================================
_MYTHES_TAG = re.compile(r"\s*\((?:similar|related|generic) term\)$")


def read_mythes(path: Path) -> dict[str, set[str]]:
    """word -> every entry of every sense, antonyms left out.

    Format (MyThes .dat): the first line names the encoding; then for each entry a line `word|n` followed by
    n sense lines `(pos)|syn|syn...`, where an item may carry a relation tag: "(similar term)", "(related
    term)", "(generic term)" (a hypernym) or "(antonym)"."""
    table: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", errors="replace") as f:
        f.readline()
        word, left = None, 0
        for line in f:
            line = line.rstrip("\n")
            if left == 0:
                word, _, n = line.rpartition("|")
                left = int(n) if n.isdigit() else 0
                continue
            left -= 1
            syns = table.setdefault(word, set())
            for item in line.split("|")[1:]:
                if item.endswith("(antonym)"):
                    continue
                syns.add(_MYTHES_TAG.sub("", item).strip())
    return table


@functools.lru_cache(maxsize=1)
def mythes_thesaurus() -> dict[str, tuple[str, ...]]:
    return _cached("mythes", lambda root: read_mythes(root / "usr/share/mythes/th_en_US_v2.dat"))


# == phrase rewrites (no thesaurus) =======================================================================
MONTHS = "january february march april may june july august september october november december".split()
# expansions and connective swaps of function words and fixed phrases: (pattern, replacements); matched
# case-insensitively on word boundaries, the replacement takes the original's capitalisation
_EXPANSIONS: list[tuple[str, list[str]]] = [
    (r"because of", ["due to", "owing to", "on account of", "as a result of"]),
    (r"because(?! of\b)", ["due to the fact that", "owing to the fact that", "on account of the fact that", "since"]),
    (r"now(?! that)", ["at this point in time", "at present", "currently", "at this moment"]),
    (r"although", ["even though", "despite the fact that", "in spite of the fact that"]),
    (r"despite", ["in spite of", "regardless of", "notwithstanding"]),
    (r"for example", ["for instance", "as an example", "by way of example"]),
    (r"for instance", ["for example", "as an example"]),
    (r"such as", ["like", "including", "for example"]),
    (r"in addition to", ["besides", "as well as", "along with"]),
    (r"more than", ["in excess of", "over", "upwards of"]),
    (r"during", ["in the course of", "throughout", "over the course of"]),
    (r"often", ["frequently", "on a regular basis", "oftentimes", "time and again"]),
    (r"also", ["additionally", "likewise", "furthermore", "moreover"]),
    (r"however", ["nevertheless", "nonetheless", "that said", "on the other hand"]),
    (r"very", ["extremely", "highly", "exceptionally", "remarkably"]),
    (r"(?<!not )only", ["just", "merely", "solely", "simply"]),
    (r"many(?= [a-z])", ["a large number of", "numerous", "a great many", "plenty of"]),
    (r"most(?= [a-z]+s\b)", ["the majority of", "a large portion of"]),
    (r"if", ["in the event that", "provided that", "assuming that"]),
    (r"whether", ["whether or not"]),
    (r"while", ["whilst", "whereas"]),
    (r"before(?= (?:the|a|an|his|her|their|its|this|[a-z]+ing)\b)", ["prior to", "ahead of"]),
    (r"after(?= (?:the|a|an|his|her|their|its|this|[a-z]+ing)\b)", ["following", "subsequent to"]),
    (r"about(?= \$?\d)", ["approximately", "roughly", "around", "some"]),
    (r"said", ["stated", "noted", "explained", "remarked", "commented"]),
    (r"says", ["states", "notes", "explains", "remarks"]),
    (r"(?<=[a-z], )so(?= [a-z])", ["therefore", "thus", "hence", "consequently"]),
    (r"(?<=[a-z], )but(?= [a-z])", ["yet", "though", "however,"]),
    (r"and then", ["and subsequently", "and after that"]),
]
_IN_MONTH = re.compile(r"(?<![\w'\-])([Ii]n) (" + "|".join(m.capitalize() for m in MONTHS) + r")(?![\w'\-])")
# "and" between two words: an expansion
_AND = re.compile(r"(?<=[A-Za-z,] )and(?= [a-z])")
_TO_VERB = re.compile(r"(?<=[a-z] )to (?=([a-z]+)\b)")
COMMON_VERBS = frozenset("""
accept achieve add address allow answer apply avoid become begin bring build buy change check choose close
collect come complete consider continue control create cut deal decide deliver describe design develop
discuss do draw drive eat encourage end ensure enter establish explain find finish fix follow get give go
grow handle help hold identify improve include increase invest join keep know lead learn leave let limit live
look lose make manage meet move offer open pay perform plan play prepare present prevent produce protect
provide publish pull push put raise reach read receive reduce remain remove repair replace report represent
protect pursue return run save see sell send serve set share show sign solve speak spend start stay stop
study support take talk teach tell test think travel try turn understand use visit vote wait walk watch win
work write
""".split())
CATENATIVE = frozenset("""
want wants wanted need needs needed have has had going able used ought about tried try tries seem seems seemed
appear appears appeared began begin begins started start starts continue continues continued like likes liked
plan plans planned expected expect expects hope hopes hoped decided decide decides agreed agree agrees refused
refuse refuses managed manage manages failed fail fails allowed allow allows asked ask asks told tell tells
""".split())
# register swaps, plain -> inflated, with their inflections spelled out
_REGISTER: dict[str, list[str]] = {}
for _plain, _formal in [
    (("use", "uses", "used", "using"), [("utilise", "utilises", "utilised", "utilising"),
                                         ("make use of", "makes use of", "made use of", "making use of")]),
    (("help", "helps", "helped", "helping"), [("assist", "assists", "assisted", "assisting"),
                                               ("aid", "aids", "aided", "aiding")]),
    (("show", "shows", "showed", "showing"), [("demonstrate", "demonstrates", "demonstrated", "demonstrating")]),
    (("need", "needs", "needed", "needing"), [("require", "requires", "required", "requiring")]),
    (("start", "starts", "started", "starting"), [("commence", "commences", "commenced", "commencing")]),
    (("buy", "buys", "bought", "buying"), [("purchase", "purchases", "purchased", "purchasing")]),
    (("try", "tries", "tried", "trying"), [("attempt", "attempts", "attempted", "attempting")]),
    (("get", "gets", "got", "getting"), [("obtain", "obtains", "obtained", "obtaining"),
                                          ("acquire", "acquires", "acquired", "acquiring")]),
    (("keep", "keeps", "kept", "keeping"), [("maintain", "maintains", "maintained", "maintaining"),
                                             ("retain", "retains", "retained", "retaining")]),
    (("end", "ends", "ended", "ending"), [("conclude", "concludes", "concluded", "concluding")]),
    (("ask", "asks", "asked", "asking"), [("enquire", "enquires", "enquired", "enquiring")]),
    (("big",), [("sizeable",), ("substantial",)]),
    (("enough",), [("sufficient",), ("adequate",)]),
    (("hard",), [("challenging",), ("difficult",)]),
]:
    for _i, _w in enumerate(_plain):
        _REGISTER[_w] = [f[_i] for f in _formal]
# light-verb phrases: verb -> "make a decision" style, with inflections spelled out
_LIGHT: dict[str, list[str]] = {
    "decided": ["made the decision", "came to the decision"], "decide": ["make a decision", "come to a decision"],
    "agreed": ["came to an agreement", "reached an agreement"], "agree": ["come to an agreement"],
    "announced": ["made an announcement that", "issued an announcement that"],
    "investigated": ["carried out an investigation into", "conducted an investigation into"],
    "investigate": ["carry out an investigation into", "conduct an investigation into"],
    "analysed": ["carried out an analysis of"], "analyzed": ["carried out an analysis of"],
    "reviewed": ["carried out a review of", "conducted a review of"], "review": ["carry out a review of"],
    "visited": ["paid a visit to"], "visit": ["pay a visit to"],
    "improved": ["made improvements to"], "improve": ["make improvements to"],
    "attempted": ["made an attempt"], "discussed": ["held a discussion about", "had a discussion about"],
    "criticised": ["levelled criticism at"], "criticized": ["levelled criticism at"],
    "suggested": ["made the suggestion"], "recommended": ["made the recommendation"],
}
# -ly words that are no manner adverbs (or whose base is no adjective)
_NOT_ADVERBS = frozenset("""
family only early daily weekly monthly yearly hourly nightly quarterly likely unlikely july reply supply apply
rely fly ally rally belly jelly bully holy ugly silly lonely lovely friendly elderly costly deadly lively orderly
italy assembly anomaly monopoly melancholy comply imply multiply lily folly jolly curly hilly chilly oily wily
gently subtly burly surly sly ply kindly fully hardly nearly really mostly largely merely simply
certainly surely
partly shortly lately namely poly billy emily kelly sally molly holly wholly bodily ally manly womanly homely
scholarly timely untimely worldly heavenly earthly ghostly cowardly brotherly motherly fatherly sisterly
""".split())


def _adverb_base(word: str) -> str | None:
    """The adjective of a manner adverb ("quickly" -> "quick", "happily" -> "happy", "possibly" -> "possible",
    "basically" -> "basic"); None for -ly words that are no such adverb."""
    if word in _NOT_ADVERBS or len(word) < 6 or not word.endswith("ly"):
        return None
    if word.endswith("ically"):
        base = word[:-4]
    elif word.endswith("ily"):
        base = word[:-3] + "y"
    elif word.endswith(("ably", "ibly")):
        base = word[:-1] + "e"
    else:
        base = word[:-2]
    return base if len(base) >= 4 else None


_PRONOUN_OBJ = {"he": "him", "she": "her", "they": "them", "we": "us", "i": "me"}
_ACTIVE = re.compile(r"\b(he|she|they|we)\s+([a-z]{3,}ed)\s+(the|a|an|this|that|his|her|their|its)\s+"
                     r"([a-z]{3,})(?=[.,;])", re.IGNORECASE)
_PASSIVE = re.compile(r"(the|a|an)\s+([a-z]{3,})\s+(was|were)\s+([a-z]{3,}ed)\s+by\s+(the)\s+([a-z]{3,})(?=[.,;])",
                      re.IGNORECASE)
_LOWER_WORD = re.compile(r"(?<![\w'\-])[a-z]+(?![\w'\-])")


def _plural(noun: str) -> bool:
    return noun.endswith("s") and not noun.endswith(("ss", "us", "is"))


def phrase_units(text: str, starts: set[int], lowercase_words: set[str]) -> list[tuple[int, int, int, list[str]]]:
    """Candidate rewrites of one paragraph: (start, end, content words it counts for, replacements)."""
    units = []

    def counts(s: int, e: int) -> int:
        return max(1, len(bc.content_words(text[s:e])))

    def no_names(s: int, e: int, allow: tuple[str, ...] = ()) -> bool:
        for m in bc._WORD.finditer(text, s, e):
            w = m.group()
            if w.lower() not in allow and bc.proper_noun(w, m.start(), starts, lowercase_words):
                return False
        return True

    for pattern, reps in _EXPANSIONS:
        for m in re.finditer(r"(?<![\w'\-])(?:" + pattern + r")(?![\w'\-])", text, re.IGNORECASE):
            s, e = m.span()
            original = m.group()
            if original.isupper() and len(original) > 1:
                continue
            if original[:1].isupper() and s not in starts:
                continue  # part of a name or title ("Only Fools", "Now TV")
            units.append((s, e, counts(s, e), reps))
    for m in _IN_MONTH.finditer(text):   # "in October" -> "in the month of October": the month is no change
        units.append((m.start(1), m.end(1), 1, ["in the month of", "during the month of"]))
    for m in _AND.finditer(text):
        units.append((m.start(), m.end(), 1, ["as well as", "and also", "along with"]))
    for m in _TO_VERB.finditer(text):
        prev = text[:m.start()].split()[-1:]
        if m.group(1) in COMMON_VERBS and not (prev and prev[0].lower().strip(",") in CATENATIVE):
            units.append((m.start(), m.end() - 1, 1, ["so as to", "in order to"]))
    for m in _LOWER_WORD.finditer(text):
        w, s, e = m.group(), m.start(), m.end()
        if w in _REGISTER:
            units.append((s, e, counts(s, e), _REGISTER[w]))
        if w in _LIGHT:
            units.append((s, e, 1, _LIGHT[w]))
        base = _adverb_base(w)
        if base and not re.search(r"\b(?:a|an|the)\s+$", text[max(0, s - 5):s], re.IGNORECASE):
            art = "an" if base[0] in "aeiou" else "a"
            units.append((s, e, 1, [f"in {art} {base} manner", f"in {art} {base} way", f"in {art} {base} fashion"]))
    # "X and Y" -> "Y and X": two lowercase content words of the same shape (both plural, both -ed, ...)
    words = [(m.group(), m.start(), m.end()) for m in bc._WORD.finditer(text)]
    for (w1, s1, e1), (w2, s2, e2), (w3, s3, e3) in zip(words, words[1:], words[2:]):
        if w2 != "and" or text[e1:s2] != " " or text[e2:s3] != " " or w1 == w3:
            continue
        if not (w1.islower() and w3.islower()) or min(len(w1), len(w3)) < 3:
            continue
        if w1 in bc.STOPWORDS or w3 in bc.STOPWORDS:
            continue
        if any(w1.endswith(x) != w3.endswith(x) for x in ("s", "ed", "ing", "ly")):
            continue
        if text[e3:e3 + 1] in ("-", "'") or text[s1 - 1:s1] in ("-", "'"):
            continue
        units.append((s1, e3, 2, [f"{w3} and {w1}"]))
    # pronoun subject, past tense verb, object noun phrase of two words, clause end: active -> passive
    for m in _ACTIVE.finditer(text):
        subj, verb, det, noun = m.groups()
        if subj[0].isupper() and m.start() not in starts:
            continue
        if not no_names(m.start(), m.end(), ("he", "she", "they", "we")) or noun in bc.STOPWORDS:
            continue
        be = "were" if _plural(noun) else "was"
        passive = f"{det.lower()} {noun} {be} {verb.lower()} by {_PRONOUN_OBJ[subj.lower()]}"
        units.append((m.start(), m.end(), 2, [passive]))
    # sentence-initial "The X was verbed by the Y" -> "The Y verbed the X"
    for m in _PASSIVE.finditer(text):
        if m.start() not in starts or not no_names(m.start(), m.end()):
            continue
        det, noun, _be, verb, det2, agent = m.groups()
        if noun.lower() in bc.STOPWORDS or agent.lower() in bc.STOPWORDS:
            continue
        units.append((m.start(), m.end(), 2, [f"the {agent} {verb.lower()} {det.lower()} {noun}"]))
    return units


def phrase_spin(article: Article, rate: float, rng: random.Random, fill: str | None = "moby",
                ) -> tuple[list[Part], dict]:
    """Phrase-level rewrites, no thesaurus, about `rate` x content words' worth (bench.corrupt.apply_units).

    The rules run out at ~10-15% of the content words on news text, so the rest of the target is made up with
    word swaps from the `fill` family's thesaurus (Moby by default, as rewriting tools pair phrase rewrites with
    a synonym table): all phrase rewrites are tried first, in random order, then the fill swaps. `stats` tells
    them apart (`phrase_words`, `fill_words`)."""
    lowercase_words = bc.article_lowercase_words(article)
    per_para, content_total = [], 0
    for text in article.paragraphs:
        starts = bc._sentence_starts(text)
        content_total += len(bc.content_words(text))
        per_para.append((text, phrase_units(text, starts, lowercase_words)))
    order = [(pi, u) for pi, (_, units) in enumerate(per_para) for u in units]
    rng.shuffle(order)
    n_phrase = len(order)
    if fill:
        fill_paras, _ = bc.spin_units(article, {"moby": moby_thesaurus, "mythes": mythes_thesaurus}[fill]())
        extra = [(pi, u) for pi, (_, units) in enumerate(fill_paras) for u in units]
        rng.shuffle(extra)
        order += extra
    parts, stats = bc.apply_units(per_para, content_total, rate, rng, order, first=n_phrase, apart=True)
    phrase_words = stats.pop("first_words", 0)
    stats.update(phrase_words=phrase_words, fill_words=stats["swapped_words"] - phrase_words,
                 phrase_candidates=n_phrase)
    return parts, stats
