"""The domain stands without the UI, and the non-reader commands never pay for Textual."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _modules_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def _domain_modules() -> list[str]:
    """Every module of ``factdesk.annotations``, by its installed name (the folder is ``annotations/``)."""
    names = []
    for path in sorted((REPO / "annotations").rglob("*.py")):
        parts = path.relative_to(REPO / "annotations").with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        names.append(".".join(("factdesk", "annotations", *parts[: -1 if parts[-1] == "__init__" else None])))
    return names


def test_every_domain_module_imports_without_textual() -> None:
    names = _domain_modules()
    assert "factdesk.annotations.storage.store" in names and "factdesk.annotations.text.corpus" in names
    loaded = _modules_after("\n".join(f"import {name}" for name in names))
    assert set(names) <= loaded
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}
    assert not {m for m in loaded if m.startswith(("factdesk.tui", "factdesk.cli"))}


def test_cli_entry_point_defers_textual_and_nltk() -> None:
    loaded = _modules_after("import factdesk.cli")
    assert "textual" not in loaded
    assert "nltk" not in loaded


def test_no_domain_file_mentions_textual() -> None:
    for path in (REPO / "annotations").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import textual" not in source and "from textual" not in source, path


# What the reader may not import before its first frame: the analysis (the recogniser, the comparison, the number
# and date rules, their regexes and numpy) loads on the analysis thread after the text is on screen.
ANALYSIS_MODULES = (
    "factdesk.annotations.pipeline",
    "factdesk.annotations.compare",
    "factdesk.annotations.ner",
    "factdesk.annotations.text.dates",
    "factdesk.annotations.text.numbers",
    "factdesk.annotations.review.review",
    "numpy",
)


def test_the_reader_reaches_its_first_frame_without_the_analysis() -> None:
    loaded = _modules_after(
        "from factdesk.cli.common import load\n"
        "import factdesk.cli.reader, factdesk.tui.app, factdesk.tui.screens.reader\n"
        "load([])"  # the bundled seeds, read as the reader reads them before it starts
    )
    assert "factdesk.tui.app" in loaded and "textual.app" in loaded
    early = sorted(m for m in loaded if m.startswith(ANALYSIS_MODULES))
    assert early == [], early
