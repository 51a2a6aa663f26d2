"""Real article pages (vendored under bench/realpages/) and content-farm corruptions written into their HTML.

The pages are the 181 of the public Article Extraction Benchmark (see bench/realpages/PROVENANCE.md): real
news/blog/magazine pages with their full site chrome, and the hand-checked article text of each (`articleBody`).

- `load_pages(split)`: the pages; the split is fixed by rule (`split_of`): dev when the first hex digit of
  sha1(id) is 0-7 (85 pages), test otherwise (96). Tune on dev, report on test.
- `token_f1(pred, truth)`: the benchmark's extraction metric (lowercase `\\w+` tokens as multisets).
- `is_english(page)`: langdetect (seeded, via scoring.signals.language) on the article text.
- `article_paragraphs(tree, page)`: the leaf text blocks of the HTML (<p>, <li>, leaf <div>..., and runs of
  loose text such as `<div>text<br><br>text</div>`) whose text is part of `articleBody` (8+ words): where the
  article really is in the page.
- `corrupt_page(page, kind, level, family=...)`: the page's HTML with a content-farm corruption *inside its
  article body*, reusing bench.corrupt's spinner (or a bench.spinners family), splitter and text pools, with
  the ground truth as bench.corrupt `Part`s
  (so `bench.pages.map_truth(corrupted, extracted_text)` places it in an extractor's text) and as the plain
  list of changed/inserted strings (`truth`).

    python -m bench.realpages      # summary: pages, languages, located paragraphs, one example per kind

Corruptions (kinds and strengths from bench.corrupt.STRENGTHS, seeded by (seed, page id, kind, level)):
- spin: bench.spinners.spin over the article paragraphs' text, WordNet synonyms (bench.corrupt.spin) unless
  another `family` is asked for (Moby, LibreOffice's MyThes, phrase rewrites, article rewriter; the held-out
  ones on test pages only); each swap is written into the DOM text node that holds the word (a swap that would
  straddle two text nodes, e.g. across a link boundary, is not made).
- split: bench.corrupt.split (a period inserted mid-sentence, next word capitalised), same way.
- injection: promos (bench.corrupt.PROMOS) and headlines of OTHER real pages (their <h1>, else <title> minus
  the site name; same split, same language, other site) as plain `<p>`, and the headline list (`<h3>` +
  `<ul><li>`, no class names), each after an article paragraph (never after the last one: what follows the
  article is the site's own chrome, a related-stories list there is what every real page has).
- boilerplate: widget texts of bench.corrupt.WIDGETS pasted into the flow as plain `<p>`/`<div>` (no class
  names) after article paragraphs (never after the last one).
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import html as htmllib
import json
import random
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from scoring.extract import BLOCK_KIND, CONTAINERS, SKIPPED, decode_html

from . import corrupt as bc
from . import spinners
from .corrupt import KINDS, PROMOS, STRENGTHS, Part
from .data import Article
from .spinners import DEFAULT_FAMILY

DATA_DIR = Path(__file__).resolve().parent / "realpages"
HTML_DIR = DATA_DIR / "html"
GROUND_TRUTH = DATA_DIR / "ground-truth.json"
DEV_DIGITS = "01234567"
SPLITS = ("dev", "test")
MIN_PARAGRAPH_WORDS = 8
MIN_PARAGRAPHS = 3          # pages with fewer located article paragraphs are not corrupted
CONTEXT_WORDS = 3           # words of context on each side of a changed word in spin/split truth strings


# == pages ================================================================================================
@dataclass
class RealPage:
    id: str
    url: str
    html: bytes                 # the page as fetched (decompressed)
    article: str                # ground-truth articleBody
    split: str                  # "dev" or "test"

    @property
    def text(self) -> str:
        """The HTML decoded to str (all 181 pages are UTF-8)."""
        return decode_html(self.html)

    @property
    def domain(self) -> str:
        host = urlsplit(self.url).hostname or ""
        return host[4:] if host.startswith("www.") else host


def split_of(page_id: str) -> str:
    """The fixed rule: dev when sha1(id) starts with a hex digit 0-7, else test."""
    return "dev" if hashlib.sha1(page_id.encode("utf-8")).hexdigest()[0] in DEV_DIGITS else "test"


@functools.lru_cache(maxsize=1)
def ground_truth() -> dict[str, dict]:
    with GROUND_TRUTH.open(encoding="utf-8") as f:
        return json.load(f)


def page_ids(split: str | None = None) -> list[str]:
    if split not in (None, *SPLITS):
        raise ValueError(f"unknown split {split!r}; known: {', '.join(SPLITS)}")
    return sorted(i for i in ground_truth() if split is None or split_of(i) == split)


@functools.lru_cache(maxsize=None)
def load_page(page_id: str) -> RealPage:
    entry = ground_truth()[page_id]
    with gzip.open(HTML_DIR / f"{page_id}.html.gz", "rb") as f:
        data = f.read()
    return RealPage(page_id, entry["url"], data, entry["articleBody"], split_of(page_id))


def load_pages(split: str | None = None) -> list[RealPage]:
    """The pages of one split ("dev", "test") or all of them, sorted by id."""
    return [load_page(i) for i in page_ids(split)]


# == metric ===============================================================================================
def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", (text or "").lower())


def token_f1(pred: str, truth: str) -> tuple[float, float, float]:
    """(precision, recall, F1) of lowercase \\w+ tokens compared as multisets (the benchmark's method)."""
    p, t = Counter(tokens(pred)), Counter(tokens(truth))
    common = sum((p & t).values())
    if not common:
        return 0.0, 0.0, 0.0
    precision, recall = common / sum(p.values()), common / sum(t.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


# == language =============================================================================================
@functools.lru_cache(maxsize=None)
def _language_of_id(page_id: str) -> str:
    from scoring.signals.language import detect_language

    return detect_language(load_page(page_id).article, sample_chars=2000)[0]


def language_of(page: RealPage) -> str:
    """ISO code of the article text's language (langdetect, seeded: deterministic)."""
    if page.id in ground_truth() and page.article == ground_truth()[page.id]["articleBody"]:
        return _language_of_id(page.id)
    from scoring.signals.language import detect_language

    return detect_language(page.article, sample_chars=2000)[0]


def is_english(page: RealPage) -> bool:
    return language_of(page) == "en"


# == locating the article in the HTML =====================================================================
_SPACE_OUT = re.compile(r"\s+")
# leaf text blocks that can hold an article paragraph
CANDIDATE_TAGS = frozenset("p li dd dt blockquote figcaption h2 h3 h4 h5 h6 div section article td pre".split())
# an element containing one of these is not a leaf block
_BLOCKISH = frozenset(BLOCK_KIND) | CONTAINERS | {"td", "th"}
# an article paragraph in one of these: insert after the enclosing list/table, not after the cell or item
_ITEM_TAGS = {"li": ("ul", "ol", "menu"), "dd": ("dl",), "dt": ("dl",), "td": ("table",)}


def normalise(text: str) -> str:
    return " ".join(text.split())


def _squeeze(text: str) -> str:
    return _SPACE_OUT.sub("", text)


@dataclass
class _Segment:
    node: object | None         # text node, or None for a <br> (renders as a space; not editable)
    raw: str


@dataclass
class Paragraph:
    """An article paragraph located in the HTML: a leaf block element, or a run of loose text and inline
    elements inside a container (ended by a block element or by <br><br>, as in `<div>text<br><br>text</div>`),
    whose text is part of articleBody."""
    node: object | None         # the leaf element (selectolax LexborNode); None for a loose-text run
    tag: str                    # its tag; "#text" for a loose-text run
    text: str                   # normalised text, as an extractor shows it (<br> as a space)
    segments: list[_Segment]
    index: list[tuple[int, int]]  # for every char of `text`: (segment index, offset in its raw text)
    nodes: list = field(default_factory=list)   # [node] for an element; the run's nodes for a loose-text run

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def parent(self):
        return (self.node if self.node is not None else self.nodes[0]).parent


def _skipped(node) -> bool:
    p = node
    while p is not None:
        if p.tag in SKIPPED or p.tag == "head":
            return True
        p = p.parent
    return False


def _segments(node) -> list[_Segment] | None:
    """The text nodes under `node` (skipping unrendered subtrees), <br> as " "; None if `node` is not a leaf."""
    out: list[_Segment] = []

    def walk(n) -> bool:
        child = n.child
        while child is not None:
            tag = child.tag
            if tag == "-text":
                out.append(_Segment(child, child.text_content or ""))
            elif tag == "br":
                out.append(_Segment(None, " "))
            elif tag and tag[0] != "-" and tag not in SKIPPED:
                if tag in _BLOCKISH:
                    return False
                if not walk(child):
                    return False
            child = child.next
        return True

    return out if walk(node) else None


def _index(segments: list[_Segment]) -> tuple[str, list[tuple[int, int]]]:
    """Whitespace-collapsed, stripped text of the segments and, per char, where it comes from."""
    chars: list[str] = []
    index: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None
    for si, seg in enumerate(segments):
        for off, ch in enumerate(seg.raw):
            if ch.isspace():
                if chars and (pending is None or seg.node is None):  # a run with a <br> counts as the <br>
                    pending = (si, off)
                continue
            if pending is not None:
                chars.append(" ")
                index.append(pending)
                pending = None
            chars.append(ch)
            index.append((si, off))
    return "".join(chars), index


def _blank(node) -> bool:
    return node.tag == "-text" and not (node.text_content or "").strip()


def _runs(node) -> list[list]:
    """Runs of loose text and inline elements among the children of a non-leaf element, ended by a block
    child or by two <br>s in a row (the way scoring.extract cuts such text into blocks)."""
    runs: list[list] = []
    cur: list = []

    def close() -> None:
        while cur and (cur[-1].tag == "br" or _blank(cur[-1])):
            cur.pop()
        if cur:
            runs.append(list(cur))
        cur.clear()

    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            if cur or not _blank(child):
                cur.append(child)
        elif tag == "br":
            solid = [n for n in cur if not _blank(n)]
            if solid and solid[-1].tag == "br":
                close()
            elif cur:
                cur.append(child)
        elif not tag or tag[0] == "-" or tag in SKIPPED:
            pass
        elif tag in _BLOCKISH or _segments(child) is None:
            close()
        else:
            cur.append(child)
        child = child.next
    close()
    return runs


def _run_segments(run: list) -> list[_Segment]:
    out: list[_Segment] = []
    for n in run:
        if n.tag == "-text":
            out.append(_Segment(n, n.text_content or ""))
        elif n.tag == "br":
            out.append(_Segment(None, " "))
        else:
            out.extend(_segments(n) or [])
    return out


def article_paragraphs(tree: LexborHTMLParser, page: RealPage,
                       min_words: int = MIN_PARAGRAPH_WORDS) -> list[Paragraph]:
    """The article's paragraphs in the HTML, in document order: leaf text blocks (<p>, <li>, leaf <div>...)
    and loose-text runs whose text, ignoring whitespace, occurs in the page's articleBody and has
    `min_words`+ words. A text found in several places is kept at its first one."""
    root = tree.body
    if root is None:
        return []
    body = _squeeze(page.article)
    position = {n.mem_id: i for i, n in enumerate(root.traverse(include_text=True))}
    candidates = []   # (position, element or None, tag, segments, nodes)
    for node in root.traverse():
        tag = node.tag
        segments = _segments(node)
        if segments is not None:
            if tag in CANDIDATE_TAGS and segments:
                candidates.append((position[node.mem_id], node, tag, segments, [node]))
            continue
        for run in _runs(node):
            candidates.append((position[run[0].mem_id], None, "#text", _run_segments(run), run))
    found: list[Paragraph] = []
    seen: set[str] = set()
    for _, node, tag, segments, nodes in sorted(candidates, key=lambda c: c[0]):
        text, index = _index(segments)
        if len(text.split()) < min_words:
            continue
        key = _squeeze(text)
        if key in seen or key not in body or _skipped(nodes[0]):
            continue
        seen.add(key)
        found.append(Paragraph(node, tag, text, segments, index, nodes))
    return found


def parse(page: RealPage) -> LexborHTMLParser:
    return LexborHTMLParser(page.text)


# == headlines of other pages =============================================================================
_TITLE_SEP = re.compile(r"\s+(?:[|\-–—:·»]|::)\s+")


def headline_of(tree: LexborHTMLParser) -> str:
    """The page's own headline: its first <h1> with 4-25 words, else the longest piece of its <title>
    (titles carry the site name: "Story - Site")."""
    for h1 in tree.css("h1"):
        text = normalise(h1.text(deep=True, separator=" ") or "")
        if 4 <= len(text.split()) <= 25:
            return text
    title = tree.css_first("title")
    text = normalise(title.text(deep=True) if title is not None else "")
    pieces = [p for p in _TITLE_SEP.split(text) if p]
    best = max(pieces, key=len) if pieces else ""
    return best if 4 <= len(best.split()) <= 25 else ""


@functools.lru_cache(maxsize=1)
def headline_pool() -> tuple[tuple[str, str, str, str], ...]:
    """(page id, split, language, headline) of every page that has a usable headline."""
    out = []
    for page in load_pages():
        h = headline_of(parse(page))
        if h:
            out.append((page.id, page.split, language_of(page), h))
    return tuple(out)


def other_headlines(page: RealPage) -> list[str]:
    """Headlines of other pages of the same split and language, from other sites (English pages' if fewer
    than 10 of the same language)."""
    lang = language_of(page)
    doms = {i: load_page(i).domain for i, *_ in headline_pool()}

    def pool(language: str) -> list[str]:
        return [h for i, s, l, h in headline_pool()
                if i != page.id and s == page.split and l == language and doms[i] != page.domain]
    same = pool(lang)
    return same if len(same) >= 10 else pool("en")


# == corrupted pages ======================================================================================
@dataclass
class CorruptedPage:
    page: RealPage
    kind: str                   # "clean" or one of bench.corrupt.KINDS
    strength: str               # label from STRENGTHS ("" for clean)
    level: int                  # 0, 1, 2 (-1 for clean)
    html: str                   # the (corrupted) page, serialised by Lexbor
    parts: list[Part]           # ground truth in page order, as bench.corrupt: `bench.pages.map_truth` reads it
    paragraphs: int = 0         # article paragraphs located in the page
    stats: dict[str, float] = field(default_factory=dict)
    family: str = ""            # spin: the spin family (bench.spinners.FAMILIES); "" for other kinds

    @property
    def id(self) -> str:
        if self.kind == "clean":
            return self.page.id
        if self.family and self.family != DEFAULT_FAMILY:
            return f"{self.page.id}.{self.kind}-{self.family}{self.level}"
        return f"{self.page.id}.{self.kind}{self.level}"

    @property
    def html_bytes(self) -> bytes:
        return self.html.encode("utf-8")

    @property
    def truth(self) -> list[str]:
        """The exact strings inserted or changed, in page order (each findable in an extractor's text)."""
        return [part.texts[i][s:e] for part in self.parts for i, s, e in part.spans]

    @property
    def truth_count(self) -> int:
        return sum(len(p.spans) for p in self.parts)


class NotCorruptible(ValueError):
    """Fewer than MIN_PARAGRAPHS article paragraphs could be located in the page."""


def clean_page(page: RealPage) -> CorruptedPage:
    """The page unchanged, through the same parse/serialise round trip as the corrupted ones."""
    tree = parse(page)
    return CorruptedPage(page, "clean", "", -1, tree.html or "", [], len(article_paragraphs(tree, page)))


def _adapter(page: RealPage, paragraphs: list[Paragraph]) -> Article:
    """bench.corrupt's functions take an Article: the located paragraphs are its paragraphs."""
    return Article(page.id, "realpages", "", [p.text for p in paragraphs])


def _edits(original: str, new: str, spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int, int]]:
    """(orig start, orig end, new start, new end) of each change bench.corrupt made, one per truth span.

    bench.corrupt leaves the text between its spans unchanged and each span starts where its change starts
    (spin: the swapped word or phrase; split: the inserted period). Where each change ends in the original
    is found by search: a word end after which the unchanged stretch up to the next span follows, such that
    the whole text comes out right."""
    bounds = sorted((s, e) for _, s, e in spans)
    if not bounds:
        return []
    if original[:bounds[0][0]] != new[:bounds[0][0]]:
        raise AssertionError("bench.corrupt changed text before its first span")

    def candidates(k: int, shift: int) -> list[tuple[int, int]]:
        """(orig end, next shift) for change k, word ends first."""
        ns, ne = bounds[k]
        os_ = ns - shift
        last = k + 1 == len(bounds)
        stretch = new[ne:bounds[k + 1][0] if not last else len(new)]
        good, inside = [], []
        for oe in range(os_, min(len(original), os_ + 200) + 1):
            if original[oe:oe + len(stretch)] != stretch or (last and oe + len(stretch) != len(original)):
                continue
            mid_word = 0 < oe < len(original) and original[oe - 1].isalnum() and original[oe].isalnum()
            (inside if mid_word else good).append((oe, shift + (ne - ns) - (oe - os_)))
        return good + inside

    # depth-first search without recursion (a long paragraph can have hundreds of changes)
    chosen: list[tuple[int, int]] = []           # (orig end, shift after) per change
    stack = [candidates(0, 0)]
    while stack:
        k = len(stack) - 1
        if not stack[-1]:
            stack.pop()
            if chosen:
                chosen.pop()
            continue
        oe, shift = stack[-1].pop(0)
        chosen.append((oe, shift))
        if k + 1 == len(bounds):
            break
        stack.append(candidates(k + 1, shift))
    else:
        raise AssertionError("cannot align bench.corrupt's changes with the original paragraph")
    out, shift = [], 0
    for (ns, ne), (oe, next_shift) in zip(bounds, chosen):
        out.append((ns - shift, oe, ns, ne))
        shift = next_shift
    return out


def _apply_text_edits(par: Paragraph, original: str, new: str, spans: list[tuple[int, int, int]],
                      ) -> tuple[str, list[tuple[int, int]], int]:
    """Write bench.corrupt's changes of one paragraph into its DOM text nodes.

    Returns (the paragraph's new text, truth spans in it, changes dropped because they straddle two text
    nodes or touch a <br>)."""
    edits = _edits(original, new, spans)
    kept: list[tuple[int, int, int, int]] = []
    for os_, oe, ns, ne in edits:
        chars = range(os_, oe) if oe > os_ else range(max(os_ - 1, 0), os_)
        segs = {par.index[c][0] for c in chars}
        if len(segs) == 1 and par.segments[next(iter(segs))].node is not None:
            kept.append((os_, oe, ns, ne))
    # per segment, replace raw ranges back to front
    by_seg: dict[int, list[tuple[int, int, str]]] = {}
    for os_, oe, ns, ne in kept:
        if oe > os_:
            si, r0 = par.index[os_]
            r1 = par.index[oe - 1][1] + 1
        else:  # pure insertion after char os_-1
            si, r = par.index[os_ - 1]
            r0 = r1 = r + 1
        by_seg.setdefault(si, []).append((r0, r1, new[ns:ne]))
    for si, reps in by_seg.items():
        raw = par.segments[si].raw
        for r0, r1, rep in sorted(reps, reverse=True):
            raw = raw[:r0] + rep + raw[r1:]
        par.segments[si].node.replace_with(raw)
        par.segments[si].raw = raw
    # the paragraph's text with only the kept changes, and their spans
    out, out_spans, pos = [], [], 0
    length = 0
    for os_, oe, ns, ne in kept:
        out.append(original[pos:os_])
        length += os_ - pos
        out_spans.append((length, length + ne - ns))
        out.append(new[ns:ne])
        length += ne - ns
        pos = oe
    out.append(original[pos:])
    return "".join(out), out_spans, len(edits) - len(kept)


def _windows(text: str, spans: list[tuple[int, int]], breaks: list[int]) -> Part:
    """Truth strings for the changes inside one paragraph: each change with CONTEXT_WORDS words on each side,
    not across a <br> (where an extractor may break the line); overlapping windows are merged."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    windows: list[list] = []    # [start, end, section start, [spans]]
    for s, e in sorted(spans):
        lo = max((b + 1 for b in breaks if b < s), default=0)
        hi = min((b for b in breaks if b >= e), default=len(text))
        before = [w for w in words if w[1] <= s and w[0] >= lo][-CONTEXT_WORDS:]
        after = [w for w in words if w[0] >= e and w[1] <= hi][:CONTEXT_WORDS]
        ws = min(before[0][0] if before else s, s)
        we = max(after[-1][1] if after else e, e)
        if windows and windows[-1][2] == lo and ws <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], we)
            windows[-1][3].append((s, e))
        else:
            windows.append([ws, we, lo, [(s, e)]])
    texts = [text[ws:we] for ws, we, _, _ in windows]
    part_spans = [(i, s - ws, e - ws) for i, (ws, _, _, members) in enumerate(windows) for s, e in members]
    return Part("body", texts, part_spans)


def _br_positions(par_text_after: str, par: Paragraph) -> list[int]:
    """Offsets (in the new paragraph text) of the spaces that stand for a <br>."""
    text, index = _index(par.segments)
    assert text == par_text_after, (text, par_text_after)
    return [i for i, (si, _) in enumerate(index) if par.segments[si].node is None]


def _word_edit(page: RealPage, paragraphs: list[Paragraph], kind: str, param: float, rng: random.Random,
               family: str = DEFAULT_FAMILY) -> tuple[list[Part], dict]:
    article = _adapter(page, paragraphs)
    if kind == "spin":
        new_parts, stats = spinners.spin(article, param, rng, family, split=page.split)
    else:
        new_parts, stats = bc.split(article, param, rng)
    parts: list[Part] = []
    dropped = 0
    kept_total = 0
    for par, original, new_part in zip(paragraphs, article.paragraphs, new_parts):
        spans = new_part.spans
        if not spans:
            continue
        text, kept_spans, n_dropped = _apply_text_edits(par, original, new_part.texts[0], spans)
        dropped += n_dropped
        kept_total += len(kept_spans)
        if kept_spans:
            parts.append(_windows(text, kept_spans, _br_positions(text, par)))
    stats = dict(stats)
    stats["changes"] = kept_total
    stats["dropped_changes"] = dropped
    if kind == "spin" and stats.get("content_words"):
        stats["rate"] = (stats["swapped_words"] * kept_total / max(kept_total + dropped, 1)) / stats["content_words"]
    elif kind == "split" and stats.get("sentences"):
        stats["rate"] = kept_total / stats["sentences"]
    return parts, stats


def _anchor(par: Paragraph):
    """The node to insert after: the paragraph, or for a list item/cell the list/table that holds it."""
    if par.node is None:
        return par.nodes[-1]     # loose text: right after the run, inside its container
    node = par.node
    outer = _ITEM_TAGS.get(par.tag)
    if outer:
        p = node.parent
        while p is not None and p.tag not in outer:
            p = p.parent
        if p is not None:
            return p
    return node


def _between(paragraphs: list[Paragraph]) -> list[int]:
    """Paragraphs after which a block can go "between" article paragraphs: not after the last one (nor after
    the list/table that holds the last one)."""
    last = _anchor(paragraphs[-1]).mem_id
    return [i for i, p in enumerate(paragraphs[:-1]) if _anchor(p).mem_id != last]


def _insert(paragraphs: list[Paragraph], placed: list[tuple[int, Part]]) -> list[Part]:
    """Insert each part's markup right after paragraph i (as its sibling); returns the parts in page order."""
    groups: dict[int, tuple[object, list[Part]]] = {}   # anchor mem_id -> (anchor, parts), in page order
    for i, part in sorted(placed, key=lambda x: x[0]):
        anchor = _anchor(paragraphs[i])
        groups.setdefault(anchor.mem_id, (anchor, []))[1].append(part)
    order: list[Part] = []
    for anchor, parts in groups.values():
        order.extend(parts)
        markup = "".join(part.html or "" for part in parts)
        nodes = list(LexborHTMLParser(f"<body>{markup}</body>").body.iter(include_text=True))
        for n in reversed(nodes):
            anchor.insert_after(n)
    return order


def _plain_promo(rng: random.Random) -> Part:
    text = rng.choice(PROMOS)
    return Part("promo", [text], [(0, 0, len(text))], f"<p>{htmllib.escape(text)}</p>")


def _strip_classes(part: Part) -> Part:
    part.html = re.sub(r'\s(?:class|id|role)="[^"]*"', "", part.html or "")
    return part


def _inject(page: RealPage, paragraphs: list[Paragraph], level: int, rng: random.Random,
            ) -> tuple[list[Part], dict]:
    """level 1: one promo; 2: promo + headline + list of 3; 3: 2 promos + 2 headlines + list of 5; all between
    article paragraphs."""
    n_promo, n_head, n_list = {1: (1, 0, 0), 2: (1, 1, 3), 3: (2, 2, 5)}[level]
    pool = other_headlines(page)
    picked = rng.sample(pool, n_head + n_list)
    extra = [_plain_promo(rng) for _ in range(n_promo)] + [bc._headline_part(h, rng) for h in picked[:n_head]]
    rng.shuffle(extra)
    if n_list:
        extra.append(_strip_classes(bc._headline_list(picked[n_head:], rng)))
    slots = _between(paragraphs)
    placed = [(rng.choice(slots), part) for part in extra]
    parts = _insert(paragraphs, placed)
    return parts, {"inserted_blocks": len(placed), "headline_pool": len(pool)}


def _boilerplate(page: RealPage, paragraphs: list[Paragraph], count: int, rng: random.Random, title: str,
                 ) -> tuple[list[Part], dict]:
    """`count` distinct widgets of bench.corrupt.WIDGETS, their text pasted into the article as plain markup."""
    article = Article(page.id, "realpages", title or "Photo", [p.text for p in paragraphs])
    widgets = [f(rng, article) for f in rng.sample(bc.WIDGETS, count)]
    slots = _between(paragraphs)
    placed = []
    for w in widgets:
        if rng.random() < 0.5:
            w.html = "<p>" + " ".join(htmllib.escape(t) for t in w.texts) + "</p>"
        else:
            w.html = "<div>" + "".join(f"<p>{htmllib.escape(t)}</p>" for t in w.texts) + "</div>"
        placed.append((rng.choice(slots), w))
    parts = _insert(paragraphs, placed)
    return parts, {"widgets": count}


def corrupt_page(page: RealPage, kind: str, level: int, seed: int = 0, family: str = DEFAULT_FAMILY,
                 ) -> CorruptedPage:
    """The page with corruption `kind` (bench.corrupt.KINDS) at strength `level` (0, 1, 2) written into its
    article body; deterministic in (seed, page id, kind, level[, family]). `family`: for kind "spin", the spin
    family (bench.spinners.FAMILIES; default WordNet, seeded exactly as before families existed); the held-out
    family raises bench.spinners.HeldOutFamily on a dev page. Raises NotCorruptible when fewer than
    MIN_PARAGRAPHS article paragraphs can be located."""
    if kind not in STRENGTHS:
        raise ValueError(f"unknown corruption {kind!r}; known: {', '.join(KINDS)}")
    if kind == "spin":
        spinners.check_family(family, page.split)   # before any work: a dev page never gets a held-out family
    elif family != DEFAULT_FAMILY:
        raise ValueError(f"a spin family is for kind 'spin', not {kind!r}")
    label, param = STRENGTHS[kind][level]
    tree = parse(page)
    paragraphs = article_paragraphs(tree, page)
    if not _usable(paragraphs):
        raise NotCorruptible(f"{page.id}: {len(paragraphs)} article paragraphs located (< {MIN_PARAGRAPHS})")
    tag = kind if family == DEFAULT_FAMILY else f"{kind}-{family}"
    rng = random.Random(f"{seed}:{page.id}:{tag}:{level}")
    if kind in ("spin", "split"):
        parts, stats = _word_edit(page, paragraphs, kind, param, rng, family)
    elif kind == "injection":
        parts, stats = _inject(page, paragraphs, int(param), rng)
    else:
        parts, stats = _boilerplate(page, paragraphs, int(param), rng, headline_of(tree))
    return CorruptedPage(page, kind, label, level, tree.html or "", parts, len(paragraphs), stats,
                         family if kind == "spin" else "")


def _usable(paragraphs: list[Paragraph]) -> bool:
    return len(paragraphs) >= MIN_PARAGRAPHS and bool(_between(paragraphs))


def corruptible(page: RealPage) -> bool:
    """At least MIN_PARAGRAPHS article paragraphs located (and room between them)."""
    return _usable(article_paragraphs(parse(page), page))


def corrupted_pages(split: str | None = None, english_only: bool = True, seed: int = 0,
                    kinds: tuple[str, ...] = KINDS) -> list[CorruptedPage]:
    """Every usable page of the split, clean and corrupted by each kind at each level."""
    out = []
    for page in load_pages(split):
        if (english_only and not is_english(page)) or not corruptible(page):
            continue
        out.append(clean_page(page))
        for kind in kinds:
            for level in range(len(STRENGTHS[kind])):
                out.append(corrupt_page(page, kind, level, seed))
    return out


# == summary ==============================================================================================
def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _example(cp: CorruptedPage, width: int = 150) -> str:
    if cp.kind in ("spin", "split"):
        first = cp.parts[0]
        return (f"changed: {', '.join(repr(t) for t in cp.truth[:5])}, ...\n"
                f"      in context: {_clip(first.texts[0], width)!r}")
    part = cp.parts[0]
    at = cp.html.find(part.html or "")
    return f"inserted: {_clip(cp.html[max(at - 60, 0):at + width - 60], width)!r}"


def summary() -> str:
    """What `python -m bench.realpages` prints."""
    pages = load_pages()
    located = {}
    coverage = {}
    for p in pages:
        pars = article_paragraphs(parse(p), p)
        located[p.id] = pars
        coverage[p.id] = min(1.0, sum(x.words for x in pars) / max(1, len(p.article.split())))
    lines = [f"real pages: {len(pages)} (bench/realpages: Article Extraction Benchmark @ 4a3bc97, MIT)"]
    skipped_all = []
    for split in SPLITS:
        sp = [p for p in pages if p.split == split]
        en = [p for p in sp if is_english(p)]
        counts = [len(located[p.id]) for p in sp]
        usable = [p for p in sp if _usable(located[p.id])]
        usable_en = [p for p in usable if is_english(p)]
        skipped_all += [p for p in sp if not _usable(located[p.id])]
        langs = Counter(language_of(p) for p in sp)
        lines.append(
            f"  {split}: {len(sp)} pages, {len(en)} English ({', '.join(f'{k} {v}' for k, v in langs.most_common())})\n"
            f"    article paragraphs located per page: min {min(counts)}, median {statistics.median(counts):g}, "
            f"max {max(counts)}; share of articleBody words they hold: median "
            f"{statistics.median(coverage[p.id] for p in sp):.0%}\n"
            f"    usable for corruption (>= {MIN_PARAGRAPHS} paragraphs): {len(usable)} ({len(usable_en)} English); "
            f"skipped {len(sp) - len(usable)} ({len(sp) - len(usable) - (len(en) - len(usable_en))} of them "
            "not English)")
    lines.append("  skipped: " + ", ".join(f"{p.id[:8]} ({p.split}, {language_of(p)}, {len(located[p.id])} par.)"
                                           for p in skipped_all))
    example = next(p for p in load_pages("dev") if is_english(p) and _usable(located[p.id]))
    lines.append(f"examples (middle strength) on dev page {example.id[:12]}... {example.url}")
    for kind in KINDS:
        cp = corrupt_page(example, kind, 1)
        stats = ", ".join(f"{k} {round(v, 3) if isinstance(v, float) else v}" for k, v in cp.stats.items())
        lines.append(f"  {kind} {cp.strength}: {cp.truth_count} truth strings ({stats})")
        lines.append(f"      {_example(cp)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    print(summary())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
