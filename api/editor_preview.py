"""The editor's 3D preview of a rendered clip, draft or not: GET /editor/clips/{id}/player3d.

The page is the 3D player of /embed/{id}?player=3d (api/player3d.py render_player3d), labelled
"Entwurf, nicht freigegeben" when the clip is not approved, for an <iframe> in the editor (frame
ancestors: this service only). /embed shows approved clips only; this route must not make a draft
public, so it asks for the editor role like the other editor endpoints (api/auth.py): the editor key
in a header, or, because an <iframe> cannot send headers, a short-lived ticket in the address that
GET /editor/clips/{id}/player3d/link hands to a request with the editor key. A ticket is an HMAC
of the clip id and its expiry under the editor key: it opens that clip's preview only, for
TICKET_TTL_S seconds, and no key ever appears in an address. Without any key configured (loopback
developer mode) everything is open, as everywhere else.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.auth import EDITOR, Keys, presented_key
from api.embed import NOT_FOUND, _assets, clip_cues, render_message
from api.player3d import player3d_csp, render_player3d
from signavatar.errors import InvalidInputError
from signavatar.jobs.store import ClipStore, check_clip_id

#: seconds a preview ticket stays valid (an editor reviewing one clip; a new render asks again)
TICKET_TTL_S = 3600
PAGE_PATH = "/editor/clips/{cid}/player3d"


def make_ticket(secret: str, cid: str, now: float | None = None) -> str:
    """"<expiry>.<hmac>": opens clip `cid`'s preview until expiry (unix seconds)."""
    expires = int(now if now is not None else time.time()) + TICKET_TTL_S
    return f"{expires}.{_mac(secret, cid, expires)}"


def ticket_ok(secret: str, cid: str, ticket: str, now: float | None = None) -> bool:
    """True when `ticket` was made by make_ticket for `cid` with `secret` and has not expired."""
    if not secret:
        return False
    expires, _, mac = ticket.partition(".")
    if not expires.isdigit() or len(expires) > 12:
        return False
    if int(expires) < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(mac.encode("ascii", "replace"), _mac(secret, cid, int(expires)).encode("ascii"))


def _mac(secret: str, cid: str, expires: int) -> str:
    message = f"signavatar-editor-player3d:{cid}:{expires}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def editor_preview_router(
    store: ClipStore, keys: Keys, editor_key: str, require_editor: Any,
    now: Callable[[], float] = time.time,
) -> APIRouter:
    """Routes GET /editor/clips/{id}/player3d/link (editor key) and GET /editor/clips/{id}/player3d
    (editor key or a ticket); `require_editor`: the app's Depends(KeyRequirement(keys, EDITOR))."""
    router = APIRouter(tags=["editor"])
    headers = {
        "Content-Security-Policy": f"{player3d_csp()}; frame-ancestors 'self'", "X-Content-Type-Options": "nosniff",
        # the address carries the ticket: never sent on, never cached
        "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
    }
    # a message page (refused, unknown clip) has the video embed's CSS and CSP
    message_headers = {**headers, "Content-Security-Policy": f"{_assets().csp}; frame-ancestors 'self'"}

    def message(title: str, text: str, status: int) -> HTMLResponse:
        return HTMLResponse(render_message(title, text), status_code=status, headers=message_headers)

    @router.get("/editor/clips/{cid}/player3d/link", dependencies=[require_editor],
                summary="address of the editor's 3D preview of a clip (draft or not), with a ticket")
    def preview_link(cid: str) -> JSONResponse:
        """{"url": "/editor/clips/{id}/player3d?ticket=…", "expires_in": seconds}: the ticket opens
        this clip's preview without a key (an <iframe> cannot send one) until it expires."""
        check_clip_id(cid)
        ticket = make_ticket(editor_key, cid, now())
        return JSONResponse({"url": f"{PAGE_PATH.format(cid=cid)}?ticket={ticket}", "expires_in": TICKET_TTL_S},
                            headers={"Cache-Control": "no-store"})

    @router.get(PAGE_PATH, response_class=HTMLResponse, include_in_schema=False)
    def preview_page(cid: str, request: Request, ticket: str = "") -> Response:
        refused = keys.refusal(EDITOR, presented_key(request.scope["headers"]))
        if refused is not None and not ticket_ok(editor_key, cid, ticket, now()):
            status = 403 if refused.status == 403 or ticket else 401
            why = ("Die Vorschau ist abgelaufen oder ungültig: bitte im Editor neu öffnen." if ticket else
                   "Die Vorschau gibt es nur im Editor (mit dem Redaktionsschlüssel).")
            return message("Keine Berechtigung", why, status)
        try:
            check_clip_id(cid)
        except InvalidInputError:
            return message(NOT_FOUND, "Keine gültige Video-ID.", 404)
        clip = store.read_clip(cid)
        if clip is None:
            return message(NOT_FOUND, "Dieses Video ist (noch) nicht erstellt.", 404)
        return HTMLResponse(render_player3d(clip, clip_cues(store.paths(cid).subtitles)), headers=headers)

    return router
