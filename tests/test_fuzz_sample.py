"""A fixed, small sample of ``bench/fuzz_hostile.py``: hostile articles and damaged databases through the command.

The full run (500+ articles, 40+ databases, the reader under a pty) takes a quarter of an hour; this keeps the same
generators honest in the fast suite with a seeded sample: 30 hostile articles (two corpora, hostile file names
included) and 10 damaged databases, run through ``factdesk`` in this process (a traceback fails the test) and,
for one corpus and one database, in a real process whose stdout must carry no escape either.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.pipeline.cache import cache_file
from factdesk.annotations.text.corpus import load_corpus
from factdesk.cli import main

REPO = Path(__file__).resolve().parent.parent
SEED = 20241208


def _fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_hostile", REPO / "bench" / "fuzz_hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


fuzz = _fuzz()


def factdesk(capsysbinary: pytest.CaptureFixture[bytes], *args: str | Path | bytes) -> tuple[int, bytes, bytes]:
    """Run the command in this process: (exit code, stdout, stderr). An exception escaping it fails the test."""
    argv = [os.fsdecode(a) for a in args]
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsysbinary.readouterr()
    return code, out, err


def assert_clean(result: tuple[int, bytes, bytes], what: str) -> None:
    code, out, err = result
    assert code in (0, 1, 2), (what, code, err[-300:])
    assert b"Traceback" not in err, (what, err[-600:])
    assert fuzz.problems_in(out) == [] and fuzz.problems_in(err) == [], (what, out[-300:], err[-300:])


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return fuzz.write_articles(random.Random(SEED), 30, tmp_path_factory.mktemp("fuzz"), per_corpus=15)


def test_the_sample_is_hostile(corpora: list[Path]) -> None:
    names = [name for folder in corpora for name in os.listdir(os.fsencode(folder))]
    assert len(names) == 32  # 30 hostile articles and one plain one per corpus
    assert any(b"\x1b" in name for name in names) and any(b"\xff" in n or b"\x9b" in n for n in names)
    paths = [os.path.join(os.fsencode(folder), name) for folder in corpora for name in os.listdir(os.fsencode(folder))]
    contents = b"".join(Path(os.fsdecode(path)).read_bytes() for path in paths)
    assert b"\x1b]52;" in contents and b"\x00" in contents and "\u202e".encode() in contents


@pytest.mark.parametrize("number", [0, 1])
def test_hostile_articles_through_every_command(
    corpora: list[Path], tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], number: int
) -> None:
    folder, db = corpora[number], tmp_path / "marks.json"
    assert_clean(factdesk(capsysbinary, "analyze", folder, "--json"), "analyze --json")
    assert_clean(factdesk(capsysbinary, "analyze", folder), "analyze")
    fuzz.sound_database(db, folder)  # hostile reviewers and notes on the hostile claims
    for form in fuzz.FORMATS:
        assert_clean(factdesk(capsysbinary, "export", folder, "--db", db, "--format", form, "--all"), form)
    brief = tmp_path / "brief.md"
    assert_clean(factdesk(capsysbinary, "export", folder, "--db", db, "-o", brief), "export -o")
    assert fuzz.problems_in(brief.read_bytes()) == []
    assert_clean(factdesk(capsysbinary, "stats", "--db", db, folder), "stats")
    annotations = tmp_path / "marks.jsonld"
    assert_clean(factdesk(capsysbinary, "export", folder, "--db", db, "--format", "annotations", "-o", annotations), "")
    assert_clean(factdesk(capsysbinary, "import", annotations, folder, "--db", tmp_path / "in.json"), "import")
    assert_clean(factdesk(capsysbinary, "restore", "--db", db, folder), "restore")


def test_hostile_file_names_in_a_real_process(corpora: list[Path]) -> None:
    """Real stdout (its encoding, a file name that is not UTF-8) and a damaged cache entry on the way."""
    folder = corpora[0]
    files = [os.path.join(os.fsencode(folder), name) for name in sorted(os.listdir(os.fsencode(folder)))[:8]]
    corpus = load_corpus([Path(os.fsdecode(file)) for file in files])
    analyze(corpus)
    entry = cache_file(corpus.articles)
    entry.write_bytes(fuzz._flip(random.Random(SEED), entry.read_bytes(), 3))
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"factdesk", b"analyze", b"--json", *files],
        capture_output=True,
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr[-600:]
    assert fuzz.problems_in(done.stdout) == [] and fuzz.problems_in(done.stderr) == []


SAMPLE = (
    "truncated at 50%",
    "binary",
    "foreign object",
    "status 5",
    "reviewer escapes",
    "note nested 100,000",
    "anchor start huge",
    "cut, .bak flipped",
    "cut, .bak nested",
    "UTF-16",
)


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, bytes | None]]:
    good = tmp_path_factory.mktemp("good") / "factdesk.json"
    fuzz.sound_database(good, fuzz.SEEDS)
    every = {what: (raw, bak) for what, raw, bak in fuzz.damaged_databases(random.Random(SEED), good.read_bytes(), 0)}
    assert len(every) >= 40
    return {what: every[what] for what in SAMPLE}


@pytest.mark.parametrize("what", SAMPLE)
def test_a_damaged_database_through_every_command(
    databases: dict[str, tuple[bytes, bytes | None]],
    tmp_path: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    what: str,
) -> None:
    raw, backup = databases[what]
    db = tmp_path / "factdesk.json"
    db.write_bytes(raw)
    if backup is not None:
        Path(f"{db}.bak").write_bytes(backup)
    digest = hashlib.sha256(raw).digest()
    assert_clean(factdesk(capsysbinary, "stats", "--db", db), "stats")
    for form in ("markdown", "annotations"):
        assert_clean(factdesk(capsysbinary, "export", fuzz.SEEDS, "--db", db, "--format", form), form)
    assert_clean(factdesk(capsysbinary, "merge", db, "-o", tmp_path / "merged.json"), "merge")
    if what != "reviewer escapes":  # the one sound database here: opening it may back it up, never change it
        assert hashlib.sha256(db.read_bytes()).digest() == digest  # a damaged database is never written
    assert_clean(factdesk(capsysbinary, "restore", "--db", db, fuzz.SEEDS), "restore")
    assert_clean(factdesk(capsysbinary, "export", fuzz.SEEDS, "--db", db), "export after restore")


@pytest.mark.slow
def test_the_reader_on_a_hostile_corpus_with_a_hostile_saved_position(corpora: list[Path], tmp_path: Path) -> None:
    """A real pty: the reader comes up, says the position was ignored, quits on q; nothing planted gets through."""
    from factdesk.annotations.storage.store import Store

    folder, db = corpora[1], tmp_path / "marks.json"
    fuzz.sound_database(db, folder)
    store = Store.open(db)
    store.set_state(load_corpus([folder]).key, {"panes": [7], "focus": "x"})
    before = {(m.article_id, m.anchor.quote, m.reviewer, m.status, m.note) for m in store.marks()}
    store.close()
    findings = fuzz.Findings()
    output = fuzz.reader_session(findings, fuzz.environment(tmp_path / "home"), folder, db)
    assert findings.total == 0, dict(findings.problems)
    assert "unreadable" in output.decode("utf-8", "replace")
    reread = Store.open(db, read_only=True)
    try:
        assert reread.get_state(load_corpus([folder]).key)["panes"][0]["article"]  # a sound position written on quit
        after = {(m.article_id, m.anchor.quote, m.reviewer, m.status, m.note) for m in reread.marks()}
        assert before <= after  # every mark still there (and the one v made)
    finally:
        reread.close()


def test_a_claim_holding_thousands_of_figures_is_cleaned_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by the fuzz run: the brief cleaned a claim's text once per figure in it, so one long line of figures
    (a table pasted as prose) took minutes to export — quadratic in the line's length."""
    from factdesk.annotations.export import build

    folder = tmp_path / "corpus"
    folder.mkdir()
    figures = ", ".join(f"{n} people" for n in range(1, 1501))
    (folder / "a.txt").write_text(f"Officials in Homs said {figures} fled on Sunday.\n", encoding="utf-8")
    analysis = analyze(load_corpus([folder]), use_cache=False)
    claim = analysis.articles[0].claims[0]
    assert len(analysis.articles[0].numbers) > 1000
    long_text = analysis.articles[0].sentence_text(claim)
    calls: list[int] = []
    real = build.clean_text

    def counting(text: str) -> str:
        calls.append(len(text) == len(long_text))
        return real(text)

    monkeypatch.setattr(build, "clean_text", counting)
    brief = build.build_brief(analysis, {}, include_unreviewed=True)
    assert len(brief.key_figures) > 1000 and sum(calls) <= 3  # the claim, its figures' shared text: a few, not 1,500


def test_a_corpus_of_articles_too_short_to_share_a_passage(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """Found by the fuzz run: with no article as long as one shingle, the copy detection indexed an empty array."""
    (tmp_path / "a.txt").write_text("Rebels won.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Homs fell on Sunday.\n", encoding="utf-8")
    result = factdesk(capsysbinary, "analyze", "--json", tmp_path / "a.txt", tmp_path / "b.txt")
    assert_clean(result, "analyze --json")
    assert result[0] == 0 and len(json.loads(result[1])["articles"]) == 2
