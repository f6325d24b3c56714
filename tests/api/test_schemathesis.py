"""Fuzz the service against its own /openapi.json with schemathesis: a real uvicorn process with the
fake pipeline, the API key supplied, valid (positive) and malformed (negative) requests for every
operation, a bounded number of examples each so the whole file runs in well under 30 s.

Checks: not_a_server_error (no 5xx), status_code_conformance (only documented statuses),
content_type_conformance and response_schema_conformance (answers match the documented bodies),
negative_data_rejection (input that violates the schema is refused with a 4xx). Not used:
positive_data_acceptance (a schema-valid body may still be refused with 400, e.g. an unknown gloss
or a size over the deployment's limit: the schema cannot know the lexicon or the limits).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from fake_pipeline import FakePipeline
from fake_server import EDITOR_AUTH
from signavatar.settings import Settings

EXAMPLES = 40  # per operation and mode
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]


def _spec() -> dict[str, Any]:
    """The app's OpenAPI document, built at collection time (no server needed for the operation list).

    schemathesis' own pytest plugin (schema.parametrize) does not work with pytest 9, so the
    operations are parametrized here and each runs a hypothesis test of its own."""
    with tempfile.TemporaryDirectory() as data:
        return create_app(Settings(data_dir=Path(data)), FakePipeline).openapi()


SPEC = _spec()


def _can_be_malformed(op: dict[str, Any]) -> bool:
    """A body or a required/typed query parameter can be sent wrong; a plain string path parameter
    (the clip id: any string, answered 400/404) cannot, so hypothesis would find no malformed case."""
    return "requestBody" in op or any(p["in"] == "query" for p in op.get("parameters", []))


CASES = [
    pytest.param(path, method, mode, id=f"{method.upper()} {path} {label}")
    for path, ops in SPEC["paths"].items() for method, op in ops.items()
    for mode, label in ((GenerationMode.POSITIVE, "valid"), (GenerationMode.NEGATIVE, "malformed"))
    if mode is GenerationMode.POSITIVE or _can_be_malformed(op)
]


@pytest.mark.parametrize("path,method,mode", CASES)
def test_operation_conforms_to_the_schema(server: str, path: str, method: str, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_dict(SPEC)
    schema.config.generation.update(with_security_parameters=False)
    operation = schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=server, headers=EDITOR_AUTH, timeout=10, checks=CHECKS)  # may do all

    run()
