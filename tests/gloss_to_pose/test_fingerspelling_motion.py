"""Fingerspelling in one place, at a fingerspelling tempo (gloss_to_pose/fingerspelling_motion.py),
measured as benchmarks/fingerspelling_motion.py measures it: planning and motion only, no rendering
(a few seconds)."""

from __future__ import annotations

import statistics

import numpy as np
import pytest

from benchmark_module import load_benchmark
from signavatar.avatar.quaternions import quat_angle, quat_conj, quat_from_matrix, quat_mul
from signavatar.gloss_to_pose.fingerspelling_motion import SHAKE_CYCLES, SHAKE_HEIGHT, SHAKEN, Z_HEIGHT, Z_WIDTH, cycle
from signavatar.gloss_to_pose.motion_checks import jumps, penetrations, speed_violations
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings
from signavatar.types import RenderOptions

#: names, a long compound, a double letter, the moving letters J, Ä, Z, Ü, SCH
SAMPLE = ("MEIER", "SCHMIDT", "OTTO", "BEARBEITUNG", "JÄGER", "ZÜRICH")
STILL = ("MEIER", "SCHMIDT", "OTTO", "BEARBEITUNG")  # no letter of these moves through space


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    return Pipeline(Settings(data_dir=tmp_path_factory.mktemp("data")))


@pytest.fixture(scope="module")
def bench():
    return load_benchmark("fingerspelling_motion")


@pytest.fixture(scope="module")
def rows(pipeline, bench):
    return {w: bench.measure_word(pipeline, w, 1.0, 25) for w in SAMPLE}


def test_at_most_040_s_per_letter_at_the_default_speed(rows) -> None:
    mean = statistics.mean(r.seconds_per_letter for r in rows.values())
    assert mean <= 0.40, {w: round(r.seconds_per_letter, 3) for w, r in rows.items()}
    assert max(r.seconds_per_letter for w, r in rows.items() if w in STILL) <= 0.36


def test_longer_words_spell_a_little_faster_per_letter(rows) -> None:
    assert cycle(11) < cycle(5) <= cycle(4)
    assert rows["BEARBEITUNG"].seconds_per_letter < rows["MEIER"].seconds_per_letter


def test_the_speed_option_slows_the_spelling_down(pipeline, bench, rows) -> None:
    for word in ("MEIER", "BEARBEITUNG"):
        slow = bench.measure_word(pipeline, word, 0.8, 25).seconds_per_letter
        assert slow == pytest.approx(rows[word].seconds_per_letter / 0.8, rel=0.06)


def test_the_elbow_stays_below_the_shoulder_and_the_wrist_between_eye_and_hip(rows, bench) -> None:
    for word, r in rows.items():
        assert r.elbow_over_shoulder < -0.08, word
        assert bench.HIP_Y + 0.15 < r.wrist_low and r.wrist_high < bench.EYE_Y - 0.15, word


def test_the_hand_stays_at_the_spelling_place(rows) -> None:
    for word, r in rows.items():
        assert r.rest_dip < 0.01, f"{word}: the wrist goes {r.rest_dip * 100:.1f} cm back toward rest between letters"
    for word in STILL:
        r = rows[word]
        assert r.spread < 0.09, f"{word}: {r.spread:.3f} m from the spelling place"
        assert r.path / r.letters < 0.03, f"{word}: {r.path:.2f} m of wrist path"  # before: 6 cm per letter


def test_a_double_letter_is_shown_a_little_further_out(pipeline) -> None:
    seq = pipeline.parse_glosses("fs-OTTO")
    plan = pipeline.sequencer.plan(seq, 1.0)
    track = pipeline.motion(seq, RenderOptions())
    skeleton = pipeline.avatar.skeleton
    x = skeleton.forward(track.rotations.astype(np.float64))[1][:, skeleton.index("wrist.R"), 0]
    mid = [x[int((a + b) / 2 * track.fps)] for a, b, _, _ in plan.letters]
    assert [g for _, _, g, _ in plan.letters] == ["FS-O", "FS-T", "FS-T", "FS-O"]
    assert 0.03 < mid[1] - mid[2] < 0.06  # outward is -x for the right hand


def spelled(pipeline, word: str, speed: float, fps: int):
    """The word's planned letters, its track's rotations (T, J, 4) and the right wrist's places (T, 3)."""
    skeleton = pipeline.avatar.skeleton
    seq = pipeline.parse_glosses(f"fs-{word}")
    rot = pipeline.motion(seq, RenderOptions(fps=fps, speed=speed)).rotations.astype(np.float64)
    return pipeline.sequencer.plan(seq, speed).letters, rot, skeleton.forward(rot)[1][:, skeleton.index("wrist.R")]


def finger_turn(pipeline, rot) -> float:
    """The largest turn (degrees) of a right-hand finger joint over frames rot (K, J, 4) from the last."""
    names = pipeline.avatar.skeleton.names
    fingers = [i for i, n in enumerate(names) if n.startswith("finger") and n.endswith(".R")]
    return float(np.degrees(quat_angle(quat_mul(quat_conj(rot[-1, fingers]), rot[:, fingers]))).max())


@pytest.mark.parametrize("speed", [1.0, 0.8, 1.5])
def test_an_umlaut_is_its_hand_shaken_up_and_back_twice(pipeline, speed) -> None:
    """Ä, Ö, Ü: the wrist goes up from the place and back SHAKE_CYCLES times, by SHAKE_HEIGHT, the
    fingers held; A, O, U and the other still letters hold the hand where it is."""
    for word in ("MÜLLER", "KÖHLER", "JÄGER", "BAFÖG", "ÄÖÜ", "AOU"):
        letters, rot, pos = spelled(pipeline, word, speed, 25)
        y = pos[:, 1]
        for start, end, gloss, _ in letters:
            a, b = int(np.floor(start * 25 + 1e-6)), int(np.floor(end * 25 + 1e-6))  # arrival .. end of the hold
            span = y[a:b + 1]
            if gloss in SHAKEN:
                mid = span.min() + SHAKE_HEIGHT / 2
                ups = int(np.sum((span[1:] > mid) & (span[:-1] <= mid)))
                assert ups == SHAKE_CYCLES and np.ptp(span) > 0.8 * SHAKE_HEIGHT, (word, gloss, speed)
                assert span[0] - span.min() < 0.01 and span[-1] - span.min() < 0.01  # from the place, back to it
                # arrived, the handshape holds
                assert finger_turn(pipeline, rot[int(np.ceil(start * 25)):b + 1]) < 1.0, (word, gloss)
            elif gloss in ("FS-A", "FS-O", "FS-U", "FS-L", "FS-E", "FS-R", "FS-G", "FS-B", "FS-F"):
                assert np.ptp(span) < 0.01, (word, gloss, speed)


@pytest.mark.parametrize("speed", [1.0, 0.8, 1.5])
def test_z_is_drawn_in_the_air_as_the_signer_sees_it(pipeline, speed) -> None:
    """Z: along the top toward the signer's right (outward, -x for the right hand), diagonally down
    to the left, along the bottom to the right, the index held."""
    for word in ("KATZE", "ZUZUG", "Z", "QUARZ"):
        letters, rot, pos = spelled(pipeline, word, speed, 50)
        for start, end, gloss, _ in letters:
            if gloss != "FS-Z":
                continue
            a, b = int(np.ceil(start * 50)), int(np.floor(end * 50))
            out, up = -(pos[a:b + 1, 0] - pos[a, 0]), pos[a:b + 1, 1] - pos[a, 1]
            # the corners: the farthest out at the top, back in at the bottom, out again at the end
            top_right = int(np.argmax(out - 2 * np.abs(up)))
            bottom_left = int(np.argmin(out + 2 * np.abs(up + Z_HEIGHT)))
            assert 0 < top_right < bottom_left < len(out) - 1, (word, speed)
            assert out[top_right] == pytest.approx(Z_WIDTH, abs=0.01)
            assert abs(up[top_right]) < 0.01 and up[bottom_left] == pytest.approx(-Z_HEIGHT, abs=0.01)
            assert abs(out[bottom_left]) < 0.01 and out[-1] == pytest.approx(Z_WIDTH, abs=0.01)
            assert finger_turn(pipeline, rot[a:b + 1]) < 1.0, word


def test_the_palm_faces_as_in_the_recording(pipeline) -> None:
    """A still letter keeps its recording's hand orientation in the world (palm toward the viewer
    where the signer's was), though the arm is elsewhere."""
    sequencer, skeleton = pipeline.sequencer, pipeline.avatar.skeleton
    wrist = skeleton.index("wrist.R")
    seq = pipeline.parse_glosses("fs-MEIER")
    plan = sequencer.plan(seq, 1.0)
    track = pipeline.motion(seq, RenderOptions())
    world = skeleton.forward(track.rotations.astype(np.float64))[0]
    for start, end, gloss, _ in plan.letters:
        entry = sequencer.lexicon.get(gloss)
        assert entry is not None and entry.recording is not None
        frames = sequencer.letter_frames(entry)
        held = frames.quats[sequencer.speller.held_frame(frames)]
        recorded = quat_from_matrix(skeleton.forward(held)[0][wrist])
        shown = quat_from_matrix(world[int((start + end) / 2 * track.fps), wrist])
        assert np.degrees(quat_angle(quat_mul(quat_conj(recorded), shown))) < 12.0, gloss


@pytest.mark.parametrize("speed, fps", [(1.0, 25), (0.8, 30), (1.5, 25), (1.2, 50)])
def test_spelled_words_pass_the_motion_checks(pipeline, speed, fps) -> None:
    skeleton = pipeline.avatar.skeleton
    for word in SAMPLE + ("KATJA", "QUARZ", "WEIßENSEE", "MÜLLER"):
        track = pipeline.motion(pipeline.parse_glosses(f"fs-{word} KOMMEN"), RenderOptions(speed=speed, fps=fps))
        assert not speed_violations(track, skeleton), word
        assert not jumps(track), word
        assert not penetrations(track, skeleton), word


def test_a_letter_sign_written_as_a_gloss_is_spelled_like_a_one_letter_word(pipeline) -> None:
    spelled = pipeline.sequencer.plan(pipeline.parse_glosses("fs-A TERMIN"), 1.0)
    written = pipeline.sequencer.plan(pipeline.parse_glosses("FS-A TERMIN"), 1.0)
    assert [g for _, _, g, _ in written.letters] == ["FS-A"]
    assert written.letters == spelled.letters
