"""Outlet identity: who published an article and when, read from its own text (issue 14, item 6)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from factdesk.annotations.text.corpus import load_corpus
from factdesk.annotations.text.outlet import front_matter, parse_date, read_outlet

HASHED = Path("000_b2a9280c56cfe527.txt")
BODY = "Officials said the bridge reopened on Tuesday. Traffic resumed within the hour.\n"


def test_front_matter_gives_title_outlet_date_url_author() -> None:
    text = (
        "---\n"
        'title: "Bridge reopens after repairs"\n'
        "publisher: Harbour Gazette  # the print edition\n"
        "date: 2024-03-05T10:00:00Z\n"
        "url: https://harbourgazette.example/bridge\n"
        "authors:\n"
        "  - Ann Example\n"
        "  - Bo Sample\n"
        "---\n" + BODY
    )
    info = read_outlet(text, HASHED)
    assert (info.outlet, info.outlet_source) == ("Harbour Gazette", "front matter")
    assert info.title == "Bridge reopens after repairs"
    assert info.date == "2024-03-05"
    assert info.url == "https://harbourgazette.example/bridge"
    assert info.author == "Ann Example"
    values, body_start = front_matter(text)
    assert text[body_start:] == BODY and values["publisher"] == "Harbour Gazette"


def test_no_front_matter_without_a_closing_fence() -> None:
    assert front_matter("---\ntitle: x\nno end here\n") == ({}, 0)
    assert front_matter(BODY) == ({}, 0)


def test_dateline_names_the_wire_and_the_outlet() -> None:
    info = read_outlet("LONDON (Reuters) - " + BODY, HASHED)
    assert (info.outlet, info.outlet_source, info.wire) == ("Reuters", "dateline", "Reuters")
    info = read_outlet("WASHINGTON (AP) — " + BODY, HASHED)
    assert (info.outlet, info.wire) == ("AP", "AP")
    info = read_outlet("(CNN) " + BODY, HASHED)
    assert (info.outlet, info.outlet_source, info.wire) == ("CNN", "dateline", None)
    # A local agency carrying a wire story: the outlet is the local one, the wire is credited.
    info = read_outlet("Accra, May 2, (dpa/XNA) – " + BODY, HASHED)
    assert (info.outlet, info.wire) == ("XNA", "dpa")


def test_photo_credit_is_not_a_dateline() -> None:
    info = read_outlet(BODY + "A crane lifts a beam into place. (AP Photo/Jo Smith)\n", HASHED)
    assert info.outlet == HASHED.name and info.wire is None


def test_copyright_names_the_outlet_and_credits_name_the_wire() -> None:
    text = BODY + "(With files from AP)\nCopyright © 2024 Example News.net. All rights reserved\n"
    info = read_outlet(text, HASHED)
    assert (info.outlet, info.outlet_source, info.wire) == ("Example News.net", "copyright", "AP")
    info = read_outlet(BODY + "© 2023 The Associated Press\n", HASHED)
    assert info.outlet == "The Associated Press" and info.wire == "AP"
    info = read_outlet(BODY + "Reuters contributed to this report.\n", HASHED)
    assert (info.outlet, info.outlet_source, info.wire) == ("Reuters", "credit", "Reuters")
    info = read_outlet(BODY + "— AFP\n", HASHED)
    assert info.wire == "AFP"


def test_copyright_without_a_name_is_ignored() -> None:
    text = BODY + "This story first appeared in a magazine. © 2022, reprinted with permission. All rights reserved.\n"
    assert read_outlet(text, HASHED).outlet == HASHED.name
    assert read_outlet(BODY + "© 2022, reprinted with permission.\n", HASHED).outlet == HASHED.name


def test_byline_gives_author_and_agency() -> None:
    info = read_outlet("By Jane Doe and John Roe, Reuters\n" + BODY, HASHED)
    assert info.author == "Jane Doe, John Roe" and info.wire == "Reuters"
    info = read_outlet("By Ann Example and Bo Sample PORTSMOUTH, England (Reuters) - " + BODY, HASHED)
    assert info.author == "Ann Example, Bo Sample"
    assert info.wire == "Reuters"


def test_date_and_url_lines() -> None:
    text = "Bridge reopens\ndate 2023-09-14 " + BODY + "Source URL: https://www.example.org/a?b=1\n"
    info = read_outlet(text, HASHED)
    assert info.date == "2023-09-14"
    assert info.url == "https://www.example.org/a?b=1"
    assert (info.outlet, info.outlet_source) == ("example.org", "url")
    assert parse_date("Published: Aug. 22, 2023 at 1:04 PM") == "2023-08-22"
    assert parse_date("5 June 2023") == "2023-06-05"
    assert parse_date("no date here") is None


def test_file_name_when_the_text_says_nothing() -> None:
    info = read_outlet(BODY, HASHED)
    assert (info.outlet, info.outlet_source, info.wire) == (HASHED.name, "file name", None)
    # A file named after its site already names its outlet, ahead of a wire dateline.
    info = read_outlet("WASHINGTON (AP) — " + BODY, Path("www.example-daily.com.txt"))
    assert (info.outlet, info.outlet_source, info.wire) == ("www.example-daily.com.txt", "file name", "AP")


def test_loaded_article_carries_the_identity(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: Front title\nsource: Valley Post\ndate: 2024-01-02\n---\n" + BODY)
    (tmp_path / "plain.txt").write_text(BODY)
    articles = {a.path.name: a for a in load_corpus([tmp_path]).articles}
    front = articles["a.md"]
    assert (front.title, front.source, front.outlet_source, front.date) == (
        "Front title",
        "Valley Post",
        "front matter",
        "2024-01-02",
    )
    plain = articles["plain.txt"]
    assert (plain.source, plain.outlet_source, plain.date, plain.url) == ("plain.txt", "file name", None, None)


def test_analyze_json_adds_outlet_fields_and_keeps_source(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("LONDON (Reuters) - " + BODY + "Source URL: https://news.example.com/x\n")
    (tmp_path / "plain.txt").write_text("Nobody named anything here. The river rose by a metre.\n")
    result = subprocess.run(
        [sys.executable, "-m", "factdesk", "analyze", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    articles = {Path(a["path"]).name: a for a in json.loads(result.stdout)["articles"]}
    wired = articles["a.txt"]
    assert wired["source"] == wired["outlet"] == "news.example.com"
    assert (wired["outlet_source"], wired["wire"], wired["url"]) == ("url", "Reuters", "https://news.example.com/x")
    plain = articles["plain.txt"]
    assert plain["source"] == "plain.txt" and plain["outlet_source"] == "file name"
    assert plain["date"] is None and plain["url"] is None and plain["author"] is None


def test_claimreview_names_the_outlet_and_its_page_never_a_file(tmp_path: Path) -> None:
    from factdesk.annotations.export.interop import claim_reviews
    from factdesk.annotations.model import ClaimRef, Status
    from factdesk.annotations.pipeline.analysis import analyze
    from factdesk.annotations.review.review import Review
    from factdesk.annotations.storage.store import Store

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "web.txt").write_text(
        "---\noutlet: Valley Post\ndate: 2024-01-02\nurl: https://valleypost.example/news/bridge\n---\n" + BODY
    )
    (folder / "plain.txt").write_text("Nobody named anything here. The river rose by a metre on Monday.\n")
    analysis = analyze(load_corpus([folder]), use_cache=False)
    with Store.open(tmp_path / "db.json") as store:
        review = Review(analysis, store, "alice")
        for article in analysis.articles:
            review.set_status(ClaimRef(article.article.id, article.claims[0].index), Status.VERIFIED)
        reviews = {r["itemReviewed"]["appearance"]["url"].split("/")[-1]: r for r in claim_reviews(review)}
    web = reviews["bridge"]["itemReviewed"]
    assert web["author"] == {"@type": "Organization", "name": "Valley Post", "url": "https://valleypost.example/"}
    assert web["appearance"]["url"] == "https://valleypost.example/news/bridge"
    assert web["appearance"]["datePublished"] == "2024-01-02"
    plain = reviews["plain.txt"]["itemReviewed"]
    assert plain["appearance"]["url"].startswith("file://")  # where the text is kept…
    assert "url" not in plain["author"]  # …is never the outlet's page


def test_front_matter_is_never_a_claim(tmp_path: Path) -> None:
    from factdesk.annotations.text.segment import segment

    text = "---\ntitle: Bridge reopens\nurl: https://example.org/a\n---\n" + BODY
    body_start = front_matter(text)[1]
    kinds = [(s.kind, s.start >= body_start) for s in segment(text)]
    assert ("claim", False) not in kinds and ("claim", True) in kinds


def test_a_site_named_file_outranks_a_source_line_naming_the_origin() -> None:
    text = BODY + "Source: Reuters\n"
    info = read_outlet(text, Path("valleypost.example.com.txt"))
    assert (info.outlet, info.outlet_source, info.wire) == ("valleypost.example.com.txt", "file name", "Reuters")
    info = read_outlet(text, HASHED)  # a hashed file name says nothing: the source line is the best there is
    assert (info.outlet, info.outlet_source) == ("Reuters", "source line")
