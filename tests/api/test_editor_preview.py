"""GET /editor/clips/{id}/player3d (api/editor_preview.py): the editor's 3D preview of a draft is the
3D player labelled as a draft, for the editor only (editor key, or a ticket the editor key got), never
for a page without one; an approved clip's preview has no draft label. Real app under uvicorn (fake
pipeline) with both keys configured, as tests/api/conftest.py starts it."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from test_embed import OPTS, approved, done

from api.editor import CSP as EDITOR_CSP
from api.editor_preview import TICKET_TTL_S, make_ticket, ticket_ok
from fake_server import AUTH, EDITOR_AUTH, TEST_EDITOR_KEY
from fake_server import fake_server as start_fake_server

DRAFT_LABEL = "Entwurf, nicht freigegeben"


def page_url(server: str, cid: str) -> str:
    return f"{server}/editor/clips/{cid}/player3d"


def assert_no_player(r: httpx.Response) -> None:
    assert "importmap" not in r.text and "/motion.glb" not in r.text, r.text[:300]


def test_a_draft_is_refused_without_the_editor_key(server: str) -> None:
    cid = done(server, {"text": "Wo ist das Bürgeramt?", "options": OPTS})["id"]
    r = httpx.get(page_url(server, cid))
    assert r.status_code == 401 and "Redaktionsschlüssel" in r.text
    assert_no_player(r)
    r = httpx.get(page_url(server, cid), headers=AUTH)  # the API key may create clips, not review them
    assert r.status_code == 403
    assert_no_player(r)
    for ticket in ("", "1.abc", f"{2**40}.{'0' * 64}", make_ticket("not-the-editor-key-123", cid)):
        r = httpx.get(page_url(server, cid), params={"ticket": ticket})
        assert r.status_code in (401, 403), ticket
        assert_no_player(r)
    # the public embed stays closed for it too
    assert httpx.get(f"{server}/embed/{cid}", params={"player": "3d"}).status_code == 404


def test_the_editor_key_shows_the_draft_in_the_3d_player_labelled_as_draft(server: str) -> None:
    cid = done(server, {"text": "Ich brauche einen Termin.", "options": OPTS})["id"]
    r = httpx.get(page_url(server, cid), headers=EDITOR_AUTH)
    assert r.status_code == 200, r.text
    assert '<p class="draft" id="draft">Entwurf, nicht freigegeben</p>' in r.text
    assert re.search(r"<title>Entwurf, nicht freigegeben – Gebärdensprache", r.text)
    assert f'data-motion="/v1/clips/{cid}/motion.glb"' in r.text and '<script type="importmap">' in r.text
    assert r.headers["cache-control"] == "no-store" and r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["content-security-policy"].endswith("frame-ancestors 'self'")


def test_the_link_needs_the_editor_key_and_its_ticket_opens_that_clip_only(server: str) -> None:
    cid = done(server, {"text": "Der Bus kommt morgen.", "options": OPTS})["id"]
    other = done(server, {"text": "Wo ist der Bahnhof?", "options": OPTS})["id"]
    link = f"{page_url(server, cid)}/link"
    assert httpx.get(link).status_code == 401
    assert httpx.get(link, headers=AUTH).status_code == 403
    r = httpx.get(link, headers=EDITOR_AUTH)
    assert r.status_code == 200 and r.json()["expires_in"] == TICKET_TTL_S
    url = r.json()["url"]
    assert url.startswith(f"/editor/clips/{cid}/player3d?ticket=") and TEST_EDITOR_KEY not in url
    page = httpx.get(server + url)  # what the editor's <iframe> loads: no header
    assert page.status_code == 200 and DRAFT_LABEL in page.text
    ticket = url.split("ticket=", 1)[1]
    r = httpx.get(page_url(server, other), params={"ticket": ticket})
    assert r.status_code == 403
    assert_no_player(r)


def test_an_approved_clip_has_no_draft_label(server: str) -> None:
    cid = approved(server, {"text": "Das Amt ist heute geschlossen.", "options": OPTS})["id"]
    r = httpx.get(page_url(server, cid), headers=EDITOR_AUTH)
    assert r.status_code == 200 and "importmap" in r.text
    assert DRAFT_LABEL not in r.text and 'id="draft"' not in r.text


def test_unknown_and_malformed_clips(server: str) -> None:
    assert httpx.get(page_url(server, "f" * 32), headers=EDITOR_AUTH).status_code == 404
    assert httpx.get(page_url(server, "nicht-eine-id"), headers=EDITOR_AUTH).status_code == 404


def test_tickets_expire_and_are_bound_to_key_and_clip() -> None:
    cid, key = "a" * 32, "k" * 20
    ticket = make_ticket(key, cid, now=1000.0)
    assert ticket_ok(key, cid, ticket, now=1000.0 + TICKET_TTL_S)
    assert not ticket_ok(key, cid, ticket, now=1001.0 + TICKET_TTL_S)
    assert not ticket_ok(key, "b" * 32, ticket, now=1000.0)
    assert not ticket_ok("other-key-123456", cid, ticket, now=1000.0)
    assert not ticket_ok("", cid, ticket, now=1000.0)  # no editor key: no ticket opens anything
    expires, mac = ticket.split(".")
    assert not ticket_ok(key, cid, f"{int(expires) + 10}.{mac}", now=1000.0)  # a later expiry is not signed


def test_without_an_editor_key_the_preview_is_off(tmp_path: Path) -> None:
    """Only the API key configured: no editor role, so no preview (as the other editor endpoints)."""
    with start_fake_server(tmp_path, editor_key="") as url:
        cid = done(url, {"text": "Wo ist das Bürgeramt?", "options": OPTS})["id"]
        for headers in ({}, AUTH):
            r = httpx.get(page_url(url, cid), headers=headers)
            assert r.status_code in (401, 403)
            assert_no_player(r)
        assert httpx.get(f"{page_url(url, cid)}/link", headers=AUTH).status_code == 403


def test_the_editor_page_may_frame_its_own_preview_only() -> None:
    assert "frame-src 'self'" in EDITOR_CSP and "frame-ancestors 'self'" in EDITOR_CSP
