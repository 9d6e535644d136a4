"""A long article costs the reader only what is on the screen: no per-call rebuilds on the render path.

Why: one screen of a 60,000-sentence article took 563 ms because ``ArticleAnalysis.claims`` was rebuilt from every
sentence for every sentence of every drawn line, and each drawn line copied the rest of the article's highlight
spans; a 10 MB article took over a second to lay out word by word. These tests count what a screen touches (never
wall time: ``bench/long_article.py`` times it) and hold every shortcut to the plain computation.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from factdesk.annotations.compare.crossref import CrossIndex
from factdesk.annotations.model import Article, ArticleAnalysis, CorpusAnalysis, Entity, NumberMention, Sentence
from factdesk.annotations.review.claim_numbers import claim_number
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage.store import Store
from factdesk.tui import textlayout
from factdesk.tui.textlayout import layout_article


class CountingTuple(tuple):
    """A tuple that counts how often it is walked whole (``iter``): the O(article) path."""

    walks = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        CountingTuple.walks += 1
        return super().__iter__()


class CountingList(list):
    """A list that records the length of every slice taken of it."""

    def __init__(self, items) -> None:  # type: ignore[no-untyped-def]
        super().__init__(items)
        self.slices: list[int] = []

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        found = super().__getitem__(key)
        if isinstance(key, slice):
            self.slices.append(len(found))
        return found


def long_analysis(sentence_count: int, sentences_type: type = tuple) -> ArticleAnalysis:
    """An analysed article of ``sentence_count`` sentences, five to a paragraph, every seventh a heading, each
    with a name and a figure (built by hand: no analysis runs)."""
    parts: list[str] = []
    sentences: list[Sentence] = []
    entities: list[Entity] = []
    numbers: list[NumberMention] = []
    position = 0
    for index in range(sentence_count):
        if index and index % 5 == 0:
            parts.append("\n\n")
            position += 2
        elif index:
            parts.append(" ")
            position += 1
        body = f"Officials in Homs said {index + 100} people had fled the fighting by Tuesday"
        sentence = body + "."
        kind = "heading" if index % 7 == 3 else "claim"
        sentences.append(Sentence(index, position, position + len(sentence), kind))
        entities.append(Entity(position + 13, position + 17, "Homs", "LOC"))
        figure = str(index + 100)
        at = position + body.index(figure)
        numbers.append(NumberMention(at, at + len(figure), figure, float(index + 100)))
        parts.append(sentence)
        position += len(sentence)
    text = "".join(parts)
    article = Article(id="long", path=Path("long.txt"), text=text, title="Long", source="Wire")
    return ArticleAnalysis(article, sentences_type(sentences), tuple(entities), tuple(numbers))


# --- the record: computed once, same answers as the plain scans ----------------------------------------------


def test_claims_are_computed_once_and_are_the_plain_filter() -> None:
    analysis = long_analysis(300)
    claims = analysis.claims
    assert claims is analysis.claims  # the same object: not rebuilt per call
    assert claims == tuple(s for s in analysis.sentences if s.kind == "claim")


def test_claims_cached_on_one_record_leave_equality_and_hashing_to_the_fields() -> None:
    first, second = long_analysis(50), long_analysis(50)
    first.claims, first.claim_position(3)  # fill the caches on one of the two
    assert first == second and hash(first) == hash(second)
    assert first != long_analysis(51)


def test_claim_position_is_the_plain_scan() -> None:
    analysis = long_analysis(400)

    def plain(sentence_index: int) -> int | None:
        for position, sentence in enumerate(analysis.claims):
            if sentence.index == sentence_index:
                return position
        return None

    for index in range(-2, 405):
        assert analysis.claim_position(index) == plain(index)
        assert claim_number(analysis, index) == (None if plain(index) is None else plain(index) + 1)


def test_by_id_is_the_plain_scan_and_the_first_of_two_with_one_id() -> None:
    one, two = long_analysis(3), long_analysis(4)
    again = ArticleAnalysis(one.article, two.sentences, (), ())  # the same article id twice: the first wins
    corpus = CorpusAnalysis(articles=(one, two, again))
    assert corpus.by_id("long") is one
    assert corpus.by_id("missing") is None


# --- the reader: one screen touches the screen, not the article --------------------------------------------


@pytest.fixture
def review_of(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(analysis: ArticleAnalysis) -> tuple[Review, CrossIndex]:
        review = Review(CorpusAnalysis(articles=(analysis,)), Store.open(tmp_path / "marks.json"), "alice")
        return review, CrossIndex(review.analysis)

    return make


def _one_view_app():  # type: ignore[no-untyped-def]
    """An app holding one ArticleView, with factdesk's stylesheet and theme variables (as the reader has them)."""
    from textual.app import App, ComposeResult

    from factdesk.tui.theming import default_variables, stylesheet
    from factdesk.tui.widgets.article_view import ArticleView

    class OneView(App[None]):
        CSS_PATH = str(stylesheet())

        def get_theme_variable_defaults(self) -> dict[str, str]:
            return default_variables()

        def compose(self) -> ComposeResult:
            yield ArticleView(id="article")

    return OneView()


async def _screen_of(analysis: ArticleAnalysis, review: Review, cross: CrossIndex):  # type: ignore[no-untyped-def]
    """Show ``analysis`` in an ArticleView, cursor in the middle; return what rendering one cold screen walked."""
    from factdesk.tui.widgets.article_view import ArticleView

    app = _one_view_app()
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(ArticleView)
        article = review.analysis.articles[0]
        view.show(article, review, cross, cursor=len(article.claims) // 2)
        view.focus()
        await pilot.pause()
        counting = CountingList(view._spans)
        view._spans = counting
        view._cache.clear()
        CountingTuple.walks = 0
        strips = [view.render_line(y) for y in range(view.scrollable_content_region.height)]
        assert any(strip.text.strip() for strip in strips), "the screen is blank"
        position = view.position_of(article.claims[-1].index)
        assert position == len(article.claims) - 1
        return CountingTuple.walks, counting.slices, strips


async def test_a_screen_of_a_long_article_never_walks_its_sentences(review_of) -> None:  # type: ignore[no-untyped-def]
    analysis = long_analysis(20_000, CountingTuple)
    walks, _, _ = await _screen_of(analysis, *review_of(analysis))
    assert walks == 0  # the claims were rebuilt from every sentence for each drawn sentence


async def test_a_drawn_line_reads_only_the_spans_near_it(review_of) -> None:  # type: ignore[no-untyped-def]
    analysis = long_analysis(20_000)
    _, slices, _ = await _screen_of(analysis, *review_of(analysis))
    assert slices and max(slices) <= 20  # a line holds a few names and figures; not the rest of the article's 40,000


def test_the_span_look_up_finds_what_a_filter_over_all_spans_finds() -> None:
    """The bounded span look-up styles exactly what a filter over all spans would."""
    from factdesk.tui.widgets.article_view import ArticleView

    analysis = long_analysis(2_000)
    view = ArticleView()
    spans = sorted(
        [(e.start, e.end) for e in analysis.entities] + [(n.start, n.end) for n in analysis.numbers],
    )
    view._spans = [type("S", (), {"start": s, "end": e, "component": ""})() for s, e in spans]  # type: ignore[misc]
    view._span_starts = [s for s, _ in spans]
    rng = random.Random(5)
    for _ in range(300):
        start = rng.randrange(len(analysis.article.text))
        end = start + rng.randrange(1, 200)
        found = [(s.start, s.end) for s in view._spans_between(start, end)]
        assert found == [(s, e) for s, e in spans if s < end and e > start and s >= start - 200]


# --- layout: the one-regex wrap is the word-by-word wrap ---------------------------------------------------


def _plain_layout(text: str, paragraphs: list[tuple[int, int]], width: int) -> list:
    lines: list = []
    for number, (start, end) in enumerate(paragraphs):
        if number:
            lines.append(None)
        lines.extend(textlayout._wrap_words(text, start, end, max(width, 8), None))
    return lines


WORDS = ["a", "the", "officials", "said", "1,200", "Homs", "—", "“quoted”", "café", "x" * 30, "y" * 95, "naïve"]
GAPS = [" ", " ", " ", "  ", "\n", "\t", " \n ", "\u00a0"]
ODD = ["日本", "\u200d", "e\u0301", "\x07", "👍", "\ufe0f"]  # wide, joiners, combining, a control: word by word


@pytest.mark.parametrize("seed", range(6))
def test_wrapping_a_paragraph_in_one_regex_gives_the_word_by_word_lines(seed: int) -> None:
    rng = random.Random(seed)
    words = WORDS + (ODD if seed % 2 else [])
    paragraphs, parts, position = [], [], 0
    for _ in range(40):
        body = (
            rng.choice(["", " "])
            + "".join(rng.choice(words) + rng.choice(GAPS) for _ in range(rng.randrange(1, 60))).rstrip()
        )
        body = body.strip() or "x"
        paragraphs.append((position, position + len(body)))
        parts.append(body + "\n\n")
        position += len(body) + 2
    text = "".join(parts)
    for width in (8, 9, 17, 40, 77, 154):
        assert layout_article(text, paragraphs, (), width).lines == _plain_layout(text, paragraphs, width)


def test_a_paragraph_with_a_wide_character_is_wrapped_by_its_cells() -> None:
    text = "日本語 " * 30
    layout = layout_article(text, [(0, len(text) - 1)], (), 20)
    assert all(line is None or textlayout._width(text[line.start : line.end]) <= 20 for line in layout.lines)
    assert layout.lines == _plain_layout(text, [(0, len(text) - 1)], 20)


# --- names: the forward walk is the scan of every mention ------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_mentions_inside_an_extended_name_are_those_of_the_whole_scan(seed: int) -> None:
    from factdesk.annotations.ner.document import Mention
    from factdesk.annotations.ner.person_names import _starting_inside

    rng = random.Random(seed)
    mentions = []
    for _ in range(400):
        sent, i = rng.randrange(20), rng.randrange(30)
        mentions.append(Mention(sent, i, i + rng.randrange(1, 5), rng.choice(["PERSON", "ORG"]), 0.0))
    ordered = sorted(mentions, key=lambda x: (x.sent, x.i))
    for number, m in enumerate(ordered):
        end = m.j + rng.randrange(0, 4)
        plain = [x for x in ordered if x.sent == m.sent and m.i < x.i < end <= x.j]
        assert _starting_inside(ordered, number, end) == plain


# --- the brief: a figure's claim is looked up, not searched for ------------------------------------------------


def test_sentence_by_index_is_the_plain_scan() -> None:
    analysis = long_analysis(300)
    shuffled = list(analysis.sentences)
    random.Random(2).shuffle(shuffled)
    renumbered = ArticleAnalysis(analysis.article, (*shuffled, Sentence(5, 0, 3, "claim")), (), ())  # 5 twice
    for record in (analysis, renumbered):
        for index in range(-3, 310):
            assert record.sentence(index) == next((s for s in record.sentences if s.index == index), None)


def test_the_brief_reads_each_conflicting_figure_without_walking_the_article() -> None:
    from factdesk.annotations.export.build import _conflicts
    from factdesk.annotations.model import ClaimRef, Conflict, ConflictMention

    analysis = long_analysis(5_000, CountingTuple)
    mentions = tuple(ConflictMention(ClaimRef("long", n), analysis.numbers[n]) for n in range(0, 5_000, 7))
    conflicts = tuple(Conflict(f"conflict {n}", mentions[n : n + 2]) for n in range(0, len(mentions) - 1))
    corpus = CorpusAnalysis(articles=(analysis,), conflicts=conflicts)
    CountingTuple.walks = 0
    brief_conflicts = _conflicts(corpus)
    assert CountingTuple.walks <= 2  # the claims (once); a walk per figure made a long article's brief quadratic
    first = brief_conflicts[0].figures[0]
    assert first.claim_text == analysis.sentence_text(analysis.sentences[0]) and first.claim_number == 1


# --- the comparison's look-ups: the sources of a claim in corpus order, without walking the corpus -------------


def test_other_and_independent_sources_are_those_of_the_walk_over_every_article() -> None:
    from factdesk.annotations.model import ClaimRef, CopyGroup, Match

    rng = random.Random(9)
    articles = []
    for number in range(40):
        text = f"Officials said {number} people fled. Others said more."
        article = Article(id=f"a{number:02d}", path=Path(f"a{number}.txt"), text=text, title="t", source=f"S{number}")
        articles.append(
            ArticleAnalysis(article, (Sentence(0, 0, 20, "claim"), Sentence(1, 21, len(text), "claim")), (), ())
        )
    ids = [a.article.id for a in articles]
    matches = tuple(
        Match(ClaimRef(rng.choice(ids), rng.randrange(2)), ClaimRef(rng.choice(ids), rng.randrange(2)), rng.random())
        for _ in range(300)
    )
    groups = (CopyGroup(tuple(ids[3:7]), 4), CopyGroup(tuple(ids[20:22]), 2))
    corpus = CorpusAnalysis(articles=tuple(articles), matches=matches, copy_groups=groups)
    cross = CrossIndex(corpus)

    def plain_other(ref: ClaimRef) -> list[str]:
        found = {other.article for other, _ in cross.matches(ref)}
        return [a.article.source for a in corpus.articles if a.article.id in found]

    def plain_independent(ref: ClaimRef) -> list[str]:
        found = {other.article for other, _ in cross.matches(ref)}
        own = cross.independence.key(ref.article)
        names: dict[str, list[str]] = {}
        for analysis in corpus.articles:
            if analysis.article.id in found:
                names.setdefault(cross.independence.key(analysis.article.id), []).append(analysis.article.source)
        out: list[str] = []
        for key, sources in names.items():
            if key == own:
                out.extend(f"{source} (copy of this article)" for source in sources)
            elif len(sources) > 1:
                out.append(" = ".join(sources) + " (copies)")
            else:
                out.append(sources[0])
        return out

    for article_id in ids:
        for sentence in (0, 1):
            ref = ClaimRef(article_id, sentence)
            assert cross.other_sources(ref) == plain_other(ref)
            assert cross.independent_sources(ref) == plain_independent(ref)


async def test_showing_an_article_again_does_not_split_its_paragraphs_again(
    review_of, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Text first, then the analysis (and a pane switch back to it): the paragraphs are found once per article."""
    from factdesk.tui.widgets import article_view

    analysis = long_analysis(3_000)
    review, cross = review_of(analysis)
    calls: list[int] = []
    plain = article_view.paragraphs
    monkeypatch.setattr(article_view, "paragraphs", lambda text: calls.append(len(text)) or plain(text))
    app = _one_view_app()
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(article_view.ArticleView)
        view.show(ArticleAnalysis(analysis.article, (), (), ()), None, None)  # the text alone (as show_text does)
        await pilot.pause()
        view.show(review.analysis.articles[0], review, cross)
        view.show(review.analysis.articles[0], review, cross)
        await pilot.pause()
        assert view._paragraphs == plain(analysis.article.text)
    assert len(calls) <= 1
