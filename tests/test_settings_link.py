"""A settings file the user linked on purpose (a dotfiles repository) keeps its link when a preference is saved."""

from __future__ import annotations

import json
from pathlib import Path

from factdesk.annotations.storage.locations import settings_path
from factdesk.annotations.storage.settings import load_settings, save_setting


def test_a_settings_link_of_the_users_is_written_in_place(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "factdesk-settings.json"
    real.parent.mkdir()
    real.write_text(json.dumps({"theme": "factdesk-light"}))
    link = settings_path()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(real)
    assert save_setting("reviewer", "alice")
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert json.loads(real.read_text()) == {"theme": "factdesk-light", "reviewer": "alice"}
    assert load_settings()["reviewer"] == "alice"


def test_a_dangling_settings_link_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "planted.json"
    link = settings_path()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    assert not save_setting("reviewer", "alice")
    assert not target.exists()
