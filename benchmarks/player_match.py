"""Does the 3D player draw what the server renders? Issue 24's acceptance: in real headless Chromium
(software WebGL 2), the player's frame at t = 25 %, 50 %, 75 % of a clip against the server's frame
at the same time, same camera and size; SSIM and mean absolute pixel difference over the whole
frame, the hands and the face.

For each case (sentence x size) a real `signavatar serve` renders the clip (the glTF avatar and
motion beside the video), an editor approves it, Chromium opens /embed/{id}?player=3d, seeks to
the frame time i/fps (i = round(p * (frames - 1))) and reads the canvas back (PNG, lossless). The
server's frame i is drawn again here with the project's renderer from the same PoseTrack (the
same pipeline and translation as the service; the frame count is checked against clip.json), not
decoded from the lossy video.

SSIM: own implementation, Gaussian window 11x11, sigma 1.5, C1 = (0.01 * 255)^2, C2 = (0.03 * 255)^2,
on each RGB channel, averaged; a region's SSIM is the mean of the SSIM map inside its mask. Regions:
HANDS = a box per hand around the projected wrist and finger joints (Skeleton.forward,
Camera.project) widened by 6 cm at the hand's depth; FACE = a box around head, jaw and eyes
widened by 9 cm. The whole frame is mostly background, so its figures flatter: read the hands.

usage: .venv/bin/python benchmarks/player_match.py [--shots DIR] [--screenshot docs/player3d.png]
       [--text "Satz" ...] [--size 384x384 ...] [--fractions 0.1 0.33 0.9]  (other clips, sizes, times)
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import platform
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from signavatar.avatar.skeleton import Skeleton  # noqa: E402
from signavatar.pose_to_frames.renderer import Camera  # noqa: E402
from signavatar.typed import BoolArray, FloatArray, UInt8Array  # noqa: E402

#: (name, German text, width, height): a lexicon sentence, fingerspelling, a number; two sizes
CASES = [
    ("termin", "Ich brauche einen Termin.", 512, 512),
    ("meier", "Ich heiße Meier.", 512, 512),
    ("ausweis", "Mein Ausweis ist seit 3 Wochen abgelaufen.", 512, 512),
    ("termin-640", "Ich brauche einen Termin.", 640, 360),
    ("meier-640", "Ich heiße Meier.", 640, 360),
]
FRACTIONS = (0.25, 0.5, 0.75)
CONTROL_FRAMES = 3
HAND_MARGIN_M, FACE_MARGIN_M = 0.06, 0.09
FACE_JOINTS = ("head", "jaw", "eye.L", "eye.R")


def ssim_map(a: UInt8Array, b: UInt8Array) -> FloatArray:
    """SSIM per pixel (H, W) of two (H, W, 3) uint8 images: each channel's map, averaged."""
    import cv2

    x: FloatArray = a.astype(np.float64)
    y: FloatArray = b.astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    def blur(img: FloatArray) -> FloatArray:
        out: FloatArray = cv2.GaussianBlur(img, (11, 11), 1.5, borderType=cv2.BORDER_REFLECT)
        return out

    mx, my = blur(x), blur(y)
    vx, vy, cov = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    s: FloatArray = ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
    mean: FloatArray = s.mean(axis=2)
    return mean


def hand_joints(skeleton: Skeleton, side: str) -> list[int]:
    return [j for j, n in enumerate(skeleton.names)
            if n.endswith("." + side) and (n.startswith(("wrist", "finger", "metacarpal")))]


def box_mask(points: FloatArray, margin_m: float, camera: Camera, width: int, height: int) -> BoolArray:
    """(H, W) mask of the pixel box around world points (N, 3), widened by margin_m at their depth."""
    xy = camera.project(points, width, height)
    eye_z = camera.target[2] + camera.distance
    depth = float(np.mean(eye_z - points[:, 2]))
    margin = margin_m * (height / 2.0) / np.tan(np.radians(camera.yfov_deg) / 2.0) / depth
    x0, y0 = np.floor(xy.min(axis=0) - margin).astype(int)
    x1, y1 = np.ceil(xy.max(axis=0) + margin).astype(int)
    mask = np.zeros((height, width), bool)
    mask[max(0, y0):max(0, min(height, y1)), max(0, x0):max(0, min(width, x1))] = True
    return mask


def regions(skeleton: Skeleton, world_p: FloatArray, width: int, height: int) -> dict[str, BoolArray]:
    """The masks of one frame: whole, hands (both boxes), face; world_p (J, 3) from Skeleton.forward."""
    camera = Camera()
    hands = np.zeros((height, width), bool)
    for side in ("R", "L"):
        hands |= box_mask(world_p[hand_joints(skeleton, side)], HAND_MARGIN_M, camera, width, height)
    face = box_mask(world_p[[skeleton.index(n) for n in FACE_JOINTS]], FACE_MARGIN_M, camera, width, height)
    return {"whole": np.ones((height, width), bool), "hands": hands, "face": face}


@dataclass(frozen=True)
class Score:
    case: str
    size: str
    fraction: float
    frame: int
    region: str
    ssim: float
    mad: float  # mean |difference| over the region's pixels and channels, 0..255
    pixels: int


def compare(case: str, size: str, fraction: float, frame: int, server: UInt8Array, player: UInt8Array,
            masks: dict[str, BoolArray]) -> list[Score]:
    if server.shape != player.shape:
        raise ValueError(f"{case}: the player drew {player.shape}, the server {server.shape}")
    smap = ssim_map(server, player)
    diff = np.abs(server.astype(np.int16) - player.astype(np.int16)).mean(axis=2)
    return [Score(case, size, fraction, frame, name, float(smap[m].mean()), float(diff[m].mean()), int(m.sum()))
            for name, m in masks.items()]


def exported_pose(motion_glb: bytes, skeleton: Skeleton, t: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The pose a glTF player reads from motion.glb at time t, as a PoseTrack frame: local rotations
    (J, 4) w-first, root offset (3,), the 9 blend weights (sampled by tests/gltf_eval.py, written from
    the glTF spec, not from our exporter)."""
    import gltf_eval

    gltf, blob = gltf_eval.load(motion_glb)
    rotations = np.tile([1.0, 0.0, 0.0, 0.0], (skeleton.num_joints, 1))
    root, face = np.zeros(3), np.zeros(9)
    index = {name.replace(".", "_"): j for j, name in enumerate(skeleton.names)}
    for ch in gltf.animations[0].channels:
        sampler = gltf.animations[0].samplers[ch.sampler]
        times = gltf_eval.accessor(gltf, blob, sampler.input)[:, 0]
        values = gltf_eval.accessor(gltf, blob, sampler.output)
        if ch.target.path == "weights":
            values = values.reshape(len(times), -1)
        value = gltf_eval.sample(times, values, t, sampler.interpolation or "LINEAR", ch.target.path)
        name = gltf.nodes[ch.target.node].name
        if ch.target.path == "weights":
            face = np.asarray(value)
        elif ch.target.path == "rotation":
            x, y, z, w = value
            rotations[index[name]] = (w, x, y, z)
        elif ch.target.path == "translation" and index.get(name) == 0:
            root = np.asarray(value) - skeleton.rest[0]
    return rotations, root, face


def decode_png(data_url: str) -> UInt8Array:
    from PIL import Image

    png = base64.b64decode(data_url.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def render_clip(url: str, text: str, width: int, height: int) -> dict[str, Any]:
    import httpx

    from fake_server import rendered
    from real_server import EDITOR_AUTH

    info = rendered(url, {"text": text, "options": {"width": width, "height": height}}, timeout=600, poll=0.5)
    if info["status"] != "done":
        raise RuntimeError(f"render of {text!r} failed: {info}")
    r = httpx.post(f"{url}/v1/clips/{info['id']}/approve", json={"editor": "Benchmark"}, headers=EDITOR_AUTH,
                   timeout=30)
    r.raise_for_status()
    meta: dict[str, Any] = httpx.get(f"{url}/v1/clips/{info['id']}/metadata.json", timeout=10).json()
    return meta


def run(shots: Path | None, screenshot: Path | None) -> list[Score]:
    import httpx

    from browser import SOFTWARE_WEBGL, headless_browser
    from real_server import real_service
    from signavatar.pipeline import Pipeline
    from signavatar.settings import Settings
    from signavatar.types import RenderOptions

    scores: list[Score] = []
    with tempfile.TemporaryDirectory(prefix="player-match-") as tmp, real_service(Path(tmp)) as url, \
            headless_browser("player-match", args=SOFTWARE_WEBGL) as browser:
        # the service's settings: the same (empty) data dir, so the same translation
        pipeline = Pipeline(Settings.from_env({**os.environ, "SIGNAVATAR_DATA_DIR": tmp}))
        for case, text, width, height in CASES:
            meta = render_clip(url, text, width, height)
            cid, fps, frames = meta["clip_id"], meta["fps"], meta["frame_count"]
            options = RenderOptions(width=width, height=height, fps=fps)
            seq = pipeline.translate(text)
            track = pipeline.motion(seq, options)
            if str(seq) != meta["gloss_string"] or track.num_frames != frames:
                raise RuntimeError(f"{case}: {seq} in {track.num_frames} frames here, {meta['gloss_string']} in "
                                   f"{frames} in the service's clip")
            renderer = pipeline.renderer(options)
            world_r, world_p = pipeline.avatar.skeleton.forward(track.rotations, track.root)
            motion_glb = httpx.get(f"{url}/v1/clips/{cid}/motion.glb", timeout=30).content
            page = browser.new_page(width + 40, height + 400)
            page.goto(f"{url}/embed/{cid}?player=3d")
            mode = page.evaluate("() => window.signavatarPlayer.ready")
            if mode != "3d":
                raise RuntimeError(f"{case}: the player fell back to the video: {page.inner_text('#note')}")
            page.evaluate("() => window.signavatarPlayer.pause()")
            for fraction in FRACTIONS:
                i = round(fraction * (frames - 1))
                shot = page.evaluate(f"() => {{ window.signavatarPlayer.seek({i} / {fps}); "
                                     "return window.signavatarPlayer.snapshot(); }")
                player = decode_png(shot)
                pos, nrm = pipeline.avatar.deform(world_r[i], world_p[i], track.face[i])
                server = renderer.render(pos, nrm)
                masks = regions(pipeline.avatar.skeleton, world_p[i], width, height)
                scores += compare(case, f"{width}x{height}", fraction, i, server, player, masks)
                # the server drawing the exported motion: splits the difference into the export's
                # (original vs exported, both drawn by the server) and the player's drawing
                rot, off, face = exported_pose(motion_glb, pipeline.avatar.skeleton, i / fps)
                ex_r, ex_p = pipeline.avatar.skeleton.forward(rot, off)
                exported = renderer.render(*pipeline.avatar.deform(ex_r, ex_p, face))
                scores += [Score(f"{case}/drawing", s.size, s.fraction, i, s.region, s.ssim, s.mad, s.pixels)
                           for s in compare(case, "", fraction, i, exported, player, masks)]
                scores += [Score(f"{case}/export", s.size, s.fraction, i, s.region, s.ssim, s.mad, s.pixels)
                           for s in compare(case, "", fraction, i, server, exported, masks)]
                # control: the same player frame against the server's frame 3 later (0.12 s at 25 fps),
                # what a timing slip of 3 frames would score
                k = min(frames - 1, i + CONTROL_FRAMES)
                later = renderer.render(*pipeline.avatar.deform(world_r[k], world_p[k], track.face[k]))
                scores += [Score(f"{case}+{CONTROL_FRAMES}", s.size, s.fraction, k, s.region, s.ssim, s.mad, s.pixels)
                           for s in compare(case, f"{width}x{height}", fraction, k, later, player, masks)]
                if shots is not None:
                    save_pair(shots / f"{case}-{int(fraction * 100)}.png", server, player, masks)
            if screenshot is not None and case == CASES[0][0]:
                page.evaluate(f"() => window.signavatarPlayer.seek({round(0.5 * (frames - 1))} / {fps})")
                page.locator("#player").screenshot(path=str(screenshot))
            page.context.close()
        pipeline.close()
    return scores


def save_pair(path: Path, server: UInt8Array, player: UInt8Array, masks: dict[str, BoolArray]) -> None:
    """server | player | 8x difference with the region boxes outlined, side by side."""
    from PIL import Image

    diff = np.clip(np.abs(server.astype(np.int16) - player.astype(np.int16)) * 8, 0, 255).astype(np.uint8)
    for name, colour in (("hands", (255, 64, 64)), ("face", (64, 160, 255))):
        edge = masks[name] & ~np.roll(masks[name], 1, 0) | masks[name] & ~np.roll(masks[name], 1, 1)
        edge |= masks[name] & ~np.roll(masks[name], -1, 0) | masks[name] & ~np.roll(masks[name], -1, 1)
        diff[edge] = colour
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.concatenate([server, player, diff], axis=1)).save(path)


def report(scores: list[Score]) -> str:
    lines = [
        f"## Issue 24: the 3D player against the server's frames — `benchmarks/player_match.py` — {date.today()}, "
        f"{platform.machine()} CPU dev box",
        "",
        "Headless Chromium with software WebGL 2 (ANGLE on SwiftShader), the player's canvas read back "
        "losslessly at the frame time i/fps, against the same frame drawn by the project's renderer "
        "from the same PoseTrack. SSIM: 11x11 Gaussian window, sigma 1.5, per RGB channel, averaged; "
        "MAD: mean absolute difference, 0-255. Hands: a box per hand around wrist and finger joints "
        f"+ {HAND_MARGIN_M * 100:.0f} cm; face: head, jaw, eyes + {FACE_MARGIN_M * 100:.0f} cm.",
        "",
        f"Control: the same player frame against the server's frame {CONTROL_FRAMES} later "
        f"({CONTROL_FRAMES} frames = {CONTROL_FRAMES / 25:.2f} s at 25 fps), what a small timing slip scores.",
        "",
        "Split: the server also draws the motion as the player reads it from motion.glb (sampled by "
        "tests/gltf_eval.py): *drawing* = player vs that frame (three.js and WebGL against our renderer), "
        "*export* = that frame vs the original (the motion's key reduction and quantisation, gltf24).",
        "",
        "| clip | size | t | frame | SSIM whole | SSIM hands | SSIM face | MAD whole | MAD hands | MAD face "
        f"| hands: drawing / export SSIM | control: SSIM hands, frame +{CONTROL_FRAMES} |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    keyed = {(s.case, s.fraction, s.region): s for s in scores}
    for case, _, width, height in CASES:
        for fraction in FRACTIONS:
            w, h, f = (keyed[(case, fraction, r)] for r in ("whole", "hands", "face"))
            control = keyed[(f"{case}+{CONTROL_FRAMES}", fraction, "hands")]
            drawing = keyed[(f"{case}/drawing", fraction, "hands")]
            export = keyed[(f"{case}/export", fraction, "hands")]
            lines.append(f"| {case} | {width}x{height} | {int(fraction * 100)} % | {w.frame} | {w.ssim:.4f} | "
                         f"{h.ssim:.4f} | {f.ssim:.4f} | {w.mad:.2f} | {h.mad:.2f} | {f.mad:.2f} | "
                         f"{drawing.ssim:.4f} / {export.ssim:.4f} | {control.ssim:.4f} |")
    lines.append("")
    for region in ("whole", "hands", "face"):
        for label, chosen in (("", [s for s in scores if "+" not in s.case and "/" not in s.case]),
                              (" (drawing only)", [s for s in scores if s.case.endswith("/drawing")]),
                              (" (export only)", [s for s in scores if s.case.endswith("/export")]),
                              (f" (control, frame +{CONTROL_FRAMES})", [s for s in scores if "+" in s.case])):
            ssim = np.array([s.ssim for s in chosen if s.region == region])
            mad = np.array([s.mad for s in chosen if s.region == region])
            lines.append(f"- {region}{label}: SSIM median {np.median(ssim):.4f} (range {ssim.min():.4f}-"
                         f"{ssim.max():.4f}), MAD median {np.median(mad):.2f} (range {mad.min():.2f}-{mad.max():.2f}), "
                         f"n = {len(ssim)}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shots", type=Path, help="write server | player | difference PNGs here")
    parser.add_argument("--screenshot", type=Path, help="a screenshot of the 3D page (first clip, middle)")
    parser.add_argument("--text", action="append", help="other German sentences instead of the default clips")
    parser.add_argument("--size", action="append", help="WxH sizes for --text (default 512x512)")
    parser.add_argument("--fractions", type=float, nargs="+",
                        help="times as fractions of each clip (default 0.25 0.5 0.75)")
    args = parser.parse_args()
    global CASES, FRACTIONS
    if args.text:
        sizes = [tuple(int(v) for v in size.lower().split("x")) for size in (args.size or ["512x512"])]
        CASES = [(f"t{k}-{w}", text, w, h) for k, text in enumerate(args.text, 1) for w, h in sizes]
    if args.fractions:
        FRACTIONS = tuple(args.fractions)
    print(report(run(args.shots, args.screenshot)))


if __name__ == "__main__":
    main()
