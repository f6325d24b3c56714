"""The avatar as glTF for the 3D player: GET /v1/avatar (its version, URL, size, licence) and
GET /v1/avatar/{version}.glb (the file, immutable: a new avatar has a new version and URL).

The .glb is built once per avatar version and export format (signavatar/exports/gltf_avatar.py,
gltf_build.FORMAT) and kept under the data dir (avatar/<version>-f<format>.glb, written
atomically), so a restart or a second worker process serves the same file without building it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.clips_api import GLB_TYPE, serve_file
from api.responses import error_responses
from signavatar.avatar.rig import Avatar
from signavatar.pipeline_protocols import ServicePipeline
from signavatar.settings import Settings


class AvatarOut(BaseModel):
    """The avatar the 3D player loads (docs/formats/gltf.md)."""

    version: str = Field(description="the avatar's content hash (versions.avatar of a clip)")
    url: str = Field(description="its .glb: /v1/avatar/<version>.glb, immutable")
    bytes: int = Field(description="size of the .glb")
    licence: str = Field(description="the avatar's licence text")


@dataclass(frozen=True)
class AvatarFile:
    version: str
    path: Path
    size: int
    licence: str

    @property
    def url(self) -> str:
        return f"/v1/avatar/{self.version}.glb"


class AvatarFiles:
    """The avatar's .glb on disk under `folder`, built on first use per avatar version."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._built: dict[str, AvatarFile] = {}

    def get(self, avatar: Avatar) -> AvatarFile:
        from signavatar.exports.gltf_build import FORMAT  # pygltflib: only once the avatar is asked for

        with self._lock:
            known = self._built.get(avatar.version)
            if known is not None:
                return known
            path = self.folder / f"{avatar.version}-f{FORMAT}.glb"
            if not path.is_file():
                from signavatar.exports.gltf_avatar import avatar_glb
                from signavatar.frames_to_video.atomic import write_bytes_atomic

                write_bytes_atomic(path, avatar_glb(avatar))
            made = AvatarFile(avatar.version, path, path.stat().st_size, avatar.licence)
            self._built[avatar.version] = made
            return made


def avatar_router(pipeline: Callable[[], ServicePipeline], settings: Settings) -> APIRouter:
    router = APIRouter(tags=["avatar"])
    files = AvatarFiles(settings.data_dir / "avatar")

    def current() -> AvatarFile | None:
        avatar = pipeline().avatar
        return None if avatar is None else files.get(avatar)

    @router.get("/v1/avatar", response_model=AvatarOut, responses=error_responses(404))
    async def avatar_info() -> JSONResponse:
        made = await run_in_threadpool(current)
        if made is None:
            return _no_avatar()
        return JSONResponse(
            {"version": made.version, "url": made.url, "bytes": made.size, "licence": made.licence},
            headers={"Cache-Control": "no-cache"},  # names the current version: revalidated
        )

    @router.api_route("/v1/avatar/{version}.glb", methods=["GET", "HEAD"])
    async def avatar_glb_file(version: str, request: Request) -> Response:
        made = await run_in_threadpool(current)
        if made is None:
            return _no_avatar()
        if version != made.version:
            return JSONResponse(
                {"detail": f"avatar version {version!r} is not served here; GET /v1/avatar names the current one"},
                status_code=404,
            )
        return serve_file(request, "avatar", made.path, GLB_TYPE)

    return router


def _no_avatar() -> JSONResponse:
    return JSONResponse({"detail": "this server draws no avatar"}, status_code=404)
