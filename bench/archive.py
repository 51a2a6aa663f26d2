"""Issue 14: throughput of offline archive scoring, one archive, one run (`python3 -m bench.run --sections archive`).

1. WARC records/s: reading only (FastWARC and warcio, `scoring.archive_bench.compare_libraries`; our
   `ArchiveReader`, which adds HTTP parsing and decoding), then full scoring with `scoring.archive.score_records`
   in this process (workers=0) and with 1 and 2 worker processes.
2. The datatrove pipeline's records/s: `WarcReader -> QualityFilter -> JsonlWriter` against datatrove's own
   Gopher and FineWeb quality filters in the same pipeline. WarcReader hands on the raw HTML in `doc.text` and
   datatrove's filters expect extracted text, so those two pipelines put datatrove's `Trafilatura` extractor
   before the filter, as datatrove's own pipelines do (ours extracts by itself). Same archive, same executor
   settings: LocalPipelineExecutor with tasks=1, workers=1 and with tasks=2, workers=2.
3. Constant memory: `scoring.archive_bench.reading_memory` streams a ~200 MB .warc.gz (20 MB with --small).

The archive is the real pages of bench/realpages/html, each record its own gzip member with its own URL, repeated
to 1,086 records (6 passes over the 181 pages; 60 records of the first 30 pages with --small), written as two
halves: datatrove gives each task whole files, so two tasks need two files. The reading and `score_records`
runs read the two halves as one file (their concatenation, byte for byte).
"""
from __future__ import annotations

import gzip
import json
import os
import tempfile
import time
from pathlib import Path

from scoring.archive_bench import DEFAULT_PAGES, compare_libraries, read_pages, reading_memory, warc_member, \
    write_warc

FULL = {"pages": None, "passes": 6, "memory_mb": 200}
SMALL = {"pages": 30, "passes": 2, "memory_mb": 20}
SCORING_WORKERS = (0, 1, 2)
EXECUTORS = ((1, 1), (2, 2))          # (tasks, workers) of LocalPipelineExecutor
PIPELINES = ("ours", "gopher", "fineweb")
PIPELINE_LABELS = {
    "ours": "WarcReader → QualityFilter (ours) → JsonlWriter",
    "gopher": "WarcReader → Trafilatura → GopherQualityFilter → JsonlWriter",
    "fineweb": "WarcReader → Trafilatura → FineWebQualityFilter → JsonlWriter",
}


# -- the archive --------------------------------------------------------------------------------------------------
def write_archive(folder: Path, pages: list[bytes], passes: int) -> tuple[list[Path], Path, int]:
    """Two .warc.gz halves under folder/parts and their concatenation folder/all.warc.gz; returns the record count."""
    parts_dir = folder / "parts"
    parts_dir.mkdir(parents=True, exist_ok=True)
    members = [_member(f"http://bench.example/{p}/{i}", html) for p in range(passes) for i, html in enumerate(pages)]
    half = (len(members) + 1) // 2
    parts = [parts_dir / "part-0.warc.gz", parts_dir / "part-1.warc.gz"]
    whole = folder / "all.warc.gz"
    with open(whole, "wb") as out:
        for path, chunk in zip(parts, (members[:half], members[half:])):
            data = b"".join(chunk)
            path.write_bytes(data)
            out.write(data)
    return parts, whole, len(members)


def _member(url: str, html: bytes) -> bytes:
    """`warc_member`'s response record plus WARC-Identified-Payload-Type, as Common Crawl writes it: without it
    datatrove's WarcReader sniffs the type with libmagic, which calls most of these real pages
    application/javascript (19 of the first 30) and drops them."""
    record = warc_member(url, html, compress=False)
    record = record.replace(b"WARC-Type: response\r\n",
                            b"WARC-Type: response\r\nWARC-Identified-Payload-Type: text/html\r\n", 1)
    return gzip.compress(record, compresslevel=6)


# -- 1. reading and score_records ---------------------------------------------------------------------------------
def measure_scoring(whole: Path, workers: int) -> dict:
    from scoring.archive import ArchiveReader, Skipped, score_records
    from scoring.config import QualityConfig

    config = QualityConfig()
    began = time.perf_counter()
    first = None
    scored = skipped = dropped = 0
    for result in score_records(ArchiveReader([whole], config.max_bytes), config, workers=workers):
        if first is None:
            first = time.perf_counter() - began
        if isinstance(result, Skipped):
            skipped += 1
        else:
            scored += 1
            dropped += result.report.action == "drop"
    seconds = time.perf_counter() - began
    records = scored + skipped
    return {"workers": workers, "records": records, "scored": scored, "skipped": skipped, "dropped": dropped,
            "seconds": seconds, "first_s": first or 0.0, "records_per_s": records / seconds if seconds else 0.0}


# -- 2. datatrove ---------------------------------------------------------------------------------------------------
def _pipeline(name: str, parts_dir: Path, out: Path) -> list:
    from datatrove.pipeline.readers import WarcReader
    from datatrove.pipeline.writers import JsonlWriter

    steps = [WarcReader(str(parts_dir), glob_pattern="*.warc.gz")]
    if name == "ours":
        from scoring.datatrove_step import QualityFilter

        steps.append(QualityFilter())
    else:
        from datatrove.pipeline.extractors import Trafilatura
        from datatrove.pipeline.filters import FineWebQualityFilter, GopherQualityFilter

        # datatrove's defaults, except cross-document deduplication: the archive repeats every page, and
        # trafilatura's deduplication would empty the repeats (less text to filter than a real crawl has)
        steps.append(Trafilatura(deduplicate=False))
        steps.append(GopherQualityFilter() if name == "gopher" else FineWebQualityFilter())
    steps.append(JsonlWriter(str(out)))
    return steps


def measure_datatrove(name: str, parts_dir: Path, work: Path, tasks: int, workers: int) -> dict:
    from datatrove.executor import LocalPipelineExecutor

    run_dir = work / f"{name}-t{tasks}w{workers}"
    executor = LocalPipelineExecutor(pipeline=_pipeline(name, parts_dir, run_dir / "kept"), tasks=tasks,
                                     workers=workers, logging_dir=str(run_dir / "logs"), skip_completed=False)
    began = time.perf_counter()
    try:
        executor.run()
    except Exception as exc:  # reported in the table, never hidden
        return {"pipeline": name, "tasks": tasks, "workers": workers, "error": f"{type(exc).__name__}: {exc}"}
    seconds = time.perf_counter() - began
    stats = json.loads((run_dir / "logs" / "stats.json").read_text())
    read = next((s for s in stats if "warc" in s["name"].lower()), {}).get("stats", {})
    records = int(read.get("documents", {}).get("total", 0))
    extractor = next((s for s in stats if "trafilatura" in s["name"].lower()), None)
    extract = (extractor or {}).get("stats", {})
    filt = next((s for s in stats if "filter" in s["name"].lower() and "warc" not in s["name"].lower()), {})
    fstats = filt.get("stats", {})
    return {"pipeline": name, "tasks": tasks, "workers": workers, "records": records, "seconds": seconds,
            "records_per_s": records / seconds if seconds else 0.0,
            "kept": int(fstats.get("forwarded", 0)), "dropped": int(fstats.get("dropped", 0)),
            "filter_s": _step_seconds(filt), "extract_s": _step_seconds(extractor) if extractor else None,
            "extract_timeouts": int(extract.get("timeout", 0)), "extract_empty": int(extract.get("dropped", 0))}


def _step_seconds(step: dict) -> float | None:
    """The total time datatrove measured inside one step (summed over tasks)."""
    t = step.get("time_stats")
    if isinstance(t, dict):
        return float(t.get("total", 0.0))
    return None


# -- the section ----------------------------------------------------------------------------------------------------
def run(small: bool = False, progress=print) -> dict:
    size = SMALL if small else FULL
    pages = read_pages(DEFAULT_PAGES, size["pages"])
    result: dict = {"pages": len(pages), "passes": size["passes"]}
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        tmp = Path(tmp)
        parts, whole, n = write_archive(tmp / "archive", pages, size["passes"])
        result.update(records=n, archive_mb=whole.stat().st_size / 1e6,
                      payload_mb=sum(map(len, pages)) * size["passes"] / 1e6)
        progress(f"  archive: {n} records, {result['archive_mb']:.1f} MB .warc.gz in 2 parts")

        result["libraries"] = compare_libraries(whole)
        result["reader"] = reading_memory(whole, every=10)
        progress("  reading: " + ", ".join(f"{k} {v['records_per_s']:,.0f}/s" for k, v in result["libraries"].items()))

        result["scoring"] = []
        for w in SCORING_WORKERS:
            r = measure_scoring(whole, w)
            result["scoring"].append(r)
            progress(f"  score_records workers={w}: {r['records_per_s']:.1f} records/s ({r['seconds']:.0f} s)")

        result["datatrove"] = []
        for tasks, workers in EXECUTORS:
            for name in PIPELINES:
                r = measure_datatrove(name, parts[0].parent, tmp / "datatrove", tasks, workers)
                result["datatrove"].append(r)
                progress(f"  datatrove {name} tasks={tasks} workers={workers}: " +
                         (r["error"] if "error" in r else f"{r['records_per_s']:.1f} records/s ({r['seconds']:.0f} s)"))

        big = tmp / "memory.warc.gz"
        big_records = write_warc(big, pages, int(size["memory_mb"] * 1e6))
        result["memory"] = {**reading_memory(big), "written_records": big_records}
        m = result["memory"]
        progress(f"  memory: {m['file_mb']:.0f} MB, RSS {m['rss_start_mb']:.0f} -> {m['rss_peak_mb']:.0f} MB")
    return result


def _table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return "\n".join(out + ["| " + " | ".join(r) + " |" for r in rows])


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a and b else "n/a"


def markdown(result: dict) -> str:
    parts = []
    n = result["records"]
    parts.append(
        f"One archive: {n:,} WARC response records ({result['pages']} real pages of bench/realpages/html x "
        f"{result['passes']} passes, every record its own gzip member and URL; {result['archive_mb']:.1f} MB "
        f".warc.gz, {result['payload_mb']:.0f} MB of HTML), written to a temporary directory as two halves "
        "(datatrove hands each task whole files) and, for the reading and `score_records` runs, as their "
        "concatenation. Every figure is one timed pass, wall clock, on this machine's "
        f"{os.cpu_count()} shared cores, in the order the tables show; a run's time includes starting its "
        "processes and loading the model in each (what a user waits for). Scoring uses the default "
        "configuration (models/en). The datatrove pipelines write every kept document with JsonlWriter and have "
        "no exclusion writer; ours passes the raw HTML on (its verdict goes into `doc.metadata`), so its writer "
        "compresses the whole page where the other two write the extracted text. datatrove's WarcReader passes the raw HTML on in `doc.text`; its Gopher and "
        "FineWeb filters expect extracted text, so those pipelines run datatrove's `Trafilatura` extractor "
        "first, as datatrove's own pipelines do (its defaults, but `deduplicate=False`: the archive repeats "
        "every page, and trafilatura's cross-document deduplication would empty the repeats); our "
        "`QualityFilter` extracts the main content itself. Every record carries WARC-Identified-Payload-Type: "
        "text/html, as Common Crawl's do (without it WarcReader sniffs the type with libmagic, which calls most "
        "of these pages application/javascript and drops them).")

    rows = []
    for name, r in result["libraries"].items():
        rows.append([f"reading only: {name} (every payload read)", f"{r['records_per_s']:,.0f}",
                     f"{r['mb_per_s']:.0f} MB/s of .warc.gz, best of 2"])
    rd = result["reader"]
    rows.append(["reading only: `ArchiveReader` (FastWARC + HTTP headers, decoding, content type)",
                 f"{rd['records_per_s']:,.0f}", f"{rd['records']:,} records"])
    base = next((r["records_per_s"] for r in result["scoring"] if r["workers"] == 0), None)
    for r in result["scoring"]:
        w = r["workers"]
        label = "in-process (workers=0)" if w == 0 else f"{w} worker process{'es' if w > 1 else ''} (workers={w})"
        rows.append([f"`score_records`: {label}", f"{r['records_per_s']:.1f}",
                     f"{_ratio(r['records_per_s'], base)} in-process; {r['seconds']:.1f} s "
                     f"(first result after {r['first_s']:.1f} s); {r['scored']} scored, {r['skipped']} skipped, "
                     f"{r['dropped']} dropped"])
    parts.append("### WARC records/s: reading and `score_records` (`python -m scoring --workers N`)\n\n"
                 + _table(["mode", "records/s", "notes"], rows))

    rows = []
    dt = result["datatrove"]
    for tasks, workers in EXECUTORS:
        ours = next((r.get("records_per_s") for r in dt if r["pipeline"] == "ours" and r["tasks"] == tasks
                     and "error" not in r), None)
        one = {r["pipeline"]: r.get("records_per_s") for r in dt if r["tasks"] == 1 and "error" not in r}
        for r in (r for r in dt if r["tasks"] == tasks):
            setting = f"tasks={tasks}, workers={workers}"
            if "error" in r:
                rows.append([PIPELINE_LABELS[r["pipeline"]], setting, "failed", r["error"][:200], "", "", ""])
                continue
            steps = f"filter {r['filter_s']:.1f} s" if r["filter_s"] is not None else ""
            if r["extract_s"] is not None:
                steps = f"Trafilatura {r['extract_s']:.1f} s, " + steps
                if r["extract_timeouts"] or r["extract_empty"]:
                    steps += f"; extractor timeouts {r['extract_timeouts']}, empty {r['extract_empty']}"
            rows.append([PIPELINE_LABELS[r["pipeline"]], setting, f"{r['records_per_s']:.1f}",
                         _ratio(r["records_per_s"], ours) if r["pipeline"] != "ours" else "1.00x",
                         _ratio(r["records_per_s"], one.get(r["pipeline"])) if tasks != 1 else "1.00x",
                         f"{r['records']:,} read, {r['kept']:,} kept, {r['dropped']:,} dropped",
                         f"{r['seconds']:.1f} s wall; {steps} (step time summed over tasks)"])
    parts.append("### datatrove pipelines: records/s, LocalPipelineExecutor, same archive\n\n"
                 + _table(["pipeline", "executor", "records/s", "vs ours (same executor)", "vs tasks=1",
                           "documents", "time"], rows))

    m = result["memory"]
    parts.append(
        "### Constant memory: streaming a large archive (`scoring.archive_bench.reading_memory`)\n\n"
        + _table(["archive", "records", "payloads", "records/s", "RSS at the start", "RSS at the peak"],
                 [[f"{m['file_mb']:.0f} MB .warc.gz", f"{m['records']:,}", f"{m['payload_mb']:,.0f} MB",
                   f"{m['records_per_s']:,.0f}", f"{m['rss_start_mb']:.0f} MB", f"{m['rss_peak_mb']:.0f} MB"]])
        + "\n\nEvery record read through `ArchiveReader` (no scoring; the same pages repeated by `write_warc` to "
          "the size shown), RSS of this process sampled every 100 records. Records are read one at a time, so "
          "the peak should stay at the start's level however large the archive; a peak well above it is a leak.")
    return "\n\n".join(parts) + "\n"


def section(opts, state: dict | None = None) -> str:
    result = run(small=getattr(opts, "small", False), progress=lambda m: print(m, flush=True))
    if state is not None:
        state["archive"] = result
    return markdown(result)

