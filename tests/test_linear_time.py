"""Every analysis step grows near-linearly with its input, and its shortcuts answer what the plain ways answer.

Why: one article repeating a short sentence 20,000 times (780 KB) once ran past 300 s and 22.9 GB (figure pairs
inside the article), and a 222 KB run-on sentence took 16.8 s (the text before every date was searched again).
These tests are not timed benchmarks: each runs a step on an input of size n and on one of size 4n and compares
the two CPU times — about 4 when the step is linear, about 16 when it is quadratic; the bound is 8 (plus a few
milliseconds of jitter). Counts are compared where there is something to count. The inputs are small: the whole
file runs in seconds (``bench/pathological.py`` times the full-size cases through the command).
"""

from __future__ import annotations

import gc
import random
import time
from collections import defaultdict
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import TypeVar

import pytest
from builders import synthetic

from factdesk.annotations.compare import quantities
from factdesk.annotations.compare.conflicts import _said, find_conflicts, group_key, story_places
from factdesk.annotations.compare.conflicts import apart as _apart
from factdesk.annotations.compare.features import build_table
from factdesk.annotations.compare.figure_times import superseded
from factdesk.annotations.compare.figures import figure_records
from factdesk.annotations.compare.keys import variant_map
from factdesk.annotations.compare.matching import candidate_pairs, select
from factdesk.annotations.model import Article, ArticleAnalysis, CorpusAnalysis
from factdesk.annotations.ner.aliases import group_aliases
from factdesk.annotations.ner.entities import recognize_corpus
from factdesk.annotations.pipeline.analysis import analyze_articles
from factdesk.annotations.text.claims import attribution
from factdesk.annotations.text.corpus import article_id
from factdesk.annotations.text.dates import find_dates
from factdesk.annotations.text.numbers import find_numbers
from factdesk.annotations.text.segment import segment

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_b2a9280c56cfe527.txt"
REPEATED = "Homs, 1,200 people, Assad, December 9. "
GROWTH = 8.0  # the most a step may slow down on four times the input (linear: ~4, quadratic: ~16)
JITTER = 0.02  # seconds of CPU time a measurement may be off by

T = TypeVar("T")


def _article(text: str, name: str) -> Article:
    return Article(id=article_id(text), path=Path(f"{name}.txt"), text=text, title=name, source=name)


def _cpu(work: Callable[[], object], repeats: int = 3) -> float:
    """The least CPU time of ``repeats`` runs of ``work`` (this process only; the collector paused)."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            work()
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


def _assert_linear(name: str, small: float, large: float) -> None:
    assert large <= GROWTH * small + JITTER, f"{name}: {small:.3f} s on n, {large:.3f} s on 4n (quadratic?)"


def _stage_times(texts: list[str]) -> dict[str, float]:
    """CPU time of each analysis step over the articles (and the seed article), in pipeline order."""
    articles = [_article(text, f"hostile{i}") for i, text in enumerate(texts)]
    articles.append(_article(SEED.read_text(encoding="utf-8"), "seed"))
    texts = [a.text for a in articles]
    times: dict[str, float] = {}

    def step(name: str, work: Callable[[], T]) -> T:
        result: list[T] = []
        times[name] = _cpu(lambda: result.append(work()), repeats=2)
        return result[-1]

    sentences = step("segment", lambda: [segment(text) for text in texts])
    dates = step("dates", lambda: [find_dates(text) for text in texts])
    entities = step("names", lambda: recognize_corpus(texts, sentences, dates))
    numbers = step(
        "numbers", lambda: [tuple(find_numbers(text, dates=d)) for text, d in zip(texts, dates, strict=True)]
    )
    aliases = step("aliases", lambda: tuple(group_aliases(entities)))
    corpus = CorpusAnalysis(
        articles=tuple(
            ArticleAnalysis(article, tuple(s), tuple(e), n)
            for article, s, e, n in zip(articles, sentences, entities, numbers, strict=True)
        ),
        aliases=aliases,
    )
    table = step("features", lambda: build_table(corpus))
    pairs = step("candidates", lambda: candidate_pairs(table))
    matches = step("selection", lambda: select(table, pairs))
    step("conflicts", lambda: find_conflicts(corpus, table, matches, pairs))
    return times


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Load the models once, so that no measurement includes it."""
    analyze_articles([_article(REPEATED * 3, "warm")])


@pytest.mark.slow  # ~10 s: every stage at n and 4n
def test_every_step_on_one_repeated_sentence_grows_linearly() -> None:
    """The issue's article: one line with a place, a figure, a name and a date, repeated (here 500 and 2,000 times)."""
    small, large = _stage_times([REPEATED * 500]), _stage_times([REPEATED * 2000])
    for name in small:
        _assert_linear(name, small[name], large[name])


@pytest.mark.slow  # ~10 s: every stage at n and 4n
def test_every_step_on_a_run_on_sentence_grows_linearly() -> None:
    """One sentence of figures, names and dates joined by commas, with no full stop until the end."""
    unit = "in Homs 1,200 people fled on December 9, Assad said, "
    small, large = _stage_times([unit * 250 + "then."]), _stage_times([unit * 1000 + "then."])
    for name in small:
        _assert_linear(name, small[name], large[name])


def _sentence_analysis(text: str) -> ArticleAnalysis:
    return analyze_articles([_article(text, "run-on")]).articles[0]


@pytest.mark.parametrize(
    "unit",
    [
        "in Homs 1,200 people fled on December 9, Assad said, over the past 3 days, ",  # dates and durations
        "1,200, 3,400, 5,600, ",  # figures with no word near them: the window next to each holds too few
    ],
)
@pytest.mark.slow
def test_the_figures_of_a_run_on_sentence_are_read_in_linear_time(unit: str) -> None:
    analyses = [_sentence_analysis("Rebels said " + unit * count + "then.") for count in (400, 1600)]
    times = [_cpu(lambda a=a: [quantities.quantities_in(a, s) for s in a.sentences]) for a in analyses]
    assert max(len(a.sentences) for a in analyses) <= 2  # one run-on sentence (and perhaps a heading)
    _assert_linear("quantities_in", *times)


def _timed_inside(monkeypatch: pytest.MonkeyPatch, module: object, name: str, work: Callable[[], object]) -> float:
    """CPU time spent in ``module.name`` while ``work`` runs (least of three runs)."""
    original = getattr(module, name)
    spent = [0.0]

    def timed(*args, **kwargs):
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - started

    monkeypatch.setattr(module, name, timed)
    best = float("inf")
    for _ in range(3):
        spent[0] = 0.0
        gc.disable()
        try:
            work()
        finally:
            gc.enable()
        best = min(best, spent[0])
    monkeypatch.setattr(module, name, original)
    return best


def _names_run(text: str) -> Callable[[], object]:
    sentences = segment(text)
    return lambda: recognize_corpus([text], [sentences])


def test_names_are_kept_out_of_dates_in_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import factdesk.annotations.ner as ner

    runs = [_names_run(REPEATED * count) for count in (500, 2000)]
    _assert_linear("to_entities", *(_timed_inside(monkeypatch, ner, "to_entities", run) for run in runs))


def test_names_sharing_a_first_word_are_propagated_in_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import factdesk.annotations.ner as ner

    def text(count: int) -> str:
        names = [f"Mal{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676 % 26)}" for i in range(count)]
        return " ".join(f"Abu {name} said {i} soldiers died. Abu met Abu {name} Abu." for i, name in enumerate(names))

    runs = [_names_run(text(count)) for count in (300, 1200)]
    _assert_linear("propagate", *(_timed_inside(monkeypatch, ner, "propagate", run) for run in runs))


@pytest.mark.slow
def test_spelling_variants_of_one_skeleton_are_found_in_linear_time() -> None:
    rng = random.Random(3)
    names = ["b" + "".join(rng.choice("aeiouyhw") for _ in range(12)) for _ in range(800)]
    _assert_linear("variant_map", _cpu(lambda: variant_map(names[:200])), _cpu(lambda: variant_map(names)))


def test_the_speaker_of_a_run_on_sentence_is_found_in_linear_time() -> None:
    small, large = "he said, " * 500 + "then", "he said, " * 2000 + "then"
    assert attribution(large) is None
    _assert_linear("attribution", _cpu(lambda: attribution(small)), _cpu(lambda: attribution(large)))


def test_copies_of_sentences_in_two_articles_do_not_match_every_copy() -> None:
    """Twenty sentences repeated in each of two articles: matches grow with the copies, not with their square."""
    sentences = [f"Rebels in Town{chr(65 + k)} said {300 + k} people fled Homs on Monday. " for k in range(5)]

    def matches(copies: int) -> int:
        text = "".join(sentences) * copies
        other = text.replace("people fled", "people escaped")
        return len(analyze_articles([_article(text, "a"), _article(other, "b")]).matches)

    few, many = matches(10), matches(40)
    assert 0 < many <= GROWTH * few, f"{few} matches with 10 copies, {many} with 40"


# --- the shortcuts, held to the plain computations -------------------------------------------------------------


def test_words_next_to_any_position_are_those_of_the_cut_text() -> None:
    rng = random.Random(17)
    pieces = ["Rebel", "forces", "fled", ";", "(", ")", "x", "—", "hyphen-ated", "1,200", "'s", "a" * 300, " "]
    for _ in range(300):
        text = " ".join(rng.choices(pieces, k=rng.randint(0, 80)))
        words = quantities._Words(text)
        for position in sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, 12))):
            for limit in (quantities.WINDOW_BEFORE, quantities.WINDOW_AFTER):
                after = quantities._clause_words(quantities._WORD.findall(text[position:]), limit)
                before = quantities._clause_words(reversed(quantities._WORD.findall(text[:position])), limit)[::-1]
                assert words.after(position, limit) == after
                assert words.before(position, limit) == before


@pytest.mark.parametrize("direct", [0, quantities._DIRECT])
def test_time_cue_leads_read_in_one_pass_are_those_of_the_plain_search(
    direct: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quantities, "_DIRECT", direct)
    rng = random.Random(23)
    pieces = ["in", "within", "over", "the", "past", "as", "of", "since", "last", "x-in", "Within", "3", "days"]
    spaces = [" ", "  ", "\n", "\t", " \n ", ""]
    for _ in range(400):
        text = "".join(rng.choice(pieces) + rng.choice(spaces) for _ in range(rng.randint(1, 30)))
        date_leads, time_leads = quantities._date_leads(text), quantities._time_frame_leads(text)
        for position in range(len(text) + 1):
            for leads, plain in ((date_leads, quantities._DATE_LEAD), (time_leads, quantities._TIME_FRAME_LEAD)):
                found = plain.search(text[:position])
                assert leads.at(position) == (found.group(0) if found else None), (text, position)


def _plain_conflicts(analysis: CorpusAnalysis) -> list:
    """Conflicts the plain way: every pair of figure records of one measure × scope in two articles, one by one."""
    records = figure_records(analysis)
    story = story_places(analysis)
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for record in records:
        key = group_key(record, story)
        if key is not None:
            groups[key].append(record)
    order = {a.article.id: i for i, a in enumerate(analysis.articles)}

    def where(record) -> tuple[int, int, int]:
        return (order[record.ref.article], record.ref.sentence, record.number.start)

    found = []
    for group in groups.values():
        # the open bounds that agree with the figure most articles give (two at least, no tie) take no side
        articles: dict[tuple[float, float], set[str]] = defaultdict(set)
        opening: dict[tuple[float, float], str] = {}
        for record in group:
            articles[(record.low, record.high)].add(record.ref.article)
            opening.setdefault((record.low, record.high), record.bound)
        for key, bound in opening.items():
            if bound in {"at least", "more than", "at most", "less than"}:
                articles[key] = set()  # a floor or ceiling is never the main figure
        support = sorted((len(a) for a in articles.values()), reverse=True)
        if len(articles) >= 3 and support[0] >= 2 and (len(support) == 1 or support[1] < support[0]):
            main_key = next(k for k, a in articles.items() if len(a) == support[0])
            main = next(r for r in group if (r.low, r.high) == main_key)
            firsts = {}
            for record in group:
                firsts.setdefault((record.low, record.high), record)
            group = [
                r
                for r in group
                if not (
                    (r.low, r.high) != main_key
                    and firsts[(r.low, r.high)].bound in {"at least", "more than", "at most", "less than"}
                    and firsts[(r.low, r.high)].number.value != main.number.value
                    and not _apart(firsts[(r.low, r.high)], main)
                )
            ]

        def gives(article: str, other, group=group) -> bool:
            return any(f.ref.article == article and not _apart(f, other) for f in group)

        shown: set[int] = set()
        disputed: dict[tuple[float, float], list] = {}
        for x, y in combinations(group, 2):
            if x.ref.article == y.ref.article or not _apart(x, y):
                continue
            x_gives, y_gives = gives(x.ref.article, y), gives(y.ref.article, x)
            if x_gives and y_gives:
                continue  # each source also gives the other's figure
            for record in (x, y):
                disputed.setdefault((record.low, record.high), [])
            if not x_gives:
                shown.add(id(x))
            if not y_gives:
                shown.add(id(y))
        for record in group:
            if (record.low, record.high) in disputed:
                disputed[(record.low, record.high)].append(record)
        for same in disputed.values():
            # a figure its own article reports as replaced ("previously") is no voice while another gives it
            current = [r for r in same if not superseded(r.time)] or same
            kept = {id(r) for r in current}
            shown -= {id(r) for r in same if id(r) not in kept}
            if not any(id(r) in shown for r in same):
                shown.add(id(current[0]))
        once: dict[tuple[str, float, float], object] = {}  # one record per article and value: the one saying most
        for record in group:
            if id(record) in shown:
                held = once.get((record.ref.article, record.low, record.high))
                if held is None or _said(record) > _said(held):
                    once[(record.ref.article, record.low, record.high)] = record
        # an article's floor or ceiling that its own shown exact figure meets is no second voice
        opened = {"at least", "more than", "at most", "less than"}
        exact = [r for r in once.values() if r.bound not in opened]
        shown = {
            id(r)
            for r in once.values()
            if r.bound not in opened or not any(e.ref.article == r.ref.article and not _apart(r, e) for e in exact)
        }
        if shown:
            members = sorted((r for r in group if id(r) in shown), key=where)
            found.append(members)
    return [tuple((r.ref, r.number) for r in members) for members in sorted(found, key=lambda m: where(m[0]))]


@pytest.mark.parametrize("seed", [1, 2])
def test_conflicts_from_records_are_those_of_every_pair_of_figures(seed: int) -> None:
    """Distinct values compared once per group give what comparing every pair of figure records gives."""
    analysis = synthetic(120, 30, seed)
    table = build_table(analysis)
    pairs = candidate_pairs(table)
    found = find_conflicts(analysis, table, select(table, pairs), pairs)
    expected = _plain_conflicts(analysis)
    assert expected
    assert [tuple((m.ref, m.number) for m in c.mentions) for c in found] == expected


def test_a_repeated_figure_conflicts_once_per_article() -> None:
    """Copies of one figure in an article are one voice: the conflict lists the first, and the other source's."""
    ours = "Rebels said 1,200 people fled Homs on Monday, the Observatory said. " * 3
    theirs = "Rebels said 4,000 people fled Homs on Monday, the Observatory said."
    analysis = analyze_articles([_article(ours, "ours"), _article(theirs, "theirs")])
    assert len(analysis.conflicts) == 1
    ours_id = analysis.articles[0].article.id
    mentions = analysis.conflicts[0].mentions
    assert [m.number.start for m in mentions if m.ref.article == ours_id] == [len("Rebels said ")]
    assert len(mentions) == 2


def test_the_figure_channel_links_claims_sharing_one_figure_in_linear_time() -> None:
    """Every claim of hundreds of articles gives one toll ("275 people killed"): the figure channel's links
    (figure_candidates.py) stay a bounded number per figure, not every pair of claims (n² / 2)."""
    from factdesk.annotations.compare.figure_candidates import MAX_PARTNERS, figure_links
    from factdesk.annotations.model import FigureRecord, NumberMention

    def run(articles: int) -> tuple[float, int, int]:
        table = build_table(synthetic(articles, 4, 7))
        toll = NumberMention(0, 3, "275", 275.0, None, None)
        records = [
            FigureRecord(c.ref, toll, 275.0, 275.0, "exact", "people killed", "", "", "", c.ref.article)
            for c in table.claims
        ]
        links: list[dict[int, int]] = []
        seconds = _cpu(lambda: links.append(figure_links(table, records)), repeats=2)
        return seconds, len(links[-1]), len(records)

    (small, _, _), (large, count, figures) = run(100), run(400)
    assert count <= 12 * figures and MAX_PARTNERS <= 12
    _assert_linear("figure channel", small, large)


def test_names_with_a_middle_initial_are_extended_in_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each extended name ("George W." + "Bush") once scanned every mention of the document (10 MB: 38 s of 180)."""
    import factdesk.annotations.ner as ner

    def text(count: int) -> str:
        return "President George W. Bush met John F. Kennedy Jr. in Paris. " * count

    runs = [_names_run(text(count)) for count in (500, 2000)]
    _assert_linear(
        "person_name_mentions", *(_timed_inside(monkeypatch, ner, "person_name_mentions", run) for run in runs)
    )


@pytest.mark.parametrize(
    "unit",
    [
        "!",  # every character a candidate sentence end, followed by punctuation
        ". \x1c\x1d" + " " * 20,  # ends followed by runs of spaces and separators (``re`` and ``regex`` differ on them)
        "a.a!a?a.a!a? ",  # candidate ends inside one long token
    ],
)
def test_candidate_sentence_ends_are_found_in_linear_time(unit: str) -> None:
    """Punkt's candidate-end pattern runs on ``re`` (``_punkttoken.PlainLanguageVars``), without ``nltk.redos``'s
    timeout: it must stay linear on hostile paragraphs."""
    from factdesk.annotations.text.segment import _tokenizer

    tokenizer = _tokenizer()
    small = _cpu(lambda: list(tokenizer.span_tokenize("Start. " + unit * 1_000)), repeats=2)
    large = _cpu(lambda: list(tokenizer.span_tokenize("Start. " + unit * 4_000)), repeats=2)
    _assert_linear("candidate sentence ends", small, large)
