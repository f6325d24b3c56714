"""Service log set-up: one JSON object per line (default) or plain text, with secrets redacted.

What is logged is chosen elsewhere so that no API key, Authorization header or request body ever
reaches a log call; the redacting filter is a second line of defence for the configured key.
Fields given with `extra=` (route, status, duration_ms, clip_id, event, ...) become JSON keys.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Any

#: attributes every LogRecord has; anything else on a record came from `extra=`
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "color_message"}
REDACTED = "[redacted]"


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", ...extra fields, "error" (a traceback) } on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RedactFilter(logging.Filter):
    """Replaces each secret (the API key) in a record's message and arguments."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__()
        self.secrets = [s for s in (secrets or []) if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            if any(s in message for s in self.secrets):
                for secret in self.secrets:
                    message = message.replace(secret, REDACTED)
                record.msg, record.args = message, None
        return True


def log_config(log_format: str, secrets: list[str], level: str = "INFO") -> dict[str, Any]:
    """A logging.config.dictConfig dict for the service (also given to uvicorn as its log_config)."""
    formatter: dict[str, Any] = (
        {"()": "api.logs.JsonFormatter"} if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": "api.logs.RedactFilter", "secrets": secrets}},
        "formatters": {"service": formatter},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "service", "filters": ["redact"],
                       "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": level},
    }
