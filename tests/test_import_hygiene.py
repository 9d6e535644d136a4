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


def test_every_domain_module_imports_without_textual() -> None:
    names = sorted(p.stem for p in (REPO / "annotations").glob("*.py") if p.stem != "__init__")
    code = "\n".join(f"import annotations.{name}" for name in names)
    loaded = _modules_after(code)
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}
    assert not {m for m in loaded if m == "tui" or m.startswith("tui.")}


def test_cli_entry_point_defers_textual_and_nltk() -> None:
    loaded = _modules_after("import factdesk.cli")
    assert "textual" not in loaded
    assert "nltk" not in loaded


def test_no_domain_file_mentions_textual() -> None:
    for path in (REPO / "annotations").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import textual" not in source and "from textual" not in source, path
