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


@pytest.mark.slow
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


# --------------------------------------------------------------------------- several reviewers, --reviewer, overwrite

ALICE_NOTE = "Checked against the Reuters wire"
BOB_NOTE = "Only one source says so"


def _merged_reviews(seeds_copy: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    """alice and bob each review in their own database; ``factdesk merge`` joins them.

    The first article's claim 3 (sentence 4: a heading comes before it) is contested — alice verified it, bob,
    who marked last, disputed it — claims 1 and 2 they agree on. Every claim's most recent mark is bob's, which
    is all the brief used to show. Returns the merged database and the three claims' texts.
    """
    from factdesk.annotations.model import ClaimRef
    from factdesk.annotations.pipeline.analysis import analyze
    from factdesk.annotations.review.review import Review
    from factdesk.annotations.storage.store import Store
    from factdesk.annotations.text.corpus import load_corpus

    analysis = analyze(load_corpus([seeds_copy]))
    first = analysis.articles[0]
    claims = first.claims[:3]
    refs = [ClaimRef(first.article.id, s.index) for s in claims]
    assert claims[2].index == 3  # claim 3 is sentence 4: the two numberings differ here
    with Store.open(tmp_path / "alice.json") as store:
        alice = Review(analysis, store, "alice")
        alice.set_status(refs[0], Status.VERIFIED)
        alice.set_status(refs[1], Status.DISPUTED)
        alice.set_status(refs[2], Status.VERIFIED)
        alice.set_note(refs[2], ALICE_NOTE)
    with Store.open(tmp_path / "bob.json") as store:
        bob = Review(analysis, store, "bob")
        bob.set_status(refs[0], Status.VERIFIED)
        bob.set_status(refs[1], Status.DISPUTED)
        bob.set_status(refs[2], Status.DISPUTED)
        bob.set_note(refs[2], BOB_NOTE)
    merged = tmp_path / "merged.json"
    result = run("merge", str(tmp_path / "alice.json"), str(tmp_path / "bob.json"), "-o", str(merged))
    assert result.returncode == 0, result.stderr
    return merged, [first.sentence_text(s) for s in claims]


def _entry(brief: str, claim_text: str) -> str:
    """The Markdown entry (from its ### heading to the next) that quotes ``claim_text``."""
    entries = brief.split("\n### ")
    [entry] = [e for e in entries if claim_text[:50] in e]
    return entry


@pytest.mark.slow
def test_export_of_a_merged_database_names_every_reviewer_and_each_verdict(seeds_copy: Path, tmp_path: Path) -> None:
    merged, texts = _merged_reviews(seeds_copy, tmp_path)
    result = run("export", str(seeds_copy), "--db", str(merged))
    assert result.returncode == 0, result.stderr
    brief = result.stdout
    assert "- Reviewers: alice, bob" in brief
    contested = _entry(brief, texts[2])
    heading = contested.split("\n")[0]
    assert "000\\_b2a9280c56cfe527.txt, claim 3" in heading and "sentence" not in heading  # the reader's number
    assert "reviewers differ" in heading
    assert "Verified by alice" in contested and "Disputed by bob" in contested
    assert ALICE_NOTE in contested and BOB_NOTE in contested
    agreed = _entry(brief, texts[0])
    assert "Verified by alice" in agreed and "Verified by bob" in agreed and "differ" not in agreed.split("\n")[0]

    data = json.loads(run("export", str(seeds_copy), "--db", str(merged), "--format", "json").stdout)
    assert data["reviewers"] == ["alice", "bob"]
    [claim] = [c for c in data["verified"] + data["disputed"] if c["text"] == texts[2]]
    assert claim["status"] in ("verified", "disputed") and claim["reviewer"] in ("alice", "bob")  # kept fields
    assert claim["sentence_index"] == 3 and claim["claim_number"] == 3 and claim["contested"] is True
    assert [(v["reviewer"], v["status"], v["note"]) for v in claim["verdicts"]] == [
        ("alice", "verified", ALICE_NOTE),
        ("bob", "disputed", BOB_NOTE),
    ]
    assert all(v["updated"] for v in claim["verdicts"])
    assert [c["text"] for c in data["contested"]] == [texts[2]]
    assert len(data["contested"]) == 1 and data["contested"][0]["claim_number"] == 3

    with_agreement = run("export", str(seeds_copy), "--db", str(merged), "--agreement")
    section = with_agreement.stdout.split("## Agreement between reviewers")[1]
    assert "Claims with differing verdicts: 1." in section
    [row] = [line for line in section.splitlines() if texts[2][:30] in line]
    assert "claim 3" in row and "verified" in row and "disputed" in row
    assert ALICE_NOTE in row and BOB_NOTE in row
    as_json = json.loads(run("export", str(seeds_copy), "--db", str(merged), "--agreement", "--format", "json").stdout)
    [listed] = as_json["agreement"]["contested"]
    assert listed["claim_number"] == 3
    assert {v["reviewer"]: v["note"] for v in listed["verdicts"]} == {"alice": ALICE_NOTE, "bob": BOB_NOTE}


def test_export_reviewer_gives_one_reviewers_brief(seeds_copy: Path, tmp_path: Path) -> None:
    merged, texts = _merged_reviews(seeds_copy, tmp_path)
    result = run("export", str(seeds_copy), "--db", str(merged), "--reviewer", "alice")
    assert result.returncode == 0, result.stderr
    brief = result.stdout
    assert "- Reviewer: alice" in brief
    assert "bob" not in brief.split("## Sources")[1] and BOB_NOTE not in brief
    assert "## Verified claims (2)" in brief and "## Disputed claims (1)" in brief  # alice's three verdicts
    assert ALICE_NOTE in _entry(brief, texts[2]) and "Verified by alice" in _entry(brief, texts[2])
    data = json.loads(
        run("export", str(seeds_copy), "--db", str(merged), "--reviewer", "bob", "--format", "json").stdout
    )
    assert data["reviewers"] == ["bob"]
    assert {c["reviewer"] for c in data["verified"] + data["disputed"]} == {"bob"}
    assert data["totals"]["verified"] == 1 and data["totals"]["disputed"] == 2
    unknown = run("export", str(seeds_copy), "--db", str(merged), "--reviewer", "carol")
    assert unknown.returncode == 1 and unknown.stdout == ""
    assert unknown.stderr.count("\n") == 1 and "carol" in unknown.stderr and "alice, bob" in unknown.stderr


@pytest.mark.slow
def test_export_never_replaces_a_file_that_is_not_this_corpus_brief(seeds_copy: Path, tmp_path: Path) -> None:
    _mark_first_two_claims(seeds_copy)
    target = tmp_path / "report.md"
    target.write_text("my own notes\n", encoding="utf-8")
    refused = run("export", str(seeds_copy), "-o", str(target))
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "my own notes\n"
    forced = run("export", str(seeds_copy), "-o", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    brief = target.read_text(encoding="utf-8")
    assert brief == run("export", str(seeds_copy)).stdout
    again = run("export", str(seeds_copy), "-o", str(target), "--all")  # our previous brief of this corpus
    assert again.returncode == 0, again.stderr
    assert target.read_text(encoding="utf-8") != brief and "## Unreviewed claims" in target.read_text(encoding="utf-8")
    as_json = tmp_path / "brief.json"
    assert run("export", str(seeds_copy), "--format", "json", "-o", str(as_json)).returncode == 0
    assert run("export", str(seeds_copy), "--format", "json", "-o", str(as_json)).returncode == 0  # ours again
    # Another corpus' brief is somebody else's work: refused too.
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("Rebels entered the city on Sunday, witnesses said.\n", encoding="utf-8")
    elsewhere = run("export", str(other), "-o", str(target))
    assert elsewhere.returncode == 1 and "--force" in elsewhere.stderr
    assert "Rebels entered" not in target.read_text(encoding="utf-8")
