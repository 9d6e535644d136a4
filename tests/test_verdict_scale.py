"""The verdict scale (issue 16, item 1): verified and disputed stay the primary keys; misleading, unverifiable and
needs context join them, each with a symbol, a theme colour, a section of the brief, the JSON exports and
ClaimReview's rating; a team renames or trims the scale in its settings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from factdesk.annotations.export.brief_json import render_json
from factdesk.annotations.export.brief_markdown import render_markdown
from factdesk.annotations.export.build import build_brief
from factdesk.annotations.export.interop import annotations_to_marks, claim_review, marks_to_collection
from factdesk.annotations.model import Anchor, ClaimRef, Mark, Status
from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.review.agreement import agreement_text, summarize
from factdesk.annotations.review.review import Review
from factdesk.annotations.review.verdicts import (
    VERDICTS,
    VerdictScale,
    current_scale,
    scale_from_settings,
    use_scale,
    verdict_label,
)
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp
from factdesk.tui.verdict_style import VERDICT_VARIABLES, verdict_styles

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def default_scale() -> Iterator[None]:
    """Each test starts and ends with the default scale (it is process-wide)."""
    use_scale(VerdictScale())
    yield
    use_scale(VerdictScale())


def statuses_on_disk(db: Path) -> list[str]:
    store = Store.open(db)
    try:
        return sorted(Status(m.status).value for m in store.marks())
    finally:
        store.close()


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# --- the scale and the settings ------------------------------------------------------------------------------


def test_the_default_scale_is_five_verdicts_primary_first() -> None:
    assert [s.value for s in VERDICTS] == ["verified", "disputed", "misleading", "unverifiable", "needs_context"]
    assert [verdict_label(s) for s in VERDICTS] == [
        "Verified",
        "Disputed",
        "Misleading",
        "Unverifiable",
        "Needs context",
    ]
    assert [current_scale().rating(s) for s in VERDICTS] == [5, 1, 2, 3, 4]


def test_a_team_renames_and_trims_its_scale_and_typos_take_nothing_away() -> None:
    scale = scale_from_settings(
        {"verdicts": {"misleading": "Half true", "needs_context": None, "verified": None, "bogus": "x", "disputed": 5}}
    )
    assert scale.label(Status.MISLEADING) == "Half true"
    assert not scale.offers(Status.NEEDS_CONTEXT)
    assert scale.offers(Status.VERIFIED) and scale.offers(Status.DISPUTED)  # the primary two are never trimmed
    assert scale.label(Status.DISPUTED) == "Disputed"
    assert len(scale.problems) == 3 and any("bogus" in p for p in scale.problems)
    assert scale_from_settings({"verdicts": "nope"}).problems  # not an object: said, and the default stands
    label = scale_from_settings({"verdicts": {"misleading": "\x1b[31mRed\nline"}}).label(Status.MISLEADING)
    assert "\x1b" not in label and "\n" not in label and label.endswith("Red line")  # one safe line


# --- the reader ----------------------------------------------------------------------------------------------


async def test_each_verdict_key_saves_its_verdict_on_disk(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(db), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("M")
        await pilot.pause()
        assert statuses_on_disk(db) == ["misleading"]
        await pilot.press("j", "U", "j", "C")
        await pilot.pause()
        assert statuses_on_disk(db) == ["misleading", "needs_context", "unverifiable"]
        header = str(app.screen.query("PaneHeader").first().render())
        assert "~ 1" in header and "? 1" in header and "! 1" in header  # every verdict counted in the header
        assert "3/" in header  # ... and in the progress


@pytest.mark.slow
async def test_r_picks_any_verdict_by_digit_or_enter_and_escape_changes_nothing(
    seeds_copy: Path, tmp_path: Path
) -> None:
    db = tmp_path / "marks.json"
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(db), reviewer="alice")
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert type(app.screen).__name__ == "VerdictPickerScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert statuses_on_disk(db) == []
        await pilot.press("r", "4")
        await pilot.pause()
        assert statuses_on_disk(db) == ["unverifiable"]
        await pilot.press("r", "down", "enter")  # from the current verdict (4) one down: needs context
        await pilot.pause()
        assert statuses_on_disk(db) == ["needs_context"]
        assert type(app.screen).__name__ == "ReaderScreen"


async def test_a_trimmed_verdict_key_says_so_and_saves_nothing(seeds_copy: Path, tmp_path: Path) -> None:
    use_scale(scale_from_settings({"verdicts": {"needs_context": None}}))
    db = tmp_path / "marks.json"
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(db), reviewer="alice")
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("C")
        await pilot.pause()
        assert statuses_on_disk(db) == []
        assert any("not in your team's verdict scale" in n.message for n in app._notifications)
        await pilot.press("r")
        await pilot.pause()
        assert len(app.screen.choices) == 4  # type: ignore[attr-defined]


def test_every_verdict_has_a_theme_colour_of_its_own(seeds_copy: Path, tmp_path: Path) -> None:
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "m.json"), reviewer="alice")
    assert set(VERDICT_VARIABLES.values()) == {
        "fd-verified",
        "fd-disputed",
        "fd-misleading",
        "fd-unverifiable",
        "fd-needs-context",
    }
    styles = verdict_styles(app)
    colours = {str(styles.status(s).color) for s in VERDICTS}
    assert len(colours) == len(VERDICTS)


def test_picker_160x48(snap_compare, seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = Store.open(Path("marks.json"))
    store._clock = lambda: datetime(2024, 12, 9, 12, 0, tzinfo=UTC)
    app = FactdeskApp(load_corpus([seeds_copy]), store, reviewer="alice")

    async def picker(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("M", "j", "r")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(160, 48), run_before=picker)


# --- the brief and the exports -------------------------------------------------------------------------------


@pytest.fixture
def marked(seeds_copy: Path, tmp_path: Path) -> tuple[Review, Path]:
    db = tmp_path / "marks.json"
    analysis = analyze(load_corpus([seeds_copy]))
    review = Review(analysis, Store.open(db), "alice")
    refs = [ClaimRef(a.article.id, s.index) for a in analysis.articles for s in a.claims]
    for ref, status in zip(refs, [*VERDICTS, Status.MISLEADING], strict=False):
        review.set_status(ref, status)
    return review, db


def test_the_brief_has_a_section_per_verdict_and_json_the_same(marked: tuple[Review, Path]) -> None:
    review, _ = marked
    brief = build_brief(review.analysis, review.marks())
    markdown = render_markdown(brief)
    for heading in ("## Verified claims (1)", "## Disputed claims (1)", "## Misleading claims (2)"):
        assert heading in markdown
    assert "## Unverifiable claims (1)" in markdown and "## Claims that need context (1)" in markdown
    assert "### M1." in markdown and "### C1." in markdown
    assert "| Misleading |" in markdown  # the summary table's column
    data = json.loads(render_json(brief))
    assert len(data["misleading"]) == 2 and len(data["needs_context"]) == 1 and len(data["unverifiable"]) == 1
    assert data["totals"]["misleading"] == 2
    assert [v["value"] for v in data["scale"]] == [s.value for s in VERDICTS]


def test_a_brief_without_the_new_verdicts_reads_as_before(seeds_copy: Path, tmp_path: Path) -> None:
    analysis = analyze(load_corpus([seeds_copy]))
    review = Review(analysis, Store.open(tmp_path / "m.json"), "alice")
    first = analysis.articles[0]
    review.set_status(ClaimRef(first.article.id, first.claims[0].index), Status.VERIFIED)
    brief = build_brief(analysis, review.marks())
    markdown = render_markdown(brief)
    assert (
        "Misleading" not in markdown and "| Source | Article | Claims | Verified | Disputed | Unreviewed |" in markdown
    )
    assert set(json.loads(render_json(brief))["totals"]) == {"claims", "verified", "disputed", "unreviewed"}


def test_a_renamed_verdict_reads_so_in_the_brief_and_claimreview(marked: tuple[Review, Path]) -> None:
    review, _ = marked
    use_scale(scale_from_settings({"verdicts": {"misleading": "Half true"}}))
    markdown = render_markdown(build_brief(review.analysis, review.marks()))
    assert "## Half true claims (2)" in markdown
    mark = next(m for m in review.marks().values() if m.status is Status.MISLEADING)
    rating = claim_review(claim_text="x", mark=mark, source="Outlet", title="t", url="https://example.org/a")[
        "reviewRating"
    ]
    assert rating == {
        "@type": "Rating",
        "alternateName": "Half true",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
    }


def test_web_annotations_round_trip_every_verdict(marked: tuple[Review, Path]) -> None:
    review, _ = marked
    marks = list(review.marks().values())
    collection = json.loads(json.dumps(marks_to_collection(marks)))
    back = annotations_to_marks(collection, default_reviewer="bob").marks
    assert sorted(Status(m.status).value for m in back) == sorted(Status(m.status).value for m in marks)


def test_kappa_counts_every_verdict_as_a_category() -> None:
    def mark(reviewer: str, status: Status) -> Mark:
        return Mark("a", Anchor("q", "", "", 0, 1), status, reviewer=reviewer)

    verdicts = {
        1: {"ann": mark("ann", Status.MISLEADING), "bo": mark("bo", Status.MISLEADING)},
        2: {"ann": mark("ann", Status.MISLEADING), "bo": mark("bo", Status.NEEDS_CONTEXT)},
        3: {"ann": mark("ann", Status.VERIFIED), "bo": mark("bo", Status.VERIFIED)},
    }
    report = summarize(verdicts)
    (pair,) = report.pairs
    assert (pair.claims, pair.agreed, report.disagreements) == (3, 2, 1)
    text = agreement_text(report)
    assert "Misleading" in text.splitlines()[0] and "Needs context" in text.splitlines()[0]


def test_cli_export_says_a_bad_scale_setting_and_still_exports(seeds_copy: Path, tmp_path: Path) -> None:
    config = tmp_path / "config"
    env = {**os.environ, "XDG_CONFIG_HOME": str(config), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "from factdesk.annotations.storage.locations import settings_path; print(settings_path())",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    Path(probe.stdout.strip()).parent.mkdir(parents=True, exist_ok=True)
    Path(probe.stdout.strip()).write_text(json.dumps({"verdicts": {"misleading": "Half true", "bogus": "x"}}))
    done = subprocess.run(
        [sys.executable, "-m", "factdesk", "export", str(seeds_copy), "--db", str(tmp_path / "m.json"), "--all"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "unknown verdict 'bogus'" in done.stderr
