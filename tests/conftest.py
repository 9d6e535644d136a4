"""Shared fixtures: an isolated home (no test touches the user's files) and small corpora."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    # The analysis cache is keyed by content and code, so tests may share one: each corpus is analysed once.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "shared-cache"))
    monkeypatch.setenv("FACTDESK_REVIEWER", "tester")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seeds (so factdesk.json lands beside them)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for file in sorted(SEEDS.glob("*.txt")):
        shutil.copy(file, folder / file.name)
    return folder
