#!/usr/bin/env python3
"""What the reader costs up to its first frame, against the bare Textual floor app: CPU seconds and modules.

    python bench/first_frame_cost.py [--runs 7] [--size 160x48] [--profile OUT.prof] [--modules] [--tree NAME=DIR]

Why: ``bench/first_text.py`` times the text's arrival on a tmux screen, which a shared machine's load moves by
tens of percent; the CPU time the process spent until it wrote its first frame (``time.process_time``), and the
number of modules it had imported by then, hardly move with load. Each launch runs in a real pseudo-terminal
(so Textual drives a terminal, as for a reviewer) with a probe that wraps the driver's ``write``: the first write
whose text holds the first article's opening words is the first frame; the probe records CPU time, wall time since
launch and ``len(sys.modules)`` there, and ends the process.

Commands, alternated run by run: ``floor`` (``../shared/tools/floor_app.py`` on the seeds' first two files) and
``factdesk`` (``python -m factdesk`` with no path: the bundled seeds, a new database, its analysis cache warm), and
each ``--tree NAME=DIR`` (another factdesk, laid out as installed, e.g. HEAD's, for before/after in one run).
Bytecode is cached as in ``bench/first_text.py`` (``--no-bytecode-cache``: every launch compiles its modules).
``--profile`` writes a cProfile of one factdesk launch up to its first frame; ``--modules`` lists the modules
factdesk has imported by its first frame that the floor has not.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FLOOR_APP = REPO.parent / "shared" / "tools" / "floor_app.py"

# Runs inside the launched process, before the app: ``sys.argv[1]`` is the report file, ``[2]`` the pattern,
# ``[3]`` a cProfile output ("" for none), ``[4]`` the module or the script to run, then its arguments.
PROBE = r"""
import os, re, sys, time
report, pattern, profile_out, target = sys.argv[1:5]
sys.argv = [target, *sys.argv[5:]]
ansi = re.compile(r"\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_].*?\x1b\\|\x1b.")
wanted = re.compile(pattern)
profiler = None
if profile_out:
    import cProfile
    profiler = cProfile.Profile()
import textual.app

display = textual.app.App._display

def probed_display(app, screen, renderable):
    driver = app._driver
    if driver is not None and not getattr(driver, "_probed", False):
        driver._probed = True
        write = driver.write

        def probed_write(data):
            cpu, wall, count = time.process_time(), time.time(), len(sys.modules)
            write(data)
            if wanted.search(ansi.sub("", data)):
                if profiler is not None:
                    profiler.disable()
                    profiler.dump_stats(profile_out)
                with open(report, "w") as out:
                    import json
                    json.dump({"cpu": cpu, "run": cpu - started["cpu"], "wall": wall, "modules": count,
                               "names": sorted(sys.modules)}, out)
                os._exit(0)

        driver.write = probed_write
    return display(app, screen, renderable)

textual.app.App._display = probed_display
run = textual.app.App.run
started = {}

def probed_run(app, *args, **kwargs):
    started["cpu"] = time.process_time()
    return run(app, *args, **kwargs)

textual.app.App.run = probed_run
if profiler is not None:
    profiler.enable()
if target.endswith(".py"):
    import runpy
    runpy.run_path(target, run_name="__main__")
else:
    import runpy
    runpy.run_module(target, run_name="__main__", alter_sys=True)
"""


def bytecode_environment(work: Path, cached: bool) -> dict[str, str]:
    """Where launches keep their bytecode: a private cache (``cached``), else none (``PYTHONDONTWRITEBYTECODE``)."""
    if not cached:
        return {"PYTHONDONTWRITEBYTECODE": "1"}
    return {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(work / "bytecode")}


def launch(args: list[str], env: dict[str, str], size: tuple[int, int], timeout: float = 60) -> dict:
    """Run ``python PROBE report pattern profile target ...`` on a pty of ``size``; the probe's report."""
    with tempfile.TemporaryDirectory(prefix="factdesk-first-frame-") as temp:
        report = Path(temp) / "report.json"
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        began = time.time()
        process = subprocess.Popen(
            [sys.executable, "-c", PROBE, str(report), *args],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=temp, start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        try:
            while process.poll() is None and time.time() - began < timeout:
                ready, _, _ = select.select([master], [], [], 0.05)
                if ready:
                    try:
                        os.read(master, 65536)  # drained, or the app would block on a full pty
                    except OSError:
                        break
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(10)
            os.close(master)
        if not report.exists():
            raise SystemExit(f"no first frame within {timeout} s: {' '.join(args[2:])}")
        result = json.loads(report.read_text())
        result["wall"] -= began
        return result


def first_words(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if len(words) >= 3:
            import re

            return r"\s+".join(re.escape(word) for word in words[:3])
    raise SystemExit(f"no text line in {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="160x48")
    parser.add_argument("--profile", metavar="OUT", help="write a cProfile of one factdesk launch to OUT")
    parser.add_argument("--modules", action="store_true", help="list the modules factdesk adds to the floor's")
    parser.add_argument(
        "--no-bytecode-cache", action="store_true", help="every launch compiles its modules (PYTHONDONTWRITEBYTECODE=1)"
    )
    parser.add_argument(
        "--tree",
        action="append",
        default=[],
        metavar="NAME=DIR",
        help="also time, as NAME, the factdesk laid out as installed in DIR (put on PYTHONPATH), interleaved",
    )
    args = parser.parse_args()
    cols, rows = (int(n) for n in args.size.split("x"))
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    pattern = first_words(seeds[0])
    with tempfile.TemporaryDirectory(prefix="factdesk-first-frame-") as temp:
        work = Path(temp)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
        env.update(TERM="xterm-256color", COLORTERM="truecolor", XDG_CACHE_HOME=str(work / "cache"))
        env.update(XDG_CONFIG_HOME=str(work / "config"), XDG_DATA_HOME=str(work / "data"))
        env.update(bytecode_environment(work, cached=not args.no_bytecode_cache))
        envs = {"floor": env, "factdesk": env}
        for tree in args.tree:
            name, _, folder = tree.partition("=")
            envs[name] = {**env, "PYTHONPATH": str(Path(folder).resolve())}
        for name in envs.keys() - {"floor"}:
            subprocess.run(
                [sys.executable, "-m", "factdesk", "analyze"], env=envs[name], cwd=temp, capture_output=True, check=True
            )
        counter = iter(range(10_000))

        def command(name: str, profile: str = "") -> list[str]:
            if name == "floor":
                return [pattern, profile, str(FLOOR_APP), str(seeds[0]), str(seeds[1])]
            db = work / f"db-{next(counter)}.json"
            return [pattern, profile, "factdesk", "--db", str(db), "--reviewer", "bench"]

        for name in envs:  # warm-up: page cache, bytecode
            launch(command(name), envs[name], (cols, rows))
        results: dict[str, list[dict]] = {name: [] for name in envs}
        for _ in range(args.runs):
            for name in envs:
                results[name].append(launch(command(name), envs[name], (cols, rows)))
        base = {key: statistics.median(r[key] for r in results["floor"]) for key in ("cpu", "wall", "modules")}
        mode = "no bytecode cache" if args.no_bytecode_cache else "bytecode cached"
        print(f"first frame, seeds, {args.runs} runs each, {args.size}, {mode}, load {os.getloadavg()[0]:.2f}")
        for name, runs in results.items():
            cpu = [r["cpu"] for r in runs]
            in_run = statistics.median(r["run"] for r in runs)
            wall = [r["wall"] for r in runs]
            modules = statistics.median(r["modules"] for r in runs)
            middle = statistics.median(cpu)
            print(
                f"  {name:8}  CPU {middle:.3f} s (min {min(cpu):.3f}) ×{middle / base['cpu']:.2f}"
                f" (+{middle - base['cpu']:.3f};"
                f" {middle - in_run:.3f} before App.run, {in_run:.3f} in it)"
                f"   wall {statistics.median(wall):.3f} s ×{statistics.median(wall) / base['wall']:.2f}"
                f"   modules {modules:.0f} (+{modules - base['modules']:.0f})"
            )
        if args.modules:
            extra = sorted(set(results["factdesk"][0]["names"]) - set(results["floor"][0]["names"]))
            print(f"modules factdesk adds ({len(extra)}):", " ".join(extra))
        if args.profile:
            launch(command("factdesk", args.profile), env, (cols, rows))
            print(f"profile of one launch to its first frame: {args.profile}")


if __name__ == "__main__":
    main()
