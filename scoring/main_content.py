"""Main content: find the article on a page, so that the signals read the article and not the site around it.

A real article page is mostly chrome: masthead, navigation, share bars, related-headline lists, ad slots,
footers, comment threads. That chrome is expected on every site and says nothing about the article, so it is
counted and left out; what the page puts *inside the article's flow* (a promo paragraph, a pasted headline
list, leaked widget text) stays in, because that is what content farms do and what the signals judge.

How (selectolax's Lexbor tree; one walk by tag id lists the text holders, then Python touches only them and their
ancestors):
1. Text holders: every `<p>`, and the loose text of block containers (`<div>` text, `<br>`-separated lines).
   Each weighs its words outside links (`count_words`: in Chinese and Japanese, which write no spaces, one
   per two characters); text inside a link weighs nothing, and neither does a holder inside an
   element the page marks as chrome (`marks_chrome`: tag, ARIA role, `rel="tag"`, or a class/id token such as
   "share-bar", "related-posts", "ad-slot"), unless that element wraps most of the page's prose.
2. Paragraph clusters, as Readability scores them: a holder gives points to its parent (fully) and its
   grandparent (half), more for longer paragraphs but capped, so many paragraphs beat one long teaser; a bare
   wrapper around a single paragraph passes it on to its own parent. Loose text scores each of its runs between
   blank lines (`<br><br>`) as a paragraph, as the block walk cuts it.
3. The container: the best cluster, widened to its nearest ancestor that holds `GATHER_SHARE` of the words of
   all strong clusters (an article cut into sections by ad slots), then on up to `WIDEN_LEVELS` levels over
   ancestors that add another strong cluster and next to no other prose (a lead paragraph in its own block).
4. The page's own structured data, where it disagrees: if the element marked `itemprop="articleBody"` is
   neither inside the container nor around it, or the container holds under `LD_AGREES` of the words of the
   schema.org JSON-LD `articleBody` while another strong cluster holds most of them, step 3 starts again from
   the best cluster the markup points to (and the rejected container's clusters do not pull it back). Only
   the container is chosen this way: the text is still read from the page, never from the JSON-LD, since a
   content farm's insertions show in the page and not in its metadata. A JSON-LD body is often a truncated
   teaser, so only its recall counts, never its precision, and it never narrows a container that holds it.
5. Inside the container the ordinary block walk (scoring.extract) runs; blocks inside marked chrome (a share
   bar, an ad slot, an author box) are counted and dropped, and so is a block whose words nearly all sit in
   inline chrome (`<span class="caption">`, a run of `rel="tag"` links); inline chrome inside a sentence stays.
6. The article's trailer: after the walk, the blocks that end the container after its last paragraph of prose
   and read as page furniture (a call to follow, subscribe, share or comment, a heading with nothing after it
   but furniture, a tag or category line, an ad label, a list of linked headlines or any list a "related" or
   "more" label introduces, teaser cards of a linked headline and a short dek, a label without a sentence)
   are counted as chrome and dropped, from the end back to the first block that is none of these
   (`trailer_length`). The benchmark's article text leaves them out, and the injection and boilerplate signals
   judge what a page puts *between* its paragraphs, where a content farm's insertions go; a list of headlines
   after the last paragraph is the site's own. The page's tool bar and slideshow titles before the first
   paragraph of prose, the article's leader, are dropped the same way (`leader`; the title stays).
   A text that is mostly such teaser cards from top to bottom is no article at all: a section front or a listing
   (`teaser_front`).
7. The title: the container's first `<h1>` (emitted by the walk, or separately when it sits in chrome such as
   the article's `<header>`), else the first `<h1>` that the page's `<title>` repeats, else the `<title>`'s
   headline part ("Headline | Section | Site" -> "Headline"), else the first `<h1>` outside chrome; emitted
   once, as the first block.

A page with fewer than `MIN_ARTICLE_WORDS` words of prose, or whose best cluster holds fewer than
`MIN_CLUSTER_WORDS` (home pages, section fronts, search results, product grids, framesets, image-only pages),
has no main content: it is reported as such, kept and never flagged.

Why this and not a library (measured on the 181 real pages of bench/realpages, dev half used for every
choice; bench/extraction.py reproduces the figures): trafilatura 2.3 reaches token F1 ~0.95 but takes
~15-30 ms per page, several times our whole scoring budget; resiliparse's main-content mode takes ~2 ms but
reaches ~0.90 and returns plain text without the block structure the signals need. Lexbor parses a 115 KB
page in ~0.6 ms and its CSS queries run in C, so finding the container costs little and the Python block walk
runs only over the article.
"""
from __future__ import annotations

import functools
import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, NamedTuple

from selectolax.lexbor import LexborHTMLParser

from .memo import Memo
from .normalize import CJK_CHARS, lower_as_re_ignorecase

# What marks an element as chrome: its tag, its ARIA role, or a class/id token with a chrome word in it
# ("share-bar", "relatedPosts", "ad-slot") unless the token names content ("comment-content" is the text of a
# comment, "article-body" the article): the token's last word that is not a generic layout word decides.
# Captions are not article text either (the benchmark's article text leaves them out).
CHROME_TAGS = frozenset("nav footer aside form header menu figcaption".split())
CHROME_ROLES = frozenset("navigation banner contentinfo complementary search menu menubar toolbar dialog".split())
CHROME_WORDS = frozenset(
    "nav navbar navigation menu breadcrumb breadcrumbs footer masthead sidebar widget widgets"
    " comment comments disqus respond share sharing social sharebar sharetools related recommended"
    " recirculation outbrain taboola newsletter subscribe subscription signup promo promotion sponsored"
    " advert advertisement adverts advertising ad ads adslot dfp gpt banner cookie cookies consent"
    " popup modal toolbar tags keywords byline author bio caption credit credits meta dateline timestamp cta"
    " trending popular most more also next prev previous pagination pager".split()
)
# Chrome words that a word before them can name as something else: "widget" alone, "widget_recent_entries" and
# "widget-area" (WordPress's sidebar boxes) or a builder's "dnd-widget-wrapper" around an embedded gallery are chrome,
# while a buying guide's "c-product-widget" holds its reviews and "articleWidgetHTML" an article's text (2026's web:
# both articles were read as one product and one part, F1 0.18 and 0.83).
NAMED_COMPONENT_WORDS = frozenset(("widget", "widgets"))
# Attributes in which component frameworks and their tests name an element (React's data-testid, ...): read like a
# class (Cleveland Clinic marks its ad slots data-identity="billboard-ad" and nothing else).
COMPONENT_ATTRIBUTES = frozenset(("data-testid", "data-test-id", "data-component", "data-module", "data-identity",
                                  "data-qa"))
CONTENT_WORDS = frozenset("article articlebody body content story entry post text main copy".split())
GENERIC_WORDS = frozenset("area wrapper wrap container box block section inner outer holder list item items module"
                          " col row region zone group dnd".split())  # (dnd: a drag-and-drop builder's component)
_HINT_VOCABULARY = CHROME_WORDS | CONTENT_WORDS | GENERIC_WORDS
WORDS_PER_POINT = 25      # a text holder scores 1 point, plus 1 per this many words ...
MAX_POINTS = 3            # ... up to this many
CLUSTER_SHARE = 0.2       # paragraph parents with this share of the best one's points are article clusters
GATHER_SHARE = 0.75       # the container is the nearest ancestor holding this share of their words
SHAPE_LEVELS = 3          # a cluster shaped like the best one over this many levels is another part of the article
WIDEN_LEVELS = 2          # the container widens up to this many levels over ancestors that add a strong cluster ...
WIDEN_SLACK = 1.25        # ... and at most this many words of prose per word of it ...
WIDEN_FREE_WORDS = 10     # ... plus this many
MIN_ARTICLE_WORDS = 60    # prose words below which the page has no main content
MIN_CLUSTER_WORDS = 30    # ... or when its best paragraph cluster holds fewer (teaser cards, product tiles)
WRAPPER_SHARE = 0.5       # an element marked as chrome that holds this share of the page's prose is a wrapper
MIN_HOLDER_WORDS = 3      # text holders shorter than this carry no weight ("Share", a date)
MIN_RUN_WORDS = 10        # a run of loose text this long scores as a paragraph of its own
# (MIN_RUN_WORDS and HEADING_MAX_WORDS were bounded by hand on the dev half and on a second set of pages that is
# not committed: trafilatura's evaluation pages, adbar/trafilatura tests/evaldata.json, read only as a check)
MAX_LINK_DENSITY = 0.5    # holders with more of their text in links than this are link lists
# A holder credits at most this many ancestors, then the root (the 181 real pages: paragraphs 10 deep at the
# median, 36 at most): crediting all of
# them made 10k-deep nesting with text at every level quadratic.
MAX_DEPTH = 64
ENTRY_ARTICLES = 3        # <article>s of one class holding the clusters: a list of entries, not one article
LD_AGREES = 0.5           # an element holding this share of the JSON-LD articleBody's words holds the article
LD_BETTER = 2.0           # ... and replaces the point-based choice only when it holds this many times more
LD_CANDIDATES = 12        # the strong paragraph parents compared with the JSON-LD articleBody
MAX_LD_CHARS = 2_000_000  # JSON-LD scripts larger than this are not parsed

LOOSE_TEXT_HOLDERS = ("div", "td", "section", "article", "main", "blockquote", "font", "center", "span", "li")
INLINE_TAGS = frozenset("a abbr b bdi bdo cite code data dfn em font i img kbd mark q s samp small span strong sub"
                        " sup time u var wbr".split())

_HINT_WORD = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+")
_TOKEN = re.compile(r"\w+")
_ANCHOR_WORD = re.compile(r"[^\W_]+")
SECTION_ANCHOR_WORDS = 4  # an id of this many words spelled by the element's first heading is a section anchor
_CJK = re.compile(f"[{CJK_CHARS}]")
# Page furniture that ends an article, matched case-insensitively: calls to follow, subscribe, share or comment
# anywhere in a trailing block; labels ("Comments", "Advertisement", "Tags: ...") only where the block starts,
# since an article's last sentence may mention a comment, a sponsor or a copyright.
_TRAILER_PHRASES = (
    r"\b(?:follow (?:us|me|him|her|them|\w+(?: \w+){0,6}) on (?:facebook|twitter|instagram|linkedin|youtube|tiktok)"
    r"|subscribe (?:to|for|now|today)|(?:our|daily|free|weekly) newsletters?|sign up (?:for|to|now|today)"
    r"|click(?:ing)? here|read more|see more|more from|more great|you may also like|you might also like"
    r"|related (?:stories|articles|posts|content|coverage)|recommended for you|explore further|share this"
    r"|sharing is caring|leave a (?:reply|comment)|post a comment|filed under|all rights reserved"
    r"|(?:entry|post) was posted in|bookmark the permalink|letters? to the editor|subject to copyright"
    r"|no part (?:of (?:this|it) )?may be reproduced)\b|©")
_TRAILER_LABELS = (
    r"^\W*(?:\d+ )?(?:comments?|advert(?:isement)?|sponsored|tags?|categor(?:y|ies)|trending|most popular"
    r"|don't miss|related|more|see also|read also|share|about the author)\b|^\W*citation:")
_TRAILER_CUE = re.compile(_TRAILER_PHRASES + "|" + _TRAILER_LABELS, re.I)
_TRAILER_START = re.compile(_TRAILER_LABELS, re.I)
# Every match of _TRAILER_PHRASES holds one of these in the text lowercased as re.I matches it
# (`lower_as_re_ignorecase`): a block holding none can only match the labels, at its start. (The whole search
# tries every position: ~35 us a 60-word block; these tests ~3 us.)
_TRAILER_KEYS = ("follow", "subscribe", "newsletter", "sign up", "click", "read more", "see more", "more from",
                 "more great", "also like", "related ", "recommended for you", "explore further", "share this",
                 "sharing is caring", "leave a ", "post a comment", "filed under", "all rights reserved",
                 "was posted in", "bookmark the permalink", "to the editor", "subject to copyright",
                 "may be reproduced", "©")
_SENTENCE_END = re.compile(r"[.!?…。！？]['\"”’)\]」』]*$")
_FULL_STOP = re.compile(r"(?<!\.)\.['\"”’)\]]*$")  # a sentence set large (pull quote), not a heading ("More..." is one)
TRAILER_MAX_WORDS = 60    # a longer trailing block is article text, whatever it mentions
# a teaser card's dek (the line under its linked headline, to the site's own page) is at most this long (30 until
# session 24: a news front's deks run to 40-odd words; no trailer of the dev pages or the check sets moved)
DEK_MAX_WORDS = 50
MIN_CARDS = 3             # ... and a list of them at the article's end has at least this many cards
FRONT_CARDS = 5           # a text that is this many cards or more ...
FRONT_SHARE = 0.5         # ... holding this share of its words is a section front (`teaser_front`)
LABEL_MAX_WORDS = 4       # a trailing block this short without a sentence end is a label ("Advertisement", "6")
HEADING_MAX_WORDS = 12    # a trailing heading up to this long heads furniture; a longer one is prose set large
# The class/id words of an article's own tool bar ("article-tools", "st email", "print-link", "share-tools"): its
# lines of links before the first paragraph are the leader (`leader`)
TOOL_WORDS = frozenset("tools tool toolbar print email mail reprint reprints share sharing social utility utilities"
                       " actions".split())
# ... and of its media: a slideshow's slide titles before the first paragraph are the leader too, links or not
MEDIA_WORDS = frozenset("gallery slideshow slide slides carousel".split())
_TITLE_SEPARATOR = re.compile(r"\s+[|\-\u2013\u2014:\u00b7\u2022\u00bb\u00ab/~]+\s+")


@dataclass
class ArticleChoice:
    """Where the article is: its container element and title, or why there is none."""
    container: object | None    # selectolax Node
    title: str | None
    title_inside: bool          # the title's element is inside the container (the walk emits it)
    label: str                  # e.g. "div#story.article-body", for the report
    weights: "_Weights | None" = None

    def chrome_test(self):
        """`test(node, tag, attributes)`: is this element inside the container page chrome (a share bar, an ad
        slot, an author box)? As the block walk asks it."""
        if self.weights is None:
            return lambda node, tag, attrs: False
        return self.weights.chrome_test()

    @property
    def found(self) -> bool:
        return self.container is not None


def trailer_length(blocks: list) -> int:
    """How many blocks at the end of the article are its trailer (page furniture after the last paragraph).

    Walks back from the last block and stops at the first that reads as article text; never takes so much
    that fewer than MIN_ARTICLE_WORDS words would be left. An article of one paragraph (a `<p>`, or a `<div>` of
    text) has no trailer: with nothing to be between, what follows it may be what a content farm put into it.
    """
    counts = [count_words(b.text) for b in blocks]  # (each block's words, counted once)
    prose = (b for b, n in zip(blocks, counts) if b.kind in ("paragraph", "other") and not _is_trailer(b, n))
    if next(prose, None) is None or next(prose, None) is None:  # (two are enough: the trailer cue is a slow regex)
        return 0
    left = sum(counts)
    count = 0
    while count < len(blocks):
        end = len(blocks) - count
        last = blocks[end - 1]
        take = 1 if _is_trailer(last, counts[end - 1]) else (
            _introduced_list(blocks, end) or _teaser_cards(blocks, end))
        words = sum(counts[end - take:end])
        if not take or left - words < MIN_ARTICLE_WORDS:
            break
        left -= words
        count += take
    return count


def leader(blocks: list) -> list[int]:
    """The indices of the article's leader: the site's links before its first paragraph of prose (a tool bar
    "Print | Email | Reprints", a "Story tools" box), a slideshow's slide titles there, and the short headings
    over them, walked
    back from that paragraph to the first block that is neither; the title stays wherever it stands. The
    trailer's counterpart (`trailer_length`): the benchmark's article text leaves it out (old news pages of
    goose3's tests had their tool bars tagged as boilerplate). Narrower than the trailer: only lines of links
    without a sentence (a lead paragraph is often mostly links), no table rows (an infobox), and only in an
    element the page names as its tools or its slideshow (`TOOL_WORDS`, `MEDIA_WORDS`): what a content farm
    pastes above an article has lost its markup and stays judged. Never so much that fewer than MIN_ARTICLE_WORDS words would be left."""
    first = next((i for i, b in enumerate(blocks) if b.kind in ("paragraph", "other")
                  and not _is_link_line(b, count_words(b.text)) and not _is_leader(b, count_words(b.text))), None)
    found: list[int] = []
    heads = False  # does the block after the current one belong to the leader?
    for i in range(first - 1 if first is not None else -1, -1, -1):
        b = blocks[i]
        if b.kind == "title" or b.tag == "h1":
            continue
        words = count_words(b.text)
        short_heading = b.kind == "heading" and words <= HEADING_MAX_WORDS and not _FULL_STOP.search(b.text)
        if not (_is_leader(b, words) or (short_heading and heads)):
            break
        found.append(i)
        heads = True
    if found and sum(count_words(b.text) for i, b in enumerate(blocks) if i not in found) < MIN_ARTICLE_WORDS:
        return []
    return found[::-1]


def _is_leader(block, words: int) -> bool:
    """A line of links in an element the page names as its tools, or any short line in one it names as its
    slideshow."""
    if not _is_line(block, words):
        return False
    return (not MEDIA_WORDS.isdisjoint(block.hints)
            or block.link_density >= MAX_LINK_DENSITY and not TOOL_WORDS.isdisjoint(block.hints))


def _is_link_line(block, words: int) -> bool:
    """A short line of links: no heading, no table row, no sentence."""
    return _is_line(block, words) and block.link_density >= MAX_LINK_DENSITY


def _is_line(block, words: int) -> bool:
    return (block.kind not in ("title", "heading", "table") and 0 < words <= HEADING_MAX_WORDS
            and not _SENTENCE_END.search(block.text))


def _teaser_cards(blocks: list, end: int) -> int:
    """How many blocks before `end` are a list of teaser cards, each a linked headline and its short dek (three
    cards at least: one linked line and a short sentence after it may be how an article ends)."""
    start = end
    while start >= 2 and _is_card(blocks[start - 2], blocks[start - 1]):
        start -= 2
    return end - start if end - start >= 2 * MIN_CARDS else 0


def teaser_front(blocks: list) -> bool:
    """Is the article's text mostly teaser cards (`_is_card`: a linked headline to the site's own page and its short
    dek), FRONT_CARDS of them or more holding FRONT_SHARE of its words: a section front, a topic or listing page,
    not an article? (2026's web: 13 such pages, listings, collections and forum indexes, among them a news front
    tagged for its "headlines"; no article there, nor in the real pages' development half, whose highest share is
    0.36. The test half has one such article: bench/README.md, session 24.)"""
    words = [count_words(b.text) for b in blocks]
    cards = card_words = 0
    i = 0
    while i < len(blocks) - 1:
        if _is_card(blocks[i], blocks[i + 1]):
            cards += 1
            card_words += words[i] + words[i + 1]
            i += 2
        else:
            i += 1
    return cards >= FRONT_CARDS and card_words >= FRONT_SHARE * sum(words)


def _is_card(headline, dek) -> bool:
    return (headline.link_density >= MAX_LINK_DENSITY > dek.link_density and not headline.link_host
            and count_words(dek.text) <= DEK_MAX_WORDS)


def _introduced_list(blocks: list, end: int) -> int:
    """How many blocks the list ending at `end` and its label make, when the label is furniture ("More great
    stories", "Related", "Don't miss"): a headline list with too much unlinked text (a dek, an emoji) to read
    as one by itself. 0 when it is not one: an article's own list, as "Ingredients:" introduces, stays."""
    start = end
    while start > 0 and blocks[start - 1].kind == "list_item":
        start -= 1
    if start == end or start == 0:
        return 0
    label = blocks[start - 1].text
    return end - start + 1 if count_words(label) <= 2 * LABEL_MAX_WORDS and trailer_cue(label) else 0


def trailer_cue(text: str) -> bool:
    """Does `_TRAILER_CUE` match in the text? Searched in full only where one of its phrases' keys occurs."""
    lowered = lower_as_re_ignorecase(text)
    if any(map(lowered.__contains__, _TRAILER_KEYS)):
        return _TRAILER_CUE.search(text) is not None
    return _TRAILER_START.match(text) is not None


def _is_trailer(block, words: int) -> bool:
    if block.kind == "title" or words > TRAILER_MAX_WORDS:
        return False
    if block.link_density >= MAX_LINK_DENSITY or trailer_cue(block.text):
        return True
    if block.kind == "heading" and words <= HEADING_MAX_WORDS and not _FULL_STOP.search(block.text):
        return True  # with nothing but furniture after it, it heads furniture: no article ends in a heading
    # a label or a headline; an article's own list items and table rows stay
    return words <= LABEL_MAX_WORDS and block.kind not in ("list_item", "table") \
        and not _SENTENCE_END.search(block.text)


def marks_chrome(tag: str, attrs: dict | None, node=None) -> bool:
    """Does the element's own tag, role, class or id (or the name a component framework gives it:
    COMPONENT_ATTRIBUTES) mark it as page chrome? `node`, the element itself, tells an anchor from a name
    (`_is_anchor`)."""
    if tag in CHROME_TAGS:
        return True
    if not attrs:
        return False
    role = attrs.get("role")
    if role and role.lower() in CHROME_ROLES:
        return True
    rel = attrs.get("rel")
    if rel and "tag" in rel.lower().split():
        return True  # microformats rel="tag": a link to the site's tag page, never article text
    names = attrs.get("class")
    if names and _chrome_names(names):
        return True
    names = attrs.get("id")
    if names and _chrome_names(names) and not (node is not None and _is_anchor(names, node)):
        return True
    if COMPONENT_ATTRIBUTES.isdisjoint(attrs):  # (most elements: one C-level test over its few attributes)
        return False
    return any(_chrome_names(attrs[key]) for key in COMPONENT_ATTRIBUTES.intersection(attrs) if attrs[key])


def is_chrome_named_anchor(id_value: str, node) -> bool:
    """An id with a chrome word in it that is the anchor of the element's text or heading (`_is_anchor`): it
    says nothing about the element ("sharing-with-a-single-developer")."""
    return _chrome_names(id_value) and _is_anchor(id_value, node)


def is_section_anchor(id_value: str, node) -> bool:
    """An id of SECTION_ANCHOR_WORDS words or more spelled by the element's first heading: a docutils (Sphinx)
    section named after its heading, whatever its words ("use-trimmed-interleaved-replies-in-email-discussions":
    not a replies element). A cheap count of the id's separators comes first: most ids are one or two words."""
    if id_value.count("-") + id_value.count("_") < SECTION_ANCHOR_WORDS - 1:
        return False
    return _heading_spells(_ANCHOR_WORD.findall(id_value.lower()), node)


def _is_anchor(id_value: str, node) -> bool:
    """An id that spells the element's own text: the link target MediaWiki and Markdown renderers make of a
    heading ("See_also" on "See also", "related-reading" on "Related reading"), not a name for chrome. Or, of
    SECTION_ANCHOR_WORDS words or more, its first heading's text: a docutils (Sphinx) section named after its
    heading ("sharing-with-a-single-developer" around "Sharing with a single developer", mozilla/readability's
    test page mercurial). Shorter ids spelled by a heading are a widget's own name (<section id="comments">
    under "Comments")."""
    spelled = _ANCHOR_WORD.findall(id_value.lower())
    if spelled == _ANCHOR_WORD.findall(node.text().lower()):
        return True
    return _heading_spells(spelled, node)


def _heading_spells(spelled: list[str], node) -> bool:
    """Are these words, SECTION_ANCHOR_WORDS or more of them, the text of the element's first heading?"""
    if len(spelled) < SECTION_ANCHOR_WORDS:
        return False
    heading = node.css_first("h1, h2, h3, h4, h5, h6")
    return heading is not None and spelled == _ANCHOR_WORD.findall(heading.text().lower())


def _holds_chrome_token(value: str) -> bool:
    """Does a class or id value hold a chrome token? (`_chrome_names`: cached whole, most elements repeat another's
    class.)"""
    return any(_chrome_token(token) for token in without_builder_words(value).split())


# Page builders call every component of a page a widget. Elementor (WordPress): the article's paragraphs sit in
# "elementor-widget-text-editor" > "elementor-widget-container", its share bar in "elementor-widget-share-buttons".
# HubSpot's CMS: in "hs_cos_wrapper_widget" inside "widget-span widget-type-custom_widget", a menu in
# "widget-type-menu". There "widget" says nothing; the rest of the name does (trafilatura's evaluation page
# shabka.org, an article in a dozen Elementor text widgets, had no main content; nor did a HubSpot article of
# 2026's web, cbcbank.com, with all its 1,680 words in such widgets).
_BUILDER_WIDGET = re.compile(r"\b(?:elementor-widget(?!\w)|hs_cos_wrapper_widget\b|widget-span\b"
                             r"|widget-type-(?:custom_widget\b)?)")
_BUILDER_NAME = {"elementor-widget": "elementor", "hs_cos_wrapper_widget": "hs_cos_wrapper", "widget-span": "span",
                 "widget-type-custom_widget": "custom", "widget-type-": ""}  # ("widget-type-menu" -> "menu")
_BUILDER_MARKS = ("elementor-widget", "hs_cos_wrapper_widget", "widget-span", "widget-type-")
# SiteOrigin's Page Builder (WordPress) lays a page out as panels that are WordPress widgets:
# "so-panel widget widget_sow-editor" holds the text, "so-panel widget widget_nav_menu" a menu.
_PANEL_WIDGET = re.compile(r"\bwidget(?:_|\b)")


def without_builder_words(names: str) -> str:
    """Class/id names with a page builder's generic component word taken out ("elementor-widget-container" ->
    "elementor-container", "widget-type-rich_text" -> "rich_text", a SiteOrigin panel's "widget widget_text" ->
    "text"): the chrome tests and block hints read the rest."""
    if "so-panel" in names:
        names = _PANEL_WIDGET.sub("", names)
    if not any(map(names.__contains__, _BUILDER_MARKS)):
        return names
    return _BUILDER_WIDGET.sub(lambda m: _BUILDER_NAME[m.group(0)], names)


def _is_chrome_token(token: str) -> bool:
    words = [part for w in _HINT_WORD.findall(token) for part in _compound(w.lower())]
    if not any(w in CHROME_WORDS and not named_component(words, i) for i, w in enumerate(words)):
        return False
    head = next((w for w in reversed(words) if w not in GENERIC_WORDS), "")
    return head not in CONTENT_WORDS


def named_component(words: list[str], i: int) -> bool:
    """Is words[i] a NAMED_COMPONENT_WORDS word that the word before it names ("product-widget")?"""
    return i > 0 and words[i] in NAMED_COMPONENT_WORDS and words[i - 1] not in GENERIC_WORDS


def _compound(word: str) -> tuple[str, ...]:
    """A word run together from a chrome word and a hint word, split ("relatedposts", WordPress Jetpack's
    related-posts box: "related" + "posts"; "navbox"); any other word alone."""
    if word in _HINT_VOCABULARY:
        return (word,)
    for i in range(2, len(word) - 1):
        head, rest = word[:i], word[i:]
        if head in CHROME_WORDS and (rest in _HINT_VOCABULARY or rest[:-1] in _HINT_VOCABULARY and rest[-1] == "s"):
            return head, rest
    return (word,)


_chrome_names = Memo(_holds_chrome_token, 16384)
_chrome_token = Memo(_is_chrome_token, 16384)


def _label(node) -> str:
    attrs = node.attributes or {}
    out = node.tag or "?"
    if attrs.get("id"):
        out += "#" + attrs["id"].split()[0]
    if attrs.get("class"):
        out += "".join("." + c for c in attrs["class"].split()[:3])
    return out


class _Weights:
    """Prose weight per element, summed from the text holders below it, and the child on each path.

    An element that calls itself chrome but holds most of the page's prose is a wrapper ("page has-sidebar",
    "hidden-print"), not chrome: chrome is judged after all holders are in.
    """

    def __init__(self, root, declared: frozenset[int] = frozenset()):
        self.root = root
        # the element the page marks as its article body (itemprop="articleBody") and its ancestors: never chrome,
        # whatever their class says (WordPress puts "author-<name>" on every post's <article>)
        self.declared = declared
        # (holder and its ancestors up to root, their mem_ids, words, points)
        self.paths: list[tuple[list, list[int], float, float]] = []
        self.nodes: dict[int, object] = {}        # every element on a path, by mem_id
        self._up: dict[int, tuple[list, list[int]]] = {}  # a holder's parent -> `_path_up` of it
        self.raw: dict[int, float] = {}
        self.weight: dict[int, float] = {}
        self.marked: dict[int, bool] = {}
        self.points: dict[int, float] = {}        # paragraph points: as parent, and half as grandparent
        self.direct: dict[int, float] = {}        # paragraph points as parent only
        self.direct_words: dict[int, float] = {}  # words of the holders it is the parent of
        self.paths_of: dict[int, list] = {}       # a paragraph parent and its ancestors up to the root
        self.best: int | None = None              # the best paragraph parent, once chosen

    def marks_chrome(self, node) -> bool:
        key = node.mem_id
        hit = self.marked.get(key)
        if hit is None:
            tag = node.tag or ""
            hit = self.marked[key] = tag not in ("html", "body") and marks_chrome(tag, node.attributes, node)
        return hit

    def is_chrome(self, node) -> bool:
        """Marked as chrome and not an element that holds the article (`holds_article`)."""
        return self.marks_chrome(node) and not self.holds_article(node.mem_id)

    def holds_article(self, key: int) -> bool:
        """The element (by mem_id) wraps most of the page's prose, or is the declared article body or around it:
        not chrome, whatever its class says. Once the article's best paragraph parent is chosen, a wrapper must
        hold it too: a readers' comment thread after a short article can hold most of the page's prose (goose3's
        tests: "visitors_comment_block")."""
        if key in self.declared:
            return True
        if self.raw.get(key, 0.0) < WRAPPER_SHARE * self.raw.get(self.root.mem_id, 0.0):
            return False
        return self.best is None or any(n.mem_id == key for n in self.paths_of[self.best])

    def chrome_test(self):
        """`is_chrome` for a walk that meets each element once and has read its tag and attributes already: no
        cache to fill, and no further call for an element without attributes (most of an article's)."""
        holds_article = self.holds_article

        def test(node, tag: str, attrs: dict) -> bool:
            if not attrs and tag not in CHROME_TAGS:
                return False
            return tag not in ("html", "body") and marks_chrome(tag, attrs, node) and not holds_article(node.mem_id)
        return test

    def add(self, holder, words: float, points: float | None = None) -> None:
        root_id = self.root.mem_id
        key = holder.mem_id
        if holder.tag == "a":
            return  # text inside a link is a teaser or a menu, not prose
        if key == root_id:
            path, ids = [holder], [key]
        else:
            # holders share parents (a paragraph cluster): their ancestors are walked once per parent
            parent = holder.parent
            if parent is None:
                return  # not under the root
            up = self._up.get(parent.mem_id)
            if up is None:
                up = self._up[parent.mem_id] = self._path_up(parent, MAX_DEPTH - 1)
            if not up[0]:
                return
            path, ids = [holder, *up[0]], [key, *up[1]]
        self.nodes[key] = holder
        self.paths.append((path, ids, words, _points(words) if points is None else points))
        raw = self.raw
        for key in ids:
            raw[key] = raw.get(key, 0.0) + words

    def _path_up(self, node, limit: int) -> tuple[list, list[int]]:
        """(`node` and its ancestors up to the root, their mem_ids), at most `limit` of them before the root
        (the ones in between are skipped); empty lists when one is a link or the root is not among them."""
        path, ids = [], []
        root_id = self.root.mem_id
        while node is not None and len(path) < limit:
            if node.tag == "a":
                return [], []  # text inside a link is a teaser or a menu, not prose
            key = node.mem_id
            path.append(node)
            ids.append(key)
            self.nodes[key] = node
            if key == root_id:
                break
            node = node.parent
        if not ids or ids[-1] != root_id:
            if node is None:
                return [], []  # not under the root
            path.append(self.root)  # nested deeper than MAX_DEPTH: the ancestors in between are skipped
            ids.append(root_id)
            self.nodes[root_id] = self.root
        return path, ids

    def settle(self) -> None:
        """Weights and paragraph points without the holders inside chrome."""
        # each element is judged once (paths share most of their ancestors)
        chrome = {key for key, node in self.nodes.items() if self.is_chrome(node)}
        kept = [held for held in self.paths if chrome.isdisjoint(held[1])]
        holders_in = Counter(ids[1] for _, ids, _, _ in kept if len(ids) > 1)
        for path, ids, words, points in kept:
            for key in ids:
                self.weight[key] = self.weight.get(key, 0.0) + words
            # Readability's idea: a paragraph counts fully for its parent and half for its grandparent, and
            # many paragraphs count more than one long one, so the element that directly holds the article's
            # paragraphs beats one that only wraps a grid of teaser cards. A parent that only wraps this one
            # paragraph (<div class="para"><p>...</p></div>, one per paragraph) passes it on to its own parent.
            up = 2 if len(path) > 2 and holders_in[ids[1]] == 1 and _bare_wrapper(path[1]) else 1
            if len(path) <= up:
                continue
            key = ids[up]
            self.direct[key] = self.direct.get(key, 0.0) + points
            self.direct_words[key] = self.direct_words.get(key, 0.0) + words
            self.points[key] = self.points.get(key, 0.0) + points
            self.paths_of[key] = path[up:]
            if len(path) > up + 1:
                self.points[ids[up + 1]] = self.points.get(ids[up + 1], 0.0) + 0.5 * points

    def choose(self, best: int | None = None, rejected=None):
        """The article's element: the best-scoring paragraph parent (or `best`, one the page's own markup points
        to instead of the `rejected` element), widened to its nearest ancestor that holds most of the page's
        other strong paragraph clusters (an article cut into sections by ads)."""
        if not self.points:
            return None
        if best is None:
            best = max(self.points, key=self.points.__getitem__)
            if best not in self.direct:
                best = max(self.direct, key=self.direct.__getitem__)
        self.best = best
        floor = CLUSTER_SHARE * self.direct[best]
        shape = self._shape(best)
        # strong clusters, and clusters shaped like the best one: the article's other sections (Medium's
        # <section>s, docutils' section <div>s), however short beside it
        clusters = [k for k, v in self.direct.items()
                    if v >= floor or (self.direct_words[k] >= MIN_CLUSTER_WORDS and self._shape(k) == shape)]
        if rejected is not None:  # what the page's markup says is not the article does not pull the container
            clusters = [k for k in clusters if not any(n.mem_id == rejected.mem_id for n in self.paths_of[k])]
        total = sum(self.direct_words[k] for k in clusters)
        under: dict[int, float] = {}
        for k in clusters:
            for node in self.paths_of[k]:
                under[node.mem_id] = under.get(node.mem_id, 0.0) + self.direct_words[k]
        path = self.paths_of[best]
        at = next((i for i, node in enumerate(path) if under.get(node.mem_id, 0.0) >= GATHER_SHARE * total), 0)
        at = self._widen(path, at, under)
        # never beyond the <article> around the best cluster, once it holds an article's worth of prose: what
        # lies outside it is the page's (a live-news rail beside the story, mozilla/readability's liberation-1)
        article = next((i for i, node in enumerate(path)
                        if node.tag == "article" and self.weight.get(node.mem_id, 0.0) >= MIN_ARTICLE_WORDS), at)
        if article < at and self._entries(path[article], clusters):
            article = at
        return path[min(at, article)]

    def _entries(self, article, clusters: list[int]) -> bool:
        """Do the clusters lie in ENTRY_ARTICLES or more <article>s of this one's class, each with its own heading
        and an article's worth of prose (MIN_ARTICLE_WORDS): a list whose entries are articles (a city guide's 40
        courses, each an <article class="tile"> between ad slots), not one article beside a rail of others, a
        thread's replies (no headings) or a section front's teasers (a headline and a line)?"""
        names = (article.attributes or {}).get("class")
        entries = set()
        for k in clusters:
            node = next((n for n in self.paths_of[k] if n.tag == "article"), None)
            if node is not None and node.mem_id not in entries and (node.attributes or {}).get("class") == names \
                    and self.weight.get(node.mem_id, 0.0) >= MIN_ARTICLE_WORDS \
                    and node.css_first("h2, h3, h4, h5, h6") is not None:
                entries.add(node.mem_id)
        return len(entries) >= ENTRY_ARTICLES

    def _shape(self, key: int) -> tuple:
        """Tag and class of a paragraph parent and its nearest SHAPE_LEVELS - 1 ancestors."""
        return tuple((n.tag, (n.attributes or {}).get("class")) for n in self.paths_of[key][:SHAPE_LEVELS])

    def _widen(self, path: list, at: int, under: dict[int, float]) -> int:
        """Climb on, at most WIDEN_LEVELS, over ancestors whose prose beyond the gathered element's is another
        strong cluster and next to nothing else (a lead paragraph in its own block before the body's): where
        other prose starts, the article has ended."""
        gathered = path[at].mem_id
        for i in range(at + 1, min(at + 1 + WIDEN_LEVELS, len(path))):
            up = path[i].mem_id
            extra_cluster = under.get(up, 0.0) - under.get(gathered, 0.0)
            extra_prose = self.weight.get(up, 0.0) - self.weight.get(gathered, 0.0)
            if extra_prose > WIDEN_SLACK * extra_cluster + WIDEN_FREE_WORDS:
                break
            if extra_cluster >= MIN_CLUSTER_WORDS:
                at = i
        return at

    def parents_under(self, element) -> list[int]:
        """The paragraph parents inside `element` (or it), with MIN_CLUSTER_WORDS+ words, best first."""
        key = element.mem_id
        found = [k for k, path in self.paths_of.items()
                 if self.direct_words[k] >= MIN_CLUSTER_WORDS and any(n.mem_id == key for n in path)]
        return sorted(found, key=self.direct.__getitem__, reverse=True)

    def strong_parents(self, limit: int) -> list[int]:
        """The best `limit` paragraph parents with MIN_CLUSTER_WORDS+ words, best first."""
        found = [k for k in self.direct if self.direct_words[k] >= MIN_CLUSTER_WORDS]
        return sorted(found, key=self.direct.__getitem__, reverse=True)[:limit]


def _bare_wrapper(node) -> bool:
    """Does this element hold nothing but its one paragraph element (no headline or link beside it, as a teaser
    card has)? Reads only its own children: O(children), whatever the depth below."""
    if node.text(deep=False).strip():
        return False
    children = 0
    for _ in node.iter(include_text=False):
        children += 1
        if children > 1:
            return False
    return children == 1


def count_words(text: str) -> int:
    """Words of a text: whitespace-separated, and in Chinese and Japanese, which write no spaces, one per two
    ideographs or kana (a word's usual length there): else a whole paragraph would count as one word."""
    words = len(text.split())
    if not text.isascii():
        words += len(_CJK.findall(text)) // 2
    return words


def _points(words: float) -> float:
    """Paragraph points of a text holder: more for a longer paragraph, but capped."""
    return 1.0 + min(words / WORDS_PER_POINT, MAX_POINTS)


def _loose_points(node, words: float) -> float:
    """Paragraph points of a block container's loose text: each run between blank lines (`<br><br>`, or an
    element inside) scores as a paragraph, as the block walk cuts it; as one holder, a post written as
    `<br>`-separated paragraphs would score no more than one long paragraph. Runs of a few words are lines of a
    form or an address, not paragraphs: they score nothing apart."""
    if words < 2 * MIN_RUN_WORDS:
        return _points(words)  # (too short for two runs that count)
    runs: list[int] = []
    run = breaks = 0
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            n = count_words(child.text_content)
            if n:
                if breaks >= 2 and run:
                    runs.append(run)
                    run = 0
                run += n
                breaks = 0
        elif tag == "br":
            breaks += 1
        elif tag not in INLINE_TAGS:  # a block element inside ends the run
            if run:
                runs.append(run)
            run = breaks = 0
    if run:
        runs.append(run)
    return max(_points(words), sum(_points(r) for r in runs if r >= MIN_RUN_WORDS))


class PageElements(NamedTuple):
    """The elements `find_article` reads, each list in document order."""
    paragraphs: list  # <p>
    holders: list     # LOOSE_TEXT_HOLDERS
    headings: list    # <h1>
    extra: list       # the caller's `extra` tags


def _tag_ids(names: Iterable[str]) -> dict[str, int]:
    """Lexbor's ids of standard HTML tag names: fixed numbers, the same in every document and namespace (an <svg>
    parsed into the SVG namespace has the id of one made here), as the CSS type selectors match them."""
    probe = LexborHTMLParser("")
    return {name: probe.create_node(name).tag_id for name in names}


@functools.lru_cache(maxsize=8)
def _groups(extra: tuple[str, ...]) -> dict[int, int]:
    """Tag id -> index of its list in PageElements."""
    groups = (("p",), LOOSE_TEXT_HOLDERS, ("h1",), extra)
    return {tag_id: i for i, names in enumerate(groups) for tag_id in _tag_ids(names).values()}


def page_elements(root, extra: tuple[str, ...] = ()) -> PageElements:
    """The <p>s, loose-text holders and <h1>s under `root` (and itself), and the elements of the `extra` tags: the
    lists a CSS query each gives, from one walk by tag id. Lexbor's selector engine walks the whole tree per query
    (~0.1 ms each on a news page); one Python walk costs about as much as two."""
    group_of = _groups(extra)
    lists: tuple[list, list, list, list] = ([], [], [], [])
    for node in root.traverse():
        group = group_of.get(node.tag_id)
        if group is not None:
            lists[group].append(node)
    return PageElements(*lists)


def _paragraph_words(node) -> float:
    """A paragraph's words outside links; 0 for a short one or a link list. (A block container's own text has
    no links: `find_article` counts its words inline.)"""
    words = count_words(node.text())
    if words < MIN_HOLDER_WORDS:
        return 0.0
    # (a Python walk of the holder's few elements: a CSS query costs ~3.5 us a call, more than the walk)
    linked = sum(count_words(a.text()) for a in node.traverse() if a.tag == "a")
    if linked > MAX_LINK_DENSITY * words:
        return 0.0
    return float(words - linked)


def _ancestors(node) -> list:
    out = []
    node = node.parent
    while node is not None and len(out) < MAX_DEPTH:
        out.append(node)
        node = node.parent
    return out


def _title(headings: list, tree, container, weights: _Weights) -> tuple[str | None, bool]:
    """(title, emitted by the walk): the container's first <h1> (the walk emits it unless it sits in chrome, an
    article's <header>); else the first <h1> the page's <title> repeats ("Headline | Site"); else the <title>'s
    headline part; else the first <h1> outside chrome. `headings`: the page's <h1>s (`page_elements` of the body,
    where an HTML parser puts every one)."""
    node = (tree.head or tree).css_first("title")  # the <head> alone: a whole-page query costs ~0.1 ms
    headline = _headline_part(" ".join(node.text().split()) if node is not None else "")
    said = Counter(_TOKEN.findall(headline.lower()))
    repeated = outside = None
    for h in headings:
        text = " ".join(h.text().split())
        if not text:
            continue
        up = [h, *_ancestors(h)]
        at = next((i for i, a in enumerate(up) if a.mem_id == container.mem_id), None)
        if at is not None:
            return text, not any(weights.is_chrome(a) for a in up[:at])
        if repeated is None and _repeats(text, said):
            repeated = text
        if outside is None and not any(weights.is_chrome(a) for a in up):
            outside = text
    return repeated or headline or outside or None, False


def _headline_part(title: str) -> str:
    """The longest part of a page title cut at its separators ("Headline | Section | Site" -> "Headline")."""
    return max(_TITLE_SEPARATOR.split(title), key=lambda part: len(part.split())).strip() if title else ""


def _repeats(text: str, said: Counter) -> bool:
    """Does this heading say mostly what the title's headline says (the two share most of their words)?"""
    words = Counter(_TOKEN.findall(text.lower()))
    shared = sum((words & said).values())
    return shared > 0 and shared >= 0.5 * sum(said.values()) and shared >= 0.5 * sum(words.values())


# -- structured data: where the page itself says its article is -------------------------------------------------
def _related(a, b) -> bool:
    """Is one of the two elements inside the other (or the same)?"""
    return any(n.mem_id == b.mem_id for n in (a, *_ancestors(a))) or any(
        n.mem_id == a.mem_id for n in _ancestors(b))


def _marked_body(tree):
    """The element the page marks as its article body (schema.org microdata `itemprop="articleBody"`)."""
    return tree.css_first('[itemprop~="articleBody"]')


def _ld_body_tokens(tree) -> Counter:
    """The words of the longest schema.org JSON-LD `articleBody` on the page (empty when there is none)."""
    best = ""
    for script in tree.css('script[type="application/ld+json"]'):
        text = script.text()
        if "articleBody" not in text or len(text) > MAX_LD_CHARS:
            continue
        try:
            data = json.loads(text)
        except ValueError:
            continue
        for body in _json_values(data, "articleBody"):
            if isinstance(body, str) and len(body) > len(best):
                best = body
    return Counter(_TOKEN.findall(best.lower()))


def _json_values(data, key: str, depth: int = 0):
    if depth > 8:
        return
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key:
                yield v
            elif isinstance(v, (dict, list)):
                yield from _json_values(v, key, depth + 1)
    elif isinstance(data, list):
        for v in data:
            yield from _json_values(v, key, depth + 1)


def _coverage(node, body: Counter) -> float:
    """Share of the structured-data article words that the element's text holds."""
    words = Counter(_TOKEN.findall(node.text().lower()))
    return sum((words & body).values()) / sum(body.values())


def _guided_best(tree, weights: _Weights, container, marked) -> int | None:
    """A paragraph parent to start from instead, when the page's structured data says the article is elsewhere.

    Only where the two disagree: the element marked `itemprop="articleBody"` is neither inside the container nor
    around it, or the container holds little of the JSON-LD `articleBody` text while another strong paragraph
    parent holds most of it (`marked`: the `_marked_body`, if any). The structured data only points: the text
    read is still the page's own (a content farm's insertions into the displayed article are not in its JSON-LD).
    """
    if marked is not None and not _related(marked, container):
        inside = weights.parents_under(marked)
        if inside:
            return inside[0]
    body = _ld_body_tokens(tree) if marked is None else Counter()
    if sum(body.values()) < MIN_CLUSTER_WORDS:
        return None
    held = _coverage(container, body)
    if held >= LD_AGREES:
        return None
    scored = [(_coverage(weights.paths_of[k][0], body), k) for k in weights.strong_parents(LD_CANDIDATES)]
    share, best = max(scored, default=(0.0, None))
    return best if share >= LD_AGREES and share > LD_BETTER * held else None


def find_article(tree, structured: bool = True, elements: PageElements | None = None) -> ArticleChoice:
    """The article container of a parsed page (selectolax LexborHTMLParser), or why there is none.

    `structured=False` says the page's source has no "articleBody" anywhere (the caller's cheap substring test),
    which spares the two queries for structured data. `elements`: `page_elements` of the page's body (or root),
    if the caller has them.
    """
    root = tree.body or tree.root
    if root is None:
        return ArticleChoice(None, None, False, "empty page")
    marked = _marked_body(tree) if structured else None
    weights = _Weights(root, frozenset(n.mem_id for n in [marked, *_ancestors(marked)]) if marked else frozenset())
    elements = elements or page_elements(root)
    for p in elements.paragraphs:
        w = _paragraph_words(p)
        if w:
            weights.add(p, w)
    # Text written straight into block containers (CNN's <div class="zn-body__paragraph">, <br>-separated
    # forum and blog posts): their own text, without the <p>s and other elements inside them. A list item counts
    # from a run's length (MIN_RUN_WORDS): a post written as list items is an article, while a menu's or a teaser
    # list's dozens of short items would outscore one (mozilla/readability's ehow and mozilla pages).
    for node in elements.holders:
        # (inline: a page has ~300 of them, and most have no text of their own: blank, no words to count)
        text = node.text(deep=False)
        if not text or text.isspace():
            continue
        words = count_words(text)
        if words >= MIN_HOLDER_WORDS and (words >= MIN_RUN_WORDS or node.tag != "li"):
            weights.add(node, float(words), _loose_points(node, float(words)))
    weights.settle()
    page = int(weights.weight.get(root.mem_id, 0))
    if page < MIN_ARTICLE_WORDS:
        return ArticleChoice(None, None, False, f"no article: {page} words of prose on the page")
    node = weights.choose()
    guided = _guided_best(tree, weights, node, marked) if structured and node is not None else None
    if guided is not None and guided != weights.best:
        node = weights.choose(guided, rejected=node)
    if node is None or weights.direct_words[weights.best] < MIN_CLUSTER_WORDS:
        # the best paragraph cluster is a teaser card, not an article (a section front, a product grid)
        return ArticleChoice(None, None, False, f"no article: no element holds {MIN_CLUSTER_WORDS}+ words "
                                                        "of prose paragraphs")
    prose = int(weights.weight.get(node.mem_id, 0.0))
    if prose < MIN_ARTICLE_WORDS:
        return ArticleChoice(None, None, False, f"no article: {prose} words of prose in its best element")
    title, inside = _title(elements.headings, tree, node, weights)
    return ArticleChoice(node, title, inside, _label(node), weights)
