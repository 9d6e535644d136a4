from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from factdesk.annotations.model import Status
from factdesk.cli import main

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factdesk", *args], capture_output=True, text=True, cwd=cwd or REPO, timeout=120
    )


def test_analyze_json_contract_on_the_seeds(seeds_copy: Path) -> None:
    result = run("analyze", str(seeds_copy), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["version"] == 1
    assert set(data) >= {"articles", "matches", "conflicts", "aliases"}
    assert len(data["articles"]) == 5
    for article in data["articles"]:
        assert set(article) >= {"id", "path", "title", "source", "sentences", "entities", "numbers"}
        text = Path(article["path"]).read_text(encoding="utf-8")
        kinds = {s["kind"] for s in article["sentences"]}
        assert kinds <= {"claim", "heading", "boilerplate"} and "claim" in kinds
        for entity in article["entities"]:
            assert text[entity["start"] : entity["end"]] == entity["text"]
            assert entity["label"] in {"PERSON", "ORG", "LOC", "NORP", "DATE"}
        for number in article["numbers"]:
            assert text[number["start"] : number["end"]] == number["text"]
            value = number["value"]
            assert isinstance(value, (int, float)) or (isinstance(value, list) and len(value) == 2)
    labels = {e["label"] for a in data["articles"] for e in a["entities"]}
    assert {"PERSON", "LOC", "DATE"} <= labels
    texts = {n["text"] for a in data["articles"] for n in a["numbers"]}
    assert any("300,000" in t for t in texts)


def test_analyze_defaults_to_the_bundled_seeds() -> None:
    result = run("analyze", "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["articles"]) == 5


def test_usage_error_is_one_line_exit_2() -> None:
    result = run("export", "--format", "pdf")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_missing_corpus_is_a_clear_failure(tmp_path: Path) -> None:
    result = run("export", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert "nope" in result.stderr and "Traceback" not in result.stderr


def test_version_and_help(seeds_copy: Path) -> None:
    for args in (["--version"], ["export", "--version"], ["analyze", "--version"]):
        result = run(*args)
        assert result.returncode == 0 and "factdesk" in result.stdout
    help_text = run("--help").stdout
    assert "--db" in help_text and "factdesk.json" in help_text and "--theme" in help_text


def test_foreign_database_is_refused_and_left_alone(seeds_copy: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "notes.json"
    foreign.write_text('{"my": "own data"}')
    result = run("export", str(seeds_copy), "--db", str(foreign))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert foreign.read_text() == '{"my": "own data"}'


def _mark_first_two_claims(seeds_copy: Path) -> None:
    from factdesk.annotations.model import ClaimRef
    from factdesk.annotations.pipeline.analysis import analyze
    from factdesk.annotations.review.review import Review
    from factdesk.annotations.storage.locations import default_db_path
    from factdesk.annotations.storage.store import Store
    from factdesk.annotations.text.corpus import load_corpus

    corpus = load_corpus([seeds_copy])
    review = Review(analyze(corpus), Store.open(default_db_path([seeds_copy])), "alice")
    first = review.analysis.articles[0]
    claims = first.claims
    review.set_status(ClaimRef(first.article.id, claims[0].index), Status.VERIFIED)
    review.set_status(ClaimRef(first.article.id, claims[1].index), Status.DISPUTED)
    review.set_note(ClaimRef(first.article.id, claims[1].index), "Only one | source *says* so")


def test_export_markdown_json_and_file(seeds_copy: Path, tmp_path: Path) -> None:
    _mark_first_two_claims(seeds_copy)
    assert (seeds_copy / "factdesk.json").exists()  # the default rule: beside a writable corpus
    markdown = run("export", str(seeds_copy))
    assert markdown.returncode == 0, markdown.stderr
    brief = markdown.stdout
    verified, disputed = brief.index("## Verified claims (1)"), brief.index("## Disputed claims (1)")
    unreviewed = brief.index("## Unreviewed claims")
    first = brief.index("Homs, December 9: Syrian government forces have withdrawn")
    second = brief.index("The retreat comes amid mounting pressure from insurgents")
    assert verified < first < disputed < second < unreviewed
    assert r"Only one \| source \*says\* so" in brief  # the note, escaped for CommonMark
    out = tmp_path / "brief.md"
    written = run("export", str(seeds_copy), "-o", str(out))
    assert written.returncode == 0 and out.read_text(encoding="utf-8") == brief
    as_json = run("export", str(seeds_copy), "--format", "json")
    assert as_json.returncode == 0
    data = json.loads(as_json.stdout)
    assert [c["status"] for c in data["verified"]] == ["verified"]
    assert data["disputed"][0]["note"] == "Only one | source *says* so"
    listed = run("export", str(seeds_copy), "--all")
    assert "### " in listed.stdout.split("## Unreviewed claims")[1]  # --all lists them


def test_main_returns_codes_in_process(seeds_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(seeds_copy)]) == 0
    assert "claims" in capsys.readouterr().out
