"""The per-article cache: one gzip JSON file per (article content hash, analysis version).

Where: ``<cache dir>/articles/<2 hex>/<key>.article.gz`` (the cache dir is ``$XDG_CACHE_HOME/factdesk``, by
default ``~/.cache/factdesk``), the key a hash of the analysis version and the article's content hash, so machines
sharing one cache dir share entries, and an entry never outlives the code that wrote it.

Why per article: adding, editing or removing one article of many must not re-analyse the others, and
``factdesk analyze --article FILE`` (the map step on other machines) fills this same cache. What an entry holds is
:class:`~factdesk.annotations.pipeline.per_article.ArticleWork`: the article's own results, and the questions its
recogniser put to the corpus with their answers, so that the corpus pass can tell whether the entry still holds.

An entry is untrusted input, checked as it is rebuilt like the whole-corpus entries of :mod:`.cache`: exactly the
shape :func:`encode` writes, offsets inside the article and in order, labels and kinds the analysis uses, numbers
finite. Anything else is no entry (the article is analysed again and its entry replaced), never an error.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from pathlib import Path
from typing import Any

from factdesk.annotations.model import ENTITY_LABELS, Article, ClaimRef, Entity, FigureRecord
from factdesk.annotations.pipeline.cache import (
    BOUND_KINDS,
    COMPRESS_LEVEL,
    DamagedEntry,
    _end_in,
    _entities_in,
    _finite,
    _number_in,
    _number_out,
    _numbers_in,
    _sentences_in,
    analysis_version,
    figure_fields_out,
)
from factdesk.annotations.pipeline.per_article import ArticleWork, CasingTrace, FigureBasis, LabelTrace, Name
from factdesk.annotations.storage.atomic import atomic_write_bytes
from factdesk.annotations.storage.locations import cache_dir

_FIELDS = frozenset(
    {
        "sentences",
        "dates",
        "numbers",
        "counts",
        "pairs",
        "casing",
        "votes",
        "labels",
        "first",
        "trusted",
        "entities",
        "figures",
    }
)

_EVIDENCE = frozenset({"n", "m", "l", "c"})


def entry_file(article_id: str, folder: Path | None = None) -> Path:
    """Where the entry of the article with this content hash lives, for this analysis version."""
    key = hashlib.sha256(f"{analysis_version()}\n{article_id}".encode()).hexdigest()[:24]
    # not "*.json.gz": that name is the whole corpus's entry (tools and tests look for it by that name)
    return (folder or cache_dir()) / "articles" / key[:2] / f"{key}.article.gz"


# An entry's fields in three parts, one per step of the work (the worker processes send back one part per step).
PARTS = {
    "own": ("sentences", "dates", "numbers", "counts", "pairs"),
    "tagged": ("casing", "votes"),
    "named": ("labels", "first", "trusted", "entities"),
}


def encode(work: ArticleWork, part: str | None = None) -> dict[str, Any]:
    """The entry of ``work`` (or one part of it, see :data:`PARTS`)."""
    out: dict[str, Any] = {}
    if part in (None, "own"):
        out["sentences"] = [[s.index, s.start, s.end, s.kind] for s in work.sentences]
        out["dates"] = [[e.start, e.end, e.label] for e in work.dates]
        out["numbers"] = [_number_out(n) for n in work.numbers]
        out["counts"] = dict(work.counts)  # plain dicts (work may hold the tokeniser's Counters)
        out["pairs"] = dict(work.pairs)
    if part in (None, "tagged"):
        out["casing"] = [[*question, list(a) if type(a) is tuple else a] for question, a in work.casing.items()]
        out["votes"] = [[list(name), counts, work.best[name]] for name, counts in work.votes.items()]
    if part in (None, "named"):
        out["labels"] = [[list(name), label] for name, label in work.labels.labels.items()]
        out["first"] = [[word, sizes] for word, sizes in work.labels.first.items()]
        out["trusted"] = [[list(name), label] for name, label in work.labels.trusted.items()]
        out["entities"] = [[e.start, e.end, e.label] for e in work.entities]
    if part is None:
        out["figures"] = _figures_out(work)
    return out


def _figures_out(work: ArticleWork) -> list[Any] | None:
    """[basis, rows] (row: [sentence, number, low, high, bound, measure, scope, time, attribution]; the outlet is
    the basis's), or None when the figures were not read."""
    if work.figures is None or work.figure_basis is None:
        return None
    rows = [[f.ref.sentence, *figure_fields_out(f)] for f in work.figures]
    return [list(work.figure_basis), rows]


def _figures_in(data: object, work: ArticleWork, article: Article) -> None:
    """The figure records of an entry into ``work`` (None: not read), checked like the rest."""
    if data is None:
        work.figures = work.figure_basis = None
        return
    if type(data) is not list or len(data) != 2 or not _strings(data[0]) or len(data[0]) != 3:
        raise DamagedEntry("figures of the wrong shape")
    basis: FigureBasis = (data[0][0], data[0][1], data[0][2])
    rows, text, count = data[1], article.text, len(work.sentences)
    if type(rows) is not list:
        raise DamagedEntry("figures that are not a list")
    records = []
    for row in rows:
        if type(row) is not list or len(row) != 9 or any(type(v) is not str for v in row[5:]):
            raise DamagedEntry("a figure of the wrong shape")
        sentence, number, low, high, bound = row[:5]
        if type(sentence) is not int or not 0 <= sentence < count or bound not in BOUND_KINDS:
            raise DamagedEntry("a figure that does not fit its article")
        records.append(
            FigureRecord(
                ClaimRef(article.id, sentence),
                _number_in(number, text),
                _end_in(low),
                _end_in(high),
                bound,
                row[5],
                row[6],
                row[7],
                row[8],
                basis[1],
            )
        )
    work.figures, work.figure_basis = tuple(records), basis


def _strings(value: object) -> bool:
    return type(value) is list and all(type(v) is str for v in value)


def _name(value: object) -> Name:
    if not _strings(value) or not value:
        raise DamagedEntry("a name that is not a list of words")
    return tuple(value)  # type: ignore[arg-type]  # _strings checked it is a list of str


def _counts_in(value: object) -> dict[str, int]:
    if type(value) is not dict or not all(type(n) is int and n > 0 for n in value.values()):
        raise DamagedEntry("casing counts of the wrong shape")
    return value


def _casing_in(rows: object) -> CasingTrace:
    if type(rows) is not list:
        raise DamagedEntry("a casing record that is not a list")
    trace: CasingTrace = {}
    for row in rows:
        if type(row) is not list or not row:
            raise DamagedEntry("a casing question of the wrong shape")
        kind = row[0]
        if kind == "e" and len(row) == 3 and type(row[1]) is str and row[2] in _EVIDENCE:
            trace[("e", row[1])] = row[2]
        elif kind == "b" and len(row) == 3 and type(row[1]) is str and (row[2] is None or type(row[2]) is str):
            trace[("b", row[1])] = row[2]
        elif kind == "p" and len(row) == 4 and type(row[1]) is str and type(row[2]) is str:
            answer = row[3]
            if answer is not None and not (_strings(answer) and len(answer) == 2):
                raise DamagedEntry("a casing answer of the wrong shape")
            trace[("p", row[1], row[2])] = None if answer is None else (answer[0], answer[1])
        else:
            raise DamagedEntry("a casing question of the wrong shape")
    return trace


def _votes_in(rows: object, work: ArticleWork) -> None:
    if type(rows) is not list:
        raise DamagedEntry("votes that are not a list")
    for row in rows:
        if type(row) is not list or len(row) != 3 or type(row[1]) is not dict:
            raise DamagedEntry("a vote of the wrong shape")
        name = _name(row[0])
        counts = {}
        for label, weight in row[1].items():
            if label not in ENTITY_LABELS:
                raise DamagedEntry("a vote for a label the analysis does not use")
            counts[label] = _finite(weight)
        work.votes[name] = counts
        work.best[name] = _finite(row[2])


def _label_rows(rows: object) -> list[tuple[Name, str | None]]:
    if type(rows) is not list:
        raise DamagedEntry("label answers that are not a list")
    out = []
    for row in rows:
        if type(row) is not list or len(row) != 2 or not (row[1] is None or row[1] in ENTITY_LABELS):
            raise DamagedEntry("a label answer of the wrong shape")
        out.append((_name(row[0]), row[1]))
    return out


def _first_in(rows: object) -> dict[str, list[int] | None]:
    if type(rows) is not list:
        raise DamagedEntry("first-word answers that are not a list")
    out: dict[str, list[int] | None] = {}
    for row in rows:
        if type(row) is not list or len(row) != 2 or type(row[0]) is not str:
            raise DamagedEntry("a first-word answer of the wrong shape")
        sizes = row[1]
        if sizes is not None and not (type(sizes) is list and all(type(n) is int and n > 0 for n in sizes)):
            raise DamagedEntry("a first-word answer of the wrong shape")
        out[row[0]] = sizes
    return out


def _dates_in(rows: object, text: str) -> tuple[Entity, ...]:
    dates = _entities_in(rows, text)
    if any(e.label != "DATE" for e in dates):
        raise DamagedEntry("a date that is not a DATE")
    return dates


def decode(data: object, article: Article) -> ArticleWork:
    """Rebuild one article's work from its entry, checking as it goes (:class:`DamagedEntry` when damaged)."""
    if type(data) is not dict or data.keys() != _FIELDS:
        raise DamagedEntry("not an article entry")
    work = decode_part("own", data, article)
    decode_part("tagged", data, article, work)
    decode_part("named", data, article, work)
    _figures_in(data["figures"], work, article)
    return work


def decode_part(part: str, data: dict[str, Any], article: Article, work: ArticleWork | None = None) -> ArticleWork:
    """One part of an entry (see :data:`PARTS`) into ``work`` (a new work for the part "own"), checked."""
    text = article.text
    if part == "own":
        return ArticleWork(
            sentences=_sentences_in(data["sentences"], len(text)),
            dates=_dates_in(data["dates"], text),
            numbers=_numbers_in(data["numbers"], text),
            counts=_counts_in(data["counts"]),
            pairs=_counts_in(data["pairs"]),
        )
    assert work is not None
    if part == "tagged":
        work.casing = _casing_in(data["casing"])
        work.votes, work.best = {}, {}
        _votes_in(data["votes"], work)
    else:
        work.labels = LabelTrace(
            labels=dict(_label_rows(data["labels"])),
            first=_first_in(data["first"]),
            trusted=dict(_label_rows(data["trusted"])),
        )
        work.entities = _entities_in(data["entities"], text)
    return work


def load(article: Article, folder: Path | None = None) -> ArticleWork | None:
    """The article's cached work, or ``None`` when there is none or it is damaged in any way."""
    try:
        raw = entry_file(article.id, folder).read_bytes()
        return decode(json.loads(gzip.decompress(raw)), article)
    # as cache.load: every way a file can be damaged is no entry, never an error
    except (OSError, zlib.error, EOFError, ValueError, RecursionError, MemoryError, KeyError, TypeError, IndexError):
        return None


def save(article_id: str, work: ArticleWork, folder: Path | None = None) -> None:
    payload = json.dumps(encode(work), ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    try:
        atomic_write_bytes(
            entry_file(article_id, folder), gzip.compress(payload, compresslevel=COMPRESS_LEVEL, mtime=0)
        )
    except OSError:
        pass  # a read-only cache dir only costs speed
