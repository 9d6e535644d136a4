"""Lay out the installed package's tree (``factdesk/annotations/…``) as links to the repository's files.

The wheel maps ``factdesk.annotations`` to ``annotations/``, ``factdesk.tui`` to ``tui/`` and so on
(``[tool.setuptools] package-dir`` in pyproject.toml). Tools that walk a package's folder — import-linter's
graph, mypy — cannot follow that mapping, so they are pointed at this view instead: real folders, one symbolic
link per source file, built in milliseconds, always in step with the working tree.

Usage: ``python .ci/package_view.py DIR`` prints DIR after (re)building ``DIR/factdesk``.
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def mapped_folders() -> dict[str, Path]:
    """Each package named in pyproject.toml → the repository folder it is built from."""
    settings = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    roots = {name: REPO / folder for name, folder in settings["package-dir"].items()}
    folders = {}
    for package in settings["packages"]:
        parts = package.split(".")
        for cut in range(len(parts), 0, -1):
            root = ".".join(parts[:cut])
            if root in roots:
                folders[package] = roots[root].joinpath(*parts[cut:])
                break
    return folders


def build(target: Path) -> Path:
    view = target / "factdesk"
    if view.exists():
        shutil.rmtree(view)
    for package, folder in mapped_folders().items():
        destination = target.joinpath(*package.split("."))
        destination.mkdir(parents=True, exist_ok=True)
        for source in sorted(folder.glob("*.py")):
            (destination / source.name).symlink_to(source)
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1]).resolve()))
