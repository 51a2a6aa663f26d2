"""Print the declared minimum version of every dependency as a pip requirement (`name==floor`), one per line.

    python3 .ci/floors.py [EXTRA ...]     # runtime dependencies, plus the named optional extras

`make test-floors` installs these into a separate environment and runs the tests there, so that a floor in
pyproject.toml is a version the code was tested with, not a guess.
"""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:>=|==)\s*([0-9][0-9A-Za-z.]*)")


def floors(extras: list[str]) -> list[str]:
    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
    declared = list(project["dependencies"])
    for extra in extras:
        declared += project["optional-dependencies"][extra]
    pins = []
    for requirement in declared:
        match = REQUIREMENT.match(requirement)
        if not match:
            sys.exit(f"floors.py: {requirement!r} has no '>=' or '==' floor; declare one in pyproject.toml")
        pins.append(f"{match.group(1)}=={match.group(2)}")
    return pins


if __name__ == "__main__":
    print("\n".join(floors(sys.argv[1:])))
