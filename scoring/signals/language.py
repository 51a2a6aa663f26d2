"""Language of a page: langdetect, seeded so that the same page always gets the same answer.

langdetect's cost grows with the text and with its number of random trials, so it sees a bounded sample
(the page's longest lines first, which are its running prose rather than menus and bylines) in 3 trials
instead of its default 7. Measured here on 300 benchmark pages plus 15 German/French/Spanish pages and
paragraphs and 100 single English paragraphs: 1,000 characters x 7 trials took 2.2 ms per page, 500 x 3 took
1.0 ms, with the same answer on every one of the 415 texts (2 trials got one short paragraph wrong).

Before langdetect, a cheaper test settles the common case: a sample (the same one langdetect would read) whose
words are at least `FAST_ENGLISH_SHARE` English function words ("the", "and", "of", "that", ...), with no line
of 8+ words lacking all of them, is English. Measured on 619 texts (the 181 real pages' main content, 400 built
bench pages, the demo and test pages): English samples have a median share of 0.181 (1st percentile 0.071),
non-English ones (Italian, Portuguese, Korean, Indonesian, Russian, German, ...) at most 0.024. The fast path
answered 530 of the 619 and langdetect agreed on every one; a sample that mixes languages line by line goes to
langdetect (tests/test_block_signals.py), and since session 16 so does a line holding a sentence of 12+ words
without a marker (a German paragraph quoting English was read as English: langdetect says German): 9 of the 281
real and built pages the project compares reports on went from the fast path to langdetect, which agreed on every
one. Otherwise langdetect decides as before.

Both read the longest lines, which in scripts written without spaces between words (Chinese, Japanese, Thai) can
be the page's few lines of Latin text: a Japanese errata page of a programming book, whose longest lines are its
English code, was read as English and dropped for spin (postlight/parser's test pages). So when `SPACELESS_SHARE`
or more of the page's lines are mostly in such a script, langdetect reads only those lines (lines, not letters: one
such character carries about a word, and such lines also hold Latin code, names and numbers).
"""
from __future__ import annotations

import re
import threading

from ..normalize import CJK_CHARS

UNKNOWN = "unknown"
DEFAULT_SAMPLE_CHARS = 500
TRIALS = 3  # langdetect's random restarts (its default: 7)
MAX_UNDECODABLE = 0.1  # share of U+FFFD above which the text is taken for binary
# English function words that other languages' texts rarely use (no "a", "in", "is", "was", "die"...).
ENGLISH_MARKERS = frozenset("the and of that with for this from which would their were have been they there what"
                            " about when into than".split())
FAST_ENGLISH_SHARE = 0.12
FAST_MIN_WORDS = 50
MIXED_LINE_WORDS = 8       # a line this long without an English marker word is another language
MIXED_SENTENCE_WORDS = 12  # ... and so is a sentence this long (English ones of 8-11 words without one are common)
SPACELESS_SHARE = 0.3      # share of a page's lines mostly in a script without word spaces from which they decide
_WORD = re.compile(r"[^\W\d_]+")
_SPACELESS = re.compile(f"[\u0e00-\u0e7f{CJK_CHARS}]")  # Thai, kana and CJK: scripts without spaces between words
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_UNMARKED_RUN = bytes(MIXED_SENTENCE_WORDS)  # that many non-marker words in a row
_lock = threading.Lock()
_factory = None


def language_detector():
    """langdetect's profiles, loaded once per process (about a second); the seed makes it deterministic."""
    global _factory
    if _factory is None:
        with _lock:
            if _factory is None:
                from langdetect import DetectorFactory
                from langdetect import detector_factory

                DetectorFactory.seed = 0
                detector_factory.init_factory()
                factory = detector_factory._factory
                # langdetect keeps its ~88,000 n-gram profiles as lists, which the garbage collector walks on
                # every full collection of the scoring process (80 of its 90 ms here); langdetect only reads
                # them, and as tuples of floats they are no longer tracked (a full collection: 11 ms).
                probs = factory.word_lang_prob_map
                for word in list(probs):
                    probs[word] = tuple(probs[word])
                _factory = factory
    return _factory


def language_sample(text: str, sample_chars: int = DEFAULT_SAMPLE_CHARS) -> str:
    """Up to `sample_chars` characters of the text's longest lines (prose over chrome), in page order."""
    if len(text) <= sample_chars:
        return text
    lines = text.split("\n")
    chosen, total = set(), 0
    for i in sorted(range(len(lines)), key=lambda i: -len(lines[i])):
        if total >= sample_chars:
            break
        chosen.add(i)
        total += len(lines[i]) + 1
    return "\n".join(lines[i] for i in sorted(chosen))[:sample_chars]


def clearly_english(sample: str) -> bool:
    """Is this sample (`language_sample`, what langdetect would read) unmistakably English by its function
    words, in every line? A twentieth of langdetect's cost. A line of MIXED_LINE_WORDS+ words without a single
    one of them is another language (or no prose), and so is a sentence of MIXED_SENTENCE_WORDS+ words inside a
    longer line (a German paragraph quoting English: the German sentences have none, the quote many): then the
    sample is mixed, and langdetect decides."""
    total = markers = 0
    for line in sample.lower().split("\n"):
        words = _WORD.findall(line)
        marked = bytes(map(ENGLISH_MARKERS.__contains__, words))  # 1 for a marker word, 0 for another (in C)
        hits = marked.count(1)
        if hits == 0 and len(words) >= MIXED_LINE_WORDS:
            return False
        # A sentence's words are consecutive words of its line: without MIXED_SENTENCE_WORDS unmarked words in a
        # row, no sentence lacks a marker, and the line need not be cut into sentences (most lines of prose).
        if len(words) >= 2 * MIXED_SENTENCE_WORDS and _UNMARKED_RUN in marked and _foreign_sentence(line):
            return False
        total += len(words)
        markers += hits
    return total >= FAST_MIN_WORDS and markers >= FAST_ENGLISH_SHARE * total


def _mostly_spaceless(line: str) -> bool:
    """Are half the line's letters or more in a script without word spaces?"""
    n = len(_SPACELESS.findall(line))
    return n > 0 and 2 * n >= sum(map(len, _WORD.findall(line)))


def _foreign_sentence(line: str) -> bool:
    for sentence in _SENTENCE_END.split(line):
        words = _WORD.findall(sentence)
        if len(words) >= MIXED_SENTENCE_WORDS and ENGLISH_MARKERS.isdisjoint(words):
            return True
    return False


def detect_language(text: str, sample_chars: int = DEFAULT_SAMPLE_CHARS) -> tuple[str, float]:
    """(ISO code, probability) of the text's language; ("unknown", 0.0) when it has no letters or cannot tell.
    An unmistakably English text is ("en", 1.0) without asking langdetect."""
    text = text or ""
    if _SPACELESS.search(text):
        lines = [line for line in text.split("\n") if line.strip()]
        spaceless = [line for line in lines if _mostly_spaceless(line)]
        if len(spaceless) >= SPACELESS_SHARE * len(lines):
            text = "\n".join(spaceless)
    sample = language_sample(text, sample_chars)
    if clearly_english(sample):
        return "en", 1.0
    if not any(c.isalpha() for c in sample):
        return UNKNOWN, 0.0
    if sample.count("\ufffd") > MAX_UNDECODABLE * len(sample):  # binary or badly mis-decoded: no language
        return UNKNOWN, 0.0
    from langdetect.lang_detect_exception import LangDetectException

    try:
        detector = language_detector().create()
        detector.n_trial = TRIALS
        detector.append(sample)
        best = detector.get_probabilities()
    except LangDetectException:
        return UNKNOWN, 0.0
    if not best:
        return UNKNOWN, 0.0
    return best[0].lang, float(best[0].prob)
