import pytest

from signavatar.gloss_to_pose.sequencer import Sequencer


@pytest.fixture(scope="session")
def sequencer(avatar, lexicon):  # avatar, lexicon: tests/conftest.py
    return Sequencer(avatar.skeleton, lexicon, avatar.skeleton.skeleton_id)
