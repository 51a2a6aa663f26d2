"""The cue sets' word prefilters (`keys`, `marks`, `needs`: scoring/signals/blocks.py CueSet) only save time: on
real text they pick exactly the cues whose regex matches. A cue whose regex gains an alternative without the
words that alternative needs fails here (when the real pages or the examples below hold such a text)."""
from __future__ import annotations

import pytest

from bench.realpages import load_pages
from scoring.extract import extract
from scoring.signals.blocks import _TEXT_CUE_SET
from scoring.signals.injection import _PROMO_CUE_SET

EXAMPLES = [
    "Sign up for our evening briefing and get the day's news in five minutes.",
    "Subscribe to receive our breaking news alerts by email.", "Print | Email | Save | A- | A+",
    "Quick poll: Should the library open on Sundays? Yes No Vote", "Limited offer: 40% off designer watches!",
    "Check out our iPhone buying guide", "Share this article", "Read more »", "We use cookies on this site.",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    blocks = [b.text for page in load_pages()[::3] for b in extract(page.html, page.url).blocks] + EXAMPLES
    # as re.IGNORECASE reads them: upper case, and the non-ASCII letters it folds to ASCII ones
    return blocks + [t.upper() for t in blocks] + [t.replace("s", "ſ").replace("i", "ı") for t in blocks]


@pytest.mark.parametrize("cue_set", [_TEXT_CUE_SET, _PROMO_CUE_SET], ids=["chrome cues", "promotional cues"])
def test_the_prefilter_keeps_every_cue_that_matches(cue_set, texts):
    missed = [(cue.reason, text[:80]) for text in texts for cue in cue_set.cues
              if cue.pattern.search(text) and cue not in cue_set.matches(text)]
    assert not missed
    assert sum(bool(cue_set.matches(t)) for t in texts) > 20   # the texts do exercise the cues
