"""HTML to ordered text blocks, keeping what the DOM says about each block.

Nothing is thrown away except markup that never renders as text (scripts, styles, templates, SVG, ...):
navigation, ads, comment forms and share widgets stay in, because the `boilerplate` and `injection`
signals judge them. Each block records its tag, DOM depth, link density and the class/id/role/aria words
of its element and ancestors ("hints").

Parser: selectolax's Lexbor binding. Measured here (CPU time, two real 90-100 KB pages): Lexbor parses in
0.7-1.8 ms and a bare enter/exit walk reading tags, attributes and text costs 3.3-4.8 ms, against lxml.html's
2.6-3.5 ms parse and 6.3-10.8 ms `iterwalk` (lxml builds a Python proxy per element). Lexbor is also an HTML5
parser: broken markup, NUL bytes and 10k-deep nesting come out as a browser would show them. This module's
whole extraction costs ~2.5 ms on a 46 KB news page (150 blocks) and 20-25 ms on code-heavy documentation
pages (thousands of highlighted <span>s).
"""
from __future__ import annotations

import codecs
import functools
import itertools
import re
from typing import Callable, Iterable

from selectolax.lexbor import LexborHTMLParser

from .document import Block, Document
from .main_content import (find_article, is_chrome_named_anchor, is_section_anchor, leader, named_component,
                           page_elements, teaser_front, trailer_length, without_builder_words)

# Elements whose own text forms a block of a given kind.
BLOCK_KIND = {
    "title": "title",
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading",
    "p": "paragraph",
    "li": "list_item", "dt": "list_item", "dd": "list_item", "option": "list_item",
    "figcaption": "caption", "caption": "caption",
    "blockquote": "quote",
    "tr": "table",
}
# Block-level containers: their loose text (outside the block elements above) forms "other" blocks.
CONTAINERS = frozenset(
    "html body div section article main aside header footer nav form ul ol dl menu table thead tbody tfoot"
    " figure address details summary fieldset legend center pre hr hgroup dialog search frameset noframes"
    " select optgroup".split()
)
# Never rendered as text. A <textarea> holds a form field's value, which pages also use to park raw markup
# (a consent widget's HTML in a hidden textarea read as the article's longest line, and as English); trafilatura
# drops it as well. Elements with the `hidden` attribute are not rendered either, nor those an inline style hides
# (`_walk` skips them all; `_HIDING_STYLE`). Nor is what a page hides from assistive technology (aria-hidden="true",
# as mozilla/readability's `_isProbablyVisible` reads it): what it shows only for looks, such as a button's painted
# label over an empty link with its own aria-label (cloud.google.com's "Get started for free" and "Contact us"
# inside an article, tagged as boilerplate), an icon's letters, or a pull quote repeating the text.
SKIPPED = frozenset(
    "script style noscript template svg math iframe object embed canvas audio video meta link base"
    " param source track map area textarea".split()
)
# Semantic tags that say as much as a class name; added to the hints of everything inside them.
TAG_HINTS = frozenset("nav footer header aside form article main menu".split())
# Their class names describe the page ("single-post has-sidebar"), not the blocks inside: no hints from them.
PAGE_TAGS = frozenset(("html", "body"))
CELL_SEPARATOR = " | "
CELL_TAGS = frozenset(("td", "th"))
MAX_HINTS = 32
INLINE_CHROME_SHARE = 0.8  # a block with this share of its words in inline chrome elements is chrome
# A short block the page styles as a button ("btn", "button", "cta" in its or an ancestor's class, role="button")
# is a control's label ("Read More", "Buy Now", "View Deal", "Get a Quote"), not text: main content counts it as
# chrome. (The <button> tag alone is not enough: a form's buttons are a widget's, and the block signals read them.)
BUTTON_HINTS = frozenset(("btn", "button", "cta"))
BUTTON_MAX_WORDS = 6
# So is a block that is only a control's words, however it is styled: a card's "Read More" (<p><b>Read More</b></p>
# in a clickable card), "Learn more ›", "View all", "Continue reading". None of the 181 real pages' extracted texts
# has one; 26 of 2026's web pages have 90.
_CONTROL_LABEL = re.compile(r"(?:(?:read|learn|see|show|load|view|find out|discover|explore) (?:more|all)"
                            r"|continue reading)\s*[»›>→….]*", re.I)

# An inline style that hides its element: a closed menu, a modal, a template kept for a script ("display: none"), or
# text a page keeps out of sight. The reader never sees it, so it is not scored (mozilla/readability's test pages
# check it: its `_isProbablyVisible`).
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HEADING_CLASS = re.compile(r"(?:^|\s)(?:[\w-]+:)?h[1-6](?=\s|$)")  # "h4", "md:h5" (not "h100", "mb-h1")
_HINT_WORD = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+")
_RUN_TOGETHER_SUFFIXES = ("byline", "dateline")
_CONTROL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127], " ")
# The same as a regex: str.translate goes through the dict character by character on non-ASCII text (~10 us a
# block); a search for the (rare) control characters skips over text at C speed.
_CONTROL_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROL) + "]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# A start tag with more than this many characters of attributes loses them: Lexbor's attribute handling is
# quadratic (one <p> with 150k attributes, 1.9 MB, took 31 s to parse). No real page comes near it.
MAX_TAG_CHARS = 65_536
_MONSTER_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]{0,40})[^<>]{%d,}>" % MAX_TAG_CHARS)


# -- decoding -------------------------------------------------------------------------------------------------
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""", re.I)
# WHATWG: these labels mean windows-1252 / gb18030 in practice; a utf-16 label in an ASCII-compatible
# document cannot be true (the meta tag itself was readable), so it means utf-8.
_LABEL_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
    "ascii": "cp1252", "us-ascii": "cp1252", "x-user-defined": "cp1252",
    "gb2312": "gb18030", "gbk": "gb18030",
}


def _codec(label: str | bytes | None) -> str | None:
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    label = label.strip().lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # hex, base64, zlib, rot13...: browsers ignore these
        return None
    name = info.name
    return "utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name


def sniff_encoding(data: bytes, declared: str | None = None) -> tuple[str, int]:
    """(codec, bytes to skip): BOM first, then the transport's declared encoding, then <meta>, then utf-8."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    codec = _codec(declared)
    if codec is None:
        head = data[:4096]
        m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
        codec = _codec(m.group(1)) if m else None
    return codec or "utf-8", 0


def decode_html(data: bytes | str, encoding: str | None = None) -> str:
    """Bytes to text, never failing: undecodable bytes become U+FFFD."""
    return _decode(data, encoding)[0]


def _decode(data: bytes | str, encoding: str | None = None) -> tuple[str, bytes]:
    """`decode_html` and the same text as UTF-8: the parser takes UTF-8 (it would encode a str itself), and encoding
    once is also how lone surrogates are found (C speed; a regex search over a 100 KB page costs ~1 ms)."""
    if isinstance(data, str):
        text = data
    else:
        codec, skip = sniff_encoding(bytes(data), encoding)
        raw = bytes(data[skip:])
        if codec == "utf-8":
            try:  # valid UTF-8 is already the parser's input: encoding the text again costs ~0.1 ms a page
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                return (text.replace("\x00", ""), raw.replace(b"\x00", b"")) if b"\x00" in raw else (text, raw)
        text = raw.decode(codec, errors="replace")
    try:
        utf8 = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (a str input, a UTF-7 page) cannot go to the parser as UTF-8
        text = _SURROGATE.sub("\ufffd", text)
        utf8 = text.encode("utf-8")
    if b"\x00" in utf8:  # only U+0000 has a zero byte in UTF-8
        text, utf8 = text.replace("\x00", ""), utf8.replace(b"\x00", b"")
    return text, utf8


def _may_have_monster_tag(utf8: bytes) -> bool:
    """Can `_MONSTER_TAG` match the UTF-8 page: is some '<' followed by more than MAX_TAG_CHARS bytes without '<'
    or '>' (characters: bytes are an upper bound) and then by a '>'? The regex costs ~3 ms on a 100 KB page.

    Such a run holds a whole window of MAX_TAG_CHARS // 2 bytes, wherever the windows start, as long as they follow
    each other: so windows are read in turn with a few C-level finds (~2 us each), and only around one without a
    '<' or '>' (real pages: a long script or inline data, between a '>' and a '<') are the marks before and after
    it looked up. Reading every mark of such a page (numpy) cost ~0.4 ms.
    """
    find, rfind = utf8.find, utf8.rfind
    start = 0
    while start + _WINDOW <= len(utf8):
        end = start + _WINDOW
        if find(b"<", start, end) >= 0 or find(b">", start, end) >= 0:
            start = end
            continue
        # a window without marks: the run around it is between the last mark before it and the first after it
        before = max(rfind(b"<", 0, start), rfind(b">", 0, start))
        after = min((i for i in (find(b"<", end), find(b">", end)) if i >= 0), default=-1)
        if after < 0:
            return False  # no mark after it, nor after any later window
        if before >= 0 and after - before > MAX_TAG_CHARS and utf8[before] == 60 and utf8[after] == 62:
            return True  # '<' ... '>'
        start = after
    return False


_WINDOW = MAX_TAG_CHARS // 2


# -- walking the DOM ------------------------------------------------------------------------------------------
def _hint_words(attrs: dict, node) -> tuple[str, ...]:
    if not attrs:
        return ()
    id_value = attrs.get("id")
    if id_value and (is_chrome_named_anchor(id_value, node) or is_section_anchor(id_value, node)):
        id_value = None
    parts = [v for v in (attrs.get("class"), id_value, attrs.get("role"), attrs.get("aria-label")) if v]
    if not parts:
        return ()
    return _hint_words_of(" ".join(parts))


@functools.lru_cache(maxsize=4096)
def _hint_words_of(names: str) -> tuple[str, ...]:
    """The hint words of an element's class/id/role/aria-label values. Cached: half the elements of a page repeat
    another's ("para", "article-text", "share-button")."""
    words = [w for token in without_builder_words(names).split() for w in _token_hint_words(token)]
    # a byline or dateline class run together with what it belongs to ("ss-contributorbyline") says so too
    words += [suffix for w in words for suffix in _RUN_TOGETHER_SUFFIXES if w.endswith(suffix) and w != suffix]
    return tuple(words)


def _token_hint_words(token: str) -> list[str]:
    """One class/id token's hint words, without a component word that the word before it names ("product-widget":
    the article search reads it so too, `named_component`)."""
    words = [w.lower() for w in _HINT_WORD.findall(token)]
    return [w for i, w in enumerate(words) if not named_component(words, i)]


def _styled_as_heading(attrs: dict) -> bool:
    """A <div> or <p> that the page marks as a heading: ARIA's role="heading", or a heading class of Bootstrap
    and Tailwind-style frameworks ("h4", "md:h5"; Bootstrap: "for when you want to match the font styling of a
    heading but cannot use the associated HTML element"). axios.com numbers its newsletter's stories with
    <div class="h6 md:h5 lg:h4">, which read as a list of headlines between the paragraphs."""
    role = attrs.get("role")
    if role and role.strip().lower() == "heading":
        return True
    names = attrs.get("class")
    return bool(names) and _heading_class(names)


@functools.lru_cache(maxsize=4096)
def _heading_class(names: str) -> bool:
    return _HEADING_CLASS.search(names) is not None


@functools.lru_cache(maxsize=4096)
def _merge(nearer: tuple[str, ...], farther: tuple[str, ...]) -> tuple[str, ...]:
    """Union of two hint lists, nearest element's words first (the cap keeps the most specific)."""
    out = list(dict.fromkeys(nearer))
    for w in farther:
        if w not in out:
            out.append(w)
    return tuple(out[:MAX_HINTS])


class _Builder:
    """Collects the text of the innermost open block element and cuts it into Blocks."""

    def __init__(self, max_chars: int | None, drop_chrome: bool = False):
        self.blocks: list[Block] = []
        self.drop_chrome = drop_chrome  # main-content mode: blocks inside marked chrome are counted, not kept
        self.chrome_blocks = 0
        self.chrome_words = 0
        self.inline_chrome = 0  # words of the open block inside inline chrome (<span class="caption">)
        self.parts: list[tuple[str, bool | str]] = []  # (text, inside a link: see `add`)
        self.has_text = False  # anything but whitespace in parts
        self.hints: tuple[str, ...] = ()
        self.pos = 0
        self.max_chars = max_chars
        self.full = False
        self._last_hints: tuple[str, ...] = ()

    def add(self, text: str, in_link: bool | str, hints: tuple[str, ...] = ()) -> None:
        """Text of the open block; `in_link`: inside a link (the host of another site it leads to, else True);
        `hints` of an inline element inside it (e.g. <a class="share">)."""
        self.parts.append((text, in_link))
        if not self.has_text and not text.isspace():
            self.has_text = True
        if hints and hints is not self._last_hints:
            self._last_hints = hints
            self.hints = _merge(self.hints, hints)

    def flush(self, kind: str, tag: str, depth: int, hints: tuple[str, ...], chrome: bool = False,
              cell: bool = False) -> None:
        inline_chrome, self.inline_chrome = self.inline_chrome, 0
        if not self.has_text or self.full:
            self.parts, self.hints, self._last_hints = [], (), ()
            return
        parts, extra, self.parts, self.hints, self._last_hints = self.parts, self.hints, [], (), ()
        self.has_text = False
        words = _CONTROL_CHARS.sub(" ", "".join([p for p, _ in parts])).split()
        text = " ".join(words)  # (so `words` is `text.split()`)
        if inline_chrome and inline_chrome >= INLINE_CHROME_SHARE * len(words):
            chrome = True  # a caption or tag list in a plain block; chrome inside a sentence stays with it
        if self.drop_chrome and not chrome and len(words) <= BUTTON_MAX_WORDS and (
                not (BUTTON_HINTS.isdisjoint(hints) and BUTTON_HINTS.isdisjoint(extra))
                or _CONTROL_LABEL.fullmatch(text)):
            chrome = True
        if chrome and self.drop_chrome:
            self.chrome_blocks += 1
            self.chrome_words += len(words)
            return
        if text.endswith(CELL_SEPARATOR.rstrip()):  # a row ending in empty cells
            text = text[: -len(CELL_SEPARATOR.rstrip())].rstrip()
        if not text:
            return
        linked = sum(len("".join(p.split())) for p, link in parts if link)
        hosts = {link for _, link in parts if link} if linked else ()
        total = (len(text) - text.count(" ")) or 1  # its non-space characters (single spaces are its only whitespace)
        if self.blocks:
            self.pos += 1  # the "\n" between blocks
        if self.max_chars is not None and self.pos + len(text) > self.max_chars:
            text = text[: max(self.max_chars - self.pos, 0)].rstrip()
            self.full = True
            if not text:
                return
        self.blocks.append(Block(
            index=len(self.blocks), kind=kind, tag=tag, start=self.pos, end=self.pos + len(text), text=text,
            depth=depth, link_density=min(linked / total, 1.0), hints=_merge(extra, hints) if extra else hints,
            cell=cell, link_host=next(iter(hosts)) if len(hosts) == 1 and True not in hosts else "",
        ))
        self.pos += len(text)

    def drop(self, indices: Iterable[int]) -> None:
        """Count the blocks at these indices as chrome and take them out of the text (the others' offsets and
        indices follow)."""
        if not indices:
            return
        gone = set(indices)
        dropped = [b for b in self.blocks if b.index in gone]
        self.blocks = [b for b in self.blocks if b.index not in gone]
        self.chrome_blocks += len(dropped)
        self.chrome_words += sum(len(b.text.split()) for b in dropped)
        pos = 0
        for i, b in enumerate(self.blocks):
            b.index, b.start, b.end = i, pos, pos + len(b.text)
            pos = b.end + 1
        self.pos = self.blocks[-1].end if self.blocks else 0


class _Frame:
    """An open element that matters for the text: a block, a link, or an element with hints."""
    __slots__ = ("mem_id", "tag", "kind", "depth", "hints", "in_link", "chrome", "cell")

    def __init__(self, mem_id, tag, kind, depth, hints, in_link, chrome=False, cell=False):
        self.mem_id, self.tag, self.kind, self.depth, self.hints, self.in_link, self.chrome, self.cell = (
            mem_id, tag, kind, depth, hints, in_link, chrome, cell)


class _Anchors:
    """The targets of in-page links (`href="#history"`) inside the walked element, looked up on the first such
    link. A link to a part of the same text (a table of contents, a footnote mark) does not lead away from it:
    its text is not counted as link text, so a contents list reads as the article's own list, not as a menu.
    A fragment that names nothing there (`#`, `#share-facebook`: a script's button) is still a link. So is a
    link to another page: a link that spells out an address before its fragment is in-page only when the address
    is the page's own (its URL or its canonical link: spacelift.io writes its contents list as
    "https://spacelift.io/blog/software-development-tools#2-sublime-text")."""

    __slots__ = ("root", "names", "tree", "source", "pages", "hosts")

    def __init__(self, root, tree=None, source: str = ""):
        self.root, self.names, self.tree, self.source, self.pages, self.hosts = root, None, tree, source, None, None

    def within(self, href: str | None) -> bool:
        if not href or len(href) < 2:
            return False
        if href[0] != "#":
            cut = href.find("#")
            if cut < 0 or cut == len(href) - 1 or not self._is_this_page(href[:cut]):
                return False
            href = href[cut:]
        if self.names is None:
            self.names = {a.get(key) for a in (n.attributes for n in self.root.css("[id], a[name]"))
                          for key in ("id", "name")}
        return href[1:] in self.names

    def off_site(self, href: str | None) -> str:
        """The host of a link to another site ("" for a link on this one, or when the page's own host is unknown)."""
        if not href or not (href[:2] == "//" or href[:4].lower() == "http"):
            return ""  # (most links: a path on the same site)
        m = _ADDRESS.match(href)
        if m is None:
            return ""
        if self.pages is None:
            self._own_forms()
        host = m.group(1).lower()
        return "" if not self.hosts or host in self.hosts else host

    def _is_this_page(self, address: str) -> bool:
        forms = _address_forms(address)
        return bool(forms) and forms[0] in self._own_forms()

    def _own_forms(self) -> set[str]:
        """The page's own addresses ("host/path" and "/path", from its URL and its canonical link); `hosts`, their
        hosts."""
        if self.pages is None:
            canonical = self.tree.head.css_first('link[rel="canonical"]') if self.tree and self.tree.head else None
            urls = [self.source, canonical.attributes.get("href") or "" if canonical is not None else ""]
            self.pages = {form for url in urls for form in _address_forms(url)}
            self.hosts = {form.split("/", 1)[0] for form in self.pages if not form.startswith("/")}
        return self.pages


_ADDRESS = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//(?:www\.)?([^/?#]+)([^?#]*)", re.I)


def _address_forms(url: str) -> tuple[str, ...]:
    """An address as "host/path" and "/path" (no scheme, "www.", query or trailing slash); a relative path
    ("/blog/tools") as "/path" alone; anything else (a file name, "page.html") has none."""
    m = _ADDRESS.match(url.strip())
    if m is not None:
        path = m.group(2).rstrip("/")
        return f"{m.group(1).lower()}{path}", path or "/"
    if url.startswith("/"):
        path = url.split("?", 1)[0].rstrip("/")
        return (path or "/",)
    return ()


def _walk(root, builder: _Builder, anchors: _Anchors, chrome_of: Callable | None = None) -> None:
    """Iterative depth-first walk (no recursion: 10k-deep nesting is a real input).

    Only elements that change how text is read get a frame (blocks, links, elements with class/id/role
    hints); plain inline markup (<span>, <b>, <code>...) is walked through without one, which halves the cost.
    `anchors` says which links stay on the page; `chrome_of(node, tag, attributes)`, in main-content mode, whether
    an element is marked page chrome.
    """
    top = _Frame(None, "", None, -1, (), False)
    stack: list[_Frame] = [top]
    owners: list[_Frame] = []  # open block elements/containers; text goes to the innermost
    flush = builder.flush

    def leave() -> None:
        frame = stack.pop()
        if frame.kind is not None:
            owners.pop()
            if builder.parts:  # (with no text since the last flush, a flush changes nothing: skip the call)
                flush(frame.kind, frame.tag, frame.depth, frame.hints, frame.chrome, frame.cell)

    node, depth = root, 0
    while node is not None and not builder.full:
        tag = node.tag
        if tag == "-text":
            if owners:
                text = node.text_content
                if text:
                    frame = stack[-1]
                    if frame.chrome and not owners[-1].chrome:
                        builder.inline_chrome += len(text.split())  # <span class="caption"> inside a block
                    builder.add(text, frame.in_link, frame.hints if frame is not owners[-1] else ())
        elif (tag and tag[0] != "-" and (tag not in SKIPPED or depth == 0)
              and ("hidden" not in (attrs := node.attributes) or depth == 0)
              and ("style" not in attrs or depth == 0 or not _HIDING_STYLE.search(attrs["style"] or ""))
              and ("aria-hidden" not in attrs or depth == 0 or attrs["aria-hidden"] != "true")):
            # (the root is read whatever it is: an article in <noscript>, where a script-built page keeps it)
            parent = stack[-1]
            at_root = depth == 0
            # main content (`chrome_of` given): the container's own class describes the article, not its blocks
            own = _hint_words(attrs, node) if attrs and tag not in PAGE_TAGS and not (at_root and chrome_of) else ()
            chrome = parent.chrome or (chrome_of is not None and not at_root and chrome_of(node, tag, attrs))
            if tag in TAG_HINTS:
                own = (tag, *own)
            kind = BLOCK_KIND.get(tag) or ("other" if tag in CONTAINERS else None)
            if kind in ("paragraph", "other") and attrs and _styled_as_heading(attrs):
                kind = "heading"
            elif kind == "paragraph" and owners and owners[-1].kind == "list_item":
                kind = "list_item"  # <li><p>Brand development</p></li>: what rich-text editors write for an item
            link = tag == "a" and not anchors.within(href := attrs.get("href"))
            if link:
                link = anchors.off_site(href) or True  # (a link to another site carries its host)
            framed = kind is not None or own or tag == "a"
            # a cell's text follows a separator; a named cell (`own`) has always been read without one
            separated = tag in CELL_TAGS and not framed and builder.has_text
            framed = framed or tag in CELL_TAGS  # (so that the blocks inside it know they are: `Block.cell`)
            if framed:
                frame = _Frame(node.mem_id, tag, kind, depth, _merge(own, parent.hints) if own else parent.hints,
                               parent.in_link or link, chrome, parent.cell or tag in CELL_TAGS)
                if kind is not None:
                    if owners and builder.parts:
                        o = owners[-1]
                        flush(o.kind, o.tag, o.depth, o.hints, o.chrome, o.cell)
                    owners.append(frame)
                stack.append(frame)
            elif tag == "br":
                _line_break(builder, owners)
            elif tag == "input" and (attrs.get("type") or "").lower() in ("submit", "button"):
                builder.add(" " + (attrs.get("value") or "") + " ", False, parent.hints)
            if separated:
                builder.add(CELL_SEPARATOR, False)
            child = node.child
            if child is not None:
                node, depth = child, depth + 1
                continue
            if framed:
                leave()
        # next node in document order: the next sibling, or the next sibling of the nearest ancestor that has
        # one, never leaving the subtree of `root` (depth 0)
        nxt = node.next if depth > 0 else None
        while nxt is None:
            node, depth = node.parent, depth - 1
            if node is None or depth < 0:
                break
            if stack[-1].mem_id == node.mem_id:
                leave()
            if depth == 0:
                break
            nxt = node.next
        node = nxt
    while len(stack) > 1:
        leave()


def _line_break(builder: _Builder, owners: list[_Frame]) -> None:
    """<br>: a space; two in a row (nothing but whitespace between) end a block, as in <div>text<br><br>text."""
    parts = builder.parts
    i = len(parts) - 1
    while i >= 0 and not parts[i][0].strip():
        if parts[i][0] == "\n":
            o = owners[-1] if owners else None
            if o is not None:
                builder.flush(o.kind, o.tag, o.depth, o.hints, o.chrome, o.cell)
            return
        i -= 1
    builder.add("\n", False)


def extract(html: bytes | str, source: str = "<html>", *, encoding: str | None = None,
            max_chars: int | None = None, main_content: bool = True) -> Document:
    """The page's text as ordered blocks. Never raises for odd input; an empty page has no blocks.

    With `main_content` (the default) only the article is kept: its title and the blocks of its container
    (scoring.main_content); page chrome is counted in `Document.chrome_blocks`/`chrome_words`, and a page
    with no article gets no blocks and `Document.content` saying why. Without it, every block of the page.
    `encoding` is the transport's declared charset (HTTP header), if any. With `max_chars`, extraction stops
    once the text reaches that length (the caller can tell: `len(doc.text) >= max_chars`).
    """
    if main_content and is_home_page(source):  # (before any parsing: a broad crawl fetches many)
        return Document(source=source, text="", content=HOME, no_main_content=True)
    text, utf8 = _decode(html, encoding)
    if len(text) > MAX_TAG_CHARS and _may_have_monster_tag(utf8):
        text = _MONSTER_TAG.sub(r"<\1>", text)  # linear: a match cannot span another '<'
        utf8 = text.encode("utf-8")
    tree = LexborHTMLParser(utf8) if text and not text.isspace() else None  # (the same tree as from the str)
    if tree is None or tree.root is None:
        return Document(source=source, text="", content="no article: empty page" if main_content else "page",
                        no_main_content=main_content)
    if not main_content:
        if _REACT_PART in utf8:
            place_streamed_parts(tree, utf8)
        builder = _Builder(max_chars)
        _walk(tree.root, builder, _Anchors(tree.root, tree, source))
        return _document(source, builder, "page")
    # one walk finds the elements of the article search and those never rendered (`_visible_words`)
    elements = page_elements(tree.body or tree.root, _TEXT_SKIPPED)
    # (the walk lists the <template>s among the never-rendered elements: a cheaper test than a search of the bytes)
    if any(n.tag == "template" for n in elements.extra) and place_streamed_parts(tree, utf8):
        elements = page_elements(tree.body or tree.root, _TEXT_SKIPPED)
    declared = declared_non_article(declared_types(tree, utf8)) or (DISCUSSION if forum_thread(tree) else None)
    if declared:
        return Document(source=source, text="", content=declared, no_main_content=True)
    # (the UTF-8 bytes hold the same ASCII substring, and a bytes search is faster on a non-ASCII page)
    choice = find_article(tree, structured=b"articleBody" in utf8, elements=elements)
    if not choice.found:
        return Document(source=source, text="", content=choice.label, no_main_content=True)
    builder = _Builder(max_chars, drop_chrome=True)
    if choice.title and not choice.title_inside:
        builder.add(choice.title, False)
        builder.flush("title", "h1", 0, ())
    _walk(choice.container, builder, _Anchors(choice.container, tree, source), choice.chrome_test())
    if not builder.full:  # a cut page's last block is not the article's end
        end = len(builder.blocks)
        builder.drop(range(end - trailer_length(builder.blocks), end))
    builder.drop(leader(builder.blocks))
    if teaser_front(builder.blocks):
        return Document(source=source, text="", content=TEASERS, no_main_content=True)
    doc = _document(source, builder, choice.label)
    doc.chrome_words = max(_visible_words(tree, elements.extra) - len(doc.text.split()), 0)
    return doc


# React's streamed server rendering (Next.js and others) sends the parts of a page that were not ready yet at the end
# of <body>, each in a hidden <div id="S:n">, and an inline script call moves each into its place: $RC("B:m", "S:n")
# into a boundary (<template id="B:m">, replacing the fallback after it up to the comment <!--/$-->), $RS("S:n",
# "P:m") into a placeholder (<template id="P:m">). A reader sees them there. On 2026's web check set 25 of 1000
# pages stream parts; fool.com streams most of an article, which was read as hidden text and lost.
_REACT_PART = b'<div hidden id="S:'  # (page mode's test: a long marker; "$" is common in code, "$R" slow to find)
MAX_STREAMED_PARTS = 256  # each is one query of the tree; real pages stream a dozen (a hostile one: any number)
_REACT_MOVE = re.compile(rb'\$R([CS])\("([A-Z]:[0-9a-f]+)","([A-Z]:[0-9a-f]+)"')


def place_streamed_parts(tree, utf8: bytes) -> bool:
    """Move the parts a React stream sent late into their places, as its scripts do (`_REACT_MOVE`). Whether it
    moved any."""
    moves = _REACT_MOVE.findall(utf8)[:MAX_STREAMED_PARTS]
    body = tree.body
    if not moves or body is None:
        return False
    moved = False
    for kind, first, second in moves:
        target, part = (first, second) if kind == b"C" else (second, first)
        # (looked up now: selectolax inserts a copy, so a template inside a part moved before is a new node)
        template = body.css_first(f'template[id="{target.decode()}"]')
        segment = body.css_first(f'div[hidden][id="{part.decode()}"]')
        if template is None or segment is None:
            continue
        if kind == b"C":  # the boundary's fallback ("Loading...") goes
            for gone in _fallback(template):
                gone.decompose()
        child = segment.first_child
        while child is not None:
            child, node = child.next, child
            template.insert_before(node)
        template.decompose()
        segment.decompose()
        moved = True
    return moved


def _fallback(template) -> list:
    """The nodes after a boundary's template up to its closing <!--/$--> (a nested boundary's <!--$-->...<!--/$-->
    inside it), as React's $RC removes them; none when the closing comment is not among its siblings."""
    nodes, depth, node = [], 0, template.next
    while node is not None:
        if node.is_comment_node:
            mark = node.comment_content
            if mark == "/$":
                if depth == 0:
                    return nodes
                depth -= 1
            elif mark in ("$", "$?", "$!"):
                depth += 1
        nodes.append(node)
        node = node.next
    return []


# The SKIPPED elements that can hold text. The others are void (an HTML parser never gives them children, and
# inside <svg>/<math> they go with those): removing them changes no text.
_TEXT_SKIPPED = tuple(sorted(SKIPPED - frozenset("meta link base param source track area embed".split())))
_TEXT_SKIPPED_SELECTOR = ", ".join(_TEXT_SKIPPED)


# Page types a page can declare that are not articles (schema.org in JSON-LD or microdata, Open Graph's og:type).
# - A forum thread or a question-and-answer page (DiscussionForumPosting, QAPage): each post comes with its author,
#   date, counts and buttons, which the block signals would read as chrome between paragraphs, and its posts are
#   about as many topics as posters. On the sixth check set (2026's web) 71 of its 118 forum pages declare one of
#   them and no other page does; on trafilatura's evaluation pages four forum threads do.
# - A product page (Product, og:type product) that declares no article type as well: its prices, options and
#   "Add to cart" are the page. On the same set 74 of its 100 product pages, 12 collection and 4 service pages
#   (shop fronts) and no article page; on trafilatura's pages 7 shop pages. A page that declares an article type
#   as well (a buying guide listing its products) stays an article.
# - A collection page (CollectionPage, og:type product.group) that declares no article type as well: a shop's
#   category grid, a site's section or tag archive (Yoast SEO marks WordPress archives so). On 2026's web 23
#   pages (17 collection, 5 listing, 1 product page) and no article declare one; on the other check sets a
#   newspaper's section front, a magazine's home page and a shop's category page, and no article. A product grid
#   with a paragraph of shop copy under it was dropped for one full stop in that copy.
# None of the 181 real article pages declares any of them.
_LD_TYPE = re.compile(rb'"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")')
_TYPE_NAME = re.compile(rb'(?:https?://schema\.org/)?(\w+)"')
_MICRODATA_TYPE = re.compile(rb"schema\.org/(\w+)")
_ARTICLE_TYPE = re.compile(r"(?:News|Blog|Tech|Scholarly)?(?:Article|Posting)")
DISCUSSION = ("no article: a discussion thread (the page declares schema.org DiscussionForumPosting or QAPage, or its "
              "forum software marks a thread's view)")
PRODUCT = "no article: a product page (the page declares schema.org Product or og:type product, and no article)"
TEASERS = "no article: a list of teasers (linked headlines, each with a line: a section front or a listing)"
COLLECTION = ("no article: a collection page (the page declares schema.org CollectionPage or og:type product.group, "
              "and no article)")


# A site's home page (its address has no path, or only a language's: "/", "/en-us/", "/index.html") is its front:
# teasers, sections, a landing page, never one article. 37 of the 1,000 pages of 2026's web (listings, service
# pages, two forums, a shop; no article) are such pages. A query ("/?p=123", WordPress's address of a post) is not.
HOME = "no article: the site's home page (its address has no path)"
_HOME = re.compile(r"https?://[^/?#]+(?:/[a-z]{2}(?:[-_][a-z]{2})?)?/?(?:index\.[a-z]{3,5})?(?:#.*)?", re.I)


def is_home_page(url: str) -> bool:
    """Is this the address of a site's home page (`_HOME`)?"""
    return url[:4].lower() == "http" and _HOME.fullmatch(url.strip()) is not None


def declared_types(tree, utf8: bytes) -> set[str]:
    """The page types the page declares: schema.org types in JSON-LD ("@type", read in a script whose
    "@context" is schema.org) and microdata (itemtype), and Open Graph's og:type as "og:<type>".

    One fast search of the bytes (bytes.find) for "schema.org", the regexes reading only where it stops, and one
    query of the <head>: ~0.08 ms a page, where a regex scan of a whole page or a whole-tree query costs ~0.1 ms
    each."""
    types: set[str] = set()
    at = utf8.find(b"schema.org")
    while at >= 0:
        before = utf8[max(0, at - 40):at]
        if b"@context" in before:  # a JSON-LD object, or graph, to the end of its script
            end = utf8.find(b"</script", at)
            end = len(utf8) if end < 0 else end
            types.update(t.decode("ascii") for m in _LD_TYPE.finditer(utf8, at, end)
                         for t in _TYPE_NAME.findall(m.group(1)))
            at = utf8.find(b"schema.org", end)
            continue
        # microdata: itemtype="https://schema.org/Product" (attribute names are case-insensitive: React writes itemType)
        if b"itemtype" in before.lower():
            m = _MICRODATA_TYPE.match(utf8, at)
            if m is not None:
                types.add(m.group(1).decode("ascii"))
        at = utf8.find(b"schema.org", at + 10)
    og = tree.head.css_first('meta[property="og:type"]') if tree.head is not None else None
    if og is not None:
        types.add("og:" + (og.attributes.get("content") or "").strip().lower())
    return types


def forum_thread(tree) -> bool:
    """Does the page's forum software mark it as a thread's view? phpBB's <body class="section-viewtopic">,
    XenForo's <html data-template="thread_view">, FluxBB's and PunBB's <div id="punviewtopic"> in <body>: read as
    a declared discussion (`DISCUSSION`). On 2026's web 7 forum threads of phpBB and FluxBB declare no schema.org
    type, and no other page carries one of these marks. (Attribute reads only: a search of a page's bytes for
    the FluxBB mark cost 0.04 ms.)"""
    body, root = tree.body, tree.root
    if root is not None and root.attributes.get("data-template") == "thread_view":
        return True
    if body is None:
        return False
    # (FluxBB's mark is among the first children of <body>: after a site's own header bar at most)
    return "section-viewtopic" in (body.attributes.get("class") or "") or any(
        child.attributes.get("id") == "punviewtopic" for child in itertools.islice(body.iter(include_text=False), 4))


def declared_non_article(types: set[str]) -> str | None:
    """The no-article label of a page whose declared types (`declared_types`) make it a discussion thread, a
    product page or a collection page, else None."""
    if "DiscussionForumPosting" in types or "QAPage" in types:
        return DISCUSSION
    if "og:article" in types or any(_ARTICLE_TYPE.fullmatch(t) for t in types):
        return None
    if "Product" in types or "og:product" in types:
        return PRODUCT
    if "CollectionPage" in types or "og:product.group" in types:
        return COLLECTION
    return None


def _visible_words(tree, skipped: list | None = None) -> int:
    """Words of the page's visible text (the whole page; the article's share is subtracted for chrome).
    `skipped`: the _TEXT_SKIPPED elements under the text's root, if the caller has them (`page_elements`)."""
    root = tree.body or tree.root
    if root is None:
        return 0
    # The caller's list, or one selector walk over the text's root, where `strip_tags` walks the whole tree once
    # per tag. Each element is detached with its subtree (one inside another that went already is detached from a
    # detached subtree); after the walk: the tree is no longer read.
    for node in root.css(_TEXT_SKIPPED_SELECTOR) if skipped is None else skipped:
        node.decompose(recursive=False)
    return len(root.text(separator=" ").split())


def _document(source: str, builder: _Builder, content: str) -> Document:
    blocks = builder.blocks
    return Document(source=source, text="\n".join(b.text for b in blocks), blocks=blocks, content=content,
                    chrome_blocks=builder.chrome_blocks, chrome_words=builder.chrome_words)
