"""GET /embed/{id} and its snippet, against the real app under uvicorn (fake pipeline) and in-process
for the states a fast fake render passes too quickly to catch (queued, running)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import shutil
import subprocess
from html import unescape as html_unescape
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from api.embed import SNIPPET_EXTRA_HEIGHT, SNIPPET_LINE_HEIGHT, embed_router, frame_ancestors, wrapped_lines
from fake_server import EDITOR_AUTH, rendered
from signavatar.jobs.store import ClipStore
from signavatar.settings import Settings

OPTS = {"width": 64, "height": 48, "fps": 10}
HOSTILE = 'Ich brauche <script>alert("x")</script> & einen "Termin" </video>'


done = rendered  # a clip's final status JSON (done or failed)


def approved(server: str, body: dict[str, Any]) -> dict[str, Any]:
    """A rendered clip an editor approved: only those are public under /embed."""
    info = done(server, body)
    assert info["status"] == "done", info
    r = httpx.post(f"{server}/v1/clips/{info['id']}/approve", json={"editor": "Anna Beispiel"}, headers=EDITOR_AUTH)
    assert r.status_code == 200, r.text
    return info


def inline(tag: str, page: str) -> str:
    m = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S)
    assert m, tag
    return m.group(1)


GLOSS_SPAN = re.compile(r'<span class="gloss" data-start="([0-9.]+)" data-end="([0-9.]+)"([^>]*)>([^<]*)</span>')


def gloss_spans(page: str) -> list[tuple[float, float, str]]:
    """The timed spans of the page's gloss line: (start s, end s, text); the line holds nothing else."""
    line = re.search(r'<span id="glosses">(.*?)</span></p>', page, re.S)
    assert line, "no gloss line"
    spans = GLOSS_SPAN.findall(line.group(1))
    assert GLOSS_SPAN.sub("", line.group(1)).strip() == "", line.group(1)
    return [(float(a), float(b), html_unescape(text)) for a, b, _, text in spans]


def shown_glosses(page: str) -> str:
    """The gloss line's text as a viewer reads it."""
    line = re.search(r'<span id="glosses">(.*?)</span></p>', page, re.S)
    assert line, "no gloss line"
    return html_unescape(re.sub(r"<[^>]*>", "", line.group(1))).strip()


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_embed_page_plays_the_clip_with_captions_label_and_escaped_text(server: str) -> None:
    info = approved(server, {"text": HOSTILE, "options": OPTS})
    cid = info["id"]
    r = httpx.get(f"{server}/embed/{cid}")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    page = r.text
    assert '<html lang="de">' in page
    assert f'<source src="/v1/clips/{cid}/video" type="video/mp4">' in page
    assert f'poster="/v1/clips/{cid}/poster.webp"' in page
    track = f'<track kind="captions" srclang="de" label="Glossen" src="/v1/clips/{cid}/subtitles.vtt" default>'
    assert track in page
    label = "Maschinell erzeugt</strong> – Gebärdensprach-Avatar (Glossen geprüft und freigegeben am "
    assert label in page and "Anna Beispiel" not in page  # when, not by whom: names are for editors only
    assert '<label for="speed">Tempo</label>' in page and 'id="cc" aria-pressed="true"' in page
    # The user's text is shown, escaped: no tag of it survives.
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; einen &quot;Termin&quot; &lt;/video&gt;"
    assert escaped in page
    assert "<script>alert" not in page and page.count("</video>") == 1 and page.count("<script>") == 1
    # Self-contained: no URL to another host.
    assert not re.search(r"""(src|href|poster)=["']?(https?:)?//""", page)
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors *" in csp
    assert csp_hash(inline("script", page)) in csp and csp_hash(inline("style", page)) in csp
    assert "x-frame-options" not in r.headers
    assert httpx.head(f"{server}/embed/{cid}").status_code == 200


def test_embed_page_of_a_webm_and_a_gif_clip(server: str) -> None:
    webm = approved(server, {"glosses": "TERMIN ICH", "options": {**OPTS, "format": "webm"}})
    page = httpx.get(f"{server}/embed/{webm['id']}").text
    assert 'type="video/webm"' in page and shown_glosses(page) == "TERMIN ICH"
    # fake pipeline: 5 frames a sign and one between, at 10 fps
    assert gloss_spans(page) == [(0.0, 0.5, "TERMIN"), (0.6, 1.1, "ICH")]
    assert "aus Glossen erzeugt" in page
    gif = approved(server, {"glosses": "TERMIN", "options": {**OPTS, "format": "gif"}})
    page = httpx.get(f"{server}/embed/{gif['id']}").text
    assert "<video" not in page and f'<img class="clip" src="/v1/clips/{gif["id"]}/video"' in page
    assert 'alt="Gebärdensprach-Avatar: TERMIN"' in page
    # a GIF cannot seek: its gloss line is timed but not a row of buttons
    assert gloss_spans(page) == [(0.0, 0.5, "TERMIN")] and 'role="button"' not in page


@pytest.mark.parametrize(
    "case,path",
    [
        ("unknown_id", "/embed/" + "0" * 32),
        ("upper_case_id", "/embed/" + "A" * 32),
        ("path_traversal_id", "/embed/..%2F..%2F..%2Fetc%2Fpasswd"),
        ("dotdot_id", "/embed/.."),
        ("unicode_control_id", "/embed/%E2%80%AE" + "0" * 31),
    ],
)
def test_embed_unknown_or_invalid_id_is_a_404_page(server: str, case: str, path: str) -> None:
    r = httpx.get(server + path)
    assert r.status_code == 404, (case, r.text)
    # An id with a slash in it matches no route at all: the framework's JSON 404.
    if "%2F" not in path and case != "dotdot_id":
        assert r.headers["content-type"].startswith("text/html") and "Video nicht gefunden" in r.text, case
    assert "Traceback" not in r.text and "passwd" not in r.text


def test_embed_of_a_failed_render_says_so(server: str) -> None:
    info = done(server, {"glosses": "TERMIN FAIL", "options": OPTS})
    assert info["status"] == "failed"
    r = httpx.get(f"{server}/embed/{info['id']}")
    assert r.status_code == 404 and "konnte nicht erzeugt werden" in r.text
    assert f'href="/v1/clips/{info["id"]}"' in r.text


def test_snippet_is_an_iframe_to_copy(server: str) -> None:
    info = approved(server, {"text": HOSTILE, "options": OPTS})
    r = httpx.get(f"{server}/embed/{info['id']}/snippet")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["embed_url"] == f"{server}/embed/{info['id']}" and body["review_state"] == "approved"
    html = body["embed_html"]
    start = f'<iframe src="{server}/embed/{info["id"]}" title="Gebärdensprach-Video (DGS, maschinell'
    assert html.startswith(start) and "Entwurf" not in html
    assert 'allow="fullscreen"' in html and f'width="{body["width"]}" height="{body["height"]}"' in html
    assert f'data-signavatar-clip="{info["id"]}"' in html
    assert "<script" not in html and "&lt;script&gt;" in html
    assert body["height"] >= round(384 * 48 / 64) + SNIPPET_EXTRA_HEIGHT + 2 * SNIPPET_LINE_HEIGHT
    script = body["embed_script"]
    assert script.startswith("<script>") and script.endswith("</script>")
    assert script.count("</") == 1 and script.count("<script") == 1
    assert f'e.origin!=="{server}"' in script and '"signavatar:height"' in script
    assert httpx.get(f"{server}/embed/{'1' * 32}/snippet").status_code == 404
    assert httpx.get(f"{server}/embed/nothex/snippet").status_code == 400


def test_snippet_of_a_draft_only_when_asked_and_labelled(server: str) -> None:
    info = done(server, {"text": "Der Termin ist morgen.", "options": OPTS})
    url = f"{server}/embed/{info['id']}/snippet"
    refused = httpx.get(url)
    assert refused.status_code == 409, refused.text
    detail = refused.json()["detail"]
    assert "erst nach der Freigabe" in detail and "only after approval" in detail
    for value in ("0", ""):
        assert httpx.get(url, params={"draft": value}).status_code == 409
    assert httpx.get(url, params={"draft": "ja"}).status_code == 400
    r = httpx.get(url, params={"draft": "1"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["review_state"] == "draft" and body["title"].startswith("Entwurf, noch nicht freigegeben – ")
    assert 'title="Entwurf, noch nicht freigegeben – Gebärdensprach-Video' in body["embed_html"]


def test_snippet_of_a_rejected_clip_never(server: str) -> None:
    info = done(server, {"text": "Das Amt ist zu.", "options": OPTS})
    r = httpx.post(f"{server}/v1/clips/{info['id']}/reject", json={"editor": "Anna Beispiel", "reason": "falsch"},
                   headers=EDITOR_AUTH)
    assert r.status_code == 200, r.text
    for params in ({}, {"draft": "1"}):
        refused = httpx.get(f"{server}/embed/{info['id']}/snippet", params=params)
        assert refused.status_code == 409 and "abgelehnt" in refused.json()["detail"].lower(), refused.text


def test_snippet_carries_the_player_choice(server: str) -> None:
    info = approved(server, {"glosses": "TERMIN ICH", "options": OPTS})
    url = f"{server}/embed/{info['id']}/snippet"
    video = httpx.get(url, params={"player": "video"}).json()
    assert video["embed_url"] == f"{server}/embed/{info['id']}"
    three = httpx.get(url, params={"player": "3d"}).json()
    assert three["embed_url"] == f"{server}/embed/{info['id']}?player=3d"
    assert f'src="{server}/embed/{info["id"]}?player=3d"' in three["embed_html"]
    bad = httpx.get(url, params={"player": "flash"})
    assert bad.status_code == 400 and "video, 3d" in bad.json()["detail"]
    # the page takes the choice (3d is the video player until the 3D player is wired in)
    page = httpx.get(three["embed_url"])
    assert page.status_code == 200 and "<video" in page.text
    assert httpx.get(f"{server}/embed/{info['id']}", params={"player": "flash"}).status_code == 400


def _in_process(tmp_path: Path, settings: Settings, status: str | None, path: str) -> httpx.Response:
    app = FastAPI()
    job = None if status is None else SimpleNamespace(status=status)
    app.include_router(embed_router(ClipStore(tmp_path), lambda cid: job, settings))

    async def get() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c:
            return await c.get(path)

    return asyncio.run(get())


@pytest.mark.parametrize("status", ["queued", "running"])
def test_embed_while_rendering_reloads_itself(tmp_path: Path, status: str) -> None:
    r = _in_process(tmp_path, Settings(data_dir=tmp_path), status, "/embed/" + "a" * 32)
    assert r.status_code == 200 and "wird gerade erzeugt" in r.text
    assert '<meta http-equiv="refresh" content="3">' in r.text and r.headers["cache-control"] == "no-store"
    assert f'href="/v1/clips/{"a" * 32}"' in r.text


def test_frame_ancestors_follow_the_cors_origins(tmp_path: Path) -> None:
    assert frame_ancestors(["*"]) == "*"
    settings = Settings(data_dir=tmp_path, cors_origins="https://stadt.example,https://amt.example:8443")
    r = _in_process(tmp_path, settings, None, "/embed/" + "b" * 32)
    assert r.status_code == 404
    assert r.headers["content-security-policy"].endswith(
        "frame-ancestors 'self' https://stadt.example https://amt.example:8443"
    )


def test_embed_page_shows_the_signs_without_the_editors_mouthing_notation(server: str) -> None:
    info = approved(server, {"glosses": "TERMIN{termin} HABEN{mm}", "options": OPTS})
    page = httpx.get(f"{server}/embed/{info['id']}").text
    assert shown_glosses(page) == "TERMIN HABEN"
    assert [text for _, _, text in gloss_spans(page)] == ["TERMIN", "HABEN"]


def test_embed_page_shows_a_spelled_word_as_viewers_read_it(server: str) -> None:
    """The page's gloss line, like the captions, spells fs-MEIER as M-E-I-E-R; the API keeps the notation."""
    info = approved(server, {"glosses": "fs-MEIER{meier} KOMMEN fs-SCHULZE", "options": OPTS})
    page = httpx.get(f"{server}/embed/{info['id']}").text
    assert shown_glosses(page) == "M-E-I-E-R KOMMEN SCH-U-L-Z-E"
    assert "fs-" not in page
    vtt = httpx.get(f"{server}/v1/clips/{info['id']}/subtitles.vtt").text
    assert "\nM-E-I-E-R\n" in vtt and "\nSCH-U-L-Z-E\n" in vtt and "fs-" not in vtt
    assert info["gloss_string"].lower() == "fs-meier{meier} kommen fs-schulze"  # the notation, as written
    snippet = httpx.get(f"{server}/embed/{info['id']}/snippet").json()
    assert "M-E-I-E-R" in snippet["embed_html"] and "fs-" not in snippet["embed_html"]


def _stored_approved_clip(store: ClipStore, glosses: str) -> str:
    """A clip rendered by the fake pipeline into `store`, marked approved as api/review.py does."""
    from fake_pipeline import FakePipeline
    from signavatar.jobs.render import render_clip
    from signavatar.types import ClipRequest, RenderOptions

    clip = render_clip(ClipRequest(glosses=glosses, options=RenderOptions(**OPTS)), FakePipeline(), store)
    meta = store.read_metadata(clip.clip_id)
    assert meta is not None
    store.write_metadata(clip.clip_id, {**meta, "review_state": "approved"})
    return clip.clip_id


@pytest.mark.parametrize("damage", ["missing", "not_webvtt", "bad_time", "binary", "empty"])
def test_gloss_line_without_usable_captions_is_plain_text(tmp_path: Path, damage: str) -> None:
    store = ClipStore(tmp_path / "clips")
    cid = _stored_approved_clip(store, "TERMIN fs-MEIER")
    vtt = store.paths(cid).subtitles
    good = _in_process(tmp_path / "clips", Settings(data_dir=tmp_path), None, f"/embed/{cid}")
    assert [t for _, _, t in gloss_spans(good.text)] == ["TERMIN", "M-E-I-E-R"]
    {"missing": lambda: vtt.unlink(), "not_webvtt": lambda: vtt.write_text("1\n00:00.000 --> 00:01.000\nA\n"),
     "bad_time": lambda: vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:00.000\nA\n"),
     "binary": lambda: vtt.write_bytes(b"\xff\xfe\x00"), "empty": lambda: vtt.write_text("WEBVTT\n")}[damage]()
    r = _in_process(tmp_path / "clips", Settings(data_dir=tmp_path), None, f"/embed/{cid}")
    assert r.status_code == 200 and '<span class="gloss"' not in r.text
    assert '<span id="glosses">TERMIN M-E-I-E-R</span>' in r.text


def test_wrapped_lines() -> None:
    assert wrapped_lines([], 10) == 1 and wrapped_lines([4, 4], 10) == 1 and wrapped_lines([4, 5], 9) == 2
    assert wrapped_lines([12], 10) == 1  # a word longer than a line still takes one
    assert wrapped_lines([3] * 10, 10) == 5  # "aaa bbb" is 7, a third word would make 11: two a line


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_page_script_and_resize_script_parse(tmp_path: Path) -> None:
    from api.embed import TEMPLATES, resize_script

    script = resize_script("https://gebaerden.stadt.example/embed/" + "a" * 32)
    assert script.startswith("<script>") and script.endswith("</script>")
    host = tmp_path / "resize.js"
    host.write_text(script.removeprefix("<script>").removesuffix("</script>"), encoding="utf-8")
    for path in (TEMPLATES / "embed.js", host):
        r = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, (path, r.stderr)
    assert '"https://gebaerden.stadt.example"' in script
