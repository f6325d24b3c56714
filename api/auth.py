"""The two keys of the service, what each may do, and the start-up rule for binding without them.

Two roles: the API key (SIGNAVATAR_API_KEY) may create clips and previews (what a CMS does); the
editor key (SIGNAVATAR_EDITOR_KEY) may also approve and reject clips, write the translation memory
and mark signs reviewed, and read the editors' names and reasons. Either is sent as
`Authorization: Bearer <key>` (the scheme in any case) or `X-API-Key: <key>` and compared in
constant time. With neither key configured the service may only listen on loopback, where every
endpoint stays open (a developer on their own machine; the origin check of api/access.py still
applies); `serve_refusal` says why it must not start otherwise, and a guessable key counts as none.

`Keys.refusal` is the one decision; api/access.py applies it before a request body is read, and the
FastAPI dependencies (`KeyRequirement`) apply it again on the routes, which also documents the
security in /openapi.json.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from fastapi import Depends, HTTPException
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from signavatar.settings import Settings

log = logging.getLogger(__name__)

API, EDITOR = "api", "editor"  # the roles a route may need
MIN_KEY_CHARS = 16
#: keys found in sample configs and tutorials; refused however long they are
WEAK_KEYS = frozenset({
    "changeme", "change-me", "change_me", "secret", "password", "default", "apikey", "api-key", "api_key",
    "signavatar", "test", "example", "admin", "letmein", "0123456789abcdef", "1234567890123456",
    "changemechangeme", "secretsecretsecret",
})
HOW_TO_SEND = "send the API key as 'Authorization: Bearer <key>' (or 'X-API-Key: <key>')"
HOW_TO_SEND_EDITOR = "send the editor key as 'Authorization: Bearer <key>' (or 'X-API-Key: <key>')"
KEY_ADVICE = (
    f"set SIGNAVATAR_API_KEY to a random secret of at least {MIN_KEY_CHARS} characters, e.g. "
    "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
)
EDITOR_KEY_ADVICE = KEY_ADVICE.replace("SIGNAVATAR_API_KEY", "SIGNAVATAR_EDITOR_KEY")
CHALLENGE = 'Bearer realm="signavatar"'

bearer_scheme = HTTPBearer(auto_error=False, description="the service's API key (SIGNAVATAR_API_KEY), or the "
                           "editor key (SIGNAVATAR_EDITOR_KEY) where an endpoint says so")
header_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="the same key, as a header")


def is_loopback(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (with or without [brackets])."""
    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def key_problem(key: str, what: str = "API key") -> str | None:
    """Why `key` cannot protect a service reachable from other machines, or None when it can."""
    if not key:
        return f"no {what} is set"
    if len(key) < MIN_KEY_CHARS:
        return f"the {what} is shorter than {MIN_KEY_CHARS} characters"
    if key.lower() in WEAK_KEYS or len(set(key)) < 4:
        return f"the {what} is a well-known default"
    return None


def serve_refusal(host: str, settings: Settings) -> str | None:
    """One line saying why the service must not listen on `host` with these settings, or None."""
    if settings.editor_key and settings.editor_key == settings.api_key:
        return ("refusing to start: SIGNAVATAR_EDITOR_KEY equals SIGNAVATAR_API_KEY, so every holder of the "
                f"API key could approve clips; {EDITOR_KEY_ADVICE}")
    if is_loopback(host):
        return None
    problem = key_problem(settings.api_key)
    if problem is not None:
        return f"refusing to listen on {host}: {problem}; {KEY_ADVICE} (or listen on 127.0.0.1)"
    if settings.editor_key:  # no editor key: no editor role, the editor endpoints are refused
        problem = key_problem(settings.editor_key, "editor key")
        if problem is not None:
            return f"refusing to listen on {host}: {problem}; {EDITOR_KEY_ADVICE} (or listen on 127.0.0.1)"
    return None


def warn_if_open(settings: Settings) -> None:
    """Log once at start-up when write endpoints are open or guarded by a weak key."""
    if not settings.api_key and not settings.editor_key:
        log.warning("no API key set (SIGNAVATAR_API_KEY): write endpoints are open to anyone who can reach "
                    "this address; that is only safe on loopback")
    elif key_problem(settings.api_key) is not None:
        log.warning("the API key is weak (%s); %s", key_problem(settings.api_key), KEY_ADVICE)
    if settings.editor_key and key_problem(settings.editor_key, "editor key") is not None:
        log.warning("the editor key is weak (%s); %s", key_problem(settings.editor_key, "editor key"),
                    EDITOR_KEY_ADVICE)


def presented_key(headers: Iterable[tuple[bytes, bytes]]) -> bytes | None:
    """The key a request carries (ASGI headers: lower-case names, raw values): a Bearer credential
    (scheme in any case) first, else X-API-Key; None when neither is there."""
    bearer = api_key = None
    for name, value in headers:
        if name == b"authorization" and bearer is None:
            scheme, _, credentials = value.strip().partition(b" ")
            if scheme.lower() == b"bearer" and credentials.strip():
                bearer = credentials.strip()
        elif name == b"x-api-key" and api_key is None and value.strip():
            api_key = value.strip()
    return bearer if bearer is not None else api_key


@dataclass(frozen=True)
class Refusal:
    """Why a request may not do what it asks: the status (401 or 403) and a detail saying what to send."""

    status: int
    detail: str
    headers: dict[str, str] = field(default_factory=dict)


class Keys:
    """The configured keys and the one rule of who may do what."""

    def __init__(self, settings: Settings) -> None:
        self._api = settings.api_key.encode("utf-8")
        self._editor = settings.editor_key.encode("utf-8")

    def _matches(self, given: bytes, expected: bytes) -> bool:
        return bool(expected) and hmac.compare_digest(given, expected)

    def refusal(self, role: str, given: bytes | None) -> Refusal | None:
        """None when a request carrying `given` may use an endpoint of `role`, else why not."""
        if not self._api and not self._editor:
            return None  # developer mode: loopback only (serve_refusal)
        if role == API and not self._api:
            return None  # only an editor key is configured: the API role stays open, as without keys
        if role == EDITOR and not self._editor:
            return Refusal(403, "editor endpoints (approving, rejecting, the translation memory, lexicon "
                           "reviews) are off: the service has no editor key; set SIGNAVATAR_EDITOR_KEY")
        need, how = ("the editor key", HOW_TO_SEND_EDITOR) if role == EDITOR else ("the API key", HOW_TO_SEND)
        if given is None:
            return Refusal(401, f"this endpoint needs {need}: {how}", {"WWW-Authenticate": CHALLENGE})
        if self._matches(given, self._editor):
            return None  # the editor key may do everything
        if role == API and self._matches(given, self._api):
            return None
        if role == EDITOR and self._matches(given, self._api):
            return Refusal(403, "this endpoint needs the editor key (SIGNAVATAR_EDITOR_KEY); the API key may "
                           f"create clips but not review them: {how}")
        word = "editor" if role == EDITOR else "API"
        return Refusal(401, f"wrong {word} key: {how} with the key the service was configured with",
                       {"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'})

    def is_known(self, given: bytes | None) -> bool:
        """True when `given` is the configured API key or editor key (never when none is set)."""
        return given is not None and (self._matches(given, self._api) or self._matches(given, self._editor))

    def is_editor(self, given: bytes | None) -> bool:
        """True when `given` may see what only editors see (names, comments, reasons)."""
        return self.refusal(EDITOR, given) is None


class KeyRequirement:
    """A FastAPI dependency: 401/403 unless the request's key may use an endpoint of `role`.

    Both header schemes are declared, so /openapi.json shows the security on every guarded
    endpoint; api/access.py has already refused a bad key of a write request before its body was read.
    """

    def __init__(self, keys: Keys, role: str) -> None:
        self.keys, self.role = keys, role

    def __call__(
        self,
        bearer: HTTPAuthorizationCredentials | None = Depends(bearer_scheme),
        header_key: str | None = Depends(header_scheme),
    ) -> None:
        given = bearer.credentials if bearer is not None else header_key
        # starlette decodes header values as latin-1: encode back to the bytes that were sent
        refused = self.keys.refusal(self.role, None if given is None else given.encode("latin-1"))
        if refused is not None:
            raise HTTPException(refused.status, refused.detail, headers=refused.headers or None)
