"""The datatrove step: WarcReader -> QualityFilter -> JsonlWriter with datatrove's LocalPipelineExecutor.

Two WARC files (written here with warcio) and two tasks in two worker processes. The expected fate of every
record comes from the scorer run directly on the same page with the same config; the config's drop threshold is
chosen from those direct scores so that some pages are dropped and some kept.
"""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

pytest.importorskip("datatrove")
from datatrove.data import Document  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import WarcReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from scoring import QualityConfig, Scorer  # noqa: E402
from scoring.archive_bench import utf8_pages  # noqa: E402
from scoring.config import SIGNAL_NAMES, ConfigError  # noqa: E402
from scoring.datatrove_step import QualityFilter, verdict  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "tests" / "data" / "engine"
REAL = ROOT / "bench" / "realpages" / "html"


def engine_and_real_pages(n: int) -> list[bytes]:
    """Three hand-made pages (clean, injected, boilerplate), then real pages, n in all."""
    made = [(ENGINE / name).read_bytes() for name in ("bridge.html", "bridge_injected.html", "bridge_boilerplate.html")]
    return made + utf8_pages(n - len(made), REAL)


def write_warc(path: Path, pages: dict[str, bytes]) -> None:
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        for url, html in pages.items():
            w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(html), length=len(html),
                                                http_headers=http,
                                                warc_headers_dict={"WARC-Identified-Payload-Type": "text/html"}))
        png = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("http://img.example/x.png", "response", http_headers=png,
                                            payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(300)),
                                            warc_headers_dict={"WARC-Identified-Payload-Type": "image/png"}))


def read_jsonl_gz(folder: Path) -> list[dict]:
    return [json.loads(line) for f in sorted(folder.glob("*.jsonl.gz"))
            for line in gzip.open(f, "rt", encoding="utf-8")]


def pick_drop_config(model: Path, pages: dict[str, bytes]) -> QualityConfig:
    """A config that drops on the signal whose scores over these pages split them best."""
    base = Scorer(QualityConfig(models={"en": str(model)}))
    reports = [base.score_html(html.decode("utf-8"), url) for url, html in pages.items()]
    best = None
    for name in ("boilerplate", "injection", "spin", "split"):
        scores = sorted(r.signals[name].score for r in reports if name in r.signals)
        cut = next((hi for lo, hi in zip(scores, scores[1:]) if hi > lo), None)
        if cut is not None:
            above = sum(s >= cut for s in scores)
            if best is None or min(above, len(scores) - above) > best[0]:
                best = (min(above, len(scores) - above), name, cut)
    assert best is not None, "every page has the same scores: no threshold splits them"
    _, name, cut = best
    actions = dict.fromkeys(SIGNAL_NAMES, "tag")
    return QualityConfig(models={"en": str(model)}, thresholds={name: cut}, actions={**actions, name: "drop"})


def test_pipeline_keeps_drops_and_records_every_fate(tmp_path, default_model):
    pages = {f"http://site{i % 2}.example/page/{i}": html for i, html in enumerate(engine_and_real_pages(8))}
    urls = list(pages)
    (tmp_path / "warc").mkdir()
    write_warc(tmp_path / "warc" / "a.warc.gz", {u: pages[u] for u in urls[:4]})
    write_warc(tmp_path / "warc" / "b.warc.gz", {u: pages[u] for u in urls[4:]})
    config = pick_drop_config(default_model, pages)
    scorer = Scorer(config)
    expected = {url: scorer.score_html(html.decode("utf-8"), url) for url, html in pages.items()}

    LocalPipelineExecutor(pipeline=[
        WarcReader(str(tmp_path / "warc"), glob_pattern="*.warc.gz"),
        QualityFilter(config, exclusion_writer=JsonlWriter(str(tmp_path / "dropped"))),
        JsonlWriter(str(tmp_path / "kept")),
    ], tasks=2, workers=2, logging_dir=str(tmp_path / "logs")).run()

    kept, dropped = read_jsonl_gz(tmp_path / "kept"), read_jsonl_gz(tmp_path / "dropped")
    fate = {d["metadata"]["url"]: "kept" for d in kept} | {d["metadata"]["url"]: "dropped" for d in dropped}
    assert len(kept) + len(dropped) == len(fate) == len(pages)      # each page once, the PNG never
    assert fate == {url: "dropped" if r.action == "drop" else "kept" for url, r in expected.items()}
    assert kept and dropped, "the chosen threshold should split the pages"
    for d in kept + dropped:
        want = expected[d["metadata"]["url"]]
        assert d["metadata"]["quality"] == json.loads(json.dumps(verdict(want)))
        assert d["text"].lstrip().lower().startswith(("<!doctype", "<html", "<")), "the raw page is passed on"
    for d in dropped:
        flags = [f for f in expected[d["metadata"]["url"]].flags if config.action(f) == "drop"]
        assert d["metadata"]["filter_reason"] == "quality_" + "+".join(flags)
        assert {e["signal"] for e in d["metadata"]["quality"]["evidence"]} <= set(d["metadata"]["quality"]["flags"])
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    step = next(s for s in stats if "quality" in s["name"].lower())["stats"]
    read = next(s for s in stats if "Warc" in s["name"])["stats"]["documents"]["total"]
    assert read == len(pages)
    assert step["total"] == read and step["forwarded"] == len(kept) and step["dropped"] == len(dropped)
    assert step["quality_drop"] == len(dropped)
    assert step.get("quality_keep", 0) + step.get("quality_tag", 0) == len(kept)


def test_filter_on_extracted_text_and_metadata_html(default_model):
    f = QualityFilter({"models": {"en": str(default_model)}})
    text = (ENGINE / "bridge.txt").read_text(encoding="utf-8")
    html = (ENGINE / "bridge.html").read_text(encoding="utf-8")
    as_text = Document(text=text, id="t")
    as_html = Document(text="extracted elsewhere", id="h", metadata={"html": html, "url": "http://x.example/bridge"})
    assert f.filter(as_text) in (True, (False, as_text.metadata.get("filter_reason")))
    f.filter(as_html)
    scorer = Scorer(f.config)
    assert as_text.metadata["quality"] == verdict(scorer.score_text(text, "t"))
    assert as_html.metadata["quality"] == verdict(scorer.score_html(html, "http://x.example/bridge"))
    assert as_html.metadata["quality"]["content"] != "text"


def test_bad_filter_settings_fail_at_construction(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        QualityFilter({"models": {"en": str(tmp_path / "nope.bin")}})
    with pytest.raises(ConfigError, match="input="):
        QualityFilter(input="pdf")
