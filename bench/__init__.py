"""The benchmark: detection accuracy and speed of the scorer, side by side with datatrove's filters and
trafilatura, on clean and corrupted news pages with exact ground truth. Run `python3 -m bench.run`."""
