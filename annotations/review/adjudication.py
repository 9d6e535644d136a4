"""A curator's final verdict where reviewers disagree: who set it, why, and how it is kept apart from theirs.

Why its own identity: a store keys a mark by (article, quote, start, reviewer), and a curator is often a reviewer
too. Their final verdict is therefore stored under ``FINAL_PREFIX + curator`` ("⚖ alice"): it never overwrites
their own verdict as a reviewer, it is logged in the history like any change (action ``adjudicate``, attributed
to that name), and every tool that reads marks sees at once that it is not a reviewer's (the record also carries
``"adjudication": {"curator": ..., "reason": ...}``). Agreement statistics read the reviewers' verdicts only;
the brief places a claim by its final verdict when it has one.
"""

from __future__ import annotations

from typing import Any

from factdesk.annotations.model import Mark

__all__ = [
    "ADJUDICATION_FIELD",
    "FINAL_PREFIX",
    "curator_of",
    "final_fields",
    "final_reviewer",
    "is_final",
]

FINAL_PREFIX = "⚖ "
ADJUDICATION_FIELD = "adjudication"


def final_reviewer(curator: str) -> str:
    """The name a curator's final verdicts are stored under."""
    return FINAL_PREFIX + curator


def is_final(reviewer: str) -> bool:
    return reviewer.startswith(FINAL_PREFIX)


def curator_of(mark: Mark) -> str:
    """Who set a final verdict (the stored name without its prefix)."""
    return mark.reviewer[len(FINAL_PREFIX) :] if is_final(mark.reviewer) else mark.reviewer


def final_fields(curator: str, reason: str) -> dict[str, Any]:
    """The record fields that say, for any reader of the database, that this mark is an adjudication."""
    return {ADJUDICATION_FIELD: {"curator": curator, "reason": reason}}
