"""Spin against clean pages of the page's own register: `python -m bench.fit_spin_register` (dev only).

Issue 12: the spin threshold is bound by the built Brown pages (1961 press, arts reviews with rare but right
words such as 'neuritis', 'beriberi', 'vermilion'), whose raw spin statistic sits high because a rare word looks
like a swap. This script measures, on development data only, whether conditioning the page statistic on the
page's register helps: the raw statistic (SpinSignal.score's mean mixture log-likelihood ratio, times raw_scale)
is predicted from page-level features by least squares fitted on CLEAN development pages, and the residual is
scored instead.

Data (all development; never a test page):
- clean: the calibration reference text's pseudo-pages (models/en/reference.txt), the real pages' development
  half (bench/realpages, English), the built pages' development split (bench/data.py, rendered by bench/pages.py):
  the three sets bench.choose_thresholds reads;
- spun: the usable English pages of the real pages' development half, spun by every family a dev run may build
  (bench.spinners.families_for("dev"): WordNet, Moby, MyThes) at 10/20/30% (bench.realpages.corrupt_page,
  as `python -m bench.run --split dev --sections realpages` builds them), and the built dev articles spun at 20%
  by the same families (as text) to measure how far spinning moves each conditioning feature.

For each candidate (a set of features; `none` is the current statistic) it prints: the shift spinning causes in
each feature and in the raw statistic (in clean standard deviations), then per family x rate the ROC-AUC and
recall at 1% FPR against the real clean pages, and the recall at the threshold bench.choose_thresholds would choose
with that statistic (the calibration refitted on the reference: text pseudo-pages + real pages; leave-one-out for
those, the built pages as guards). Tried and not adopted (see bench/README): every conditioning that lowered
the built pages lost ROC-AUC at 10% or recall at 1% FPR.

It then scans the mixture share (SpinSignal.spun_share) the same way, recomputing the statistic from the stored
per-word log-odds, and prints the share it chooses (`choose_share`): 0.03, adopted. The measurements are cached in
bench/out/spin_register.pkl (`--remeasure`).
"""
from __future__ import annotations

import argparse
import math
import pickle
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "out" / "spin_register.pkl"
SHIFT_RATE = 0.2
SEED = 0

# page features (per page, from the spin signal's own trial matrix; "content" = the words on trial)
PAGE_FEATURES = ("oov_rate", "mean_unigram", "synonym_share", "rare_share", "log_words", "mean_logprob",
                 "mean_gap", "plain_unigram", "plain_rare_share")


def page_features(features: np.ndarray) -> dict[str, float]:
    """Page-level register features from the spin trial matrix (`spin.FEATURES` columns)."""
    from scoring.signals.spin import FEATURES

    col = {name: i for i, name in enumerate(FEATURES)}
    n = len(features)
    if not n:
        return {name: 0.0 for name in PAGE_FEATURES}
    oov = features[:, col["oov"]] > 0
    known = ~oov
    unigram = features[known, col["unigram"]]
    plain = features[known & (features[:, col["has_synonyms"]] == 0), col["unigram"]]  # no synonym: never swapped
    return {
        "oov_rate": float(oov.mean()),
        "mean_unigram": float(unigram.mean()) if len(unigram) else -7.0,
        "synonym_share": float(features[:, col["has_synonyms"]].mean()),
        "rare_share": float((unigram < -5.0).mean()) if len(unigram) else 0.0,
        "log_words": math.log(n),
        "mean_logprob": float(features[:, col["logprob"]].mean()),
        "mean_gap": float(features[known, col["max_unigram_gap"]].mean()) if len(unigram) else 0.0,
        "plain_unigram": float(plain.mean()) if len(plain) else -4.0,
        "plain_rare_share": float((plain < -5.0).mean()) if len(plain) else 0.0,
    }


class Measurer:
    """The spin signal's raw statistic, its parts (per-word log-odds) and the page features, uncalibrated."""

    def __init__(self):
        from scoring.calibrate import Calibration
        from scoring.config import QualityConfig
        from scoring.scorer import ModelBundle
        from scoring.signals.spin import SpinSignal

        self.config = QualityConfig()
        self.bundle = ModelBundle.load("en", self.config.models["en"])
        self.signal = SpinSignal()
        self.uncalibrated = Calibration()
        self._captured: dict = {}
        trials = self.signal.trials

        def capture(doc, ctx):
            words, features = trials(doc, ctx)
            self._captured["words"], self._captured["features"] = words, features
            return words, features

        self.signal.trials = capture
        page_log_odds = self.signal.page_log_odds

        def capture_log_odds(word_log_odds, in_phrase, untried):
            log_odds = page_log_odds(word_log_odds, in_phrase, untried)
            self._captured.update(page_log_odds=log_odds, in_phrase=in_phrase, untried=untried)
            return log_odds

        self.signal.page_log_odds = capture_log_odds

    def html(self, html, page_id: str, min_words: bool = False) -> dict | None:
        from scoring.extract import extract
        from scoring.scorer import CHARS_PER_TOKEN_BOUND

        data = html if isinstance(html, (bytes, str)) else b""
        doc = extract(data[: self.config.max_bytes], page_id,
                      max_chars=self.config.max_tokens * CHARS_PER_TOKEN_BOUND)
        if doc.no_main_content:
            return None
        return self.doc(doc, page_id, min_words)

    def text(self, text: str, page_id: str, min_words: bool = False) -> dict | None:
        from scoring.segment import blocks_from_text

        return self.doc(blocks_from_text(text, page_id), page_id, min_words)

    def doc(self, doc, page_id: str, min_words: bool) -> dict | None:
        from scoring.scorer import prepare
        from scoring.signals.language import detect_language

        doc, ctx = prepare(doc, self.bundle, self.config, self.uncalibrated)
        if min_words and doc.words < self.config.min_words:
            return None
        if detect_language(doc.text, self.config.language_sample_chars)[0] != "en":
            return None
        result = self.signal.score(doc, ctx)
        words, features = self._captured.pop("words", []), self._captured.pop("features", np.zeros((0, 1)))
        n = len(words)
        raw = float(result.features["raw"])
        # what the page statistic averaged: the words' log-odds and a tortured phrase's untried words
        log_odds = self._captured.pop("page_log_odds", np.zeros(0)).astype(np.float32)
        in_phrase, untried = self._captured.pop("in_phrase", np.zeros(0, bool)), self._captured.pop("untried", 0)
        return {"id": page_id, "raw": raw, "confidence": float(result.confidence), "n": n,
                "rewrite_llr": float(result.features.get("rewrite_llr", 0.0)),
                "tortured": float(result.features.get("tortured_phrases", 0.0)),
                "log_odds": log_odds, "oov": features[:, 0].astype(bool) if n else np.zeros(0, bool),
                # the trial matrix and the tortured phrases' part, for other weights (bench.fit_spin_pages)
                "features": features.astype(np.float32), "in_phrase": in_phrase, "untried": untried,
                **page_features(features)}


def measure(measurer: type[Measurer] = Measurer, built_spun: bool = True) -> dict[str, list[dict]]:
    """The development sets above, measured by `measurer`; the built articles spun only if `built_spun` (they
    serve `shifts` alone)."""
    from models.build_default import calibration_pages
    from scoring.scorer import pseudo_documents

    from .choose_thresholds import built_dev_pages
    from .data import load_articles
    from .realbench import build
    from .spinners import families_for, spin

    m = measurer()
    started = time.perf_counter()
    sets: dict[str, list[dict]] = {"text": [], "html": [], "built": [], "bench_clean": [], "bench_spun": [],
                                   "built_spun": []}
    model = Path(m.config.models["en"])
    for i, text in enumerate(pseudo_documents(model.parent / "reference.txt")):
        row = m.text(text, f"reference#{i}", min_words=True)
        if row:
            sets["text"].append(row)
    for page_id, html in calibration_pages():
        row = m.html(html, page_id, min_words=True)
        if row:
            sets["html"].append(row)
    for page_id, html in built_dev_pages():
        row = m.html(html, page_id)
        if row:
            sets["built"].append(row)
    print(f"clean measured: {', '.join(f'{k} {len(v)}' for k, v in sets.items() if v)} "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    families = families_for("dev")
    pages, info = build("dev", families=families)
    for page in pages:
        if not info[page.page.id]["usable"] or page.kind not in ("clean", "spin"):
            continue
        row = m.html(page.html_bytes, page.id)
        if row is None:
            continue
        row.update(family=page.family, level=page.level)
        sets["bench_clean" if page.kind == "clean" else "bench_spun"].append(row)
    print(f"real pages measured ({time.perf_counter() - started:.0f} s)", flush=True)
    for article in [] if not built_spun else [a for a in load_articles() if a.split == "dev"]:
        for family in families:
            rng = random.Random(f"{SEED}:{article.id}:{family}:register")
            parts, _ = spin(article, SHIFT_RATE, rng, family, split="dev")
            row = m.text("\n".join(p.texts[0] for p in parts), f"{article.id}.{family}")
            if row:
                row.update(family=family, article=article.id)
                sets["built_spun"].append(row)
    print(f"built spun measured ({time.perf_counter() - started:.0f} s)", flush=True)
    return sets


# -- candidates --------------------------------------------------------------------------------------------------

def measure_with_extras(extras, columns: int, cache: Path, remeasure: bool = False) -> dict[str, list[dict]]:
    """`measure()` with each page row also holding `extras(words, ctx, signal)`: a (trials x `columns`) array of
    per-word features the spin signal does not compute, for scripts that try them (bench.fit_spin_colloc,
    bench.fit_spin_inflections). Cached in `cache` unless `remeasure`."""
    if cache.exists() and not remeasure:
        return pickle.loads(cache.read_bytes())

    class WithExtras(Measurer):
        def __init__(self):
            super().__init__()
            trials = self.signal.trials

            def capture(doc, ctx):
                words, features = trials(doc, ctx)
                self._captured["extras"] = extras(words, ctx, self.signal)
                return words, features

            self.signal.trials = capture

        def doc(self, doc, page_id, min_words):
            row = super().doc(doc, page_id, min_words)
            extra = self._captured.pop("extras", None)
            if row is not None:
                row["extras"] = extra.astype(np.float32) if extra is not None else np.zeros((0, columns), np.float32)
            return row

    sets = measure(WithExtras)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(sets))
    return sets


def design(rows: list[dict], names: tuple[str, ...]) -> np.ndarray:
    return np.array([[r[n] for n in names] + [1.0] for r in rows], dtype=float).reshape(len(rows), len(names) + 1)


def fit_register(clean: list[dict], names: tuple[str, ...]) -> np.ndarray:
    """Least-squares coefficients (features..., intercept) predicting the raw statistic of clean pages."""
    x, y = design(clean, names), np.array([r["raw"] for r in clean])
    return np.linalg.lstsq(x, y, rcond=None)[0]


def statistic(rows: list[dict], names: tuple[str, ...], coef: np.ndarray | None) -> np.ndarray:
    raw = np.array([r["raw"] for r in rows], dtype=float)
    if coef is None or not names:
        return raw
    return raw - design(rows, names) @ coef + coef[-1]   # the residual, shifted back to the clean mean's level


def evaluate(sets: dict[str, list[dict]], names: tuple[str, ...], fit_on: tuple[str, ...]) -> dict:
    """Thresholds and bench metrics with the statistic conditioned on `names` (fitted on the sets `fit_on`)."""
    from scoring.calibrate import Calibration

    from .choose_thresholds import MAX_UNSEEN_RATE, threshold_for
    from .metrics import recall_at_fpr, roc_auc

    coef = fit_register([r for s in fit_on for r in sets[s]], names) if names else None
    stat = {k: statistic(v, names, coef) for k, v in sets.items()}
    conf = {k: np.array([r["confidence"] for r in v]) for k, v in sets.items()}
    reference = np.concatenate([stat["text"], stat["html"]])
    ids = [r["id"] for r in sets["text"]] + [r["id"] for r in sets["html"]]
    full = Calibration.fit({"spin": list(reference)})

    def scores(kind):
        return np.array([full.score("spin", x) for x in stat[kind]]) * conf[kind]

    def held_out(kind):
        out = []
        for r, x, c in zip(sets[kind], stat[kind], conf[kind]):
            keep = [v for v, i in zip(reference, ids) if i != r["id"]]
            out.append(Calibration.fit({"spin": keep}).score("spin", x) * c)
        return np.array(out)

    clean_sets = {"real": held_out("html"), "text": held_out("text"), "built": scores("built")}
    threshold = threshold_for(clean_sets["real"], [clean_sets["text"], clean_sets["built"]], MAX_UNSEEN_RATE["drop"])
    neg = scores("bench_clean")
    spun = scores("bench_spun")
    table = {}
    for family in sorted({r["family"] for r in sets["bench_spun"]}):
        for level in (0, 1, 2):
            sel = np.array([r["family"] == family and r["level"] == level for r in sets["bench_spun"]])
            pos = spun[sel]
            table[(family, level)] = (roc_auc(neg, pos), recall_at_fpr(neg, pos, 0.01).recall,
                                      recall_at_fpr(neg, pos, 0.05).recall, float((pos >= threshold).mean()))
    return {"coef": coef, "threshold": threshold, "table": table,
            "clean_max": {k: float(v.max()) for k, v in clean_sets.items()}, "bench_clean_max": float(neg.max()),
            "clean_sd": float(np.std(stat["text"]))}


def shifts(sets: dict[str, list[dict]], names: tuple[str, ...]) -> list[str]:
    """How far spinning at SHIFT_RATE moves each feature and the raw statistic, in clean standard deviations
    (built dev articles: spun minus clean, same article; real dev pages at 20%)."""
    clean_built = {r["id"]: r for r in sets["built"]}
    lines = []
    sd = {n: float(np.std([r[n] for k in ("text", "html", "built") for r in sets[k]])) for n in names + ("raw",)}
    for n in names + ("raw",):
        cells = []
        for family in sorted({r["family"] for r in sets["built_spun"]}):
            deltas = [r[n] - clean_built[r["article"]][n] for r in sets["built_spun"]
                      if r["family"] == family and r["article"] in clean_built]
            real = {r["id"].split(".")[0]: r for r in sets["bench_clean"]}
            rdeltas = [r[n] - real[r["id"].split(".")[0]][n] for r in sets["bench_spun"]
                       if r["family"] == family and r["level"] == 1 and r["id"].split(".")[0] in real]
            cells.append(f"{family} {np.mean(deltas) / sd[n]:+.2f}/{np.mean(rdeltas) / sd[n]:+.2f}")
        lines.append(f"  {n:14s} sd {sd[n]:.4f}  " + "  ".join(cells))
    return lines


CANDIDATES: dict[str, tuple[str, ...]] = {
    "none": (),
    "oov": ("oov_rate",),
    "unigram": ("mean_unigram",),
    "oov+unigram": ("oov_rate", "mean_unigram"),
    "oov+unigram+syn": ("oov_rate", "mean_unigram", "synonym_share"),
    "rare": ("rare_share",),
    "oov+rare": ("oov_rate", "rare_share"),
    "oov+unigram+len": ("oov_rate", "mean_unigram", "log_words"),
    "gap": ("mean_gap",),
    "logprob": ("mean_logprob",),
    "plain unigram": ("plain_unigram",),
    "plain rare": ("plain_rare_share",),
}
FIT_ON = {"all clean": ("text", "html", "built"), "reference only": ("text", "html")}


def report(sets, name: str, names: tuple[str, ...], fit_on: str) -> dict:
    result = evaluate(sets, names, FIT_ON[fit_on])
    cells = []
    for (family, level), (auc, r1, r5, rt) in result["table"].items():
        cells.append(f"{family[:4]}{(level + 1) * 10}: {auc:.3f} {r1:4.0%} {rt:4.0%}")
    mean_rt = np.mean([v[3] for v in result["table"].values()])
    print(f"{name:18s} [{fit_on}] threshold {result['threshold']:.6f}  mean recall@thr {mean_rt:.1%}  "
          f"clean max real {result['clean_max']['real']:.6f} text {result['clean_max']['text']:.6f} "
          f"built {result['clean_max']['built']:.6f}")
    print("    " + " | ".join(cells))
    if result["coef"] is not None:
        print("    coef " + ", ".join(f"{n} {c:+.4f}" for n, c in zip(names + ("intercept",), result["coef"])))
    return result


# -- the mixture share ------------------------------------------------------------------------------------------
SHARES = (0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.10, 0.12, 0.15, 0.20, 0.30)
MAX_AUC_LOSS = 0.005   # no family x rate may lose more ROC-AUC than this against the share in use


def recomputed(sets: dict[str, list[dict]], signal, change=None) -> dict[str, list[dict]]:
    """The measurements with the raw statistic recomputed by `signal`'s page_statistic (a SpinSignal with the
    settings under study) from the stored per-word log-odds; with `change`, the trial words' log-odds (the first
    r["n"]) replaced by change(their log-odds, the page's row) first. A page without log-odds keeps its raw."""
    def raw(r):
        lo = r["log_odds"].astype(float)
        if change is not None and r["n"]:
            lo = lo.copy()
            lo[:r["n"]] = change(lo[:r["n"]], r)
        return signal.page_statistic(lo, r["rewrite_llr"], r["n"]) if len(lo) else r["raw"]

    return {k: [dict(r, raw=raw(r)) for r in v] for k, v in sets.items()}


def with_share(sets: dict[str, list[dict]], share: float) -> dict[str, list[dict]]:
    """The measurements with the raw statistic recomputed for mixture share `share`."""
    from scoring.signals.spin import SpinSignal

    return recomputed(sets, SpinSignal(spun_share=share))


def choose_share(results: dict[float, dict], current: float) -> tuple[float, dict[float, float]]:
    """The share to use: among the shares that lose at most MAX_AUC_LOSS ROC-AUC on every family x rate against
    `current`, the one whose mean recall at its re-chosen threshold is best in the worst case over itself and its
    grid neighbours (a share next to one that drops few pages sits on a knife edge of the clean maxima).
    Returns (share, {share: that worst-case recall})."""
    shares = sorted(results)
    mean_recall = {s: float(np.mean([v[3] for v in results[s]["table"].values()])) for s in shares}
    base = results[current]["table"]
    allowed = {s for s in shares if min(results[s]["table"][k][0] - base[k][0] for k in base) >= -MAX_AUC_LOSS}
    robust = {s: min(mean_recall[t] for t in shares[max(0, i - 1):i + 2]) for i, s in enumerate(shares)}
    return max(sorted(allowed), key=lambda s: robust[s]), robust


def measurements(remeasure: bool = False) -> dict[str, list[dict]]:
    """`measure()`, cached in CACHE (measured again when asked, or when the cache predates the trial matrices)."""
    if CACHE.exists() and not remeasure:
        sets = pickle.loads(CACHE.read_bytes())
        if sets["text"] and "features" in sets["text"][0]:
            return sets
    sets = measure()
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_bytes(pickle.dumps(sets))
    return sets


def print_result(label: str, result: dict, base: dict | None = None) -> None:
    table = result["table"]
    worst = min(table[k][0] - base["table"][k][0] for k in table) if base else 0.0
    print(f"{label:24s} threshold {result['threshold']:.6f}  mean recall@thr {np.mean([v[3] for v in table.values()]):5.1%}"
          f"  mean recall@1% {np.mean([v[1] for v in table.values()]):5.1%}  worst dAUC {worst:+.4f}  clean max "
          + " ".join(f"{k} {v:.6f}" for k, v in result["clean_max"].items()))
    print("    " + " | ".join(f"{f[:4]}{(lv + 1) * 10}: {a:.3f} {r1:4.0%} {rt:4.0%}" for (f, lv), (a, r1, _, rt)
                              in table.items()))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.fit_spin_register", description=__doc__.split("\n")[0])
    p.add_argument("--remeasure", action="store_true", help=f"ignore the cache {CACHE.relative_to(ROOT)}")
    args = p.parse_args(argv)
    sets = measurements(args.remeasure)
    from scoring.signals.spin import SpinSignal

    sets = with_share(sets, SpinSignal().spun_share)   # the cache may have been measured with another share
    print(f"pages: {', '.join(f'{k} {len(v)}' for k, v in sets.items())}")
    print("shift by spinning at 20% (mean spun - clean, in clean SDs; built dev articles / real dev pages):")
    print("\n".join(shifts(sets, PAGE_FEATURES)))
    print("\n== register conditioning (the share in use); per family x rate: ROC-AUC, recall@1%FPR, recall at the "
          "re-chosen threshold")
    for name, names in CANDIDATES.items():
        for fit_on in FIT_ON if names else ("all clean",):
            report(sets, name, names, fit_on)

    current = 0.15   # the share before issue 12 (the first default): the reference the AUC losses are taken from
    print(f"\n== mixture share (SpinSignal.spun_share; in use: {SpinSignal().spun_share}); AUC losses against "
          f"{current}")
    results = {share: evaluate(with_share(sets, share), (), ("text",)) for share in sorted(set(SHARES) | {current})}
    chosen, robust = choose_share(results, current)
    for share, result in results.items():
        print_result(f"share {share:.2f} (robust {robust[share]:.1%})", result, results[current])
    print(f"chosen: spun_share = {chosen} (best worst-case mean recall at threshold over itself and its grid "
          f"neighbours, losing at most {MAX_AUC_LOSS} ROC-AUC on any family x rate)")
    print("\n== register conditioning at the chosen share (fitted on the reference: text + real pages)")
    shared = with_share(sets, chosen)
    base = results[chosen]
    print_result("none", base, base)
    for name, names in CANDIDATES.items():
        if names:
            print_result(name, evaluate(shared, names, FIT_ON["reference only"]), base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
