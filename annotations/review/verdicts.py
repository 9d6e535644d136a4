"""How a verdict reads: one symbol and one word per status, the same in the reader, its dialogs and the brief.

The symbols carry the verdict on their own (under ``NO_COLOR``, in a monochrome print of the brief); colour
only adds to them, and comes from the theme (``factdesk.tui.verdict_style``), never from here.
"""

from __future__ import annotations

from factdesk.annotations.model import Status

VERDICT_SYMBOL: dict[Status, str] = {Status.VERIFIED: "✓", Status.DISPUTED: "✗", Status.UNREVIEWED: "·"}
VERDICT_LABEL: dict[Status, str] = {
    Status.VERIFIED: "Verified",
    Status.DISPUTED: "Disputed",
    Status.UNREVIEWED: "Unreviewed",
}

DIFFERS_SYMBOL = "≠"  # a source gives another figure for the fact; a claim's figures conflict
# The coverage matrix (``annotations.compare.coverage.CellState``): a source states the fact, gives another
# figure for it, or is silent.
COVERAGE_SYMBOL: dict[str, str] = {
    "states": VERDICT_SYMBOL[Status.VERIFIED],
    "differs": DIFFERS_SYMBOL,
    "absent": VERDICT_SYMBOL[Status.UNREVIEWED],
}


def verdict_text(status: Status) -> str:
    """ "✓ Verified", "✗ Disputed"; an unreviewed claim reads "Unreviewed" (its dot would only be noise)."""
    if status is Status.UNREVIEWED:
        return VERDICT_LABEL[status]
    return f"{VERDICT_SYMBOL[status]} {VERDICT_LABEL[status]}"
