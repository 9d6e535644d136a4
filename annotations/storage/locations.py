"""Where factdesk keeps its files, by one rule a user can predict.

Database: ``--db`` when given; else ``factdesk.json`` in the corpus folder when all
articles come from one writable folder that is not the installed package; else a
per-corpus file under the XDG data dir (``~/.local/share/factdesk/``). Settings (the
theme) live under the XDG config dir, the analysis cache under the XDG cache dir.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_data_path

APP = "factdesk"
DB_NAME = "factdesk.json"


def data_dir() -> Path:
    return user_data_path(APP, appauthor=False)


def config_dir() -> Path:
    return user_config_path(APP, appauthor=False)


def cache_dir() -> Path:
    return user_cache_path(APP, appauthor=False)


def settings_path() -> Path:
    return config_dir() / "settings.json"


def _corpus_folder(paths: list[Path]) -> Path | None:
    folders = {(p if p.is_dir() else p.parent).resolve() for p in paths}
    return folders.pop() if len(folders) == 1 else None


def _is_package_folder(folder: Path) -> bool:
    from factdesk.annotations.text.corpus import bundled_seeds

    package_root = Path(__file__).resolve().parents[2]  # the repository, or site-packages/factdesk
    return folder == bundled_seeds().resolve() or (folder / "__init__.py").exists() or folder == package_root / "seeds"


def default_db_path(paths: list[Path]) -> Path:
    """The database for a corpus given as ``paths`` (see the module docstring for the rule)."""
    folder = _corpus_folder(paths)
    if folder is not None and not _is_package_folder(folder) and os.access(folder, os.W_OK):
        return folder / DB_NAME
    key = hashlib.sha256("\n".join(sorted(str(p.resolve()) for p in paths)).encode()).hexdigest()[:12]
    name = (folder.name if folder is not None else "corpus") or "corpus"
    return data_dir() / f"{name}-{key}.json"


DB_RULE_HELP = (
    "Default database: FOLDER/factdesk.json when the articles come from one writable folder, "
    f"otherwise a per-corpus file in {data_dir()}."
)
