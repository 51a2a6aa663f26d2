"""bench.check_extraction reads checkouts of mozilla/readability and adbar/trafilatura laid out as they are."""
from __future__ import annotations

import json

from bench.check_extraction import readability_table, trafilatura_table

ARTICLE = ("The council said the new bridge cost 48 million dollars, about nine million more than the estimate. "
           "Engineers expect it to carry twenty thousand vehicles a day once the roads around it are finished. ")
PAGE = (f"<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav><article><h1>Bridge opens</h1>"
        f"{''.join(f'<p>{ARTICLE}</p>' for _ in range(4))}</article><footer>Contact us</footer></body></html>")


def test_readability_pages_are_scored_against_their_expected_text(tmp_path):
    page = tmp_path / "test" / "test-pages" / "bridge"
    page.mkdir(parents=True)
    (page / "source.html").write_text(PAGE)
    (page / "expected.html").write_text(f"<div>{''.join(f'<p>{ARTICLE}</p>' for _ in range(4))}</div>")
    (tmp_path / "test" / "test-pages" / "no-expected").mkdir()
    (tmp_path / "test" / "test-pages" / "no-expected" / "source.html").write_text(PAGE)
    table = readability_table(tmp_path)
    ours = [line for line in table.splitlines() if line.startswith("| ours") and "| 1 |" in line]
    assert len(ours) == 1 and 0.9 < float(ours[0].rstrip(" |").split("|")[-1]) < 1.0  # the title is extra


def test_trafilatura_snippets_count_as_its_evaluation_counts_them(tmp_path):
    (tmp_path / "tests" / "eval").mkdir(parents=True)
    (tmp_path / "tests" / "cache").mkdir()
    (tmp_path / "tests" / "eval" / "bridge.html").write_text(PAGE)
    (tmp_path / "tests" / "evaldata.json").write_text(json.dumps({"https://example.org/bridge": {
        "file": "bridge.html", "with": ["nine million more than the estimate", "a snippet the page does not hold"],
        "without": ["Contact us", "World"]}}))
    ours = next(line for line in trafilatura_table(tmp_path).splitlines() if line.startswith("| ours") and "| 1 |" in line)
    precision, recall = (float(v) for v in ours.rstrip(" |").split("|")[-3:-1])
    assert (precision, recall) == (1.0, 0.5)
