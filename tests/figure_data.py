"""Figure records and conflicts written by hand over the seeds' real claims, for the figure board and its brief.

Why a module: until the analysis extracts figures (``CorpusAnalysis.figures``), the board, its brief section and the
reader's ``b`` are tested on records a person wrote, each pointing at a number the seeds really contain, so enter
really lands on that sentence. Several test files (the domain table, the brief, the reader, the snapshot) share them.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

from factdesk.annotations.model import (
    Article,
    ArticleAnalysis,
    ClaimRef,
    Conflict,
    ConflictMention,
    CopyGroup,
    CorpusAnalysis,
    FigureRecord,
    NumberMention,
    Sentence,
)

INF = math.inf

# (file prefix, sentence index, number text as written, low, high, bound, measure, scope, time, attribution)
SEED_FIGURES: tuple[tuple[str, int, str, float, float, str, str, str, str, str], ...] = (
    (
        "003",
        9,
        "nearly 300,000 people",
        270_000,
        300_000,
        "nearly",
        "people displaced",
        "Syria",
        "since late November",
        "the Syrian Observatory for Human Rights",
    ),
    ("004", 9, "over 370,000", 370_000, INF, "more than", "people displaced", "Syria", "in just a week", "the UN"),
    ("000", 13, "within 30 kilometers", 0, 30, "at most", "distance from Damascus", "rebel forces", "", ""),
    ("002", 14, "within 30 km", 0, 30, "at most", "distance from Damascus", "rebel forces", "", ""),
    ("001", 17, "14 provincial capitals", 14, 14, "exact", "provincial capitals", "Syria", "", ""),
    ("001", 17, "just four", 4, 4, "exact", "provincial capitals held", "the government", "", ""),
    ("002", 12, "thousands of detainees", 1000, INF, "at least", "detainees freed", "Homs", "", "residents"),
    ("002", 11, "Thousands", 1000, INF, "at least", "", "", "", ""),  # no known measure: left off the board
)

DISPLACED_EXPLANATION = (
    "by time: nearly 300,000 since late November, over 370,000 in just a week; by source: SOHR 300,000 vs UN 370,000"
)


def _article(analysis: CorpusAnalysis, prefix: str):
    return next(a for a in analysis.articles if a.article.path.name.startswith(prefix))


def _number(
    analysis: CorpusAnalysis, prefix: str, sentence: int, text: str, value: float
) -> tuple[ClaimRef, NumberMention]:
    """The number as it stands in the seed's sentence (found by its text, so a change to the number grammar does not
    move it), with ``value`` as written."""
    article = _article(analysis, prefix)
    claim = next(s for s in article.sentences if s.index == sentence)
    start = article.article.text.index(text, claim.start, claim.end)
    unit = "km" if text.endswith(("km", "kilometers")) else None
    return ClaimRef(article.article.id, sentence), NumberMention(start, start + len(text), text, value, unit)


def seed_figures(analysis: CorpusAnalysis) -> CorpusAnalysis:
    """The seeds' analysis with hand-written figures, one conflict (people displaced in Syria, explained by time and
    source) and a copy group (002 a copy of 000's story, as a wire story in two outlets would be)."""
    figures = []
    for prefix, sentence, text, low, high, bound, measure, scope, time, attribution in SEED_FIGURES:
        ref, number = _number(analysis, prefix, sentence, text, high if bound in ("nearly", "at most") else low)
        outlet = _article(analysis, prefix).article.source
        figures.append(FigureRecord(ref, number, low, high, bound, measure, scope, time, attribution, outlet))
    displaced = [f for f in figures if f.measure == "people displaced"]
    conflict = Conflict(
        summary="People displaced: nearly 300,000 vs over 370,000",
        mentions=tuple(ConflictMention(f.ref, f.number, f.time, f.attribution) for f in displaced),
        measure="people displaced",
        scope="Syria",
        explanation="time+source",
        explanation_text=DISPLACED_EXPLANATION,
    )
    copies = CopyGroup(
        articles=(_article(analysis, "000").article.id, _article(analysis, "002").article.id),
        shared_passages=3,
        wire="Reuters",
    )
    return replace(analysis, figures=tuple(figures), conflicts=(conflict,), copy_groups=(copies,))


def figure_ref(analysis: CorpusAnalysis, prefix: str, sentence: int) -> ClaimRef:
    return ClaimRef(_article(analysis, prefix).article.id, sentence)


def flood_article(article_id: str, outlet: str, sentences: list[str]) -> ArticleAnalysis:
    text = " ".join(sentences)
    spans, position = [], 0
    for index, sentence in enumerate(sentences):
        spans.append(Sentence(index, position, position + len(sentence), "claim"))
        position += len(sentence) + 1
    article = Article(id=article_id, path=Path(f"/corpus/{article_id}.txt"), text=text, title="", source=outlet)
    return ArticleAnalysis(article=article, sentences=tuple(spans), entities=(), numbers=())


def figure_record(
    analysis: ArticleAnalysis,
    sentence: int,
    written: str,
    value: float | tuple[float, float],
    measure: str,
    scope: str = "",
    *,
    bound: str = "exact",
    low: float | None = None,
    high: float | None = None,
    time: str = "",
    attribution: str = "",
    unit: str | None = None,
) -> FigureRecord:
    claim = analysis.sentences[sentence]
    start = analysis.article.text.index(written, claim.start)
    number = NumberMention(start, start + len(written), written, value, unit)
    scalar = value if isinstance(value, float) else value[0]
    return FigureRecord(
        ref=ClaimRef(analysis.article.id, sentence),
        number=number,
        low=scalar if low is None else low,
        high=scalar if high is None else high,
        bound=bound,
        measure=measure,
        scope=scope,
        time=time,
        attribution=attribution,
        outlet=analysis.article.source,
    )


def flood_corpus() -> CorpusAnalysis:
    """Four outlets on one flood: two tolls that differ by source, a wire copy, a part (one town) and a total."""
    wire = flood_article("a1", "Wire", ["At least 5,000 people died, the Red Crescent said.", "Some 900 homes fell."])
    copy = flood_article("a2", "Daily Copy", ["At least 5,000 people died, the Red Crescent said."])
    health = flood_article("a3", "Health Desk", ["The WHO counted 3,958 deaths by Sunday.", "In the port 1,200 died."])
    quiet = flood_article("a4", "Quiet Times", ["The mayor spoke for 20 minutes."])
    figures = (
        figure_record(
            wire,
            0,
            "At least 5,000",
            5000.0,
            "people killed",
            "the city",
            bound="at least",
            high=INF,
            attribution="the Red Crescent",
        ),
        figure_record(wire, 1, "Some 900", 900.0, "buildings destroyed", "the city", bound="about"),
        figure_record(
            copy,
            0,
            "At least 5,000",
            5000.0,
            "people killed",
            "the city",
            bound="at least",
            high=INF,
            attribution="the Red Crescent",
        ),
        figure_record(health, 0, "3,958", 3958.0, "people killed", "the city", time="by Sunday", attribution="the WHO"),
        figure_record(health, 1, "1,200", 1200.0, "people killed", "the port"),
        figure_record(quiet, 0, "20 minutes", 20.0, "", unit="minutes"),  # no known measure: not on the board
    )
    killed = [f for f in figures if f.measure == "people killed" and f.scope == "the city"]
    conflict = Conflict(
        summary="People killed: at least 5,000 vs 3,958",
        mentions=tuple(ConflictMention(f.ref, f.number, f.time, f.attribution) for f in (killed[0], killed[2])),
        measure="people killed",
        scope="the city",
        explanation="source",
        explanation_text="by source: Red Crescent 5,000 vs WHO 3,958",
    )
    return CorpusAnalysis(
        articles=(wire, copy, health, quiet),
        conflicts=(conflict,),
        copy_groups=(CopyGroup(articles=("a1", "a2"), shared_passages=2, wire="Wire"),),
        figures=figures,
    )
