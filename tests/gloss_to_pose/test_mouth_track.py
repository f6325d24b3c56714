"""Mouth pictures in the motion: each sign's span mouths its German word (real espeak-ng, real lexicon)."""

import numpy as np
import pytest

from signavatar.gloss_to_pose import german_phonemes as g2p
from signavatar.gloss_to_pose.mouth_track import BLEND_S, MOUTH_CHANNELS, mouth_keys, viseme_weights
from signavatar.gloss_to_pose.mouthing import Viseme, VisemeKey
from signavatar.types import GlossSequence, GlossToken

FPS = 25
FULL = 0.99


def token(gloss: str, mouthing: str | None = None) -> GlossToken:
    if gloss.isdigit():
        return GlossToken(gloss, kind="number", mouthing=mouthing)
    if gloss.startswith("fs-"):
        return GlossToken(gloss, kind="fingerspell", mouthing=mouthing)
    return GlossToken(gloss, mouthing=mouthing)


def mouth(sequencer, tokens, fps=FPS):
    """(mouth channel weights (T, 6), sample times (T,), spans) of the sequence's track."""
    seq = GlossSequence(tuple(tokens))
    track = sequencer.track(seq, fps)
    cols = [list(track.face_channels).index(c) for c in MOUTH_CHANNELS]
    return track.face[:, cols].astype(float), np.arange(len(track.face)) / fps, sequencer.plan(seq, 1.0).spans


def ch(name: str) -> int:
    return MOUTH_CHANNELS.index(name)


def one(sequencer, gloss: str, mouthing: str | None = None):
    """Mouth weights inside the span of a one-sign sequence, and the span's (start, end)."""
    m, ts, [(start, end, _)] = mouth(sequencer, [token(gloss, mouthing)])
    inside = (ts > start) & (ts < end)
    return m[inside], ts[inside], (start, end)


TESTED = ("BITTE", "DANKE", "SIE", "AMT", "BRAUCHEN", "MONTAG", "ABHOLEN", "BRIEF", "PASS", "JA", "WAS", "WIE", "ICH",
          "HIER", "GUT", "NICHT", "PERSONALAUSWEIS")


def test_the_tested_signs_put_no_mouth_channels_in_their_keyframes(lexicon) -> None:
    """The tests below read every mouth weight as the mouthing's own (none comes from a keyframe)."""
    for gloss in TESTED:
        for kf in lexicon.get(gloss).keyframes:
            assert not set(kf.face) & set(MOUTH_CHANNELS), gloss


def test_a_keyframe_mouth_value_stays_as_a_floor_and_a_bilabial_still_closes(sequencer, lexicon) -> None:
    """SCHNELL's keyframes spread the lips; mouthed "mama" its lips still close fully at the m."""
    assert any(kf.face.get("mouth_spread", 0.0) > 0.2 for kf in lexicon.get("SCHNELL").keyframes)
    plain, _, _ = one(sequencer, "SCHNELL", mouthing="none")
    m, _, _ = one(sequencer, "SCHNELL", mouthing="mama")
    assert plain[:, ch("mouth_spread")].max() > 0.2
    assert np.all(m[:, ch("mouth_spread")] >= plain[:, ch("mouth_spread")] * (1 - m[:, ch("lips_closed")]) - 1e-6)
    k = int(np.argmax(m[:, ch("lips_closed")]))
    assert m[k, ch("lips_closed")] >= FULL and m[k, ch("mouth_spread")] < 0.01


def test_mouth_is_at_rest_outside_every_span(sequencer) -> None:
    m, ts, spans = mouth(sequencer, [token(g) for g in ("BITTE", "DANKE", "fs-EMIL", "8", "SIE", "AMT")])
    inside = np.zeros(len(ts), dtype=bool)
    for start, end, _ in spans:
        inside |= (ts > start) & (ts < end)
    assert inside.any() and (~inside).sum() > 20
    assert np.abs(m[~inside]).max() == 0.0
    assert m[inside].max() > 0.9  # the mouthing does show inside


def test_weights_are_zero_at_the_span_edges_and_outside() -> None:
    keys = (VisemeKey(0.5, Viseme.OPEN, "a"), VisemeKey(0.7, Viseme.CLOSED, "m"))
    ts = np.array([0.0, 0.5, 0.5 + 1e-4, 0.62, 0.8, 0.9 - 1e-4, 0.9, 1.2])
    w = viseme_weights(keys, 0.5, 0.9, ts)
    assert np.all(w[[0, 1, 6, 7]] == 0.0)
    assert w[2].max() < 0.01 and w[5].max() < 0.01  # eased in from / out to the rest mouth
    assert w[3, ch("mouth_open")] == pytest.approx(1.0) and w[4, ch("lips_closed")] == pytest.approx(1.0)


@pytest.mark.parametrize("gloss", ["BITTE", "BRAUCHEN", "MONTAG", "AMT", "ABHOLEN", "BRIEF", "PASS"])
def test_a_word_with_a_bilabial_closes_the_lips_fully(sequencer, gloss) -> None:
    m, _, _ = one(sequencer, gloss)
    k = int(np.argmax(m[:, ch("lips_closed")]))
    assert m[k, ch("lips_closed")] >= FULL
    others = [c for c in range(len(MOUTH_CHANNELS)) if c != ch("lips_closed")]
    assert m[k, others].max() < 0.01  # nothing else parts the lips in that frame


@pytest.mark.parametrize("gloss", ["DANKE", "AMT", "ABHOLEN", "JA", "WAS", "8"])
def test_a_word_with_an_open_vowel_opens_the_mouth(sequencer, gloss) -> None:
    m, _, _ = one(sequencer, gloss)
    assert m[:, ch("mouth_open")].max() >= FULL


@pytest.mark.parametrize("gloss", ["SIE", "WIE", "ICH", "HIER", "GUT", "NICHT", "7"])
def test_a_word_without_bilabial_or_open_vowel_keeps_the_lips_apart(sequencer, gloss) -> None:
    m, _, _ = one(sequencer, gloss)
    assert m[:, ch("lips_closed")].max() == 0.0 and m[:, ch("cheeks_puff")].max() == 0.0
    assert m[:, ch("mouth_open")].max() < 0.5
    middle = m[len(m) // 4: len(m) - len(m) // 4]
    # each visible shape here parts the lips: mouth_round, mouth_spread, lip_teeth at full weight, or the
    # neutral/tongue_teeth mixes (mouth_open 0.3, mouth_spread 0.5 + mouth_open 0.15)
    parting = middle[:, [ch("mouth_open"), ch("mouth_spread"), ch("mouth_round"), ch("lip_teeth")]].sum(axis=1)
    assert parting.min() >= 0.29


def test_gesture_none_leaves_the_mouth_at_rest(sequencer) -> None:
    m, _, _ = one(sequencer, "DANKE", mouthing="none")
    assert np.abs(m).max() == 0.0


def test_gesture_mm_presses_the_lips_and_never_opens(sequencer) -> None:
    m, _, _ = one(sequencer, "DANKE", mouthing="mm")
    assert m[:, ch("lips_closed")].max() >= FULL
    assert m[:, ch("mouth_open")].max() == 0.0


def test_an_editors_choice_changes_the_picture(sequencer) -> None:
    default, _, _ = one(sequencer, "DANKE")
    chosen, _, _ = one(sequencer, "DANKE", mouthing="bitte")
    assert default[:, ch("mouth_open")].max() >= FULL and default[:, ch("lips_closed")].max() == 0.0
    assert chosen[:, ch("lips_closed")].max() >= FULL and chosen[:, ch("mouth_open")].max() < 0.5


def _episodes(x: np.ndarray, level: float) -> int:
    above = np.concatenate([[False], x >= level, [False]])
    return int((np.diff(above.astype(int)) == 1).sum())


def test_a_fingerspelled_word_is_mouthed_as_one_word_over_its_spelling(sequencer, lexicon) -> None:
    """fs-MAMA: four letters, one mouth picture "mama" over all of them (m-a-m-a: the lips close twice
    and open twice, spread over the whole spelling), not one movement per letter."""
    m, ts, (start, end) = one(sequencer, "fs-MAMA")
    keys = mouth_keys(token("fs-MAMA"), lexicon, start, end)
    assert [k.viseme for k in keys] == [Viseme.CLOSED, Viseme.OPEN, Viseme.CLOSED, Viseme.OPEN]
    assert _episodes(m[:, ch("lips_closed")], FULL) == 2
    assert _episodes(m[:, ch("mouth_open")], FULL) == 2
    opened = ts[m[:, ch("mouth_open")] >= FULL]
    assert opened.min() < start + 0.5 * (end - start) < opened.max()  # the word spans the spelling
    assert opened.max() > start + 0.75 * (end - start)


def test_a_fingerspelled_word_without_a_or_m_never_closes_or_opens(sequencer) -> None:
    m, _, _ = one(sequencer, "fs-LISE")  # l-i-s-e: nothing to close, nothing to open wide
    assert m[:, ch("lips_closed")].max() == 0.0 and m[:, ch("mouth_open")].max() < 0.5
    assert m.max() > 0.9


def test_a_number_mouths_its_number_word(sequencer, lexicon) -> None:
    seven, _, (s7, e7) = one(sequencer, "7")
    eight, _, (s8, e8) = one(sequencer, "8")
    assert mouth_keys(token("7"), lexicon, s7, e7)[0].phonemes.startswith("z")  # "sieben", not "7"
    assert seven[:, ch("mouth_open")].max() < 0.5  # sieben has no open vowel
    assert eight[:, ch("mouth_open")].max() >= FULL  # acht opens
    assert "x" in "".join(k.phonemes for k in mouth_keys(token("8"), lexicon, s8, e8))


@pytest.mark.parametrize("fps", [25, 50])
def test_no_mouth_channel_jumps_between_frames(sequencer, fps) -> None:
    """No weight changes faster than 1 / BLEND_S per second (mouth_track.py): a full lip closure takes
    at least 70 ms, two frame steps at 25 fps, so one step moves a channel at most (1 / fps) / BLEND_S
    (0.57 at 25 fps, 0.29 at 50 fps)."""
    glosses = ("BITTE", "DANKE", "fs-MAMA", "AMT", "ABHOLEN", "18", "MONTAG", "SIE", "BEZAHLEN", "PERSONALAUSWEIS")
    m, _, _ = mouth(sequencer, [token(g) for g in glosses], fps)
    bound = (1.0 / fps) / BLEND_S + 1e-3
    assert np.abs(np.diff(m, axis=0)).max() <= bound
    assert np.abs(np.diff(m, axis=0)).max() > 0.5 * bound  # the mouth does move


def test_a_priority_viseme_between_two_frames_is_still_held_on_one() -> None:
    """A 60 ms bilabial whose plateau falls between two 25 fps frames is widened onto a frame."""
    keys = (VisemeKey(0.0, Viseme.OPEN, "a"), VisemeKey(0.21, Viseme.CLOSED, "m"), VisemeKey(0.27, Viseme.OPEN, "a"))
    ts = np.arange(0, 0.6, 1 / FPS) + 0.002
    w = viseme_weights(keys, 0.0, 0.5, ts)
    assert w[:, ch("lips_closed")].max() == pytest.approx(1.0)
    assert _episodes(w[:, ch("mouth_open")], 1.0 - 1e-9) == 2
    assert np.abs(np.diff(w, axis=0)).max() <= (1 / FPS) / BLEND_S + 1e-9


def test_espeak_runs_once_per_distinct_word(sequencer, monkeypatch) -> None:
    calls: list[str] = []
    real = g2p.subprocess.run

    def counting(*args, **kwargs):
        calls.append(kwargs.get("input", ""))
        return real(*args, **kwargs)

    g2p.german_phonemes.cache_clear()
    monkeypatch.setattr(g2p.subprocess, "run", counting)
    mouth(sequencer, [token(g) for g in ("BITTE", "DANKE", "BITTE", "BITTE", "DANKE")])
    mouth(sequencer, [token("BITTE")])
    assert sorted(calls) == ["bitte", "danke"]


def test_a_short_bilabial_at_the_start_is_still_held_on_a_frame() -> None:
    """POST at 25 fps: its p lasts 89 ms from the span's start, and the lips need a whole blend to get
    there from rest; the closure lands on the first frame after that, a little into the ɔ."""
    keys = (VisemeKey(0.779, Viseme.CLOSED, "p"), VisemeKey(0.868, Viseme.ROUNDED, "ɔ"),
            VisemeKey(1.002, Viseme.TONGUE_TEETH, "st"))
    ts = np.arange(0, 1.5, 1 / FPS)
    w = viseme_weights(keys, 0.779, 1.179, ts)
    assert w[:, ch("lips_closed")].max() == pytest.approx(1.0)
    assert w[:, ch("mouth_round")].max() > 0.5
    assert np.abs(np.diff(w, axis=0)).max() <= (1 / FPS) / BLEND_S + 1e-9


@pytest.mark.parametrize(("fps", "speed"), [(25, 1.0), (25, 1.6), (30, 0.7)])
def test_every_lexicon_sign_shows_its_bilabials_and_open_vowels(sequencer, lexicon, fps, speed) -> None:
    tokens = [GlossToken(g) for g in sorted(lexicon.entries) if not g.startswith(("FS-", "NUM-"))]
    missing = []
    for i in range(0, len(tokens), 15):
        seq = GlossSequence(tuple(tokens[i:i + 15]))
        track = sequencer.track(seq, fps, speed)
        m = track.face[:, [list(track.face_channels).index(c) for c in MOUTH_CHANNELS]]
        ts = np.arange(len(m)) / fps
        assert np.abs(np.diff(m, axis=0)).max() <= (1 / fps) / BLEND_S + 1e-3
        for start, end, tok in sequencer.plan(seq, speed).spans:
            inside = (ts > start) & (ts < end)
            shown = {k.viseme for k in mouth_keys(tok, lexicon, start, end)}
            for viseme, channel in ((Viseme.CLOSED, "lips_closed"), (Viseme.OPEN, "mouth_open")):
                if viseme in shown and m[inside, ch(channel)].max() < FULL:
                    missing.append((tok.gloss, viseme.value))
    assert not missing


def test_a_bilabial_at_a_short_spans_end_is_still_held_on_a_frame() -> None:
    """A word-final m whose phoneme starts less than a blend before the span ends (STROM, short at
    speed 1.6): the closure takes the last frame a blend before the end, a little early."""
    keys = (VisemeKey(0.0, Viseme.TONGUE_TEETH, "st"), VisemeKey(0.12, Viseme.ROUNDED, "o"),
            VisemeKey(0.30, Viseme.CLOSED, "m"))
    ts = np.arange(0, 0.5, 1 / FPS)
    w = viseme_weights(keys, 0.0, 0.34, ts)
    assert w[:, ch("lips_closed")].max() == pytest.approx(1.0)
    assert np.abs(np.diff(w, axis=0)).max() <= (1 / FPS) / BLEND_S + 1e-9
