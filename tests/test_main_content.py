"""Main content: the article of a page is scored, its chrome is counted; pages without an article are kept.

The real pages are the public Article Extraction Benchmark vendored in bench/realpages (MIT); only pages of its
development half are used here.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench.realpages import corrupt_page, load_page, load_pages, token_f1
from scoring.extract import COLLECTION, DISCUSSION, HOME, PRODUCT, TEASERS, extract
from scoring.main_content import marks_chrome

ARTICLE = ("The council said the new bridge cost 48 million dollars, about nine million more than the estimate. "
           "Engineers expect it to carry twenty thousand vehicles a day once the roads around it are finished. ")


def page(body: str, title: str = "Bridge opens") -> str:
    return f"<html><head><title>{title} | The Courier</title></head><body>{body}</body></html>"


def article_html(paragraphs: int = 6, extra: str = "") -> str:
    paras = "".join(f"<p>{ARTICLE}</p>" for _ in range(paragraphs))
    return page(
        '<header class="masthead"><a href="/">The Courier</a><nav><a href="/a">World</a> <a href="/b">Sport</a></nav>'
        '</header><main><article><h1>Bridge opens</h1><div class="share-bar">Share on Facebook Twitter</div>'
        f'<div class="article-body">{paras}{extra}</div>'
        '<ul class="related-links"><li><a href="/x">Another story about something else</a></li></ul></article>'
        '<aside class="sidebar"><p>Most read today: a long teaser paragraph about an unrelated story.</p></aside>'
        '</main><footer><p>&copy; 2024 The Courier. All rights reserved.</p></footer>')


def test_article_text_without_the_chrome_around_it():
    doc = extract(article_html())
    assert doc.text.splitlines()[0] == "Bridge opens"          # the title once (not <title> and <h1> both)
    assert doc.text.count("Bridge opens") == 1
    assert doc.text.count("The council said") == 6
    for chrome in ("World", "Share on Facebook", "Another story", "Most read", "All rights reserved"):
        assert chrome not in doc.text
    assert doc.chrome_words >= 25  # counted, not lost
    assert "article-body" in doc.content


def test_what_the_page_put_inside_the_article_flow_stays():
    promo = "Limited offer: 40% off designer watches this week only, with free delivery. Shop now!"
    doc = extract(article_html(extra=f"<p>{promo}</p><ul><li>Ten holiday destinations you never heard of</li></ul>"))
    assert promo in doc.text and "Ten holiday destinations" in doc.text


def test_the_furniture_after_the_last_paragraph_is_chrome():
    trailer = ('<p>Follow The Courier on Facebook, Twitter and Instagram.</p><h3>Comments</h3><div>Advertisement</div>'
               '<ul><li><a href="/a">Ten holiday destinations you never heard of</a></li>'
               '<li><a href="/b">The mayor answers readers on the new bridge</a></li></ul>')
    plain = extract(article_html())
    doc = extract(article_html(extra=trailer))
    assert doc.text == plain.text
    assert doc.chrome_blocks == plain.chrome_blocks + 5           # counted, not lost


def test_the_tool_bar_before_the_first_paragraph_is_chrome_but_a_linked_lead_is_not():
    # Old news pages put their tool bar between the title and the first paragraph (goose3's tests)
    paras = "".join(f"<p>{ARTICLE}</p>" for _ in range(6))
    links = ('<li><a href="/e">e-mail this story</a></li><li><a href="/p">print this story</a></li>'
             '<li><a href="/r">order a reprint</a></li>')
    tools = f'<h2>Story Tools</h2><ul class="story-tools">{links}</ul>'
    lead = '<p><a href="/v">James Van Der Beek</a> has been <a href="/d">eliminated</a> from the show.</p>'

    def body(before: str) -> str:
        return page(f"<article><h1>Bridge opens</h1>{before}{paras}</article>")

    plain, doc = extract(body("")), extract(body(tools))
    assert doc.text == plain.text and doc.chrome_blocks == plain.chrome_blocks + 4
    assert [(b.index, b.start, b.end) for b in doc.blocks] == [(b.index, b.start, b.end) for b in plain.blocks]
    kept = extract(body(tools + lead))
    assert "James Van Der Beek has been eliminated" in kept.text      # a lead paragraph, however many links
    assert "print this story" not in kept.text
    pasted = extract(body(f"<ul>{links}</ul>"))                      # without its markup: what a farm pastes
    assert "print this story" in pasted.text
    # a slideshow's slide titles above the story (CNN in newspaper4k's tests), links or not
    slides = "".join(f'<div class="cnn_html_slideshow_title">Weather threatens holiday plans {n}</div>'
                     for n in range(6))
    shown = extract(body(slides))
    assert shown.text == plain.text and shown.chrome_blocks == plain.chrome_blocks + 6
    assert "Weather threatens" in extract(body(slides.replace("slideshow_", ""))).text


def test_a_comment_thread_longer_than_the_article_is_chrome_a_chrome_named_wrapper_is_not():
    # goose3's tests: readers' comments after a short article hold most of the page's prose
    comment = ("I have read the report and I do not agree with the council at all, since the bridge was late and "
               "the money could have gone to the schools and the roads that were promised to us years ago. ")
    thread = "".join(f"<h3>Reader {n}</h3><p>{comment * 3}</p>" for n in range(5))  # more words, fewer paragraphs
    article = "".join(f"<p>{ARTICLE}</p>" for _ in range(12))
    doc = extract(page(f'<div class="main"><h1>Bridge opens</h1><div class="story">{article}</div>'
                       f'<div class="visitors_comment_block">{thread}</div></div>'))
    assert doc.text.count("The council said") == 12 and "I have read the report" not in doc.text
    wrapped = extract(page(f'<div class="page has-sidebar"><h1>Bridge opens</h1>{article}</div>'))
    assert wrapped.text.count("The council said") == 12


def test_a_list_that_a_furniture_label_introduces_is_trailer():
    # each item has its dek unlinked (under half linked): the label says what the list is
    items = "".join(f'<li><a href="/{i}">Story number {i} of the week</a> and what it means for the town</li>'
                    for i in range(5))
    doc = extract(article_html(extra=f"<div>More great stories</div><ul>{items}</ul>"))
    assert doc.text == extract(article_html()).text

def test_a_heading_at_the_end_heads_furniture():
    doc = extract(article_html(extra="<h3>Tell us what YOU think...</h3><div>Advertisement</div>"))
    assert doc.text == extract(article_html()).text
    prose = "<h3>All these products and many more are in our shop, and the big winter sale has already begun.</h3>"
    assert "winter sale" in extract(article_html(extra=prose)).text  # a sentence set large is not a heading
    quote = "<h4>The bridge was late. It stands now.</h4>"
    assert "It stands now." in extract(article_html(extra=quote)).text  # a pull quote ends in a full stop


def test_an_article_written_in_divs_has_a_trailer_too():
    divs = "".join(f"<div>{ARTICLE}</div>" for _ in range(4))
    doc = extract(page(f"<div id=story><h1>Bridge opens</h1>{divs}<div>Related</div><div>Advertisement</div></div>"))
    assert doc.text.count("The council said") == 4 and "Related" not in doc.text

def test_common_closing_lines_are_trailer():
    for line in ("This entry was posted in News. Bookmark the permalink.",
                 "Follow The Courier Opinion section on Facebook and Twitter.",
                 "We want to hear what you think about this article. Submit a letter to the editor.",
                 "About the author",
                 # a science news site's closing notice and how to cite the story (phys.org, development half)
                 "This document is subject to copyright. Apart from any fair dealing for the purpose of private "
                 "study or research, no part may be reproduced without the written permission.",
                 "Citation: Bridge opens (2019, November 18) retrieved 20 November 2019 from "
                 "https://courier.example/news/bridge.html"):
        assert extract(article_html(extra=f"<p>{line}</p>")).text == extract(article_html()).text, line

def test_teaser_cards_after_the_article_are_trailer():
    cards = "".join(f'<div><a href="/{i}">Diet number {i}</a></div><div>Lose five kilos in a week, menu inside.</div>'
                    for i in range(4))
    doc = extract(article_html(extra=f"<h2>Most popular diets</h2>{cards}"))
    assert doc.text == extract(article_html()).text
    ending = '<div><a href="/report">The full report</a></div><div>The council meets again on Monday.</div>'
    assert "meets again" in extract(article_html(extra=ending)).text  # one linked line is no list of cards

DEK = ("Drawing on data from outside studies and a survey of its own readers, the council's transport team "
       "explains what the new bridge tolls will cost commuters who cross the river twice a day.")  # (32 words)


@pytest.mark.parametrize("href, front", [("/news/story-{}", True), ("https://shop{}.example/kettle", False)])
def test_a_page_of_teaser_cards_is_a_section_front(href, front):
    """A text that is mostly teaser cards, a linked headline to the site's own page and a short dek each (five or
    more: a news front, a topic page, a listing), is no article (2026's web: 13 such pages, none an article); a
    buying guide whose headlines link to shops stays an article, and a few cards after an article are its trailer."""
    cards = "".join(f'<div class="card"><h3><a href="{href.format(i)}">Bridge story number {i}</a></h3><p>{DEK}</p>'
                    f'</div>' for i in range(6))
    doc = extract(page(f'<main><h1>Transport news</h1><p>{ARTICLE}</p><div class="grid">{cards}</div></main>'),
                  "https://courier.example/news/transport")
    assert doc.no_main_content is front and (doc.content == TEASERS) is front
    trailed = extract(article_html(extra="".join(f'<div><a href="/s{i}">Story {i}</a></div><div>{DEK}</div>'
                                                 for i in range(4))))
    assert not trailed.no_main_content and DEK not in trailed.text


def test_an_article_that_ends_short_keeps_its_end():
    ending = ("<p>He declined to comment.</p><p>Ingredients you will need:</p>"
              "<ul><li>two cups of flour</li><li>one egg</li></ul>")
    doc = extract(article_html(extra=ending))
    for text in ("He declined to comment.", "Ingredients you will need:", "two cups of flour", "one egg"):
        assert text in doc.text


def test_only_the_end_is_trimmed():
    """Furniture between paragraphs is the article flow (what the injection and boilerplate signals judge)."""
    middle = "<p>Follow The Courier on Facebook, Twitter and Instagram.</p><div>Advertisement</div>"
    doc = extract(page(f"<article><h1>Bridge opens</h1><p>{ARTICLE}</p>{middle}<p>{ARTICLE}</p>"
                       f"<p>{ARTICLE}</p></article>"))
    assert "Follow The Courier" in doc.text and "Advertisement" in doc.text


def test_trimming_never_leaves_less_than_an_article():
    doc = extract(page(f"<article><h1>Bridge opens</h1><p>{ARTICLE}</p><p>{ARTICLE}</p>"
                       "<p>Follow us on Twitter and subscribe to our newsletter for more news like this.</p>"
                       "</article>"))
    assert "Follow us on Twitter" not in doc.text
    short = extract(page(f"<article><h1>Bridge opens</h1><p>{ARTICLE}</p><p>{ARTICLE[:60]}</p>"
                         "<p>Follow us on Twitter and subscribe to our newsletter for more news like this, "
                         "because every day we write about bridges, roads and the council of our city.</p>"
                         "</article>"))
    assert "Follow us on Twitter" in short.text   # what is left would be under an article's length


def test_articles_split_into_sections_are_gathered():
    section = "".join(f"<p>{ARTICLE}</p>" for _ in range(3))
    body = (f'<article><h1>Bridge opens</h1><section class="body-part">{section}</section>'
            f'<div class="ad-slot">Advertisement</div><section class="body-part">{section}</section></article>')
    doc = extract(page(body))
    assert doc.text.count("The council said") == 6 and "Advertisement" not in doc.text
    assert doc.chrome_blocks == 1  # the ad slot inside the article


def test_sections_shaped_like_the_longest_are_gathered_however_short():
    # Medium: the story in <section>s of the same markup, the first far shorter than the second
    def section(n: int) -> str:
        paras = "".join(f"<p>{ARTICLE}</p>" for _ in range(n))
        return f'<section class="s1 s2"><div class="n p"><div class="z ab">{paras}</div></div></section>'
    # (each short section too weak beside the long one to be a cluster of its own: under a fifth of its points)
    other = "Another section goes on with its own words about the river crossing. "
    short = section(2).replace(ARTICLE, other * 3)
    doc = extract(page(f"<article><div>{short}{section(12)}{short}{short}</div></article>"))
    assert doc.text.count(other.strip()) == 18 and doc.text.count("The council said") == 12


def test_a_rail_outside_the_article_element_stays_out():
    # a live-news rail of short items beside the story pulls the container up unless <article> bounds it
    rail = "".join(f'<li class="live-item"><div class="live-content"><p>{i}:00 Another short news item about '
                   f'something else entirely that happened in another town today.</p></div></li>' for i in range(8))
    paras = "".join(f"<p>{ARTICLE}</p>" for _ in range(3))
    doc = extract(page(f'<div class="main"><article><h1>Bridge opens</h1><div>{paras}</div></article>'
                       f'<ul class="live-feed">{rail}</ul></div>'))
    assert doc.text.count("The council said") == 3 and "short news item" not in doc.text


@pytest.mark.parametrize("entries, heading, whole", [(4, "<h3>Course {}</h3>", True), (2, "<h3>Course {}</h3>", False),
                                                     (4, "<span>Reply {}</span>", False)])
def test_a_list_whose_entries_are_articles_is_read_whole(entries, heading, whole):
    """A guide whose entries are each an <article> of one class with its own heading, between ad slots (timeout.com's
    40 courses as <article class="tile">: read as its first entry, F1 0.08 on 2026's web), is read whole from
    ENTRY_ARTICLES (3) entries on; fewer, or entries without headings (a forum thread's replies), stay bounded by
    the <article> around the best one, as the story beside a rail is."""
    tile = ('<article class="tile">' + heading + '<div class="summary"><p>{}</p><p>{}</p></div></article>'
            '<div class="ads-inline"><span>Advertising</span></div>')
    tiles = "".join(tile.format(i, ARTICLE, ARTICLE) for i in range(entries))
    doc = extract(page(f'<section class="list-main"><h1>The best courses</h1><div class="zone">{tiles}</div></section>'))
    assert doc.text.count(ARTICLE.strip()) == (2 * entries if whole else 2)
    assert "Advertising" not in doc.text


def test_a_docs_section_named_after_its_heading_is_no_chrome():
    # docutils names each section after its heading: "sharing-..." is an anchor, not a share bar
    paras = "".join(f"<p>{ARTICLE}</p>" for _ in range(3))
    body = (f'<div class="document"><h1>Bridge opens</h1>{paras}'
            f'<div class="section" id="sharing-with-a-single-developer"><h2>Sharing with a single developer</h2>'
            f'{paras}</div></div>')
    doc = extract(page(body))
    assert doc.text.count("The council said") == 6
    inside = [b for b in doc.blocks if "The council said" in b.text][-1]
    assert "sharing" not in inside.hints
    # a short id spelled by its heading is the widget's own name
    assert marks_chrome("section", {"id": "comments"})


def test_a_class_run_together_from_chrome_words_is_chrome():
    assert marks_chrome("div", {"class": "jp-relatedposts"}) and marks_chrome("div", {"class": "navbox"})
    assert not marks_chrome("div", {"class": "commentbody postbody"}) and not marks_chrome("div", {"class": "address"})


def test_an_article_in_a_page_builders_text_widgets_is_found():
    """Elementor calls every component a widget: an article in several text widgets (none holding most of it) is
    the article, and its paragraphs carry no "widget" hint for the block signals; its share widget is chrome."""
    def widget(kind: str, inner: str) -> str:
        return (f'<div class="elementor-element elementor-widget elementor-widget-{kind}"><div '
                f'class="elementor-widget-container">{inner}</div></div>')
    body = "".join(widget("text-editor", f'<div class="elementor-text-editor"><p>{ARTICLE}</p><p>{ARTICLE}</p></div>')
                   for _ in range(3))
    doc = extract(page(f'<div class="elementor-widget-wrap">{widget("share-buttons", "Share on Facebook")}{body}</div>'))
    assert doc.text.count(ARTICLE.strip()) == 6 and "Share on Facebook" not in doc.text
    assert not any("widget" in b.hints for b in doc.blocks)
    assert marks_chrome("div", {"class": "elementor-widget-share-buttons"})
    assert marks_chrome("div", {"class": "widget widget_recent_entries"})  # a WordPress sidebar's widget still is


def test_an_article_in_siteorigin_panels_is_found():
    """SiteOrigin's Page Builder makes each panel a WordPress widget ("so-panel widget widget_sow-editor"): an
    article in such panels is the article (2026's web: an electrician's price guide was "no article"); a panel that
    is a menu ("widget_nav_menu") stays chrome."""
    def panel(kind: str, inner: str) -> str:
        return f'<div class="so-panel widget widget_{kind}"><div class="textwidget">{inner}</div></div>'
    body = "".join(panel("sow-editor", f"<p>{ARTICLE}</p><p>{ARTICLE}</p>") for _ in range(3))
    menu = panel("nav_menu", "<ul><li>Home</li><li>Pricing</li><li>Contact</li></ul>")
    doc = extract(page(f'<div class="panel-layout"><div class="panel-grid-cell">{menu}{body}</div></div>'))
    assert not doc.no_main_content and doc.text.count(ARTICLE.strip()) == 6 and "Pricing" not in doc.text


def test_a_widget_named_by_what_it_holds_is_that_thing():
    """A buying guide's reviews in "c-product-widget" boxes are its article, and their blocks carry no "widget" hint
    for the block signals (2026's web: reviewed.com's article was read as one product, F1 0.18); "widget" alone or
    first, or after a builder's generic word, is still chrome (WordPress's sidebar boxes, an embedded gallery)."""
    review = '<div class="c-product-widget c-product-widget--big"><h3>{}</h3><p>{}</p><p>{}</p></div>'
    intro = f"<p>{ARTICLE}</p>"
    doc = extract(page(intro + "".join(review.format(f"Kettle {i}", ARTICLE, ARTICLE) for i in range(4))))
    assert doc.text.count(ARTICLE.strip()) == 9 and "Kettle 3" in doc.text
    assert not any("widget" in b.hints for b in doc.blocks)
    for chrome in ("widget widget_recent_entries", "widget-area", "dnd-widget-wrapper type-full-gallery",
                   "smg-zone-widget"):
        assert marks_chrome("div", {"class": chrome}), chrome
    assert not marks_chrome("div", {"class": "c-product-widget"}) and not marks_chrome("div", {"class": "articleWidgetHTML_root"})


def test_a_call_to_action_box_is_chrome():
    """A box the page names a call to action ("cta") is the site's promotion, not the article's text."""
    pitch = "Would you like to write for us? Join our contributor program and share your voice with millions of readers."
    doc = extract(article_html(extra=f'<div class="cta-fandom-contributor"><p>{pitch}</p></div>'))
    assert doc.text.count(ARTICLE.strip()) == 6 and "contributor program" not in doc.text
    assert marks_chrome("div", {"class": "hs-cta-wrapper"})


def test_an_article_in_hubspot_widgets_is_found():
    """HubSpot's CMS wraps every module, the article's text too, in "hs_cos_wrapper_widget" inside "widget-span
    widget-type-...": an article there is the article (2026's web: cbcbank.com's 1,680 words were "no article"),
    while a module whose type names chrome ("widget-type-menu") still is chrome."""
    def module(kind: str, inner: str) -> str:
        return (f'<div class="span12 widget-span widget-type-{kind} dnd-module"><div class="hs_cos_wrapper '
                f'hs_cos_wrapper_widget hs_cos_wrapper_type_module"><span class="hs_cos_wrapper hs_cos_wrapper_widget '
                f'hs_cos_wrapper_type_rich_text">{inner}</span></div></div>')
    body = "".join(module("custom_widget", f"<h3>Part {i}</h3><p>{ARTICLE}</p><p>{ARTICLE}</p>") for i in range(3))
    doc = extract(page(f'<div class="row-fluid">{module("menu", "<p>Home</p><p>Savings</p><p>Loans</p>")}{body}</div>'))
    assert not doc.no_main_content and doc.text.count(ARTICLE.strip()) == 6 and "Savings" not in doc.text
    assert not any("widget" in b.hints for b in doc.blocks)
    assert marks_chrome("div", {"class": "span12 widget-span widget-type-menu"})


def test_an_article_written_as_list_items_is_found():
    """A post whose paragraphs are list items (a blog's film notes, one <li> each) is an article; items of a
    few words are a menu or a teaser list, and never make one (mozilla/readability's ehow and mozilla pages)."""
    items = "".join(f"<li>{ARTICLE}</li>" for _ in range(3))
    doc = extract(page(f'<div class="entry-content"><ul><li>Bridge notes (2024)</li>{items}</ul></div>'))
    assert doc.text.count(ARTICLE.strip()) == 3
    menu = "".join(f"<li>Local news and weather {i}</li>" for i in range(40))
    doc = extract(page(f'<ul class="topics">{menu}</ul><div class="story">{"".join(f"<p>{ARTICLE}</p>" * 2)}</div>'))
    assert doc.content == "div.story"


def test_chinese_and_japanese_text_has_words_too():
    # no spaces: counted by whitespace, each paragraph would be one word and the page would have no article
    zh = "新大桥今天正式通车，市议会表示工程总造价为四千八百万元，比预算多出约九百万元。工程师预计每天将有两万辆汽车通过。"
    doc = extract(page("<nav><a href=/>首页</a></nav><div>" + "".join(f"<p>{zh}</p>" for _ in range(4)) + "</div>"))
    assert not doc.no_main_content and doc.text.count("新大桥") == 4

def test_an_article_in_noscript_is_read():
    # a script-built page (a blog's dynamic view) keeps the article for readers without scripts in <noscript>
    paras = "".join(f"<p>{ARTICLE}</p>" for _ in range(4))
    doc = extract(page(f"<div id=app></div><noscript><h1>Bridge opens</h1>{paras}</noscript>"))
    assert doc.text.count("The council said") == 4

def test_short_paragraphs_each_in_its_own_wrapper_are_an_article():
    short = "The council met on Monday to discuss the new budget for the town."
    body = "".join(f'<div class="para"><p>{short}</p></div>' for _ in range(10))
    doc = extract(page(f"<h1>Budget</h1><div class=story>{body}</div>"))
    assert not doc.no_main_content and doc.text.count("The council met") == 10


def test_text_written_into_divs_and_br_lines_is_found():
    divs = "".join(f'<div class="para">{ARTICLE}</div>' for _ in range(4))
    assert extract(page(f"<div id=story>{divs}</div>")).text.count("The council said") == 4
    lines = "<br><br>".join(ARTICLE for _ in range(4))
    assert extract(page(f"<div>{lines}</div>")).text.count("The council said") == 4


def test_br_separated_paragraphs_score_as_paragraphs():
    # as one text holder, the post would score as one paragraph and lose to the three teasers beside it
    post = "<br><br>".join(ARTICLE for _ in range(8))
    teaser = "A long teaser for another story on this site, with enough words in it to read as a paragraph of prose. "
    side = "".join(f"<p>{teaser}</p>" for _ in range(3)) + "".join(
        f'<div><a href="/{i}">More</a><p>Short note number {i} about the town and its weekly market.</p></div>'
        for i in range(6))
    doc = extract(page(f"<div><div><h1>Bridge opens</h1><div>{post}</div></div><div><div><h4>Elsewhere</h4>{side}"
                       "</div></div></div>"))
    assert doc.text.count("The council said") == 8 and "teaser" not in doc.text


@pytest.mark.parametrize("html, why", [
    (page("<ul>" + "".join(f"<li><a href=/{i}>Story number {i} of the day</a></li>" for i in range(60)) + "</ul>"),
     "links only"),
    (page("<form><input name=q><button>Search</button></form><p>No results.</p>"), "a form"),
    (page('<img src="a.jpg"><img src="b.jpg">'), "images only"),
    ('<frameset cols="50%,50%"><frame src="a.html"><frame src="b.html"></frameset>', "a frameset"),
    (page("".join(f'<div class="card"><h3><a href=/{i}>Headline {i}</a></h3><p>A short teaser.</p></div>'
                  for i in range(40))), "a grid of teasers"),
    ("", "empty"),
])
def test_pages_without_an_article_say_so(html, why):
    doc = extract(html)
    assert doc.no_main_content and doc.blocks == [] and doc.text == "", why
    assert doc.content, why


def test_chrome_markers():
    assert marks_chrome("nav", {}) and marks_chrome("div", {"class": "share-bar"})
    assert marks_chrome("div", {"class": "post-meta"}) and marks_chrome("div", {"role": "navigation"})
    assert marks_chrome("section", {"id": "comments"}) and marks_chrome("div", {"class": "relatedPosts"})
    assert not marks_chrome("div", {"class": "article-body"}) and not marks_chrome("div", {"class": "comment-content"})
    # judged token by token: a wrapper with "has-sidebar" is marked (find_article keeps wrappers of most prose)
    assert marks_chrome("div", {"class": "entry-content has-sidebar"})
    assert not marks_chrome("p", None)
    # the names component frameworks give elements (React's data-testid...) read like a class
    assert marks_chrome("div", {"class": "flex mx-auto", "data-identity": "billboard-ad"})
    assert marks_chrome("footer", {"data-testid": "x"}) and marks_chrome("div", {"data-testid": "social-share"})
    assert not marks_chrome("div", {"data-testid": "article-body"}) and not marks_chrome("div", {"data-ad": "related"})


# -- real pages (development half) --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_dev_pages():
    return load_pages("dev")[:12]


def test_real_pages_extraction_finds_the_article(real_dev_pages):
    scores = [token_f1(extract(p.html).text, p.article)[2] for p in real_dev_pages]
    assert sum(scores) / len(scores) > 0.96, [round(s, 2) for s in scores]   # 0.974 measured
    whole = [token_f1(extract(p.html, main_content=False).text, p.article)[2] for p in real_dev_pages]
    assert sum(scores) > sum(whole) + 0.1 * len(scores)  # much closer to the article than the whole page


@pytest.mark.slow
def test_real_clean_pages_are_kept_and_a_promo_inside_is_found(real_dev_pages, default_model):
    from scoring.scorer import Scorer

    scorer = Scorer()
    reports = {p.id: scorer.score_html(p.html, p.url) for p in real_dev_pages}
    english = [r for r in reports.values() if r.language == "en"]
    assert len(english) >= 8
    assert [(r.source, r.flags) for r in english if r.action != "keep"] == []
    # A content farm's promo pasted between the article's paragraphs of one of them: found, with its evidence
    # inside the article.
    target = next(p for p in real_dev_pages if reports[p.id].language == "en" and reports[p.id].status == "scored")
    injected = corrupt_page(load_page(target.id), "injection", 0)
    report = scorer.score_html(injected.html, target.url)
    promo = injected.truth[0]
    clean = reports[target.id]
    assert report.signals["injection"].score > clean.signals["injection"].score
    evidence = [e for e in report.signals["injection"].evidence if promo in e.text or e.text in promo]
    assert evidence, [e.text for e in report.signals["injection"].evidence]
    start = report.text.index(promo)
    assert any(e.start <= start < e.end for e in evidence)
    article_words = re.findall(r"\w+", target.article.lower())
    before = re.findall(r"\w+", report.text[:start].lower())
    assert len(before) > 10 and set(before[-5:]) <= set(article_words)  # placed after article text, not chrome


# -- guidance from the page's own markup ----------------------------------------------------------------------------
LETTER = ("Dear editor, my family has lived beside the river for forty years and we were never asked about the "
          "route, the noise or the trucks that will pass our school every morning from now on. ")


def two_blocks(article_attrs: str = "", head: str = "", letters: int = 14) -> str:
    """An article of four paragraphs and, in another column, a much longer run of readers' letters (no chrome
    words in its class): by points alone the letters win."""
    story = "".join(f"<p>{ARTICLE}</p>" for _ in range(4))
    mail = "".join(f"<p>{LETTER}</p>" for _ in range(letters))
    return (f"<html><head><title>Bridge opens | The Courier</title>{head}</head><body><h1>Bridge opens</h1>"
            f'<div class="column-a"><div class="story"{article_attrs}>{story}</div></div>'
            f'<div class="column-b"><div class="box"><div class="letters">{mail}</div></div></div></body></html>')


def ld_json(body: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Bridge opens", "articleBody": body}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_points_alone_pick_the_longer_block():  # the baseline the guidance tests below correct
    doc = extract(two_blocks())
    assert "Dear editor" in doc.text and "The council said" not in doc.text


def test_itemprop_article_body_overrides_the_points():
    doc = extract(two_blocks(' itemprop="articleBody"'))
    assert doc.text.count("The council said") == 4 and "Dear editor" not in doc.text
    assert "story" in doc.content


def test_json_ld_article_body_overrides_the_points_but_the_page_text_is_read():
    doc = extract(two_blocks(head=ld_json(ARTICLE * 4)))
    assert doc.text.count("The council said") == 4 and "Dear editor" not in doc.text
    # a truncated JSON-LD body (a teaser) still points the right way; the text itself comes from the page
    doc = extract(two_blocks(head=ld_json(ARTICLE.replace("million", "billion"))))
    assert doc.text.count("48 million") == 4 and "billion" not in doc.text


def test_json_ld_that_agrees_or_says_nothing_changes_nothing():
    plain = extract(two_blocks()).text
    assert extract(two_blocks(head=ld_json(LETTER * 3))).text == plain        # it agrees with the points
    assert extract(two_blocks(head=ld_json("Short teaser."))).text == plain   # too short to point anywhere
    assert extract(two_blocks(head='<script type="application/ld+json">{not json</script>')).text == plain


def test_a_lead_in_its_own_section_joins_the_body():
    lead = f'<div class="lead-block"><div class="text"><p>{LETTER}</p><p>{LETTER}</p></div></div>'
    body = "".join(f"<p>{ARTICLE}</p>" for _ in range(9))
    html = page(f'<article><h1>Bridge opens</h1><div class="content">{lead}'
                f'<div class="body-block"><div class="text">{body}</div></div></div></article>'
                '<footer><p>Published by The Courier, all rights reserved, since 1901 in print.</p></footer>')
    doc = extract(html)
    assert doc.text.count("Dear editor") == 2 and doc.text.count("The council said") == 9
    assert "Published by" not in doc.text


# -- the title and chrome inside blocks -----------------------------------------------------------------------------
def test_the_title_is_the_headline():
    body = "".join(f"<p>{ARTICLE}</p>" for _ in range(6))
    # the headline in the article's <header> (chrome to the walk): emitted once, as the title
    doc = extract(page(f'<article><header><h1>Bridge opens</h1></header><div class="body">{body}</div></article>'))
    assert doc.blocks[0].kind == "title" and doc.blocks[0].text == "Bridge opens"
    assert doc.text.count("Bridge opens") == 1
    # a logo <h1> the <title> does not repeat loses to the <title>'s headline part, without the site name
    doc = extract(page(f'<h1>The Courier</h1><div class="body">{body}</div>', title="New bridge opens in town"))
    assert doc.blocks[0].text == "New bridge opens in town"
    doc = extract(page(f'<h1 class="logo">The Courier</h1><div class="body">{body}</div>'))
    assert doc.blocks[0].text == "Bridge opens"


def test_captions_and_tag_links_in_plain_blocks_are_chrome_but_not_inside_a_sentence():
    body = "".join(f"<p>{ARTICLE}</p>" for _ in range(6))
    tags = "".join(f'<a href="/tag/{t}" rel="tag">{t} news</a>, ' for t in ("bridge", "council", "roads"))
    html = page(f'<div class="story">{body}<div class="photo"><img src="x.jpg"><span class="photoCaption">'
                'The bridge at dusk (Image: Courier)</span></div>'
                f'<p>Officials praised the <a href="/tag/bridge" rel="tag">bridge</a> project at the opening.</p>'
                f'<div>Tags {tags}</div></div>')
    doc = extract(html)
    assert "The bridge at dusk" not in doc.text and "council news" not in doc.text
    assert "Officials praised the bridge project at the opening." in doc.text
    assert doc.chrome_blocks >= 2


def test_parts_a_react_stream_sends_late_are_read_where_its_scripts_put_them():
    """Next.js streams the parts of a page that were not ready at the end of <body>, hidden, and a script moves each
    into its place: $RC into a boundary (its "Loading" fallback goes), $RS into a placeholder, also one inside a
    part moved before. They are read there, in order; without the scripts' calls they stay hidden."""
    first, second, third = (f"{word} paragraph of the article. {ARTICLE.strip()}" for word in ("First", "Second", "Third"))
    streamed = (f'<div hidden id="S:0"><p>{second}</p><div><template id="P:1"></template></div></div>'
                f'<div hidden id="S:1"><p>{third}</p></div>')
    article = (f'<article><h1>Bridge opens</h1><p>{first}</p><!--$?--><template id="B:0"></template>'
               '<div class="spinner">Loading the rest of the story</div><!--/$--></article>')
    calls = '<script>$RC("B:0","S:0")</script><script>$RS("S:1","P:1")</script>'
    doc = extract(page(article + streamed + calls))
    assert [b.text for b in doc.blocks] == ["Bridge opens", first, second, third]
    assert "Second paragraph" not in extract(page(article + streamed)).text


def test_a_sites_home_page_is_no_article():
    """The page at a site's root ("/", a language's "/en-us/", "/index.html") is its front, whatever it holds; the
    same page at an article's address, or at the root with a query (WordPress's "/?p=123"), is read."""
    html = article_html()
    for url in ("https://www.courier.example/", "https://courier.example", "https://courier.example/en-us/",
                "http://127.0.0.1:8000/index.html"):
        doc = extract(html, url)
        assert doc.no_main_content and doc.content == HOME and not doc.blocks, url
    for url in ("https://courier.example/news/bridge-opens", "https://courier.example/?p=123", "bridge.html"):
        assert not extract(html, url).no_main_content, url


def test_short_blocks_styled_as_buttons_are_controls_not_text():
    """A short line the page styles as a button (a "btn"/"button"/"cta" class on it or around it, role="button") is
    a control's label: "Buy Now", "Read More", "View Deal" are counted as chrome, and so is a line that is only a
    control's words however it is styled ("Learn more ›", a card's <p><b>Continue reading</b></p>). Longer text in
    such an element, a sentence that starts like one, and a form's own <button> stay text. (A "cta" box is chrome
    whatever its length: `test_a_call_to_action_box_is_chrome`.)"""
    body = "".join(f"<p>{ARTICLE}</p>" for _ in range(3))
    controls = ('<p><a class="btn btn-primary" href="/shop">Buy Now</a></p>'
                '<div class="ctaWrap"><a href="/deal">View Deal</a></div><div role="button">Read More</div>'
                '<p><a href="/more">Learn more ›</a></p><p><b>Continue reading</b></p>')
    longer = ('<div class="button-box"><p>Readers who sign up before June get the first issue of the magazine free.</p>'
              '</div><p>Read more about the bridge.</p>')
    html = page(f'<div class="story">{body}{controls}{body}{longer}<p><button>Vote</button></p>{body}</div>')
    doc = extract(html)
    assert not any(label in doc.text for label in ("Buy Now", "View Deal", "Read More", "Learn more", "Continue")), \
        doc.text
    assert "Readers who sign up before June" in doc.text and "Read more about the bridge." in doc.text
    assert "Vote" in doc.text
    assert doc.chrome_blocks >= 5


@pytest.mark.parametrize("html", [
    (Path(__file__).parent / "data" / "engine" / "bridge_injected.html").read_text(encoding="utf-8"),
    "<html><body><div><p>One <span>two</span></p><svg><p>in svg</p><title>t</title></svg><math><div>m</div></math>"
    "<template><p>never</p></template><td>cell</td><h1>Head</h1><noscript><p>x</p></noscript></div></body></html>",
    "<frameset><frame src=a.html><noframes><p>no frames</p></noframes></frameset>",
    "<p>loose <center>old <font>markup</font></center></p><article><section><main><blockquote>q</blockquote>"
    "</main></section></article><style>p{}</style><script>var p;</script>",
])
def test_one_walk_lists_what_the_css_queries_list(html):
    """`page_elements` replaces four CSS queries with one walk by tag id: the same elements, in the same order."""
    from selectolax.lexbor import LexborHTMLParser

    from scoring.extract import _TEXT_SKIPPED, _TEXT_SKIPPED_SELECTOR
    from scoring.main_content import LOOSE_TEXT_HOLDERS, page_elements

    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    found = page_elements(root, _TEXT_SKIPPED)
    queried = [root.css("p"), root.css(", ".join(LOOSE_TEXT_HOLDERS)), root.css("h1"), root.css(_TEXT_SKIPPED_SELECTOR)]
    for listed, by_query in zip(found, queried):
        assert [n.mem_id for n in listed] == [n.mem_id for n in by_query]


def test_the_declared_article_body_is_never_chrome():
    """WordPress classes every post's <article> with "author-<name>": read as an author box, the whole article was
    chrome, and with a long comment thread the page had "no article" (mozilla/readability's test page wordpress).
    The element the page marks itemprop="articleBody", and what holds it, are the article."""
    comments = "".join(f'<li class="comment"><p>{ARTICLE} I agree with the council on this.</p></li>' for _ in range(12))
    html = page('<main><article class="post entry author-sarah tag-bridges"><h1>Bridge opens</h1>'
                '<div class="entry-content" itemprop="articleBody">' + "".join(f"<p>{ARTICLE}</p>" for _ in range(6)) +
                f'</div></article><ol class="comment-list">{comments}</ol></main>')
    doc = extract(html)
    assert not doc.no_main_content and doc.text.count("The council said") == 6
    assert "I agree with the council" not in doc.text  # the comments stay chrome


@pytest.mark.parametrize("declaration", [
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "DiscussionForumPosting", '
    '"headline": "Bridge opens"}</script>',
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":["WebPage","QAPage"]}</script>',
    '<div itemscope itemtype="https://schema.org/QAPage"></div>',
    '<div itemType="https://schema.org/DiscussionForumPosting" itemscope=""></div>',  # (React's spelling)
])
def test_a_page_that_declares_itself_a_discussion_thread_is_no_article(declaration):
    """Forum threads and Q&A pages that say so (schema.org DiscussionForumPosting, QAPage: 71 of the 118 forum pages
    of 2026's web in a sixth check set, and no other page there) are not judged as articles: each post's author,
    counts and buttons read as chrome between paragraphs. A page that only writes the type's name stays an article."""
    thread = extract(article_html().replace("<head>", f"<head>{declaration}"))
    assert thread.no_main_content and not thread.text and thread.content == DISCUSSION
    about = extract(article_html(extra="<p>Mark a forum post up as a DiscussionForumPosting with its author.</p>"))
    assert not about.no_main_content and "DiscussionForumPosting" in about.text


@pytest.mark.parametrize("marked", [
    lambda html: html.replace("<body>", '<body id="phpbb" class="nojs notouch section-viewtopic ltr">'),  # phpBB
    lambda html: html.replace("<html>", '<html id="XF" data-template="thread_view">'),                    # XenForo
    lambda html: html.replace("<body>", '<body><div id="punviewtopic" class="pun">') + "</div>",          # FluxBB
])
def test_a_thread_that_its_forum_software_marks_is_no_article(marked):
    """A forum thread whose software says so in its markup (phpBB, XenForo, FluxBB) is a discussion thread, as
    one that declares it in schema.org is (2026's web: 7 phpBB and FluxBB threads declare nothing)."""
    html = article_html()
    assert not extract(html).no_main_content
    thread = extract(marked(html))
    assert thread.no_main_content and thread.content == DISCUSSION


PRODUCT_LD = '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product", "name": "Kettle"}</script>'
ARTICLE_LD = '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle"}</script>'


@pytest.mark.parametrize("declarations, product", [
    (PRODUCT_LD, True),
    ('<meta property="og:type" content="product">', True),
    (PRODUCT_LD + ARTICLE_LD, False),                           # a buying guide declares its products and itself
    (PRODUCT_LD + '<meta property="og:type" content="article">', False),
    ("", False),
])
def test_a_page_that_declares_itself_a_product_page_is_no_article(declarations, product):
    """A shop's product page that says so (schema.org Product or og:type product: 74 of the 100 product pages of
    the sixth check set, 12 collection and 4 service pages, no article) is no article; a page that declares an
    article type too stays one."""
    doc = extract(article_html().replace("<head>", f"<head>{declarations}"))
    assert doc.no_main_content is product
    assert (doc.content == PRODUCT) is product


COLLECTION_LD = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "WebSite"}, '
                 '{"@type": "CollectionPage", "name": "Bed sheets"}]}</script>')


@pytest.mark.parametrize("declarations, collection", [
    (COLLECTION_LD, True),
    ('<meta property="og:type" content="product.group">', True),
    (COLLECTION_LD + ARTICLE_LD, False),                        # an article that names the collection it is part of
    ('<meta property="og:type" content="article">', False),
])
def test_a_page_that_declares_itself_a_collection_is_no_article(declarations, collection):
    """A shop's category grid or a site's section front that says so (schema.org CollectionPage or og:type
    product.group: 23 pages of the sixth check set, none an article) is no article, whatever paragraph of shop copy
    it carries; a page that declares an article type too stays one."""
    doc = extract(article_html().replace("<head>", f"<head>{declarations}"))
    assert doc.no_main_content is collection
    assert (doc.content == COLLECTION) is collection
