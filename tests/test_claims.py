from __future__ import annotations

from pathlib import Path

import pytest

from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.text.claims import attribution, cues, ranked_claims
from factdesk.annotations.text.corpus import load_corpus

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Turkey-backed rebels moved into Homs, according to the Syrian Observatory.", "the Syrian Observatory"),
        ("Thousands poured onto the streets there to celebrate, residents said.", "residents"),
        (
            "Assad’s government may collapse, foreign officials told Reuters on condition of anonymity.",
            "foreign officials",
        ),
        ("Rebels said they were entering the city centre.", "Rebels"),
        ("The left Homs by helicopter, a senior army officer said.", "a senior army officer"),
        ("Homs has fallen to rebel forces after weeks of intense fighting.", None),
        ("“The end is near,” he said.", None),  # a pronoun names no one
    ],
)
def test_attribution(text: str, source: str | None) -> None:
    assert attribution(text) == source


def test_a_named_speaker_wins_over_the_words_around_it() -> None:
    corpus = analyze(load_corpus([SEEDS]))
    reuters = next(a for a in corpus.articles if a.article.source == "Reuters")
    golani = next(s for s in reuters.claims if "Golani, said" in reuters.sentence_text(s))
    assert cues(reuters, golani).attribution == "Abu Mohammed al-Golani"


def test_figures_and_events_rank_above_commentary() -> None:
    corpus = analyze(load_corpus([SEEDS]))
    texts = {}
    for analysis in corpus.articles:
        for sentence in analysis.claims:
            texts[analysis.sentence_text(sentence)] = cues(analysis, sentence).score
    concrete = next(v for t, v in texts.items() if t.startswith("Insurgents have seized almost the entire southwest"))
    commentary = next(v for t, v in texts.items() if t.startswith("Analysts say that losing Homs could mark"))
    assert concrete > commentary + 0.3
    ranking = ranked_claims(corpus)
    assert len(ranking) == sum(len(a.claims) for a in corpus.articles)
    scores = [score for _, score in ranking]
    assert scores == sorted(scores, reverse=True)
