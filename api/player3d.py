"""/embed/{id}?player=3d: the clip played by the 3D player (api/static/player/player.js on three.js)
instead of its video.

The page shares the video embed's label, controls, text and gloss line (api/embed.py; same ids and
markup, so one CSS serves both) and adds a <canvas> with captions drawn over it. Its only inline
parts, the CSS and the import map that names three.js's URLs on this server (api/player_assets.py),
are allowed by their hashes in the page's CSP; player.js and three.js load from 'self'. The video
player's markup is in the page too, in a <template> the script shows (with a note) when WebGL 2 is
missing or the avatar or the motion does not load, and in <noscript>.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from string import Template

from api.embed import (
    NO_TEXT,
    TEMPLATES,
    _e,
    _media,
    _sha256,
    _short,
    gloss_line,
    player_controls,
    review_label,
    viewer_glosses,
)
from api.player_assets import THREE_FILES, PlayerAssets, PlayerAssetsMissing
from signavatar.frames_to_video.webvtt import Cue
from signavatar.jobs.clip_record import ClipRecord

#: three.js version in the import map when web/node_modules is missing: its URLs answer 503 and
#: the page falls back to the video
NOT_INSTALLED = "not-installed"




@dataclass(frozen=True)
class _Page:
    template: Template
    css: str
    importmap: str
    preload: str  # <link rel="modulepreload"> of three.js's files
    player_js: str
    csp: str  # without frame-ancestors
    turn: str  # player3d_turn.html: the buttons that turn the view (player.js), beside the shared controls


@lru_cache(maxsize=1)
def assets() -> PlayerAssets:
    """The one PlayerAssets of this process (files read once, shared with the /player/ routes)."""
    return PlayerAssets()


@lru_cache(maxsize=1)
def _page() -> _Page:
    css = (TEMPLATES / "embed.css").read_text(encoding="utf-8") + (TEMPLATES / "player3d.css").read_text(
        encoding="utf-8")
    bundle = assets().bundle_url()
    if bundle is not None:  # the minified parts the player uses (scripts/setup.sh): both names, one file
        imports = {"three": bundle, "three/addons/loaders/GLTFLoader.js": bundle}
        modules = [bundle]
    else:
        try:
            base = assets().vendor_base()
        except PlayerAssetsMissing:
            base = f"/player/vendor/three@{NOT_INSTALLED}/"
        imports = {"three": base + "three.module.js", "three/addons/": base + "addons/"}
        modules = [base + name for name in THREE_FILES]
    importmap = json.dumps({"imports": imports})
    # fetched in parallel with player.js instead of one import after the other
    preload = "\n".join(f'<link rel="modulepreload" href="{_e(url)}">' for url in modules)
    csp = (
        f"default-src 'none'; script-src 'self' {_sha256(importmap)}; style-src {_sha256(css)}; img-src 'self'; "
        "media-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'"
    )
    template = Template((TEMPLATES / "player3d.html").read_text(encoding="utf-8"))
    turn = (TEMPLATES / "player3d_turn.html").read_text(encoding="utf-8")
    return _Page(template, css, importmap, preload, assets().static_url("player.js"), csp, turn)


def player3d_csp() -> str:
    """The 3D page's Content-Security-Policy, without frame-ancestors (the router adds them)."""
    return _page().csp


#: the banner over a clip that is not approved (the editor's preview, api/editor_preview.py; /embed
#: shows approved clips only)
NOT_APPROVED_BANNER = {"draft": "Entwurf, nicht freigegeben", "rejected": "Abgelehnt, nicht freigegeben"}


def render_player3d(clip: ClipRecord, cues: list[Cue] | None) -> str:
    """The 3D player page of a stored clip; `cues`: its captions (api/embed.py clip_cues). A clip
    that is not approved (only the editor's preview shows one) is labelled so, in the title too."""
    p = _page()
    text, glosses = clip.text, viewer_glosses(clip.gloss_string)
    alt = f"Gebärdensprach-Avatar: {text or glosses}"
    base = f"/v1/clips/{clip.clip_id}"
    banner = "" if clip.review_state == "approved" else NOT_APPROVED_BANNER.get(clip.review_state,
                                                                                NOT_APPROVED_BANNER["draft"])
    title = f"Gebärdensprache (DGS, 3D): {_short(text or glosses)}"
    return p.template.substitute(
        draft=f'<p class="draft" id="draft">{_e(banner)}</p>\n' if banner else "",
        title=_e(f"{banner} – {title}" if banner else title), css=p.css, importmap=p.importmap,
        preload=p.preload, player_js=_e(p.player_js), review=_e(review_label(clip)), clip_id=_e(clip.clip_id),
        motion=_e(f"{base}/motion.glb"), captions=_e(f"{base}/subtitles.vtt"), avatar="/v1/avatar",
        avatar_glb=_e(avatar_url(clip)), background=background(clip), width=clip.width, height=clip.height,
        alt=_e(alt), media=_media(clip, alt),
        controls=player_controls(
            _e(text or NO_TEXT), gloss_line(glosses, cues, seekable=True),
            jumps="der Avatar springt", extra_controls=p.turn, extra_keys=" · , . 0 Ansicht (oder ziehen)",
        ),
    )


def avatar_url(clip: ClipRecord) -> str:
    """The .glb of the avatar the clip was made with (clip.json versions.avatar, api/avatar_api.py):
    the player loads it without asking /v1/avatar first; "" when the clip does not say (the player
    then asks). A server with another avatar now answers 404, and the player asks /v1/avatar."""
    version = str((clip.data.get("versions") or {}).get("avatar") or "")
    return f"/v1/avatar/{version}.glb" if re.fullmatch(r"[0-9a-f]{6,64}", version) else ""


def background(clip: ClipRecord) -> str:
    """The clip's background as the player draws it (options.background): "236,239,243",
    "transparent" (null: a clip rendered with alpha), or "" (not said: the avatar file's colour)."""
    options = clip.data.get("options") or {}
    if "background" not in options:
        return ""
    value = options["background"]
    if value is None:
        return "transparent"
    if isinstance(value, list) and len(value) == 3 and all(isinstance(v, int) and 0 <= v <= 255 for v in value):
        return ",".join(str(v) for v in value)
    return ""
