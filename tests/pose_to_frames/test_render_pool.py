"""Frames drawn on the 2-process render pool equal those drawn in-process; transparent frames."""

from pathlib import Path

import numpy as np
import pytest

from signavatar.pipeline import Pipeline
from signavatar.settings import Settings
from signavatar.types import RenderOptions

OPTIONS = RenderOptions(width=64, height=64, fps=12)


@pytest.fixture(scope="module")
def pipelines():
    one, two = Pipeline(Settings(render_processes=1)), Pipeline(Settings(render_processes=2))
    yield one, two
    one.close()
    two.close()


@pytest.fixture(scope="module")
def track(pipelines):
    one, _ = pipelines
    return one.motion(one.parse_glosses("TERMIN ICH"), OPTIONS)


def test_pool_frames_equal_in_process_frames(pipelines, track) -> None:
    one, two = pipelines
    a = np.stack(list(one.frames(track, OPTIONS)))
    b = np.stack(list(two.frames(track, OPTIONS)))
    assert a.shape == b.shape == (track.num_frames, 64, 64, 3)
    assert np.abs(a.astype(int) - b.astype(int)).max() <= 2
    assert np.abs(a[len(a) // 2].astype(int) - a[0].astype(int)).max() > 30  # the avatar moves


def test_pool_survives_a_consumer_that_stops_early(pipelines, track) -> None:
    _, two = pipelines
    frames = two.frames(track, OPTIONS)
    first = next(frames)
    frames.close()  # e.g. ffmpeg failed: replies in flight must not leak into the next clip
    again = next(iter(two.frames(track, OPTIONS)))
    assert np.array_equal(first, again)


@pytest.mark.parametrize("processes", [1, 2])
def test_transparent_background_gives_rgba_frames(processes: int, pipelines, track) -> None:
    pipeline = pipelines[processes - 1]
    opts = RenderOptions(width=64, height=64, fps=12, format="webm", background=None)
    frame = next(iter(pipeline.frames(track, opts)))
    assert frame.shape == (64, 64, 4) and frame.dtype == np.uint8
    alpha = frame[..., 3]
    assert alpha[:4, :4].max() == 0 and alpha[:4, -4:].max() == 0  # corners: background
    assert (alpha == 255).mean() > 0.15  # the figure is opaque
    opaque = np.stack(list(pipelines[0].frames(track, OPTIONS)))[0]
    inside = alpha == 255
    assert np.abs(frame[..., :3][inside].astype(int) - opaque[inside].astype(int)).max() <= 2  # same colours


def test_a_coloured_background_fills_the_corners(pipelines, track) -> None:
    frame = next(iter(pipelines[0].frames(track, RenderOptions(width=64, height=64, fps=12, background=(10, 200, 30)))))
    assert np.abs(frame[:3, :3].astype(int) - (10, 200, 30)).max() <= 1


def test_render_processes_must_be_positive() -> None:
    from signavatar.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="render_processes"):
        Settings(render_processes=0)
    assert Settings.from_env({"SIGNAVATAR_RENDER_PROCESSES": "1"}).render_processes == 1
    assert Path(Pipeline(Settings()).avatar_path).name == "avatar.npz"
