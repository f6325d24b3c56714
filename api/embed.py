"""GET /embed/{id}: an accessible German player page for one clip, made to sit in an <iframe> on a
city's web page; GET /embed/{id}/snippet: the <iframe> to copy.

The page is self-contained (inline CSS and JS from api/templates/, allowed by their CSP hashes; no
external URL), labels the clip as machine-generated from its clip.json, and escapes every value it
inserts (the German text is user input).

Only approved clips are public (api/review.py): a draft or rejected clip gets a 404 page saying it
is not (yet) approved, and the label of an approved one says that, and when, it was approved (not
by whom: editors' names are for editors only). The snippet's URL starts with Settings.public_url
when it is set, else with the request's own base URL (whose Host api/hosts.py has checked).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any, Protocol

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from signavatar.errors import InvalidInputError
from signavatar.fingerspelling import viewer_gloss
from signavatar.jobs.clip_record import ClipRecord
from signavatar.jobs.store import ClipStore, check_clip_id
from signavatar.settings import Settings

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: width of the suggested <iframe> in CSS pixels; its height follows the clip's aspect ratio
SNIPPET_WIDTH = 400
#: CSS pixels below the video: label, controls, key help, text and glosses (at 400 px width)
SNIPPET_EXTRA_HEIGHT = 240
#: seconds between reloads of the "still rendering" page
REFRESH_S = 3
NOT_FOUND = "Video nicht gefunden"
REVIEW_LABELS = {
    "draft": "Entwurf, nicht von tauben Menschen geprüft",
    "approved": "von tauben Menschen geprüft",
    "rejected": "abgelehnt, nicht verwenden",
}
NOT_APPROVED = {
    "draft": ("Video noch nicht freigegeben", "Dieses Gebärdensprach-Video ist ein Entwurf: es wird erst "
              "angezeigt, wenn eine Redakteurin oder ein Redakteur es geprüft und freigegeben hat."),
    "rejected": ("Video nicht freigegeben", "Dieses Gebärdensprach-Video wurde bei der Prüfung abgelehnt "
                 "und wird nicht angezeigt."),
}
MEDIA_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}


class JobLike(Protocol):
    """What the page reads of a job (signavatar.jobs.job_table.JobRecord, a frozen dataclass: read-only)."""

    @property
    def status(self) -> str: ...  # queued | running | done | failed


@dataclass(frozen=True)
class _Assets:
    page: Template
    message: Template
    css: str
    js: str
    csp: str  # without frame-ancestors


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _assets() -> _Assets:
    css = (TEMPLATES / "embed.css").read_text(encoding="utf-8")
    js = (TEMPLATES / "embed.js").read_text(encoding="utf-8")
    csp = (
        f"default-src 'none'; script-src {_sha256(js)}; style-src {_sha256(css)}; img-src 'self'; "
        "media-src 'self'; base-uri 'none'; form-action 'none'"
    )
    return _Assets(
        Template((TEMPLATES / "embed.html").read_text(encoding="utf-8")),
        Template((TEMPLATES / "message.html").read_text(encoding="utf-8")), css, js, csp,
    )


def frame_ancestors(origins: list[str]) -> str:
    """The CSP frame-ancestors source list for the configured embedding origins (["*"] = anyone)."""
    return "*" if origins == ["*"] else " ".join(["'self'", *origins])


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def review_label(clip: ClipRecord) -> str:
    state = clip.review_state
    review = clip.data.get("review") or {}
    if state == "approved" and review.get("time"):
        # Approved glosses, but the signing itself is still the avatar's: say both.
        return f"Glossen geprüft und freigegeben am {_german_date(str(review['time']))}"
    return REVIEW_LABELS.get(state, f"Prüfstatus: {state}")


def _german_date(iso: str) -> str:
    """"2026-11-25T09:25:08+00:00" -> "25.11.2026" (the input unchanged when it is not a date)."""
    year, _, rest = iso[:10].partition("-")
    month, _, day = rest.partition("-")
    return f"{day}.{month}.{year}" if year.isdigit() and month.isdigit() and day.isdigit() else iso


def _media(clip: ClipRecord, alt: str) -> str:
    base = f"/v1/clips/{clip.clip_id}"
    fmt = clip.format
    size = f'width="{clip.width}" height="{clip.height}"'
    if fmt not in MEDIA_TYPES:  # a GIF loops by itself: no player, no captions to switch
        return f'<img class="clip" src="{base}/video" {size} alt="{_e(alt)}">'
    return (
        f'<video id="video" controls playsinline preload="metadata" poster="{base}/poster.png" {size} '
        f'aria-describedby="label text-de glosses">\n'
        f'<source src="{base}/video" type="{MEDIA_TYPES[fmt]}">\n'
        f'<track kind="captions" srclang="de" label="Glossen" src="{base}/subtitles.vtt" default>\n'
        f'<p>Ihr Browser kann dieses Video nicht abspielen: <a href="{base}/video">Video laden</a>.</p>\n'
        "</video>"
    )


def render_player(clip: ClipRecord) -> str:
    """The player page of a stored clip."""
    a = _assets()
    text, glosses = clip.text, viewer_glosses(clip.gloss_string)
    shown_text = text or "(aus Glossen erzeugt, kein deutscher Text)"
    return a.page.substitute(
        title=_e(f"Gebärdensprache (DGS): {_short(text or glosses)}"),
        css=a.css, js=a.js, review=_e(review_label(clip)),
        media=_media(clip, f"Gebärdensprach-Avatar: {text or glosses}"),
        text=_e(shown_text), glosses=_e(glosses),
    )


_MOUTHING_NOTE = re.compile(r"\{[^{}]*\}")


def viewer_glosses(gloss_string: str) -> str:
    """A clip's glosses as the page shows them to viewers: the signs as the captions name them
    (fingerspelling.viewer_gloss: `fs-MEIER` -> `M-E-I-E-R`), without an editor's mouthing choices
    (`ÖFFNEN{auf}`): both are editing notation."""
    return " ".join(viewer_gloss(g) for g in _MOUTHING_NOTE.sub("", gloss_string).split())


def render_message(title: str, message: str, link: str = "", refresh: bool = False) -> str:
    """A small page in place of the player: unknown clip, still rendering, failed."""
    a = _assets()
    return a.message.substitute(
        title=_e(title), message=_e(message), css=a.css,
        refresh=f'<meta http-equiv="refresh" content="{REFRESH_S}">\n' if refresh else "",
        link=f'<p><a href="{_e(link)}">Status (JSON)</a></p>' if link else "",
    )


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def snippet(embed_url: str, clip: ClipRecord) -> dict[str, Any]:
    """The <iframe> to paste into a web page, with its size in CSS pixels."""
    height = round(SNIPPET_WIDTH * clip.height / clip.width) + SNIPPET_EXTRA_HEIGHT
    text = clip.request_text or viewer_glosses(clip.gloss_string)
    title = f"Gebärdensprach-Video (DGS, maschinell erzeugt): {_short(text)}"
    iframe = (
        f'<iframe src="{_e(embed_url)}" title="{_e(title)}" width="{SNIPPET_WIDTH}" height="{height}" '
        'style="border:0;max-width:100%" allow="fullscreen" allowfullscreen loading="lazy"></iframe>'
    )
    return {"embed_url": embed_url, "embed_html": iframe, "width": SNIPPET_WIDTH, "height": height}


def embed_router(store: ClipStore, job: Callable[[str], JobLike | None], settings: Settings) -> APIRouter:
    """Routes /embed/{id} and /embed/{id}/snippet; `job` looks a clip's job up (JobQueue.get)."""
    router = APIRouter(tags=["embed"])
    csp = f"{_assets().csp}; frame-ancestors {frame_ancestors(settings.origins())}"
    # Review state can change (an editor approves), so browsers revalidate instead of caching.
    headers = {
        "Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
    }

    def page(body: str, status: int = 200, cache: str = "no-cache") -> HTMLResponse:
        # no-cache: the review state can change (an editor approves), so browsers revalidate.
        return HTMLResponse(body, status_code=status, headers={**headers, "Cache-Control": cache})

    @router.api_route("/embed/{cid}", methods=["GET", "HEAD"], response_class=HTMLResponse,
                      summary="player page for an <iframe>")
    def embed_page(cid: str) -> Response:
        try:
            check_clip_id(cid)
        except InvalidInputError:
            return page(render_message(NOT_FOUND, "Diese Adresse ist kein Gebärdensprach-Video: "
                                       "eine Video-ID besteht aus 32 Zeichen 0–9 und a–f."), 404)
        clip = store.read_clip(cid)
        if clip is not None:
            state = clip.review_state
            if state == "approved":
                return page(render_player(clip))
            title, message = NOT_APPROVED.get(state, NOT_APPROVED["draft"])
            return page(render_message(title, message), 404)
        record = job(cid)
        status_url = f"/v1/clips/{cid}"
        if record is None:
            return page(render_message(NOT_FOUND, "Zu dieser ID gibt es kein Gebärdensprach-Video."), 404)
        if record.status == "failed":
            message = "Das Video konnte nicht erzeugt werden."
            return page(render_message("Video nicht verfügbar", message, status_url), 404)
        message = (f"Das Gebärdensprach-Video wird gerade erzeugt. "
                   f"Diese Seite lädt sich alle {REFRESH_S} Sekunden neu.")
        return page(render_message("Video wird erzeugt", message, status_url, refresh=True), cache="no-store")

    @router.get("/embed/{cid}/snippet", summary="the <iframe> snippet to copy into a web page")
    def embed_snippet(cid: str, request: Request) -> JSONResponse:
        clip = store.read_clip(check_clip_id(cid))
        if clip is None:
            detail = f"clip {cid} is not rendered (yet); see /v1/clips/{cid}"
            return JSONResponse({"detail": detail}, status_code=404)
        if settings.public_url:
            url = f"{settings.public_url.rstrip('/')}/embed/{cid}"
        else:
            url = str(request.url_for("embed_page", cid=cid))
        return JSONResponse(snippet(url, clip))

    return router
