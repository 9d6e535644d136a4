"""The reviewed brief, checked through what a CommonMark renderer actually shows."""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from factdesk.annotations.export.brief import Brief
from factdesk.annotations.export.brief_json import render_json
from factdesk.annotations.export.brief_markdown import format_time, render_markdown
from factdesk.annotations.export.build import build_brief
from factdesk.annotations.model import (
    Anchor,
    Article,
    ArticleAnalysis,
    ClaimRef,
    Conflict,
    ConflictMention,
    CorpusAnalysis,
    Mark,
    NumberMention,
    Sentence,
    SentenceKind,
    Status,
)

MD = MarkdownIt("commonmark").enable("table")
TODAY = datetime.date(2024, 12, 10)

HOSTILE_CLAIM = (
    "Rebels said <script>alert(1)</script> **bold** [link](http://x) `code` | a | b | "
    "_under_ ~strike~ # hash ! bang & amp; &amp; \\ back > gt < lt 1. one - dash + plus."
)
HOSTILE_NOTE = (
    "Checked against two wires.\n"
    "# not a heading\n"
    "1. not a list\n"
    "- not a bullet\n"
    "> not a nested quote\n"
    "\n"
    "<script>alert(2)</script> **x** `y` | c | d | [l](http://z) & \\ ~ ! _ *"
)


# --------------------------------------------------------------------------- fixtures


def analysis(
    article_id: str, source: str, title: str, name: str, parts: list[tuple[SentenceKind, str]]
) -> ArticleAnalysis:
    """An ArticleAnalysis built by hand: sentences are the parts joined by newlines."""
    text, sentences, pos = "", [], 0
    for index, (kind, sentence) in enumerate(parts):
        if text:
            text += "\n"
            pos += 1
        sentences.append(Sentence(index, pos, pos + len(sentence), kind))
        text += sentence
        pos += len(sentence)
    article = Article(id=article_id, path=Path("/corpus") / name, text=text, title=title, source=source)
    return ArticleAnalysis(article=article, sentences=tuple(sentences), entities=(), numbers=())


def mark(article_id: str, quote: str, status: Status, note: str = "", reviewer: str = "alice", at: str = "") -> Mark:
    return Mark(
        article_id=article_id,
        anchor=Anchor(quote=quote, prefix="", suffix="", start=0, end=len(quote)),
        status=status,
        note=note,
        reviewer=reviewer,
        updated=at or "2024-12-09T10:12:00Z",
    )


A = analysis(
    "art-a",
    "Reuters",
    "Rebels take Homs",
    "000_reuters.txt",
    [
        ("heading", "Rebels take Homs"),
        ("claim", "Government forces withdrew from Homs."),
        ("claim", HOSTILE_CLAIM),
        ("boilerplate", "Reporting by Someone; editing by Someone Else"),
        ("claim", "The central prison was opened."),
    ],
)
B = analysis(
    "art-b",
    "Al Jazeera",
    "Homs | falls",
    "001_aj.txt",
    [
        ("claim", "Thousands celebrated in the streets."),
        ("claim", "Fighters reached the suburbs of Damascus."),
        ("claim", "Some 300,000 people fled."),
    ],
)
CORPUS = CorpusAnalysis(articles=(A, B))


def marks() -> dict[ClaimRef, Mark]:
    # Deliberately not in article order: the brief must sort.
    return {
        ClaimRef("art-b", 2): mark("art-b", "Some 300,000 people fled.", Status.DISPUTED, "UN says 120,000.", "bob"),
        ClaimRef("art-a", 2): mark("art-a", HOSTILE_CLAIM, Status.VERIFIED, HOSTILE_NOTE, "alice"),
        ClaimRef("art-a", 1): mark("art-a", "Government forces withdrew from Homs.", Status.VERIFIED, "", "Carol"),
        ClaimRef("art-b", 0): mark("art-b", "Thousands celebrated", Status.UNREVIEWED, "look for video", "dave"),
    }


# --------------------------------------------------------------------------- HTML helpers


class Blocks(HTMLParser):
    """Flatten rendered HTML into its top-level blocks: (tag, text content)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.depth = 0
        self.current: list[str] = []
        self.tag = ""
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.depth == 0:
            self.tag, self.current = tag, []
        self.depth += 1
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(norm("".join(self.cell)))
            self.cell = None
        self.depth -= 1
        if self.depth == 0:
            self.blocks.append((self.tag, norm("".join(self.current))))

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.current.append(data)
        if self.cell is not None:
            self.cell.append(data)


def strings(value: object) -> list[str]:
    """Every string inside nested dicts/lists/tuples (keys included)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings(k), *strings(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings(v)]
    return []


def norm(text: str) -> str:
    return re.sub(r"[ \t\n]+", " ", text).strip()


def parse(markdown: str) -> Blocks:
    parser = Blocks()
    parser.feed(MD.render(markdown))
    parser.close()
    return parser


def section(blocks: list[tuple[str, str]], prefix: str) -> list[tuple[str, str]]:
    """The top-level blocks after the h2 starting with ``prefix``, up to the next h2."""
    start = next(i for i, (tag, text) in enumerate(blocks) if tag == "h2" and text.startswith(prefix))
    out = []
    for tag, text in blocks[start + 1 :]:
        if tag == "h2":
            break
        out.append((tag, text))
    return out


def claim_quotes(blocks: list[tuple[str, str]]) -> list[str]:
    """The claim of each h3 entry: the blockquote right after the heading."""
    return [
        blocks[i + 1][1] for i, (tag, _) in enumerate(blocks[:-1]) if tag == "h3" and blocks[i + 1][0] == "blockquote"
    ]


# --------------------------------------------------------------------------- tests


def test_hostile_claim_and_note_render_as_literal_text() -> None:
    md = render_markdown(build_brief(CORPUS, marks(), today=TODAY))
    verified = section(parse(md).blocks, "Verified claims")
    quotes = [text for tag, text in verified if tag == "blockquote"]
    assert norm(HOSTILE_CLAIM) in quotes
    # The multi-line note is one blockquote holding the whole note, nothing leaked out as heading/list.
    assert norm(HOSTILE_NOTE) in quotes
    assert {tag for tag, _ in verified} <= {"h3", "blockquote", "p"}


def test_no_raw_script_tag_in_html() -> None:
    brief = build_brief(CORPUS, marks(), include_unreviewed=True, today=TODAY)
    html = MD.render(render_markdown(brief))
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, not executed


def test_summary_table_renders_with_right_counts() -> None:
    md = render_markdown(build_brief(CORPUS, marks(), today=TODAY))
    rows = parse(md).rows
    assert rows == [
        ["Source", "Article", "Claims", "Verified", "Disputed", "Unreviewed"],
        ["Reuters", "Rebels take Homs", "3", "2", "0", "1"],
        ["Al Jazeera", "Homs | falls", "3", "0", "1", "2"],
        ["Total", "", "6", "2", "1", "3"],
    ]


def test_sources_list_names_source_title_and_file() -> None:
    blocks = parse(render_markdown(build_brief(CORPUS, marks(), today=TODAY))).blocks
    sources = section(blocks, "Sources")
    assert sources == [
        ("ol", "Reuters — “Rebels take Homs” (000_reuters.txt) Al Jazeera — “Homs | falls” (001_aj.txt)")
    ]


def test_file_name_not_repeated_when_it_stands_in_for_the_source() -> None:
    art = analysis("z", "002_x.txt", "A title", "002_x.txt", [("claim", "One claim.")])
    blocks = parse(render_markdown(build_brief(CorpusAnalysis(articles=(art,)), {}, today=TODAY))).blocks
    assert section(blocks, "Sources") == [("ol", "002_x.txt — “A title”")]


def test_header_has_title_date_and_reviewers() -> None:
    brief = build_brief(CORPUS, marks(), today=TODAY)
    assert brief.title == "Reviewed brief: Rebels take Homs and 1 other article"
    assert brief.reviewers == ("alice", "bob", "Carol")  # dave only left a note, no verdict
    blocks = parse(render_markdown(brief)).blocks
    assert blocks[0] == ("h1", "Reviewed brief: Rebels take Homs and 1 other article")
    assert "Date: 2024-12-10" in blocks[1][1]
    assert "Reviewers: alice, bob, Carol" in blocks[1][1]
    custom = build_brief(CORPUS, {}, title="Homs # *week*", today=TODAY)
    assert parse(render_markdown(custom)).blocks[0] == ("h1", "Homs # *week*")


def test_claims_follow_article_then_sentence_order_with_source_reviewer_and_time() -> None:
    brief = build_brief(CORPUS, marks(), today=TODAY)
    assert [(c.article_id, c.sentence_index) for c in brief.verified] == [("art-a", 1), ("art-a", 2)]
    verified = section(parse(render_markdown(brief)).blocks, "Verified claims")
    assert claim_quotes(verified) == ["Government forces withdrew from Homs.", norm(HOSTILE_CLAIM)]
    assert verified[0] == ("h3", "V1. Reuters, claim 1")  # the reader's "Claim 1 of 3", not sentence 2 (a heading)
    meta = verified[2][1]
    assert "Verified by Carol · 2024-12-09 10:12 UTC" in meta
    assert "Reuters — “Rebels take Homs” (000_reuters.txt)" in meta
    disputed = section(parse(render_markdown(brief)).blocks, "Disputed claims")
    assert claim_quotes(disputed) == ["Some 300,000 people fled."]
    assert ("blockquote", "UN says 120,000.") in disputed
    assert any("Disputed by bob" in text for _, text in disputed)


def test_json_and_markdown_carry_the_same_claims() -> None:
    brief = build_brief(CORPUS, marks(), include_unreviewed=True, today=TODAY)
    data = json.loads(render_json(brief))
    blocks = parse(render_markdown(brief)).blocks
    for key, heading in (("verified", "Verified claims"), ("disputed", "Disputed claims")):
        in_md = claim_quotes(section(blocks, heading))
        assert [norm(c["text"]) for c in data[key]] == in_md
        assert in_md  # the fixture has claims in both sections, so this compares something
        quotes = [text for tag, text in section(blocks, heading) if tag == "blockquote"]
        for claim in data[key]:
            if claim["note"]:
                assert norm(claim["note"]) in quotes
    unreviewed_md = [text for tag, text in section(blocks, "Unreviewed claims") if tag == "blockquote"]
    assert [norm(c["text"]) for c in data["unreviewed"]] == [t for t in unreviewed_md if t != "look for video"]
    assert data["totals"] == {"claims": 6, "verified": 2, "disputed": 1, "unreviewed": 3}
    assert [s["claims"] for s in data["sources"]] == [3, 3]
    assert data["verified"][1]["text"] == HOSTILE_CLAIM
    assert data["verified"][1]["note"] == HOSTILE_NOTE
    assert data["verified"][1]["reviewer"] == "alice"
    assert data["verified"][1]["updated"] == "2024-12-09T10:12:00Z"


def test_json_is_stable_indented_and_not_ascii_escaped() -> None:
    full = render_json(build_brief(CORPUS, marks(), include_unreviewed=True, today=TODAY))
    empty = render_json(build_brief(CorpusAnalysis(articles=()), {}, today=TODAY))
    assert list(json.loads(full)) == list(json.loads(empty))  # same keys, same order, always present
    assert full == render_json(build_brief(CORPUS, marks(), include_unreviewed=True, today=TODAY))
    assert full.startswith('{\n  "format": "factdesk-brief",')
    art = analysis("x", "Le Monde", "Homs est tombée", "x.txt", [("claim", "L’armée s’est retirée.")])
    text = render_json(build_brief(CorpusAnalysis(articles=(art,)), {}, include_unreviewed=True, today=TODAY))
    assert "L’armée s’est retirée." in text  # real UTF-8 stays readable, not \\u escapes


def test_unreviewed_counted_but_listed_only_on_request() -> None:
    hidden = build_brief(CORPUS, marks(), today=TODAY)
    assert hidden.unreviewed_count == 3
    assert hidden.unreviewed == ()
    md = render_markdown(hidden)
    for text in (
        "The central prison was opened.",
        "Fighters reached the suburbs",
        "Thousands celebrated",
        "look for video",
    ):
        assert text not in md
    assert section(parse(md).blocks, "Unreviewed claims") == [
        ("p", "3 claims not reviewed (not listed in this brief).")
    ]
    assert json.loads(render_json(hidden))["unreviewed"] == []

    shown = build_brief(CORPUS, marks(), include_unreviewed=True, today=TODAY)
    assert shown.unreviewed_count == 3
    listed = section(parse(render_markdown(shown)).blocks, "Unreviewed claims (3)")
    assert [text for tag, text in listed if tag == "h3"] == [
        "Reuters — “Rebels take Homs” (1)",
        "Al Jazeera — “Homs | falls” (2)",
    ]
    quotes = [text for tag, text in listed if tag == "blockquote"]
    assert quotes == [
        "The central prison was opened.",
        "Thousands celebrated in the streets.",
        "look for video",  # a note without a verdict is kept with its claim
        "Fighters reached the suburbs of Damascus.",
    ]


def test_headings_and_boilerplate_are_not_claims() -> None:
    brief = build_brief(CORPUS, {}, include_unreviewed=True, today=TODAY)
    texts = [c.text for c in brief.unreviewed]
    assert "Rebels take Homs" not in texts
    assert not any(t.startswith("Reporting by") for t in texts)
    assert brief.total_claims == 6


def test_mark_on_missing_or_non_claim_sentence_goes_to_the_appendix() -> None:
    lost = {
        ClaimRef("art-a", 0): mark("art-a", "Rebels take Homs", Status.VERIFIED, reviewer="erin"),  # a heading
        ClaimRef("gone", 4): mark("gone", "A claim from a deleted file.", Status.DISPUTED, "was *wrong*"),
    }
    brief = build_brief(CORPUS, lost, today=TODAY)
    assert brief.verified == () and brief.disputed == ()
    assert [o.quote for o in brief.orphans] == ["Rebels take Homs", "A claim from a deleted file."]
    appendix = section(parse(render_markdown(brief)).blocks, "Appendix")
    assert [text for tag, text in appendix if tag == "blockquote"] == [
        "Rebels take Homs",
        "A claim from a deleted file.",
        "was *wrong*",
    ]
    assert ("h3", "O2. article gone (not in this corpus)") in appendix
    assert "erin" in brief.reviewers


def test_orphans_argument_renders_appendix_and_none_means_no_appendix() -> None:
    orphan = mark("art-b", "Rebels > 10,000 | [sic]", Status.VERIFIED, "old\nnote", "fay")
    with_orphans = render_markdown(build_brief(CORPUS, marks(), orphans=[orphan], today=TODAY))
    appendix = section(parse(with_orphans).blocks, "Appendix")
    assert appendix[0][0] == "p"  # what an orphan is
    assert appendix[1] == ("h3", "O1. Al Jazeera — “Homs | falls”")
    assert appendix[2] == ("blockquote", "Rebels > 10,000 | [sic]")
    assert ("blockquote", "old note") in appendix
    assert "Appendix" not in render_markdown(build_brief(CORPUS, marks(), today=TODAY))


def test_seams_also_reported_by_and_differing_figures() -> None:
    plain = render_markdown(build_brief(CORPUS, marks(), today=TODAY))
    assert "Also reported by" not in plain
    assert "Figures that differ" not in plain

    number_a = NumberMention(start=0, end=7, text="300,000", value=300000.0)
    number_b = NumberMention(start=0, end=7, text="120,000", value=(100000.0, 120000.0))
    conflict = Conflict(
        summary="People who fled <Homs>",
        mentions=(ConflictMention(ClaimRef("art-b", 2), number_a), ConflictMention(ClaimRef("art-a", 4), number_b)),
    )
    corpus = CorpusAnalysis(articles=(A, B), conflicts=(conflict,))
    brief = build_brief(corpus, marks(), today=TODAY, also_reported_by={ClaimRef("art-a", 1): ["Al Jazeera", "BBC"]})
    blocks = parse(render_markdown(brief)).blocks
    verified = section(blocks, "Verified claims")
    assert any("Also reported by: Al Jazeera, BBC" in text for tag, text in verified if tag == "p")
    figures = section(blocks, "Figures that differ")
    assert figures[0] == ("h3", "People who fled <Homs>")
    assert figures[1][0] == "ul"
    assert "Al Jazeera, claim 3: 300,000 — “Some 300,000 people fled.”" in figures[1][1]
    assert "Reuters, claim 3: 120,000" in figures[1][1]  # sentence 5 of Reuters: a heading and boilerplate before
    data = json.loads(render_json(brief))
    assert data["verified"][0]["also_reported_by"] == ["Al Jazeera", "BBC"]
    assert data["conflicts"][0]["figures"][1]["value"] == [100000.0, 120000.0]


@pytest.mark.parametrize(
    "dangerous", ["\x1b[2J", "\x1b]52;c;aGk=\x07", "\x9b31m", "\x7f", "\u202e", "\u2067", "\u200f", "\x00"]
)
def test_exports_carry_no_control_or_bidi_characters(dangerous: str) -> None:
    art = analysis(
        f"id{dangerous}",
        f"Src{dangerous}",
        f"Title{dangerous}",
        f"f{dangerous}.txt",
        [("claim", f"Claim {dangerous} text.")],
    )
    ref = ClaimRef(art.article.id, 0)
    m = mark(art.article.id, "Claim", Status.VERIFIED, f"note{dangerous}", f"rev{dangerous}", f"t{dangerous}")
    orphan = mark("x", f"q{dangerous}", Status.DISPUTED, f"n{dangerous}", f"o{dangerous}")
    brief = build_brief(CorpusAnalysis(articles=(art,)), {ref: m}, orphans=[orphan], title=None, today=TODAY)
    pattern = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
    # The Brief itself is clean data, not just its renderings (other exporters may use it).
    assert not [s for s in strings(dataclasses.asdict(brief)) if pattern.search(s)]
    for out in (render_markdown(brief), render_json(brief)):
        assert not pattern.search(out), repr(pattern.search(out))
        assert "Claim" in out and "note" in out


def test_empty_corpus_still_renders() -> None:
    brief = build_brief(CorpusAnalysis(articles=()), {}, today=TODAY)
    assert isinstance(brief, Brief)
    assert brief.title == "Reviewed brief"
    md = render_markdown(brief)
    rows = parse(md).rows
    assert rows[-1] == ["Total", "", "0", "0", "0", "0"]
    assert "Every claim has been reviewed." in md


def test_format_time() -> None:
    assert format_time("2024-12-09T10:12:00Z") == "2024-12-09 10:12 UTC"
    assert format_time("2024-12-09T12:12:00+02:00") == "2024-12-09 10:12 UTC"
    assert format_time("yesterday") == "yesterday"


def test_key_figures_table_lists_each_sources_numbers_from_the_seeds() -> None:
    from pathlib import Path

    from factdesk.annotations.pipeline.analysis import analyze
    from factdesk.annotations.text.corpus import load_corpus

    corpus = analyze(load_corpus([Path(__file__).resolve().parent.parent / "seeds"]), use_cache=False)
    brief = build_brief(corpus, {})
    figures = {(f.source, f.figure) for f in brief.key_figures}
    assert any("300,000" in figure for _, figure in figures)
    assert any("370,000" in figure for _, figure in figures)
    assert all(f.unit != "rank" for f in brief.key_figures)
    markdown = render_markdown(brief)
    table = markdown.split("## Key figures")[1]
    assert "| Source | Figure | In the claim |" in table and "370,000" in table
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<table>" in html.split("Key figures")[1]
    assert json.loads(render_json(brief))["key_figures"]


# --------------------------------------------------------------------------- several reviewers, claim numbers, marker


def verdicts_by_claim() -> dict[ClaimRef, dict[str, Mark]]:
    """alice and bob on the same claims: they differ on art-a's second claim, agree on art-b's last."""
    hostile = mark("art-a", HOSTILE_CLAIM, Status.VERIFIED, "Two wires | agree", "alice")
    return {
        ClaimRef("art-a", 2): {
            "alice": hostile,
            "bob": mark("art-a", HOSTILE_CLAIM, Status.DISPUTED, "No *second* source", "bob", "2024-12-09T11:00:00Z"),
        },
        ClaimRef("art-b", 2): {
            "alice": mark("art-b", "Some 300,000 people fled.", Status.DISPUTED, "", "alice"),
            "bob": mark("art-b", "Some 300,000 people fled.", Status.DISPUTED, "UN says 120,000.", "bob"),
        },
    }


def shown(verdicts: dict[ClaimRef, dict[str, Mark]]) -> dict[ClaimRef, Mark]:
    """The reader's choice for a reviewer who has no marks: the most recent."""
    return {ref: max(on.values(), key=lambda m: (m.updated, m.reviewer)) for ref, on in verdicts.items()}


def test_every_reviewers_verdict_and_note_is_in_the_brief() -> None:
    verdicts = verdicts_by_claim()
    brief = build_brief(CORPUS, shown(verdicts), verdicts=verdicts, today=TODAY)
    assert brief.reviewers == ("alice", "bob")
    [contested] = brief.contested
    assert contested.ref == ClaimRef("art-a", 2) and contested.claim_number == 2
    assert [(v.reviewer, v.status) for v in contested.verdicts] == [
        ("alice", Status.VERIFIED),
        ("bob", Status.DISPUTED),
    ]
    blocks = parse(render_markdown(brief)).blocks
    disputed = section(blocks, "Disputed claims")
    assert [text for tag, text in disputed if tag == "h3"] == [
        "D1. Reuters, claim 2 — reviewers differ",
        "D2. Al Jazeera, claim 3",  # they agree: no flag, but both reviewers are named
    ]
    assert "Verified by alice · 2024-12-09 10:12 UTC" in disputed[2][1]
    assert "Disputed by bob · 2024-12-09 11:00 UTC" in disputed[2][1]
    assert ("p", "Note by alice:") in disputed and ("blockquote", "Two wires | agree") in disputed
    assert ("p", "Note by bob:") in disputed and ("blockquote", "No *second* source") in disputed
    assert any("Disputed by alice" in t and "Disputed by bob" in t for tag, t in disputed if tag == "p")
    assert "Reviewers gave different verdicts on 1 claim" in blocks[1][1]

    data = json.loads(render_json(brief))
    claim = data["disputed"][0]
    assert (claim["status"], claim["reviewer"], claim["note"]) == ("disputed", "bob", "No *second* source")
    assert claim["sentence_index"] == 2 and claim["claim_number"] == 2 and claim["contested"] is True
    assert claim["verdicts"] == [
        {"reviewer": "alice", "status": "verified", "note": "Two wires | agree", "updated": "2024-12-09T10:12:00Z"},
        {"reviewer": "bob", "status": "disputed", "note": "No *second* source", "updated": "2024-12-09T11:00:00Z"},
    ]
    assert data["disputed"][1]["contested"] is False and len(data["disputed"][1]["verdicts"]) == 2
    assert [c["claim_number"] for c in data["contested"]] == [2]


def test_a_single_reviewers_claim_reads_as_before() -> None:
    brief = build_brief(CORPUS, marks(), today=TODAY)
    assert brief.contested == ()
    md = render_markdown(brief)
    assert "Note by" not in md and "differ" not in md
    verified = section(parse(md).blocks, "Verified claims")
    assert ("p", "Note:") in verified
    data = json.loads(render_json(brief))
    assert [len(c["verdicts"]) for c in data["verified"]] == [1, 1]
    assert data["verified"][0]["verdicts"][0]["reviewer"] == "Carol"
    assert data["contested"] == [] and data["for_reviewer"] is None


def test_claim_numbers_count_claims_only_everywhere_in_the_brief() -> None:
    brief = build_brief(CORPUS, marks(), include_unreviewed=True, today=TODAY)
    # art-a: heading, claim 1, claim 2, boilerplate, claim 3.
    assert [(c.sentence_index, c.claim_number) for c in brief.verified] == [(1, 1), (2, 2)]
    assert [(c.sentence_index, c.claim_number) for c in brief.unreviewed][:1] == [(4, 3)]
    listed = section(parse(render_markdown(brief)).blocks, "Unreviewed claims")
    assert [text for tag, text in listed if tag == "p"][:2] == ["Claim 3", "Claim 1"]
    data = json.loads(render_json(brief))
    assert data["unreviewed"][0]["sentence_index"] == 4 and data["unreviewed"][0]["claim_number"] == 3
    assert all(f["claim_number"] > 0 for f in data["key_figures"])


def test_the_marker_names_the_corpus_and_renders_as_nothing() -> None:
    from factdesk.annotations.export.brief_files import corpus_key, is_previous_brief
    from factdesk.annotations.text.corpus import Corpus

    brief = build_brief(CORPUS, marks(), today=TODAY)
    key = corpus_key(CORPUS)
    assert key == Corpus(tuple(a.article for a in CORPUS.articles), (), ()).key  # the one corpus key
    md = render_markdown(brief)
    assert md.splitlines()[0] == f'[//]: # "factdesk brief: corpus {key}"'
    assert MD.render(md).startswith("<h1>")  # nothing shows, and it is no HTML
    assert not {t.type for t in MD.parse(md)} & {"html_block", "link_open"}
    assert json.loads(render_json(brief))["corpus"] == key
    forged = dataclasses.replace(brief, corpus="x --> <script>")
    assert "[//]" not in render_markdown(forged) and "x -->" not in render_markdown(forged)
    assert not is_previous_brief(Path("/nonexistent"), key)


def test_recognising_our_previous_brief_and_naming_a_new_one(tmp_path: Path) -> None:
    from factdesk.annotations.export.brief_files import corpus_key, default_brief_name, replace_problem

    brief = build_brief(CORPUS, marks(), today=TODAY)
    key = corpus_key(CORPUS)
    new = tmp_path / "new.md"
    assert replace_problem(new, key) is None
    ours_md, ours_json = tmp_path / "ours.md", tmp_path / "ours.json"
    ours_md.write_text(render_markdown(brief), encoding="utf-8")
    ours_json.write_text(render_json(brief), encoding="utf-8")
    assert replace_problem(ours_md, key) is None and replace_problem(ours_json, key) is None
    other_key = "0" * 16
    assert replace_problem(ours_md, other_key) and replace_problem(ours_json, other_key)  # another corpus' brief
    mine = tmp_path / "mine.md"
    mine.write_text(f'my notes\n[//]: # "factdesk brief: corpus {key}"\n', encoding="utf-8")  # not at the top
    assert "not a brief of this corpus" in (replace_problem(mine, key) or "")
    assert "folder" in (replace_problem(tmp_path, key) or "")
    # Named after the corpus folder (here /corpus), else the first outlet.
    assert default_brief_name(CORPUS) == "corpus-brief.md"
    elsewhere = dataclasses.replace(B, article=dataclasses.replace(B.article, path=Path("/other/001_aj.txt")))
    assert default_brief_name(CorpusAnalysis(articles=(elsewhere, A))) == "al-jazeera-brief.md"
    assert default_brief_name(CorpusAnalysis(articles=())) == "factdesk-brief.md"


def test_contested_table_escapes_names_and_notes() -> None:
    from factdesk.annotations.export.brief_markdown import render_contested_table

    verdicts = verdicts_by_claim()
    verdicts[ClaimRef("art-a", 2)]["bob"] = dataclasses.replace(
        verdicts[ClaimRef("art-a", 2)]["bob"], reviewer="b|ob", note="line one\n| not | a row"
    )
    verdicts[ClaimRef("art-a", 2)]["b|ob"] = verdicts[ClaimRef("art-a", 2)].pop("bob")
    brief = build_brief(CORPUS, shown(verdicts), verdicts=verdicts, today=TODAY)
    table = render_contested_table(brief.contested)
    rows = parse(table).rows
    assert rows[0] == ["Claim", "alice", "b|ob"]
    assert rows[1][0].startswith("Reuters, claim 2: “Rebels said")
    assert rows[1][1:] == ["✓ verified — Two wires | agree", "✗ disputed — line one | not | a row"]
    assert render_contested_table(()) == ""
