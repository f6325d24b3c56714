import pytest

from signavatar.avatar.rig import load_avatar
from signavatar.gloss_to_pose.sequencer import Sequencer
from signavatar.lexicon import load_lexicon


@pytest.fixture(scope="session")
def avatar():
    return load_avatar()


@pytest.fixture(scope="session")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="session")
def sequencer(avatar, lexicon):
    return Sequencer(avatar.skeleton, lexicon, avatar.skeleton.skeleton_id)
