"""GET /editor and /editor/lexikon (api/editor.py): served by the app, self-contained (no external
URL), every control labelled, and the element ids the browser tests rely on present. The pages'
behaviour in a real browser: tests/e2e/test_editor_browser.py."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.editor import EDITOR_FILES, STATIC
from api.sign_recording_api import LICENCES
from fake_pipeline import FakePipeline
from signavatar.gloss_to_pose.mouthing import MOUTH_GESTURES
from signavatar.settings import Settings
from signavatar.text_to_gloss.mouthing_override import MAX_MOUTHING_CHARS

#: ids tests/e2e/test_editor_browser.py and the API contract of issue 7 rely on
EDITOR_IDS = {
    "editor-key", "text", "analyse", "chips", "lexicon-search", "lexicon-results", "preview", "render", "video",
    "editor-name", "comment", "approve", "reject", "reason", "status", "embed-link",
    "mouthing-panel", "mouthing-word", "mouthing-apply", "mouthing-default", "mouthing-cancel",
    "embed-note", "embed-code-panel", "embed-code", "copy-embed", "embed-code-status", "embed-player-video",
    "embed-player-3d", "embed-with-script",
}
LEXICON_IDS = {"editor-key", "reviewer", "search", "review-filter", "autoplay", "signs", "status"}
CHIP_CLASSES = ["chip-delete", "chip-left", "chip-right", "chip-replace", "chip-fingerspell", "chip-mouthing-edit"]


def get_all(tmp_path: Path, paths: list[str]) -> dict[str, httpx.Response]:
    """GET each path from create_app in this process (no job queue needed for static pages)."""

    async def go() -> dict[str, httpx.Response]:
        app = create_app(Settings(data_dir=tmp_path), FakePipeline)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c:
            return {p: await c.get(p) for p in paths}

    return asyncio.run(go())


class _Page(HTMLParser):
    """Elements by id, labels, form controls and buttons of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, tuple[str, dict[str, str]]] = {}
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str]] = []
        self.buttons: list[dict[str, str]] = []
        self.urls: list[str] = []
        self._button: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids[a["id"]] = (tag, a)
        if tag == "label" and "for" in a:
            self.label_for.add(a["for"])
        if tag in ("input", "textarea", "select") and a.get("type") != "hidden":
            self.controls.append({"tag": tag, **a})
        if tag == "button":
            self._button = {**a, "text": ""}
            self.buttons.append(self._button)
        self.urls += [a[k] for k in ("src", "href", "action", "poster") if k in a]

    def handle_endtag(self, tag: str) -> None:
        if tag == "button":
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button["text"] += data.strip()


def parse(html: str) -> _Page:
    p = _Page()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> dict[str, httpx.Response]:
    paths = ["/editor", "/editor/lexikon", *[f"/editor/static/{n}" for n in EDITOR_FILES]]
    return get_all(tmp_path_factory.mktemp("data"), paths)


def test_pages_and_their_files_are_served_german_same_origin_only(served: dict[str, httpx.Response]) -> None:
    for path, r in served.items():
        assert r.status_code == 200, (path, r.text)
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "connect-src 'self'" in csp and "script-src 'self'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    for page in ("/editor", "/editor/lexikon"):
        assert served[page].headers["content-type"] == "text/html; charset=utf-8"
        assert '<html lang="de">' in served[page].text
    assert served["/editor/static/editor.js"].headers["content-type"].startswith("text/javascript")
    assert served["/editor/static/editor.css"].headers["content-type"].startswith("text/css")


def test_no_external_urls(served: dict[str, httpx.Response]) -> None:
    for path, r in served.items():
        assert not re.search(r"https?://|\bwss?://|@import", r.text), f"{path} names an external URL"
        assert not re.search(r"""(src|href)\s*=\s*["']//""", r.text), f"{path} loads a protocol-relative URL"
    for page in ("/editor", "/editor/lexikon"):
        for url in parse(served[page].text).urls:
            assert url.startswith(("/", "#", "data:")), f"{page}: {url} is not on this server"


@pytest.mark.parametrize("page", ["/editor", "/editor/lexikon"])
def test_every_control_is_labelled_and_every_button_named(
        served: dict[str, httpx.Response], page: str) -> None:
    p = parse(served[page].text)
    assert p.controls
    for c in p.controls:
        named = c.get("id") in p.label_for or c.get("aria-label") or c.get("aria-labelledby")
        assert named, f"{page}: <{c['tag']} id={c.get('id')!r}> has no label"
    for b in p.buttons:
        assert b["text"] or b.get("aria-label"), f"{page}: a button without a name: {b}"
        assert b.get("type") == "button", f"{page}: button {b} would submit a form"
    for i, (_, a) in p.ids.items():
        if "aria-labelledby" in a:
            assert all(ref in p.ids for ref in a["aria-labelledby"].split()), (page, i)
        if "aria-describedby" in a:
            assert all(ref in p.ids for ref in a["aria-describedby"].split()), (page, i)


def test_editor_has_the_contract_ids(served: dict[str, httpx.Response]) -> None:
    p = parse(served["/editor"].text)
    assert EDITOR_IDS <= set(p.ids), EDITOR_IDS - set(p.ids)
    tag = {i: t for i, (t, _) in p.ids.items()}
    assert (tag["text"], tag["preview"], tag["video"], tag["chips"], tag["embed-link"]) == (
        "textarea", "canvas", "video", "ol", "a")
    assert p.ids["editor-key"][1]["type"] == "password"
    assert p.ids["status"][1]["aria-live"] == "polite"
    texts = {b.get("id"): b["text"] for b in p.buttons}
    buttons = (texts["analyse"], texts["render"], texts["approve"])
    assert buttons == ("Übersetzen", "Video erstellen", "Freigeben")
    assert "hidden" in p.ids["embed-link"][1]  # shown after approval
    js = served["/editor/static/editor.js"].text + served["/editor/static/common.js"].text
    for name in [*CHIP_CLASSES, "dataset.framesShown", "dataset.previewMs", "/v1/preview", "/v1/gloss",
                 "/v1/lexicon", "/v1/clips/${c.id}/${action}", 'review("approve")', 'review("reject")',
                 "source_text", "sessionStorage", "Bearer", "mouthing_source", "{${c.mouthing}}", "Mundbild: "]:
        assert name in js, name


def test_the_embed_code_is_read_only_copyable_and_hidden_before_approval(served: dict[str, httpx.Response]) -> None:
    """Issue 24: after approval the editor shows the snippet's code (GET /embed/{id}/snippet) with a
    player choice and a copy button; before, a note that there is none yet."""
    p = parse(served["/editor"].text)
    tag, attrs = p.ids["embed-code"]
    assert tag == "textarea" and "readonly" in attrs and "embed-code" in p.label_for
    assert "hidden" in p.ids["embed-code-panel"][1] and "hidden" not in p.ids["embed-note"][1]
    assert "erst nach der Freigabe" in served["/editor"].text
    assert {b.get("id"): b["text"] for b in p.buttons}["copy-embed"] == "Code kopieren"
    assert p.ids["embed-code-status"][1]["aria-live"] == "polite"
    radios = {i: a for i, (t, a) in p.ids.items() if t == "input" and a.get("name") == "embed-player"}
    assert {a["value"] for a in radios.values()} == {"video", "3d"} and "checked" in radios["embed-player-video"]
    js = served["/editor/static/editor.js"].text
    for name in ["/embed/${c.id}/snippet?player=", "navigator.clipboard.writeText", "area.select()",
                 "data.embed_html", "data.embed_script", 'c.review_state === "approved"']:
        assert name in js, name


def test_the_mouthing_panel_offers_every_mouth_gesture_by_name(served: dict[str, httpx.Response]) -> None:
    """The editor's gesture buttons and its script name the motion's mouth gestures, no more, no fewer;
    each button says what it does (its visible name first, for speech input: WCAG 2.5.3)."""
    p = parse(served["/editor"].text)
    gestures = [b for b in p.buttons if "mouthing-gesture" in b.get("class", "").split()]
    assert [b["data-mouthing"] for b in gestures] == list(MOUTH_GESTURES)
    for b in gestures:
        assert b["aria-label"].startswith(b["text"]) and b["aria-pressed"] == "false", b
    assert {b["text"] for b in gestures if b["data-mouthing"] == "none"} == {"keins"}
    assert p.ids["mouthing-panel"][1].get("role") == "group" and "hidden" in p.ids["mouthing-panel"][1]
    assert p.ids["mouthing-word"][1]["maxlength"] == str(MAX_MOUTHING_CHARS)
    js = served["/editor/static/editor.js"].text
    found = re.search(r"const MOUTH_GESTURES = \{([^}]*)\}", js)
    assert found and re.findall(r"(\w+):", found.group(1)) == list(MOUTH_GESTURES), found
    assert f"const MAX_MOUTHING_CHARS = {MAX_MOUTHING_CHARS};" in js


def test_lexicon_page_has_its_ids(served: dict[str, httpx.Response]) -> None:
    p = parse(served["/editor/lexikon"].text)
    assert LEXICON_IDS <= set(p.ids), LEXICON_IDS - set(p.ids)
    js = served["/editor/static/lexikon.js"].text
    for name in ["/clip.mp4?speed=", "IntersectionObserver", "/review", "Freigeben", "Ablehnen",
                 "Korrektur vorschlagen", "Aufnahme hochladen", "/recordings", "/save", "Als neue Version speichern",
                 "dataset.state"]:
        assert name in js, name


def test_only_the_listed_files_are_served(tmp_path: Path) -> None:
    bad = ["/editor/static/editor.html", "/editor/static/..%2F..%2Fapp.py", "/editor/static/%2e%2e",
           "/editor/static/nothing.js"]
    for path, r in get_all(tmp_path, bad).items():
        assert r.status_code == 404, (path, r.status_code)
    assert set(EDITOR_FILES) | {"editor.html", "lexikon.html"} == {p.name for p in STATIC.iterdir()}


def test_layout_has_no_fixed_pixel_widths() -> None:
    # 200 % zoom must reflow: widths in rem/%, never a fixed pixel layout that clips.
    css = (STATIC / "editor.css").read_text(encoding="utf-8")
    assert not re.search(r"(?<![-\w])(min-|max-)?width:\s*\d{3,}px", css), "a fixed pixel width in editor.css"


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
@pytest.mark.parametrize("name", ["editor.js", "lexikon.js", "common.js"])
def test_scripts_parse(name: str) -> None:
    r = subprocess.run(["node", "--check", str(STATIC / name)], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr


def test_the_lexicon_page_offers_the_licences_the_service_records_under() -> None:
    """The upload form's licence choice is the service's list (a free text would be refused)."""
    script = (STATIC / "lexikon.js").read_text("utf-8")
    table = script[script.index("const LICENCES"):script.index(";", script.index("const LICENCES"))]
    assert tuple(re.findall(r'\["([^"]+)", "[^"]+"\]', table)) == LICENCES
