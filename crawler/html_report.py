"""The HTML audit report: one self-contained file (inline CSS and SVG, no scripts, no external assets).

It shows the crawl's verdicts, a histogram of every signal with its threshold marked, the threshold
sweep, and each flagged page with its evidence highlighted in the page text: spun words, broken
sentence boundaries, injected blocks and boilerplate blocks each in their own style, with the reason as
a tooltip. Everything that came from the web (text, URLs, evidence, reasons) goes through
`html.escape`; file names never come from crawled content.
"""
from __future__ import annotations

import math
import os
from html import escape
from pathlib import Path
from typing import Iterable, Sequence

from scoring.config import DEFAULT_THRESHOLDS
from scoring.report import DROP, KEEP, SCORED, TAG, TOO_SHORT, UNSCORED, Evidence, PageReport

from .audit import Audit, AuditedPage, read_audits

SWEEP_THRESHOLDS = tuple(sorted({0.5, 0.75, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, *DEFAULT_THRESHOLDS.values()}))
SIGNAL_STYLES = {  # signal -> (css class, legend)
    "spin": ("ev-spin", "spun word or phrase (likelier wording in the tooltip)"),
    "split": ("ev-split", "sentence boundary judged broken"),
    "injection": ("ev-injection", "injected block (ad, unrelated headline, off-topic)"),
    "boilerplate": ("ev-boilerplate", "boilerplate block (share bar, comment form, widget)"),
}
MAX_NINES = 6  # the histogram's x axis runs from score 0 to 0.999999 (the default split threshold is 0.999998)

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2327;background:#f6f7f7}
header,main{max-width:1100px;margin:0 auto;padding:12px 20px}
header{background:#1d2327;color:#fff;max-width:none}
header h1{margin:4px 0;font-size:20px} header p{margin:2px 0;color:#c3c4c7}
h2{font-size:17px;margin:22px 0 8px;border-bottom:1px solid #dcdcde;padding-bottom:4px}
table{border-collapse:collapse;background:#fff;margin:6px 0} td,th{border:1px solid #dcdcde;padding:3px 8px;text-align:right}
th{background:#f0f0f1} td.l,th.l{text-align:left}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:#fff;border:1px solid #dcdcde;border-radius:4px;padding:8px 12px;min-width:110px}
.card b{display:block;font-size:20px}
.hist{display:inline-block;background:#fff;border:1px solid #dcdcde;margin:4px;padding:4px}
.page{background:#fff;border:1px solid #dcdcde;border-radius:4px;margin:14px 0;padding:10px 14px}
.page h3{margin:0 0 6px;font-size:15px;word-break:break-all}
.badge{display:inline-block;border-radius:3px;padding:0 6px;margin-right:4px;font-size:12px;color:#fff;background:#646970}
.badge.drop{background:#b32d2e}.badge.tag{background:#996800}.badge.keep{background:#008a20}.badge.unscored{background:#3858e9}
.over{color:#b32d2e;font-weight:bold}
.text{white-space:pre-wrap;background:#fbfbfb;border:1px solid #f0f0f1;padding:8px;max-height:420px;overflow:auto;font-family:Georgia,serif}
.ev-spin{text-decoration:underline wavy #d63638;text-decoration-skip-ink:none;color:#8a2424;font-weight:600}
.ev-split{background:#ffe0b2}
.cut{color:#e65100;font-weight:bold;padding:0 1px}
.ev-injection{background:#e9d8fd;box-decoration-break:clone}
.ev-boilerplate{background:#e2e4e7;color:#50575e}
.legend span{margin-right:14px}
details{margin:6px 0} summary{cursor:pointer;color:#2271b1}
ol.evidence{margin:4px 0 0 18px;padding:0} ol.evidence li{margin:2px 0}
.muted{color:#646970}
"""


# -- numbers ------------------------------------------------------------------------------------------------------
def signal_scores(audit: Audit) -> dict[str, list[float]]:
    """Per signal, the scores of the pages where it ran."""
    scores: dict[str, list[float]] = {name: [] for name in audit.signal_names()}
    for page in audit.pages:
        if page.report.status not in (SCORED, TOO_SHORT):
            continue
        for name, sig in page.report.signals.items():
            scores.setdefault(name, []).append(sig.score)
    return scores


def sweep(audit: Audit, thresholds: Sequence[float] = SWEEP_THRESHOLDS) -> dict[str, list[tuple[float, int]]]:
    """Per signal, how many pages each threshold would flag (a page is flagged when score >= threshold)."""
    return {name: [(t, sum(s >= t for s in scores)) for t in thresholds]
            for name, scores in signal_scores(audit).items()}


def format_sweep(audit: Audit, thresholds: Sequence[float] = SWEEP_THRESHOLDS) -> str:
    """The sweep as a text table; the column of each signal's current threshold is starred."""
    table = sweep(audit, thresholds)
    current = audit.thresholds
    counts = signal_scores(audit)
    head = f"{'signal':<12} {'pages':>6}  " + " ".join(f"{t:>7g}" for t in thresholds) + "   current"
    lines = [head]
    for name, row in table.items():
        cells = []
        for t, n in row:
            mark = "*" if current.get(name) is not None and math.isclose(current[name], t) else " "
            cells.append(f"{n:>6}{mark}")
        now = current.get(name)
        flagged_now = sum(s >= now for s in counts[name]) if now is not None else None
        tail = f"   {now:g} -> {flagged_now}" if now is not None else ""
        lines.append(f"{name:<12} {len(counts[name]):>6}  " + " ".join(cells) + tail)
    lines.append("pages flagged per threshold (score >= threshold); * marks the configured threshold")
    return "\n".join(lines)


def nines(score: float) -> float:
    """Position on the histogram axis: 0 -> 0, 0.9 -> 1, 0.99 -> 2, 0.999 -> 3 (capped at MAX_NINES)."""
    score = min(max(score, 0.0), 1.0)
    return MAX_NINES if score >= 1 - 10 ** -MAX_NINES else -math.log10(1.0 - score)


def score_label(score: float) -> str:
    """A score with as many decimals as its nines need to stay apart from its neighbours on the log axis
    ("0.99968", not "1", for 1 - 10^-3.5)."""
    decimals = 2 if score < 0.9 else min(int(nines(score)) + 2, MAX_NINES + 2)
    return f"{score:.{decimals}f}".rstrip("0").rstrip(".") or "0"


# -- pieces of HTML -----------------------------------------------------------------------------------------------
def histogram_svg(name: str, scores: Iterable[float], threshold: float | None, bins: int = 4 * MAX_NINES,
                  width: int = 340, height: int = 170) -> str:
    counts = [0] * bins
    for s in scores:
        counts[min(int(nines(s) / MAX_NINES * bins), bins - 1)] += 1
    top = max(counts) or 1
    left, bottom, plot_w, plot_h = 34, height - 34, width - 58, height - 72
    bar_w = plot_w / bins
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="histogram of {escape(name)} scores">',
             f'<text x="{width / 2}" y="14" text-anchor="middle" font-size="13" font-weight="bold">'
             f'{escape(name)} ({sum(counts)} pages)</text>']
    for i, n in enumerate(counts):
        lo = 1 - 10 ** -(i * MAX_NINES / bins)
        hi = 1 - 10 ** -((i + 1) * MAX_NINES / bins)
        over = threshold is not None and lo >= threshold - 1e-12
        h = plot_h * n / top
        parts.append(f'<rect x="{left + i * bar_w + 1:.1f}" y="{bottom - h:.1f}" width="{bar_w - 2:.1f}" '
                     f'height="{h:.1f}" fill="{"#d63638" if over else "#2271b1"}"><title>{score_label(lo)}-{score_label(hi)}: '
                     f'{n} pages</title></rect>')
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{left + plot_w}" y2="{bottom}" stroke="#50575e"/>')
    for k, label in enumerate(["0"] + [f"0.{'9' * k}" for k in range(1, MAX_NINES + 1)]):
        x = left + plot_w * k / MAX_NINES
        parts.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 3}" stroke="#50575e"/>'
                     f'<text x="{x:.1f}" y="{bottom + 13}" text-anchor="middle" font-size="10">{label}</text>')
    parts.append(f'<text x="{left - 4}" y="{bottom - plot_h + 4}" text-anchor="end" font-size="10">{top}</text>')
    parts.append(f'<text x="{left + plot_w / 2}" y="{height - 4}" text-anchor="middle" font-size="10" '
                 'fill="#646970">score (log scale of 1 - score)</text>')
    if threshold is not None:
        x = left + plot_w * nines(threshold) / MAX_NINES
        parts.append(f'<line x1="{x:.1f}" y1="{bottom - plot_h - 6}" x2="{x:.1f}" y2="{bottom}" stroke="#b32d2e" '
                     f'stroke-width="2" stroke-dasharray="4 2"><title>threshold {threshold:g}</title></line>')
        parts.append(f'<text x="{x:.1f}" y="{bottom - plot_h - 9}" text-anchor="middle" font-size="10" '
                     f'fill="#b32d2e">threshold {threshold:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def highlight(text: str, evidence: dict[str, list[Evidence]]) -> str:
    """The page text, escaped, with every evidence span wrapped in its signal's style and reason.

    Spans may overlap (a spun word inside an injected block): the text is cut at every span edge and
    each piece carries the classes and reasons of all spans covering it. Boundaries also get a marker.
    """
    spans = []
    for signal, items in evidence.items():
        css = SIGNAL_STYLES.get(signal, ("ev-other", ""))[0]
        for e in items:
            start, end = max(0, min(e.start, len(text))), max(0, min(e.end, len(text)))
            if end < start:
                start, end = end, start
            tip = f"{signal}: {e.why()}"
            spans.append((start, end, css, tip, e.kind == "boundary" or signal == "split"))
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    markers: dict[int, list[str]] = {}
    for i, (start, end, _, tip, boundary) in enumerate(spans):
        if boundary:
            markers.setdefault(start, []).append(tip)
        if start < end:
            starts.setdefault(start, []).append(i)
            ends.setdefault(end, []).append(i)
    cuts = sorted({0, len(text), *starts, *ends, *markers})
    active: dict[int, None] = {}  # spans covering the current piece, in insertion order
    out = []
    for a, b in zip(cuts, cuts[1:] + [None]):  # one sweep: each piece knows the spans over it
        for i in ends.get(a, ()):
            active.pop(i, None)
        for i in starts.get(a, ()):
            active[i] = None
        for tip in markers.get(a, ()):
            out.append(f'<span class="cut" title="{escape(tip)}">&#x2702;</span>')
        if b is None:
            break
        piece = escape(text[a:b])
        if active:
            classes = " ".join(sorted({spans[i][2] for i in active}))
            tips = escape("\n".join(dict.fromkeys(spans[i][3] for i in active)))
            out.append(f'<span class="{classes}" title="{tips}">{piece}</span>')
        else:
            out.append(piece)
    return "".join(out)


def _url_html(url: str) -> str:
    safe = escape(url)
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{safe}" rel="noopener noreferrer nofollow">{safe}</a>'
    return safe


def _badge(text: str, kind: str) -> str:
    return f'<span class="badge {escape(kind)}">{escape(text)}</span>'


def page_html(page: AuditedPage, thresholds: dict[str, float], index: int, max_evidence: int = 25) -> str:
    report: PageReport = page.report
    badges = [_badge(report.action, report.action)]
    if report.status != SCORED:
        badges.append(_badge(report.status, "unscored" if report.status == UNSCORED else "keep"))
    if page.stage:
        badges.append(_badge(f"dropped at {page.stage}", "drop"))
    badges += [_badge(f, "tag") for f in report.flags]
    rows = []
    for name, sig in report.signals.items():
        t = thresholds.get(name)
        cls = ' class="over"' if name in report.flags else ""
        rows.append(f'<tr><td class="l">{escape(name)}</td><td{cls}>{sig.score:.4f}</td>'
                    f'<td>{"" if t is None else f"{t:g}"}</td><td>{sig.confidence:.2f}</td>'
                    f"<td>{len(sig.evidence)}</td></tr>")
    flagged_evidence = {name: report.signals[name].evidence for name in report.flags if name in report.signals}
    items = []
    for name in flagged_evidence:
        for e in report.signals[name].strongest(max_evidence):
            items.append(f'<li><span class="{SIGNAL_STYLES.get(name, ("", ""))[0]}">{escape(e.text[:200])}</span>'
                         f' <span class="muted">[{escape(name)}: {escape(e.why())}]</span></li>')
    meta = (f'<p class="muted">language {escape(str(report.language))} ({report.language_prob:.2f}), '
            f"{report.words} words, model {escape(str(report.model))}, time {escape(page.time)}"
            + (f"; scored: {escape(report.content)}, chrome left out: {report.chrome_words} words"
               if report.content else "") + "</p>")
    error = (f'<p class="over">error: {escape(report.error)}</p>' if report.error else "") + "".join(
        f'<p class="muted">note: {escape(note)}</p>' for note in report.notes)
    text = (f'<details open><summary>page text with evidence highlighted</summary><div class="text">'
            f"{highlight(report.text, flagged_evidence)}</div></details>") if report.text else ""
    return (f'<section class="page" id="page-{index}"><h3>{_url_html(page.url)}</h3><p>{"".join(badges)}</p>{meta}'
            f'{error}<table><tr><th class="l">signal</th><th>score</th><th>threshold</th><th>confidence</th>'
            f'<th>evidence</th></tr>{"".join(rows)}</table>'
            + (f'<ol class="evidence">{"".join(items)}</ol>' if items else "") + f"{text}</section>")


def sweep_html(audit: Audit) -> str:
    table = sweep(audit)
    head = "".join(f"<th>{t:g}</th>" for t in SWEEP_THRESHOLDS)
    rows = []
    for name, row in table.items():
        current = audit.thresholds.get(name)
        cells = "".join(f'<td{" class=over" if current is not None and math.isclose(t, current) else ""}>{n}</td>'
                        for t, n in row)
        rows.append(f'<tr><td class="l">{escape(name)}</td>{cells}</tr>')
    return (f'<table><tr><th class="l">signal \\ threshold</th>{head}</tr>{"".join(rows)}</table>'
            '<p class="muted">Pages each threshold would flag (score &ge; threshold); the configured threshold '
            "is in red. The same table is printed by <code>scrapy quality-report AUDIT --sweep</code>.</p>")


def render(audit: Audit, *, title: str = "Content quality report", max_pages: int = 500) -> str:
    pages = audit.pages
    by_action = {a: sum(p.report.action == a for p in pages) for a in (KEEP, TAG, DROP)}
    by_status: dict[str, int] = {}
    for p in pages:
        by_status[p.report.status] = by_status.get(p.report.status, 0) + 1
    items = audit.item_counts()
    cards = [("pages audited", len(pages)), ("kept", by_action[KEEP]), ("tagged", by_action[TAG]),
             ("dropped", by_action[DROP]), ("items kept", items.get(KEEP, 0) + items.get(TAG, 0)),
             ("items dropped", items.get(DROP, 0))]
    cards += [(status, n) for status, n in sorted(by_status.items()) if status != SCORED]
    thresholds = audit.thresholds
    scores = signal_scores(audit)
    hists = "".join(f'<div class="hist">{histogram_svg(name, s, thresholds.get(name))}</div>'
                    for name, s in scores.items())
    flagged = sorted(audit.flagged(), key=lambda p: (-_severity(p.report), -max(p.report.scores().values(), default=0)))
    shown = flagged[:max_pages]
    legend = "".join(f'<span><span class="{css}">{escape(name)}</span> {escape(text)}</span>'
                     for name, (css, text) in SIGNAL_STYLES.items())
    legend += '<span><span class="cut">&#x2702;</span> marks a broken boundary</span>'
    stats = audit.summary.get("stats", {})
    stats_rows = "".join(f'<tr><td class="l">{escape(k)}</td><td>{escape(str(v))}</td></tr>'
                         for k, v in sorted(stats.items()))
    config_rows = "".join(
        f'<tr><td class="l">{escape(name)}</td><td>{escape(str(thresholds.get(name, "")))}</td>'
        f'<td class="l">{escape(str(audit.config.get("actions", {}).get(name, "")))}</td></tr>'
        for name in audit.signal_names())
    more = (f'<p class="muted">{len(flagged) - len(shown)} more flagged pages are in the audit log.</p>'
            if len(flagged) > len(shown) else "")
    spider = audit.crawl.get("spider", "")
    if audit.parts:
        source = (f"{len(audit.parts)} audit logs of workers "
                  f"{escape(', '.join(audit.workers))}")
    else:
        source = f"audit log {escape(audit.path.name)}" + (
            f" &middot; worker {escape(str(audit.worker))}" if audit.worker else "")
    return "".join([
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        # No scripts, no network: everything is inline; the policy makes that binding for the browser.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
        "img-src data:\">",
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>{escape(title)}</h1><p>spider {escape(str(spider))} &middot; started "
        f"{escape(str(audit.crawl.get('time', '')))} &middot; {source}"
        + (f" &middot; finish reason {escape(str(audit.summary.get('finish_reason')))}" if audit.summary else "")
        + "</p></header><main>",
        '<h2>Summary</h2><div class="cards">',
        "".join(f'<div class="card"><b>{n}</b>{escape(label)}</div>' for label, n in cards),
        "</div>",
        (f'<p class="over">{audit.bad_lines} unreadable lines in the audit log were skipped.</p>'
         if audit.bad_lines else ""),
        workers_html(audit),
        '<h2>Scores over the crawl</h2>', hists or '<p class="muted">no scored pages</p>',
        "<h2>Threshold sweep</h2>", sweep_html(audit),
        '<h2>Configuration</h2><table><tr><th class="l">signal</th><th>threshold</th><th class="l">action</th></tr>',
        config_rows, "</table>",
        f"<h2>Flagged pages ({len(flagged)})</h2>", f'<p class="legend">{legend}</p>',
        "".join(page_html(p, thresholds, i) for i, p in enumerate(shown)) or '<p class="muted">none</p>', more,
        ("<h2>Crawl stats</h2><table>" + stats_rows + "</table>") if stats_rows else "",
        "</main></body></html>\n",
    ])


def workers_html(audit: Audit) -> str:
    """A merged report's table of workers: what each crawled and decided, and the sums (accounting per worker)."""
    if not audit.parts:
        return ""
    rows, totals = [], [0, 0, 0, 0]
    for part in audit.parts:
        items = part.item_counts()
        row = [len(part.pages), items[KEEP] + items[TAG], items[DROP], sum(items.values())]
        totals = [t + n for t, n in zip(totals, row)]
        reason = part.summary.get("finish_reason") if part.summary else "no summary line (the crawl did not close)"
        rows.append(f'<tr><td class="l">{escape(str(part.worker or "?"))}</td><td class="l">{escape(part.path.name)}'
                    "</td>" + "".join(f"<td>{n}</td>" for n in row) + f'<td class="l">{escape(str(reason))}</td></tr>')
    rows.append('<tr><th class="l">all workers</th><th></th>' + "".join(f"<th>{n}</th>" for n in totals)
                + "<th></th></tr>")
    return ('<h2>Workers</h2><table><tr><th class="l">worker</th><th class="l">audit log</th><th>pages</th>'
            '<th>items kept</th><th>items dropped</th><th>items yielded</th><th class="l">finish reason</th></tr>'
            + "".join(rows) + "</table>"
            '<p class="muted">One audit log per crawl process; crawl stats below are summed over the workers.</p>')


def _severity(report: PageReport) -> int:
    return {DROP: 3, TAG: 2}.get(report.action, 1 if report.status == UNSCORED else 0)


def write_report(audit_path: str | os.PathLike | Sequence[str | os.PathLike], out_path: str | os.PathLike, *,
                 max_pages: int = 500) -> Path:
    """Render the audit log at `audit_path` (or several, merged) into `out_path` (written whole, then renamed into
    place)."""
    out = Path(out_path)
    paths = [audit_path] if isinstance(audit_path, (str, os.PathLike)) else list(audit_path)
    html = render(read_audits(paths), max_pages=max_pages)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, out)
    return out
