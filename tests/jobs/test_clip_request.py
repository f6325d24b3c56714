import dataclasses

import pytest

from signavatar.errors import InvalidInputError
from signavatar.jobs.request import (
    check_limits,
    clip_id,
    normalise_request,
    prepare_request,
    request_from_dict,
    request_to_dict,
)
from signavatar.settings import Settings
from signavatar.types import ClipRequest, RenderOptions

VERSIONS = {"code": "1", "lexicon": "a", "avatar": "x"}


def test_text_is_nfc_collapsed_and_stripped_of_control_chars() -> None:
    req = normalise_request(ClipRequest(text="  Ich\tbrauche\u0000 einen\n\n Termin\u200b.  "))
    assert req.text == "Ich brauche einen Termin."
    decomposed = "Gru\u0308\u00dfe"  # u + combining diaeresis
    assert normalise_request(ClipRequest(text=decomposed)).text == "Grüße"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (ClipRequest(), "either text"),
        (ClipRequest(text="   \n "), "either text"),
        (ClipRequest(text="Hallo", glosses="HALLO"), "not both"),
        (ClipRequest(text="a", options=RenderOptions(format="avi")), "format must be one of"),  # type: ignore[arg-type]
        (ClipRequest(text="a", options=RenderOptions(width=63)), "even"),
        (ClipRequest(text="a", options=RenderOptions(height=8)), "at least"),
        (ClipRequest(text="a", options=RenderOptions(fps=0)), "fps"),
        (ClipRequest(text="a", options=RenderOptions(speed=10.0)), "speed must be between"),
        (ClipRequest(text="a", options=RenderOptions(speed=float("nan"))), "speed must be a number"),
        (ClipRequest(text="a", options=RenderOptions(width=True)), "whole number"),  # type: ignore[arg-type]
        (ClipRequest(text="a", options=RenderOptions(background=(0, 0, 300))), "background"),
        (ClipRequest(text=5), "text must be a string"),  # type: ignore[arg-type]
    ],
)
def test_bad_requests_say_what_to_change(request_: ClipRequest, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        normalise_request(request_)


def test_limits() -> None:
    s = Settings(max_text_chars=10, max_glosses=2, max_size=128, max_fps=30)
    small = RenderOptions(width=64, height=64)
    check_limits(normalise_request(ClipRequest(text="kurz", options=small)), s)
    for req, message in [
        (ClipRequest(text="x" * 11, options=small), "limit is 10"),
        (ClipRequest(glosses="A B C", options=small), "limit is 2"),
        (ClipRequest(text="a", options=RenderOptions(width=256)), "too large"),
        (ClipRequest(text="a", options=RenderOptions(width=64, height=64, fps=50)), "too high"),
    ]:
        with pytest.raises(InvalidInputError, match=message):
            prepare_request(req, s)


def test_clip_id_is_stable_and_sensitive() -> None:
    a = clip_id(ClipRequest(text="Ich brauche einen Termin."), VERSIONS)
    assert len(a) == 32 and all(c in "0123456789abcdef" for c in a)
    assert a == clip_id(ClipRequest(text="  Ich  brauche einen\nTermin. "), VERSIONS)
    assert a == clip_id(ClipRequest(text="Ich brauche einen Termin.", options=RenderOptions(speed=1)), VERSIONS)
    assert a != clip_id(ClipRequest(text="Ich brauche einen Termin!"), VERSIONS)
    assert a != clip_id(ClipRequest(text="Ich brauche einen Termin.", options=RenderOptions(fps=30)), VERSIONS)
    assert a != clip_id(ClipRequest(text="Ich brauche einen Termin."), {**VERSIONS, "lexicon": "b"})
    assert a != clip_id(ClipRequest(glosses="Ich brauche einen Termin."), VERSIONS)
    # Pinned: the id must not change between runs or Python versions (hash of canonical JSON).
    assert clip_id(ClipRequest(glosses="TERMIN ICH BRAUCHEN"), VERSIONS) == clip_id(
        ClipRequest(glosses="TERMIN ICH BRAUCHEN"), dict(reversed(list(VERSIONS.items())))
    )


def test_request_dict_round_trip() -> None:
    req = normalise_request(ClipRequest(text="Hallo", options=RenderOptions(width=64, height=64, format="gif")))
    assert request_from_dict(request_to_dict(req)) == req
    with pytest.raises(InvalidInputError, match="unknown option"):
        request_from_dict({"text": "x", "options": {"colour": "red"}})


def test_normalised_request_is_a_fixed_point() -> None:
    req = normalise_request(ClipRequest(text=" a  b ", options=RenderOptions(speed=1.23456)))
    assert normalise_request(req) == req
    assert dataclasses.asdict(req.options)["speed"] == 1.235


@pytest.mark.parametrize(
    ("value", "expected"),
    [("#102030", (16, 32, 48)), ("#FFffFF", (255, 255, 255)), ("transparent", None), (None, None),
     ([1, 2, 3], (1, 2, 3))],
)
def test_background_forms(value, expected) -> None:
    from signavatar.jobs.request import parse_background

    assert parse_background(value) == expected


@pytest.mark.parametrize("value", ["#12345", "red", "#gggggg", [1, 2], (0, 0, 256), (True, 0, 0)])
def test_bad_backgrounds_are_refused(value) -> None:
    from signavatar.jobs.request import parse_background

    with pytest.raises(InvalidInputError, match="background"):
        parse_background(value)


def test_transparent_needs_webm_and_is_part_of_the_clip_id() -> None:
    from signavatar.jobs.request import request_from_dict

    with pytest.raises(InvalidInputError, match="use webm"):
        normalise_request(ClipRequest(text="a", options=RenderOptions(format="mp4", background=None)))
    clear = normalise_request(ClipRequest(text="a", options=RenderOptions(format="webm", background=None)))
    grey = normalise_request(ClipRequest(text="a", options=RenderOptions(format="webm")))
    versions = {"code": "1"}
    assert clip_id(clear, versions) != clip_id(grey, versions)
    assert request_from_dict(request_to_dict(clear)) == clear
    assert request_from_dict({"text": "a", "options": {"background": "#ECEFF3"}}).options.background == (236, 239, 243)
