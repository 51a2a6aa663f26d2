"""Spin candidates from a union of thesauri, measured leave-one-thesaurus-out: `python -m bench.fit_spin_thesauri`.

Issue 12: the spin signal puts each content word on trial against its synonyms from WordNet alone, and the
families built from other thesauri are missed (Moby, MyThes at 10%). This script measures, on development data
only, candidate tables that add MyThes (`mythes-en-us`) and/or Moby (Aiksaurus, `libaiksaurus-1.2-data`) to
WordNet, each in both directions (a word's own entries and the reverse look-up: the words whose entry holds it,
i.e. the common word a spinner would have replaced to produce it), restricted like WordNet's to the model's
vocabulary (bench/thesauri.py reads the files). Adding a thesaurus makes its own family "seen", so each is judged
on the family it did NOT come from:
- WordNet + MyThes -> the Moby rows (Moby unseen by the candidates);
- WordNet + Moby -> the MyThes rows (MyThes unseen);
each against WordNet alone on the same rows, with the clean dev pages.

Data: bench.fit_spin_register's development sets (reference pseudo-pages, real dev pages, built dev pages; the real
dev pages spun by WordNet/Moby/MyThes at 10/20/30%), measured once per table with the current weights and share
and cached in bench/out/spin_thesauri/<table>.pkl (`--remeasure`). For each table: per family x rate the ROC-AUC,
recall at 1% FPR against the real clean dev pages, and the recall at the threshold bench.choose_thresholds would
choose (calibration refitted, reference pages leave-one-out, built pages as guards), and the clean maxima.
Variants: MyThes' reverse look-up alone, its synonyms and "similar" terms alone, the union's trials cut to 2 or 4
candidates (`table@k`), the added thesaurus only where WordNet has no entry (`wordnet|...`) or only between words
of like frequency (`~1`); (2) WordNet's trial
kept and the added thesaurus's best gain added to the log-odds (b x 0.25..2); (3) the per-word weights refitted
for the table (bench.fit_spin's data); and the evidence (span, likelier word, why) on the clean page that binds
the threshold.

Measured 2026-11-27 and not adopted: no variant lifts the family its thesauri did not come from. WordNet alone:
Moby 10% ROC-AUC 0.946, recall at 1% FPR 58.9%; MyThes 10% 0.943, 68.5%; threshold 0.999509, mean recall at it
58.8%. WordNet + MyThes (30.5k words with candidates, 8.9 each, against 18.6k and 3.6): Moby 10% 0.938 / 64.4%,
Moby 20% 0.986 -> 0.971, recall at 1% 93.2% -> 91.8%; the built Brown pages rise (threshold 0.999918, mean recall
at it 32.4%) and the WordNet rows lose (10%: 0.988 -> 0.954). WordNet + Moby (23.5k words, 38.8 each): MyThes 10%
0.943 -> 0.879, 68.5% -> 24.7%; MyThes 20% 0.987 -> 0.953. Every other variant loses ROC-AUC on the unseen family
too (reverse look-up alone: Moby 10% 0.938, 20% 0.980; synonyms alone: 0.943 / 0.984 with recall at 1% 47.9%;
fallback: Moby 10% 0.940, MyThes 10% 0.914; like frequency: Moby 10% 0.932, MyThes 10% 0.908; extra evidence: the unseen 10% row loses recall at 1% FPR at every b;
refitted: Moby 10% 0.910 with MyThes against 0.896 refitted with WordNet alone, both below the weights in use).
(4) The reverse look-up restricted to the page (`--on-page`, 2026-11-28; a spinner leaves some occurrences of the
word it replaced), WordNet + MyThes judged on Moby, not adopted either: b 0.25 Moby 10% ROC-AUC 0.943 -> 0.940
(recall at 1% FPR 62% -> 64%), 20% 0.982 -> 0.980 (92% -> 90%); b 0.5 0.931 / 0.975; from b 1 the reference
text's pages rise to the top (threshold 0.999957, mean recall at it 60.1% -> 40.5%): clean text puts a word and
its thesaurus neighbour side by side as often as a spinner leaves the original.
Why: the trial's frequency correction and the weights suit WordNet's near-synonyms; a broad thesaurus gives a
rare-but-right word a common loose neighbour that fits its context better ('mutilation' -> 'run', 'humanitarian'
-> 'large', 'ocean' -> 'water' on the Brown pages that then bind the threshold), and more candidates give clean
words more chances to lose.
"""
from __future__ import annotations

import argparse
import functools
import json
import pickle
import sys
from pathlib import Path

import numpy as np

from . import fit_spin_register as reg

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "out" / "spin_thesauri"
THESAURI = ROOT / ".cache" / "bench"  # the Debian packages as the spin benchmark unpacks them (`make thesauri`)
TABLES = {
    "wordnet": ("wordnet",),
    "wordnet+mythes": ("wordnet", "mythes"),
    "wordnet+moby": ("wordnet", "moby"),
    "wordnet+mythes+moby": ("wordnet", "mythes", "moby"),
    # MyThes variants: the reverse look-up alone; plain synonyms and "similar" terms alone (both directions)
    "wordnet+mythes-reverse": ("wordnet", "mythes-reverse"),
    "wordnet+mythes-synonyms": ("wordnet", "mythes-synonyms"),
    # the added thesaurus only for the words WordNet gives no candidate (their trials are new; WordNet's unchanged)
    "wordnet|mythes": ("wordnet", "mythes", "fallback"),
    "wordnet|moby": ("wordnet", "moby", "fallback"),
    # the added pairs only between words of like frequency (unigram log10 P within 1): no common loose neighbour
    # for a rare word
    "wordnet+mythes~1": ("wordnet", "mythes", "like-frequency"),
    "wordnet+moby~1": ("wordnet", "moby", "like-frequency"),
}
LIKE_FREQUENCY = 1.0
# the union's trials cut to fewer candidates (SpinSignal.max_candidates, 8 in use): `table@k`
CAPS = (2, 4)
CAPPED = [f"{name}@{k}" for name in ("wordnet+mythes", "wordnet+moby") for k in CAPS]
# table -> the family no thesaurus of it comes from (the honest read), besides WordNet's own rows
UNSEEN = {"wordnet+mythes": "moby", "wordnet+moby": "mythes", "wordnet+mythes-reverse": "moby",
          "wordnet+mythes-synonyms": "moby", "wordnet|mythes": "moby", "wordnet|moby": "mythes",
          "wordnet+mythes~1": "moby", "wordnet+moby~1": "mythes", **{n: "moby" if "mythes" in n else "mythes" for n in CAPPED}}


@functools.cache
def vocabulary() -> frozenset[str]:
    from models.build_default import VOCABULARY

    return frozenset(VOCABULARY.read_text(encoding="utf-8").split())


@functools.cache
def unigram_scores() -> dict[str, float]:
    """The default model's unigram log10 P of every vocabulary word."""
    from scoring.config import QualityConfig
    from scoring.lm import load_model

    lm = load_model(QualityConfig().models["en"])
    return {w: lm.score_line(w, bos=False, eos=False) for w in vocabulary()}


def candidate_table(sources: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """word -> sorted candidates from the union of `sources`, within the model's vocabulary."""
    from bench.thesauri import (AIKSAURUS_DIR, MYTHES_FILE, add_pairs, aiksaurus_meanings, entry_pairs, group_pairs,
                                 mythes_entries)
    from scoring.wordnet import synonym_table

    vocab = set(vocabulary())
    table: dict[str, set[str]] = {}
    wordnet = synonym_table(vocabulary=vocab) if "wordnet" in sources else {}
    mythes = THESAURI / "mythes-en-us" / MYTHES_FILE
    if "mythes" in sources:
        add_pairs(table, entry_pairs(mythes_entries(mythes)), vocab)
    if "mythes-reverse" in sources:
        add_pairs(table, entry_pairs(mythes_entries(mythes), forward=False), vocab)
    if "mythes-synonyms" in sources:
        add_pairs(table, entry_pairs(mythes_entries(mythes, frozenset({"", "similar term"}))), vocab)
    if "moby" in sources:
        meanings = aiksaurus_meanings(THESAURI / "libaiksaurus-1.2-data" / AIKSAURUS_DIR)
        add_pairs(table, group_pairs(meanings), vocab)
    if "like-frequency" in sources:
        unigram = unigram_scores()
        table = {w: {c for c in cands if abs(unigram[w] - unigram[c]) <= LIKE_FREQUENCY} for w, cands in table.items()}
        table = {w: cands for w, cands in table.items() if cands}
    for word, synonyms in wordnet.items():   # with "fallback", WordNet's entry replaces the others' for its words
        table[word] = set(synonyms) if "fallback" in sources else table.get(word, set()) | set(synonyms)
    return {w: tuple(sorted(s)) for w, s in sorted(table.items())}


def measurements(name: str, remeasure: bool = False) -> dict[str, list[dict]]:
    """bench.fit_spin_register's development sets measured with the candidate table `name`, cached."""
    path = CACHE / f"{name}.pkl"
    if path.exists() and not remeasure:
        return pickle.loads(path.read_bytes())
    base, _, cap = name.partition("@")
    table = candidate_table(TABLES[base])
    print(f"{name}: {len(table):,} words with candidates, {np.mean([len(v) for v in table.values()]):.1f} each",
          flush=True)

    class WithTable(reg.Measurer):
        def __init__(self):
            super().__init__()
            self.bundle.synonyms = table
            if cap:
                self.signal.max_candidates = int(cap)

    sets = reg.measure(WithTable, built_spun=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(sets))
    return sets


def demo_coverage(names: list[str]) -> None:
    """For how many of the demo site's hand-written swaps (crawler/demo_site/build_site.py) the table lists the
    original word among the spun word's candidates (before the cut to the commonest)."""
    from crawler.demo_site.build_site import SPIN_SYNONYMS

    for name in names:
        table = candidate_table(TABLES[name.partition("@")[0]])
        found = sum(original in table.get(spun, ()) for original, spun in SPIN_SYNONYMS.items())
        print(f"  {name:24s} {found} of {len(SPIN_SYNONYMS)} demo swaps")


def row(label: str, result: dict, keys: list[tuple[str, int]], base: dict | None = None) -> str:
    cells = []
    for key in keys:
        auc, r1, _, rt = result["table"][key]
        delta = f" ({auc - base['table'][key][0]:+.3f})" if base else ""
        cells.append(f"{key[0][:6]}{(key[1] + 1) * 10}: {auc:.3f}{delta} {r1:4.0%} {rt:4.0%}")
    return f"  {label:22s} " + " | ".join(cells)


# -- (2) the other thesauri as a separate piece of evidence -------------------------------------------------------
# The weights were fitted on WordNet's candidates (3.6 a word): the best of more candidates fits better by chance.
# So the WordNet trial is kept as it is and the added thesaurus's own candidates (those WordNet does not give, the
# commonest max_candidates) are tried in the same window; their best frequency-corrected gain, clipped to 0..5,
# times b is added to the word's log-odds (b chosen per table below, judged on the unseen family).
EXTRA_TABLES = {"mythes": ("mythes",), "moby": ("moby",), "mythes+moby": ("mythes", "moby")}
EXTRA_UNSEEN = {"mythes": "moby", "moby": "mythes"}
EXTRA_COLUMNS = ("other_gain", "has_other")
B_GRID = (0.25, 0.5, 1.0, 1.5, 2.0)


def other_table(sources: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """word -> the candidates `sources` give it that WordNet does not."""
    wordnet = candidate_table(("wordnet",))
    union = candidate_table(("wordnet", *sources))
    out = {w: tuple(c for c in cands if c not in set(wordnet.get(w, ()))) for w, cands in union.items()}
    return {w: c for w, c in out.items() if c}


def other_gains(table: dict[str, tuple[str, ...]], on_page: bool = False):
    """extras(words, ctx, signal) for reg.measure_with_extras: per trial word the best frequency-corrected gain of
    `table`'s candidates in the word's LM window (as SpinSignal.trials scores WordNet's), and whether it has any;
    0 for a word the prefilter leaves untried or one without such candidates. With `on_page`, all its candidates
    that occur elsewhere on the page, and only those (section (4))."""
    from scoring.signals.spin import _Candidates

    lookups: dict[int, _Candidates] = {}

    def extras(words, ctx, signal) -> np.ndarray:
        cands = lookups.get(id(ctx.lm))
        if cands is None:
            cands = lookups[id(ctx.lm)] = _Candidates(
                ctx.lm, table, max_candidates=10 ** 6 if on_page else signal.max_candidates,
                max_cached_words=signal.max_cached_words)
        page = ({token for s in {id(t.sentence): t.sentence for t in words}.values() for token in s.tokens}
                if on_page else set())
        score, k = ctx.lm.line_scorer(), max(ctx.lm.order - 1, 1)
        out = np.zeros((len(words), len(EXTRA_COLUMNS)))
        for j, t in enumerate(words):
            options = () if t.oov else cands(t.word)
            if on_page:
                options = tuple((c, gap) for c, gap in options if c in page)
            tokens, logprobs = t.sentence.tokens, t.sentence.logprobs
            if logprobs is None:
                logprobs, _ = ctx.lm.token_scores(tokens)
            out[j, 1] = bool(options)
            cut = signal.trial_logprob_cut
            if not options or (cut is not None and logprobs[t.index] > cut):
                continue
            i, n = t.index, len(tokens)
            lo, hi = max(0, i - k), min(n, i + k + 1)
            before, after = " ".join(tokens[lo:i]), " ".join(tokens[i + 1:hi])
            bos, eos = i < k, i + k >= n

            def window(word: str) -> float:
                return score(" ".join(x for x in (before, word, after) if x), bos, eos)

            base = window(t.word)
            out[j, 0] = max(window(c) - base - gap for c, gap in options)
        return out

    return extras


def extra_measurements(name: str, remeasure: bool = False) -> dict[str, list[dict]]:
    table = other_table(EXTRA_TABLES[name])
    print(f"extra {name}: {len(table):,} words with candidates WordNet lacks", flush=True)
    return reg.measure_with_extras(other_gains(table), len(EXTRA_COLUMNS), CACHE / f"extra-{name}.pkl", remeasure)


def with_other_gain(sets: dict[str, list[dict]], b: float) -> dict[str, list[dict]]:
    """The raw statistic recomputed with b * clip(other gain, 0, 5) added to each trial word's log-odds."""
    from scoring.signals.spin import SpinSignal

    return reg.recomputed(sets, SpinSignal(), lambda lo, r: lo + b * np.clip(r["extras"][:, 0], 0.0, 5.0))


def main_extra(names: list[str], remeasure: bool) -> None:
    print("\n== (2) WordNet's trial kept, the added thesaurus's best gain as extra log-odds b * clip(gain, 0, 5)")
    for name in names:
        sets = extra_measurements(name, remeasure)
        base = reg.evaluate(sets, (), ())
        print(f"\n{name} (unseen: {EXTRA_UNSEEN.get(name, '-')})")
        reg.print_result("b 0 (WordNet alone)", base)
        for b in B_GRID:
            reg.print_result(f"b {b}", reg.evaluate(with_other_gain(sets, b), (), ()), base)


# -- (3) the per-word weights refitted for the table --------------------------------------------------------------
# The weights in use were fitted with WordNet's candidates. bench.fit_spin's refit (WordNet and MyThes spun dev
# articles at 20%, Moby left out) is run with each table's candidates, and the page statistic recomputed from the
# stored trial matrices: WordNet + MyThes refitted is then judged on Moby, which neither the candidates nor the fit
# saw; WordNet refitted is the control (the refit alone).
REFIT_TABLES = ("wordnet", "wordnet+mythes")


def refit(name: str, remeasure: bool = False) -> tuple[np.ndarray, float]:
    """bench.fit_spin's weights and prior odds with the candidate table `name`, cached."""
    from . import fit_spin

    path = CACHE / f"refit-{name}.json"
    if path.exists() and not remeasure:
        saved = json.loads(path.read_text())
        return np.array(saved["weights"]), saved["prior_odds"]
    from scoring.signals.spin import SpinSignal

    bundle = fit_spin.default_bundle()
    bundle.synonyms = candidate_table(TABLES[name])
    signal = SpinSignal()
    xs, ys = [], []
    for article in fit_spin.dev_articles():
        for family in ("clean", *fit_spin.FAMILIES):
            x, y = fit_spin.word_rows(article, family, bundle, signal)
            xs.append(x)
            ys.append(y)
    x, y = np.vstack(xs), np.concatenate(ys)
    weights, prior = fit_spin.fit_logistic(x, y), float(y.sum() / (len(y) - y.sum()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"weights": weights.tolist(), "prior_odds": prior}))
    return weights, prior


def page_statistic(r: dict, weights: np.ndarray, prior_odds: float) -> float:
    """SpinSignal.page_statistic of a measured page (its stored trial matrix) under other per-word weights and
    prior odds."""
    from scoring.signals.spin import SpinSignal
    from scoring.signals.stats import mixture_log_likelihood_ratios

    signal = SpinSignal()
    if not r["n"] and not r["untried"]:
        return r["raw"]
    word = r["features"].astype(float) @ weights if r["n"] else np.zeros(0)
    log_odds = signal.page_log_odds(word, r["in_phrase"], r["untried"])
    ratios = mixture_log_likelihood_ratios(signal.sharpened(log_odds), prior_odds, signal.spun_share)
    llr = (float(np.sum(ratios)) + signal.shrink_words * signal.shrink_to) / (len(ratios) + signal.shrink_words)
    return signal.raw_scale * (llr + r["rewrite_llr"] / max(r["n"], 1))


def main_refit(names: list[str], remeasure: bool) -> None:
    print("\n== (3) weights refitted (bench.fit_spin) for each table; against the weights in use, WordNet alone")
    base = reg.evaluate(measurements("wordnet"), (), ())
    reg.print_result("in use, wordnet", base)
    for name in names:
        weights, prior = refit(name, remeasure)
        sets = measurements(name)
        sets = {k: [dict(r, raw=page_statistic(r, weights, prior)) for r in v] for k, v in sets.items()}
        reg.print_result(f"refit, {name}", reg.evaluate(sets, (), ()), base)


# -- (4) the reverse look-up restricted to the page -----------------------------------------------------------------
# A spinner swaps some occurrences of a word and leaves others: the word it replaced often stands elsewhere on the
# same page. So the table's candidates of a trial word (all of them, not the commonest max_candidates) are tried
# only where they occur on the page, and their best gain, b * clip(gain, 0, 5), is added to the log-odds as in (2).
# Judged on the family the table's added thesaurus did not come from (UNSEEN).
ON_PAGE_TABLES = ("wordnet+mythes",)


def main_on_page(names: list[str], remeasure: bool) -> None:
    print("\n== (4) the table's candidates found elsewhere on the page, their best gain as extra log-odds")
    for name in names:
        sets = reg.measure_with_extras(other_gains(candidate_table(TABLES[name]), on_page=True), len(EXTRA_COLUMNS),
                                       CACHE / f"on-page-{name}.pkl", remeasure)
        base = reg.evaluate(sets, (), ())
        print(f"\n{name} (unseen: {UNSEEN.get(name, '-')})")
        reg.print_result("b 0 (in use)", base)
        for b in B_GRID:
            reg.print_result(f"b {b}", reg.evaluate(with_other_gain(sets, b), (), ()), base)


# -- why: the evidence on the clean page that sets the threshold ---------------------------------------------------
def explain(name: str, sets: dict[str, list[dict]], top_words: int = 12) -> None:
    """The built (Brown) dev page with the highest spin statistic under table `name` (it binds the drop threshold),
    and its strongest evidence words with WordNet alone and with the table: the span, the likelier word, why."""
    from scoring.config import QualityConfig
    from scoring.extract import extract
    from scoring.scorer import ModelBundle, prepare
    from scoring.signals.spin import SpinSignal

    from .choose_thresholds import built_dev_pages

    worst = max(sets["built"], key=lambda r: r["raw"] * r["confidence"])
    html = dict(built_dev_pages())[worst["id"]]
    config = QualityConfig()
    bundle = ModelBundle.load("en", config.models["en"])
    print(f"\n{name}: the highest built dev page {worst['id']} (raw {worst['raw']:.3f})")
    for label, table in (("wordnet", bundle.synonyms), (name, candidate_table(TABLES[name]))):
        bundle.synonyms = table
        doc, ctx = prepare(extract(html, worst["id"]), bundle, config)
        result = SpinSignal().score(doc, ctx)
        words = sorted((e for e in result.evidence if e.kind == "word"), key=lambda e: -e.weight)[:top_words]
        print(f"  {label}: raw {result.features['raw']:.3f}, {int(result.features['suspicious'])} words flagged")
        for e in words:
            print(f"    {e.text!r} -> {e.suggestion!r}: {e.reason}")


def print_tables(results: dict[str, dict]) -> None:
    """Per table: the re-chosen threshold, mean recalls, clean maxima and the family x rate rows."""
    base = results.get("wordnet")
    print("per family x rate: ROC-AUC (change against WordNet alone), recall at 1% FPR, recall at the re-chosen "
          "drop threshold")
    for name, result in results.items():
        table = result["table"]
        print(f"\n{name}: threshold {result['threshold']:.6f}  mean recall@thr "
              f"{np.mean([v[3] for v in table.values()]):5.1%}  mean recall@1% {np.mean([v[1] for v in table.values()]):5.1%}"
              f"  clean max " + " ".join(f"{k} {v:.6f}" for k, v in result["clean_max"].items())
              + f" bench_clean {result['bench_clean_max']:.6f}")
        for family in ("wordnet", "moby", "mythes"):
            keys = [(family, level) for level in (0, 1, 2)]
            mark = "  <- unseen" if UNSEEN.get(name) == family else ""
            print(row(family, result, keys, base if name != "wordnet" else None) + mark)


def print_leave_one_out(results: dict[str, dict]) -> None:
    """Each table against WordNet alone on the family none of its thesauri came from, at 10% and 20%."""
    base = results.get("wordnet")
    if not base:
        return
    print("\nleave-one-thesaurus-out (the family the added thesaurus did not come from):")
    for name, family in UNSEEN.items():
        if name in results:
            for level in (0, 1):
                a, b = base["table"][(family, level)], results[name]["table"][(family, level)]
                print(f"  {name:16s} {family} {(level + 1) * 10}%: ROC-AUC {a[0]:.3f} -> {b[0]:.3f}, recall@1% "
                      f"{a[1]:.1%} -> {b[1]:.1%}, recall@thr {a[3]:.1%} -> {b[3]:.1%}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.fit_spin_thesauri", description=__doc__.split("\n")[0])
    p.add_argument("--remeasure", action="store_true", help=f"ignore the caches in {CACHE.relative_to(ROOT)}")
    p.add_argument("--tables", nargs="*", default=[*TABLES, *CAPPED], choices=[*TABLES, *CAPPED])
    p.add_argument("--extra", nargs="*", default=list(EXTRA_TABLES), choices=list(EXTRA_TABLES))
    p.add_argument("--refit", nargs="*", default=list(REFIT_TABLES), choices=list(TABLES))
    p.add_argument("--on-page", nargs="*", default=list(ON_PAGE_TABLES), choices=list(TABLES))
    p.add_argument("--explain", nargs="*", default=["wordnet+mythes", "wordnet+moby"], choices=list(TABLES))
    args = p.parse_args(argv)
    results = {name: reg.evaluate(measurements(name, args.remeasure), (), ()) for name in args.tables}
    print_tables(results)
    print_leave_one_out(results)
    print("\nthe demo site's swaps whose original the table offers for the spun word:")
    demo_coverage(args.tables)
    main_extra(args.extra, args.remeasure)
    main_refit(args.refit, args.remeasure)
    main_on_page(args.on_page, args.remeasure)
    for name in args.explain:
        explain(name, measurements(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
