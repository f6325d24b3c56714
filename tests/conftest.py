"""Fixtures every test directory may use: the real avatar and lexicon, loaded once per session."""

import pytest

from signavatar.avatar.rig import Avatar, load_avatar
from signavatar.lexicon import Lexicon, load_lexicon


@pytest.fixture(scope="session")
def avatar() -> Avatar:
    return load_avatar()


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return load_lexicon()
