"""The built wheel installs one import package, ``factdesk``, and works from a plain (non-editable) install.

Built from the files git tracks (a copy), so a module that exists only in a working tree, or a package
missing from pyproject's list, fails here as it would for a user.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _tracked_copy(target: Path) -> Path:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _site_packages(env: Path) -> Path:
    found = sorted(env.glob("lib/python*/site-packages")) + sorted(env.glob("Lib/site-packages"))
    assert found, f"no site-packages in {env}"
    return found[0]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[str]]:
    """(the fresh venv, its site-packages, the names the wheel added there)."""
    if shutil.which("git") is None:
        pytest.skip("git is needed to list the tracked files")
    root = tmp_path_factory.mktemp("wheel")
    source = _tracked_copy(root / "source")
    wheels = root / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), "."],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("factdesk-*.whl")
    env = root / "venv"
    venv.create(env, with_pip=False)
    site = _site_packages(env)
    before = {p.name for p in site.iterdir()}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(env / "bin" / "python"),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    added = {p.name for p in site.iterdir()} - before
    # The dependencies come from this environment's site-packages, read as a plain path (a .pth line adds a
    # folder without running the .pth files inside it, so the editable install here stays invisible).
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env, site, added


def test_the_wheel_installs_one_top_level_name(installed: tuple[Path, Path, set[str]]) -> None:
    _, _, added = installed
    names = {name for name in added if not name.endswith(".dist-info") and name != "__pycache__"}
    assert names == {"factdesk"}, f"the wheel put more than factdesk into site-packages: {sorted(added)}"
    assert any(name.startswith("factdesk-") and name.endswith(".dist-info") for name in added)


def test_the_installed_package_opens_the_bundled_seeds(installed: tuple[Path, Path, set[str]], tmp_path: Path) -> None:
    env, site, _ = installed
    result = subprocess.run(
        [str(env / "bin" / "factdesk"), "analyze", "--json"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    articles = json.loads(result.stdout)["articles"]
    assert len(articles) == 5
    assert all(Path(a["path"]).is_relative_to(site / "factdesk" / "seeds") for a in articles)
    assert all(a["sentences"] and a["entities"] for a in articles)


def test_python_dash_m_factdesk_is_the_command(installed: tuple[Path, Path, set[str]], tmp_path: Path) -> None:
    env, site, _ = installed
    python = str(env / "bin" / "python")
    version = subprocess.run([python, "-m", "factdesk", "--version"], cwd=tmp_path, capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("factdesk "), version.stderr
    where = subprocess.run(
        [python, "-c", "import factdesk.tui.app, factdesk.themes as t; print(t.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(site / "factdesk")
