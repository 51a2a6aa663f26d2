"""HTML -> blocks: kinds, offsets, DOM hints and link density, decoding, and hostile input."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.extract import decode_html, extract as extract_article, sniff_encoding


def extract(html, **kw):
    """Every block of the page: the DOM walk itself (main-content extraction is tests/test_main_content.py)."""
    return extract_article(html, main_content=False, **kw)


DATA = Path(__file__).parent / "data" / "engine"

PAGE = """<!DOCTYPE html><html><head><title>Bridge opens</title>
<style>p { color: red }</style><script>var hidden = "script text";</script></head>
<body class="single-post has-sidebar">
<nav class="mainNav" role="navigation"><ul><li><a href="/">Home</a></li><li><a href="/w">World</a></li></ul></nav>
<article class="entry-content">
<h1>Bridge opens</h1>
<p>The mayor <a href="/m">opened</a> the <b>new</b> bridge on Monday.</p>
<figure><img src="x.jpg" alt="alt text is not text"><figcaption>The bridge at dawn.</figcaption></figure>
<blockquote>It was worth the wait, she said.</blockquote>
<table><tr><td>Cost</td><td>48 million</td><td></td></tr></table>
<div class="adSlot">Limited offer<br><br>Free delivery</div>
<noscript>Enable JavaScript</noscript><template><p>template text</p></template>
<svg><text>svg text</text></svg>
<ul><li>First item <ul><li>Nested item</li></ul></li></ul>
Loose text in the article.
</article>
<footer><p>&copy; 2024 The Courier</p></footer>
</body></html>"""


def texts(doc):
    return [b.text for b in doc.blocks]


def test_blocks_in_order_with_kinds_and_exact_offsets():
    doc = extract(PAGE)
    got = [(b.kind, b.tag, b.text) for b in doc.blocks]
    assert got == [
        ("title", "title", "Bridge opens"),
        ("list_item", "li", "Home"),
        ("list_item", "li", "World"),
        ("heading", "h1", "Bridge opens"),
        ("paragraph", "p", "The mayor opened the new bridge on Monday."),
        ("caption", "figcaption", "The bridge at dawn."),
        ("quote", "blockquote", "It was worth the wait, she said."),
        ("table", "tr", "Cost | 48 million"),
        ("other", "div", "Limited offer"),
        ("other", "div", "Free delivery"),
        ("list_item", "li", "First item"),
        ("list_item", "li", "Nested item"),
        ("other", "article", "Loose text in the article."),
        ("paragraph", "p", "© 2024 The Courier"),
    ]
    assert doc.text == "\n".join(b.text for b in doc.blocks)
    for i, b in enumerate(doc.blocks):
        assert b.index == i
        assert doc.text[b.start:b.end] == b.text


def test_non_text_markup_is_dropped_but_chrome_is_kept():
    text = extract(PAGE).text
    for gone in ("script text", "color: red", "Enable JavaScript", "template text", "svg text", "alt text"):
        assert gone not in text
    for kept in ("Home", "Limited offer", "© 2024"):  # navigation, ads and footers are signals, not noise
        assert kept in text


def test_hints_link_density_and_depth():
    doc = extract(PAGE)
    by_text = {b.text: b for b in doc.blocks}
    home = by_text["Home"]
    assert home.link_density == 1.0
    assert {"nav", "main", "navigation"} <= set(home.hints)  # tag, camelCase class split, role
    para = by_text["The mayor opened the new bridge on Monday."]
    assert 0.1 < para.link_density < 0.3  # "opened" only
    assert {"article", "entry", "content"} <= set(para.hints)
    assert "sidebar" not in para.hints  # <body> classes describe the page, not its blocks
    ad = by_text["Limited offer"]
    assert ad.hints[:2] == ("ad", "slot")  # nearest element's words first
    assert by_text["© 2024 The Courier"].hints[0] == "footer"
    assert by_text["Nested item"].depth > by_text["First item"].depth > 0


def test_form_values_and_hidden_elements_are_not_text():
    doc = extract('<div><p>Shown text.</p><textarea hidden><form class="consent">Raw markup</form></textarea>'
                  '<textarea>Your comment</textarea><p hidden>Hidden paragraph.</p><div hidden><p>Inside.</p></div>'
                  '<p>Shown again.</p></div>')
    assert texts(doc) == ["Shown text.", "Shown again."]


def test_elements_an_inline_style_hides_are_not_text():
    """A closed menu or modal, or text a page keeps out of sight, is never read; a style that shows its element,
    or hides something else of it (`overflow: hidden`), is no reason to skip it."""
    doc = extract('<div><p>Shown text.</p><div style="display:none"><p>Closed menu.</p></div>'
                  '<p style="color: grey; VISIBILITY : hidden">Out of sight.</p><p style="display: block">Block.</p>'
                  '<p style="overflow: hidden">Clipped box.</p><p style="">Empty style.</p></div>')
    assert texts(doc) == ["Shown text.", "Block.", "Clipped box.", "Empty style."]


def test_elements_hidden_from_assistive_technology_are_not_text():
    """aria-hidden="true" marks what a page shows only for looks (a button's painted label over an empty link, an
    icon's letters, a pull quote repeating the text): mozilla/readability skips it too; "false" hides nothing."""
    doc = extract('<div><p>Shown text.</p><p><span aria-hidden="true">Get started for free</span>'
                  '<a href="/trial" aria-label="Get started for free"></a></p>'
                  '<p aria-hidden="false">Not hidden.</p><blockquote aria-hidden="true"><p>Pulled quote.</p>'
                  '</blockquote><p>Shown again.</p></div>')
    assert texts(doc) == ["Shown text.", "Not hidden.", "Shown again."]


def test_elements_styled_as_headings_are_headings():
    """ARIA's role="heading" and the frameworks' heading classes ("h4", "md:h5") make a <div> or <p> a heading;
    a class that only contains such letters ("mb-h1", "h100") does not."""
    doc = extract('<div><div class="h6 md:h5 lg:h4 mb-12">2. Student debt is depleting rural America</div>'
                  '<p>The first paragraph of the story.</p><div role="heading" aria-level="3">Worthy of your time</div>'
                  '<p class="h2">A paragraph styled as a heading</p><div class="mb-h1 h100">Not a heading</div></div>')
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "2. Student debt is depleting rural America"), ("paragraph", "The first paragraph of the story."),
        ("heading", "Worthy of your time"), ("heading", "A paragraph styled as a heading"), ("other", "Not a heading")]


def test_links_to_the_pages_own_parts_are_not_link_text():
    """A contents list or footnote mark leads to the same text; `#` or a fragment naming nothing is a script's
    button, and a path leaves the page: those are links."""
    doc = extract('<ul><li><a href="#history">History</a></li><li><a href="#old">Old</a></li>'
                  '<li><a href="#">Share</a></li><li><a href="#print-me">Print</a></li><li><a href="/w">World</a></li></ul>'
                  '<h2 id="history">History</h2><a name="old"></a><p>Text.</p>')
    assert {b.text: b.link_density for b in doc.blocks if b.kind == "list_item"} == {
        "History": 0.0, "Old": 0.0, "Share": 1.0, "Print": 1.0, "World": 1.0}


def test_links_spelling_out_the_pages_own_address_are_in_page():
    """A contents list may write each link as the page's full address and a fragment (spacelift.io's blog): the
    page's URL or its canonical link, with or without "www." or a trailing slash, or its path alone. The same
    fragment on another page's address leaves the page, and so does a name the page does not hold."""
    head = '<html><head><link rel="canonical" href="https://www.example.org/blog/tools/"></head><body><article>'
    items = [("https://example.org/blog/tools#git", "Git"), ("/blog/tools#git", "Path"),
             ("http://www.example.org/blog/tools/#git", "Canonical"), ("https://example.org/other#git", "Other"),
             ("https://example.org/blog/tools#nowhere", "Nowhere"), ("https://example.org/blog/tools#", "Bare")]
    body = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in items)
    page = f'{head}<p>{"A paragraph of the article. " * 12}</p><ul>{body}</ul><h2 id="git">Git</h2>' \
           f'<p>{"Another paragraph of it. " * 12}</p></article></body></html>'
    for url in ("https://example.org/blog/tools", "page.html"):  # the URL, or only the canonical link
        doc = extract(page, source=url)
        assert {b.text: b.link_density for b in doc.blocks if b.kind == "list_item"} == {
            "Git": 0.0, "Path": 0.0, "Canonical": 0.0, "Other": 1.0, "Nowhere": 1.0, "Bare": 1.0}, url


def test_inline_element_hints_reach_their_block():
    doc = extract('<p>Read it. <a class="share-link" href="#">Share</a></p>')
    assert "share" in doc.blocks[0].hints


def test_sample_page_paragraphs_come_out_verbatim():
    doc = extract((DATA / "bridge.html").read_bytes())
    article = (DATA / "bridge.txt").read_text(encoding="utf-8").splitlines()
    blocks = texts(doc)
    for paragraph in article[1:]:
        assert paragraph in blocks
    assert blocks.index(article[1]) < blocks.index(article[-1])


@pytest.mark.parametrize("data, expected", [
    ('<meta charset="iso-8859-1"><p>caf\xe9 cr\xe8me</p>'.encode("latin-1"), "café crème"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>\x93quoted\x94</p>'.encode("latin-1"),
     "\u201cquoted\u201d"),
    (codecs.BOM_UTF8 + "<p>naïve</p>".encode(), "naïve"),
    (codecs.BOM_UTF16_LE + "<p>naïve</p>".encode("utf-16-le"), "naïve"),
    ('<meta charset="shift_jis"><p>日本語</p>'.encode("shift_jis"), "日本語"),
    ('<meta charset="no-such-charset"><p>caf\u00e9</p>'.encode("utf-8"), "café"),  # unknown label: utf-8
])
def test_encodings_are_sniffed(data, expected):
    assert extract(data).blocks[-1].text == expected


def test_transport_encoding_beats_meta_but_not_bom():
    data = '<meta charset="utf-8"><p>caf\xe9</p>'.encode("latin-1")
    assert extract(data, encoding="iso-8859-1").text == "café"
    assert sniff_encoding(codecs.BOM_UTF8 + b"x", "latin-1") == ("utf-8", 3)


def test_invalid_utf8_and_nul_bytes_do_not_break_text():
    doc = extract(b"<p>good \xff\xfe bytes\x00 and NUL</p>")
    assert doc.blocks[0].text == "good \ufffd\ufffd bytes and NUL"
    assert "\x00" not in decode_html("a\x00b") and decode_html("\ud800x") == "\ufffdx"


def test_valid_utf8_bytes_read_as_their_text():
    """Valid UTF-8 goes to the parser as given (no re-encoding): the same text as the str, NUL bytes dropped."""
    page = "<p>caf\u00e9 \u2014 na\u00efve\x00 text</p>"
    assert decode_html(codecs.BOM_UTF8 + page.encode()) == decode_html(page) == "<p>caf\u00e9 \u2014 na\u00efve text</p>"
    assert extract(page.encode()).blocks[0].text == extract(page).blocks[0].text == "caf\u00e9 \u2014 na\u00efve text"


@pytest.mark.parametrize("html", ["", b"", "   \n ", "<html></html>", "<p></p><div>  </div>", "<!-- only a comment -->"])
def test_empty_pages_have_no_blocks(html):
    doc = extract(html)
    assert doc.blocks == [] and doc.text == ""


def test_binary_garbage_and_broken_markup():
    garbage = bytes(range(256)) * 40
    doc = extract(garbage)
    assert all(doc.text[b.start:b.end] == b.text and "\n" not in b.text for b in doc.blocks)
    doc = extract("<p>unclosed <b>bold <i>and <a href=x>link<p>next</div></span>")
    assert texts(doc) == ["unclosed bold and link", "next"]


def test_deep_nesting_is_walked_without_recursion():
    doc = extract("<div>" * 10_000 + "deep text" + "</div>" * 10_000)
    assert texts(doc) == ["deep text"]
    assert doc.blocks[0].depth > 9_000
    doc = extract("<span><b>" * 10_000 + "inline" + "</b></span>" * 10_000)
    assert texts(doc) == ["inline"]


def test_double_line_break_splits_loose_text():
    assert texts(extract("<div>one<br>same block<br><br>two</div>")) == ["one same block", "two"]


def test_max_chars_stops_extraction_early():
    doc = extract("<p>word word word</p>" * 100_000, max_chars=1_000)
    assert 990 <= len(doc.text) <= 1_000
    assert all(doc.text[b.start:b.end] == b.text for b in doc.blocks)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/ab=\"' \n\x00pdivlu&;#é\u2028")), max_size=300))
def test_any_markup_gives_exact_offsets(html):
    doc = extract(html)
    assert doc.text == "\n".join(b.text for b in doc.blocks)
    for b in doc.blocks:
        assert doc.text[b.start:b.end] == b.text and b.text.strip() == b.text and "\n" not in b.text
