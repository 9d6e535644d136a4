#!/usr/bin/env python3
"""How many of the gold outlet pairs the matcher could find at all: candidate coverage, per event.

    python bench/match_coverage.py [EVENT ...]   (default: ../shared/devsets/events/*/)

Why: recall is lost in two places — a pair that never becomes a candidate (its similarity is
under the candidate floor, matching.candidate_floor) cannot be matched whatever the score
does, and a candidate can score under MATCH_SCORE. This prints, per event folder with a
``gold.json`` (the format ``../shared/tools/eval_compare.py`` reads), over the outlet pairs
that state one gold fact, the share that:

* ``candidate``: have a candidate sentence pair (the ceiling of recall);
* ``matched``: have a pair scored at MATCH_SCORE or more (the scorer's recall);

and how many candidates there are and the share that state one gold fact.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from match_calibration import DEV, load_event, scores

from factdesk.annotations.compare.match_model import shipped_model
from factdesk.annotations.compare.matching import MATCH_SCORE


def coverage(folder: Path) -> str:
    """One line of figures for the event in ``folder`` (see the module docstring)."""
    event = load_event(folder)
    matched = {k for k, s in zip(event.keys, scores(event, shipped_model()).tolist(), strict=True) if s >= MATCH_SCORE}
    candidates = set(event.keys)
    total = found = reachable = 0
    for fact in event.facts:
        for p, q in itertools.combinations(sorted({a for a, _ in fact}), 2):
            options = [frozenset((x, y)) for x in fact for y in fact if x[0] == p and y[0] == q]
            total += 1
            reachable += any(o in candidates for o in options)
            found += any(o in matched for o in options)
    right = int(np.sum(event.labels))
    share = right / len(event.keys) if event.keys else 0.0
    return (
        f"{folder.name[:30]:30} outlet pairs {total:4}  candidate {reachable / total:.2f}  "
        f"matched {found / total:.2f}  "
        f"candidates {len(event.keys):5} ({share:.2f} right)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("events", nargs="*", type=Path, help="event folders (default: ../shared/devsets/events/*/)")
    args = parser.parse_args()
    folders = args.events or sorted(p for p in DEV.iterdir() if (p / "gold.json").is_file())
    for folder in folders:
        if (folder / "gold.json").is_file():
            print(coverage(folder))


if __name__ == "__main__":
    main()
