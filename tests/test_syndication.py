"""Independent sources (issue 14, item 5): syndicated copies of one wire story are one source, not two.

The corpus is written here: one wire story run by two outlets under different top paragraphs
(and a small edit), and an independent report of the same event in other words that quotes
the same official sentence.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factdesk.annotations.compare import coverage
from factdesk.annotations.compare.crossref import CrossIndex
from factdesk.annotations.compare.syndication import PairEvidence, copy_groups, copy_pairs, is_copy
from factdesk.annotations.model import ClaimRef, CorpusAnalysis
from factdesk.annotations.pipeline.analysis import analyze_articles, to_json
from factdesk.annotations.text.corpus import load_corpus

WIRE = [
    "A landslide buried part of the mountain village of Kestrel Hollow early on Monday, killing 14 people.",
    "Rescue teams pulled nine survivors from the mud by Monday evening, the regional fire service said.",
    "The slope gave way after three days of heavy rain loosened the soil above the main road.",
    "About 40 homes were destroyed and more than 200 residents have moved to a school gymnasium.",
    '"We are still searching for six people, and we will not stop tonight," said fire chief Marta Lind.',
    "Roads into the valley remain closed, and the army has sent two helicopters to carry supplies.",
    "The regional governor declared a state of emergency and promised money to rebuild the homes.",
    "Geologists had warned last year that the hillside above the village was unstable.",
]

COPY_A = [
    "Valley Herald",
    "",
    "Our newsroom has followed the disaster in the hills since dawn; here is the latest wire report.",
    "",
    *WIRE,
    "",
    "(AP)",
]

COPY_B = [
    "Coastal Times",
    "",
    "Readers in the valley have sent us photographs of the damaged road, which we publish on page two.",
    "",
    *WIRE[:5],
    "Roads into the valley remain closed, and the army has sent helicopters to carry supplies.",  # a small edit
    *WIRE[6:],
    "",
    "The Associated Press contributed to this report.",
]

INDEPENDENT = [
    "Mountain Post",
    "",
    "Fourteen people died when a rain-soaked hillside collapsed onto Kestrel Hollow on Monday morning.",
    "Firefighters rescued nine people alive before nightfall, the fire service told our reporter.",
    '"We are still searching for six people, and we will not stop tonight," said fire chief Marta Lind.',
    "Residents said the ground had been moving for days before the slide, and some had left their homes.",
    "The governor's office said a state of emergency was now in force across the district.",
]


def _write(folder: Path) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for name, lines in (("valley.txt", COPY_A), ("coastal.txt", COPY_B), ("mountain.txt", INDEPENDENT)):
        path = folder / name
        path.write_text("\n\n".join(line for line in lines if line) + "\n", encoding="utf-8")  # a paragraph each
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> CorpusAnalysis:
    folder = tmp_path_factory.mktemp("story")
    return analyze_articles(load_corpus(_write(folder)).articles)


def _ids(analysis: CorpusAnalysis) -> dict[str, str]:
    return {a.article.path.name: a.article.id for a in analysis.articles}


def _claim(analysis: CorpusAnalysis, file: str, words: str) -> ClaimRef:
    found = next(a for a in analysis.articles if a.article.path.name == file)
    sentence = next(s for s in found.claims if words in found.sentence_text(s))
    return ClaimRef(found.article.id, sentence.index)


def test_two_runs_of_one_wire_story_are_one_copy_group_and_the_other_report_is_not(story: CorpusAnalysis) -> None:
    ids = _ids(story)
    assert len(story.copy_groups) == 1
    group = story.copy_groups[0]
    assert set(group.articles) == {ids["valley.txt"], ids["coastal.txt"]}
    assert group.shared_passages >= 2
    assert copy_groups(story) == story.copy_groups  # deterministic


def test_one_shared_quote_or_a_shared_wire_credit_alone_is_not_a_copy() -> None:
    # The independent report quotes the fire chief word for word, as the wire does: one passage, not a copy.
    assert not is_copy(PairEvidence(passages=1, containment=0.18))
    # Both crediting the same wire on different content: no shared passages, no copy.
    assert not is_copy(PairEvidence(passages=0, containment=0.0), same_wire=True)
    assert not is_copy(PairEvidence(passages=1, containment=0.1), same_wire=True)
    assert is_copy(PairEvidence(passages=2, containment=0.1), same_wire=True)
    assert is_copy(PairEvidence(passages=1, containment=0.8))


def test_the_pair_counting_skips_an_article_with_no_shared_text(story: CorpusAnalysis) -> None:
    pairs = copy_pairs(story.articles)
    names = [a.article.path.name for a in story.articles]
    assert {(names[i], names[j]) for i, j in pairs} in (
        {("valley.txt", "coastal.txt")},
        {("coastal.txt", "valley.txt")},
    )


def test_the_gutter_digit_counts_independent_sources(story: CorpusAnalysis) -> None:
    cross = CrossIndex(story)
    ref = _claim(story, "valley.txt", "We are still searching")
    carriers = {other.article for other, _ in cross.matches(ref)}
    ids = _ids(story)
    assert carriers == {ids["coastal.txt"], ids["mountain.txt"]}  # the copy and the independent quote
    assert cross.sources(ref) == 1  # the copy of its own article is not corroboration
    assert cross.copies(ref) == 1
    # From the independent report, the two copies are one source.
    other = _claim(story, "mountain.txt", "We are still searching")
    assert cross.sources(other) == 1
    assert cross.copies(other) == 1


def test_also_reported_by_names_copies_as_copies(story: CorpusAnalysis) -> None:
    cross = CrossIndex(story)
    names = {a.article.path.name: a.article.source for a in story.articles}
    from_copy = cross.independent_sources(_claim(story, "valley.txt", "We are still searching"))
    assert from_copy == [f"{names['coastal.txt']} (copy of this article)", names["mountain.txt"]]
    from_independent = cross.independent_sources(_claim(story, "mountain.txt", "We are still searching"))
    assert from_independent == [f"{names['valley.txt']} = {names['coastal.txt']} (copies)"]


def test_the_coverage_row_counts_the_copies_once(story: CorpusAnalysis) -> None:
    rows = coverage(story, story.matches, story.conflicts)
    ids = _ids(story)
    quote = _claim(story, "valley.txt", "We are still searching")
    row = next(r for r in rows if quote in r.members)
    cells = {cell.article: cell for cell in row.cells}
    assert row.sources == 3 and row.independent == 2 and row.copies == 1
    assert cells[ids["valley.txt"]].copy_of is None
    assert cells[ids["coastal.txt"]].copy_of == ids["valley.txt"]
    assert cells[ids["mountain.txt"]].copy_of is None
    # A fact only the two copies state is one independent source.
    road = _claim(story, "valley.txt", "The slope gave way")
    only_copies = next(r for r in rows if road in r.members)
    assert only_copies.sources == 2 and only_copies.independent == 1


def test_analyze_json_lists_independent_sources(story: CorpusAnalysis) -> None:
    data = to_json(story)
    ids = _ids(story)
    assert {"articles", "matches", "conflicts", "aliases"} <= data.keys()  # the contract keeps its fields
    kinds = {tuple(s["articles"]): s for s in data["sources"]}
    copies = kinds[(ids["valley.txt"], ids["coastal.txt"])]
    assert copies["kind"] == "copies" and copies["shared_passages"] >= 2
    assert kinds[(ids["mountain.txt"],)]["kind"] == "single"
    assert len(data["sources"]) == 2


def test_analyze_cli_json_has_the_copy_group(tmp_path: Path) -> None:
    paths = _write(tmp_path / "cli")
    done = subprocess.run(
        [sys.executable, "-m", "factdesk", "analyze", *map(str, paths), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    copies = [s for s in data["sources"] if s["kind"] == "copies"]
    assert len(copies) == 1 and len(copies[0]["articles"]) == 2
    # A second run reads the analysis from the cache and still finds the copies.
    again = subprocess.run(
        [sys.executable, "-m", "factdesk", "analyze", *map(str, paths), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert json.loads(again.stdout)["sources"] == data["sources"]


def test_the_seeds_have_no_copies() -> None:
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    analysis = analyze_articles(load_corpus([seeds]).articles)
    assert analysis.copy_groups == ()


def test_copies_are_found_from_the_text_without_any_credit(tmp_path: Path) -> None:
    paths = _write(tmp_path / "uncredited")
    for path in paths:  # no "(AP)", no "contributed": only the shared text is left
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "AP" not in line]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    analysis = analyze_articles(load_corpus(paths).articles)
    ids = _ids(analysis)
    assert [set(g.articles) for g in analysis.copy_groups] == [{ids["valley.txt"], ids["coastal.txt"]}]
    assert analysis.copy_groups[0].wire is None


def test_two_outlets_crediting_one_wire_on_different_content_are_not_copies(tmp_path: Path) -> None:
    folder = tmp_path / "wire-only"
    folder.mkdir()
    (folder / "one.txt").write_text("\n".join(["Valley Herald", "", *WIRE[:4], "", "(AP)"]) + "\n", encoding="utf-8")
    (folder / "two.txt").write_text("\n".join(["Coastal Times", "", *WIRE[4:], "", "(AP)"]) + "\n", encoding="utf-8")
    analysis = analyze_articles(load_corpus(sorted(folder.glob("*.txt"))).articles)
    assert analysis.copy_groups == ()


def test_the_brief_says_also_reported_by_copies_as_copies(tmp_path: Path) -> None:
    from factdesk.annotations.export.briefs import review_brief
    from factdesk.annotations.model import Status
    from factdesk.annotations.review.review import Review
    from factdesk.annotations.storage.store import Store

    analysis = analyze_articles(load_corpus(_write(tmp_path / "brief")).articles)
    review = Review(analysis, Store.open(tmp_path / "marks.json"), "alice")
    ref = _claim(analysis, "mountain.txt", "We are still searching")
    review.set_status(ref, Status.VERIFIED)
    brief = review_brief(review)
    claim = next(c for c in brief.verified if "We are still searching" in c.text)
    names = {a.article.path.name: a.article.source for a in analysis.articles}
    assert list(claim.also_reported_by) == [f"{names['valley.txt']} = {names['coastal.txt']} (copies)"]


async def test_the_coverage_matrix_shows_copies_as_copies(tmp_path: Path) -> None:
    from factdesk.annotations.storage.store import Store
    from factdesk.tui.app import FactdeskApp
    from factdesk.tui.screens.coverage import COPY_SYMBOL

    corpus = load_corpus(_write(tmp_path / "tui"))
    app = FactdeskApp(corpus, Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "CoverageScreen"
        names = [a.article.source for a in screen.analysis.articles]
        legend = str(screen.query_one("#coverage-legend").render())
        assert f"2 {names[1][:17]}" in legend and f"{COPY_SYMBOL}1" in legend  # source 2 is a copy of source 1
        table = screen.query_one("DataTable")
        quote = next(i for i, r in enumerate(screen.rows) if "We are still searching" in r.text)
        cells = table.get_row_at(quote)
        assert cells[0].plain == "2"  # two independent sources, not three
        assert [cell.plain for cell in cells[1:4]].count(COPY_SYMBOL) == 1


async def test_the_gutter_shows_independent_sources_and_marks_copy_only_claims(tmp_path: Path) -> None:
    from factdesk.annotations.storage.store import Store
    from factdesk.tui.app import FactdeskApp
    from factdesk.tui.widgets.article_view import GUTTER

    corpus = load_corpus(_write(tmp_path / "gutter"))
    app = FactdeskApp(corpus, Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(90, 50)) as pilot:  # one pane: the first article, a copy of the wire story
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        view = app.reader().view
        assert view.analysis.article.path.name == "valley.txt"
        lines = [view.render_line(y).text for y in range(view.scrollable_content_region.height)]

        def badge(opening: str) -> str:
            line = next(line for line in lines if line[GUTTER:].lstrip().startswith(opening))
            return line[3]  # bar, verdict, note, then the sources badge

        assert badge('"We are still searching') == "1"  # the copy and the other report: one independent source
        assert badge("The slope gave way") == "="  # only the copy carries it: no corroboration
