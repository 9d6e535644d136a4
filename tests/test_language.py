"""A non-English article is told and said; English-only analysis is not run on it; its figures read its way.

Issue 16, item 8. The texts are our own (tests/language_texts.py); the English side is the seeds (and, where the
shared development sets are present, their 50 articles).
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from language_texts import ENGLISH, FOREIGN, FRENCH, GERMAN, MIXED, RUSSIAN

from factdesk.annotations.text.language import (
    MARGIN,
    UNKNOWN,
    article_language,
    decimal_comma,
    detect,
    language_name,
)
from factdesk.annotations.text.numbers import find_numbers

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
DEVSETS = REPO.parent / "shared" / "devsets" / "events"
NAME_LABELS = {"PERSON", "ORG", "LOC", "NORP"}
NOTE = "French — names and claim cues not analysed"


# --- detection (pure) ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(FOREIGN))
def test_each_language_is_told(code: str) -> None:
    found = detect(FOREIGN[code])
    assert found.code == code, found
    assert found.best_hits >= MARGIN * found.english  # won clearly, not by a hair


def test_english_and_an_english_article_quoting_french_stay_english() -> None:
    assert detect(ENGLISH).code == "en"
    assert detect(MIXED).code == "en"
    assert article_language(MIXED) == "en"


def test_a_short_text_is_unknown_and_analysed_as_english() -> None:
    found = detect("Selon le ministre, le bilan est lourd.")
    assert found.code == UNKNOWN and found.analysed_as == "en"
    assert article_language("Selon le ministre, le bilan est lourd.") == "en"
    assert detect("").code == UNKNOWN


def test_chinese_is_told_by_its_script() -> None:
    text = "当地官员周二表示，洪水已造成至少一千二百人死亡，数千人失踪，救援人员仍在现场搜救。" * 3
    assert detect(text).code == "zh"
    assert language_name("zh") == "Chinese" and language_name("fr") == "French"


def _english_articles() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt"))
    if DEVSETS.is_dir():
        files += sorted(DEVSETS.glob("*/*.txt"))
    return files


def test_no_english_article_is_flagged() -> None:
    """The seeds (and the 50 development articles when present): none is taken for another language, and each
    wins by a wide margin (its best other language has less than half its English words)."""
    for file in _english_articles():
        found = detect(file.read_text(encoding="utf-8"))
        assert found.code == "en", (file.name, found)
        assert found.best_hits < 0.5 * found.english, (file.name, found)


def test_detection_is_linear() -> None:
    """n vs 4n words: the CPU time may grow ×8 at most (linear ≈ 4, quadratic ≈ 16)."""
    text = FRENCH * 200

    def cpu(work: str) -> float:
        best = float("inf")
        for _ in range(3):
            gc.collect()
            started = time.process_time()
            detect(work)
            best = min(best, time.process_time() - started)
        return best

    small, large = cpu(text), cpu(text * 4)
    assert large <= 8 * small + 0.02, (small, large)
    assert detect(text * 4).code == "fr"


def test_the_shipped_lists_are_small_json() -> None:
    data_file = REPO / "annotations" / "data" / "stopwords.json"
    assert data_file.stat().st_size < 100_000
    data = json.loads(data_file.read_text(encoding="utf-8"))
    assert {"en", "fr", "de", "es", "it", "nl", "pt", "ru", "ar"} <= data["languages"].keys()


def _stopwords_zip() -> Path | None:
    for folder in (os.environ.get("NLTK_DATA", ""), str(REPO.parent / "shared" / "nltk_data")):
        if folder and (Path(folder) / "corpora" / "stopwords.zip").exists():
            return Path(folder)
    return None


def test_the_lists_regenerate_byte_identically(tmp_path: Path) -> None:
    from factdesk.annotations.training import language_data

    nltk_data = _stopwords_zip()
    if nltk_data is None:
        pytest.skip("NLTK's stopwords corpus (corpora/stopwords.zip) is not here")
    built = json.dumps(language_data.build(nltk_data), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert built == language_data.DATA_FILE.read_text(encoding="utf-8")


# --- numbers per locale (pure) ------------------------------------------------------------------------------------


def _values(text: str, comma: bool) -> list[float | tuple[float, float]]:
    return [n.value for n in find_numbers(text, decimal_comma=comma)]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("au moins 1 200 morts", [1200.0]),
        ("plus de 370 000 personnes", [370000.0]),
        ("au moins 1\u202f200 morts", [1200.0]),
        ("au moins 1\u00a0200 morts", [1200.0]),
        ("mindestens 1.200 Tote", [1200.0]),
        ("rund 1.200.000 Menschen", [1200000.0]),
        ("3,5 Milliarden Euro", [3.5]),
        ("1.200,5 Euro", [1200.5]),
        ("um 1.5 Prozent", [1.5]),  # a point before no group of three: a decimal point after all
        ("en 2023 200 personnes", [200.0]),  # a year, then a number: never one number
    ],
)
def test_a_decimal_comma_language_reads_its_own_figures(text: str, values: list[float]) -> None:
    assert _values(text, True) == values


def test_english_keeps_its_own_reading() -> None:
    assert _values("1.200 people", False) == [1.2]
    assert _values("1,200 people", False) == [1200.0]
    assert _values("1\u202f200 people", False) == [1200.0]  # a thin space groups thousands in English too
    assert _values("in 2023 200 people fled", False) == [200.0]
    assert _values("3,5 and 7", False) != [3.5, 7.0]


def test_which_languages_write_a_decimal_comma() -> None:
    assert decimal_comma("fr") and decimal_comma("de") and decimal_comma("ru")
    assert not decimal_comma("en") and not decimal_comma(UNKNOWN) and not decimal_comma("ar")


# --- the analysis, the CLI, the brief, the reader -----------------------------------------------------------------


@pytest.fixture
def mixed_corpus(tmp_path: Path) -> Path:
    """The seeds, a French article and a French copy of it, a German one and a Russian one."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for file in sorted(SEEDS.glob("*.txt")):
        (folder / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "fr_1.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "fr_2.txt").write_text(FRENCH.replace("mardi", "mercredi"), encoding="utf-8")
    (folder / "de.txt").write_text(GERMAN, encoding="utf-8")
    (folder / "ru.txt").write_text(RUSSIAN, encoding="utf-8")
    return folder


def _analyze_json(folder: Path) -> dict:
    run = subprocess.run(
        [sys.executable, "-m", "factdesk", "analyze", str(folder), "--json", "--jobs", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def test_analyze_json_says_the_language_and_skips_english_only_analysis(mixed_corpus: Path) -> None:
    data = _analyze_json(mixed_corpus)
    by_name = {Path(a["path"]).name: a for a in data["articles"]}
    assert {name: a["language"] for name, a in by_name.items() if not name[0].isdigit()} == {
        "fr_1.txt": "fr",
        "fr_2.txt": "fr",
        "de.txt": "de",
        "ru.txt": "ru",
    }
    assert all(a["language"] == "en" for name, a in by_name.items() if name[0].isdigit())
    foreign = {by_name[name]["id"] for name in ("fr_1.txt", "fr_2.txt", "de.txt", "ru.txt")}
    for name in ("fr_1.txt", "fr_2.txt", "de.txt", "ru.txt"):
        assert not [e for e in by_name[name]["entities"] if e["label"] in NAME_LABELS], name
    # The seeds keep their names; the two French copies are not matched (their words are not English stems).
    assert any(e["label"] == "PERSON" for e in by_name["000_b2a9280c56cfe527.txt"]["entities"])
    assert data["matches"] and not [
        m for m in data["matches"] if m["a"]["article"] in foreign or m["b"]["article"] in foreign
    ]
    assert not [v for group in data["aliases"] for v in group["variants"] if v in ("Intérieur", "Innenminister")]
    # Figures are read the article's way.
    values = [n["value"] for n in by_name["fr_1.txt"]["numbers"]]
    assert 1200 in values and 370000 in values and 3.5 in values
    german = [n["value"] for n in by_name["de.txt"]["numbers"]]
    assert 1200 in german and 1200000 in german and 3.5 in german


def test_the_recogniser_is_not_run_on_a_french_article(mixed_corpus: Path) -> None:
    """Run on the French text, the recogniser does find "names" (some nonsense: "Croix" a place); the analysis
    does not run it there: the article keeps its dates only, votes for no name and lends the corpus's casing table
    nothing, on every path (fresh, reopened from the cache, its figures read again after a rename: all the same)."""
    from factdesk.annotations.ner.entities import recognize_corpus
    from factdesk.annotations.pipeline.analysis import analyze, to_json
    from factdesk.annotations.pipeline.articles import article_works
    from factdesk.annotations.text.corpus import load_corpus
    from factdesk.annotations.text.segment import segment

    corpus = load_corpus([mixed_corpus])
    (would,) = recognize_corpus([FRENCH], [segment(FRENCH)])
    assert {e.label for e in would} >= {"PERSON", "LOC"}
    works = dict(zip((a.path.name for a in corpus.articles), article_works(corpus.articles), strict=True))
    french = works["fr_1.txt"]
    assert not french.votes and not french.counts and not french.casing
    assert all(e.label == "DATE" for e in french.entities)
    assert works["000_b2a9280c56cfe527.txt"].votes  # the English articles are read as before
    fresh = analyze(corpus, use_cache=True)
    english = analyze(load_corpus([SEEDS]), use_cache=True)  # the seeds alone: their names are the same
    assert [a.entities for a in english.articles] == [a.entities for a in fresh.articles[: len(english.articles)]]
    assert not [v for g in fresh.aliases for v in g.variants if "Macron" in v or "Marseille" in v]
    assert to_json(analyze(load_corpus([mixed_corpus]), use_cache=True)) == to_json(fresh)  # reopened
    (mixed_corpus / "fr_1.txt").rename(mixed_corpus / "fr_renamed.txt")  # a cache hit whose figures are read again
    renamed = load_corpus([mixed_corpus])
    assert to_json(analyze(renamed, use_cache=True)) == to_json(analyze(renamed, use_cache=False))


def test_a_french_article_has_no_claim_cues(mixed_corpus: Path) -> None:
    from factdesk.annotations.pipeline.analysis import analyze
    from factdesk.annotations.text.claims import cues, ranked_claims
    from factdesk.annotations.text.corpus import load_corpus

    analysis = analyze(load_corpus([mixed_corpus]), use_cache=False)
    french = next(a for a in analysis.articles if a.article.path.name == "fr_1.txt")
    seed = analysis.articles[0]
    assert french.claims
    for sentence in french.claims:
        found = cues(french, sentence)
        assert found.score == 0.0 and found.attribution is None
        assert found.reasons == ("French: not analysed",)
    assert max(cues(seed, s).score for s in seed.claims) > 0.5  # English claims keep theirs
    foreign = {a.article.id for a in analysis.articles if not a.article.path.name[0].isdigit()}
    ranked = ranked_claims(analysis)  # w: the foreign claims come last, unscored
    first_foreign = next(i for i, (ref, _) in enumerate(ranked) if ref.article in foreign)
    assert all(ref.article in foreign and score == 0.0 for ref, score in ranked[first_foreign:])


def _export(folder: Path, db: Path, fmt: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "factdesk", "export", str(folder), "--db", str(db), "--format", fmt, "--all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_brief_lists_the_language(mixed_corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    markdown = _export(mixed_corpus, db, "markdown")
    sources = markdown.split("## Sources", 1)[1].split("## Summary", 1)[0]
    lines = [line for line in sources.splitlines() if "fr\\_1.txt" in line]  # (Markdown-escaped)
    assert len(lines) == 1 and NOTE in lines[0]
    assert "German — names and claim cues not analysed" in sources
    assert all("not analysed" not in line for line in sources.splitlines() if "000\\_" in line)
    brief = json.loads(_export(mixed_corpus, db, "json"))
    languages = {s["file_name"]: s["language"] for s in brief["sources"]}
    assert (
        languages["fr_1.txt"] == "fr" and languages["ru.txt"] == "ru" and languages["000_b2a9280c56cfe527.txt"] == "en"
    )


async def test_the_reader_says_the_language(mixed_corpus: Path, tmp_path: Path) -> None:
    from factdesk.annotations.storage.store import Store
    from factdesk.annotations.text.corpus import load_corpus
    from factdesk.tui.app import FactdeskApp

    app = FactdeskApp(load_corpus([mixed_corpus]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.reader()
        assert screen.review is not None
        assert "not analysed" not in str(screen.pane.header.render())  # a seed: English
        names = [a.article.path.name for a in screen.review.analysis.articles]
        for _ in range(names.index("fr_1.txt")):
            await pilot.press("]")
        await pilot.pause()
        assert screen.view.analysis.article.path.name == "fr_1.txt"
        assert NOTE in str(screen.pane.header.render())
        inspector = str(app.screen.query_one("Inspector").render())
        assert "Language: " + NOTE in inspector and "Check-worthiness" not in inspector


def test_reader_language_note_160x48(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A seed beside a French article (the second pane, focused): its header and the inspector say the language."""
    from datetime import UTC, datetime

    from factdesk.annotations.storage.store import Store
    from factdesk.annotations.text.corpus import load_corpus
    from factdesk.tui.app import FactdeskApp

    folder = tmp_path / "corpus"
    folder.mkdir()
    seed = SEEDS / "000_b2a9280c56cfe527.txt"
    (folder / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "fr_1.txt").write_text(FRENCH, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the status line then shows a stable, relative db path
    store = Store.open(Path("marks.json"))
    store._clock = lambda: datetime(2024, 12, 9, 12, 0, tzinfo=UTC)
    app = FactdeskApp(load_corpus([folder]), store, reviewer="alice")

    async def french(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(160, 48), run_before=french)
