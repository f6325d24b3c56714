"""Re-make the README's pictures of the avatar: docs/avatar.png, docs/mouth.png, docs/fingerspelling.png
and docs/letter_movement.png.

- avatar.png: the frame in the middle of PERSONALAUSWEIS in the clip of
  `signavatar render "Ich brauche einen neuen Personalausweis."` (512x512, 25 fps, the pipeline's camera).
- mouth.png: mouth close-ups of ten everyday signs (the README's sentence words and words for each
  mouth shape: m/b/p, an open "a", neither), one row per sign. The first tile names the gloss and its
  mouthing word; then `COLUMNS` frames evenly spread over the frames labelled with the sign (first to
  last), each labelled with its time in the sign and the mouth channel the track drives most there
  (`open .32`: mouth_open at 0.32, `closed 1`: lips_closed at 1; `rest` when every mouth channel is
  below 0.1), so the sheet shows what the motion asks for next to what the face does. The close-up
  is a second camera aimed at the mouth of the avatar at rest; the body moves under it as it signs,
  so a hand may pass in front.
- fingerspelling.png: one fingerspelled word (`--word`, default Bearbeitung) letter by letter, as the
  pipeline signs it at the default speed: a first tile with the word, then one tile per letter at the
  middle of the letter's planned span (`Sequencer.plan(seq, speed).letters`: from the hand's arrival at
  the letter to the end of its hold), labelled with the letter and that time in the clip. Nothing about
  the motion is written here: the times come from the plan, and one camera for the whole sheet is fitted
  to where the signing hand, the right shoulder and the head are at those times (plus a margin), so the
  crop follows the fingerspelling wherever the motion puts it and the handshapes stay readable.
- letter_movement.png: the letters that move (`--letters`, default J, Z, Ä, Ö, Ü, ß), one row each, as
  the one-letter clip `fs-X` signs them: a first tile with the letter, then MOVE_COLUMNS frames evenly
  spread over the letter's planned span (its arrival to the end of its hold), labelled with the time
  from the arrival. One camera per row, fitted to where the hand goes over the whole span, so the
  movement shows as the hand's way across the tiles (the umlauts' shake, the Z drawn in the air).

usage: .venv/bin/python scripts/docs_pictures.py [--out docs] [--only avatar|mouth|fingerspelling|movement]
       [--word WORD] [--letters ÄZ]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from signavatar.avatar.face_channels import FACE_CHANNELS  # noqa: E402
from signavatar.avatar.rig import Avatar  # noqa: E402
from signavatar.fingerspelling import LETTER_SIGN_PREFIX, fingerspell_gloss, spelled_word  # noqa: E402
from signavatar.gloss_to_pose.mouthing import chosen_mouthing  # noqa: E402
from signavatar.pipeline import Pipeline  # noqa: E402
from signavatar.pose_to_frames.contact_sheet import BAND_FRACTION, contact_sheet, write_png  # noqa: E402
from signavatar.pose_to_frames.renderer import Camera, OffscreenRenderer  # noqa: E402
from signavatar.settings import Settings  # noqa: E402
from signavatar.typed import FloatArray, UInt8Array  # noqa: E402
from signavatar.types import GlossSequence, GlossToken, RenderOptions  # noqa: E402

AVATAR_TEXT = "Ich brauche einen neuen Personalausweis."
AVATAR_GLOSS = "PERSONALAUSWEIS"
AVATAR_SIZE = 512
FPS = 25

MOUTH_GLOSSES = ("TERMIN", "BRAUCHEN", "PERSONALAUSWEIS", "MORGEN", "WANN", "HALLO", "STADT", "GUT", "SEHEN",
                 "TELEFON")
COLUMNS = 8
TILE = 128
#: aimed at the mouth of the avatar at rest (the `head` joint is at y 0.70 m, the lips at about 0.655 m)
MOUTH_CAMERA = Camera(target=(0.0, 0.66, 0.0), distance=0.42, yfov_deg=21.0)
MOUTH_CHANNELS = {  # face channel -> its name on the sheet (the viseme it draws, mouthing.py)
    "mouth_open": "open", "mouth_round": "round", "mouth_spread": "spread", "lips_closed": "closed",
    "lip_teeth": "lip-teeth", "cheeks_puff": "puff",
}
SHOWN = 0.1  # a mouth channel below this weight is not named

SPELLED_WORD = "Bearbeitung"  # the example of a long spelled word (11 letters)
SPELLED_COLUMNS = 6
SPELLED_TILE = 256
#: the joints the fingerspelling sheet's camera keeps in view: the signing hand, its shoulder, the head
SPELLED_FRAMED = ("wrist.R", "finger1-3.R", "finger2-3.R", "finger3-3.R", "finger4-3.R", "finger5-3.R",
                  "shoulder01.R", "head")
SPELLED_MARGIN = 0.07  # metres around the framed joints
MOVING = "JZÄÖÜß"  # letter_movement.png's default letters: those whose sign moves the hand
MOVE_COLUMNS = 7
MOVE_TILE = 192
#: the joints letter_movement.png's cameras keep in view: the signing hand and its shoulder
MOVE_FRAMED = SPELLED_FRAMED[:-1]


def render_tile(renderer: OffscreenRenderer, avatar: Avatar, world_r: FloatArray, world_p: FloatArray,
                face: FloatArray, size: int) -> UInt8Array:
    """The avatar in one pose rendered (at the renderer's size, twice `size`: smooth edges) and
    downsampled to a (size, size, 3) tile."""
    from PIL import Image

    image = Image.fromarray(renderer.render(*avatar.deform(world_r, world_p, face)))
    return np.asarray(image.resize((size, size), Image.Resampling.LANCZOS))


def framing_camera(points: FloatArray, margin: float = SPELLED_MARGIN, yfov_deg: float = 21.0) -> Camera:
    """A square view's Camera that sees every world point (N, 3) with `margin` metres around them,
    above the contact sheet's label band (the bottom BAND_FRACTION of a tile)."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    centre = (lo + hi) / 2
    half = (float(max(hi[0] - lo[0], hi[1] - lo[1])) / 2 + margin) / (1 - BAND_FRACTION)
    centre[1] = hi[1] + margin - half  # the top of the view at the highest point, the band's room below
    # the points nearest the camera are the ones a perspective view shows largest: fit their plane
    distance = half / float(np.tan(np.radians(yfov_deg) / 2)) + float(hi[2] - centre[2])
    return Camera(target=(float(centre[0]), float(centre[1]), float(centre[2])), distance=distance, yfov_deg=yfov_deg)


def fingerspelling_picture(pipeline: Pipeline, word: str = SPELLED_WORD) -> UInt8Array:
    """The word's tile, then one tile per letter at the middle of its planned span (module docstring)."""
    gloss = fingerspell_gloss(spelled_word(word))
    if gloss is None:
        sys.exit(f"{word!r} has no letter to fingerspell")
    seq = pipeline.parse_glosses(gloss)
    opts = RenderOptions(fps=FPS)
    letters = [(start, end, sign) for start, end, sign, _ in pipeline.sequencer.plan(seq, opts.speed).letters]
    if not letters:
        sys.exit(f"the motion plan of {gloss} has no fingerspelled letters")
    track = pipeline.motion(seq, opts)
    skeleton, avatar = pipeline.avatar.skeleton, pipeline.avatar
    picks = [min(round((start + end) / 2 * track.fps), track.num_frames - 1) for start, end, _ in letters]
    poses = [skeleton.forward(track.rotations[i], track.root[i]) for i in picks]
    framed = [skeleton.index(name) for name in SPELLED_FRAMED]
    camera = framing_camera(np.concatenate([pos[framed] for _, pos in poses]))
    span = letters[-1][1] - letters[0][0]
    tiles = [(f"{len(letters)} letters, {span:.1f} s", word_tile(spelled_word(gloss), gloss, SPELLED_TILE))]
    wide = 2 * SPELLED_TILE  # rendered at twice the tile size and downsampled: smooth edges
    with OffscreenRenderer(avatar, wide, wide, platform=pipeline.settings.gl_platform, camera=camera) as r:
        for (_, _, sign), i, (world_r, world_p) in zip(letters, picks, poses, strict=True):
            image = render_tile(r, avatar, world_r, world_p, track.face[i], SPELLED_TILE)
            tiles.append((f"{sign.removeprefix(LETTER_SIGN_PREFIX)}  {i / track.fps:.2f} s", image))
    return contact_sheet(tiles, SPELLED_COLUMNS)


def movement_picture(pipeline: Pipeline, letters: str = MOVING) -> UInt8Array:
    """One row per letter: the letter's tile, then MOVE_COLUMNS frames over its span (module docstring)."""
    skeleton, avatar = pipeline.avatar.skeleton, pipeline.avatar
    framed = [skeleton.index(name) for name in MOVE_FRAMED]
    wide = 2 * MOVE_TILE  # rendered at twice the tile size and downsampled: smooth edges
    tiles: list[tuple[str, UInt8Array]] = []
    for letter in letters:
        gloss = fingerspell_gloss(letter)
        if gloss is None:
            sys.exit(f"{letter!r} is not a letter to fingerspell")
        seq = pipeline.parse_glosses(gloss)
        plan = pipeline.sequencer.plan(seq, 1.0).letters
        track = pipeline.motion(seq, RenderOptions(fps=FPS))
        start, end = plan[0][0], plan[0][1]
        first, last = round(start * track.fps), min(round(end * track.fps), track.num_frames - 1)
        picks = [first + round(k * (last - first) / (MOVE_COLUMNS - 1)) for k in range(MOVE_COLUMNS)]
        poses = [skeleton.forward(track.rotations[i], track.root[i]) for i in range(first, last + 1)]
        camera = framing_camera(np.concatenate([pos[framed] for _, pos in poses]))
        sign = plan[0][2].removeprefix(LETTER_SIGN_PREFIX)
        tiles.append((f"{sign}, {end - start:.2f} s", word_tile(sign, sign, MOVE_TILE)))
        with OffscreenRenderer(avatar, wide, wide, platform=pipeline.settings.gl_platform, camera=camera) as r:
            for i in picks:
                world_r, world_p = poses[i - first]
                image = render_tile(r, avatar, world_r, world_p, track.face[i], MOVE_TILE)
                tiles.append((f"{(i - first) / track.fps:.2f} s", image))
    return contact_sheet(tiles, MOVE_COLUMNS + 1)


def avatar_picture(pipeline: Pipeline) -> UInt8Array:
    """The middle frame of AVATAR_GLOSS in the clip of AVATAR_TEXT, (512, 512, 3) uint8."""
    opts = RenderOptions(width=AVATAR_SIZE, height=AVATAR_SIZE, fps=FPS)
    track = pipeline.motion(pipeline.translate(AVATAR_TEXT), opts)
    frames = [i for i, label in enumerate(track.labels) if label == AVATAR_GLOSS]
    if not frames:
        sys.exit(f"the clip of {AVATAR_TEXT!r} has no {AVATAR_GLOSS} (glosses: {sorted(set(track.labels))})")
    i = frames[len(frames) // 2]
    world_r, world_p = pipeline.avatar.skeleton.forward(track.rotations[i], track.root[i])
    frame: UInt8Array = pipeline.renderer(opts).render(*pipeline.avatar.deform(world_r, world_p, track.face[i]))
    return frame


def mouth_label(face: FloatArray) -> str:
    """The mouth channel of `face` (C,) with the largest weight and that weight ("open .32"), or "rest"."""
    weights = [float(face[FACE_CHANNELS.index(c)]) for c in MOUTH_CHANNELS]
    k = int(np.argmax(weights))
    if weights[k] < SHOWN:
        return "rest"
    name = list(MOUTH_CHANNELS.values())[k]
    return f"{name} {weights[k]:.2f}".replace(" 0.", " .").replace(" 1.00", " 1")


def word_tile(gloss: str, word: str, size: int) -> UInt8Array:
    """A white tile with the gloss written large (the sheet's band below it will carry the word)."""
    from matplotlib import font_manager
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    px = size // 6
    while True:  # the largest font up to size / 6 that fits the tile's width
        font = ImageFont.truetype(font_manager.findfont("DejaVu Sans:bold"), px)
        left, _, right, _ = draw.textbbox((0, 0), gloss, font=font)
        if right - left <= size - 12 or px <= 8:
            break
        px -= 1
    draw.text((size / 2, size * 0.42), gloss, fill=(20, 24, 36), font=font, anchor="mm")
    return np.asarray(image)


def mouth_picture(pipeline: Pipeline, glosses: tuple[str, ...] = MOUTH_GLOSSES) -> UInt8Array:
    """Rows of mouth close-ups, one per gloss (module docstring)."""
    avatar = pipeline.avatar
    skeleton = avatar.skeleton
    wide = 2 * TILE  # rendered at twice the tile size and downsampled: smooth edges
    tiles: list[tuple[str, UInt8Array]] = []
    with OffscreenRenderer(avatar, wide, wide, platform=pipeline.settings.gl_platform, camera=MOUTH_CAMERA) as r:
        for gloss in glosses:
            entry = pipeline.lexicon.entries[gloss]
            word = chosen_mouthing(GlossToken(gloss=gloss, kind="lexicon"), entry.mouthing)
            seq = GlossSequence(tokens=(GlossToken(gloss=gloss, kind="lexicon"),))
            track = pipeline.motion(seq, RenderOptions(fps=FPS))
            frames = [i for i, label in enumerate(track.labels) if label == gloss]
            picks = [frames[round(k * (len(frames) - 1) / (COLUMNS - 1))] for k in range(COLUMNS)]
            tiles.append((f"\u201e{word}\u201c", word_tile(gloss, word, TILE)))
            for i in picks:
                world_r, world_p = skeleton.forward(track.rotations[i], track.root[i])
                image = render_tile(r, avatar, world_r, world_p, track.face[i], TILE)
                t = (i - frames[0]) / FPS
                tiles.append((f"{t:.2f}s {mouth_label(track.face[i])}", image))
    return contact_sheet(tiles, COLUMNS + 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs", help="folder to write to (default: docs/)")
    ap.add_argument("--only", choices=("avatar", "mouth", "fingerspelling", "movement"), help="make only this picture")
    ap.add_argument("--word", default=SPELLED_WORD, help=f"the word fingerspelling.png spells (default {SPELLED_WORD})")
    ap.add_argument("--letters", default=MOVING, help=f"the letters letter_movement.png shows (default {MOVING})")
    args = ap.parse_args()
    pipeline = Pipeline(Settings.from_env(os.environ))
    try:
        if args.only in (None, "avatar"):
            write_png(avatar_picture(pipeline), args.out / "avatar.png")
            print(f"{args.out / 'avatar.png'}: the middle of {AVATAR_GLOSS} in {AVATAR_TEXT!r}")
        if args.only in (None, "mouth"):
            image = mouth_picture(pipeline)
            write_png(image, args.out / "mouth.png")
            print(f"{args.out / 'mouth.png'}: {len(MOUTH_GLOSSES)} signs x {COLUMNS} frames, "
                  f"{image.shape[1]}x{image.shape[0]} pixels")
        if args.only in (None, "fingerspelling"):
            image = fingerspelling_picture(pipeline, args.word)
            write_png(image, args.out / "fingerspelling.png")
            print(f"{args.out / 'fingerspelling.png'}: {args.word!r} letter by letter, "
                  f"{image.shape[1]}x{image.shape[0]} pixels")
        if args.only in (None, "movement"):
            image = movement_picture(pipeline, args.letters)
            write_png(image, args.out / "letter_movement.png")
            print(f"{args.out / 'letter_movement.png'}: {len(args.letters)} letters x {MOVE_COLUMNS} frames, "
                  f"{image.shape[1]}x{image.shape[0]} pixels")
    finally:
        pipeline.close()


if __name__ == "__main__":
    main()
