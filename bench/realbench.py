"""Detection on real pages: bench/realpages' article pages, clean and with corruptions written into their HTML.

For the run's split (test by default, `--split dev` for tuning), every page of bench/realpages is scored
clean by `scoring.scorer.Scorer(QualityConfig())` in worker processes (bench.run.run_pages / score_page, the
same machinery as the template pages); every English page whose article paragraphs can be located
(`bench.realpages.corruptible`) is also scored under each corruption at each strength. That set (the usable
English pages, clean + 4 kinds x 3 strengths) is `bench.realpages.corrupted_pages(split, english_only=True)`;
it goes through bench.run.accuracy_tables (ROC-AUC, recall at 1%/5% FPR, evidence localisation via
bench.pages.map_truth, every signal against every corruption, page verdicts). A second table gives the
verdicts on ALL clean pages of the split, English or not: what the default configuration does to real
articles.

Spin by family: the usable English pages are also spun by the other spin families of bench.spinners (Moby via
Aiksaurus, LibreOffice's MyThes, and on the test split only the held-out phrase rewrites and article rewriter) at
each strength; those pages go to their own table ("spin by family", `family_table`), not into the tables above,
whose spin rows stay the WordNet family's. A `--split dev` run never builds the held-out families
(bench.spinners.families_for).

    python -m bench.run --sections realpages --split dev               # alone
    python -m bench.run --sections realpages --split dev --real-pages 12   # the first 12 pages of the split
"""
from __future__ import annotations

import json
import time
from collections import Counter, defaultdict

import numpy as np

from . import spinners
from .corrupt import KINDS, STRENGTHS
from .realpages import (SPLITS, clean_page, corrupt_page, corruptible, language_of, load_pages)
from .spinners import DEFAULT_FAMILY, FAMILIES

SMALL_PAGES = 12          # --small: the first 12 pages of the split, middle strength only


def build(split: str, cap: int | None = None, levels=(0, 1, 2), seed: int = 0, families: tuple[str, ...] = (),
          ) -> tuple[list, dict[str, dict]]:
    """(pages to score, per real page: language, english, usable, article words).

    The pages: every page of the split clean, then (usable English pages only) each kind at each level, in
    the order of bench.realpages.corrupted_pages; uncapped with all levels, the usable English pages are
    exactly `corrupted_pages(split, english_only=True, seed=seed)`. Then, per page, spin by each of
    `families` other than the default (WordNet) one at each level (the held-out family raises on dev)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}")
    pages = load_pages(split)
    if cap:
        pages = pages[:cap]
    out, info = [], {}
    for page in pages:
        lang = language_of(page)
        usable = lang == "en" and corruptible(page)
        info[page.id] = {"language": lang, "english": lang == "en", "usable": usable,
                         "article_words": len(page.article.split()), "domain": page.domain}
        out.append(clean_page(page))
        if usable:
            for kind in KINDS:
                for level in levels:
                    out.append(corrupt_page(page, kind, level, seed))
            for family in families:
                if family != DEFAULT_FAMILY:
                    for level in levels:
                        out.append(corrupt_page(page, "spin", level, seed, family=family))
    return out, info


def _family_of(row: dict) -> str:
    return (row.get("family") or DEFAULT_FAMILY) if row["kind"] == "spin" else ""


def family_table(rows: list[dict], split: str, families: tuple[str, ...]) -> str:
    """Spin by family: rows = spin family, columns = strength -> ROC-AUC, recall at 1% and 5% FPR of the `spin`
    signal (negatives: the clean pages of `rows`)."""
    from . import metrics
    from .run import _table, fmt, pct

    scored = [r for r in rows if "scores" in r]
    neg = np.array([r["scores"].get("spin", 0.0) for r in scored if r["kind"] == "clean"])
    levels = sorted({r["level"] for r in scored if r["kind"] == "spin"})
    head = ["family", "source", "n per strength", "words changed (mean)"]
    for level in levels:
        label = STRENGTHS["spin"][level][0]
        head += [f"{label} ROC-AUC", f"{label} recall@1%FPR", f"{label} recall@5%FPR"]
    body = []
    for name, fam in FAMILIES.items():
        mark = (" (seen: the detector reads WordNet)" if fam.seen
                else f" (held out: test only; {fam.note})" if fam.held_out else "")
        if name not in families:
            body.append([f"{fam.label}{mark}", fam.source, "not built on this split (held out)"]
                        + [""] * (len(head) - 3))
            continue
        sel = [r for r in scored if _family_of(r) == name]
        changed = ", ".join(
            f"{STRENGTHS['spin'][lv][0]}: {pct(np.mean([r['stats'].get('rate', 0.0) for r in sel if r['level'] == lv]))}"
            for lv in levels if any(r["level"] == lv for r in sel))
        if name in ("phrase", "rewriter") and sel:
            share = np.sum([r["stats"].get("swapped_words", 0) - r["stats"].get("fill_words", 0) for r in sel]) / max(
                1, np.sum([r["stats"].get("swapped_words", 0) for r in sel]))
            changed += f" ({pct(share)} of them by {'phrase' if name == 'phrase' else 'rewriter'} rules, the rest Moby swaps)"
        line = [f"{fam.label}{mark}", fam.source, str(len([r for r in sel if r["level"] == levels[0]])) if sel else "0",
                changed]
        for level in levels:
            pos = np.array([r["scores"].get("spin", 0.0) for r in sel if r["level"] == level])
            if not len(pos):
                line += ["n/a"] * 3
                continue
            line += [fmt(metrics.roc_auc(neg, pos)), pct(metrics.recall_at_fpr(neg, pos, 0.01).recall),
                     pct(metrics.recall_at_fpr(neg, pos, 0.05).recall)]
        body.append(line)
    return ("### Spin by family\n\nThe `spin` signal against spinners with different synonym sources "
            "(bench/spinners.py), the same pages, strengths and negatives (the "
            f"{len(neg)} clean pages) as above. WordNet is the detector's own candidate table (its row is the "
            "spin row above); the others are not. \"words changed\": share of the article's content words "
            f"changed, as written into the HTML. Held out: {', '.join(spinners.HELD_OUT)} (test split only; a "
            f"`--split dev` run does not build it). This run: `{split}` split.\n\n" + _table(head, body) + "\n")


def top_clean(rows: list[dict], n: int = 3) -> str:
    """The highest-scoring clean pages per signal: with fewer than 100 clean pages the 1% FPR threshold IS the
    top clean score, so one odd clean page decides recall@1%."""
    from .run import SIGNALS, _table

    clean = [r for r in rows if r["kind"] == "clean" and r.get("scores")]
    if not clean:
        return ""
    body = []
    for signal in SIGNALS:
        top = sorted(clean, key=lambda r: -r["scores"].get(signal, 0.0))[:n]
        body.append([signal] + [f"{r['scores'].get(signal, 0.0):.4f} `{r['article'][:10]}` ({r['source']})" for r in top])
    return ("### Highest-scoring clean pages per signal\n\nThey set the recall@1%FPR threshold above (fewer than 100 "
            "clean pages: no clean page may score above it).\n\n"
            + _table(["signal"] + [f"#{i + 1}" for i in range(n)], body) + "\n")


def clean_verdicts(rows: list[dict], split: str) -> str:
    """Page verdicts on every clean page of the split (English and not), under the default configuration."""
    from .run import _table, pct

    clean = [r for r in rows if r["kind"] == "clean"]
    groups = [("all clean pages", clean),
              ("English, corruptible (the detection set)", [r for r in clean if r["usable"]]),
              ("English, article not located", [r for r in clean if r["english"] and not r["usable"]]),
              ("not English", [r for r in clean if not r["english"]])]
    head = ["pages", "n", "dropped", "tagged", "any flag", "statuses", "flags per signal (pages)"]
    body = []
    for name, sel in groups:
        if not sel:
            continue
        statuses = Counter(r.get("status", "error") for r in sel)
        flags = Counter(f for r in sel for f in r.get("flags", []))
        body.append([name, str(len(sel)), pct(np.mean([r.get("action") == "drop" for r in sel])),
                     pct(np.mean([r.get("action") == "tag" for r in sel])),
                     pct(np.mean([bool(r.get("flags")) for r in sel])),
                     ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())),
                     ", ".join(f"{k} {v}" for k, v in sorted(flags.items())) or "none"])
    langs = Counter(r["language"] for r in clean)
    flagged = [r for r in clean if r.get("flags")]
    lines = [f"Every page of the {split} half, unchanged, under `QualityConfig()` (languages of the article text: "
             + ", ".join(f"{k} {v}" for k, v in langs.most_common()) + "). \"dropped\"/\"tagged\": the page's action; "
             "\"any flag\": at least one signal at or over its threshold.\n", _table(head, body)]
    if flagged:
        lines.append("\nFlagged clean pages: " + "; ".join(
            f"`{r['article'][:10]}` ({r['source']}, {r.get('words', 0)} words): {r['action']} for "
            + ", ".join(f"{f} {r['scores'][f]:.4f}" for f in r["flags"]) for r in flagged[:12])
            + ("; ..." if len(flagged) > 12 else ""))
    return "\n".join(lines) + "\n"


def section(opts, state: dict) -> str:
    """bench.run's `realpages` section."""
    from . import run as br

    cap = opts.extra.get("real_pages")
    if opts.small and not cap:
        cap = SMALL_PAGES
    started = time.perf_counter()
    # the held-out spin family is left out of a dev (tuning) run here, and corrupt_page would refuse it anyway
    families = spinners.families_for(opts.split)
    pages, info = build(opts.split, cap, opts.levels, br.SEED, families)
    n_real = len(info)
    n_usable = sum(i["usable"] for i in info.values())
    print(f"realpages: {n_real} real pages of the {opts.split} half ({n_usable} English and corruptible), "
          f"{len(pages)} pages to score (built in {time.perf_counter() - started:.0f} s)", flush=True)
    t0 = time.perf_counter()
    rows = br.run_pages(pages, opts.jobs, with_peers=False)
    elapsed = time.perf_counter() - t0
    for row in rows:
        row.update(info[row["article"]])
        row["split"] = opts.split
    out_dir = br.OUT / ("small-real" if opts.small else f"real-{opts.split}")
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "pages.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    # the other spin families have their own table; everything else reads the default (WordNet) spin rows
    family_rows = [r for r in rows if r["kind"] == "spin" and _family_of(r) != DEFAULT_FAMILY]
    rows = [r for r in rows if not (r["kind"] == "spin" and _family_of(r) != DEFAULT_FAMILY)]
    state["real_rows"] = rows
    state["real_family_rows"] = family_rows
    state["real_split"] = opts.split

    detection = [r for r in rows if r["usable"]]
    words = sorted(info[i]["article_words"] for i in info if info[i]["usable"])
    median = int(np.median(words)) if words else 0
    slices = ((f"article < {median} words", lambda r: r["article_words"] < median),
              (f"article >= {median} words", lambda r: r["article_words"] >= median))
    kinds = defaultdict(int)
    for r in detection:
        kinds[r["kind"]] += 1
    intro = (f"Data: {n_real} real article pages of the `{opts.split}` half of bench/realpages"
             + (f" (the first {cap})" if cap else "")
             + f"; {n_usable} of them English with the article located in the HTML (>= 3 paragraphs), each clean "
             f"and under {len(KINDS)} corruptions x {len(opts.levels)} strength{'s' if len(opts.levels) != 1 else ''} "
             f"written into its article body = {len(detection)} pages; the {n_real - n_usable} other"
             f"{' is' if n_real - n_usable == 1 else 's are'} scored clean only (verdict table). {len(pages)} pages scored in {elapsed:.0f} s with {opts.jobs} worker "
             f"processes (our scorer only; the datatrove filters run on the template pages). Article length "
             f"{median} words median. Negatives: the {kinds['clean']} clean English pages, so a 1% FPR is "
             f"{'the top clean page' if kinds['clean'] < 200 else 'the top 1%'} and recall@1% moves in steps.\n\n")
    intro += (f"Spin by family (table below): {len(family_rows)} more pages, the usable pages spun by "
              + ", ".join(FAMILIES[f].label for f in families if f != DEFAULT_FAMILY) + ".\n\n")
    return (intro + br.accuracy_tables(detection, br._thresholds(), slices) + "\n"
            + family_table(detection + family_rows, opts.split, families) + "\n" + top_clean(detection)
            + "\n### Verdicts on all clean real pages of the split (English and not)\n\n"
            + clean_verdicts(rows, opts.split))


def targets(state: dict) -> list[list[str]]:
    """Target rows for bench.run.targets: (target, measured, met, missed by)."""
    from . import metrics
    from .extraction import OURS, OURS_BODY
    from .run import MIDDLE, _scores, fmt, pct, target_row

    lines = []
    rows = [r for r in state.get("real_rows", []) if "scores" in r or r["kind"] == "clean"]
    split = state.get("real_split", "test")
    if rows:
        clean = [r for r in rows if r["kind"] == "clean"]
        dropped = float(np.mean([r.get("action") == "drop" for r in clean]))
        tagged = float(np.mean([r.get("action") == "tag" for r in clean]))
        see = "Page verdicts under the default configuration (real pages), Highest-scoring clean pages per signal"
        lines.append(target_row(f"real pages, all {len(clean)} clean of the {split} half: dropped <= 0.5%", pct(dropped),
                                dropped, 0.005, at_least=False, unit=" points", digits=1, see=see))
        lines.append(target_row(f"real pages, all {len(clean)} clean of the {split} half: tagged <= 3%", pct(tagged),
                                tagged, 0.03, at_least=False, unit=" points", digits=1, see=see))
        scored = [r for r in rows if r.get("usable") and "scores" in r]
        n_neg = sum(r["kind"] == "clean" for r in scored)
        for kind in ("injection", "boilerplate"):
            neg, _ = _scores(scored, kind)
            pos, _ = _scores(scored, kind, kind, MIDDLE)
            if len(pos):
                rec = metrics.recall_at_fpr(neg, pos, 0.01).recall
                lines.append(target_row(f"real pages ({split}, {n_neg} clean English), {kind} "
                                        f"{STRENGTHS[kind][MIDDLE][0]}: recall >= 90% at 1% FPR", pct(rec), rec, 0.90,
                                        unit=" points", digits=1,
                                        see="Highest-scoring clean pages per signal (the 1% FPR line), Slices"))
        neg, _ = _scores(scored, "split")
        pos, _ = _scores(scored, "split", "split", MIDDLE)
        if len(pos):
            auc = metrics.roc_auc(neg, pos)
            lines.append(target_row(f"real pages ({split}, {n_neg} clean English), split "
                                    f"{STRENGTHS['split'][MIDDLE][0]}: ROC-AUC >= 0.97", fmt(auc), auc, 0.97,
                                    see="Highest-scoring clean pages per signal, Slices"))
    ext = (state.get("extraction") or {}).get(OURS)
    body = (state.get("extraction") or {}).get(OURS_BODY)
    if ext:
        # judged like for like: `articleBody` leaves the headline out, as trafilatura's text does; the signals read
        # the title block too, and that figure stays beside it
        ms = ext["ms_mean"]
        judged = body or ext
        f1_test = judged["test"][2]
        measured = (f"article body F1 {fmt(f1_test)} (test, {ext['n_test']} pages), {fmt(judged['all'][2])} "
                    f"(all {ext['n_all']}); with its title block F1 {fmt(ext['test'][2])} (test); {ms:.2f} ms/page"
                    if body else f"F1 {fmt(f1_test)} (test, {ext['n_test']} pages); {ms:.2f} ms/page")
        met = f1_test >= 0.95 and ms <= 5.0
        lines.append(["extraction (ours, main content): F1 >= 0.95 against `articleBody` on the real test half at "
                      "<= 5 ms/page (mean)", measured, "yes" if met else "no",
                      "" if met else "why: Main-content extraction"])
    return lines
