"""The API key that guards write endpoints, and the start-up rule for binding without one.

Write endpoints need `Authorization: Bearer <key>` (or `X-API-Key: <key>`); the key is compared in
constant time. With no key configured the service may only listen on loopback, where the write
endpoints stay open (a developer on their own machine); `serve_refusal` says why it must not start
otherwise, and a guessable key counts as none.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging

from fastapi import Depends, HTTPException
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from signavatar.settings import Settings

log = logging.getLogger(__name__)

MIN_KEY_CHARS = 16
#: keys found in sample configs and tutorials; refused however long they are
WEAK_KEYS = frozenset({
    "changeme", "change-me", "change_me", "secret", "password", "default", "apikey", "api-key", "api_key",
    "signavatar", "test", "example", "admin", "letmein", "0123456789abcdef", "1234567890123456",
    "changemechangeme", "secretsecretsecret",
})
HOW_TO_SEND = "send the API key as 'Authorization: Bearer <key>' (or 'X-API-Key: <key>')"
KEY_ADVICE = (
    f"set SIGNAVATAR_API_KEY to a random secret of at least {MIN_KEY_CHARS} characters, e.g. "
    "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
)

bearer_scheme = HTTPBearer(auto_error=False, description="the service's API key (SIGNAVATAR_API_KEY)")
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


def key_problem(key: str) -> str | None:
    """Why `key` cannot protect a service reachable from other machines, or None when it can."""
    if not key:
        return "no API key is set"
    if len(key) < MIN_KEY_CHARS:
        return f"the API key is shorter than {MIN_KEY_CHARS} characters"
    if key.lower() in WEAK_KEYS or len(set(key)) < 4:
        return "the API key is a well-known default"
    return None


def serve_refusal(host: str, settings: Settings) -> str | None:
    """One line saying why the service must not listen on `host` with these settings, or None."""
    if is_loopback(host):
        return None
    problem = key_problem(settings.api_key)
    if problem is None:
        return None
    return f"refusing to listen on {host}: {problem}; {KEY_ADVICE} (or listen on 127.0.0.1)"


def warn_if_open(settings: Settings) -> None:
    """Log once at start-up when write endpoints are open or guarded by a weak key."""
    if not settings.api_key:
        log.warning("no API key set (SIGNAVATAR_API_KEY): write endpoints are open to anyone who can reach "
                    "this address; that is only safe on loopback")
    elif key_problem(settings.api_key) is not None:
        log.warning("the API key is weak (%s); %s", key_problem(settings.api_key), KEY_ADVICE)


def api_key_dependency(settings: Settings):  # type: ignore[no-untyped-def]
    """A FastAPI dependency for write endpoints: 401 unless the request carries the configured key.

    Both header schemes are declared, so /openapi.json shows the security on every write endpoint.
    """
    expected = settings.api_key.encode("utf-8")

    def require_api_key(
        bearer: HTTPAuthorizationCredentials | None = Depends(bearer_scheme),
        header_key: str | None = Depends(header_scheme),
    ) -> None:
        if not expected:
            return
        given = bearer.credentials if bearer is not None else header_key
        if given is None:
            raise HTTPException(401, f"this endpoint needs the API key: {HOW_TO_SEND}",
                                headers={"WWW-Authenticate": 'Bearer realm="signavatar"'})
        if not hmac.compare_digest(given.encode("utf-8"), expected):
            raise HTTPException(401, f"wrong API key: {HOW_TO_SEND} with the key the service was configured with",
                                headers={"WWW-Authenticate": 'Bearer realm="signavatar", error="invalid_token"'})

    return require_api_key
