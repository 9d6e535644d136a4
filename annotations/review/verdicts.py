"""How a verdict reads: the scale's order, one symbol, one word and one rating per status — the same in the reader,
its dialogs, the brief and the exports.

The scale is Meedan Check's and ClaimReview's common ratings: verified and disputed (the two primary verdicts, keys
``v`` and ``d``), misleading, unverifiable and needs context. A team can rename or trim it in the settings file
(``"verdicts": {"misleading": "Half true", "needs_context": null}``, see :func:`scale_from_settings`): a renamed
verdict keeps its stored value (the database and the exports' field values never change with a label), and a
trimmed one is only no longer offered — a mark that has it still shows and exports.

The symbols carry the verdict on their own (under ``NO_COLOR``, in a monochrome print of the brief); colour
only adds to them, and comes from the theme (``factdesk.tui.verdict_style``), never from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from factdesk.annotations.model import Status

__all__ = [
    "COVERAGE_SYMBOL",
    "DEFAULT_SCALE",
    "DIFFERS_SYMBOL",
    "PRIMARY",
    "VERDICTS",
    "VERDICT_LABEL",
    "VERDICT_SYMBOL",
    "Verdict",
    "VerdictScale",
    "current_scale",
    "scale_from_settings",
    "use_scale",
    "verdict_label",
    "verdict_text",
]


@dataclass(frozen=True)
class Verdict:
    """One step of the scale."""

    status: Status
    label: str  # the word a person reads ("Verified")
    symbol: str  # one narrow character that says the verdict without colour
    rating: int  # ClaimReview's ``ratingValue`` (5 best … 1 worst)


# In the order a reviewer meets them (the picker's digits, the brief's sections): the primary two first.
DEFAULT_SCALE: tuple[Verdict, ...] = (
    Verdict(Status.VERIFIED, "Verified", "✓", 5),
    Verdict(Status.DISPUTED, "Disputed", "✗", 1),
    Verdict(Status.MISLEADING, "Misleading", "~", 2),
    Verdict(Status.UNVERIFIABLE, "Unverifiable", "?", 3),
    Verdict(Status.NEEDS_CONTEXT, "Needs context", "!", 4),
)
VERDICTS: tuple[Status, ...] = tuple(v.status for v in DEFAULT_SCALE)  # every verdict, in scale order
PRIMARY = (Status.VERIFIED, Status.DISPUTED)  # never trimmed: their keys are the reader's first two
BEST_RATING = 5
WORST_RATING = 1

VERDICT_SYMBOL: dict[Status, str] = {**{v.status: v.symbol for v in DEFAULT_SCALE}, Status.UNREVIEWED: "·"}
VERDICT_LABEL: dict[Status, str] = {**{v.status: v.label for v in DEFAULT_SCALE}, Status.UNREVIEWED: "Unreviewed"}

DIFFERS_SYMBOL = "≠"  # a source gives another figure for the fact; a claim's figures conflict
# The coverage matrix (``annotations.compare.coverage.CellState``): a source states the fact, gives another
# figure for it, or is silent.
COVERAGE_SYMBOL: dict[str, str] = {
    "states": VERDICT_SYMBOL[Status.VERIFIED],
    "differs": DIFFERS_SYMBOL,
    "absent": VERDICT_SYMBOL[Status.UNREVIEWED],
}
SETTINGS_KEY = "verdicts"
MAX_LABEL_LENGTH = 40


@dataclass(frozen=True)
class VerdictScale:
    """The scale a team uses: its words (renamed or not) and which verdicts it offers (trimmed or not)."""

    offered: tuple[Verdict, ...] = DEFAULT_SCALE  # what the picker and the keys offer, in order
    labels: Mapping[Status, str] = field(default_factory=lambda: dict(VERDICT_LABEL))
    problems: tuple[str, ...] = ()  # what the settings asked that could not be done, to tell the user

    def label(self, status: Status) -> str:
        return self.labels.get(status, VERDICT_LABEL[status])

    def rating(self, status: Status) -> int | None:
        """ClaimReview's ``ratingValue`` (``None`` for no verdict)."""
        return next((v.rating for v in DEFAULT_SCALE if v.status is status), None)

    def offers(self, status: Status) -> bool:
        return any(v.status is status for v in self.offered)


def scale_from_settings(settings: Mapping[str, object]) -> VerdictScale:
    """The scale the settings file describes under ``"verdicts"``: ``{value: label}`` renames, ``{value: null}``
    trims. Anything else (an unknown verdict, a label that is not a short line, trimming a primary verdict) is
    left as the default and listed in ``problems`` — a settings typo never takes a verdict away.
    """
    raw = settings.get(SETTINGS_KEY)
    if raw is None:
        return VerdictScale()
    if not isinstance(raw, dict):
        return VerdictScale(problems=(f'"{SETTINGS_KEY}" in the settings is not an object: the default scale is used',))
    labels = dict(VERDICT_LABEL)
    trimmed: set[Status] = set()
    problems: list[str] = []
    by_value = {s.value: s for s in VERDICTS}
    for key, value in raw.items():
        status = by_value.get(key) if isinstance(key, str) else None
        if status is None:
            problems.append(f"unknown verdict {key!r} in the settings (known: {', '.join(by_value)})")
        elif value is None:
            if status in PRIMARY:
                problems.append(f"{status.value} cannot be trimmed: it is one of the two primary verdicts")
            else:
                trimmed.add(status)
        elif isinstance(value, str) and _clean_label(value):
            labels[status] = _clean_label(value)
        else:
            problems.append(f"the label for {status.value} is not a short line of text")
    offered = tuple(v for v in DEFAULT_SCALE if v.status not in trimmed)
    return VerdictScale(offered=offered, labels=labels, problems=tuple(problems))


def _clean_label(text: str) -> str:
    from factdesk.annotations.text.textsafety import strip_controls

    return " ".join(strip_controls(text).split())[:MAX_LABEL_LENGTH]


_current: list[VerdictScale] = [VerdictScale()]


def use_scale(scale: VerdictScale) -> None:
    """Make ``scale`` the one every label below reads (the reader and the CLI set it once, from the settings).

    Why a process-wide setting rather than a parameter: a verdict's word is read in forty places (gutter, inspector,
    dialogs, Footer, every export), all of which must agree, and the scale changes only when the settings do.
    """
    _current[0] = scale


def current_scale() -> VerdictScale:
    return _current[0]


def verdict_label(status: Status) -> str:
    """The verdict's word in the team's scale ("Verified", or what the settings renamed it to)."""
    return _current[0].label(status)


def verdict_text(status: Status) -> str:
    """ "✓ Verified", "✗ Disputed"; an unreviewed claim reads "Unreviewed" (its dot would only be noise)."""
    if status is Status.UNREVIEWED:
        return verdict_label(status)
    return f"{VERDICT_SYMBOL[status]} {verdict_label(status)}"
