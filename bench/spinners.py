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
| `rewriter` (held out, the clean one) | hand-written rules in this file, modelled on online article rewriters, + Moby swaps as fill | (ours) | clause reordering around subordinators ("Although X, Y" <-> "Y, although X"), introductory adverbials moved to the end ("In 2019, X" -> "X in 2019") and closing time phrases to the front, "the X of Y" <-> "Y's X", contraction expansion ("doesn't" -> "does not", and back), numbers as digits <-> words ("5" <-> "five", "%" <-> "percent"), intensifiers before adjectives ("a big" -> "a very big"), hedges before a share of the sentences ("It is worth noting that ..."), '," said Smith' <-> '," Smith said', "that" <-> "which" in restrictive relative clauses |

The Debian packages are fetched as models/build_default.py fetches its text (`apt-get download`, then
`dpkg-deb -x`), into .cache/bench/ (git-ignored); nothing is vendored. Moby comes from Aiksaurus rather than
npm's `thesaurus` package because that package is LibreOffice's MyThes data again (WordNet-derived), not Moby;
Aiksaurus is Moby regrouped into ~2,600 titled meanings, fetched through the same client as the other two.

Every family keeps bench.corrupt.spin's interface and accounting: about `rate` x the article's content words
changed (a two-word swap counts 2; a phrase rewrite counts the content words it moves, at least 1), one truth
span per change (`bench.corrupt.Part`, so `bench.pages.map_truth` and bench.realpages find it), capitalisation
kept, -s/-es/-ies/-ed/-ied/-ing stripped and re-applied, names left alone, random choice among all senses (no
disambiguation, like cheap tools), seeded by the caller's `random.Random`.

Held out: `phrase` and `rewriter`. Rule families are the ones least like anything the detector reads or was
fitted on, and the ones tuning would most easily absorb: their rules are ours and short, so seeing them on dev
invites pasting them into the detector's phrase catalogue (scoring/data/tortured_phrases.tsv), which would turn the
benchmark circular again. `mythes` would be a weak hold-out: it is WordNet plus WordNet's neighbour relations,
half-seen already. `spin()` refuses a held-out family unless the caller names the test split (`HeldOutFamily`),
so a `--split dev` run cannot use either.

`phrase` is no longer a clean hold-out: the detector's phrase-rewrite cues were written by someone who had read
its rules (bench/README.md). `rewriter` is the clean one: it was added on 2026-11-26 by an author working under
the rule that they must not open the detector's cue list or spin code (scoring/data/phrase_rewrites.tsv,
phrase_rewrite_rates.json, tortured_phrases.tsv, scoring/signals/rewrites.py, spin.py; nothing under scoring/ was
read or searched), and its rules come from what online article-rewriting tools do, not from the `phrase` rules
(read only for the API, and not duplicated: no function-word expansions, connective or register swaps, light
verbs, "-ly" -> "in a ... manner", "X and Y" swaps or active/passive). Keep it clean: whoever edits the
detector's cues should not read `rewriter_units` or the table row above, and its rules should not be tuned on.
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
    note: str = ""          # for a held-out family: how clean a hold-out it is (shown in the results table)


FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family("wordnet", "WordNet", "Debian wordnet-base (/usr/share/wordnet)", "WordNet 3.0 licence", seen=True),
    Family("moby", "Moby (Aiksaurus)", "Debian libaiksaurus-1.2-data (words.dat, meanings.dat)",
           "GPL-2+ (Moby: public domain)"),
    Family("mythes", "LibreOffice MyThes", "Debian mythes-en-us (th_en_US_v2.dat)", "WordNet licence"),
    Family("phrase", "phrase rewrites", "hand-written rules (bench/spinners.py)", "project's own", held_out=True,
           note="its rules were read by the rewrite-cue author, see bench/README"),
    Family("rewriter", "article rewriter", "hand-written rules modelled on online article rewriters "
           "(bench/spinners.py) + Moby fill", "project's own", held_out=True,
           note="clean: written without reading the detector's cues, see bench/README"),
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
    if family == "rewriter":
        return rewriter_spin(article, rate, rng)
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


# == article rewriter (held out, clean) ===================================================================
# Written from what online "article rewriter" tools do, by an author who had not read the detector's cue list
# or spin code (see the module docstring). Each rule below is a unit of bench.corrupt.apply_units: (start, end,
# content words it counts for, replacements), the replacement already cased for its place in the sentence.
_APOS = "['\u2019]"
# contraction expansion (and the odd contraction the other way, as tools do both)
_CONTRACTIONS: list[tuple[str, list[str]]] = [
    (r"won" + _APOS + r"t", ["will not"]), (r"can" + _APOS + r"t", ["cannot", "can not"]),
    (r"shan" + _APOS + r"t", ["shall not"]),
    (r"(do|does|did|is|are|was|were|has|have|had|could|would|should|must|need)n" + _APOS + r"t", [r"\1 not"]),
    (r"(i)" + _APOS + r"m", [r"\1 am"]),
    (r"(you|we|they|who)" + _APOS + r"re", [r"\1 are"]),
    (r"(i|you|we|they|who)" + _APOS + r"ve", [r"\1 have"]),
    (r"(i|you|we|they|he|she|it|that|there)" + _APOS + r"ll", [r"\1 will"]),
    (r"(he|she|it)" + _APOS + r"s(?= (?:been|got|had|become|made|taken|seen|done)\b)", [r"\1 has"]),
    (r"(he|she|it|that|there|what|who|here|where)" + _APOS + r"s(?! (?:been|got|had|become|made|taken|seen|done)\b)",
     [r"\1 is"]),
    (r"let" + _APOS + r"s", ["let us"]),
    (r"do not", ["don't"]), (r"does not", ["doesn't"]), (r"did not", ["didn't"]), (r"is not", ["isn't"]),
    (r"are not", ["aren't"]), (r"was not", ["wasn't"]), (r"will not", ["won't"]), (r"cannot", ["can't"]),
]
_NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                 "sixteen seventeen eighteen nineteen twenty").split()
_TENS = {30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety"}


def _number_word(n: int) -> str | None:
    if 2 <= n <= 20:
        return _NUMBER_WORDS[n]
    if n in _TENS:
        return _TENS[n]
    return None


_WORD_NUMBER = {w: str(i) for i, w in enumerate(_NUMBER_WORDS) if i >= 2} | {w: str(n) for n, w in _TENS.items()}
_DIGITS = re.compile(r"(?<=[a-z,] )(\d{1,2})(?= [a-z])|^(\d{1,2})(?= [a-z])")
_NUMWORD = re.compile(r"(?<![\w'\-])(" + "|".join(_WORD_NUMBER) + r")(?= [a-z])(?![\w'\-])", re.IGNORECASE)
_PERCENT = re.compile(r"(?<![\w.$])(\d+(?:\.\d+)?)(%| percent| per cent)(?![\w%])")
# intensifiers put in front of a gradable adjective after an article/determiner or a copula
_INTENSIFIERS = ["very", "really", "extremely", "incredibly", "truly", "particularly"]
GRADABLE = frozenset("""
big small large huge tiny important difficult easy hard good bad great strong weak high low long short old young
fast slow quick rich poor cheap expensive popular common rare simple complex clear different similar serious
significant successful useful helpful dangerous safe happy sad angry worried concerned excited surprised
interesting busy close early late hot cold warm cool dry wet heavy dark bright loud quiet tough complicated
powerful effective efficient valuable unusual unique familiar comfortable aware careful confident proud keen
eager strange odd impressive attractive beautiful ugly nice fine bold brave calm crucial critical dramatic
exciting expensive famous fresh friendly generous gentle healthy honest hungry lucky modest narrow nervous
obvious painful pleasant positive negative practical pretty rapid recent relevant reliable rough sharp smart
smooth soft solid steep strict sudden sweet tall thick thin tight tired typical upset vital wide wild wise
competitive controversial disappointing encouraging frustrating limited profitable volatile vulnerable
""".split())
_ADJ_AFTER = re.compile(r"(?<![\w'\-])(a|an|the|this|that|its|their|his|her|our|my|your|is|was|are|were|be|been|"
                        r"being|seems|seemed|became|become|remains|remained|looks|looked|felt|feels|get|got|gets)"
                        r" (?=([a-z]+)(?![\w'\-]))", re.IGNORECASE)
_DETERMINERS = frozenset("a an the this that its their his her our my your".split())
# hedges and fillers put in front of a sentence
_HEDGES_THAT = ["It is worth noting that", "It should be noted that", "It is important to note that",
                "It goes without saying that"]
_HEDGES_COMMA = ["Interestingly,", "In fact,", "Notably,", "As it turns out,"]
HEDGE_SHARE = 0.3   # share of the sentences that get a hedge candidate (tools do not hedge every sentence)
# clause reordering around subordinators
_SUB_FRONT = ("although", "though", "while", "when", "because", "since", "after", "before", "if", "once", "until")
_SUB_COMMA = frozenset({"although", "though", "while", "whereas"})   # "Y, although X"
_SUB_BACK = ("although", "though", "whereas", "because", "after", "before", "until", "unless", "while")
# introductory adverbials: fronted "In 2019, X." <-> "X in 2019."
_FRONT_HEADS = frozenset("""
in on at by during after before for over since within under last this earlier later next recently previously
currently eventually ultimately meanwhile however yesterday today now
""".split())
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_TIME_TAIL = re.compile(
    r" ((?:on|last|this|next|earlier this|later this|in|by|over the) (?:"
    + "|".join(d.capitalize() for d in _WEEKDAYS) + "|" + "|".join(m.capitalize() for m in MONTHS)
    + r"|week|month|year|weekend|morning|afternoon|evening|night|summer|winter|spring|autumn|\d{4})"
    r"(?: \d{1,2}(?:, \d{4})?)?|yesterday|last year|last week|last month)(?=[.!]$)")
_GENITIVE_SKIP = frozenset("kind type sort lot couple number amount bit series range variety rest part sense "
                           "case top end".split())
_OF = re.compile(r"(?<![\w'\-])([Tt]he) ([a-z]{3,}) of ((?:the|its|their|his|her|this) )?([A-Za-z][a-z]{2,})"
                 r"(?=[.,;:]| [a-z]+\b)")
_POSSESSIVE = re.compile(r"(?<![\w'\-])([a-z]+) ((?:the|its|their|his|her|this) )?([A-Za-z][a-z]{2,})" + _APOS
                         + r"s ([a-z]{3,})(?=[.,;:]| [a-z]+\b)")
# reporting clause inversion after a quote: '," said Smith' <-> '," Smith said'
_SAID_AFTER = re.compile(r"([,?!][\"\u201d]) said ((?:the [a-z]+)|(?:[A-Z][a-z]+(?: [A-Z][a-z]+)?))(?=[.,])")
_SAID_BEFORE = re.compile(r"([,?!][\"\u201d]) ((?:the [a-z]+)|(?:[A-Z][a-z]+(?: [A-Z][a-z]+)?)) said(?=[.,])")
_REPORTED = re.compile(r"\b(?:said|says|told|added|according|announced|reported)\b")  # "X said Y would go in
# 2022": fronting "in 2022" would date the saying
_MAX_MOVE = 160
# relative pronouns of a restrictive clause (no comma before): "the plan that was" <-> "the plan which was",
# "people who are" -> "people that are"
_AUX = r"(?= (?:is|was|are|were|has|have|had|will|would|can|could|may|might|should)\b)"
_RELATIVE = re.compile(r"(?<=[a-z] )(that|which|who)" + _AUX)
_NOT_ANTECEDENT = frozenset("""
said says believe believes think thinks thought know knows knew found shows showed show means meant noted added
argued claimed suggested suggests reported announced hope hopes expect expects ensure clear likely sure possible
true fact idea news sign evidence hope chance argue warned warn note notes proof reason estimates estimate
predicts warns argues insists claims admits fears worries hopes expects reports
""".split())   # a moved clause is at most this long (bench.realpages aligns a change within 200 chars)


def _ends_phrase(text: str, end: int) -> bool:
    """A noun phrase can end at `end`: punctuation or a function word follows (not another noun)."""
    m = re.match(r" ([a-z]+)\b", text[end:])
    return m is None or m.group(1) in bc.STOPWORDS


def _lower_first(text: str, at: int, starts: set[int], lowercase_words: set[str]) -> str | None:
    """`text` with its first word lowercased, unless that word is a name (bench.corrupt.proper_noun; `at` is its
    offset in the paragraph) or "I"; None if it does not start with a letter."""
    m = bc._WORD.match(text)
    if not m or m.start() != 0:
        return None
    w = m.group()
    if w == "I" or (w.lower() not in bc.STOPWORDS and bc.proper_noun(w, at, starts, lowercase_words)):
        return text
    return w.lower() + text[m.end():]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence_units(text: str, s: int, e: int, starts: set[int], lowercase_words: set[str],
                    rng: random.Random) -> list[tuple[int, int, int, list[str], str]]:
    """Sentence-level rewrites of the sentence text[s:e]: clause reordering, adverbial moves, hedges."""
    out = []
    sent = text[s:e].rstrip()
    e = s + len(sent)
    if not sent or sent[-1] not in ".!" or re.search(r"[\"\u201c\u201d()\[\]:;\u2013\u2014]| - ", sent) or len(sent.split()) < 6:
        return out
    body = sent[:-1]
    first = bc._WORD.match(body)
    if not first or first.start() != 0:
        return out
    fw = first.group()
    fw_name = fw.lower() not in bc.STOPWORDS and bc.proper_noun(fw, s, starts, lowercase_words)
    commas = body.count(",")
    if len(body) <= _MAX_MOVE:
        # "Although X, Y." -> "Y, although X." / "When X, Y." -> "Y when X."
        if fw.lower() in _SUB_FRONT and commas == 1:
            sub_clause, _, main = body.partition(", ")
            if len(sub_clause.split()) >= 3 and len(main.split()) >= 3 and bc._WORD.match(main) and \
                    main.split()[0] not in ("so", "then", "that"):
                join = ", " if fw.lower() in _SUB_COMMA else " "
                new = _upper_first(main) + join + fw.lower() + sub_clause[len(fw):]
                out.append((s, e - 1, 2, [new], "clause"))
        # "Y, although X." / "Y because X." -> "Although X, y." / "Because X, y."
        elif commas <= 1:
            for m in re.finditer(r"(,?) (" + "|".join(_SUB_BACK) + r") ", body):
                main, sub_clause = body[:m.start()], body[m.end():]
                if (m.group(1) == "," or m.group(2) not in _SUB_COMMA) and "," not in main + sub_clause and \
                        len(main.split()) >= 3 and len(sub_clause.split()) >= 3:
                    low = _lower_first(main, s, starts, lowercase_words)
                    if low is not None:
                        new = m.group(2).capitalize() + " " + sub_clause + ", " + low
                        out.append((s, e - 1, 2, [new], "clause"))
                break
        # "In 2019, the firm grew." -> "The firm grew in 2019."
        if commas == 1 and fw.lower() in _FRONT_HEADS and fw.lower() not in _SUB_FRONT and not fw_name:
            intro, _, main = body.partition(", ")
            if len(intro.split()) <= 5 and len(main.split()) >= 4 and bc._WORD.match(main):
                low = _lower_first(intro, s, starts, lowercase_words)
                if low is not None:
                    join = ", " if fw.lower() == "however" else " "
                    out.append((s, e - 1, 2, [_upper_first(main) + join + low], "adverbial"))
        # "The firm grew last year." -> "Last year, the firm grew."
        tail = _TIME_TAIL.search(sent)
        if tail and commas == 0 and len(body[:tail.start()].split()) >= 4 and not _REPORTED.search(body):
            low = _lower_first(body[:tail.start()], s, starts, lowercase_words)
            if low is not None:
                out.append((s, e - 1, 2, [_upper_first(tail.group(1)) + ", " + low], "adverbial"))
    # "It is worth noting that the council ..." (a share of the sentences only)
    if rng.random() < HEDGE_SHARE and fw.lower() not in _SUB_FRONT + _SUB_BACK + ("but", "and", "so", "or", "yet") \
            and not body[first.end():].startswith(","):
        low = fw if fw == "I" or fw_name else fw.lower()
        reps = [f"{h} {low}" for h in _HEDGES_THAT if low != "that"] + [f"{h} {low}" for h in _HEDGES_COMMA]
        out.append((s, s + len(fw), 1, reps, "hedge"))
    return out


def rewriter_units(text: str, starts: set[int], lowercase_words: set[str], rng: random.Random,
                   ) -> list[tuple[int, int, int, list[str], str]]:
    """Candidate rewrites of one paragraph: (start, end, content words it counts for, replacements, rule)."""
    units: list[tuple[int, int, int, list[str], str]] = []
    for pattern, reps in _CONTRACTIONS:
        for m in re.finditer(r"(?<![\w'\u2019\-])" + pattern + r"(?![\w'\u2019\-])", text, re.IGNORECASE):
            original = m.group()
            if original.isupper() and len(original) > 1:
                continue
            new = [m.expand(r) for r in reps]
            units.append((m.start(), m.end(), 1, new, "contraction"))
    for m in _DIGITS.finditer(text):
        g = 1 if m.group(1) else 2
        word = _number_word(int(m.group(g)))
        before = text[:m.start(g)].split()[-1:]
        if word and not (before and before[0].strip(",").capitalize() in MONTHS + ["No"]):
            units.append((m.start(g), m.end(g), 1, [_upper_first(word) if m.start(g) in starts else word], "number"))
    for m in _NUMWORD.finditer(text):
        units.append((m.start(), m.end(), 1, [_WORD_NUMBER[m.group().lower()]], "number"))
    for m in _PERCENT.finditer(text):
        forms = [f"{m.group(1)}{x}" for x in ("%", " percent", " per cent") if x != m.group(2)]
        units.append((m.start(), m.end(), 1, forms, "number"))
    for m in _ADJ_AFTER.finditer(text):
        head, adj = m.groups()
        end = m.end() + len(adj)
        if adj not in GRADABLE or (head[:1].isupper() and m.start() not in starts):
            continue
        nxt = text[end:end + 2]
        if head.lower() in _DETERMINERS and not re.match(r" [a-z]", nxt):
            continue   # an attributive adjective: a noun follows
        reps = []
        for i in _INTENSIFIERS:
            if head.lower() in ("a", "an"):
                art = "an" if i[0] in "aeiou" else "a"
                reps.append(f"{art} {i} {adj}")
            else:
                reps.append(f"{head.lower()} {i} {adj}")
        units.append((m.start(), end, 1, reps, "intensifier"))
    for m in _OF.finditer(text):
        the, x, det, y = m.groups()
        if (the[0].isupper() and m.start() not in starts) or not _ends_phrase(text, m.end()):
            continue
        if x in bc.STOPWORDS or x in _GENITIVE_SKIP or y.lower() in bc.STOPWORDS or x.endswith("ing"):
            continue
        if y[0].isupper() and not bc.proper_noun(y, m.start(4), starts, lowercase_words):
            continue
        poss = f"{y}'" if y.endswith("s") and y.islower() else f"{y}'s"
        units.append((m.start(), m.end(), 2, [f"{(det or '').lower()}{poss} {x}"], "genitive"))
    for m in _POSSESSIVE.finditer(text):
        w0, det, y, x = m.groups()
        if det is None and w0 not in bc.STOPWORDS:
            continue   # "veteran band's hits": the word before may be an adjective of Y
        if not _ends_phrase(text, m.end()) or w0 in ("a", "an", "the") or y.lower() in bc.STOPWORDS or x in bc.STOPWORDS or x in _GENITIVE_SKIP:
            continue
        if y[0].isupper() and not bc.proper_noun(y, m.start(3), starts, lowercase_words):
            continue
        units.append((m.start(), m.end(), 2, [f"{w0} the {x} of {(det or '').lower()}{y}"], "genitive"))
    for m in _RELATIVE.finditer(text):
        prev = text[:m.start()].split()[-1]
        if not prev.isalpha() or not prev.islower() or prev in bc.STOPWORDS or prev in _NOT_ANTECEDENT or \
                prev.endswith("ed") or len(prev) < 3:
            continue   # a comma, a function word or a verb before: no restrictive relative clause
        rel = m.group(1)
        reps = {"that": ["which"], "which": ["that"], "who": ["that"]}[rel]
        units.append((m.start(), m.end(), 1, reps, "relative"))
    for rx in (_SAID_AFTER, _SAID_BEFORE):
        for m in rx.finditer(text):
            quote, who = m.groups()
            new = f"{quote} {who} said" if rx is _SAID_AFTER else f"{quote} said {who}"
            units.append((m.start(), m.end(), 1, [new], "reporting"))
    ordered = sorted(starts)
    for k, s in enumerate(ordered):
        e = ordered[k + 1] if k + 1 < len(ordered) else len(text)
        units += _sentence_units(text, s, e, starts, lowercase_words, rng)
    return units


def rewriter_spin(article: Article, rate: float, rng: random.Random, fill: str | None = "moby",
                  ) -> tuple[list[Part], dict]:
    """An online article rewriter, about `rate` x content words' worth of changes (bench.corrupt.apply_units).

    Rules (`rewriter_units`): contraction expansion (and back), numbers as digits <-> words and "%" <->
    "percent", intensifiers put before gradable adjectives, hedges put before a share of the sentences, clause
    reordering around subordinators, introductory adverbials moved to the end or a closing time phrase moved to
    the front, "the X of Y" <-> "Y's X", '," said Smith' <-> '," Smith said', "that" <-> "which" in restrictive
    relative clauses. A move counts 2 content words, an insertion, expansion or swap 1. Like `phrase_spin`, the
    rules run out before the higher rates (~7-10% of the content words on news pages), so the rest is made up with
    word swaps from the `fill` family's thesaurus (Moby by default, as rewriting tools pair their rules with a
    synonym table): rule rewrites are tried first, in random order, then the fill swaps. `stats` tells them apart
    (`rule_words`, `fill_words`, `rule_candidates`)."""
    lowercase_words = bc.article_lowercase_words(article)
    per_para, content_total = [], 0
    rule_of: dict[tuple[int, int, int], str] = {}
    for pi, text in enumerate(article.paragraphs):
        starts = bc._sentence_starts(text)
        content_total += len(bc.content_words(text))
        units = []
        for s, e, n, reps, rule in rewriter_units(text, starts, lowercase_words, rng):
            reps = [r for r in reps if r != text[s:e]]
            original = text[s:e]
            if reps and not (original.isupper() and len(original) > 1):   # "SPACE": apply_units would shout
                units.append((s, e, n, reps))
                rule_of[(pi, s, e)] = rule
        per_para.append((text, units))
    order = [(pi, u) for pi, (_, units) in enumerate(per_para) for u in units]
    rng.shuffle(order)
    n_rule = len(order)
    if fill:
        fill_paras, _ = bc.spin_units(article, {"moby": moby_thesaurus, "mythes": mythes_thesaurus}[fill]())
        extra = [(pi, u) for pi, (_, units) in enumerate(fill_paras) for u in units]
        rng.shuffle(extra)
        order += extra
    parts, stats = bc.apply_units(per_para, content_total, rate, rng, order, first=n_rule, apart=True)
    rule_words = stats.pop("first_words", 0)
    stats.update(rule_words=rule_words, fill_words=stats["swapped_words"] - rule_words, rule_candidates=n_rule)
    return parts, stats
