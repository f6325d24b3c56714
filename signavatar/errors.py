"""Domain exceptions. Each also inherits the matching built-in so callers can catch either."""


class SignavatarError(Exception):
    """Base class of every error signavatar raises on purpose."""


class InvalidInputError(SignavatarError, ValueError):
    """The user's input (text, glosses, options) cannot be used; the message says what to change."""


class LexiconError(SignavatarError, ValueError):
    """A lexicon file is invalid; the message names the file and the field."""


class UnknownGlossError(InvalidInputError):
    """A gloss that is neither in the lexicon nor a fingerspelling (fs-NAME) nor a number."""


class AvatarAssetError(SignavatarError, RuntimeError):
    """The avatar asset is missing or broken (run the setup to build it)."""


class RenderError(SignavatarError, RuntimeError):
    """Offscreen rendering failed (no EGL/OSMesa, GL error)."""


class EncodeError(SignavatarError, RuntimeError):
    """ffmpeg failed or is missing."""
