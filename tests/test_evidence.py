"""Evidence (issue 16, item 2): URLs, citations and typed links on a mark — entered by keyboard (E, L), followed (F),
shown in the inspector apart from the machine's matches, kept on disk, undone, and carried by the brief, the Web
Annotation export (round trip through ``factdesk import``) and ClaimReview.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from factdesk.annotations.model import Anchor, ArticleAnalysis, ClaimRef, Mark, Status
from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.review.anchor import make_anchor
from factdesk.annotations.review.evidence import (
    EvidenceError,
    check_citation,
    check_link,
    check_url,
    citation_item,
    evidence_of,
    link_item,
    parse_item,
    resolve_link,
    url_item,
    with_item,
    without_item,
)
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage.locations import default_db_path
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp

REPO = Path(__file__).resolve().parent.parent


def records_on_disk(db: Path) -> list[dict]:
    """The marks table as the file holds it (not the store's memory)."""
    data = json.loads(db.read_text(encoding="utf-8"))
    return list(data.get("marks", {}).values())


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# --- the pure rules ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("  http://example.org  ", "http://example.org"),
        ("doi:10.1000/182", "doi:10.1000/182"),
        ("10.1000/182", "doi:10.1000/182"),
        ("file:///home/me/report.pdf", "file:///home/me/report.pdf"),
    ],
)
def test_check_url_keeps_the_four_schemes(typed: str, kept: str) -> None:
    assert check_url(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "ftp://example.org/x",
        "example.org",
        "https://exa mple.org",
        "https://example.org/\x1b[31m",
        "https://example.org/\u202eevil",
        "https://",
        "doi:",
    ],
)
def test_check_url_refuses_other_schemes_controls_and_spaces(typed: str) -> None:
    with pytest.raises(EvidenceError):
        check_url(typed)


def test_a_citation_is_one_paragraph_without_controls() -> None:
    assert check_citation("  Smith, J.\n\nReport on floods,\t2024 ") == "Smith, J. Report on floods, 2024"
    for bad in ("", "   \n ", "a\x07b", "x\u200by"):
        with pytest.raises(EvidenceError):
            check_citation(bad)


def test_items_round_trip_through_their_stored_shape_and_duplicates_are_refused() -> None:
    url = url_item("https://example.org", reviewer="al", added="2026-01-01T00:00:00Z")
    cite = citation_item("Report, 2024", reviewer="al", added="2026-01-01T00:00:00Z")
    anchor = Anchor("Other claim.", "pre ", " post", 10, 22)
    link = link_item("same source", "art2", anchor, path="/x/b.txt", reviewer="al", added="t")
    assert link.relation == "same_source"
    stored = with_item(with_item(with_item([], url), cite), link)
    assert [raw["kind"] for raw in stored] == ["url", "citation", "link"]
    assert stored[2]["anchor"] == {"quote": "Other claim.", "prefix": "pre ", "suffix": " post", "start": 10, "end": 22}
    assert [parse_item(raw) for raw in stored] == [url, cite, link]
    with pytest.raises(EvidenceError, match="already there"):
        with_item(stored, url_item("https://example.org", reviewer="bo", added="later"))
    assert without_item(stored, 1) == [stored[0], stored[2]]
    assert without_item([stored[0]], 0) is None  # the last one goes: the field goes
    with pytest.raises(EvidenceError):
        link_item("refutes", "art2", anchor, reviewer="al", added="t")
    assert parse_item({"kind": "url", "url": "javascript:x", "added": "", "reviewer": ""}) is None  # hand edit
    mark = Mark("a", anchor, Status.UNREVIEWED, "", "al", "t", extra={"evidence": [stored[0], "junk", stored[1]]})
    assert [i.position for i in evidence_of(mark)] == [0, 2]  # positions in the stored list, junk skipped


def test_check_link_refuses_the_claim_itself_and_allows_the_same_article() -> None:
    with pytest.raises(EvidenceError, match="itself"):
        check_link(ClaimRef("a", 3), ClaimRef("a", 3))
    with pytest.raises(EvidenceError):
        check_link(ClaimRef("a", 3), None)
    assert check_link(ClaimRef("a", 3), ClaimRef("a", 5)) == ClaimRef("a", 5)


def test_a_link_is_found_again_after_an_edit_and_refused_when_its_figures_changed() -> None:
    from builders import article, corpus

    before = article("old", ["Officials said 300 people fled the town.", "Rain fell all week in the hills."])
    sentence = before.claims[1]
    link = link_item(
        "supports",
        "old",
        make_anchor(before.article.text, sentence.start, sentence.end),
        path="old.txt",
        reviewer="al",
        added="t",
    )
    assert resolve_link(link, corpus(before)) == ClaimRef("old", 1)
    # The file was edited (a new id): found by its file, the claim moved by a sentence inserted before it.
    edited = article(
        "old-v2", ["A new first line.", "Officials said 300 people fled the town.", before.sentence_text(sentence)]
    )
    moved = replace(edited.article, path=Path("old.txt"))
    edited = ArticleAnalysis(moved, edited.sentences, edited.entities, edited.numbers)
    assert resolve_link(link, corpus(edited)) == ClaimRef("old-v2", 2)
    figure = link_item(
        "supports", "old", make_anchor(before.article.text, 0, 40), path="old.txt", reviewer="al", added="t"
    )
    changed = article("old-v3", ["Officials said 370 people fled the town.", "Rain fell all week in the hills."])
    changed = ArticleAnalysis(replace(changed.article, path=Path("old.txt")), changed.sentences, changed.entities, ())
    assert resolve_link(figure, corpus(changed)) is None  # "300" never lands on "370": not found, said so


# --- the reader ------------------------------------------------------------------------------------------------


def evidence_on_disk(db: Path) -> list[dict]:
    """Every evidence item of every mark, as the file holds them."""
    return [item for record in records_on_disk(db) for item in record.get("evidence", [])]


@pytest.mark.slow
async def test_e_adds_a_url_and_a_citation_saved_on_disk_and_removes_one(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(db), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("E")
        await pilot.pause()
        assert type(app.screen).__name__ == "EvidenceScreen"
        await pilot.press(*"javascript:alert(1)", "enter")
        await pilot.pause()
        assert not db.exists() or evidence_on_disk(db) == []  # refused, said, nothing saved
        assert "http" in str(app.screen.query_one("#evidence-error").render())
        app.screen.query_one("#evidence-url").value = ""
        await pilot.press(*"https://example.org/report", "enter")
        await pilot.pause()
        items = evidence_on_disk(db)
        assert [(i["kind"], i["url"], i["reviewer"]) for i in items] == [("url", "https://example.org/report", "alice")]
        assert items[0]["added"].endswith("Z")
        await pilot.press("tab", *"Ministry of Health, bulletin 12, 2024", "enter")
        await pilot.pause()
        assert [i["kind"] for i in evidence_on_disk(db)] == ["url", "citation"]
        assert evidence_on_disk(db)[1]["text"] == "Ministry of Health, bulletin 12, 2024"
        await pilot.press("tab", "down", "d")  # the list: the second item (the citation) goes
        await pilot.pause()
        assert [i["kind"] for i in evidence_on_disk(db)] == ["url"]
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen"
        inspector = str(app.screen.query_one("#inspector").render())
        assert "Evidence (1)" in inspector and "example.org/report" in inspector
        record = records_on_disk(db)[0]
        assert record["status"] == "unreviewed" and record["note"] == ""  # a mark with only evidence exists
        history = json.loads(db.read_text(encoding="utf-8"))["history"]
        assert [h["action"] for h in history.values()] == ["evidence"] * 3
        await pilot.press("ctrl+z")  # undo the removal: the citation is back
        await pilot.pause()
        assert [i["kind"] for i in evidence_on_disk(db)] == ["url", "citation"]


@pytest.mark.slow
async def test_l_links_to_the_other_panes_claim_and_f_opens_it_there(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(db), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        screen = app.screen
        left, right = screen.panes[0].view, screen.panes[1].view
        await pilot.press("tab", "j", "j", "tab")  # the other pane's cursor on its third claim
        await pilot.pause()
        target = right.current_ref
        source = left.current_ref
        assert target is not None and source is not None and target.article != source.article
        await pilot.press("L")
        await pilot.pause()
        assert type(app.screen).__name__ == "RelationPickerScreen"
        await pilot.press("2")  # contradicts
        await pilot.pause()
        (link,) = evidence_on_disk(db)
        analysis = right.analysis
        assert analysis is not None and right.current is not None
        assert link["kind"] == "link" and link["relation"] == "contradicts" and link["article_id"] == target.article
        assert link["anchor"]["quote"] == analysis.sentence_text(right.current)
        assert link["path"] == str(analysis.article.path.resolve()) and link["reviewer"] == "alice"
        inspector = str(screen.query_one("#inspector").render())
        assert "Your links (1): → contradicts" in inspector
        if "Also in" in inspector:  # the machine's matches keep their own line and have no arrow
            also = inspector.split("Also in", 1)[1].split("\n", 1)[0]
            assert "→" not in also and "contradicts" not in also
        await pilot.press("tab", "G", "tab")  # the other pane goes elsewhere
        await pilot.pause()
        assert right.current_ref != target
        await pilot.press("F")
        await pilot.pause()
        assert right.current_ref == target  # F opened the linked claim in the other pane
        assert left.current_ref == source and screen.focused_pane == 0
        assert "link 1 of 1: contradicts" in str(screen.query_one("#status-line").render())


async def test_l_refuses_the_claim_itself_and_f_says_when_a_claim_has_no_link(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(db), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("F")
        await pilot.pause()
        assert "no links on this claim" in str(screen.query_one("#status-line").render())
        screen.jump_to(screen.panes[0].view.current_ref, screen.panes[1])  # both panes on the same claim
        await pilot.press("L")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen" and not db.exists()


# --- the exports -----------------------------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "factdesk", *args]
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=180, env=env)


@pytest.fixture
def evidenced(seeds_copy: Path) -> tuple[Path, Review, ClaimRef, ClaimRef, ClaimRef]:
    """Seeds with alice's evidence: a verified claim with a URL, a citation and a link; a claim with evidence only."""
    analysis = analyze(load_corpus([seeds_copy]))
    review = Review(analysis, Store.open(default_db_path([seeds_copy])), "alice")
    first, other = analysis.articles[0], analysis.articles[2]
    verified = ClaimRef(first.article.id, first.claims[0].index)
    bare = ClaimRef(first.article.id, first.claims[1].index)
    linked = ClaimRef(other.article.id, other.claims[1].index)
    sentence = other.claims[1]
    review.set_status(verified, Status.VERIFIED)
    items = [
        url_item("https://example.org/bulletin?id=12&x=1", reviewer="alice", added="2026-12-07T10:00:00Z"),
        citation_item("Ministry of Health, bulletin 12 <b>*not bold*</b>", reviewer="alice", added="2026-12-07T10:01Z"),
        link_item(
            "contradicts",
            other.article.id,
            make_anchor(other.article.text, sentence.start, sentence.end),
            path=str(other.article.path.resolve()),
            reviewer="alice",
            added="2026-12-07T10:02:00Z",
        ),
    ]
    stored: list = []
    for item in items:
        stored = with_item(stored, item)
    review.set_fields(verified, {"evidence": stored}, detail="evidence", action="evidence")
    review.set_fields(bare, {"evidence": [stored[0]]}, detail="URL added", action="evidence")
    return seeds_copy, review, verified, bare, linked


def test_brief_markdown_and_json_list_the_evidence(evidenced) -> None:  # type: ignore[no-untyped-def]
    _, review, verified, bare, linked = evidenced
    from factdesk.annotations.export.briefs import brief_json, brief_markdown

    markdown = brief_markdown(review, False)
    assert "**Evidence**" in markdown
    assert "- Source: <https://example.org/bulletin?id=12&x=1> (alice)" in markdown
    assert "- Citation: Ministry of Health, bulletin 12 \\<b\\>\\*not bold\\*\\</b\\>" in markdown  # escaped
    other = review.analysis.by_id(linked.article)
    assert other is not None
    assert f"- → contradicts {other.article.source}, claim 2: “" in markdown
    assert "### Evidence on claims without a verdict (1)" in markdown  # evidence alone is not dropped
    data = json.loads(brief_json(review, False))
    (claim,) = [c for c in data["verified"] if c["sentence_index"] == verified.sentence]
    kinds = [e["kind"] for e in claim["evidence"]]
    assert kinds == ["url", "citation", "link"]
    link = claim["evidence"][2]
    assert link["relation"] == "contradicts" and link["found"] and link["claim_number"] == 2
    assert link["article_id"] == linked.article and link["sentence_index"] == linked.sentence
    assert [c["sentence_index"] for c in data["evidence_only"]] == [bare.sentence]
    assert "also_reported_by" in claim and "→" not in " ".join(claim["also_reported_by"])  # the machine's, apart


def test_web_annotation_export_carries_evidence_as_linking_bodies_and_import_round_trips(  # type: ignore[no-untyped-def]
    evidenced, tmp_path: Path
) -> None:
    folder, review, _, _, linked = evidenced
    exported = tmp_path / "marks.jsonld"
    result = run("export", str(folder), "--format", "annotations", "-o", str(exported))
    assert result.returncode == 0, result.stderr
    items = json.loads(exported.read_text(encoding="utf-8"))["first"]["items"]
    full = next(i for i in items if any(b.get("purpose") == "assessing" for b in i["body"]))
    linking = [b for b in full["body"] if b["purpose"] == "linking"]
    assert [b["type"] for b in linking] == ["SpecificResource", "TextualBody", "SpecificResource"]
    assert linking[0]["source"] == "https://example.org/bulletin?id=12&x=1"
    assert linking[1]["format"] == "text/plain" and linking[1]["creator"]["name"] == "alice"
    link = linking[2]
    assert link["factdesk:relation"] == "contradicts" and link["factdesk:articleId"] == linked.article
    assert link["source"].startswith("file://")
    quote, position = link["selector"]
    assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
    assert "evidence" not in full.get("factdesk:extra", {})  # said once, as bodies
    alone = next(i for i in items if i is not full)
    assert alone["motivation"] == "linking"
    empty = tmp_path / "empty.json"
    imported = run("import", str(exported), "--db", str(empty))
    assert imported.returncode == 0, imported.stderr
    assert "2 new" in imported.stderr
    original = {(m.article_id, m.anchor.start): m.extra["evidence"] for m in review.store.marks()}
    copy = Store.open(empty)
    assert {(m.article_id, m.anchor.start): m.extra["evidence"] for m in copy.marks()} == original
    copy.close()
    again = tmp_path / "again.jsonld"
    result = run("export", str(folder), "--db", str(empty), "--format", "annotations", "-o", str(again))
    assert result.returncode == 0, result.stderr
    bodies = [i["body"] for i in json.loads(again.read_text(encoding="utf-8"))["first"]["items"]]
    assert bodies == [i["body"] for i in items]  # export → import → export: the same evidence


def test_claimreview_cites_the_evidence(evidenced) -> None:  # type: ignore[no-untyped-def]
    _, review, *_ = evidenced
    from factdesk.annotations.export.interop import claim_reviews

    (only,) = claim_reviews(review)  # the evidence-only mark has no verdict: no ClaimReview
    citation = only["citation"]
    assert citation[0] == {"@type": "CreativeWork", "url": "https://example.org/bulletin?id=12&x=1"}
    assert citation[1].startswith("Ministry of Health")
    assert citation[2]["@type"] == "Claim" and citation[2]["description"] == "contradicts"
    assert citation[2]["appearance"]["url"]


def test_a_mark_with_only_evidence_stays_and_goes_with_its_last_item(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    store = Store.open(db)
    anchor = Anchor("A claim.", "", "", 0, 8)
    url = url_item("https://example.org", reviewer="al", added="t").to_json()
    store.set_fields("art", anchor, "al", {"evidence": [url]}, action="evidence", detail="URL added")
    store.set_status("art", anchor, Status.VERIFIED, "al")
    store.clear("art", anchor, "al")  # the verdict goes; the evidence keeps the mark
    assert [(r["status"], len(r["evidence"])) for r in records_on_disk(db)] == [("unreviewed", 1)]
    assert store.set_fields("art", anchor, "al", {"evidence": None}, action="evidence") is None
    assert records_on_disk(db) == []
    history = Store.open(db, read_only=True).history()
    assert history[0].describe() == "al: URL added"


# --- what it looks like ----------------------------------------------------------------------------------------


@pytest.fixture
def snapshot_app(seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FactdeskApp:
    monkeypatch.chdir(tmp_path)  # the status line then shows a stable, relative db path
    monkeypatch.setattr("factdesk.tui.screens.reader_evidence._now", lambda: "2024-12-09T12:00:00Z")
    store = Store.open(Path("marks.json"))
    store._clock = lambda: datetime(2024, 12, 9, 12, 0, tzinfo=UTC)  # stable times on screen
    return FactdeskApp(load_corpus([seeds_copy]), store, reviewer="alice")


@pytest.mark.slow
def test_evidence_dialog_80x24(snap_compare, snapshot_app: FactdeskApp) -> None:  # type: ignore[no-untyped-def]
    async def dialog(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("E", *"https://example.org/bulletin-12", "enter", "tab", *"Ministry of Health, 2024", "enter")
        await pilot.press("shift+tab", *"ftp://x", "enter")  # refused: the dialog says why
        await pilot.pause()

    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=dialog)


@pytest.mark.slow
def test_inspector_with_evidence_and_links_160x48(snap_compare, snapshot_app: FactdeskApp) -> None:  # type: ignore[no-untyped-def]
    async def evidence(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("v", "E", *"https://example.org/bulletin-12", "enter", "escape")
        await pilot.press("tab", "j", "tab", "L", "1")
        await pilot.pause()

    assert snap_compare(snapshot_app, terminal_size=(160, 48), run_before=evidence)


async def test_e_l_f_have_a_footer_hint_a_help_line_and_a_palette_entry(seeds_copy: Path, tmp_path: Path) -> None:
    from factdesk.tui.commands import READER_COMMANDS
    from factdesk.tui.provider import ReaderCommands

    by_action = {c.action: c for c in READER_COMMANDS}
    assert [by_action[a].keys for a in ("evidence", "link_claim", "follow_link")] == ["E", "L", "F"]
    assert by_action["evidence"].show  # E in the Footer; L and F in the help and the palette
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        assert any(b.key == "E" and b.action == "evidence" and b.show for b in app.screen.BINDINGS)  # type: ignore[union-attr]
        provider = ReaderCommands(app.screen)
        offered = [hit.text for hit in [h async for h in provider.discover()]]
        for action in ("evidence", "link_claim", "follow_link"):
            assert by_action[action].help in offered
        await pilot.press("question_mark")
        await pilot.pause()
        from rich.console import Console

        console = Console(width=200, record=True)
        for widget in app.screen.query("#help-body Static"):
            console.print(widget.content)
        help_text = console.export_text()
        for action in ("evidence", "link_claim", "follow_link"):
            assert by_action[action].help in help_text


async def test_f_says_when_a_linked_claim_is_no_longer_found_and_shows_its_quote(
    seeds_copy: Path, tmp_path: Path
) -> None:
    db = tmp_path / "marks.json"
    corpus_ = load_corpus([seeds_copy])
    other = corpus_.articles[1]
    gone = Anchor("Officials said 999 elephants crossed the bridge.", "", "", 5, 53)
    app = FactdeskApp(corpus_, Store.open(db), reviewer="alice")
    said: list[str] = []
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign]
        screen = app.screen
        ref = screen.panes[0].view.current_ref
        item = link_item("updates", other.id, gone, path=str(other.path), reviewer="alice", added="t")
        analysis = screen.review.analysis.by_id(other.id)
        sentence = analysis.claims[4]
        anchor = make_anchor(other.text, sentence.start, sentence.end)
        there = link_item("supports", other.id, anchor, path=str(other.path), reviewer="alice", added="t")
        screen.review.set_fields(ref, {"evidence": [item.to_json(), there.to_json()]}, action="evidence")
        right = screen.panes[1].view.current_ref
        await pilot.press("F")
        await pilot.pause()
        assert screen.panes[1].view.current_ref == right  # nothing moved
        assert any("no longer found" in m and "999 elephants" in m for m in said)
        await pilot.press("F")  # again: the next link
        await pilot.pause()
        assert screen.panes[1].view.current_ref == ClaimRef(other.id, sentence.index)
        assert "link 2 of 2: supports" in str(screen.query_one("#status-line").render())


def test_import_reads_other_tools_linking_bodies_and_says_which_it_skipped() -> None:
    from factdesk.annotations.export.interop import annotations_to_marks

    annotation = {
        "type": "Annotation",
        "creator": {"name": "hypo"},
        "created": "2026-12-01T00:00:00Z",
        "body": [
            "https://example.org/plain-iri",
            {"type": "SpecificResource", "purpose": "linking", "source": "javascript:alert(1)"},
            {"type": "TextualBody", "purpose": "linking", "value": "A report,\nline two"},
            {"type": "SpecificResource", "purpose": "linking", "source": "urn:factdesk:article:abc", "selector": []},
        ],
        "target": {
            "source": "urn:factdesk:article:abc",
            "selector": [
                {"type": "TextQuoteSelector", "exact": "A claim."},
                {"type": "TextPositionSelector", "start": 0, "end": 8},
            ],
        },
    }
    result = annotations_to_marks([annotation])
    (mark,) = result.marks
    assert mark.status is Status.UNREVIEWED and mark.note == ""  # evidence alone makes a mark
    assert [(i.kind, i.url or i.text, i.reviewer) for i in evidence_of(mark)] == [
        ("url", "https://example.org/plain-iri", "hypo"),
        ("citation", "A report, line two", "hypo"),
    ]
    assert len(result.problems) == 2 and all("an evidence body (" in p.message for p in result.problems)
