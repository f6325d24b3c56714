"""scripts/docs_pictures.py --only fingerspelling, run as a person runs it: a word spelled letter by
letter, one tile per letter at its planned middle; a word without letters is refused."""

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


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), "--only", "fingerspelling", *args], capture_output=True,
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
