"""python -m scoring.perplexity: tokens as the scorer sees them, perplexity per token including </s>."""
from __future__ import annotations

import json
import math

import kenlm
import pytest

from scoring.perplexity import main, split_oov

TEXT = "The Mayor opened the new bridge on Monday. It cost 42 million!\n\nDon't panic, said Zqxvbn.\n"
SENTENCES = ["the mayor opened the new bridge on monday", "it cost 00 million", "don't panic said zqxvbn"]

PARAGRAPHS = [
    "The city council met on Tuesday evening to discuss the new budget for the coming year. Members argued "
    "for several hours about spending on roads, schools and the public library before a vote was taken.",
    "Residents who attended the meeting said they were worried about the rising cost of living. Many of them "
    "asked the council to keep taxes low and to spend more money on repairs to the old bridge.",
    "The mayor said the budget would be published next week and that everyone would have a chance to comment "
    "on it. A final decision is expected before the end of the month, according to the council.",
]
HTML = ("<html><head><title>Council debates budget</title></head><body><nav><a href='/'>Home</a> "
        "<a href='/news'>News</a></nav><article><h1>Council debates budget</h1>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article><footer>Copyright 2024 Example News</footer></body></html>")


def direct(model: kenlm.Model, lines: list[str]) -> tuple[int, int, float]:
    """(tokens, OOV tokens, perplexity incl. </s>) straight from kenlm."""
    total = sum(model.score(line, bos=True, eos=True) for line in lines)
    words = [w for line in lines for w in line.split()]
    return len(words), sum(w not in model for w in words), 10 ** (-total / (len(words) + len(lines)))


@pytest.fixture(scope="module")
def kenlm_default(default_model):
    config = kenlm.Config()
    config.show_progress = False
    return kenlm.Model(str(default_model), config)


def run_json(capsys, *args) -> list[dict]:
    assert main(["--json", *map(str, args)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_text_file(tmp_path, capsys, default_model, kenlm_default):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    (out,) = run_json(capsys, "--model", default_model, path)
    tokens, oov, ppl = direct(kenlm_default, SENTENCES)
    assert out["source"] == str(path)
    assert (out["tokens"], out["sentences"], out["oov_tokens"]) == (tokens, 3, oov)
    assert oov >= 1 and out["oov"] == pytest.approx(oov / tokens)   # "zqxvbn" at least
    assert out["perplexity"] == pytest.approx(ppl, rel=1e-6)
    assert out["perplexity_in_vocabulary"] < out["perplexity"]


def test_html_file_uses_main_content(tmp_path, capsys, default_model, kenlm_default):
    from scoring.extract import extract
    from scoring.normalize import tokenize
    from scoring.segment import split_sentences

    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    text = extract(HTML).text
    assert "Copyright" not in text and "Home" not in text              # chrome left out
    lines = [" ".join(tokenize(line[a:b])) for line in text.splitlines() for a, b in split_sentences(line)]
    lines = [line for line in lines if line]
    assert len(lines) >= 7
    (out,) = run_json(capsys, "--model", default_model, path)
    tokens, oov, ppl = direct(kenlm_default, lines)
    assert (out["tokens"], out["sentences"], out["oov_tokens"]) == (tokens, len(lines), oov)
    assert out["perplexity"] == pytest.approx(ppl, rel=1e-6)


def test_text_output_and_default_model(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main([str(path)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"{path}: 16 tokens in 3 sentences, OOV ") and "perplexity" in line
    assert main([str(tmp_path / "missing.txt")]) == 2


def test_split_oov_pieces():
    vocab = {"well", "known", "obama", "'s", "don't"}
    groups = split_oov(["well-known", "obama's", "don't", "foo-bar", "xyz's"], vocab.__contains__)
    assert groups == [["well", "known"], ["obama", "'s"], ["don't"], ["foo-bar"], ["xyz's"]]


def test_empty_file_is_null_json(tmp_path, capsys, default_model):
    path = tmp_path / "empty.txt"
    path.write_text("\n\n", encoding="utf-8")
    (out,) = run_json(capsys, "--model", default_model, path)
    assert out["tokens"] == 0 and out["perplexity"] is None
    assert not math.isnan(out["oov"])


def test_the_documented_command_runs_cleanly(tmp_path, default_model):
    """`python -m scoring.lm perplexity FILE` (the command issue 11 names): output and no runpy warning, which
    it printed while `import scoring` imported scoring.lm before runpy ran it as __main__."""
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    run = subprocess.run([sys.executable, "-m", "scoring.lm", "perplexity", "--json", str(path)], cwd=root,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["tokens"] == 16
    assert "Warning" not in run.stderr, run.stderr
