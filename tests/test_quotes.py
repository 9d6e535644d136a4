"""Quotes across outlets (issue 16, item 6): quoted spans, their speakers, pairs across outlets, the word diff,
the brief's section, the reader's ``Q`` and its screen, and the recogniser's cost on hostile text.

The texts are written here: three outlets quote one mayor with small wording changes, a partial quote, a pronoun
speaker, a quote with no speaker, curly and straight marks and a quote running across a sentence end.
"""

from __future__ import annotations

import datetime
import gc
import io
import re
import time
from pathlib import Path

import pytest

from factdesk.annotations.compare.quote_diff import DiffPart, marked, partial, word_diff
from factdesk.annotations.compare.quotes import QuoteIndex, article_quotes, quote_index, strip_title
from factdesk.annotations.export.brief_json import brief_to_dict, render_json
from factdesk.annotations.export.brief_markdown import render_markdown
from factdesk.annotations.export.build import build_brief
from factdesk.annotations.model import Article, ArticleAnalysis, ClaimRef, CorpusAnalysis, Entity, Sentence
from factdesk.annotations.text.quotes import quote_spans

# --- hand-built analyses: sentences and names where the test says they are ----------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”]?\s+(?=[A-Z\"“])")


def analysed(article_id: str, text: str, names: dict[str, str], source: str | None = None) -> ArticleAnalysis:
    """``text`` split into sentences at ". X" (paragraphs at blank lines), every occurrence of each name tagged."""
    sentences: list[Sentence] = []
    for paragraph in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        start = paragraph.start()
        for end_match in _SENTENCE_END.finditer(paragraph.group()):
            end = paragraph.start() + end_match.start() + (1 if end_match.group()[:1] in '"”' else 0)
            sentences.append(Sentence(len(sentences), start, end, "claim"))
            start = paragraph.start() + end_match.end()
        sentences.append(Sentence(len(sentences), start, paragraph.end(), "claim"))
    entities = []
    for surface, label in names.items():
        for found in re.finditer(rf"\b{re.escape(surface)}\b", text):
            entities.append(Entity(found.start(), found.end(), surface, label))
    entities.sort(key=lambda e: (e.start, -e.end))
    kept: list[Entity] = []
    for entity in entities:  # the longest name wins where two overlap ("Jane Roe" over "Roe")
        if not kept or entity.start >= kept[-1].end:
            kept.append(entity)
    article = Article(article_id, Path(f"{article_id}.txt"), text, article_id, source or article_id)
    return ArticleAnalysis(article, tuple(sentences), tuple(kept), ())


HARBOUR = """Storm floods the port district.

"We will rebuild every home that was lost, and we will do it quickly," said Mayor Jane Roe on Tuesday. \
"Nobody will be left behind."

The council said about 400 homes were damaged. Roe called the regional response a "catastrophic failure of planning".

Fire chief Tom Reed said crews had reached every street. "The water is going down," he said.

"It is too early to say," one resident told the paper."""

COAST = """Westhaven counts the cost.

Jane Roe, the city's mayor, told reporters: “We will rebuild every house that was lost, and we will do it fast.”

Roe described the response as “catastrophic”. She said, “The plan failed the people of this city. \
We should have acted sooner.”"""

VALLEY = """Mayor promises to rebuild.

“The plan failed the people of this city. We should have acted much sooner,” President Jane Roe added.

According to Tom Reed, “the water is going down”."""

NAMES = {"Jane Roe": "PERSON", "Roe": "PERSON", "Tom Reed": "PERSON", "Mayor Jane Roe": "PERSON"}


def three_outlets() -> CorpusAnalysis:
    return CorpusAnalysis(
        (
            analysed("harbour", HARBOUR, NAMES, "Harbour Times"),
            analysed("coast", COAST, NAMES, "Coast Daily"),
            analysed("valley", VALLEY, {**NAMES, "President Jane Roe": "PERSON"}, "Valley News"),
        )
    )


def _quotes(index: QuoteIndex, article_id: str) -> list[tuple[str, str, str]]:
    return [(q.text, q.speaker, q.via) for q in index.quotes if q.article_id == article_id]


# --- quoted spans ------------------------------------------------------------------------------------------------


def test_straight_curly_and_guillemet_quotes_are_found_with_their_words_inside() -> None:
    text = 'He said "one two," then “three four” and «cinq six» but „sieben acht“.'
    assert [text[s.start : s.end] for s in quote_spans(text)] == ["one two,", "three four", "cinq six", "sieben acht"]


def test_a_quote_across_a_sentence_end_is_one_span() -> None:
    text = "“We will rebuild. We always have,” she said. Then the meeting ended."
    (span,) = quote_spans(text)
    assert text[span.start : span.end] == "We will rebuild. We always have,"


def test_an_unclosed_mark_ends_at_the_paragraph_and_a_stray_closing_mark_is_dropped() -> None:
    text = 'The "open mark never closes here.\n\nNext paragraph ” stray, and “a real quote” here.'
    assert [text[s.start : s.end] for s in quote_spans(text)] == ["a real quote"]


def test_a_quote_running_over_paragraphs_ends_each_paragraph_where_the_next_reopens_it() -> None:
    text = (
        'Jane Roe said, "We counted twice.\n\n"Now the figure is 275," she added.\n\n"Unclosed, not reopened.\n\nEnd.'
    )
    assert [text[s.start : s.end] for s in quote_spans(text)] == ["We counted twice.", "Now the figure is 275,"]


def test_the_paragraph_that_reopens_a_running_quote_keeps_its_speaker() -> None:
    text = 'Jane Roe said, "We counted twice.\n\n"Now the figure is 275," she added.'
    quotes = article_quotes(analysed("a", text, {"Jane Roe": "PERSON"}), lambda e: (e.text, e.text))
    assert [(q.text, q.speaker, q.via) for q in quotes] == [
        ("We counted twice.", "Jane Roe", "name"),
        ("Now the figure is 275,", "Jane Roe", "continued"),  # "she" has no person in its own paragraph
    ]


def test_marks_without_words_between_are_no_quote() -> None:
    assert quote_spans('a "" b “ ” c "…"') == []


# --- speakers ----------------------------------------------------------------------------------------------------


def test_speakers_from_said_x_x_told_according_to_x_added_a_pronoun_and_none() -> None:
    index = quote_index(three_outlets())
    assert _quotes(index, "harbour") == [
        ("We will rebuild every home that was lost, and we will do it quickly,", "Jane Roe", "name"),
        ("Nobody will be left behind.", "Jane Roe", "continued"),  # right after her attributed quote
        ("catastrophic failure of planning", "Jane Roe", "name"),  # a partial quote: "Roe called … a “…”"
        ("The water is going down,", "Tom Reed", "pronoun"),  # "he said": the person named before it
        ("It is too early to say,", "", ""),  # "one resident": no name, no speaker
    ]
    assert _quotes(index, "coast") == [
        ("We will rebuild every house that was lost, and we will do it fast.", "Jane Roe", "name"),  # X told …: “…”
        ("catastrophic", "Jane Roe", "name"),
        ("The plan failed the people of this city. We should have acted sooner.", "Jane Roe", "pronoun"),
    ]
    assert _quotes(index, "valley") == [
        ("The plan failed the people of this city. We should have acted much sooner,", "Jane Roe", "name"),  # added
        ("the water is going down", "Tom Reed", "name"),  # according to X
    ]


def test_a_pronoun_with_no_person_before_it_in_its_paragraph_is_unknown() -> None:
    text = "Jane Roe spoke first.\n\n“We are ready,” she said."
    (quote,) = article_quotes(analysed("a", text, {"Jane Roe": "PERSON"}), lambda e: (e.text, e.text))
    assert quote.speaker_key is None and quote.via == ""


def test_a_quote_that_is_a_paragraph_of_its_own_continues_the_speaker_of_the_paragraph_before() -> None:
    text = "“We lost everything,” Jane Roe said.\n\n\n\n“We have no water.”\n\nTom Reed arrived. “Nothing,” it read."
    names = {"Jane Roe": "PERSON", "Tom Reed": "PERSON"}
    quotes = article_quotes(analysed("a", text, names), lambda e: (e.text, e.text))
    assert [(q.text, q.speaker, q.via) for q in quotes] == [
        ("We lost everything,", "Jane Roe", "name"),
        ("We have no water.", "Jane Roe", "continued"),  # blank lines between paragraphs count once
        ("Nothing,", "", ""),  # not a paragraph of its own, and another person is named before it
    ]


def test_the_person_beside_an_organisation_is_the_speaker() -> None:
    text = "“We are ready,” Jane Roe, a manager at Acme Corp, said. Tom Reed of Acme Corp said, “So are we.”"
    names = {"Jane Roe": "PERSON", "Tom Reed": "PERSON", "Acme Corp": "ORG"}
    quotes = article_quotes(analysed("a", text, names), lambda e: (e.text, e.text))
    assert [q.speaker for q in quotes] == ["Jane Roe", "Tom Reed"]


def test_a_person_named_inside_a_quote_is_not_the_pronouns_speaker() -> None:
    text = "Tom Reed arrived. “I called Jane Roe at once,” he said."
    (quote,) = article_quotes(
        analysed("a", text, {"Jane Roe": "PERSON", "Tom Reed": "PERSON"}), lambda e: (e.text, e.text)
    )
    assert quote.speaker == "Tom Reed"


def test_titles_and_alias_groups_make_one_speaker_of_every_form_of_a_name() -> None:
    assert strip_title("President Jane Roe") == "Jane Roe" and strip_title("Foreign Minister Li Wei") == "Li Wei"
    assert strip_title("General") == "General"  # a title alone stays
    keys = {q.speaker_key for q in quote_index(three_outlets()).quotes if q.speaker == "Jane Roe"}
    assert len(keys) == 1  # "Mayor Jane Roe", "Jane Roe", "Roe", "President Jane Roe", "she"


# --- pairs across outlets -----------------------------------------------------------------------------------------


def test_the_same_speaker_in_other_outlets_pairs_by_shared_words_a_partial_quote_with_the_full_one() -> None:
    index = quote_index(three_outlets())
    rebuild = index.of_claim(ClaimRef("harbour", 1))[0]
    pairs = index.counterparts(rebuild)
    assert [(p.second.article_id, p.kind) for p in pairs] == [("coast", "differs")]  # "The plan …" shares too little
    (partial_pair,) = index.counterparts(index.of_claim(ClaimRef("coast", 2))[0])  # “catastrophic”
    assert partial_pair.second.text == "catastrophic failure of planning" and partial_pair.kind == "partial"
    assert partial_pair.overlap == 1.0
    plan = index.of_claim(ClaimRef("coast", 3))[0]
    assert [(p.second.article_id, p.kind) for p in index.counterparts(plan)] == [("valley", "differs")]


def test_a_quote_without_a_speaker_is_listed_but_never_paired() -> None:
    index = quote_index(three_outlets())
    (unknown,) = [q for q in index.quotes if q.speaker_key is None]
    assert index.of_claim(unknown.ref) == [unknown] and index.counterparts(unknown) == []


def test_quotes_are_computed_once_per_analysis_object() -> None:
    corpus = three_outlets()
    assert quote_index(corpus) is quote_index(corpus)
    assert quote_index(three_outlets()) is not quote_index(corpus)


# --- the word diff ------------------------------------------------------------------------------------------------


def test_word_diff_says_changed_added_and_dropped_words_ignoring_case_and_punctuation_around_words() -> None:
    parts = word_diff("We will rebuild every home, Now!", "we will rebuild every single house now")
    assert parts == (
        DiffPart("same", "We will rebuild every", "we will rebuild every"),
        DiffPart("changed", "home,", "single house"),
        DiffPart("same", "Now!", "now"),
    )
    assert marked(word_diff("a b c d", "a x c d e")) == "a [~b → x~] c d {+e+}"
    assert marked(word_diff("a b c d", "a c d")) == "a [-b-] c d"
    assert partial(word_diff("a catastrophic failure", "catastrophic")) and not partial(word_diff("a b c", "a x c"))


# --- the brief ----------------------------------------------------------------------------------------------------


def _brief():
    return build_brief(three_outlets(), {}, today=datetime.date(2026, 12, 7))


def test_markdown_brief_lists_quotes_whose_wording_differs_with_the_marked_difference() -> None:
    text = render_markdown(_brief())
    section = text.split("## Quotes that differ across outlets", 1)[1]
    assert "### Jane Roe" in section
    assert "- Harbour Times, claim 2: “We will rebuild every home that was lost, and we will do it quickly,”" in section
    assert "- Coast Daily, claim 2: “We will rebuild every house that was lost, and we will do it fast.”" in section
    assert "Difference: We will rebuild every \\[\\~home → house\\~\\]" in section
    assert "{+much+}" in section  # "acted much sooner" in Valley News
    assert "catastrophic”" not in section.replace("failure of planning", "")  # a partial quote is not a difference


def test_json_brief_has_a_quotes_list_with_both_wordings_and_the_diff_runs() -> None:
    document = brief_to_dict(_brief())
    quotes = document["quotes"]
    assert [(q["first"]["source"], q["second"]["source"]) for q in quotes] == [
        ("Harbour Times", "Coast Daily"),
        ("Coast Daily", "Valley News"),
    ]
    first = quotes[0]
    assert first["speaker"] == "Jane Roe" and first["first"]["claim_number"] == 2
    assert {"kind": "changed", "old": "home", "new": "house"} in first["words"]
    assert first["diff"].startswith("We will rebuild every [~home → house~]")
    assert '"quotes": [' in render_json(_brief())


def test_copies_of_one_wording_are_listed_once_with_every_outlet_that_carries_it() -> None:
    copy = analysed("shore", COAST, NAMES, "Shore Post")  # the Coast Daily story, syndicated
    corpus = CorpusAnalysis((*three_outlets().articles, copy))
    brief = build_brief(corpus, {}, today=datetime.date(2026, 12, 7))
    assert [(q.first.source, q.first.also, q.second.source, q.second.also) for q in brief.quotes] == [
        ("Harbour Times", (), "Coast Daily", ("Shore Post",)),
        ("Coast Daily", ("Shore Post",), "Valley News", ()),
    ]
    assert "- Coast Daily, claim 4 (also Shore Post): “The plan failed" in render_markdown(brief)
    assert brief_to_dict(brief)["quotes"][1]["first"]["also"] == ["Shore Post"]


def test_a_brief_without_differing_quotes_has_no_section_and_an_empty_list() -> None:
    corpus = CorpusAnalysis((analysed("harbour", HARBOUR, NAMES),))
    brief = build_brief(corpus, {}, today=datetime.date(2026, 12, 7))
    assert "Quotes that differ" not in render_markdown(brief) and brief_to_dict(brief)["quotes"] == []


# --- the reader's Q and the command --------------------------------------------------------------------------------

FILES = {
    "01_harbour.txt": "---\noutlet: Harbour Times\n---\n"
    + HARBOUR.replace("Storm floods the port district.", "Storm floods the port"),
    "02_coast.txt": "---\noutlet: Coast Daily\n---\n"
    + COAST.replace("Westhaven counts the cost.", "Westhaven counts the cost"),
    "03_valley.txt": "---\noutlet: Valley News\n---\n"
    + VALLEY.replace("Mayor promises to rebuild.", "Mayor promises to rebuild"),
}


@pytest.fixture
def quotes_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from factdesk.annotations.storage.store import Store
    from factdesk.annotations.text.corpus import load_corpus
    from factdesk.tui.app import FactdeskApp

    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))

    def make() -> FactdeskApp:
        return FactdeskApp(load_corpus([folder]), Store.open(Path("marks.json")), reviewer="alice")

    return make


def test_factdesk_export_lists_the_differing_quotes_in_markdown_and_json(tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    env = {
        **os.environ,
        **{v: str(tmp_path / v.lower()) for v in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")},
    }

    def export(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "factdesk", "export", "--db", str(tmp_path / "marks.json"), *args, str(folder)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    markdown = export()
    assert "## Quotes that differ across outlets" in markdown and "### Jane Roe" in markdown
    assert "\\[\\~home → house\\~\\]" in markdown
    quotes = json.loads(export("--format", "json"))["quotes"]
    assert [(q["first"]["source"], q["second"]["source"]) for q in quotes] == [
        ("Harbour Times", "Coast Daily"),
        ("Coast Daily", "Valley News"),
    ]


async def _to_quote(pilot) -> object:
    """Wait for the analysis; put the cursor on Harbour Times' "We will rebuild …" claim."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    reader = pilot.app.reader()
    for _ in range(6):
        if "We will rebuild" in _current_text(reader):
            break
        await pilot.press("j")
        await pilot.pause()
    assert "We will rebuild" in _current_text(reader)
    return reader


def _current_text(reader) -> str:
    ref = reader.view.current_ref
    analysis = reader.view.analysis
    return analysis.sentence_text(analysis.sentence(ref.sentence)) if ref else ""


def _screen_text(screen) -> str:
    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    for static in screen.query("Static"):
        console.print(static.render())
    return console.export_text()


async def test_q_on_a_claim_with_a_quote_shows_both_outlets_wording_and_escape_closes(quotes_app) -> None:
    async with quotes_app().run_test(size=(160, 48)) as pilot:
        reader = await _to_quote(pilot)
        before = reader.view.current_ref
        await pilot.press("Q")
        await pilot.pause()
        screen = pilot.app.screen
        assert type(screen).__name__ == "QuotesScreen"
        shown = " ".join(_screen_text(screen).split())
        assert "Jane Roe (named) · Harbour Times, claim 1" in shown, shown
        assert "≈ Coast Daily, claim 1" in shown and "wording differs" in shown
        assert "this “We will rebuild every [~home~] that was lost, and we will do it [~quickly,~]”" in shown
        assert "other “We will rebuild every [~house~] that was lost, and we will do it [~fast.~]”" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is reader and reader.view.current_ref == before


async def test_enter_on_a_pair_opens_the_other_outlets_quote_in_the_other_pane(quotes_app) -> None:
    async with quotes_app().run_test(size=(160, 48)) as pilot:
        reader = await _to_quote(pilot)
        await pilot.press("Q")
        await pilot.pause()
        await pilot.press("enter")  # the first pair (Coast Daily) has the focus
        await pilot.pause()
        assert pilot.app.screen is reader
        other = reader.panes[1].view
        assert other.analysis.article.source == "Coast Daily"
        ref = other.current_ref
        assert "We will rebuild every house" in other.analysis.sentence_text(other.analysis.sentence(ref.sentence))
        assert "quote in Coast Daily" in str(reader.query_one("#status-line").render())


async def test_q_on_a_claim_without_a_quote_says_so_on_the_status_line(quotes_app) -> None:
    async with quotes_app().run_test(size=(160, 48)) as pilot:
        reader = await _to_quote(pilot)
        while not _current_text(reader).startswith("Fire chief"):  # "… said crews had reached every street."
            await pilot.press("j")
            await pilot.pause()
        await pilot.press("Q")
        await pilot.pause()
        assert pilot.app.screen is reader
        assert "no direct quote in this claim" in str(reader.query_one("#status-line").render())


@pytest.mark.slow
async def test_q_is_a_reader_key_listed_in_the_help_and_the_palette(quotes_app) -> None:
    async with quotes_app().run_test(size=(160, 48)) as pilot:
        await _to_quote(pilot)
        reader = pilot.app.screen
        assert "quotes" in {binding.action for (_, binding, _, _) in reader.active_bindings.values()}
        await pilot.press("question_mark")
        await pilot.pause()
        from rich.console import Console

        console = Console(width=120, record=True, file=io.StringIO())
        console.print(pilot.app.screen.query_one("#help-body Static").content)
        assert re.search(r"^Q +The claim's quotes beside the same speaker's words", console.export_text(), re.M)
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"claim's quotes")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "QuotesScreen"


def test_quotes_screen_80x24(snap_compare, quotes_app) -> None:
    async def open_quotes(pilot) -> None:
        await _to_quote(pilot)
        await pilot.press("Q")
        await pilot.pause()

    assert snap_compare(quotes_app(), terminal_size=(80, 24), run_before=open_quotes)


def test_quotes_screen_160x48(snap_compare, quotes_app) -> None:
    async def open_quotes(pilot) -> None:
        await _to_quote(pilot)
        await pilot.press("Q")
        await pilot.pause()

    assert snap_compare(quotes_app(), terminal_size=(160, 48), run_before=open_quotes)


# --- cost on hostile text -----------------------------------------------------------------------------------------

GROWTH = 8.0  # as tests/test_linear_time.py: linear ~4 on four times the input, quadratic ~16
JITTER = 0.02


def _cpu(work) -> float:
    best = float("inf")
    for _ in range(3):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            work()
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


def _quotes_of(text: str, names: dict[str, str]) -> int:
    corpus = CorpusAnalysis((analysed("x", text, names), analysed("y", text, names)))
    index = QuoteIndex(corpus)
    pairs = index.differing_pairs()
    return len(index.quotes) + len(pairs)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda n: '"' * n, id="a line of quote marks"),
        pytest.param(lambda n: "“" * n + "”" * n, id="curly marks opening then closing"),
        pytest.param(lambda n: "Jane Roe said “" + "word and more words " * n, id="an unbalanced quote"),
        pytest.param(lambda n: 'Jane Roe said, "we go on\n\n' * (n // 8), id="a quote running over every paragraph"),
        pytest.param(lambda n: '"We will go on," he said. Jane Roe said "we will." ' * (n // 16), id="many quotes"),
        pytest.param(
            lambda n: "".join(f"“Plan w{i} w{i + 1} w{i + 2} holds,” said Jane Roe. " for i in range(n // 24)),
            id="many different quotes of one speaker",
        ),
    ],
)
def test_recognising_quotes_is_linear_on_hostile_text(make) -> None:
    names = {"Jane Roe": "PERSON"}
    small_text, large_text = make(2500), make(10000)
    small = _cpu(lambda: _quotes_of(small_text, names))
    large = _cpu(lambda: _quotes_of(large_text, names))
    assert large <= GROWTH * small + JITTER, f"{small:.3f} s on n, {large:.3f} s on 4n"


def test_a_megabyte_article_with_an_unbalanced_quote_is_read_fast() -> None:
    text = ("Jane Roe said “the water is going down and " + "more words " * 90 + ".\n") * 1000
    assert len(text) > 1_000_000
    assert _cpu(lambda: _quotes_of(text, {"Jane Roe": "PERSON"})) < 5.0
