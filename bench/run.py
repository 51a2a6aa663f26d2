"""The benchmark: `python3 -m bench.run` (full, writes bench/RESULTS.md) or `python3 -m bench.run --small`.

Sections, each a function returning Markdown (a later section, e.g. the hostile-input fuzz corpus of
issue 6, plugs in by adding an entry to SECTIONS):
- extraction: main-content extraction on the 181 real pages of bench/realpages (bench/extraction.py): token
  P/R/F1 against the article text and ms/page, ours vs trafilatura vs resiliparse, one run.
- realpages: detection on real pages (bench/realbench.py): the split's real article pages, clean and with every
  corruption written into their article body, through the same tables as `accuracy`; a "spin by family" table
  (bench/spinners.py: WordNet, Moby, MyThes, and on test only the held-out phrase rewrites and article
  rewriter); plus the verdicts on every clean real page of the split.
- accuracy: every test article, clean and under every corruption at every strength, rendered as HTML and
  scored by `scoring.scorer.Scorer`; per-signal ROC-AUC, recall at 1%/5% FPR, evidence localisation;
  datatrove's filters on the same pages (on trafilatura's text, as datatrove pipelines run them, and on our
  extracted text).
- speed: our scoring vs trafilatura.extract vs raw KenLM vs datatrove's filters, same pages, one run.
- crawl: `scrapy crawl` of generated pages with the plugin off, in-process, QUALITY_WORKERS="auto" and 2
  workers, against a loopback server three ways: CPU-bound (answers at once), latency-bound (100-300 ms each,
  64 in flight, with the cores each crawl kept busy) and network-paced (the same delays, 16 in flight).
- hostile: 10,000 generated hostile pages (bench/hostile.py) through the scorer: zero crashes, worst cases.
- soak: a 20,000-page loopback crawl with RSS sampled as it goes (bench/soak.py): memory stays flat.
- archive: offline scoring of one .warc.gz of the real pages (bench/archive.py): records/s reading (FastWARC,
  warcio) and scoring (`score_records`, in-process and 1/2 workers); datatrove's WarcReader -> our QualityFilter
  -> JsonlWriter against Trafilatura + datatrove's Gopher/FineWeb filters, tasks=1 and 2; RSS on a 200 MB archive.

Per-page results are kept in bench/out/<run>/pages.jsonl (git-ignored) so tables can be re-derived.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import platform
import shlex
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from scoring.config import SIGNAL_NAMES

from . import metrics
from .corrupt import KINDS, STRENGTHS, Corrupted, clean, corrupt
from .data import ROOT, Article, headline_pool, load_articles
from .pages import map_truth, render_html, template_of

OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "RESULTS.md"
SEED = 0
MIDDLE = 1  # the strength index the targets are stated at
SIGNALS = SIGNAL_NAMES  # the scorer's signals, in report order
SMALL_PER_SOURCE = 10  # --small: 10 ABC + 10 Brown test articles, middle strength only (100 pages)


# == the page set =========================================================================================
@dataclass
class RunOptions:
    split: str = "test"
    small: bool = False
    articles: int | None = None      # cap on articles (after the split)
    levels: tuple[int, ...] = (0, 1, 2)
    jobs: int = 2
    sections: tuple[str, ...] = ("extraction", "realpages", "accuracy", "speed", "crawl")
    out: Path = RESULTS
    speed_pages: int = 300
    crawl_pages: int = 2000
    hostile_cases: int = 10_000
    soak_pages: int = 20_000
    command: str = ""
    extra: dict = field(default_factory=dict)   # no_peers, real_pages, extraction_pages, extraction_passes


def select_articles(opts: RunOptions) -> tuple[list[Article], list[tuple[str, str]]]:
    articles = load_articles()
    headlines = headline_pool(articles)
    chosen = [a for a in articles if a.split == opts.split]
    if opts.small:  # a fixed handful from both sources
        abc = [a for a in chosen if a.source == "abc"][:SMALL_PER_SOURCE]
        brown = [a for a in chosen if a.source == "brown"][:SMALL_PER_SOURCE]
        chosen = abc + brown
    if opts.articles:
        chosen = chosen[: opts.articles]
    return chosen, headlines


def build_pages(articles: list[Article], headlines, levels=(0, 1, 2)) -> list[Corrupted]:
    pages = []
    for a in articles:
        pages.append(clean(a))
        for kind in KINDS:
            for level in levels:
                pages.append(corrupt(a, kind, level, headlines, seed=SEED))
    return pages


# == scoring one page (in a worker) =======================================================================
_WORKER: dict = {}


def _init_worker(with_scorer: bool, with_peers: bool) -> None:
    _WORKER.clear()
    if with_scorer:
        try:
            from scoring.scorer import Scorer
            from scoring.config import QualityConfig

            _WORKER["scorer"] = Scorer(QualityConfig())
        except Exception as exc:  # reported in the results, never hidden
            _WORKER["scorer_error"] = f"{type(exc).__name__}: {exc}"
    if with_peers:
        from datatrove.pipeline.extractors import Trafilatura

        from .peers import PeerPanel

        _WORKER["peers"] = PeerPanel()
        # datatrove's extractor with its defaults, except cross-document deduplication: the 13 versions of an
        # article would otherwise erase each other's paragraphs (and results would depend on page order).
        _WORKER["trafilatura"] = Trafilatura(deduplicate=False)


def scorer_error() -> str | None:
    return _WORKER.get("scorer_error")


def score_page(page) -> dict:
    """Score one page: a template page (bench.corrupt.Corrupted, rendered by bench.pages.render_html) or a real
    one (bench.realpages.CorruptedPage, which carries its own HTML: scored as the bytes a crawler gets)."""
    if getattr(page, "html", None) is not None:   # a real page
        html = page.html_bytes
        row = {"id": page.id, "article": page.page.id, "source": page.page.domain, "template": "real",
               "html_bytes": len(html)}
    else:
        html = render_html(page)
        row = {"id": page.id, "article": page.article.id, "source": page.article.source,
               "template": template_of(page.article.id), "html_bytes": len(html.encode())}
    row.update({"kind": page.kind, "strength": page.strength, "level": page.level, "stats": page.stats,
                "truth_total": page.truth_count, "family": getattr(page, "family", "")})
    scorer = _WORKER.get("scorer")
    text = None
    if scorer is not None:
        report = scorer.score_html(html, f"bench/{page.id}.html")
        text = report.text
        truth = map_truth(page, text)
        row.update({
            "status": report.status, "action": report.action, "flags": report.flags, "words": report.words,
            "error": report.error, "seconds": report.seconds,
            "scores": {n: s.score for n, s in report.signals.items()},
            "raw": {n: s.features.get("raw") for n, s in report.signals.items()},
            "evidence": {n: [(e.start, e.end) for e in s.evidence] for n, s in report.signals.items()},
            "truth": truth.spans, "truth_missing": truth.missing,
        })
    elif "scorer_error" in _WORKER:
        row["scorer_error"] = _WORKER["scorer_error"]
    if "peers" in _WORKER:
        traf = _WORKER["trafilatura"].extract(html if isinstance(html, str) else html.decode("utf-8", "replace")) or ""
        row["peers_trafilatura"] = {n: [r.dropped, r.reason, r.score] for n, r in _WORKER["peers"].run(traf).items()}
        if text is not None:
            row["peers_ours"] = {n: [r.dropped, r.reason, r.score] for n, r in _WORKER["peers"].run(text).items()}
        inserted = [t for p in page.parts if p.inserted for t in p.texts]
        row["trafilatura_kept"] = [sum(t in traf for t in inserted), len(inserted)]
    return row


def run_pages(pages: list, jobs: int, with_scorer=True, with_peers=True, progress=print) -> list[dict]:
    started = time.perf_counter()
    rows: list[dict] = []
    if jobs <= 1:
        _init_worker(with_scorer, with_peers)
        it = map(score_page, pages)
        pool = None
    else:
        pool = multiprocessing.get_context("fork").Pool(jobs, _init_worker, (with_scorer, with_peers))
        it = pool.imap(score_page, pages, chunksize=8)
    try:
        for i, row in enumerate(it, 1):
            rows.append(row)
            if progress and (i % 500 == 0 or i == len(pages)):
                progress(f"  scored {i}/{len(pages)} pages ({time.perf_counter() - started:.0f} s)")
                sys.stdout.flush()
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return rows


# == tables ===============================================================================================
def fmt(x, digits=3) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.{digits}f}"


def pct(x) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}%"


def _table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def target_row(label: str, measured: str, value: float, goal: float, *, at_least: bool = True, unit: str = "",
               digits: int = 3, see: str = "") -> list[str]:
    """A row of the targets table: the target, what was measured, whether it is met and, when it is not, by how
    much (in the target's unit: " points" for shares, scaled by 100) and which section shows why."""
    met = value >= goal if at_least else value <= goal
    if met:
        return [label, measured, "yes", ""]
    gap = abs(value - goal) * (100 if unit == " points" else 1)
    return [label, measured, "no", f"{gap:.{digits}f}{unit} {'short' if at_least else 'over'}"
            + (f"; why: {see}" if see else "")]


def _scores(rows, signal, kind=None, level=None):
    sel = [r for r in rows if r["kind"] == (kind or "clean") and (level is None or r["level"] == level)]
    return np.array([r["scores"].get(signal, 0.0) if r.get("scores") else 0.0 for r in sel]), sel


def _any_score(r) -> float:
    return max(r["scores"].values()) if r.get("scores") else 0.0


SOURCE_SLICES = (("source=abc", lambda r: r["source"] == "abc"), ("source=brown", lambda r: r["source"] == "brown"))


def accuracy_tables(rows: list[dict], threshold: dict[str, float], slices=SOURCE_SLICES) -> str:
    """The detection tables of a run's rows (clean rows are the negatives). `slices`: (name, row predicate)
    pairs for the per-slice table (a predicate sees clean and corrupted rows)."""
    scored = [r for r in rows if "scores" in r]
    if not scored:
        errs = {r.get("scorer_error") for r in rows if r.get("scorer_error")}
        return "Our scorer did not run: " + ("; ".join(sorted(errs)) or "not requested") + "\n"
    parts = []
    clean_rows = [r for r in scored if r["kind"] == "clean"]
    n_clean = len(clean_rows)
    statuses = defaultdict(int)
    for r in scored:
        statuses[r["status"]] += 1
    parts.append(f"{len(scored)} pages scored ({n_clean} clean); statuses: "
                 + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
                 + f". Ground-truth spans not found in the extracted text: "
                 f"{sum(r['truth_missing'] for r in scored)} of {sum(r['truth_total'] for r in scored)}.\n")

    # -- 1. each signal against its own corruption, per strength
    head = ["corruption", "strength", "n", "ROC-AUC", "recall@1%FPR", "recall@5%FPR",
            "recall / FPR at threshold", "evidence precision", "evidence recall"]
    body = []
    for kind in KINDS:
        neg, _ = _scores(scored, kind)
        for level, (label, _) in enumerate(STRENGTHS[kind]):
            pos, sel = _scores(scored, kind, kind, level)
            if not len(sel):
                continue
            loc = metrics.Localisation()
            for r in sel:
                loc.add(r["evidence"].get(kind, []), [(s, e) for s, e, _ in r["truth"]])
            at1 = metrics.recall_at_fpr(neg, pos, 0.01)
            at5 = metrics.recall_at_fpr(neg, pos, 0.05)
            rec, fpr = metrics.rates_at(neg, pos, threshold[kind])
            body.append([kind, label, str(len(sel)), fmt(metrics.roc_auc(neg, pos)), pct(at1.recall), pct(at5.recall),
                         f"{pct(rec)} / {pct(fpr)}", fmt(loc.precision, 2), fmt(loc.recall, 2)])
    parts.append("### Each signal on its own corruption (negatives: the clean pages)\n\n"
                 f"ROC-AUC and recall at a false-positive rate: the signal's score on the corrupted pages against "
                 f"the same signal on the {n_clean} clean pages (threshold = clean-score quantile, flag when "
                 f"strictly above). \"At threshold\": the configured thresholds ("
                 + ", ".join(f"{k} {v}" for k, v in threshold.items()) + "). Evidence: an "
                 "evidence span is correct when it overlaps a ground-truth span (precision over evidence spans, "
                 "recall over truth spans).\n\n" + _table(head, body))

    # -- 2. cross-signal AUC at the middle strength (does each signal fire only on its own kind?)
    head = ["signal \\ corruption (middle strength)"] + [f"{k} {STRENGTHS[k][MIDDLE][0]}" for k in KINDS] + \
        ["evidence spans per clean page"]
    body = []
    for signal in SIGNALS + ("any (max score)",):
        line = [signal]
        for kind in KINDS:
            if signal in SIGNALS:
                neg, _ = _scores(scored, signal)
                pos, _ = _scores(scored, signal, kind, MIDDLE)
            else:
                neg = np.array([_any_score(r) for r in clean_rows])
                pos = np.array([_any_score(r) for r in scored if r["kind"] == kind and r["level"] == MIDDLE])
            line.append(fmt(metrics.roc_auc(neg, pos)))
        line.append(fmt(np.mean([len(r["evidence"].get(signal, [])) for r in clean_rows]), 2)
                    if signal in SIGNALS else "")
        body.append(line)
    parts.append("### Every signal against every corruption (ROC-AUC, middle strength)\n\n" + _table(head, body))

    # -- 3. page verdicts under the default config
    head = ["pages", "n", "action != keep", "dropped", "flags (share of pages)"]
    body = []
    groups = [("clean", None)] + [(k, lv) for k in KINDS for lv in range(3)]
    for kind, level in groups:
        sel = [r for r in scored if r["kind"] == kind and (level is None or r["level"] == level)]
        if not sel:
            continue
        flags = defaultdict(int)
        for r in sel:
            for f in r["flags"]:
                flags[f] += 1
        label = kind if level is None else f"{kind} {STRENGTHS[kind][level][0]}"
        body.append([label, str(len(sel)), pct(np.mean([r["action"] != "keep" for r in sel])),
                     pct(np.mean([r["action"] == "drop" for r in sel])),
                     ", ".join(f"{k} {pct(v / len(sel))}" for k, v in sorted(flags.items())) or "none"])
    parts.append("### Page verdicts under the default configuration\n\n" + _table(head, body))

    # -- 4. slices at the middle strength
    head = ["corruption (middle)", "slice", "n clean", "n corrupted", "ROC-AUC", "recall@1%FPR"]
    body = []
    for kind in KINDS:
        for name, pred in slices:
            neg = np.array([r["scores"].get(kind, 0.0) for r in clean_rows if pred(r)])
            sel = [r for r in scored if r["kind"] == kind and r["level"] == MIDDLE and pred(r)]
            pos = np.array([r["scores"].get(kind, 0.0) for r in sel])
            body.append([kind, name, str(len(neg)), str(len(sel)), fmt(metrics.roc_auc(neg, pos)),
                         pct(metrics.recall_at_fpr(neg, pos, 0.01).recall)])
    parts.append("### Slices (own signal, middle strength)\n\n" + _table(head, body))

    # -- 5. speed of scoring inside this run (all pages)
    secs = np.array([r["seconds"] for r in scored])
    parts.append(f"Scoring time per page inside this run (`PageReport.seconds`, {len(secs)} pages, worker processes "
                 f"sharing 2 cores): median {1000 * np.median(secs):.1f} ms, p95 {1000 * np.quantile(secs, 0.95):.1f} ms, "
                 f"max {1000 * secs.max():.1f} ms.")
    return "\n\n".join(parts) + "\n"


def peer_tables(rows: list[dict]) -> str:
    from .peers import PEERS

    parts = []
    scored = [r for r in rows if "scores" in r]
    for key, label in (("peers_trafilatura", "on trafilatura's text (datatrove's Trafilatura extractor, as its pipelines run)"),
                       ("peers_ours", "on our extracted text (PageReport.text, the scorer's own input)")):
        have = [r for r in rows if key in r]
        if not have:
            continue
        clean_rows = [r for r in have if r["kind"] == "clean"]
        head = ["filter", "FPR on clean (defaults)"] + [f"{k} {STRENGTHS[k][MIDDLE][0]}: recall / AUC / ours@same FPR"
                                                         for k in KINDS]
        body = []
        for peer in PEERS:
            neg_flags = [r[key][peer][0] for r in clean_rows]
            neg_scores = [r[key][peer][2] for r in clean_rows]
            line = [peer, pct(np.mean(neg_flags))]
            fpr_peer = float(np.mean(neg_flags))
            for kind in KINDS:
                sel = [r for r in have if r["kind"] == kind and r["level"] == MIDDLE]
                rec = float(np.mean([r[key][peer][0] for r in sel])) if sel else float("nan")
                auc = metrics.roc_auc(neg_scores, [r[key][peer][2] for r in sel])
                ours = "n/a"
                if scored:
                    neg, _ = _scores(scored, kind)
                    pos, _ = _scores(scored, kind, kind, MIDDLE)
                    ours = pct(metrics.recall_at_fpr(neg, pos, fpr_peer).recall)
                line.append(f"{pct(rec)} / {fmt(auc, 2)} / {ours}")
            body.append(line)
        reasons = defaultdict(int)
        for r in have:
            for peer in PEERS:
                if r[key][peer][0]:
                    reasons[f"{peer}:{r[key][peer][1]}"] += 1
        parts.append(f"#### datatrove filters {label}\n\n" + _table(head, body) +
                     "\n\nDrop reasons over all pages: " + (", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) or "none"))
    kept = defaultdict(lambda: [0, 0])
    for r in rows:
        if "trafilatura_kept" in r and r["kind"] in ("injection", "boilerplate"):
            kept[(r["kind"], r["strength"])][0] += r["trafilatura_kept"][0]
            kept[(r["kind"], r["strength"])][1] += r["trafilatura_kept"][1]
    if kept:
        parts.append("What `trafilatura.extract` (as datatrove runs it) leaves of the inserted strings — text it "
                     "removes is not flagged but is gone from its output: " +
                     ", ".join(f"{k} {s}: {pct(a / b if b else float('nan'))} kept" for (k, s), (a, b) in sorted(kept.items())))
    parts.insert(0, "ROC-AUC of a filter comes from sweeping all its thresholds together (bench/peers.py); \"ours@same "
                    "FPR\": our own signal's recall for that corruption at the filter's false-positive rate on the "
                    "same clean pages.")
    return "\n\n".join(parts) + "\n"


# == sections =============================================================================================
def section_accuracy(opts: RunOptions, state: dict) -> str:
    articles, headlines = select_articles(opts)
    pages = build_pages(articles, headlines, opts.levels)
    print(f"accuracy: {len(articles)} {opts.split} articles, {len(pages)} pages", flush=True)
    started = time.perf_counter()
    rows = run_pages(pages, opts.jobs, with_peers=not opts.extra.get("no_peers"))
    elapsed = time.perf_counter() - started
    out_dir = OUT / ("small" if opts.small else opts.split)
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "pages.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    state["rows"] = rows
    thresholds = _thresholds()
    words = np.array([a.words for a in articles])
    text = (f"Data: {len(articles)} articles of the `{opts.split}` split "
            f"({sum(a.source == 'abc' for a in articles)} ABC news, {sum(a.source == 'brown' for a in articles)} Brown press; "
            f"{int(np.median(words))} words median), each clean and under {len(KINDS)} corruptions x "
            f"{len(opts.levels)} strengths = {len(pages)} HTML pages, scored in {elapsed:.0f} s with {opts.jobs} "
            f"worker processes (our scorer" + ("" if opts.extra.get("no_peers") else
                                           " + 4 datatrove filters twice + trafilatura") + ").\n\n")
    return text + accuracy_tables(rows, thresholds) + "\n### Peers: datatrove's quality filters on the same pages\n\n" + \
        peer_tables(rows)


def _thresholds() -> dict[str, float]:
    try:
        from scoring.config import QualityConfig

        cfg = QualityConfig()
        return {s: cfg.threshold(s) for s in SIGNALS}
    except Exception:
        return dict.fromkeys(SIGNALS, 0.99)


def section_extraction(opts: RunOptions, state: dict) -> str:
    """Main-content extraction on the real pages (bench/extraction.py): quality and speed, ours vs peers."""
    from . import extraction

    return extraction.section(opts, state)


def section_realpages(opts: RunOptions, state: dict) -> str:
    """Detection on real pages of the split (bench/realbench.py); rows in state["real_rows"]."""
    from . import realbench

    return realbench.section(opts, state)


def section_speed(opts: RunOptions, state: dict) -> str:
    from .speed import speed_section

    articles, headlines = select_articles(opts)
    return speed_section(articles, headlines, opts, state)


def section_crawl(opts: RunOptions, state: dict) -> str:
    from .crawl import crawl_section

    return crawl_section(opts, state)


# The crawl's CPU per page is the scorer's own (bench/crawl_cost.py, bench/README.md "Where a crawl's CPU goes"):
# with 2 cores, a worker scores what the crawl process fetches, at the scorer's speed.
_CRAWL_WHY = "Speed (per stage) and Crawl throughput"
# At 64 requests in flight Scrapy alone keeps about a core busy here: the section's CPU budget line says how many
# cores the plugin-on modes would need at 0.95x (bench/crawl.py `cpu_budget`).
_LATENCY_WHY = "the CPU budget under Crawl throughput, Latency-bound"


def targets(state: dict) -> str:
    """Issue 5's targets against what this run measured (only those a section of this run measured)."""
    lines = []
    rows = [r for r in state.get("rows", []) if "scores" in r]
    if rows:
        from .peers import PEERS

        for kind in KINDS:
            neg, _ = _scores(rows, kind)
            pos, _ = _scores(rows, kind, kind, MIDDLE)
            if not len(pos):
                continue
            auc = metrics.roc_auc(neg, pos)
            rec = metrics.recall_at_fpr(neg, pos, 0.01).recall
            label = f"{kind} {STRENGTHS[kind][MIDDLE][0]}"
            see = "Detection accuracy: template pages (Slices)"
            lines.append(target_row(f"{label}: ROC-AUC >= 0.99", fmt(auc), auc, 0.99, see=see))
            lines.append(target_row(f"{label}: recall >= 95% at 1% FPR", pct(rec), rec, 0.95, unit=" points", digits=1,
                                    see=see))
            worse = []
            for key in ("peers_trafilatura", "peers_ours"):
                have = [r for r in rows if key in r]
                if not have:
                    continue
                for peer in PEERS:
                    clean_rows = [r for r in have if r["kind"] == "clean"]
                    fpr = float(np.mean([r[key][peer][0] for r in clean_rows]))
                    peer_rec = float(np.mean([r[key][peer][0] for r in have
                                              if r["kind"] == kind and r["level"] == MIDDLE]))
                    ours = metrics.recall_at_fpr(neg, pos, fpr).recall
                    if not ours > peer_rec:
                        worse.append(f"{peer} ({key.split('_')[1]} text)")
            if any(key in r for r in rows for key in ("peers_trafilatura", "peers_ours")):
                lines.append([f"{label}: recall above every datatrove filter at its FPR",
                              "below: " + ", ".join(worse) if worse else "above all 8", "no" if worse else "yes",
                              "why: Peers" if worse else ""])
    if state.get("real_rows") or state.get("extraction"):
        from . import realbench

        lines += realbench.targets(state)
    speed = state.get("speed") or {}
    ours, traf = (speed.get("ours") or {}).get("best_pass_s"), (speed.get("trafilatura") or {}).get("best_pass_s")
    if ours and traf:
        n = speed["ours"]["pages"]
        lines.append(target_row("full scoring no slower than trafilatura.extract", f"{ours / traf:.2f}x its time",
                                ours / traf, 1.0, at_least=False, unit="x", digits=2, see="Speed (per stage)"))
        lines.append(target_row(">= 300 pages/s on one core", f"{n / ours:.0f} pages/s", n / ours, 300,
                                unit=" pages/s", digits=0, see="Speed (per stage)"))
    real = state.get("speed_real")
    if real:
        lines.append(target_row(f"real pages: median full scoring <= 0.5x trafilatura.extract ({real['pages']} "
                                "pages, same process)", f"{real['ratio_of_medians']:.2f}x ({real['ours_median_ms']:.1f}"
                                f" / {real['traf_median_ms']:.1f} ms)", real["ratio_of_medians"], 0.5, at_least=False,
                                unit="x", digits=2, see="Per stage, on the real pages"))
    from .crawl import mode_label, ratios

    crawl = state.get("crawl") or []
    for mode, ratio in ratios(crawl).items():
        label = next(mode_label(r) for r in crawl if r["mode"] == mode)
        lines.append(target_row(f"crawl throughput with the plugin >= 0.8x without: {label}", f"{ratio:.2f}x",
                                ratio, 0.8, unit="x", digits=2, see=_CRAWL_WHY))
    with_workers = {r["mode"] for r in crawl if r["stats"].get("quality/workers", 0) > 0}
    workers = {m: v for m, v in ratios(crawl).items() if m in with_workers}
    if workers:  # issue 13: CPU-bound loopback crawl >= 0.5x with workers (best worker mode)
        mode, ratio = max(workers.items(), key=lambda kv: kv[1])
        label = next(mode_label(r) for r in crawl if r["mode"] == mode)
        lines.append(target_row(f"CPU-bound loopback crawl >= 0.5x plugin off with workers ({os.cpu_count()} cores)",
                                f"{ratio:.2f}x ({label})", ratio, 0.5, unit="x", digits=2, see=_CRAWL_WHY))
    latency = state.get("crawl_latency") or []
    for mode, ratio in ratios(latency).items():
        label = next(mode_label(r) for r in latency if r["mode"] == mode)
        lines.append(target_row(f"latency-bound crawl: plugin on >= 0.95x plugin off: {label}", f"{ratio:.2f}x",
                                ratio, 0.95, unit="x", digits=2, see=_LATENCY_WHY))
    hostile = state.get("hostile")
    if hostile:
        lines.append([f"hostile pages: zero crashes ({hostile.get('cases', '?')} cases)",
                      "ok" if hostile.get("ok") else "failures (see the section)", "yes" if hostile.get("ok") else "no",
                      "" if hostile.get("ok") else "why: Hostile input"])
    soak = state.get("soak")
    if soak:
        met = soak.get("flat") and soak.get("finished")
        lines.append(["long crawl: RSS flat", "flat" if soak.get("flat") else "grows (see the section)",
                      "yes" if met else "no", "" if met else "why: Memory over a long crawl"])
    if not lines:
        return ""
    return ("## Targets (issues 5, 6, 10 and 13)\n\n"
            + _table(["target", "measured", "met", "missed by (and the section that shows why)"], lines) + "\n\n")


def section_hostile(opts: RunOptions, state: dict) -> str:
    """Issue 6: thousands of hostile pages through the scorer, full-size cases included (bench/hostile.py)."""
    from . import hostile

    summary = hostile.run(opts.hostile_cases, workers=opts.jobs)
    state["hostile"] = summary
    return hostile.markdown_section(summary)


def section_soak(opts: RunOptions, state: dict) -> str:
    """Issue 6: a long loopback crawl with the plugin on (and off), RSS sampled as it goes (bench/soak.py)."""
    from . import soak

    summary = soak.run(opts.soak_pages, progress=lambda m: print("  " + m, flush=True))
    state["soak"] = summary
    return soak.markdown_section(summary)


def section_archive(opts: RunOptions, state: dict) -> str:
    """Issue 14: offline archive scoring throughput (bench/archive.py): WARC reading, `score_records` with 0, 1
    and 2 workers, datatrove pipelines (ours vs Gopher/FineWeb), constant memory on a large archive."""
    from . import archive

    return archive.section(opts, state)


SECTIONS = {"extraction": section_extraction, "realpages": section_realpages, "accuracy": section_accuracy,
            "speed": section_speed, "crawl": section_crawl, "hostile": section_hostile, "soak": section_soak,
            "archive": section_archive}
SMALL_SECTIONS = ("extraction", "realpages", "accuracy")
TITLES = {"extraction": "Main-content extraction: real pages (bench/realpages, both halves)",
          "realpages": "Detection accuracy: real pages (bench/realpages, {split} half)",
          "accuracy": "Detection accuracy: template pages (bench/pages, {split} split)", "speed": "Speed",
          "crawl": "Crawl throughput (loopback: CPU-bound and latency-bound)", "hostile": "Hostile input (fuzz corpus)",
          "soak": "Memory over a long crawl (soak)",
          "archive": "Offline archive scoring: WARC records/s and datatrove pipelines"}


VERSIONED = ("scrapy", "kenlm", "numpy", "selectolax", "langdetect", "trafilatura", "resiliparse", "datatrove", "lxml")


def _versions() -> str:
    """The exact versions this run used (make installs them from constraints.txt)."""
    import hashlib
    from importlib import metadata

    found = []
    for name in VERSIONED:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    constraints = ROOT / "constraints.txt"
    digest = hashlib.sha256(constraints.read_bytes()).hexdigest()[:12] if constraints.is_file() else "missing"
    return f"Versions: {', '.join(found)}; constraints.txt sha256 {digest}."


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m bench.run", description=__doc__.split("\n")[0])
    p.add_argument("--small", action="store_true", help="a few dozen pages, < 60 s (the test suite's version)")
    p.add_argument("--split", default="test", choices=("test", "dev"), help="which frozen split (tune on dev only)")
    p.add_argument("--articles", type=int, default=None, help="cap the number of articles")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    p.add_argument("--sections", default=None, help=f"comma-separated subset of: {', '.join(SECTIONS)}")
    p.add_argument("--out", type=Path, default=None, help="Markdown output (default: bench/RESULTS.md for the full "
                                                          "run on test; bench/out/<small|partial>-<split>.md else)")
    p.add_argument("--no-peers", action="store_true", help="skip the datatrove filters in the accuracy section")
    p.add_argument("--real-pages", type=int, default=None,
                   help="realpages: only the first N real pages of the split (default: all; 12 with --small)")
    p.add_argument("--extraction-pages", type=int, default=None,
                   help="extraction: only the first N real pages of each half (default: all; 10 with --small)")
    p.add_argument("--extraction-passes", type=int, default=None,
                   help="extraction: timed passes, fastest kept (default 3; 1 with --small)")
    p.add_argument("--speed-pages", type=int, default=None)
    p.add_argument("--crawl-pages", type=int, default=None)
    p.add_argument("--hostile-cases", type=int, default=10_000)
    p.add_argument("--soak-pages", type=int, default=20_000)
    args = p.parse_args(argv)
    small = args.small
    opts = RunOptions(
        split=args.split, small=small, articles=args.articles, jobs=args.jobs,
        levels=(MIDDLE,) if small else (0, 1, 2),
        sections=tuple(s.strip() for s in args.sections.split(",")) if args.sections else
        (SMALL_SECTIONS if small else tuple(SECTIONS)),
        # only the full run on the test split may replace RESULTS.md; partial and tuning runs go to bench/out/
        out=args.out or (OUT / "small.md" if small else RESULTS if not args.sections and args.split == "test"
                         else OUT / f"partial-{args.split}.md"),
        speed_pages=args.speed_pages or (40 if small else 300),
        crawl_pages=args.crawl_pages or (200 if small else 2000),
        hostile_cases=args.hostile_cases, soak_pages=args.soak_pages,
        extra={"no_peers": args.no_peers, "real_pages": args.real_pages, "extraction_pages": args.extraction_pages,
               "extraction_passes": args.extraction_passes},
        command="python3 -m bench.run" + ("" if argv is None and len(sys.argv) <= 1 else " " + " ".join(
            shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))),
    )
    for s in opts.sections:
        if s not in SECTIONS:
            p.error(f"unknown section {s!r}; known: {', '.join(SECTIONS)}")
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    state: dict = {}
    body = []
    for name in opts.sections:
        t0 = time.perf_counter()
        print(f"== {name}", flush=True)
        text = SECTIONS[name](opts, state)
        body.append(f"## {TITLES.get(name, name).format(split=opts.split)}\n\n_{time.perf_counter() - t0:.0f} s_\n\n{text}")
    header = (f"# Benchmark results\n\nProduced by `{opts.command}` in {time.perf_counter() - started:.0f} s on "
              f"{platform.machine()} ({os.cpu_count()} cores), Python {platform.python_version()}, model "
              f"{_model_name()}; load average {load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end. "
              f"Every figure below comes from that one command; per-page rows are in "
              f"`bench/out/` (git-ignored). See bench/README.md for the method.\n\n{_versions()}\n\n")
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(header + targets(state) + "\n".join(body), encoding="utf-8")
    print(f"wrote {opts.out} ({time.perf_counter() - started:.0f} s)")
    return 0


def _model_name() -> str:
    try:
        from scoring.lm import DEFAULT_MODEL, read_card

        card = read_card(DEFAULT_MODEL)
        if not card:
            return DEFAULT_MODEL.name
        if "mixture" in card:
            weights = card["mixture"].get("weights", {})
            return (f"{DEFAULT_MODEL.name} ({card.get('order', '?')}-gram mixture: ours "
                    f"{weights.get('own', '?')}, CMU Sphinx trigram {weights.get('sphinx', '?')})")
        tokens = (card.get("corpus") or {}).get("tokens")
        return (f"{DEFAULT_MODEL.name} ({card.get('order', '?')}-gram, "
                f"{f'{tokens:,}' if isinstance(tokens, int) else '?'} training tokens)")
    except Exception as exc:
        return f"unavailable ({exc})"


if __name__ == "__main__":
    sys.exit(main())
