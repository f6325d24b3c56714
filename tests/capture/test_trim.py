"""Finding the sign in a track: on the sequencer's own motion (where the sign is known) and on a
real DGS letter recording retargeted onto the avatar."""

import pytest

from signavatar.avatar.rig import load_avatar
from signavatar.capture.alphabet import alphabet_recordings
from signavatar.capture.pose_file import read_holistic
from signavatar.capture.retarget import Retargeter
from signavatar.capture.sign_capture import rest_rotations, take_frames
from signavatar.capture.trim import NoSignFoundError, find_sign, hand_motion, shorten_holds
from signavatar.gloss_to_pose.sequencer import Sequencer
from signavatar.lexicon import load_lexicon
from signavatar.text_to_gloss import parse_gloss_string


@pytest.fixture(scope="module")
def parts():  # type: ignore[no-untyped-def]
    skeleton = load_avatar().skeleton
    lexicon = load_lexicon()
    return skeleton, lexicon, rest_rotations(skeleton, lexicon)


def _sequenced(parts, glosses: str):  # type: ignore[no-untyped-def]
    skeleton, lexicon, _ = parts
    seq = Sequencer(skeleton, lexicon, skeleton.skeleton_id)
    return seq.track(parse_gloss_string(glosses, lexicon), fps=25)


@pytest.mark.parametrize("gloss, sides", [("DANKE", ("R",)), ("BITTE", ("R", "L"))])
def test_the_sign_of_a_sequenced_track_is_found(parts, gloss, sides) -> None:  # type: ignore[no-untyped-def]
    skeleton, _, rest = parts
    track = _sequenced(parts, gloss)
    span = find_sign(track, skeleton, rest)
    labelled = [i for i, label in enumerate(track.labels) if label == gloss]
    # the labels start halfway through the transition in; the span starts at the arrival
    assert labelled[0] <= span.start < span.end <= labelled[-1] + 1
    assert span.num_frames >= 0.5 * len(labelled)
    assert span.sides == sides
    speed = hand_motion(track, skeleton, rest).speed[:, 0]
    assert speed[span.start] < 0.3 * speed[labelled[0]:labelled[-1]].max()  # not mid-raise


def test_rest_only_is_no_sign(parts) -> None:  # type: ignore[no-untyped-def]
    skeleton, _, rest = parts
    track = _sequenced(parts, "DANKE")
    still = take_frames(track, [0] * 10)  # the first frame is the rest pose
    with pytest.raises(NoSignFoundError):
        find_sign(still, skeleton, rest)


def test_a_recorded_letter_loses_its_raise_and_lower_and_its_hold_is_shortened(parts) -> None:  # type: ignore[no-untyped-def]
    skeleton, lexicon, rest = parts
    frames = read_holistic(alphabet_recordings()["B"])  # ~1 s: the hand comes up, holds B, drops
    track = Retargeter(skeleton, lexicon).track(frames, skeleton.skeleton_id)
    span = find_sign(track, skeleton, rest)
    assert span.sides == ("R",)
    assert span.start >= 2 and span.end <= track.num_frames - 4, span  # the drop (last ~5 frames) is cut
    speed = hand_motion(track, skeleton, rest).speed[:, 0]
    assert speed[span.start: span.end + 1].max() < 0.5 * speed.max()
    kept = shorten_holds(track, span, skeleton, rest, max_hold=0.4)
    assert 2 <= len(kept) <= round(0.4 * track.fps) + 2 and kept == sorted(kept)
