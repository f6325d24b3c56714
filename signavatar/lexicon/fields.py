"""Typed readers for JSON values; each failure names the field path it was reading."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any


class FieldError(Exception):
    """A field of the file being read is wrong; `field` is its path, e.g. keyframes[1].right.palm."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def join(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def obj(value: Any, field: str, required: Iterable[str], optional: Iterable[str] = ()) -> dict[str, Any]:
    """A JSON object with exactly the given keys (required ones present, nothing unknown)."""
    if not isinstance(value, dict):
        raise FieldError(field or "(top level)", f"expected an object, got {type_name(value)}")
    required = tuple(required)
    allowed = set(required) | set(optional)
    for key in value:
        if key not in allowed:
            raise FieldError(join(field, key), f"unknown field (allowed: {', '.join(sorted(allowed))})")
    for key in required:
        if key not in value:
            raise FieldError(join(field, key), "missing")
    return value


def number(value: Any, field: str, low: float, high: float, low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise FieldError(field, f"expected a number, got {value!r}")
    below = value <= low if low_open else value < low
    if below or value > high:
        bracket = "(" if low_open else "["
        raise FieldError(field, f"{value!r} is outside {bracket}{low:g}, {high:g}]")
    return float(value)


def string(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FieldError(field, f"expected a non-empty string, got {value!r}")
    return value


def boolean(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise FieldError(field, f"expected true or false, got {value!r}")
    return value


def choice(value: Any, field: str, options: Iterable[str], what: str) -> str:
    options = tuple(options)
    if not isinstance(value, str) or value not in options:
        raise FieldError(field, f"unknown {what} {value!r} (known: {', '.join(options)})")
    return value


def numbers(value: Any, field: str, ranges: Iterable[tuple[float, float]]) -> tuple[float, ...]:
    ranges = tuple(ranges)
    if not isinstance(value, list) or len(value) != len(ranges):
        raise FieldError(field, f"expected a list of {len(ranges)} numbers, got {value!r}")
    return tuple(number(v, join(field, i), lo, hi) for i, (v, (lo, hi)) in enumerate(zip(value, ranges)))


def schema(data: Mapping[str, Any], expected: int) -> None:
    if data["schema"] != expected or isinstance(data["schema"], bool):
        raise FieldError("schema", f"unsupported schema {data['schema']!r} (this loader reads {expected})")


def type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )
