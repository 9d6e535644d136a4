"""The day a figure was counted, read from its time phrase and its article's date.

Why: a toll rises over days. "21 dead" said on Friday and "at least 100" said on Monday cannot both hold at the
same time, yet they are no dispute between outlets, only a count that grew; while 21 and 33 given the same
Friday are. Conflicts (``conflicts``) compare the figures of one day with each other and give the difference
between days as a difference in time; for that each figure needs a day, as an ordinal (``date.toordinal``):

* an ISO date ("2023-09-14", the article's date when the figure states no time of its own) is that day;
* a calendar date ("on 10 September", "Sept 18") is that day, in the year of the article or of the story;
* a weekday ("on Sunday morning", "as of Friday evening") is the last such day on or before the article's date
  (news reports what happened); in an undated article, the such day nearest the story's own date (the middle
  of its articles' dates), as a week of coverage runs three days either side of it;
* "yesterday" / "last night" is the day before the article's date, "today" / "this morning" its day;
* "previously", "initially", "earlier" (or "revised from 288", see ``figures``) is some day before the article's,
  unknown: no day;
* anything else ("so far", "in just a week") says nothing about the day: the article's own day.

An undated article's day is the latest day its own figures name ("the toll rose to 100 on Monday"), since a
report comes after what it reports; an article that names none has no day, and its figures none either.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from factdesk.annotations.model import CorpusAnalysis, FigureRecord

_ISO = re.compile(r"\b((?:1[89]|20)\d\d)-([01]\d)-([0-3]\d)\b")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|"
    r"jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+((?:1[89]|20)\d\d))?\b", re.I)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\d)(?:,?\s+((?:1[89]|20)\d\d))?", re.I)
_WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)days?\b", re.I)
_WEEKDAYS = {"mon": 0, "tues": 1, "wednes": 2, "thurs": 3, "fri": 4, "satur": 5, "sun": 6}
_YESTERDAY = re.compile(r"\b(?:yesterday|last night)\b", re.I)
_TODAY = re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", re.I)
# "previously", "initially": some day before the article's, unknown
_EARLIER = re.compile(r"\b(?:previously|initially|originally|earlier|at first|formerly)\b", re.I)
_BEFORE = -1
_NEXT = re.compile(r"\b(?:next|coming|following)\s+\w+day\b", re.I)


def superseded(time: str) -> bool:
    """The time phrase marks a figure counted before the article's own ("previously", "initially"): one it
    reports as replaced."""
    return bool(_EARLIER.search(time))


def iso_day(text: str | None) -> int | None:
    """The day of an ISO date in ``text`` ("2023-09-14"), None when there is none (or it is no real day)."""
    found = _ISO.search(text or "")
    if not found:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3))).toordinal()
    except ValueError:
        return None


def _calendar(phrase: str, year: int | None) -> int | None:
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        found = pattern.search(phrase)
        if not found:
            continue
        stated = int(found.group(3)) if found.group(3) else year
        if stated is None:
            return None
        try:
            return date(stated, _MONTHS[found.group(month_group).casefold()], int(found.group(day_group))).toordinal()
        except ValueError:
            return None
    return None


def phrase_day(phrase: str, anchor: int | None, reference: int | None) -> int | None:
    """The day a time phrase names, from the article's day (``anchor``) or else the story's (``reference``).

    None when the phrase names no day ("previously", "so far") or there is nothing to count from.
    """
    if not phrase:
        return None
    iso = iso_day(phrase)
    if iso is not None:
        return iso
    around = anchor if anchor is not None else reference
    year = date.fromordinal(around).year if around is not None else None
    calendar = _calendar(phrase, year)
    if calendar is not None:
        return calendar
    weekday = _WEEKDAY.search(phrase)
    if weekday and not _NEXT.search(phrase):
        wanted = _WEEKDAYS[weekday.group(1).casefold()]
        if anchor is not None:
            return anchor - (date.fromordinal(anchor).weekday() - wanted) % 7
        if reference is not None:
            offset = (wanted - date.fromordinal(reference).weekday()) % 7
            return reference + (offset if offset <= 3 else offset - 7)
        return None
    if anchor is not None and _YESTERDAY.search(phrase):
        return anchor - 1
    if anchor is not None and _TODAY.search(phrase):
        return anchor
    return None


def story_day(analysis: CorpusAnalysis) -> int | None:
    """The middle of the corpus's article dates (the lower middle of an even count), None when none is dated."""
    days = sorted(day for a in analysis.articles if (day := iso_day(a.article.date)) is not None)
    return days[(len(days) - 1) // 2] if days else None


def record_days(analysis: CorpusAnalysis, records: Sequence[FigureRecord]) -> list[int | None]:
    """The day each record was counted (see the module docstring), in the order of ``records``."""
    reference = story_day(analysis)
    anchors = {a.article.id: iso_day(a.article.date) for a in analysis.articles}
    inferred: dict[str, int] = {}
    stated: list[int | None] = []
    for record in records:
        anchor = anchors.get(record.ref.article)
        if _EARLIER.search(record.time):
            stated.append(_BEFORE)
            continue
        day = phrase_day(record.time, anchor, reference)
        stated.append(day)
        if anchor is None and day is not None:
            inferred[record.ref.article] = max(day, inferred.get(record.ref.article, day))
    return [
        None
        if day == _BEFORE
        else day
        if day is not None
        else anchors.get(r.ref.article) or inferred.get(r.ref.article)
        for r, day in zip(records, stated, strict=True)
    ]
