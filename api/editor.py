"""GET /editor and GET /editor/lexikon: the German editor pages (static HTML, JS and CSS from
api/static/editor/, no external URL, no build step).

The pages call the JSON API from the browser with the key the editor types in (kept in
sessionStorage); serving them needs no key. Only the files listed in EDITOR_FILES are served, so no
path from the URL ever reaches the file system.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse, Response

STATIC = Path(__file__).resolve().parent / "static" / "editor"
#: the files under /editor/static/ and their media types
EDITOR_FILES = {
    "common.js": "text/javascript; charset=utf-8",
    "editor.js": "text/javascript; charset=utf-8",
    "lexikon.js": "text/javascript; charset=utf-8",
    "editor.css": "text/css; charset=utf-8",
}
#: same-origin only: the pages load their own scripts and talk to this service, nothing else; the
#: editor frames its own 3D preview (api/editor_preview.py)
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
    # The pages change with the service version and are small: revalidate instead of caching.
    "Cache-Control": "no-cache",
}


def editor_router() -> APIRouter:
    """Routes /editor, /editor/lexikon and /editor/static/{name} (not in the OpenAPI schema)."""
    router = APIRouter(include_in_schema=False)

    def page(name: str) -> FileResponse:
        return FileResponse(STATIC / name, media_type="text/html; charset=utf-8", headers=HEADERS)

    @router.get("/editor")
    def editor_page() -> FileResponse:
        return page("editor.html")

    @router.get("/editor/lexikon")
    def lexicon_page() -> FileResponse:
        return page("lexikon.html")

    @router.get("/editor/static/{name}")
    def editor_static(name: str) -> Response:
        media_type = EDITOR_FILES.get(name)
        if media_type is None:
            known = ", ".join(sorted(EDITOR_FILES))
            return JSONResponse({"detail": f"no editor file {name!r}; there are: {known}"}, status_code=404)
        return FileResponse(STATIC / name, media_type=media_type, headers=HEADERS)

    return router
