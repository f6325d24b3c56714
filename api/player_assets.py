"""GET /player/vendor/three@<version>/<file> and GET /player/static/<file>: the 3D player's scripts,
from our own server (no CDN).

three.js comes from web/node_modules (pinned in web/package.json and its lock, installed by
scripts/setup.sh with `npm ci`). Only the files in THREE_FILES are served (what three.module.js and
GLTFLoader.js import, nothing else), and only under the installed version's URL, so a URL can be
cached for a year: a new three.js is a new URL. Our own files (api/static/player/) are served under
`?v=<content hash>` (PlayerAssets.static_url) and cached as long; without the current hash they are
revalidated. Every file is read and gzip-compressed once, then served from memory, compressed when
the browser accepts gzip (three.core.js: 1.4 MB, ~0.3 MB gzipped).

scripts/setup.sh also bundles and minifies the parts of three.js the player uses (web/player-three.js,
esbuild) into web/dist/three-player.min.js: ~160 kB gzipped instead of ~460 kB. When it is there the
page's import map sends "three" and GLTFLoader to it (PlayerAssets.bundle_url, served under
/player/static/ by its content hash); without it, three.js's own files above.

When web/node_modules is missing the service still starts (the 3D page then falls back to the
video), logs an error once, and every vendor request answers 503 saying to run scripts/setup.sh.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from api.clips_api import IMMUTABLE
from api.compression import accepts_gzip, etag_matches

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[1]
NODE_MODULES = REPO / "web" / "node_modules"
STATIC = Path(__file__).resolve().parent / "static" / "player"
DIST = REPO / "web" / "dist"
#: the bundle scripts/setup.sh builds in DIST
BUNDLE = "three-player.min.js"
JS = "text/javascript; charset=utf-8"
#: URL path under /player/vendor/three@<version>/ -> file under node_modules/three. The URLs keep
#: three's own relative layout (build/ beside examples/jsm/ as "addons/"), so GLTFLoader's relative
#: imports (../utils/...) resolve to files of this list.
THREE_FILES = {
    "three.module.js": "build/three.module.js",
    "three.core.js": "build/three.core.js",
    "addons/loaders/GLTFLoader.js": "examples/jsm/loaders/GLTFLoader.js",
    "addons/utils/BufferGeometryUtils.js": "examples/jsm/utils/BufferGeometryUtils.js",
    "addons/utils/SkeletonUtils.js": "examples/jsm/utils/SkeletonUtils.js",
}
#: our own player files under /player/static/ and their media types
PLAYER_FILES = {"player.js": JS}
MISSING = "three.js is not installed (web/node_modules/three missing): run scripts/setup.sh"


class PlayerAssetsMissing(RuntimeError):
    """web/node_modules/three is not there (scripts/setup.sh installs it)."""


@dataclass(frozen=True)
class Asset:
    """One served file: its bytes, the same gzip-compressed, media type and ETag."""

    body: bytes
    gzipped: bytes
    media_type: str
    etag: str

    @classmethod
    def read(cls, path: Path, media_type: str) -> Asset:
        body = path.read_bytes()
        digest = hashlib.sha256(body).hexdigest()[:16]
        return cls(body, gzip.compress(body, compresslevel=9, mtime=0), media_type, f'"{digest}"')


class PlayerAssets:
    """The files the 3D player loads, read once each (thread-safe) and kept in memory."""

    def __init__(self, node_modules: Path = NODE_MODULES, static: Path = STATIC, dist: Path = DIST) -> None:
        self.node_modules, self.static, self.dist = node_modules, static, dist
        self._lock = threading.Lock()
        self._cache: dict[Path, Asset] = {}

    def three_version(self) -> str:
        """The installed three.js version ("0.187.0"); PlayerAssetsMissing when it is not installed."""
        package = self.node_modules / "three" / "package.json"
        try:
            return str(json.loads(package.read_text(encoding="utf-8"))["version"])
        except (OSError, ValueError, KeyError) as exc:
            raise PlayerAssetsMissing(f"{MISSING} ({package}: {exc})") from None

    def vendor_base(self) -> str:
        """The URL prefix of three.js's files (ends with "/"), for the page's import map."""
        return f"/player/vendor/three@{self.three_version()}/"

    def static_url(self, name: str) -> str:
        """The URL of one of our player files, with its content hash (cached for a year)."""
        digest = self.asset(self.static / name, PLAYER_FILES[name]).etag.strip('"')
        return f"/player/static/{name}?v={digest}"

    def bundle_url(self) -> str | None:
        """The URL of the minified three.js bundle with its content hash, or None when it is not built."""
        if not (self.dist / BUNDLE).is_file():
            return None
        return f"/player/static/{BUNDLE}?v={self.asset(self.dist / BUNDLE, JS).etag.strip(chr(34))}"

    def asset(self, path: Path, media_type: str) -> Asset:
        with self._lock:
            found = self._cache.get(path)
            if found is None:
                found = self._cache[path] = Asset.read(path, media_type)
            return found


def _send(request: Request, asset: Asset, cache: str) -> Response:
    gzipped = accepts_gzip(request.headers.get("accept-encoding", ""))
    # the two encodings are different bytes: each has its own (strong) ETag
    etag = asset.etag[:-1] + '-gz"' if gzipped else asset.etag
    headers = {"ETag": etag, "Cache-Control": cache, "Vary": "Accept-Encoding", "X-Content-Type-Options": "nosniff"}
    if etag_matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=headers)
    if gzipped:
        return Response(asset.gzipped, media_type=asset.media_type, headers={**headers, "Content-Encoding": "gzip"})
    return Response(asset.body, media_type=asset.media_type, headers=headers)


def player_assets_router(assets: PlayerAssets) -> APIRouter:
    """Routes /player/vendor/three@{version}/{path} and /player/static/{name} (not in the OpenAPI schema)."""
    router = APIRouter(include_in_schema=False)
    try:
        installed: str | None = assets.three_version()
    except PlayerAssetsMissing as exc:
        installed = None
        log.error("%s; the 3D player falls back to the video", exc, extra={"event": "player_assets_missing"})

    @router.api_route("/player/vendor/three@{version}/{path:path}", methods=["GET", "HEAD"])
    def vendor(version: str, path: str, request: Request) -> Response:
        if installed is None:
            return JSONResponse({"detail": MISSING}, status_code=503)
        source = THREE_FILES.get(path)
        if version != installed or source is None:
            known = ", ".join(sorted(THREE_FILES))
            detail = f"no file three@{version[:20]}/{path[:80]}; served: three@{installed}/ + one of {known}"
            return JSONResponse({"detail": detail}, status_code=404)
        try:
            asset = assets.asset(assets.node_modules / "three" / source, JS)
        except OSError:
            return JSONResponse({"detail": MISSING}, status_code=503)
        return _send(request, asset, IMMUTABLE)

    @router.api_route("/player/static/{name}", methods=["GET", "HEAD"])
    def static(name: str, request: Request, v: str = "") -> Response:
        if name == BUNDLE and (assets.dist / BUNDLE).is_file():
            asset = assets.asset(assets.dist / BUNDLE, JS)
        elif name in PLAYER_FILES:
            asset = assets.asset(assets.static / name, PLAYER_FILES[name])
        else:
            known = ", ".join(sorted(PLAYER_FILES))
            detail = f"no player file {name[:80]!r}; there are: {known} (and {BUNDLE} once scripts/setup.sh built it)"
            return JSONResponse({"detail": detail}, status_code=404)
        # the page links the current hash: that URL never changes its content
        return _send(request, asset, IMMUTABLE if v == asset.etag.strip('"') else "no-cache")

    return router
