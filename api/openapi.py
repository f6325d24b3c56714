"""/openapi.json: FastAPI's schema, completed where route decorators cannot say it.

- one operationId per method (FastAPI gives a GET+HEAD route one id for both, and warns);
- file endpoints (`/v1/clips/{cid}/...`, `/embed/...`): the cid pattern, Range and If-None-Match
  headers, and their 206/304/400/404/416 answers with content types;
- every operation lists its 4xx answers with the ErrorOut body (422 for bad parameters included).
"""

from __future__ import annotations

import warnings
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.responses import ErrorOut

CLIP_ID_PATTERN = "^[0-9a-f]{32}$"
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
FILE_TYPES = {
    "/v1/clips/{cid}/video": ("video/mp4", "video/webm", "image/gif"),
    "/v1/clips/{cid}/subtitles.vtt": ("text/vtt",),
    "/v1/clips/{cid}/poster.png": ("image/png",),
    "/v1/clips/{cid}/motion.pose": ("application/octet-stream",),
    "/v1/clips/{cid}/motion.glb": ("model/gltf-binary",),
    "/v1/avatar/{version}.glb": ("model/gltf-binary",),
}
RANGE_HEADERS = [
    {"name": "Range", "in": "header", "required": False, "schema": {"type": "string"},
     "description": "byte ranges, e.g. bytes=0-1023 (video seeking)"},
    {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
     "description": "an ETag from an earlier answer: 304 when unchanged"},
]


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


def install_openapi(app: FastAPI) -> None:
    """Replace app.openapi with the completed schema (built once, on first use)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Duplicate Operation ID")  # renamed below
                spec = get_openapi(title=app.title, version=app.version, description=app.description,
                                   routes=app.routes)
            complete(spec)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema


def complete(spec: dict[str, Any]) -> None:
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorOut", ErrorOut.model_json_schema())
    for path, operations in spec.get("paths", {}).items():
        ids = [op.get("operationId") for op in operations.values()]
        for method, op in operations.items():
            op_id = op.get("operationId")
            if op_id and ids.count(op_id) > 1:  # one route for several methods (GET + HEAD)
                base = op_id.rsplit("_", 1)[0] if op_id.rsplit("_", 1)[-1] in operations else op_id
                op["operationId"] = f"{base}_{method}"
            _complete_operation(path, method, op)


def _complete_operation(path: str, method: str, op: dict[str, Any]) -> None:
    responses: dict[str, Any] = op.setdefault("responses", {})
    for param in op.get("parameters", []):
        if param["name"] == "cid" and param["in"] == "path":
            param["schema"] = {"type": "string", "title": "Cid"}  # any string: a wrong one is answered 400/404
            param["description"] = "a clip id: 32 characters 0-9 a-f"
    if any(p["in"] in ("path", "query") for p in op.get("parameters", [])) or "requestBody" in op:
        responses["422"] = _error("a parameter or the body does not match the schema")
    if path == "/embed/{cid}":  # an HTML page, also when there is no such clip
        responses["404"] = {"description": "no such clip (an HTML page saying so)",
                            "content": {"text/html": {"schema": {"type": "string"}}}}
    elif "{cid}" in path:
        responses.setdefault("400", _error("the id is not a clip id (32 characters 0-9 a-f)"))
        responses.setdefault("404", _error("no such clip, or it is not rendered yet"))
    types = FILE_TYPES.get(path)
    if types is not None:
        op.setdefault("parameters", []).extend(RANGE_HEADERS)
        body = {"schema": {"type": "string", "format": "binary"}}
        responses["200"] = {"description": "the file (immutable; ETag)", "content": {t: body for t in types}}
        responses["206"] = {"description": "the requested byte range(s)",
                            "content": {**{t: body for t in types}, "multipart/byteranges": body}}
        responses["304"] = {"description": "not modified (If-None-Match matched the ETag)"}
        responses["416"] = {"description": "the byte range is outside the file"}
        responses["404"] = _error("no such clip, not rendered yet, or rendered without this file")
    if path == "/v1/clips/{cid}/metadata.json":
        responses["200"] = {"description": "the clip's clip.json (revalidated: the review state may change)",
                            "content": {"application/json": {"schema": {"type": "object"}}}}
    if method == "head":
        for status, answer in responses.items():
            if status != "422":
                answer.pop("content", None)  # a HEAD answer has headers only
