"""The vendored real pages (bench/realpages/) and the corruptions bench.realpages writes into their HTML."""
from __future__ import annotations

import hashlib
import json
import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from bench import realpages as rp
from bench.corrupt import PROMOS
from bench.pages import map_truth
from scoring.extract import extract

NYT = "04a6711caa7c687592777718866e781e976e0fe684faebe8b3cedcef8cd0ea34"      # dev, en, <p> paragraphs
MACRUMORS = "232a43fb15abde807427b2a7bf4f772e27b8760554370956d8291df4e8166dbf"  # dev, en, text<br><br>text
SLASHGEAR = "06ee193de4bd611f7fafbab0c59b0f6fe3495093516720632cd093b24c7a0e98"  # test, en, <p> + <li>
ENTERMEDIA = "0ec95c7261d122f304728e90c983450ef1ce1e0b423546835c397d50aaf0d0f2"  # dev, Korean
PAGES = (NYT, MACRUMORS, SLASHGEAR)


def plain_text(html: str) -> str:
    """All rendered text, one line per block: the project's own whole-page extraction."""
    return extract(html, main_content=False).text


def text_nodes(html: str) -> list[str]:
    tree = LexborHTMLParser(html)
    return [n.text_content or "" for n in tree.root.traverse(include_text=True) if n.tag == "-text"]


# -- data and split ------------------------------------------------------------------------------------------
def test_split_is_the_documented_rule_and_covers_every_page():
    ids = set(rp.ground_truth())
    assert len(ids) == 181
    dev = {p.id for p in rp.load_pages("dev")}
    test = {p.id for p in rp.load_pages("test")}
    assert (len(dev), len(test)) == (85, 96)
    assert not dev & test and dev | test == ids
    for i in ids:
        expected = "dev" if hashlib.sha1(i.encode()).hexdigest()[0] in "01234567" else "test"
        assert rp.split_of(i) == expected
        assert (i in dev) == (expected == "dev")
    assert all(p.split == "dev" for p in rp.load_pages("dev"))
    with pytest.raises(ValueError):
        rp.load_pages("train")


def test_vendored_files_match_ground_truth():
    d = rp.DATA_DIR
    files = {p.name[: -len(".html.gz")] for p in (d / "html").glob("*.html.gz")}
    truth = json.loads((d / "ground-truth.json").read_text(encoding="utf-8"))
    assert files == set(truth)
    assert all(set(v) == {"articleBody", "url"} for v in truth.values())
    assert "MIT License" in (d / "LICENSE").read_text(encoding="utf-8")
    prov = (d / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "4a3bc979f76c0df73cb95fe272e2fc1b96f9f010" in prov and "2026-11-26" in prov
    page = rp.load_page(NYT)
    assert page.html.lstrip().lower().startswith(b"<!doctype html") or b"<html" in page.html[:2000]
    assert page.url.startswith("https://www.nytimes.com/") and page.article == truth[NYT]["articleBody"]


def test_token_f1_is_the_benchmark_method():
    assert rp.token_f1("The cat, the CAT sat", "the cat sat on the mat") == pytest.approx(
        (4 / 5, 4 / 6, 2 * (4 / 5) * (4 / 6) / (4 / 5 + 4 / 6)))
    assert rp.token_f1("", "anything") == (0.0, 0.0, 0.0)
    assert rp.token_f1("Same words", "same WORDS")[2] == 1.0


def test_language():
    assert rp.is_english(rp.load_page(NYT))
    assert not rp.is_english(rp.load_page(ENTERMEDIA))
    assert rp.language_of(rp.load_page(ENTERMEDIA)) == "ko"


# -- locating the article ----------------------------------------------------------------------------------
@pytest.mark.parametrize("page_id", PAGES)
def test_article_paragraphs_are_part_of_the_article(page_id):
    page = rp.load_page(page_id)
    pars = rp.article_paragraphs(rp.parse(page), page)
    assert len(pars) >= rp.MIN_PARAGRAPHS
    squeezed = re.sub(r"\s+", "", page.article)
    for par in pars:
        assert par.words >= rp.MIN_PARAGRAPH_WORDS and re.sub(r"\s+", "", par.text) in squeezed
    # they hold most of the article
    assert sum(p.words for p in pars) > 0.8 * len(page.article.split())


def test_loose_text_runs_are_paragraphs():
    page = rp.load_page(MACRUMORS)   # <div class="content">text<br><br>text...
    pars = rp.article_paragraphs(rp.parse(page), page)
    assert any(p.node is None and p.tag == "#text" for p in pars)


# -- corruptions -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", rp.KINDS)
def test_corruption_is_deterministic(kind):
    page = rp.load_page(NYT)
    a, b = rp.corrupt_page(page, kind, 1), rp.corrupt_page(page, kind, 1)
    assert a.html == b.html and a.truth == b.truth and a.truth
    assert rp.corrupt_page(page, kind, 2).html != a.html
    assert rp.corrupt_page(page, kind, 1, seed=1).html != a.html
    assert a.html != rp.clean_page(page).html


@pytest.mark.parametrize("page_id", PAGES)
@pytest.mark.parametrize("kind", rp.KINDS)
def test_truth_is_found_in_the_page_text(page_id, kind):
    cp = rp.corrupt_page(rp.load_page(page_id), kind, 2)
    truth = map_truth(cp, plain_text(cp.html))
    assert truth.missing == 0 and len(truth.spans) == cp.truth_count > 0
    text = plain_text(cp.html)
    for s, e, role in truth.spans:
        assert text[s:e] in cp.truth


@pytest.mark.parametrize("page_id", PAGES)
def test_injected_promo_sits_between_article_paragraphs(page_id):
    page = rp.load_page(page_id)
    cp = rp.corrupt_page(page, "injection", 0)      # one promo
    (promo,) = [p for p in cp.parts if p.role == "promo"]
    assert promo.texts[0] in PROMOS and promo.html.startswith("<p>") and "class=" not in promo.html
    assert promo.texts[0] in plain_text(cp.html).split("\n")
    tree = LexborHTMLParser(cp.html)
    pars = rp.article_paragraphs(tree, page)            # the promo is not in the article: same paragraphs
    assert len(pars) == len(rp.article_paragraphs(rp.parse(page), page))
    (node,) = [n for n in tree.css("p") if (n.text() or "").strip() == promo.texts[0]]
    assert not node.attributes                          # no telling class names
    parents = {p.parent.mem_id for p in pars}
    assert node.parent.mem_id in parents
    # between article paragraphs: some article paragraph comes after it
    order = {n.mem_id: i for i, n in enumerate(tree.root.traverse(include_text=True))}
    assert any(order[(p.node or p.nodes[0]).mem_id] > order[node.mem_id] for p in pars)


def test_headline_list_goes_between_article_paragraphs():
    page = rp.load_page(NYT)
    cp = rp.corrupt_page(page, "injection", 2)
    roles = [p.role for p in cp.parts]
    assert roles.count("promo") == 2 and roles.count("headline") == 2 and roles.count("headline_list") == 1
    listing = next(p for p in cp.parts if p.role == "headline_list")
    assert len(listing.texts) == 6                      # heading + 5 headlines
    own = rp.headline_of(rp.parse(page))
    assert own not in listing.texts and all(h in rp.other_headlines(page) for h in listing.texts[1:])
    tree = LexborHTMLParser(cp.html)
    pars = rp.article_paragraphs(tree, page)
    heading = next(n for n in tree.css("h3") if n.text().strip() == listing.texts[0])
    order = {n.mem_id: i for i, n in enumerate(tree.root.traverse(include_text=True))}
    last = pars[-1].node or pars[-1].nodes[0]
    assert order[heading.mem_id] < order[last.mem_id]   # some article paragraph follows the list
    assert "class=" not in listing.html


def test_boilerplate_widgets_are_plain_markup():
    cp = rp.corrupt_page(rp.load_page(NYT), "boilerplate", 2)
    widgets = [p for p in cp.parts if p.role.startswith("widget:")]
    assert len(widgets) == 6
    for w in widgets:
        assert not re.search(r"\s(class|id|role)=", w.html) and w.html.startswith(("<p>", "<div>"))


@pytest.mark.parametrize("page_id", PAGES)
def test_spin_changes_only_article_paragraph_text(page_id):
    page = rp.load_page(page_id)
    clean = rp.clean_page(page)
    spun = rp.corrupt_page(page, "spin", 2)
    before, after = text_nodes(clean.html), text_nodes(spun.html)
    assert len(before) == len(after)
    # the text nodes that hold article paragraphs, by position
    tree = LexborHTMLParser(clean.html)
    nodes = [n for n in tree.root.traverse(include_text=True) if n.tag == "-text"]
    article_ids = {s.node.mem_id for p in rp.article_paragraphs(tree, page) for s in p.segments if s.node is not None}
    changed = [i for i, (x, y) in enumerate(zip(before, after)) if x != y]
    assert changed and all(nodes[i].mem_id in article_ids for i in changed)
    for sel in ("title", "nav", "header", "footer"):
        a, b = LexborHTMLParser(clean.html).css_first(sel), LexborHTMLParser(spun.html).css_first(sel)
        assert (a is None) == (b is None) and (a is None or a.html == b.html)
    assert spun.stats["rate"] == pytest.approx(0.30, abs=0.05)


@pytest.mark.parametrize("page_id", PAGES)
def test_split_inserts_periods(page_id):
    page = rp.load_page(page_id)
    cp = rp.corrupt_page(page, "split", 2)             # 1/1: one inserted period per sentence
    assert cp.truth and all(re.fullmatch(r"\. [A-Z][A-Za-z]*", t) for t in cp.truth)
    clean_text, split_text = plain_text(rp.clean_page(page).html), plain_text(cp.html)
    assert split_text.count(".") - clean_text.count(".") == len(cp.truth) == cp.stats["changes"]
    assert cp.stats["rate"] > 0.6


def test_pages_with_too_few_paragraphs_are_not_corrupted():
    page = rp.load_page(next(i for i in rp.page_ids("dev") if i.startswith("7ab16ade")))  # a 2-paragraph page
    assert not rp.corruptible(page)
    with pytest.raises(rp.NotCorruptible):
        rp.corrupt_page(page, "spin", 0)
