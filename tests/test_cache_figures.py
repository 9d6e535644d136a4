"""The figure records in the corpus's cache entry: checked like the rest of it (a damaged one is no entry)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from factdesk.annotations.pipeline.analysis import analyze, to_json
from factdesk.annotations.pipeline.cache import cache_file, decode, encode, load, save
from factdesk.annotations.text.corpus import load_corpus

REPO = Path(__file__).resolve().parent.parent

DAMAGES: dict[str, Callable[[dict[str, Any]], object]] = {
    "figures missing": lambda d: d.pop("figures"),
    "figures as a dict": lambda d: d.__setitem__("figures", {}),
    "a basis that is not a string": lambda d: d["figures"].__setitem__(0, 5),
    "a figure of a claim that does not exist": lambda d: d["figures"][1][0][0].__setitem__(1, 10**6),
    "a figure of an unknown article": lambda d: d["figures"][1][0][0].__setitem__(0, "f" * 16),
    "a figure number outside its article": lambda d: d["figures"][1][0][1].__setitem__(1, 10**9),
    "a figure bound the analysis does not use": lambda d: d["figures"][1][0].__setitem__(4, "\x1b[2J"),
    "a figure end that is not a number": lambda d: d["figures"][1][0].__setitem__(2, "many"),
    "a figure end too big for a float": lambda d: d["figures"][1][0].__setitem__(3, 10**400),
    "a figure measure as a number": lambda d: d["figures"][1][0].__setitem__(5, 7),
    "a figure missing a field": lambda d: d["figures"][1][0].pop(),
}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("cache")
    corpus = load_corpus([REPO / "seeds"])
    save(analyze(corpus, use_cache=False), folder)
    return folder, corpus, json.loads(gzip.decompress(cache_file(corpus.articles, folder).read_bytes()))


def test_the_figures_survive_a_round_trip_exactly() -> None:
    corpus = load_corpus([REPO / "seeds"])
    analysis = analyze(corpus, use_cache=False)
    assert analysis.figures and any(f.high == float("inf") for f in analysis.figures)  # an open end too
    assert decode(json.loads(json.dumps(encode(analysis))), corpus.articles).figures == analysis.figures


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_damaged_figures_are_no_entry(seeds: tuple[Path, Any, dict[str, Any]], damage: str) -> None:
    folder, corpus, data = seeds
    damaged = json.loads(json.dumps(data))
    assert damaged["figures"][1]
    DAMAGES[damage](damaged)
    entry = cache_file(corpus.articles, folder)
    good = entry.read_bytes()
    try:
        entry.write_bytes(gzip.compress(json.dumps(damaged).encode()))
        assert load(corpus.articles, folder) is None
    finally:
        entry.write_bytes(good)


def test_a_hit_with_figures_read_for_other_outlets_reads_them_again(tmp_path: Path) -> None:
    """The entry is the articles' content's; an article whose outlet (here, its file name) changed hits it, and its
    figures, read with the old outlet, are read again."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    text = "Flood toll rises\n\nOfficials said at least 40 people were killed on Monday, according to the ministry.\n"
    (folder / "first.txt").write_text(text, encoding="utf-8")
    save(analyze(load_corpus([folder]), use_cache=False), tmp_path / "cache")
    (folder / "first.txt").rename(folder / "second.txt")
    renamed = load_corpus([folder])
    hit = load(renamed.articles, tmp_path / "cache")
    assert hit is not None and hit.figures == ()  # (analyze then reads them again)
    expected = to_json(analyze(renamed, use_cache=False))
    assert [f["outlet"] for f in expected["figures"]] == [renamed.articles[0].source]
