"""The outlet record (issue 16, item 7): each outlet's verdict counts across every corpus in one database.

Two small corpora of our own texts share one database; marks are made through ``Review`` (as the reader makes
them) and read back from disk. A mark records its article's outlet, so the record holds when the files are gone;
older marks without it fall back to the reviewer's outlet name, then the file (if still that article), then
"unknown outlet".
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from factdesk.annotations.export.interop import annotations_to_marks, marks_to_collection
from factdesk.annotations.model import Anchor, ClaimRef, Mark, Status
from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.review.adjudication import final_fields, final_reviewer
from factdesk.annotations.review.outlet_record import (
    UNKNOWN_OUTLET,
    OutletResolver,
    outlet_record,
    record_json,
    record_text,
)
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage.outlets import read_outlets, save_outlet
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import article_id, load_corpus
from factdesk.tui.app import FactdeskApp
from factdesk.tui.commands import READER_COMMANDS, display_keys

REPO = Path(__file__).resolve().parent.parent
V, D = Status.VERIFIED, Status.DISPUTED
M, U, C = Status.MISLEADING, Status.UNVERIFIABLE, Status.NEEDS_CONTEXT

TEXTS = {
    "a/harbour-1.txt": (
        "Harbour bridge closed after storm damage\n\nSource: Harbour Gazette\n\n"
        "The harbour bridge was closed on Monday after a storm tore away part of its railing. City engineers said "
        "14 cables had snapped during the night. The mayor told reporters that repairs would cost about 2 million "
        "dollars. Ferries will run every 20 minutes until the bridge reopens.\n"
    ),
    "a/harbour-2.txt": (
        "Ferry queues grow as bridge stays shut\n\nSource: Harbour Gazette\n\n"
        "Queues at the ferry terminal stretched for an hour on Tuesday. The port authority said 9,000 passengers "
        "crossed by ferry in one day. Engineers expect the bridge to reopen within three weeks.\n"
    ),
    "a/valley-1.txt": (
        "Storm closes harbour crossing\n\nSource: Valley Times\n\n"
        "A storm closed the harbour bridge on Monday, officials said. Twelve cables snapped, according to the city "
        "engineering office. Repairs are expected to cost 3 million dollars.\n"
    ),
    "b/valley-2.txt": (
        "School roof repaired before winter\n\nSource: Valley Times\n\n"
        "Workers finished repairing the roof of the central school on Friday. The council said the work cost "
        "400,000 dollars. Pupils will return to their classrooms next week.\n"
    ),
    "b/coastal-1.txt": (
        "Council approves new school budget\n\nSource: Coastal Wire\n\n"
        "The council approved a school budget of 5 million dollars on Thursday. The vote passed by seven votes to "
        "two. A new gymnasium will be built next year, the council said.\n"
    ),
}

# (folder, reviewer, [(file, claim position, verdict)])
MARKS = [
    ("a", "alice", [("harbour-1.txt", 0, V), ("harbour-1.txt", 1, D), ("harbour-1.txt", 2, M)]),
    ("a", "alice", [("harbour-2.txt", 0, V), ("valley-1.txt", 0, D)]),
    ("b", "alice", [("valley-2.txt", 0, V), ("coastal-1.txt", 0, U)]),
    ("b", "bob", [("coastal-1.txt", 0, V), ("coastal-1.txt", 1, C), ("valley-2.txt", 1, D)]),
]

# outlet: (counts, total, articles, corpora)
EXPECTED = {
    "Harbour Gazette": ({"verified": 2, "disputed": 1, "misleading": 1}, 4, 2, 1),
    "Coastal Wire": ({"verified": 1, "unverifiable": 1, "needs_context": 1}, 3, 1, 1),
    "Valley Times": ({"verified": 1, "disputed": 2}, 3, 2, 2),
}
SCALE = ["verified", "disputed", "misleading", "unverifiable", "needs_context"]


def write_corpora(root: Path) -> tuple[Path, Path]:
    for name, text in TEXTS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root / "a", root / "b"


def make_marks(root: Path, db: Path, marks=MARKS) -> None:
    """Mark claims as the reader does: through ``Review``, one corpus at a time, into the one database."""
    for folder, reviewer, picks in marks:
        analysis = analyze(load_corpus([root / folder]))
        with Store.open(db) as store:
            store._clock = lambda: datetime(2024, 12, 9, 12, 0, tzinfo=UTC)  # stable times on screen
            review = Review(analysis, store, reviewer)
            for name, position, status in picks:
                article = next(a for a in analysis.articles if a.article.path.name == name)
                review.set_status(ClaimRef(article.article.id, article.claims[position].index), status)


def record_of(db: Path, **kwargs):
    with Store.open(db, read_only=True) as store:
        return outlet_record(store.marks(), OutletResolver(read_outlets(store)), **kwargs)


def as_rows(record) -> dict[str, tuple[dict[str, int], int, int, int]]:
    return {row.outlet: (dict(row.counts), row.total, row.articles, row.corpora) for row in record.rows}


@pytest.fixture
def corpora(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "news"
    db = tmp_path / "marks.json"
    write_corpora(root)
    make_marks(root, db)
    return root, db


def test_counts_across_two_corpora_in_one_database(corpora: tuple[Path, Path]) -> None:
    _, db = corpora
    record = record_of(db)
    assert as_rows(record) == EXPECTED
    assert [row.outlet for row in record.rows] == ["Harbour Gazette", "Coastal Wire", "Valley Times"]  # most first
    assert list(record.verdicts) == SCALE  # every verdict the marks hold, in the scale's order
    assert record.total == 10 and record.reviewers == ("alice", "bob")
    # Each stored record names its outlet (on disk, as the reader showed it when the mark was made).
    documents = json.loads(db.read_text(encoding="utf-8"))["marks"].values()
    assert sorted(doc["outlet"] for doc in documents) == sorted(
        ["Harbour Gazette"] * 4 + ["Valley Times"] * 3 + ["Coastal Wire"] * 3
    )


def test_the_record_holds_when_the_article_files_are_gone(corpora: tuple[Path, Path]) -> None:
    root, db = corpora
    for name in TEXTS:
        (root / name).unlink()
    assert as_rows(record_of(db)) == EXPECTED


def test_the_outlet_rides_through_a_web_annotation_export_and_import(
    corpora: tuple[Path, Path], tmp_path: Path
) -> None:
    root, db = corpora
    with Store.open(db, read_only=True) as store:
        exported = json.loads(json.dumps(marks_to_collection(store.marks())))
    for name in TEXTS:
        (root / name).unlink()  # the imported marks must name their outlets themselves
    imported = annotations_to_marks(exported)
    assert not imported.problems
    with Store.open(tmp_path / "imported.json") as store:
        store.add_marks(imported.marks)
    assert as_rows(record_of(tmp_path / "imported.json")) == EXPECTED


def test_one_reviewers_record(corpora: tuple[Path, Path]) -> None:
    _, db = corpora
    bob = record_of(db, reviewer="bob")
    assert as_rows(bob) == {
        "Coastal Wire": ({"verified": 1, "needs_context": 1}, 2, 1, 1),
        "Valley Times": ({"disputed": 1}, 1, 1, 1),
    }
    assert bob.reviewer == "bob" and list(bob.verdicts) == ["verified", "disputed", "needs_context"]
    assert record_of(db, reviewer="nobody").rows == ()


def test_a_changed_mark_records_the_outlet_the_reader_shows(tmp_path: Path) -> None:
    """A reviewer's outlet name (O) is what the reader shows, so a mark made after it records that name; a later
    correction wins over the name a mark recorded."""
    root = tmp_path / "news"
    db = tmp_path / "marks.json"
    write_corpora(root)
    analysis = analyze(load_corpus([root / "a"]))
    first = analysis.articles[0]
    with Store.open(db) as store:
        review = Review(analysis, store, "alice")
        review.set_outlet(first.article.id, "The Harbour Gazette (weekend)")
        review.set_status(ClaimRef(first.article.id, first.claims[0].index), V)
        review.set_note(ClaimRef(first.article.id, first.claims[1].index), "check the cable count")
    with Store.open(db) as store:
        assert {m.extra["outlet"] for m in store.marks()} == {"The Harbour Gazette (weekend)"}
        save_outlet(store, first.article.id, "Gazette")
    assert as_rows(record_of(db)) == {"Gazette": ({"verified": 1}, 1, 1, 1)}  # a note alone is no verdict


def test_an_older_mark_learns_its_outlet_when_marked_again(tmp_path: Path) -> None:
    """The same verdict again writes no history entry, but the record learns the outlet (as it learns the path)."""
    root = tmp_path / "news"
    db = tmp_path / "marks.json"
    write_corpora(root)
    analysis = analyze(load_corpus([root / "a"]))
    first = analysis.articles[0]
    claim = first.claims[0]
    text = first.article.text
    with Store.open(db) as store:
        store.set_status(
            first.article.id, Anchor(text[claim.start : claim.end], "", "", claim.start, claim.end), V, "alice"
        )
        Review(analysis, store, "alice").set_status(ClaimRef(first.article.id, claim.index), V)
    with Store.open(db) as store:
        [mark] = store.marks()
        assert mark.extra["outlet"] == "Harbour Gazette" and mark.extra["path"] == str(first.article.path.resolve())
        assert len(store.history()) == 1  # only the first verdict


def test_fallback_chain_for_marks_without_an_outlet(tmp_path: Path) -> None:
    """Older marks: the reviewer's outlet name, else the outlet read from the article file while it is still that
    article, else "unknown outlet"."""
    folder = tmp_path / "old"
    folder.mkdir()
    texts = {
        "named.txt": "Source: North Post\n\nThe dam held overnight, engineers said.\n",
        "intact.txt": "Source: South Herald\n\nThe river fell by a metre on Sunday.\n",
        "edited.txt": "Source: East Ledger\n\nThree roads reopened on Monday.\n",
        "deleted.txt": "Source: West Courier\n\nThe school stayed closed on Tuesday.\n",
    }
    ids = {}
    db = tmp_path / "old.json"
    with Store.open(db) as store:
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
            ids[name] = article_id(text)
            start = text.index("\n\n") + 2
            anchor = Anchor(text[start:-1], "", "", start, len(text) - 1)
            store.set_status(ids[name], anchor, D, "alice", path=str(folder / name))  # no outlet: an older mark
        store.set_status("0123456789abcdef", Anchor("A lost claim.", "", "", 0, 13), V, "alice")  # no path
        save_outlet(store, ids["named.txt"], "North Post Online")
    (folder / "edited.txt").write_text(texts["edited.txt"] + "Updated at noon.\n", encoding="utf-8")
    (folder / "deleted.txt").unlink()
    with Store.open(db) as store:
        assert all("outlet" not in m.extra for m in store.marks())
        resolve = OutletResolver(read_outlets(store))
        found = {m.article_id: resolve(m) for m in store.marks()}
        record = outlet_record(store.marks(), resolve)
    assert found == {
        ids["named.txt"]: "North Post Online",
        ids["intact.txt"]: "South Herald",
        ids["edited.txt"]: UNKNOWN_OUTLET,  # the file is another article now
        ids["deleted.txt"]: UNKNOWN_OUTLET,
        "0123456789abcdef": UNKNOWN_OUTLET,
    }
    assert as_rows(record)[UNKNOWN_OUTLET] == ({"verified": 1, "disputed": 2}, 3, 3, 1)
    assert [row.outlet for row in record.rows] == [UNKNOWN_OUTLET, "North Post Online", "South Herald"]
    # An open corpus names the outlet of its own articles (the reader passes them); a recorded outlet wins over it.
    known = OutletResolver({}, {"0123456789abcdef": "Open Corpus Daily", ids["intact.txt"]: "Elsewhere"})
    lost = Mark("0123456789abcdef", Anchor("A lost claim.", "", "", 0, 13), V, reviewer="alice")
    recorded = Mark(ids["intact.txt"], Anchor("x", "", "", 0, 1), V, reviewer="alice", extra={"outlet": "Kept"})
    assert known(lost) == "Open Corpus Daily" and known(recorded) == "Kept"


def test_an_adjudicated_claim_counts_its_final_verdict_once() -> None:
    anchor = Anchor("The bridge reopened.", "", "", 0, 20)
    marks = [
        Mark("a1", anchor, V, reviewer="alice", updated="2026-01-01T10:00:00Z", extra={"outlet": "Gazette"}),
        Mark("a1", anchor, D, reviewer="bob", updated="2026-01-01T11:00:00Z", extra={"outlet": "Gazette"}),
    ]
    assert as_rows(outlet_record(marks, OutletResolver({}))) == {"Gazette": ({"verified": 1, "disputed": 1}, 2, 1, 0)}
    # The curator's final verdict (stored as adjudication.py stores it: its own "⚖ name" mark, with the reason).
    final = Mark(
        "a1",
        anchor,
        M,
        note="true, but out of date",
        reviewer=final_reviewer("carol"),
        updated="2026-01-02T09:00:00Z",
        extra={"outlet": "Gazette", **final_fields("carol", "true, but out of date")},
    )
    record = outlet_record([*marks, final], OutletResolver({}))
    assert as_rows(record) == {"Gazette": ({"misleading": 1}, 1, 1, 0)}
    assert record.reviewers == ("alice", "bob")  # the toggle offers reviewers, not final verdicts
    without_reason = Mark("a1", anchor, M, reviewer=final_reviewer("carol"), extra={"outlet": "Gazette"})
    assert as_rows(outlet_record([*marks, without_reason], OutletResolver({}))) == {
        "Gazette": ({"misleading": 1}, 1, 1, 0)
    }
    # One reviewer's own record keeps their own verdicts.
    assert as_rows(outlet_record([*marks, final], OutletResolver({}), reviewer="bob")) == {
        "Gazette": ({"disputed": 1}, 1, 1, 0)
    }


def test_text_and_json_forms(corpora: tuple[Path, Path]) -> None:
    _, db = corpora
    record = record_of(db)
    text = record_text(record)
    lines = text.splitlines()
    assert lines[0] == "Outlet record (every reviewer): 10 verdicts"
    assert lines[2].split() == [
        "Outlet", "Verified", "Disputed", "Misleading", "Unverifiable", "Needs", "context", "Total", "Articles",
        "Corpora",
    ]  # fmt: skip
    assert lines[3].split() == ["Harbour", "Gazette", "2", "1", "1", "0", "0", "4", "2", "1"]
    assert record_json(record)["outlets"][2] == {
        "outlet": "Valley Times",
        "counts": {"verified": 1, "disputed": 2, "misleading": 0, "unverifiable": 0, "needs_context": 0},
        "total": 3,
        "articles": 2,
        "corpora": 2,
    }
    assert record_text(record_of(db, reviewer="zed")) == "Outlet record (reviewer zed): no verdicts yet.\n"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factdesk", *args], capture_output=True, text=True, cwd=REPO, timeout=120
    )


def test_stats_outlets_command(corpora: tuple[Path, Path]) -> None:
    _, db = corpora
    text = run("stats", "--outlets", "--db", str(db))
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith(f"Database: {db}\n\nOutlet record (every reviewer): 10 verdicts\n")
    order = [line.split("  ")[0] for line in text.stdout.splitlines()[5:8]]
    assert order == ["Harbour Gazette", "Coastal Wire", "Valley Times"]
    as_json = run("stats", "--outlets", "--db", str(db), "--json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["database"] == str(db) and data["reviewer"] is None and data["verdicts"] == SCALE
    assert {o["outlet"]: (o["total"], o["articles"], o["corpora"]) for o in data["outlets"]} == {
        name: expected[1:] for name, expected in EXPECTED.items()
    }
    assert {o["outlet"]: {k: v for k, v in o["counts"].items() if v} for o in data["outlets"]} == {
        name: expected[0] for name, expected in EXPECTED.items()
    }
    bob = json.loads(run("stats", "--outlets", "--db", str(db), "--json", "--reviewer", "bob").stdout)
    assert bob["reviewer"] == "bob" and [o["total"] for o in bob["outlets"]] == [2, 1]
    # Without --outlets, stats is what it was: the agreement figures.
    plain = json.loads(run("stats", "--db", str(db), "--json").stdout)
    assert set(plain) == {"database", "reviewers", "pairs", "disagreements"}
    wrong = run("stats", "--db", str(db), "--reviewer", "bob")
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1 and "--outlets" in wrong.stderr


def test_a_hostile_outlet_name_is_shown_inert(tmp_path: Path) -> None:
    """The database is untrusted input: a recorded outlet with escape sequences or markup is printed as text."""
    db = tmp_path / "marks.json"
    hostile = "[bold]Wire[/bold] \x1b[31mRed\x1b]52;c;Zm9v\x07"
    with Store.open(db) as store:
        store.set_status("0123456789abcdef", Anchor("A claim.", "", "", 0, 8), V, "alice", fields={"outlet": hostile})
    for args in (("stats", "--outlets", "--db", str(db)), ("stats", "--outlets", "--db", str(db), "--json")):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "[bold]Wire[/bold]" in result.stdout


def test_r_is_a_reader_command() -> None:
    [command] = [c for c in READER_COMMANDS if c.action == "outlet_record"]
    assert display_keys(command) == "R" and "Outlet record" in command.help


def make_app(folder: Path, db: Path) -> FactdeskApp:
    return FactdeskApp(load_corpus([folder]), Store.open(db), reviewer="alice")


@pytest.mark.slow
async def test_the_view_opens_with_r_shows_every_corpus_and_closes(tmp_path: Path) -> None:
    root = tmp_path / "news"
    db = tmp_path / "marks.json"
    write_corpora(root)
    make_marks(root, db, [m for m in MARKS if m[0] == "b"])  # another corpus' marks, in the same database
    app = make_app(root / "a", db)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.screen
        await pilot.press("v", "j", "d", "tab", "v")  # harbour-1: verified, disputed; harbour-2: verified
        await pilot.pause()
        documents = json.loads(db.read_text(encoding="utf-8"))["marks"].values()  # on disk first
        assert (
            sorted(d["outlet"] for d in documents if d["reviewer"] == "alice" and "harbour" in d["path"])
            == ["Harbour Gazette"] * 3
        )
        await pilot.press("R")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "OutletRecordScreen"
        table = screen.query_one("DataTable")
        rows = [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows == [  # most marks first; a tie alphabetically
            ["Coastal Wire", "1", "0", "1", "1", "3", "1", "1"],
            ["Harbour Gazette", "2", "1", "0", "0", "3", "2", "1"],
            ["Valley Times", "1", "1", "0", "0", "2", "1", "1"],
        ]
        assert [column.label.plain for column in table.ordered_columns][1:3] == ["✓ Verified", "✗ Disputed"]
        await pilot.press("r")  # narrowed to the reader's reviewer
        await pilot.pause()
        assert screen.record.reviewer == "alice"
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == [
            "Harbour Gazette",
            "Coastal Wire",
            "Valley Times",
        ]
        assert table.get_row_at(0)[-3].plain == "3" and table.get_row_at(1)[-3].plain == "1"
        await pilot.press("r", "r")  # bob, then every reviewer again
        await pilot.pause()
        assert screen.record.reviewer is None
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is reader
        for key in ("q", "R"):
            await pilot.press("R")
            await pilot.pause()
            assert type(app.screen).__name__ == "OutletRecordScreen"
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is reader


@pytest.mark.slow
async def test_the_record_is_in_help_and_the_palette(tmp_path: Path) -> None:
    root = tmp_path / "news"
    write_corpora(root)
    app = make_app(root / "a", tmp_path / "marks.json")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(pilot.app.screen.query_one("#help-body Static").content)
        assert re.search(r"^R +Outlet record: each outlet.s verdict counts", console.export_text(), re.M)
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"outlet record")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert type(screen).__name__ == "OutletRecordScreen"
        assert screen.query_one("#outlet-record-empty").display and not screen.query_one("DataTable").display
        assert "No verdicts in the database yet." in str(screen.query_one("#outlet-record-empty").render())


@pytest.mark.parametrize("size", [(160, 48), (80, 24)], ids=["160x48", "80x24"])
def test_outlet_record_snapshot(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size) -> None:
    monkeypatch.chdir(tmp_path)  # the status line then shows a stable, relative db path
    write_corpora(Path("news"))
    make_marks(Path("news"), Path("marks.json"))

    async def open_record(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()

    app = FactdeskApp(load_corpus([Path("news/a")]), Store.open(Path("marks.json")), reviewer="alice")
    assert snap_compare(app, terminal_size=size, run_before=open_record)
