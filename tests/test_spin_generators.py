"""The spin families of bench/spinners.py: rates, names, determinism, ground truth, the held-out family, sources.

Families other than the held-out one are checked on development pages; the held-out family (phrase
rewrites) only exists on the test split, so its checks use test pages: generator checks, nothing is scored
or tuned here.
"""
from __future__ import annotations

import random
import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from bench import corrupt as bc
from bench import realpages as rp
from bench import spinners as sp
from bench.data import Article
from bench.pages import map_truth
from scoring.extract import extract

NYT = "04a6711caa7c687592777718866e781e976e0fe684faebe8b3cedcef8cd0ea34"        # dev, <p> paragraphs
MACRUMORS = "232a43fb15abde807427b2a7bf4f772e27b8760554370956d8291df4e8166dbf"  # dev, text<br><br>text
SLASHGEAR = "06ee193de4bd611f7fafbab0c59b0f6fe3495093516720632cd093b24c7a0e98"  # test, <p> + <li>
OTHERS = [f for f in sp.FAMILIES if f != sp.DEFAULT_FAMILY]


def pages_for(family: str) -> list[str]:
    """Dev pages for the families a tuning run may use; test pages for the held-out family."""
    if sp.FAMILIES[family].held_out:
        return [SLASHGEAR, next(i for i in rp.page_ids("test") if _usable_en(i))]
    return [NYT, MACRUMORS]


def _usable_en(page_id: str) -> bool:
    page = rp.load_page(page_id)
    return page_id != SLASHGEAR and rp.is_english(page) and rp.corruptible(page)


def article_of(page_id: str) -> tuple[rp.RealPage, Article]:
    page = rp.load_page(page_id)
    return page, rp._adapter(page, rp.article_paragraphs(rp.parse(page), page))


def edits(article: Article, parts, offsets: bool = False) -> list[tuple]:
    """(paragraph, original string, replacement[, start in the paragraph]) of every change, found from the
    truth spans alone."""
    out = []
    for original, part in zip(article.paragraphs, parts):
        new = part.texts[0]
        for os_, oe, ns, ne in rp._edits(original, new, part.spans):
            out.append((original, original[os_:oe], new[ns:ne]) + ((os_,) if offsets else ()))
    return out


def test_families_are_registered_with_one_seen_and_one_held_out():
    assert set(sp.FAMILIES) >= {"wordnet", "moby", "mythes", "phrase", "rewriter"}
    assert [f for f, x in sp.FAMILIES.items() if x.seen] == ["wordnet"]
    assert sp.HELD_OUT == ("phrase", "rewriter")
    assert all(sp.FAMILIES[f].note for f in sp.HELD_OUT)
    assert sp.families_for("test") == tuple(sp.FAMILIES)
    assert not set(sp.HELD_OUT) & set(sp.families_for("dev")) and "moby" in sp.families_for("dev")


@pytest.mark.parametrize("family", OTHERS)
def test_rate_is_about_the_requested_share_of_content_words(family):
    split = "test" if sp.FAMILIES[family].held_out else "dev"
    for page_id in pages_for(family)[:2]:
        _, article = article_of(page_id)
        for _, rate in bc.STRENGTHS["spin"]:
            parts, stats = sp.spin(article, rate, random.Random(f"{page_id}:{rate}"), family, split)
            assert stats["rate"] == pytest.approx(rate, abs=0.02), (page_id, stats)
            changed = edits(article, parts)
            assert len(changed) == sum(len(p.spans) for p in parts) > 0
            # the text outside the spans is untouched and each change really changes something
            assert all(o != n for _, o, n in changed)


@pytest.mark.parametrize("family", OTHERS)
def test_names_are_left_alone(family):
    split = "test" if sp.FAMILIES[family].held_out else "dev"
    for page_id in pages_for(family)[:2]:
        _, article = article_of(page_id)
        lowercase = bc.article_lowercase_words(article)
        parts, _ = sp.spin(article, 0.3, random.Random(page_id), family, split)
        for paragraph, original, replacement, at in edits(article, parts, offsets=True):
            starts = bc._sentence_starts(paragraph)
            for m in bc._WORD.finditer(original):
                word = m.group()
                # a name: capitalised mid-sentence, an acronym, or a sentence-initial content word never seen in
                # lowercase (a sentence-initial "However" or "Because" is no name)
                if bc.proper_noun(word, at + m.start(), starts, lowercase) and not (
                        at + m.start() in starts and word.lower() in bc.STOPWORDS | {"however", "because"}):
                    # a name inside a rewritten phrase ("in October") survives into the replacement
                    assert re.search(rf"\b{re.escape(m.group())}\b", replacement), (original, replacement)


@pytest.mark.parametrize("family", OTHERS)
def test_only_article_text_changes_and_truth_is_found(family):
    page_id = pages_for(family)[0]
    page = rp.load_page(page_id)
    clean = rp.clean_page(page)
    cp = rp.corrupt_page(page, "spin", 1, family=family)
    assert cp.family == family and cp.id.endswith(f".spin-{family}1")
    tree = LexborHTMLParser(clean.html)
    nodes = [n for n in tree.root.traverse(include_text=True) if n.tag == "-text"]
    after = [n.text_content for n in LexborHTMLParser(cp.html).root.traverse(include_text=True) if n.tag == "-text"]
    assert len(nodes) == len(after)
    article_ids = {s.node.mem_id for p in rp.article_paragraphs(tree, page) for s in p.segments if s.node is not None}
    changed = [i for i, (x, y) in enumerate(zip(nodes, after)) if x.text_content != y]
    assert changed and all(nodes[i].mem_id in article_ids for i in changed)
    for sel in ("title", "nav", "header", "footer"):
        a, b = LexborHTMLParser(clean.html).css_first(sel), LexborHTMLParser(cp.html).css_first(sel)
        assert (a is None) == (b is None) and (a is None or a.html == b.html)
    # ground truth: every span in the whole page's text, and nearly all in the scorer's main-content text
    whole = map_truth(cp, extract(cp.html_bytes, main_content=False).text)
    assert whole.missing == 0 and len(whole.spans) == cp.truth_count > 0
    main = map_truth(cp, extract(cp.html_bytes).text)
    assert main.missing <= 0.05 * cp.truth_count


@pytest.mark.parametrize("family", OTHERS)
def test_deterministic_under_the_seed(family):
    page = rp.load_page(pages_for(family)[0])
    a, b = rp.corrupt_page(page, "spin", 1, family=family), rp.corrupt_page(page, "spin", 1, family=family)
    assert a.html == b.html and a.truth == b.truth and a.truth
    assert rp.corrupt_page(page, "spin", 1, seed=1, family=family).truth != a.truth
    # another family's swaps, and the default (WordNet) spin is what it was before families existed
    assert rp.corrupt_page(page, "spin", 1).truth != a.truth
    assert rp.corrupt_page(page, "spin", 1).id == f"{page.id}.spin1"


@pytest.mark.parametrize("family", sp.HELD_OUT)
def test_held_out_family_refuses_dev_and_unnamed_splits(family):
    dev_page = rp.load_page(NYT)
    with pytest.raises(sp.HeldOutFamily):
        rp.corrupt_page(dev_page, "spin", 1, family=family)
    _, article = article_of(NYT)
    for split in ("dev", None, "calibration"):
        with pytest.raises(sp.HeldOutFamily):
            sp.spin(article, 0.2, random.Random(0), family, split)
    from bench.realbench import build

    with pytest.raises(sp.HeldOutFamily):
        build("dev", cap=3, levels=(1,), families=(family,))
    pages, _ = build("dev", cap=3, levels=(1,), families=sp.families_for("dev"))
    assert {p.family for p in pages if p.kind == "spin"} == set(sp.families_for("dev"))


@pytest.mark.parametrize("family, loader, min_not_wordnet",
                         [("moby", sp.moby_thesaurus, 0.8), ("mythes", sp.mythes_thesaurus, 0.4)])
def test_swaps_come_from_the_family_thesaurus_not_wordnet(family, loader, min_not_wordnet):
    """Every single-word swap is a synonym in that family's own table; many are no WordNet synonym at all (the
    detector's candidates). MyThes is built from WordNet, so a good share of its swaps are WordNet's too."""
    table, wordnet = loader(), bc.spin_thesaurus()
    pairs = []
    for page_id in (NYT, MACRUMORS):
        _, article = article_of(page_id)
        parts, _ = sp.spin(article, 0.3, random.Random(page_id), family, "dev")
        pairs += [(o, n) for _, o, n in edits(article, parts) if " " not in o]
    assert len(pairs) > 50
    not_wordnet = 0
    for original, replacement in pairs:
        own = bc._synonyms_for(original, table)
        assert own and replacement.lower() in own[0], (original, replacement)
        wn = bc._synonyms_for(original, wordnet)
        not_wordnet += not (wn and replacement.lower() in wn[0])
    assert not_wordnet / len(pairs) >= min_not_wordnet, not_wordnet / len(pairs)


def test_thesaurus_formats_are_read_right():
    moby, mythes = sp.moby_thesaurus(), sp.mythes_thesaurus()
    assert len(moby) > 15_000 and len(mythes) > 100_000
    assert "waive" in moby["abandon"] and "carried away" in moby["happy"]      # Aiksaurus ':' is a space
    assert "glad" in mythes["happy"] and "unhappy" not in mythes["happy"]      # antonyms left out
    assert "metropolis" in mythes["city"]                                       # "(generic term)" tag dropped
    assert all(bc._OK_LEMMA.fullmatch(s) for s in mythes["happy"] + moby["happy"])


def test_phrase_rules_rewrite_phrases_and_keep_capitals():
    article = Article("t", "test", "", [
        "Now the council said it would close the road because of floods and storms, but officials "
        "quickly agreed to reopen it in October because residents complained. They rejected the plan."])
    seen = set()
    for seed in range(40):
        parts, stats = sp.phrase_spin(article, 0.3, random.Random(seed), fill=None)
        assert stats["fill_words"] == 0 and stats["phrase_words"] == stats["swapped_words"] > 0
        for _, original, replacement in edits(article, parts):
            seen.add((original, replacement))
            assert original[:1].isupper() == replacement[:1].isupper(), (original, replacement)
    outputs = {r for _, r in seen}
    assert {"at this point in time", "At this point in time"} & outputs or "At present" in outputs or \
        "Currently" in outputs
    assert any(o == "because of" for o, _ in seen) and any("due to the fact that" in r for r in outputs)
    assert any(o == "in" and r.endswith("the month of") for o, r in seen)                # "in October"
    assert any(r == "storms and floods" for r in outputs)                        # "X and Y" -> "Y and X"
    assert "The plan was rejected by them" in outputs                             # active -> passive
    assert any(r.startswith("in a quick") for r in outputs)


def test_rewriter_rules_rewrite_like_an_article_rewriter():
    article = Article("t", "test", "", [
        "Although prices rose sharply, demand held up. The council doesn't want a big fight with 5 unions. "
        "\"We will go,\" said Smith. In 2019, the firm hired new staff for its stores. The price of oil was "
        "10 percent higher. Officials closed the road because residents complained about the noise. "
        "They opened the new bridge last week. Sales of the model were very strong. It backs a toll that would "
        "pay for repairs."])
    seen = set()
    for seed in range(60):
        parts, stats = sp.rewriter_spin(article, 0.3, random.Random(seed), fill=None)
        assert stats["fill_words"] == 0 and stats["rule_words"] == stats["swapped_words"] > 0
        for _, original, replacement in edits(article, parts):
            seen.add((original, replacement))
            assert original[:1].isupper() == replacement[:1].isupper(), (original, replacement)
            # a rewrite keeps the sentence's words (no synonym swaps without a fill) but for function words
            words = {w.lower() for w in re.findall(r"[A-Za-z]+", re.sub(r"n't\b", " not", original))}
            assert words - {w.lower() for w in re.findall(r"[A-Za-z]+", replacement)} <= {
                "percent", "of", "s", "the", "a", "that", "which", "who"}
    outputs = {r for _, r in seen}
    assert ("Although prices rose sharply, demand held up", "Demand held up, although prices rose sharply") in seen
    assert ("Officials closed the road because residents complained about the noise",
            "Because residents complained about the noise, Officials closed the road") in seen   # never lowercase here: kept as a name
    assert ("In 2019, the firm hired new staff for its stores", "The firm hired new staff for its stores in 2019") in seen
    assert ("They opened the new bridge last week", "Last week, they opened the new bridge") in seen
    assert ("doesn't", "does not") in seen and ("5", "five") in seen
    assert {"10%", "10 per cent"} <= outputs
    assert ('," said Smith', '," Smith said') in seen
    assert ("The price of oil", "Oil's price") in seen
    assert any(o == "a big" and r in ("a very big", "an extremely big", "an incredibly big") for o, r in seen)
    assert any(r.startswith(("It is worth noting that ", "In fact, ")) for r in outputs)
    assert ("that", "which") in seen                                                     # "a toll which would"


def test_rewriter_fill_and_rule_share_on_a_test_page():
    """The rules make about 10% of the content words' worth of changes on a news page; the rest is Moby."""
    _, article = article_of(SLASHGEAR)
    low, _ = sp.spin(article, 0.1, random.Random(1), "rewriter", "test")
    high, stats = sp.spin(article, 0.3, random.Random(1), "rewriter", "test")
    assert stats["rule_words"] >= 0.05 * stats["content_words"] and stats["fill_words"] > 0
    assert stats["rule_candidates"] > 15
    assert sum(len(p.spans) for p in high) > sum(len(p.spans) for p in low)
