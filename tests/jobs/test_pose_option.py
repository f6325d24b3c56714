"""`"pose": true` in a clip request is part of the clip id (the HTTP round trip: tests/e2e/test_http_pose.py)."""

import hashlib
import json

import pytest

from signavatar.errors import InvalidInputError
from signavatar.jobs.request import ID_SCHEMA, clip_id, normalise_options
from signavatar.types import ClipRequest, RenderOptions

VERSIONS = {"code": "1", "lexicon": "2", "avatar": "3"}


def test_the_pose_option_is_part_of_the_clip_id_and_old_ids_stay() -> None:
    plain = ClipRequest(glosses="ICH", options=RenderOptions())
    with_pose = ClipRequest(glosses="ICH", options=RenderOptions(pose=True))
    assert clip_id(plain, VERSIONS) != clip_id(with_pose, VERSIONS)
    # a request without the export hashes exactly as before the option existed
    before = {"schema": ID_SCHEMA, "versions": VERSIONS, "request": {"text": None, "glosses": "ICH", "options": {
        "width": 512, "height": 512, "fps": 25, "format": "mp4", "speed": 1.0, "background": [236, 239, 243]}}}
    blob = json.dumps(before, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert clip_id(plain, VERSIONS) == hashlib.sha256(blob.encode()).hexdigest()[:32]
    with pytest.raises(InvalidInputError, match="pose must be true or false"):
        normalise_options(RenderOptions(pose="yes"))  # type: ignore[arg-type]
