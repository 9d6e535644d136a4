"""A damaged analysis cache entry is recomputed: never a traceback, never wrong offsets in an export.

The cache lives in the user's cache folder, where disks fill, copies get cut short and people poke at files.
Every way an entry can be wrong — compressed bytes flipped or cut, JSON nested past Python's recursion limit,
strings where offsets belong, offsets outside the article, fields missing or extra, references to claims that
do not exist, numbers JSON cannot print — must mean "no entry": the analysis runs again and rewrites it.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from factdesk.annotations.model import CorpusAnalysis
from factdesk.annotations.pipeline.analysis import analyze, to_json
from factdesk.annotations.pipeline.cache import cache_file, decode, encode, load, save
from factdesk.annotations.text.corpus import load_corpus

REPO = Path(__file__).resolve().parent.parent


def _read(entry: Path) -> dict[str, Any]:
    return json.loads(gzip.decompress(entry.read_bytes()))


def _write(entry: Path, text: str) -> None:
    entry.write_bytes(gzip.compress(text.encode("utf-8")))


def _flip(raw: bytes, seed: int, count: int = 3) -> bytes:
    rng = random.Random(seed)
    data = bytearray(raw)
    for _ in range(count):
        at = rng.randrange(10, len(data))  # past the gzip header's free fields (mtime, OS)
        data[at] ^= 1 << rng.randrange(8)
    return bytes(data)


def _deep(depth: int) -> str:
    return '{"articles": ' + "[" * depth + "]" * depth + ', "matches": [], "conflicts": [], "aliases": []}'


# --- through the command line ------------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")  # this test's own cache, to damage freely
    return env


def _export(corpus: Path, db: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "factdesk", "export", str(corpus), "--db", str(db), "--format", "json", "--all"]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=env, timeout=300)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "flipped bytes": lambda entry: entry.write_bytes(_flip(entry.read_bytes(), seed=7)),
    "truncated": lambda entry: entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2]),
    "nested 100,000 levels": lambda entry: _write(entry, _deep(100_000)),
    "string offsets": lambda entry: _write(
        entry, json.dumps(_with(_read(entry), lambda d: _first_row(d, "sentences").__setitem__(1, "0")))
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_export_recomputes_a_damaged_entry(
    seeds_copy: Path, tmp_path: Path, cli_env: dict[str, str], damage: str
) -> None:
    db = tmp_path / "marks.json"
    first = _export(seeds_copy, db, cli_env)
    assert first.returncode == 0, first.stderr
    (entry,) = (tmp_path / "cache").rglob("*.json.gz")
    DAMAGE[damage](entry)
    again = _export(seeds_copy, db, cli_env)
    assert "Traceback" not in again.stderr and again.returncode == 0, again.stderr
    assert again.stdout == first.stdout  # the same brief, from a fresh analysis
    newest = max((tmp_path / "cache").rglob("*.json.gz"), key=lambda p: p.stat().st_mtime_ns)
    assert _read(newest)["articles"]  # and the entry was written again, whole (newest: the code may change meanwhile)


# --- the loader itself, every kind of damage -----------------------------------------------------------------


def _cached_part(analysis: CorpusAnalysis | None) -> tuple[object, ...]:
    """What an entry holds."""
    assert analysis is not None
    return analysis.articles, analysis.matches, analysis.conflicts, analysis.aliases, analysis.copy_groups


def _with(data: dict[str, Any], change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    change(data)
    return data


def _first_article(data: dict[str, Any]) -> dict[str, Any]:
    return next(iter(data["articles"].values()))


def _first_row(data: dict[str, Any], table: str) -> list[Any]:
    return _first_article(data)[table][0]


def _set(table: str, column: int, value: object) -> Callable[[dict[str, Any]], object]:
    return lambda data: _first_row(data, table).__setitem__(column, value)


MUTATIONS: dict[str, Callable[[dict[str, Any]], object]] = {
    "a sentence start as a string": _set("sentences", 1, "0"),
    "a sentence end past the text": _set("sentences", 2, 10**9),
    "a negative sentence start": _set("sentences", 1, -5),
    "a sentence end before its start": lambda d: _first_row(d, "sentences").__setitem__(
        1, _first_row(d, "sentences")[2] + 1
    ),
    "a boolean sentence index": _set("sentences", 0, False),
    "an unknown sentence kind": _set("sentences", 3, "\x1b[31mclaim"),
    "a sentence index out of order": _set("sentences", 0, 5),
    "a sentence missing a field": lambda d: _first_row(d, "sentences").pop(),
    "a sentence with an extra field": lambda d: _first_row(d, "sentences").append(1),
    "an entity end past the text": _set("entities", 1, 10**9),
    "an entity label with escapes": _set("entities", 2, "\x1b]52;c;aGk=\x07"),
    "an entity start as a float": _set("entities", 0, 1.0),
    "an unknown entity label": _set("entities", 2, "EVIL"),
    "entities out of order": lambda d: _first_article(d)["entities"].reverse(),
    "a number value as a string": _set("numbers", 2, "300"),
    "a number value of NaN": _set("numbers", 2, float("nan")),
    "a number value too big for a float": _set("numbers", 2, 10**400),
    "a number range of three": _set("numbers", 2, [1, 2, 3]),
    "a number unit as a list": _set("numbers", 3, ["km"]),
    "a number qualifier as a number": _set("numbers", 4, 7),
    "a number offset out of range": _set("numbers", 0, 10**9),
    "a missing article": lambda d: d["articles"].popitem(),
    "an extra article": lambda d: d["articles"].__setitem__("0" * 16, _first_article(d)),
    "an article entry missing its numbers": lambda d: _first_article(d).pop("numbers"),
    "an article entry with an extra field": lambda d: _first_article(d).__setitem__("extra", []),
    "articles as a list": lambda d: d.__setitem__("articles", list(d["articles"].values())),
    "a missing top-level field": lambda d: d.pop("aliases"),
    "an extra top-level field": lambda d: d.__setitem__("surprise", 1),
    "a match naming an unknown article": lambda d: d["matches"][0][0].__setitem__(0, "f" * 16),
    "a match naming a sentence past the article": lambda d: d["matches"][0][1].__setitem__(1, 10**6),
    "a match score of infinity": lambda d: d["matches"][0].__setitem__(2, float("inf")),
    "a match as a dict": lambda d: d["matches"].__setitem__(0, {"a": 1}),
    "an unhashable article id in a match": lambda d: d["matches"][0][0].__setitem__(0, ["x"]),
    "a conflict summary as a number": lambda d: d["conflicts"][0].__setitem__(0, 5),
    "a conflict number outside its article": lambda d: d["conflicts"][0][1][0][1].__setitem__(1, 10**9),
    "a conflict explanation of no kind": lambda d: d["conflicts"][0].__setitem__(4, "maybe"),
    "a conflict mention time as a number": lambda d: d["conflicts"][0][1][0].__setitem__(2, 5),
    "an alias variant as a number": lambda d: d["aliases"][0][2].append(5),
    "an alias label unknown": lambda d: d["aliases"][0].__setitem__(1, "\x9b2J"),
    "an empty object": lambda d: d.clear(),
    "copies as a dict": lambda d: d.__setitem__("copies", {}),
    "copies without their basis": lambda d: d["copies"].pop(0),
    "a copy group naming an unknown article": lambda d: d["copies"][1].append([["f" * 16, "e" * 16], 2, None]),
    "a copy group of one article": lambda d: d["copies"][1].append([[next(iter(d["articles"]))], 2, None]),
    "a copy group's passages as a string": lambda d: d["copies"][1].append([list(d["articles"])[:2], "2", None]),
    "a copy group's wire as a number": lambda d: d["copies"][1].append([list(d["articles"])[:2], 2, 5]),
}


@pytest.fixture(scope="module")
def seeds_entry(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, dict[str, Any], str]:
    """The seeds analysed once into a cache folder of this module's: (folder, corpus, entry data, expected JSON)."""
    folder = tmp_path_factory.mktemp("cache")
    corpus = load_corpus([REPO / "seeds"])
    analysis = analyze(corpus, use_cache=False)
    save(analysis, folder)
    expected = json.dumps(to_json(analysis))
    return folder, corpus, _read(cache_file(corpus.articles, folder)), expected


def test_a_sound_entry_rebuilds_the_analysis_exactly() -> None:
    """Entities and numbers are stored without their text (it is the article's, between their offsets)."""
    corpus = load_corpus([REPO / "seeds"])
    analysis = analyze(corpus, use_cache=False)
    assert _cached_part(decode(json.loads(json.dumps(encode(analysis))), corpus.articles)) == _cached_part(analysis)


def test_a_figure_too_big_for_a_float_is_no_number_and_its_entry_loads(tmp_path: Path) -> None:
    """400 digits overflow to infinity: not a figure, not valid JSON, and an entry holding it would never load."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    huge = "9" * 400
    (folder / "a.txt").write_text(f"Officials said {huge} people fled on Sunday. The army lost 12 tanks.\n")
    corpus = load_corpus([folder])
    analysis = analyze(corpus, use_cache=False)
    assert [n.text for n in analysis.articles[0].numbers] == ["12 tanks"]
    save(analysis, tmp_path / "cache")
    assert _cached_part(load(corpus.articles, tmp_path / "cache")) == _cached_part(analysis)


def test_a_file_name_that_is_not_utf8_is_cached_too(tmp_path: Path) -> None:
    """A conflict's summary names its sources, and a source may be a file name with a byte that is not UTF-8."""
    corpus = load_corpus([REPO / "seeds"])
    analysis = analyze(corpus, use_cache=False)
    conflict = replace(analysis.conflicts[0], summary="People displaced (\udc9b7777m.txt) vs (\udcff.txt)")
    odd = replace(analysis, conflicts=(conflict, *analysis.conflicts[1:]))
    save(odd, tmp_path)
    assert _cached_part(load(corpus.articles, tmp_path)) == _cached_part(odd)


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_a_damaged_entry_is_no_entry(seeds_entry: tuple[Path, Any, dict[str, Any], str], mutation: str) -> None:
    folder, corpus, data, _ = seeds_entry
    assert load(corpus.articles, folder) is not None  # the good entry loads
    damaged = json.loads(json.dumps(data))
    assert damaged["conflicts"] and damaged["matches"] and damaged["aliases"]  # the seeds have every table
    MUTATIONS[mutation](damaged)
    entry = cache_file(corpus.articles, folder)
    good = entry.read_bytes()
    try:
        _write(entry, json.dumps(damaged))
        assert load(corpus.articles, folder) is None
    finally:
        entry.write_bytes(good)


def test_every_flip_of_the_compressed_bytes_is_caught(seeds_entry: tuple[Path, Any, dict[str, Any], str]) -> None:
    folder, corpus, _, expected = seeds_entry
    entry = cache_file(corpus.articles, folder)
    good = entry.read_bytes()
    try:
        for seed in range(60):
            entry.write_bytes(_flip(good, seed, count=1 + seed % 3))
            found = load(corpus.articles, folder)  # no exception, whatever the damage
            assert found is None or json.dumps(to_json(found)) == expected, seed
        for size in (0, 1, 9, 10, 11, len(good) // 3, len(good) - 8, len(good) - 1):
            entry.write_bytes(good[:size])
            assert load(corpus.articles, folder) is None, size
        _write(entry, _deep(100_000))
        assert load(corpus.articles, folder) is None
        for text in (b"\xff\xfe not utf-8", b"[]", b"null", b'"articles"', b"", b"{}"):
            entry.write_bytes(gzip.compress(text))
            assert load(corpus.articles, folder) is None, text
    finally:
        entry.write_bytes(good)


def test_a_damaged_entry_is_recomputed_and_rewritten(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # not the cache the other tests share
    corpus = load_corpus([seeds_copy])
    expected = to_json(analyze(corpus, use_cache=False))
    analyze(corpus)
    entry = cache_file(corpus.articles)
    _write(entry, json.dumps(_with(_read(entry), _set("entities", 0, "3"))))
    assert to_json(analyze(corpus)) == expected
    assert load(corpus.articles) is not None  # the fresh analysis replaced the damaged entry
