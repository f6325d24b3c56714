"""CLI start-up time: wall time of `signavatar --help`, `signavatar gloss TEXT` and, as the baseline,
`python -c pass` (the interpreter alone), each a fresh process, over several repetitions.

Reports the median and the spread (min..max) of each, and the ratio of each median to the baseline's.
The commands run as `python -m signavatar.cli ...` with the repository on PYTHONPATH (what the installed
`signavatar` script runs); one warm-up run of each first, so the page cache is warm; the commands
take turns run by run.

usage: .venv/bin/python benchmarks/cli_startup.py [--runs N] [--more] [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Ich brauche einen Termin."
CLI = [sys.executable, "-m", "signavatar.cli"]
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "signavatar --help": [*CLI, "--help"],
    f'signavatar gloss "{TEXT}"': [*CLI, "gloss", TEXT],
}
#: --more: other subcommands, to see that the figure is not one command's
MORE = {
    "signavatar render --help": [*CLI, "render", "--help"],
    "signavatar lexicon list": [*CLI, "lexicon", "list"],
    'signavatar gloss "Wo ist das Bürgeramt?"': [*CLI, "gloss", "Wo ist das Bürgeramt?"],
}


def _once(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(runs: int, commands: dict[str, list[str]]) -> dict[str, list[float]]:
    """Seconds of each run; the commands take turns, run by run, so a load that comes and goes on
    the machine falls on all of them alike."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for cmd in commands.values():
        _once(cmd, env)  # warm-up
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(_once(cmd, env))
    return times


def report(times: dict[str, list[float]]) -> str:
    base = statistics.median(times["python -c pass"])
    lines = ["| command | median s | spread (min..max) s | x baseline |", "|---|---:|---:|---:|"]
    for name, t in times.items():
        med = statistics.median(t)
        lines.append(f"| `{name}` | {med:.3f} | {min(t):.3f}..{max(t):.3f} | {med / base:.1f} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="timed runs of each command (default 7)")
    ap.add_argument("--append", type=Path, metavar="FILE", help="append the table to this markdown file")
    ap.add_argument("--more", action="store_true", help="also time other subcommands (render --help, lexicon list)")
    args = ap.parse_args()
    table = report(measure(args.runs, {**COMMANDS, **MORE} if args.more else COMMANDS))
    print(table)
    if args.append:
        with args.append.open("a", encoding="utf-8") as f:
            f.write("\n" + table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
