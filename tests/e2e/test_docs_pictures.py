"""scripts/docs_pictures.py --only fingerspelling and --only movement, run as a person runs it: a word
spelled letter by letter, one tile per letter at its planned middle; a word without letters is refused;
the letters that move, frame by frame, the hand moving across the tiles."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from signavatar.pipeline import Pipeline
from signavatar.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "docs_pictures.py"
TILE = 256  # scripts/docs_pictures.py SPELLED_TILE
MOVE_TILE, MOVE_COLUMNS = 192, 7  # scripts/docs_pictures.py


def run(*args: str, only: str = "fingerspelling") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), "--only", only, *args], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})


def test_one_tile_per_letter_at_the_planned_middles(tmp_path: Path) -> None:
    done = run("--word", "Schaf", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    sheet = np.asarray(Image.open(tmp_path / "fingerspelling.png").convert("RGB"))
    pipeline = Pipeline(Settings())
    letters = pipeline.sequencer.plan(pipeline.parse_glosses("fs-SCHAF"), speed=1.0).letters
    assert [sign for _, _, sign, _ in letters] == ["FS-SCH", "FS-A", "FS-F"]  # SCH is one letter: one tile
    assert sheet.shape == (TILE, (1 + len(letters)) * TILE, 3)
    tiles = [sheet[: int(TILE * 0.8), k * TILE:(k + 1) * TILE].astype(int) for k in range(1 + len(letters))]
    # the letters' tiles show the avatar filling much of the crop (not the backdrop of their corner)
    # and differ from one another
    for tile in tiles[1:]:
        backdrop = tile[2, 2]
        skin = (tile[..., 0] > 150) & (tile[..., 0] > tile[..., 2] + 40)
        assert (np.abs(tile - backdrop).sum(axis=2) > 60).mean() > 0.3 and skin.mean() > 0.05
    for a, b in zip(tiles[1:], tiles[2:], strict=False):
        assert np.abs(a - b).mean() > 3.0


def test_a_word_without_letters_is_refused(tmp_path: Path) -> None:
    done = run("--word", "123", "--out", str(tmp_path))
    assert done.returncode != 0 and "no letter to fingerspell" in done.stderr
    assert not (tmp_path / "fingerspelling.png").exists()


def test_the_letters_that_move_move_across_their_tiles(tmp_path: Path) -> None:
    done = run("--letters", "AÄZ", "--out", str(tmp_path), only="movement")
    assert done.returncode == 0, done.stderr
    sheet = np.asarray(Image.open(tmp_path / "letter_movement.png").convert("RGB")).astype(int)
    assert sheet.shape == (3 * MOVE_TILE, (1 + MOVE_COLUMNS) * MOVE_TILE, 3)
    travel = []
    for row in range(3):
        centres = []
        for col in range(1, 1 + MOVE_COLUMNS):
            tile = sheet[row * MOVE_TILE:(row + 1) * MOVE_TILE - MOVE_TILE // 5, col * MOVE_TILE:(col + 1) * MOVE_TILE]
            skin = (tile[..., 0] > 150) & (tile[..., 0] > tile[..., 2] + 40)
            assert skin.mean() > 0.02, (row, col)  # the hand (and the face) are in view
            ys, xs = np.nonzero(skin)
            centres.append((xs.mean(), ys.mean()))
        c = np.array(centres)
        travel.append(float(np.linalg.norm(c - c.mean(axis=0), axis=1).max()))
    still, shaken, drawn = travel
    # the still A's skin barely moves (the mouth does, and the hand settles from its arrival: 2.8 px);
    # the shaken Ä's and the drawn Z's hands move (14 px)
    assert still < 5.0 and shaken > 3 * max(still, 1.0) and drawn > 3 * max(still, 1.0), travel
