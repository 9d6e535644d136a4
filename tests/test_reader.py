"""Drive the reader with the contract keys and check what lands in the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from factdesk.annotations.export.briefs import brief_markdown
from factdesk.annotations.model import ClaimRef, Status
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp
from factdesk.tui.screens import reader_marks
from factdesk.tui.screens.reader import ReaderScreen


def make_app(corpus_folder: Path, db: Path, theme: str | None = None) -> FactdeskApp:
    return FactdeskApp(load_corpus([corpus_folder]), Store.open(db), reviewer="alice", theme=theme)


async def ready(pilot) -> ReaderScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.reader()
    assert screen.review is not None
    return screen


def stored(db: Path) -> dict[str, list]:
    """What is on disk right now, read by a fresh Store."""
    store = Store.open(db)
    marks = store.marks()
    store.close()
    by_quote: dict[str, list] = {}
    for mark in marks:
        by_quote.setdefault(mark.anchor.quote, []).append(mark)
    return by_quote


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "marks.json"


async def test_first_open_layout(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        left, right = screen.panes[0], screen.panes[1]
        assert left.view.analysis.article.path.name.startswith("000_")
        assert right.view.analysis.article.path.name.startswith("001_")
        assert screen.focused_pane == 0 and left.view.has_focus
        assert left.view.cursor == 0
        assert left.view.current.kind == "claim"
        assert not left.has_class("-hidden") and not right.has_class("-hidden")
        assert screen.panes[2].has_class("-hidden")


@pytest.mark.slow
async def test_verify_dispute_note_are_on_disk_at_once(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        analysis = screen.view.analysis
        first, second = (analysis.sentence_text(s) for s in analysis.claims[:2])
        await pilot.press("v")
        assert stored(db)[first][0].status is Status.VERIFIED
        await pilot.press("j", "d")
        assert stored(db)[second][0].status is Status.DISPUTED
        await pilot.press("n")
        await pilot.press(*"Only one source")
        await pilot.press("enter")
        await pilot.press(*"line two")
        await pilot.press("ctrl+s")
        await pilot.pause()
        mark = stored(db)[second][0]
        assert mark.note == "Only one source\nline two" and mark.reviewer == "alice" and mark.updated
        await pilot.press("n", *"discard me", "escape", "y")  # a changed draft is discarded only when confirmed
        await pilot.pause()
        assert stored(db)[second][0].note == "Only one source\nline two"
        await pilot.press("u")
        kept = stored(db)[second][0]
        assert kept.status is Status.UNREVIEWED and kept.note  # clearing the verdict keeps the note
        header = screen.pane.header.render()
        assert "✓ 1" in str(header) and "✗ 0" in str(header)


async def test_marks_and_position_survive_a_restart(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("v", "j", "d", "tab", "right_square_bracket", "j", "j")
        await pilot.press("q")
    again = make_app(seeds_copy, db)
    async with again.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        assert screen.focused_pane == 1
        right = screen.panes[1].view
        assert right.analysis.article.path.name.startswith("002_")
        assert right.cursor == 2
        left = screen.panes[0].view
        assert left.cursor == 1 and screen.review.status(left.current_ref) is Status.DISPUTED


async def test_navigation_keys(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        view = screen.view
        await pilot.press("G")
        assert view.cursor == len(view.claims) - 1
        await pilot.press("j")
        assert view.cursor == len(view.claims) - 1  # stays on the last claim
        await pilot.press("g")
        assert view.cursor == 0
        await pilot.press("k")
        assert view.cursor == 0
        await pilot.press("down", "down", "up")
        assert view.cursor == 1
        await pilot.press("right_square_bracket")
        assert screen.pane.view.analysis.article.path.name.startswith("001_") and screen.view.cursor == 0
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert screen.pane.view.analysis.article.path.name.startswith("004_")
        await pilot.press("tab")
        assert screen.focused_pane == 1 and screen.panes[1].view.has_focus
        await pilot.press("shift+tab")
        assert screen.focused_pane == 0


async def test_tab_marks_in_the_other_pane(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("tab", "v")
        right = screen.panes[1].view
        quote = right.analysis.sentence_text(right.current)
        mark = stored(db)[quote][0]
        assert mark.article_id == right.analysis.article.id and mark.status is Status.VERIFIED


@pytest.mark.slow
async def test_search_jumps_to_the_claim(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"Golani statement", "enter")
        await pilot.pause()
        view = screen.view
        assert "Golani, said in a statement" in view.analysis.sentence_text(view.current)


async def test_export_saves_the_same_brief_as_the_cli(seeds_copy: Path, db: Path, tmp_path: Path) -> None:
    app = make_app(seeds_copy, db)
    target = tmp_path / "out" / "brief.md"
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("v", "e")
        await pilot.pause()
        field = app.screen.query_one("#export-path")
        field.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        brief = target.read_text(encoding="utf-8")
        assert brief == brief_markdown(screen.review)
        assert screen.view.analysis.sentence_text(screen.view.current)[:40] in brief


async def test_copy_claim_and_export_copy_never_crash_without_a_clipboard(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert copied and screen.view.analysis.article.source in copied[0]
        await pilot.press("e", "ctrl+y")
        await pilot.pause()
        assert copied[-1] == brief_markdown(screen.review)


@pytest.mark.slow
async def test_help_and_palette_list_the_commands(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"verified")
        await pilot.pause(0.3)
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.reader()
        assert screen.review.status(screen.view.current_ref) is Status.VERIFIED


async def test_narrow_terminal_shows_one_pane_and_tab_switches(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        shown = [p for p in screen.panes if not p.has_class("-hidden")]
        assert shown == [screen.panes[0]]
        await pilot.press("tab")
        shown = [p for p in screen.panes if not p.has_class("-hidden")]
        assert shown == [screen.panes[1]]


async def test_wide_terminal_shows_three_panes(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(210, 40)) as pilot:
        screen = await ready(pilot)
        assert not any(p.has_class("-hidden") for p in screen.panes)
        assert screen.panes[2].view.analysis.article.path.name.startswith("002_")


async def test_theme_flag_and_memory(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db, theme="factdesk-light")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert app.theme == "factdesk-light"
    again = make_app(seeds_copy, db)
    async with again.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert again.theme == "factdesk-light"  # remembered
    bad = make_app(seeds_copy, db, theme="no-such-theme")
    async with bad.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert bad.theme == "factdesk-dark"


async def test_click_selects_a_sentence(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        right = screen.panes[1].view
        target = right.claims[1]
        _, last_line = right._layout.sentence_lines[target.index]  # its last line starts inside it
        await pilot.click(right, offset=(8, last_line - right.scroll_offset.y))
        await pilot.pause()
        assert screen.focused_pane == 1 and right.current.index == target.index


async def test_escape_sequences_in_articles_never_reach_the_terminal(tmp_path: Path, db: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Clipboard Attack Story\n"
        "The minister said \x1b]52;c;cm0gLXJmIH4=\x07 nothing. Screen \x1b[2J\x1b[31mred\x1b[0m text.\n"
        "Bidi \u202egnp.exe\u202c and zero\u200bwidth \x9b31m here. Another claim follows.\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text("A calm second article. It has two claims.\n", encoding="utf-8")
    app = make_app(folder, db)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        view = screen.panes[0].view
        rendered = "".join(segment.text for y in range(view.size.height) for segment in view.render_line(y))
        assert "minister said" in rendered
        for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\u200b"):
            assert bad not in rendered
        assert "␛]52" in rendered  # shown, inert
        await pilot.press("y")  # copying the claim must not carry the escape either
        await pilot.pause()
        assert copied and "minister said" in copied[0] and "\x1b" not in copied[0]


async def test_m_shows_the_best_match_in_the_other_pane_and_cycles(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        view = screen.view
        # the claim "Rebel forces are now within 30 kilometers of Damascus" (000) matches Reuters' 30 km claim
        position = next(i for i, s in enumerate(view.claims) if "30 kilometers" in view.analysis.sentence_text(s))
        view.move_to(position)
        ref = view.current_ref
        matches = screen.cross.matches(ref)
        assert matches, "the 30 km claim should be matched in another source"
        await pilot.press("m")
        other = screen.panes[1].view
        assert other.current_ref == matches[0][0]
        assert screen.focused_pane == 0  # the reviewer stays where they are
        if len(matches) > 1:
            await pilot.press("m")
            assert other.current_ref == matches[1][0]


@pytest.mark.slow
async def test_step_mode_keeps_the_other_pane_on_the_match(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("s")
        assert screen.step_mode
        view, other = screen.view, screen.panes[1].view
        followed = 0
        for _ in range(len(view.claims) - 1):
            await pilot.press("j")
            matches = screen.cross.matches(view.current_ref)
            if matches:
                assert other.current_ref == matches[0][0]
                followed += 1
        assert followed >= 3
        await pilot.press("s")
        assert not screen.step_mode


async def test_apply_verdict_to_matches_only_when_asked(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        view = screen.view
        article = view.analysis.article.id
        position = next(p for p, s in enumerate(view.claims) if screen.cross.matches(ClaimRef(article, s.index)))
        view.move_to(position)
        ref = view.current_ref
        others = [o for o, _ in screen.cross.matches(ref)]
        await pilot.press("v")
        assert all(screen.review.status(o) is Status.UNREVIEWED for o in others)  # never automatically
        # `a` now offers only matches scoring APPLY_THRESHOLD or more and asks first (tests/test_apply_matches.py):
        # confirming applies exactly the offered ones.
        offered = [o for o, score in screen.cross.matches(ref) if score >= reader_marks.APPLY_THRESHOLD]
        await pilot.press("a")
        await pilot.pause()
        if offered:
            await pilot.press("y")
            await pilot.pause()
        assert all(screen.review.status(o) is Status.VERIFIED for o in offered)
        assert sum(len(v) for v in stored(db).values()) == 1 + len(offered)


async def test_coverage_matrix_jumps_to_the_claim(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("c")
        await pilot.pause()
        coverage = app.screen
        assert type(coverage).__name__ == "CoverageScreen" and coverage.rows
        top = coverage.rows[0]
        assert top.sources >= 3  # the most corroborated fact comes first
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.view.current_ref == top.representative


async def test_ctrl_z_undoes_and_ctrl_y_redoes(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        ref = screen.view.current_ref
        quote = screen.view.analysis.sentence_text(screen.view.current)
        await pilot.press("v", "j", "j")
        await pilot.press("ctrl+z")
        assert screen.review.status(ref) is Status.UNREVIEWED
        assert screen.view.current_ref == ref  # undo jumps to the claim it changed
        assert quote not in stored(db) or stored(db)[quote][0].status is Status.UNREVIEWED
        await pilot.press("ctrl+y")
        assert stored(db)[quote][0].status is Status.VERIFIED
        history = screen.review.history(ref)
        assert len(history) == 3  # set, undo, redo: history is never rewritten


async def test_marks_from_another_session_appear(seeds_copy: Path, db: Path) -> None:
    from factdesk.annotations.pipeline.analysis import analyze
    from factdesk.annotations.review.review import Review

    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        ref = screen.view.current_ref
        other = Review(analyze(load_corpus([seeds_copy])), Store.open(db), "bob")
        other.set_status(ref, Status.DISPUTED)
        screen.poll_store()  # what the one-second timer does
        await pilot.pause()
        assert screen.review.status(ref) is Status.DISPUTED
        await pilot.press("v")  # alice disagrees
        verdicts = screen.review.verdicts(ref)
        assert {r: m.status for r, m in verdicts.items()} == {"alice": Status.VERIFIED, "bob": Status.DISPUTED}
        await pilot.press("f")
        await pilot.pause()
        assert type(app.screen).__name__ == "DisagreementScreen" and app.screen.refs == [ref]
        await pilot.press("escape")


async def test_edited_article_keeps_marks_and_lists_orphans(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        view = screen.view
        first = view.analysis.sentence_text(view.claims[0])
        figure = next(
            view.analysis.sentence_text(s) for s in view.claims if "30 kilometers" in view.analysis.sentence_text(s)
        )
        await pilot.press("v")
        view.move_to(next(i for i, s in enumerate(view.claims) if view.analysis.sentence_text(s) == figure))
        await pilot.press("d")
        await pilot.press("q")
    path = sorted(seeds_copy.glob("*.txt"))[0]
    text = path.read_text(encoding="utf-8")
    text = "A new opening paragraph was added. " + text.replace("30 kilometers", "50 kilometers")
    path.write_text(text, encoding="utf-8")
    again = make_app(seeds_copy, db)
    async with again.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        analysis = screen.panes[0].view.analysis
        statuses = {
            analysis.sentence_text(s): screen.review.status(ClaimRef(analysis.article.id, s.index))
            for s in analysis.claims
        }
        assert statuses[first] is Status.VERIFIED  # followed its claim into the edited file
        assert [m.anchor.quote for m in screen.review.orphans] == [figure]  # 30 ≠ 50: refused, kept as orphan
        await pilot.press("o")
        await pilot.pause()
        assert type(again.screen).__name__ == "OrphansScreen"


async def test_w_walks_unreviewed_claims_most_check_worthy_first(seeds_copy: Path, db: Path) -> None:
    from factdesk.annotations.text.claims import ranked_claims

    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        ranking = [ref for ref, _ in ranked_claims(screen.review.analysis)]
        await pilot.press("w")
        assert screen.view.current_ref == ranking[0]
        await pilot.press("v", "w")  # the first is now reviewed: w moves on to the second
        assert screen.view.current_ref == ranking[1]
        inspector = str(screen.query_one("#inspector").render())
        assert "Check-worthiness" in inspector


async def test_entity_panel_groups_spellings_and_jumps_to_mentions(seeds_copy: Path, db: Path) -> None:
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("p")
        await pilot.pause()
        panel = app.screen
        assert type(panel).__name__ == "EntityScreen"
        golani = next(i for i, e in enumerate(panel.entities) if "Golani" in e.group.canonical)
        assert any("Jolani" in v for v in panel.entities[golani].group.variants)
        panel.query_one("#entity-names").highlighted = golani
        await pilot.press("enter")  # to its mentions
        await pilot.press("down", "enter")  # the second mention
        await pilot.pause()
        second = panel.entities[golani].mentions[1]
        assert app.screen is screen and screen.view.current_ref == second
        await pilot.press("p")  # reopens on the same entity
        await pilot.pause()
        assert app.screen.selected == golani
