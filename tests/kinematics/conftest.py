import pytest

from signavatar.avatar.rig import load_avatar
from signavatar.lexicon import load_lexicon


@pytest.fixture(scope="session")
def avatar():
    return load_avatar()


@pytest.fixture(scope="session")
def lexicon():
    return load_lexicon()
