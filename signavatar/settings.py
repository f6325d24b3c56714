"""Runtime settings: one explicit object, read from the environment only at the edges (CLI, app)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from signavatar.errors import InvalidInputError

GL_PLATFORMS: tuple[str, ...] = ("egl", "osmesa")
LOG_FORMATS: tuple[str, ...] = ("json", "text")
QUEUE_BACKENDS: tuple[str, ...] = ("local", "celery")
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?|https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
#: a name in allowed_hosts: a DNS name or IPv4 address, [IPv6] or an IPv6 address, or "*" (any)
_HOST_NAME = re.compile(r"\*|[A-Za-z0-9.\-]+|\[?[0-9A-Fa-f:.]+\]?")
ENV_PREFIX = "SIGNAVATAR_"


def _repo_root() -> Path | None:
    """The source checkout this module lives in, or None when installed as a package."""
    root = Path(__file__).resolve().parents[1]
    return root if (root / "pyproject.toml").is_file() else None


def _default_data_dir() -> Path:
    # A checkout keeps its renders in ./var (git-ignored); an installed package uses the user cache.
    root = _repo_root()
    return root / "var" if root is not None else Path.home() / ".cache" / "signavatar"


def _default_lexicon_dir() -> Path:
    root = _repo_root()
    return root / "glosses" if root is not None else Path.home() / ".cache" / "signavatar" / "glosses"


def _default_models_dir() -> Path:
    root = _repo_root()
    return root / "models" if root is not None else Path.home() / ".cache" / "signavatar" / "models"


@dataclass(frozen=True)
class Settings:
    """Where data lives, how the service listens, and the limits on one request.

    max_duration_s is in seconds of signed video; max_size is the largest width or height in pixels.
    render_processes: processes drawing the frames of one clip; 1 draws in the calling process
    (default: on the 2-core llvmpipe machine Mesa already rasterises on both cores, and a 2-process
    pool measured slower with encoding, see BENCHMARKS.md); 2+ starts a worker pool.
    """

    data_dir: Path = field(default_factory=_default_data_dir)
    lexicon_dir: Path = field(default_factory=_default_lexicon_dir)
    models_dir: Path = field(default_factory=_default_models_dir)
    host: str = "127.0.0.1"
    port: int = 8000
    gl_platform: str = "egl"
    workers: int = 1
    render_processes: int = 1
    max_text_chars: int = 2000
    max_glosses: int = 60
    max_duration_s: float = 60.0
    max_size: int = 1024
    max_fps: int = 60
    max_body_bytes: int = 64 * 1024
    #: a video a reviewer uploads to record a sign from (POST /v1/lexicon/{gloss}/recordings): bytes, seconds
    max_recording_bytes: int = 30 * 1024 * 1024
    max_recording_s: float = 10.0
    max_queue: int = 100  # queued + running jobs before POST /v1/clips answers 429
    job_timeout_s: float = 300.0  # one render, in seconds; then its worker is killed
    stage_timeout_s: float = 240.0  # each stage of a render (glosses, motion, frames + encoding), seconds
    max_attempts: int = 3  # renders started for one job before it is failed (crashes, timeouts)
    worker_recycle_after: int = 50  # clips a worker process renders before a fresh one replaces it
    #: the key write endpoints require (Authorization: Bearer <key>); "" = none (loopback only)
    api_key: str = field(default="", repr=False)
    #: origins allowed to call the API from a browser: "*" or "https://a.example,https://b.example"
    cors_origins: str = "*"
    #: service log lines: "json" (one object per line) or "text"
    log_format: str = "json"
    #: where the service renders: "local" (its own worker processes) or "celery" (signavatar worker
    #: processes behind broker_url, see signavatar/distributed/)
    queue_backend: str = "local"
    #: the Redis URL of the Celery broker and result backend, e.g. redis://127.0.0.1:6379/0
    broker_url: str = field(default="", repr=False)
    #: seconds before the items of a dead Celery worker go to another worker (longer than a render)
    broker_visibility_timeout_s: float = 3600.0
    # -- hardening (README "Security"): roles, origins, hosts, connection and work limits ----------
    #: the key of editors: approving/rejecting clips, the translation memory, lexicon reviews, and
    #: everything the API key may do; "" = no editor role (those endpoints are refused while
    #: api_key is set; with neither key, on loopback, everything is open to same-origin callers)
    editor_key: str = field(default="", repr=False)
    #: Host header names the service answers to: "host1,host2" ("" = the loopback names when
    #: listening on loopback; any name otherwise, with a start-up warning)
    allowed_hosts: str = ""
    #: origins whose pages may send write requests from a browser ("" = none: only same-origin
    #: pages and non-browser clients); cors_origins governs reading and embedding only
    write_origins: str = ""
    #: the service's public base URL (https://avatar.example.de) for links it hands out, e.g. the
    #: embed snippet; "" = built from the request (after the Host check)
    public_url: str = ""
    max_connections: int = 1000  # open client connections (then the longest-waiting one gives way)
    max_client_connections: int = 200  # of them from one client address (IPv6: one /64)
    header_timeout_s: float = 10.0  # seconds a client has to send a request's headers
    body_timeout_s: float = 10.0  # seconds a request body may pause between two parts
    keep_alive_s: float = 5.0  # seconds an idle keep-alive connection stays open
    max_header_bytes: int = 16 * 1024  # request line + headers
    #: requests per minute one client address may send to the public translation endpoint
    gloss_rate_per_min: int = 60
    translate_concurrency: int = 2  # translations running at once (each holds a thread)
    translate_max_waiting: int = 16  # translations waiting for a place; more get 503 at once
    #: bytes of clips the store keeps; unapproved drafts are evicted oldest first beyond it (0 = no limit)
    store_max_bytes: int = 20 * 1024**3
    #: seconds a failed job stays failed: posting it again within answers its failure
    failed_retry_after_s: float = 3600.0
    #: with a trained gloss model, the share of a text's content words (those the rules sign) the
    #: model must know for its glosses to be used; below it the rules answer (gloss_model/confidence.py).
    #: 1.0: only when it knows them all (a word it has never seen it would leave out silently)
    model_min_confidence: float = 1.0

    def __post_init__(self) -> None:
        if self.gl_platform not in GL_PLATFORMS:
            raise InvalidInputError(f"gl_platform must be one of {', '.join(GL_PLATFORMS)}, got {self.gl_platform!r}")
        for name in (
            "port", "workers", "render_processes", "max_text_chars", "max_glosses", "max_size", "max_fps",
            "max_body_bytes", "max_recording_bytes",
        ):
            if getattr(self, name) < (0 if name == "port" else 1):
                raise InvalidInputError(f"{name} must be positive, got {getattr(self, name)}")
        if not self.max_recording_s > 0:
            raise InvalidInputError(f"max_recording_s must be a positive number of seconds, got {self.max_recording_s}")
        if self.max_duration_s <= 0:
            raise InvalidInputError(f"max_duration_s must be positive, got {self.max_duration_s}")
        for name in ("max_queue", "max_attempts", "worker_recycle_after"):
            if getattr(self, name) < 1:
                raise InvalidInputError(f"{name} must be at least 1, got {getattr(self, name)}")
        if not self.stage_timeout_s > 0:
            raise InvalidInputError(f"stage_timeout_s must be a positive number of seconds, got {self.stage_timeout_s}")
        if not self.job_timeout_s > 0:
            raise InvalidInputError(f"job_timeout_s must be a positive number of seconds, got {self.job_timeout_s}")
        if self.log_format not in LOG_FORMATS:
            raise InvalidInputError(f"log_format must be one of {', '.join(LOG_FORMATS)}, got {self.log_format!r}")
        if self.queue_backend not in QUEUE_BACKENDS:
            raise InvalidInputError(
                f"queue_backend must be one of {', '.join(QUEUE_BACKENDS)}, got {self.queue_backend!r}"
            )
        if self.queue_backend == "celery" and not self.broker_url:
            raise InvalidInputError("queue_backend celery needs broker_url (SIGNAVATAR_BROKER_URL=redis://host:6379/0)")
        for name in (
            "max_connections", "max_client_connections", "max_header_bytes", "gloss_rate_per_min",
            "translate_concurrency",
        ):
            if getattr(self, name) < 1:
                raise InvalidInputError(f"{name} must be at least 1, got {getattr(self, name)}")
        for name in ("header_timeout_s", "body_timeout_s", "keep_alive_s"):
            if not getattr(self, name) > 0:
                raise InvalidInputError(f"{name} must be a positive number of seconds, got {getattr(self, name)}")
        if self.translate_max_waiting < 0 or self.store_max_bytes < 0 or self.failed_retry_after_s < 0:
            raise InvalidInputError(
                "translate_max_waiting, store_max_bytes and failed_retry_after_s must not be negative"
            )
        if not self.broker_visibility_timeout_s > 0:
            raise InvalidInputError(
                "broker_visibility_timeout_s must be a positive number of seconds, "
                f"got {self.broker_visibility_timeout_s}"
            )
        if not 0.0 <= self.model_min_confidence <= 1.0:
            raise InvalidInputError(
                f"model_min_confidence must be a share from 0 to 1, got {self.model_min_confidence}")
        self.origins()  # a malformed origin fails at start-up, not on the first browser request
        self.write_origin_list()
        for name in self.host_names():
            if not _HOST_NAME.fullmatch(name):
                raise InvalidInputError(
                    f"allowed_hosts: {name!r} is not a host name; write names like avatar.example.de,127.0.0.1")
        base = _ORIGIN.match(self.public_url)
        if self.public_url and (base is None or self.public_url[base.end():][:1] not in ("", "/")):
            raise InvalidInputError(
                f"public_url: {self.public_url!r} is not a URL; write scheme://host[:port], e.g. https://avatar.example.de")

    def origins(self) -> list[str]:
        """cors_origins as a list: ["*"] or origins like "https://example.org" (scheme://host[:port])."""
        items = [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]
        if not items:
            raise InvalidInputError('cors_origins is empty: give "*" or origins like https://example.org')
        if "*" in items:
            if len(items) > 1:
                raise InvalidInputError('cors_origins: "*" allows every origin; give it alone or list origins')
            return items
        for origin in items:
            if not _ORIGIN.fullmatch(origin):
                raise InvalidInputError(
                    f"cors_origins: {origin!r} is not an origin; write scheme://host[:port], e.g. https://example.org"
                )
        return items

    def write_origin_list(self) -> list[str]:
        """write_origins as a list of origins (scheme://host[:port]); [] = none ("*" is not allowed)."""
        items = [o.strip().rstrip("/") for o in self.write_origins.split(",") if o.strip()]
        for origin in items:
            if not _ORIGIN.fullmatch(origin):
                raise InvalidInputError(f"write_origins: {origin!r} is not an origin; write scheme://host[:port], "
                                        "e.g. https://cms.example.org (\"*\" is not allowed for writes)")
        return items

    def host_names(self) -> list[str]:
        """allowed_hosts as a list of lower-case names ([] = the default, see allowed_hosts)."""
        return [n.strip().lower() for n in self.allowed_hosts.split(",") if n.strip()]

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Settings from SIGNAVATAR_<FIELD> variables (e.g. SIGNAVATAR_DATA_DIR, SIGNAVATAR_PORT)."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            key = ENV_PREFIX + f.name.upper()
            raw = environ.get(key)
            if raw is None or raw.strip() == "":
                continue
            raw = raw.strip()
            default = f.default
            if f.name.endswith("_dir"):
                values[f.name] = Path(raw).expanduser()
            elif isinstance(default, bool):
                values[f.name] = raw.lower() in ("1", "true", "yes", "on")
            elif isinstance(default, int):
                values[f.name] = _parse(key, raw, int)
            elif isinstance(default, float):
                values[f.name] = _parse(key, raw, float)
            else:
                values[f.name] = raw
        return cls(**values)


def _parse(key: str, raw: str, kind: type) -> Any:
    try:
        return kind(raw)
    except ValueError:
        what = "an integer" if kind is int else "a number"
        raise InvalidInputError(f"{key} must be {what}, got {raw!r}") from None
