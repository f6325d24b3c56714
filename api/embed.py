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
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any, Protocol
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.responses import ErrorOut, error_responses
from signavatar.errors import InvalidInputError
from signavatar.fingerspelling import viewer_gloss
from signavatar.frames_to_video.webvtt import Cue, read_webvtt
from signavatar.jobs.clip_record import ClipRecord
from signavatar.jobs.store import ClipStore, check_clip_id
from signavatar.settings import Settings

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: width of the suggested <iframe> in CSS pixels; its height follows the clip's aspect ratio
SNIPPET_WIDTH = 400
#: CSS pixels of the page but the video and its text lines at SNIPPET_WIDTH: padding, label (2 lines),
#: controls (2 rows), key help (2 lines); measured in Chromium (DejaVu Sans), tests/e2e/test_embed_height.py
SNIPPET_EXTRA_HEIGHT = 204
#: one line of the "Text:" and "Glossen:" paragraphs (0.9 rem at line-height 1.4 = 20.2 px, rounded up)
SNIPPET_LINE_HEIGHT = 21
#: characters of German text, and units of glosses (a letter 1, the gap and padding between two 1.5),
#: that fill a line at SNIPPET_WIDTH; a little under what Chromium fits, so the iframe errs taller
TEXT_LINE_CHARS = 50
GLOSS_LINE_UNITS = 36
#: seconds between reloads of the "still rendering" page
REFRESH_S = 3
NOT_FOUND = "Video nicht gefunden"
#: the "Text:" line of a clip made from glosses, not from German text
NO_TEXT = "(aus Glossen erzeugt, kein deutscher Text)"
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
#: the players /embed/{id}?player= offers (the snippet carries the choice into its URL)
PLAYERS = ("video", "3d")
SNIPPET_REFUSED = {
    "draft": "Entwurf: Einbettungscode gibt es erst nach der Freigabe (oder als Entwurf mit ?draft=1). / "
             "draft: embed code only after approval (or, labelled as a draft, with ?draft=1)",
    "rejected": "Abgelehnt: für ein abgelehntes Video gibt es keinen Einbettungscode. / "
                "rejected: a rejected clip has no embed code",
}


class JobLike(Protocol):
    """What the page reads of a job (signavatar.jobs.job_table.JobRecord, a frozen dataclass: read-only)."""

    @property
    def status(self) -> str: ...  # queued | running | done | failed


@dataclass(frozen=True)
class _Assets:
    page: Template
    message: Template
    controls: Template  # player_controls.html: both players' controls, key help and text
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
        Template((TEMPLATES / "message.html").read_text(encoding="utf-8")),
        Template((TEMPLATES / "player_controls.html").read_text(encoding="utf-8")), css, js, csp,
    )


def player_controls(text: str, glosses: str, *, jumps: str, extra_controls: str = "", extra_keys: str = "") -> str:
    """The controls, key help, status line, German text and gloss line both players share
    (player_controls.html). text: escaped; glosses: gloss_line's markup; jumps: what a chosen gloss
    moves ("das Video springt"); extra_controls/extra_keys: a player's own buttons (markup) and keys."""
    return _assets().controls.substitute(
        text=text, glosses=glosses, jumps=_e(jumps), extra_controls=extra_controls, extra_keys=_e(extra_keys),
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
        f'<video id="video" controls playsinline preload="metadata" poster="{base}/poster.webp" {size} '
        f'aria-describedby="label text-de glosses">\n'
        f'<source src="{base}/video" type="{MEDIA_TYPES[fmt]}">\n'
        f'<track kind="captions" srclang="de" label="Glossen" src="{base}/subtitles.vtt" default>\n'
        f'<p>Ihr Browser kann dieses Video nicht abspielen: <a href="{base}/video">Video laden</a>.</p>\n'
        "</video>"
    )


def render_player(clip: ClipRecord, cues: list[Cue] | None = None) -> str:
    """The player page of a stored clip; `cues`: its captions (clip_cues), which time the gloss line."""
    a = _assets()
    text, glosses = clip.text, viewer_glosses(clip.gloss_string)
    shown_text = text or NO_TEXT
    return a.page.substitute(
        title=_e(f"Gebärdensprache (DGS): {_short(text or glosses)}"),
        css=a.css, js=a.js, review=_e(review_label(clip)), clip_id=_e(clip.clip_id),
        media=_media(clip, f"Gebärdensprach-Avatar: {text or glosses}"),
        controls=player_controls(_e(shown_text), gloss_line(glosses, cues, seekable=clip.format in MEDIA_TYPES),
                                 jumps="das Video springt"),
    )


def player_page(clip: ClipRecord, player: str, subtitles: Path) -> str:
    """The page for ?player=: THE ONE PLACE that picks the player: "video" (this module) or "3d"
    (api/player3d.py, the three.js player of issue 24; its page has its own CSP, player3d_csp)."""
    if player not in PLAYERS:
        raise InvalidInputError(f"player must be one of {', '.join(PLAYERS)}; got {player!r}")
    if player == "3d":
        from api.player3d import render_player3d  # imported here: player3d builds on this module

        return render_player3d(clip, clip_cues(subtitles))
    return render_player(clip, clip_cues(subtitles))


def clip_cues(path: Path) -> list[Cue] | None:
    """The caption cues of a clip's subtitles.vtt, or None (logged) when the file is missing, broken
    or empty: the page then shows its gloss line as plain text."""
    try:
        cues = read_webvtt(path)
    except (OSError, ValueError) as exc:
        log.warning("embed: gloss line without times: %s", exc, extra={"event": "embed_vtt_unreadable"})
        return None
    return cues or None


def gloss_line(glosses: str, cues: list[Cue] | None, *, seekable: bool) -> str:
    """The inside of <span id="glosses">: one <span class="gloss" data-start data-end> per caption
    cue (seconds, 3 decimals; the contract the players' scripts share: the one whose [start, end)
    holds the playing time gets class "current" and aria-current), or the escaped gloss string
    when there are no cues. `seekable`: the spans are keyboard-reachable buttons that seek."""
    if not cues:
        return _e(glosses)
    focus = ' tabindex="0" role="button" aria-describedby="gloss-help"' if seekable else ""
    return " ".join(
        f'<span class="gloss" data-start="{start:.3f}" data-end="{end:.3f}"{focus}>{_e(viewer_text(text))}</span>'
        for start, end, text in cues
    )


def viewer_text(cue_text: str) -> str:
    """A cue's text as the gloss line shows it: without an editor's mouthing notation (`{auf}`)."""
    return " ".join(_MOUTHING_NOTE.sub("", cue_text).split())


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
    """The <iframe> to paste into a web page, with its size in CSS pixels, and `embed_script`: an
    optional <script> for the same page that keeps the iframe as tall as the player page says it is
    (embed.js posts {type: "signavatar:height", id, height}). A draft's title says "Entwurf"."""
    height = snippet_height(clip)
    text = clip.text or viewer_glosses(clip.gloss_string)  # an editor's clip: its German sentence
    title = f"Gebärdensprach-Video (DGS, maschinell erzeugt): {_short(text)}"
    if clip.review_state == "draft":
        title = f"Entwurf, noch nicht freigegeben – {title}"
    iframe = (
        f'<iframe src="{_e(embed_url)}" title="{_e(title)}" width="{SNIPPET_WIDTH}" height="{height}" '
        f'data-signavatar-clip="{_e(clip.clip_id)}" style="border:0;max-width:100%" allow="fullscreen" '
        'allowfullscreen loading="lazy"></iframe>'
    )
    return {"embed_url": embed_url, "embed_html": iframe, "embed_script": resize_script(embed_url),
            "width": SNIPPET_WIDTH, "height": height, "review_state": clip.review_state, "title": title}


def snippet_height(clip: ClipRecord) -> int:
    """The iframe's height at SNIPPET_WIDTH: the video at its aspect ratio, the page's fixed parts,
    and the lines its text and gloss line wrap to (embed_script then follows the page exactly)."""
    video = round((SNIPPET_WIDTH - 16) * clip.height / clip.width)  # .player's padding: 8 px a side
    text = "Text: " + (clip.text or NO_TEXT)
    lines = wrapped_lines([len(w) for w in text.split()], TEXT_LINE_CHARS)
    glosses = ["Glossen:", *viewer_glosses(clip.gloss_string).split()]
    lines += wrapped_lines([len(g) + 0.5 for g in glosses], GLOSS_LINE_UNITS)
    return video + SNIPPET_EXTRA_HEIGHT + SNIPPET_LINE_HEIGHT * lines


def wrapped_lines(words: list[float], line: float) -> int:
    """How many lines words of these widths fill, greedily wrapped at `line` (a space: 1)."""
    lines, used = 1, 0.0
    for w in words:
        if used and used + 1 + w > line:
            lines, used = lines + 1, w
        else:
            used += (1 if used else 0) + w
    return lines


def resize_script(embed_url: str) -> str:
    """A <script> for the host page: sets the height of our iframes from the messages of their pages,
    only from the service's origin and only for the iframe whose window sent it (clamped)."""
    parts = urlsplit(embed_url)
    origin = json.dumps(f"{parts.scheme}://{parts.netloc}").replace("<", "\\u003c")
    return (
        "<script>(function(){if(window.signavatarResize){return;}window.signavatarResize=1;"
        'window.addEventListener("message",function(e){var d=e.data;'
        f'if(e.origin!=={origin}||!d||d.type!=="signavatar:height"){{return;}}'
        'var f=document.querySelectorAll("iframe[data-signavatar-clip]");'
        "for(var i=0;i<f.length;i++){if(f[i].contentWindow===e.source){"
        'f[i].style.height=Math.max(80,Math.min(4000,Math.ceil(+d.height)||0))+"px";}}});})();</script>'
    )


def embed_router(store: ClipStore, job: Callable[[str], JobLike | None], settings: Settings) -> APIRouter:
    """Routes /embed/{id} and /embed/{id}/snippet; `job` looks a clip's job up (JobQueue.get)."""
    router = APIRouter(tags=["embed"])
    csp = f"{_assets().csp}; frame-ancestors {frame_ancestors(settings.origins())}"
    # Review state can change (an editor approves), so browsers revalidate instead of caching.
    headers = {
        "Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
    }

    from api.player3d import player3d_csp  # imported here: player3d builds on this module

    csp_3d = f"{player3d_csp()}; frame-ancestors {frame_ancestors(settings.origins())}"

    def page(body: str, status: int = 200, cache: str = "no-cache", player: str = "video") -> HTMLResponse:
        # no-cache: the review state can change (an editor approves), so browsers revalidate.
        csp_header = {"Content-Security-Policy": csp_3d} if player == "3d" else {}
        return HTMLResponse(body, status_code=status, headers={**headers, **csp_header, "Cache-Control": cache})

    @router.api_route("/embed/{cid}", methods=["GET", "HEAD"], response_class=HTMLResponse,
                      summary="player page for an <iframe>")
    def embed_page(cid: str, player: str = "video") -> Response:
        try:
            check_clip_id(cid)
        except InvalidInputError:
            return page(render_message(NOT_FOUND, "Diese Adresse ist kein Gebärdensprach-Video: "
                                       "eine Video-ID besteht aus 32 Zeichen 0–9 und a–f."), 404)
        if player not in PLAYERS:
            return page(render_message("Unbekannter Player", f"player={_short(player, 20)} gibt es nicht: "
                                       f"möglich sind {' und '.join(PLAYERS)}."), 400)
        clip = store.read_clip(cid)
        if clip is not None:
            state = clip.review_state
            if state == "approved":
                return page(player_page(clip, player, store.paths(cid).subtitles), player=player)
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

    @router.get("/embed/{cid}/snippet", summary="the <iframe> snippet to copy into a web page",
                responses={**error_responses(400, 404), 409: {
                    "model": ErrorOut, "description": "the clip is a draft (ask with ?draft=1) or rejected"}})
    def embed_snippet(cid: str, request: Request, player: str = "video", draft: str = "") -> JSONResponse:
        """The <iframe> of an approved clip; a draft's only with ?draft=1 (labelled "Entwurf"), a
        rejected clip's never (409). ?player=video|3d chooses the player the page shows."""
        clip = store.read_clip(check_clip_id(cid))
        if clip is None:
            detail = f"clip {cid} is not rendered (yet); see /v1/clips/{cid}"
            return JSONResponse({"detail": detail}, status_code=404)
        if player not in PLAYERS:
            return JSONResponse({"detail": f"player must be one of {', '.join(PLAYERS)}; got {player[:20]!r}"},
                                status_code=400)
        if draft not in ("", "0", "1"):
            return JSONResponse({"detail": f"draft must be 1 or 0; got {draft[:20]!r}"}, status_code=400)
        state = clip.review_state
        if state != "approved" and not (state == "draft" and draft == "1"):
            return JSONResponse({"detail": SNIPPET_REFUSED.get(state, SNIPPET_REFUSED["draft"])}, status_code=409)
        if settings.public_url:
            url = f"{settings.public_url.rstrip('/')}/embed/{cid}"
        else:
            url = str(request.url_for("embed_page", cid=cid))
        if player != "video":
            url += f"?player={player}"
        return JSONResponse(snippet(url, clip))

    return router
