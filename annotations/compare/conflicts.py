"""Figure conflicts, read from figure records: the same measure for the same scope, values that cannot both hold.

Why: the reviewer's most useful flag is "these sources disagree on a number", and the most tiresome a flag that
is no disagreement at all: a county's toll against the state's, a part against its total, the 1928 storm's
toll against this one's, "more than 200" against 230, "over 11,000" against 11,300. So conflicts are built
from :class:`~factdesk.annotations.model.FigureRecord` s (see :mod:`factdesk.annotations.compare.figures`):

* figures are grouped by measure × scope (and unit, for measures: "30 km" and "20 miles" never meet); a
  figure that names no scope is about the story's main place (:func:`default_scopes`); parts, other places,
  other years, projections, ages and durations never join a group of counts; a total broken down by place
  ("73 died, 66 of these in Florida") is the story's total unless its part is the story's own place, then it
  counts more than the story and meets no rival;
* within a group two figures conflict when they come from two articles and their intervals (hedges and
  rounding read, see ``figures``) cannot both hold — unless each source also gives a figure that agrees
  with the other's (a story and its syndicated copy both give "nine" and "45": no dispute);
* one conflict per measure × scope holds the figures that take part in such a pair, never a mix of
  unrelated figures: one per article and value (the copy that says when and who; not a figure its article
  reports as replaced, "revised from 288", while another article gives it as its own), and no floor or ceiling
  that agrees with the figure most articles give ("more than 5,000" beside the 11,300 most outlets report
  disputes nothing); two "about" figures differ when neither lies within the other's hedge; an article's
  floor that its own exact figure meets is no second voice ("more than 1,300 … 1,305");
* a toll rises over days: when a measure's figures were counted on different days (``figure_times``: the
  figure's own time phrase, else its article's date), the figures outlets gave on one day that cannot both
  hold are that day's conflict, and the conflict of the whole measure counts only the differences between
  days (or with an undated figure), which its explanation gives "by time"; a day's conflict is left out when
  the conflict across days already lists every figure of it (the same dispute told twice);
* a part cannot exceed its whole: "more than 2,700 structures destroyed" against "2,207 damaged or destroyed"
  is a conflict between two measures (:func:`_beyond_totals`);
* when the figures of every disagreeing pair were counted at different times, or given by different bodies,
  the conflict still stands but says so: ``explanation`` is "time", "source" or "time+source", and
  ``explanation_text`` spells it out ("by time: 217 on Wednesday, 273 on Saturday"; "by source: UN 370,000
  vs SOHR 300,000"); the summary ends with it.

The work is linear in the figures (grouping) plus, per group, the square of its distinct values, which is
capped (``MAX_VALUES``): a group of more distinct values than a story reports is a list, and only its most
repeated values are compared.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from factdesk.annotations.compare.features import ClaimTable
from factdesk.annotations.compare.figure_times import record_days, superseded
from factdesk.annotations.compare.figures import BEYOND, comparable, figure_records, rounding, scope_key
from factdesk.annotations.compare.matching import Pair
from factdesk.annotations.compare.quantities import Quantity, figure_text, quantities_in
from factdesk.annotations.model import (
    Article,
    ArticleAnalysis,
    ClaimRef,
    Conflict,
    ConflictMention,
    CorpusAnalysis,
    FigureRecord,
    Match,
    NumberMention,
    Sentence,
)
from factdesk.annotations.text.units import dimension, normalise_unit

# A place named in this share of the articles is the story's own (see story_places): a town or a country, a
# county or district.
STORY_SHARE = (0.5, 0.8)
_SUBUNIT = re.compile(r"\b(?:County|District|Province|Parish|Municipality|Borough|Prefecture|Governorate)\b")
MAX_VALUES = 48  # distinct values of one measure × scope compared (the most repeated first)
# Figures given within this many days (from the window's first) were given at the same time: one day. Two would
# join a revision's two days ("288" on Saturday, "275" on Sunday) into one dispute.
SAME_TIME_DAYS = 1
MAX_EXPLAINED = 6  # figures an explanation names
_HASHED_NAME = re.compile(r"^(?P<short>[^_]+)_[0-9a-f]{8,}$")
_NOT_COMPARED_SCOPES = ("part", "elsewhere")
_NAMED_SCOPE = re.compile(r"[A-Z][^()]*$")  # a place or group named, not "part", "elsewhere" or a year
_DATED = re.compile(r"\d{4}(?:-\d\d){0,2}$")  # an article's date, as a record's time when it states none


def source_label(article: Article) -> str:
    """A short name for an article in one-line summaries: "003", or "002 Reuters" when the outlet is known."""
    stem = article.path.stem
    match = _HASHED_NAME.match(stem)
    short = match.group("short") if match else stem
    if article.source and article.source not in {article.path.name, article.path.stem}:
        return f"{short} {article.source}"
    return short


_VAGUE = ("dozen", "score", "tens", "hundreds", "thousands", "millions", "billions", "several", "a few", "many")


def group_key(record: FigureRecord, story: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """(measure with its unit when it has one, scope key), or None for a figure never compared.

    ``story``: the scope keys of the story's own places (see :func:`story_places`), which stand for the story as a
    whole ("the toll in Derna" and "the toll" are one scope). Never compared: a projection, an unknown measure,
    a vague figure ("thousands of people": an order of magnitude, no count), a part, another place or year.
    """
    measure = record.measure
    if measure.endswith(" (projected)") or not comparable(measure):
        return None
    qualifier = (record.number.qualifier or "").casefold()
    if qualifier and any(word in qualifier for word in _VAGUE):
        return None
    scope = scope_key(record.scope)
    if record.scope.endswith(BEYOND):
        # a total broken down by place: the story's when its first part is a part of the story, more than the
        # story (no rival) when that part is the story's own place
        if scope_key(record.scope.removesuffix(BEYOND)) in story:
            return None
        scope = ""
    if measure == "distance":
        if not scope:
            return None  # a distance with no reference point ("35 miles wide", "250 miles of coast") is no claim
    elif scope in story:
        scope = ""
    if scope in _NOT_COMPARED_SCOPES or scope.endswith(")"):
        return None  # a part of a total, another place, another year: no alternative to the story's figure
    unit = normalise_unit(record.number.unit)
    if dimension(unit) is not None:
        measure = f"{measure} ({unit})"
    return measure, scope


def _spellings(analysis: CorpusAnalysis) -> dict[str, str]:
    """{a name's spelling: its alias group's canonical name}: "Marrakech" and "Marrakesh" are one scope."""
    return {variant: group.canonical for group in analysis.aliases for variant in group.variants}


def story_places(analysis: CorpusAnalysis) -> frozenset[str]:
    """Scope keys of the places most articles name: the story's own places.

    Why: a figure scoped to the story's city, its country or its state ("11,300 in Derna", "the toll in Libya",
    "deaths in Florida") and one that names no place are about the same thing — the places nest, and outlets
    name whichever level they like. A place few articles name (a neighbouring country) is another place, and
    a county or district is a part unless nearly every article names it (``STORY_SHARE``).
    """
    if len(analysis.articles) < 2:
        return frozenset()
    named: Counter[str] = Counter()
    subunits: set[str] = set()
    read: dict[str, str] = {}  # each spelling's key, read once (a place is named many times)
    for article in analysis.articles:
        keys = set()
        for entity in article.entities:
            if entity.label == "LOC":
                key = read.get(entity.text)
                if key is None:
                    key = read[entity.text] = scope_key(entity.text)
                    if _SUBUNIT.search(entity.text):
                        subunits.add(key)
                keys.add(key)
        named.update(keys)
    count = len(analysis.articles)
    return frozenset(
        key for key, found in named.items() if key and found >= 2 and found >= count * STORY_SHARE[key in subunits]
    )


@dataclass
class _Value:
    """One distinct interval of a group, the articles that give it and its records."""

    low: float
    high: float
    articles: list[str]
    records: list[FigureRecord]


def apart(x: FigureRecord, y: FigureRecord) -> bool:
    """The two figures cannot both hold: their intervals do not meet, once the rounder of two exact figures is
    allowed its rounding ("11,000" stands for 11,300; "300,000" does not stand for "310,000", rounded alike).

    A relative tolerance keeps float noise from making a conflict.
    """
    (x_place, x_slack), (y_place, y_slack) = rounding(x), rounding(y)
    x_low, x_high, y_low, y_high = x.low, x.high, y.low, y.high
    if x_place > y_place:
        x_low, x_high = x_low - x_slack, x_high + x_slack
    elif y_place > x_place:
        y_low, y_high = y_low - y_slack, y_high + y_slack
    slack = 1e-9 * max(abs(x.low), abs(y.low), 1.0)
    if x.bound == y.bound == "about" and isinstance(x.number.value, float) and isinstance(y.number.value, float):
        # "about 30,000" and "around 40,000": each hedge allows some rounding of its own figure, not the other's;
        # they agree when one figure lies within the other's hedge
        inside = x.low - slack <= y.number.value <= x.high + slack or y.low - slack <= x.number.value <= y.high + slack
        return not inside
    return x_high + slack < y_low or y_high + slack < x_low


def _apart(a: _Value, b: _Value) -> bool:
    return apart(a.records[0], b.records[0])


def _disputed(values: list[_Value]) -> tuple[list[tuple[int, int]], set[tuple[str, int]]]:
    """Pairs of value positions (i, j) in dispute between two articles, and the sides taken.

    Value i of article A and value j of article B (A ≠ B) are in dispute when they are apart and not (A also gives
    a value agreeing with j and B one agreeing with i): a story and its syndicated copy that both give "nine"
    and "45" dispute nothing. An article *takes a side* — (article, value) in the second result — when it gives
    the value and nothing agreeing with the other: an article reporting the revision ("revised to 275 from 288")
    gives both and takes no side.
    """
    by_article: dict[str, list[int]] = defaultdict(list)
    for position, value in enumerate(values):
        for article in value.articles:
            by_article[article].append(position)
    count = len(values)
    apart = [[_apart(values[i], values[j]) for j in range(count)] for i in range(count)]
    agrees: dict[tuple[str, int], bool] = {}

    def agree(article: str, j: int) -> bool:
        found = agrees.get((article, j))
        if found is None:
            found = agrees[(article, j)] = any(not apart[u][j] for u in by_article[article])
        return found

    pairs = []
    sides: set[tuple[str, int]] = set()
    for i in range(count):
        for j in range(i + 1, count):
            if not apart[i][j]:
                continue
            if any(
                a != b and not (agree(a, j) and agree(b, i)) for a in values[i].articles for b in values[j].articles
            ):
                pairs.append((i, j))
                sides.update((a, i) for a in values[i].articles if not agree(a, j))
                sides.update((b, j) for b in values[j].articles if not agree(b, i))
    return pairs, sides


def _involved(values: list[_Value], pairs: list[tuple[int, int]]) -> Iterator[tuple[FigureRecord, FigureRecord]]:
    """Record pairs behind the disputed value pairs: one record per (value, article) side, for the explanation;
    yielded, so that an explanation settled early reads no more of them."""
    firsts: dict[int, list[FigureRecord]] = {}
    for i, j in pairs:
        for position in (i, j):
            if position not in firsts:
                firsts[position] = _firsts(values[position].records)
        for x in firsts[i]:
            for y in firsts[j]:
                if x.ref.article != y.ref.article:
                    yield x, y


def _firsts(records: list[FigureRecord]) -> list[FigureRecord]:
    """The first record of each (article, time, attribution) among ``records`` (bounded)."""
    seen: dict[tuple[str, str, str], FigureRecord] = {}
    for record in records:
        seen.setdefault((record.ref.article, record.time.casefold(), _source(record)), record)
        if len(seen) >= 8:
            break
    return list(seen.values())


def _source(record: FigureRecord) -> str:
    return " ".join(record.attribution.casefold().removeprefix("the ").split())


def explain(edges: Iterable[tuple[FigureRecord, FigureRecord]]) -> tuple[str, str]:
    """The kind of explanation ("none", "time", "source", "time+source") and its text.

    "May explain": no disagreeing pair was counted at the same time (or given by the same body), and some were
    counted at different times (given by different bodies); a pair with a side unknown says nothing. One pass,
    which stops once a pair of the same time and one of the same body are seen (nothing can explain then).
    """
    timed = same_time = sourced = same_source = False
    said: dict[int, str] = {}  # each record's source, read once (a big group has many edges per record)
    shown: dict[tuple[str, str, str], FigureRecord] = {}  # the first few distinct figures, for the text
    looked: set[int] = set()
    for edge in edges:
        x, y = edge
        if x.time and y.time:
            timed = True
            same_time = same_time or x.time.casefold() == y.time.casefold()
        for record in edge:
            if id(record) not in said:
                said[id(record)] = _source(record)
            if len(shown) < MAX_EXPLAINED and id(record) not in looked:
                looked.add(id(record))
                shown.setdefault((_figure(record), record.time.casefold(), said[id(record)]), record)
        if said[id(x)] and said[id(y)]:
            sourced = True
            same_source = same_source or said[id(x)] == said[id(y)]
        if same_time and same_source:
            return "none", ""
    by_time = timed and not same_time
    by_source = sourced and not same_source
    if by_time and by_source:
        kind = "time+source"
    elif by_time:
        kind = "time"
    elif by_source:
        kind = "source"
    else:
        return "none", ""
    records = list(shown.values())
    parts = []
    if "time" in kind:
        parts.append("by time: " + ", ".join(f"{_figure(r)} {_one_line(r.time)}" for r in records if r.time))
    if "source" in kind:
        named = [r for r in records if said[id(r)]]
        parts.append("by source: " + " vs ".join(f"{_one_line(r.attribution)} {_figure(r)}" for r in named))
    return kind, "; ".join(parts)


def _figure(record: FigureRecord) -> str:
    return _one_line(figure_text(record.number))


def _one_line(text: str) -> str:
    """Text as read in the article, its line breaks and runs of spaces as single spaces (a summary is one line)."""
    return " ".join(text.split())


def label(measure: str, scope: str) -> str:
    """ "People displaced", "Distance (km)", "Seats, Labour": the measure as a summary opens (a distance's scope is
    its reference point, which its figures read in full: "within 30 km of Aleppo")."""
    text = measure[:1].upper() + measure[1:]
    return f"{text}, {scope}" if scope and not measure.startswith("distance") else text


def summary(
    analysis: CorpusAnalysis, key: tuple[str, str], scope: str, records: list[FigureRecord], explanation: str
) -> str:
    """ "People displaced: nearly 300,000 (003, since late November) vs over 370,000 (004, in just a week)"."""
    articles = {a.article.id: a.article for a in analysis.articles}
    parts = []
    for record in records:
        article = articles[record.ref.article]
        stated = record.time and record.time != (article.date or "")
        context = ", ".join((source_label(article), *((_one_line(record.time),) if stated else ())))
        parts.append(f"{_figure(record)} ({context})")
    text = f"{label(key[0], scope)}: " + " vs ".join(parts)
    return f"{text} — {explanation}" if explanation else text


def conflicts_from_records(analysis: CorpusAnalysis, records: Sequence[FigureRecord]) -> list[Conflict]:
    """One conflict per measure × scope whose figures disagree across articles, in corpus order; a measure whose
    figures were counted on different days also gets one conflict per day on which they disagree (see
    :func:`_by_day`)."""
    story = story_places(analysis)
    spelled = _spellings(analysis)
    named = [replace(r, scope=spelled.get(r.scope, r.scope)) if r.scope else r for r in records]
    split = broken_down(named, story)
    keys = [group_key(r, story - split.get(r.measure, frozenset())) for r in named]
    groups: dict[tuple[str, str], list[FigureRecord]] = defaultdict(list)
    for record, key in zip(records, keys, strict=True):
        if key is not None:
            groups[key].append(record)
    compared = [r for group in groups.values() if len({r.ref.article for r in group}) >= 2 for r in group]
    days = dict(zip(map(id, compared), record_days(analysis, compared), strict=True))
    order = {a.article.id: i for i, a in enumerate(analysis.articles)}
    found: list[tuple[tuple[int, int, int], Conflict]] = []
    for key, group in groups.items():
        if len({r.ref.article for r in group}) < 2:
            continue
        built = [_conflict(analysis, key, part, order, mode, days) for part, mode in _by_day(group, days)]
        across = built[-1][1] if built[-1] is not None else None
        shown = {(m.ref, m.number.start) for m in across.mentions} if across else set()
        # a day's dispute stands on its own only when the conflict across days leaves some of it out (figures
        # that disagree only on that day): else it is the same dispute told twice
        found.extend(
            conflict
            for conflict in built
            if conflict is not None
            and (conflict[1] is across or not {(m.ref, m.number.start) for m in conflict[1].mentions} <= shown)
        )
    found.extend(_beyond_totals(analysis, groups, order))
    return [conflict for _, conflict in sorted(found, key=lambda item: item[0])]


def broken_down(records: Sequence[FigureRecord], story: frozenset[str]) -> dict[str, frozenset[str]]:
    """{measure: the story places that some article gives as one part of a breakdown of that measure}.

    Why: the story's own place stands for the story as a whole ("the toll in Derna" and "the toll" are one scope)
    until an article splits the measure by place — "92 killed in one district and 36 in another", with a larger
    figure for the whole beside them. Then that place's figure is a part, and its own scope: a district's toll
    compared with the other outlets' district tolls, never with the total.
    """
    by_article: dict[tuple[str, str], list[FigureRecord]] = defaultdict(list)
    for record in records:
        if comparable(record.measure) and not record.scope.endswith(BEYOND):
            by_article[(record.ref.article, record.measure)].append(record)
    split: dict[str, set[str]] = defaultdict(set)
    for (_, measure), group in by_article.items():
        told = [(scope_key(r.scope), r) for r in group if not r.scope or _NAMED_SCOPE.match(r.scope)]
        if not any(key and key not in story for key, _ in told):
            continue  # no place outside the story's own: the story's places nest ("Lahaina, Maui"), no breakdown
        for key, record in told:
            if key in story and any(other != key and r.low > record.high for other, r in told):
                split[measure].add(key)  # a larger figure for the whole (or the story's other place) beside it
    return {measure: frozenset(keys) for measure, keys in split.items()}


def _beyond_totals(
    analysis: CorpusAnalysis, groups: dict[tuple[str, str], list[FigureRecord]], order: dict[str, int]
) -> list[tuple[tuple[int, int, int], Conflict]]:
    """Conflicts between a measure and the measure that contains it: "more than 2,700 structures destroyed" in one
    outlet cannot hold beside "2,207 structures damaged or destroyed" in another (a part exceeds its whole).

    The whole is a measure of alternatives ("buildings damaged or destroyed"), each alternative a part of it
    ("buildings destroyed"); a part's figure conflicts when its interval lies wholly above the whole's, and the
    conflict lists the part's figures against the largest of the whole's they exceed.
    """
    found = []
    for (measure, scope), whole in groups.items():
        noun, _, alternatives = measure.partition(" ")
        if " or " not in alternatives:
            continue
        wholes = _values(whole)
        for alternative in alternatives.split(" or "):
            part = groups.get((f"{noun} {alternative.strip()}", scope))
            if not part:
                continue
            beyond = [
                (x, y)
                for x in _values(part)
                for y in wholes
                if x.low > y.low and apart(x.records[0], y.records[0]) and len({*x.articles, *y.articles}) >= 2
            ]
            if not beyond:
                continue
            # the whole's largest figure that the part still exceeds is the contradiction; the smaller ones only
            # repeat it (and may be one count rounded, "2,200" beside "2,207")
            top = max(y.high for _, y in beyond)
            beyond = [(x, y) for x, y in beyond if y.high == top]
            chosen: dict[tuple[str, float, float], FigureRecord] = {}  # one voice per article and value
            for pair in beyond:
                for value in pair:
                    for record in value.records:
                        chosen.setdefault((record.ref.article, record.low, record.high), record)
            members = sorted(chosen.values(), key=lambda r: (order[r.ref.article], r.ref.sentence, r.number.start))
            edges = (
                (a, b)
                for x, y in beyond
                for a in _firsts(x.records)
                for b in _firsts(y.records)
                if a.ref.article != b.ref.article
            )
            kind, text = explain(edges)
            shown = _scope_name(members, scope)
            key = (f"{part[0].measure} beyond {measure}", scope)
            conflict = Conflict(
                summary=summary(analysis, key, shown, members, text),
                mentions=tuple(ConflictMention(r.ref, r.number, r.time, r.attribution) for r in members),
                measure=measure,
                scope=shown,
                explanation=kind,
                explanation_text=text,
            )
            first = members[0]
            found.append(((order[first.ref.article], first.ref.sentence, first.number.start), conflict))
    return found


def _by_day(group: list[FigureRecord], days: dict[int, int | None]) -> list[tuple[list[FigureRecord], str]]:
    """The figure sets compared for one measure × scope: each day's figures on their own ("day": what outlets
    gave at the same time), then all of them across days ("across": only disagreements between figures of two
    days, or of an undated one, count there). One set, the whole group ("all"), when its figures name fewer than
    two days.

    Why: "21 dead" on Friday and "at least 100" on Monday is a count that rose; 21 and 33 on Friday is a
    dispute. A reviewer sees each day's dispute, and the rise as a difference "by time".
    """
    by_day: dict[int, list[FigureRecord]] = defaultdict(list)
    for record in group:
        day = days.get(id(record))
        if day is not None:
            by_day[day].append(record)
    if len(by_day) < 2:
        return [(group, "all")]
    windows: list[list[FigureRecord]] = []
    opened = None
    for day, found in sorted(by_day.items()):
        if opened is None or day - opened >= SAME_TIME_DAYS:
            windows.append([])
            opened = day
        windows[-1].extend(found)
    parts = [(part, "day") for part in windows if len({r.ref.article for r in part}) >= 2]
    return [*parts, (group, "across")]


def _conflict(
    analysis: CorpusAnalysis,
    key: tuple[str, str],
    group: list[FigureRecord],
    order: dict[str, int],
    mode: str = "all",
    days: dict[int, int | None] | None = None,
) -> tuple[tuple[int, int, int], Conflict] | None:
    """The conflict of one set of figures of a measure × scope (see :func:`_by_day` for ``mode``), None when they
    agree. One day's conflict lists every article's voice, also one that gives both figures: on one day, an
    article saying "about 6,000, the ambassador said; the Red Crescent put it at 11,300" reports the dispute."""
    values = _without_agreeing_bounds(_values(group))
    pairs, sides = _disputed(values)
    if mode == "across" and days is not None:
        pairs = [(i, j) for i, j in pairs if _across_days(values[i], values[j], days)]
    if not pairs:
        return None
    if mode == "day":
        sides |= {
            (article, p)
            for pair in pairs
            for p in pair
            if values[p].records[0].bound not in _OPEN_BOUNDS
            for article in values[p].articles
        }
    taking_part = _taking_part(values, pairs, sides)
    members = sorted(
        (r for r in group if id(r) in taking_part),
        key=lambda r: (order[r.ref.article], r.ref.sentence, r.number.start),
    )
    if len({r.ref.article for r in members}) < 2:
        return None
    kind, text = explain(_involved(values, pairs))
    scope = _scope_name(members, key[1])
    mentions = tuple(ConflictMention(r.ref, r.number, r.time, r.attribution) for r in members)
    conflict = Conflict(
        summary=summary(analysis, key, scope, members, text),
        mentions=mentions,
        measure=members[0].measure,
        scope=scope,
        explanation=kind,
        explanation_text=text,
    )
    first = members[0]
    return (order[first.ref.article], first.ref.sentence, first.number.start), conflict


def _across_days(a: _Value, b: _Value, days: dict[int, int | None]) -> bool:
    """The figures of ``a`` and ``b`` were not all counted on one known day (one of them is undated, or they name
    two days): their difference is one of time, not a dispute of that day."""
    named = {days.get(id(r)) for r in a.records}
    if len(named) > 1 or None in named:
        return True
    named.update(days.get(id(r)) for r in b.records)
    return len(named) > 1 or None in named


def _values(group: list[FigureRecord]) -> list[_Value]:
    """The group's distinct intervals, the ``MAX_VALUES`` given by the most articles (ties: first seen)."""
    by_interval: dict[tuple[float, float], _Value] = {}
    for record in group:
        value = by_interval.get((record.low, record.high))
        if value is None:
            value = by_interval[(record.low, record.high)] = _Value(record.low, record.high, [], [])
        if record.ref.article not in value.articles:
            value.articles.append(record.ref.article)
        value.records.append(record)
    values = list(by_interval.values())
    if len(values) > MAX_VALUES:
        ranked = sorted(range(len(values)), key=lambda i: -len(values[i].articles))[:MAX_VALUES]
        values = [values[i] for i in sorted(ranked)]
    return values


_OPEN_BOUNDS = frozenset({"at least", "more than", "at most", "less than"})


def _without_agreeing_bounds(values: list[_Value]) -> list[_Value]:
    """The values without the open bounds that agree with the story's main figure.

    Why: "more than 5,000" said on the first day does not dispute the 11,300 most outlets give later, it counts
    less yet; listed in the conflict it only stands against other early counts and buries the real dispute. The
    main figure is the closed value the most articles give (at least two, no tie); a floor or ceiling that its
    interval meets takes no side, unless it states the main figure itself ("at least 11,300").
    """
    if len(values) < 3:
        return values
    # (a floor is no main figure: "at least 24" in two outlets leaves "more than 40" and 21 in dispute)
    support = [0 if v.records[0].bound in _OPEN_BOUNDS else len(v.articles) for v in values]
    most = max(support)
    if most < 2 or support.count(most) > 1:
        return values
    main = values[support.index(most)]
    number = main.records[0].number.value

    def agreeing(value: _Value) -> bool:
        first = value.records[0]
        return (
            value is not main
            and first.bound in _OPEN_BOUNDS
            and first.number.value != number
            and not apart(first, main.records[0])
        )

    return [v for v in values if not agreeing(v)]


def _taking_part(values: list[_Value], pairs: list[tuple[int, int]], sides: set[tuple[str, int]]) -> set[int]:
    """Ids of the records a conflict lists: one record of each article that takes a side, one per article and
    value (an article repeating its figure in headline, lede and body is one voice) — the one that says most,
    when and who ("some 1.9 million customers as of 6 a.m. Friday, DeSantis said" over the headline's "1.9
    million"), else the first; a disputed value no article takes a side for is shown by its first record. An
    article's floor or ceiling that its own exact figure meets is no second voice ("more than 1,300 … 1,305")."""
    chosen: list[FigureRecord] = []
    for position in sorted({p for pair in pairs for p in pair}):
        value = values[position]
        taken: dict[str, FigureRecord] = {}
        # a figure its own article reports as replaced ("revised down from 288", "had previously put it at 5,500")
        # is that article's history, no voice for the figure, when another article gives it as its own
        current = [r for r in value.records if not superseded(r.time)] or value.records
        for record in current:
            if (record.ref.article, position) in sides:
                held = taken.get(record.ref.article)
                if held is None or _said(record) > _said(held):
                    taken[record.ref.article] = record
        chosen.extend(taken.values() or current[:1])
    exact: dict[str, list[FigureRecord]] = defaultdict(list)
    for record in chosen:
        if record.bound not in _OPEN_BOUNDS:
            exact[record.ref.article].append(record)
    return {
        id(record)
        for record in chosen
        if record.bound not in _OPEN_BOUNDS
        or not any(not apart(record, other) for other in exact.get(record.ref.article, ()))
    }


def _said(record: FigureRecord) -> int:
    """How much a record says beside its figure: a time of its own (not the article's date) and a source."""
    return bool(record.time and not _DATED.match(record.time)) + bool(record.attribution)


def _scope_name(records: list[FigureRecord], key: str) -> str:
    """The scope as most of the conflict's figures write it ("" for the story as a whole)."""
    if not key:
        return ""
    written = Counter(r.scope for r in records if r.scope and scope_key(r.scope) == key)
    return written.most_common(1)[0][0] if written else key


def find_conflicts(
    analysis: CorpusAnalysis,
    table: ClaimTable | None = None,
    matches: Iterable[Match] = (),
    pairs: Iterable[Pair] | None = None,
) -> list[Conflict]:
    """Conflicts across articles, in corpus order of their first figure (see the module docstring).

    The records are the analysis's own (``analysis.figures``) when it has them, else they are read here.
    ``table``, ``matches`` and ``pairs`` are accepted for callers of the matcher's era and not needed: conflicts
    come from the records alone.
    """
    del table, matches, pairs
    return conflicts_from_records(analysis, analysis.figures or figure_records(analysis))


class QuantityCache:
    """Quantities of claims by reference, read once; for callers that compare many pairs."""

    def __init__(self, analysis: CorpusAnalysis) -> None:
        self._articles = {a.article.id: a for a in analysis.articles}
        self._sentences: dict[str, dict[int, Sentence]] = {}
        self._found: dict[ClaimRef, list[Quantity]] = {}

    def article(self, article_id: str) -> ArticleAnalysis | None:
        return self._articles.get(article_id)

    def sentence(self, ref: ClaimRef) -> Sentence | None:
        """The claim's sentence (by index, through a per-article table built on first use)."""
        sentences = self._sentences.get(ref.article)
        if sentences is None:
            article = self._articles.get(ref.article)
            sentences = self._sentences[ref.article] = {s.index: s for s in article.sentences} if article else {}
        return sentences.get(ref.sentence)

    def of(self, ref: ClaimRef) -> list[Quantity]:
        found = self._found.get(ref)
        if found is None:
            article = self._articles.get(ref.article)
            sentence = self.sentence(ref) if article else None
            found = quantities_in(article, sentence) if article and sentence and article.numbers else []
            self._found[ref] = found
        return found


def differing_pairs(
    analysis: CorpusAnalysis, a: ClaimRef, b: ClaimRef, cache: QuantityCache | None = None
) -> list[tuple[NumberMention, NumberMention]]:
    """Figures of claims ``a`` and ``b`` that count the same thing with incompatible values."""
    cache = cache or QuantityCache(analysis)
    return [(x.mention, y.mention) for x in cache.of(a) for y in cache.of(b) if x.key == y.key and not x.compatible(y)]
