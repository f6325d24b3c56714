"""glTF export: bytes of the avatar and of motion files for several clips, the build times, and the
error of the exported motion against the video's own skinning (Avatar.deform), measured by
evaluating the .glb files the glTF way in numpy (tests/gltf_eval.py).

Error: per frame, the distance of every skinned vertex from Avatar.deform of the same PoseTrack frame;
"max" over all frames and vertices, "hand" over the vertices the wrists and fingers move, "mean" over
all frames and vertices. The key reduction's tolerance (--tolerance-mm, default the exporter's) is
chosen from this table: the largest whose max hand error stays <= 2 mm with margin.

--sentences: the product's own clips instead: every sentence of the two test corpora (service
texts, general easy-language text) through the whole pipeline (translation, motion with body, face
and mouthing, as the service renders it), its motion.glb size against the clip's length: the sizes
of the clips of 4.5-5.5 s, and a straight line bytes = a + b * seconds fitted over all of them
(its value at 5 s), per corpus. No error is measured there (the table above covers that).

usage: .venv/bin/python benchmarks/gltf_sizes.py [--tolerance-mm 0.5 1 2] [--fps 25 50]
       .venv/bin/python benchmarks/gltf_sizes.py --sentences [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests")]

from api.avatar_api import AvatarFiles  # noqa: E402
from gltf_eval import Animated, load  # noqa: E402
from signavatar.avatar.rig import Avatar, load_avatar  # noqa: E402
from signavatar.exports.gltf_avatar import avatar_glb  # noqa: E402
from signavatar.exports.gltf_motion import TOLERANCE_M, motion_glb  # noqa: E402
from signavatar.gloss_to_pose.sequencer import Sequencer  # noqa: E402
from signavatar.lexicon import load_lexicon  # noqa: E402
from signavatar.text_to_gloss import parse_gloss_string  # noqa: E402

CLIPS = {
    "short": "ICH",
    "sentence": "TERMIN ICH BRAUCHEN",
    "5 s": "MORGEN ARZT TERMIN BRAUCHEN",
    "fingerspelling": "fs-MEIER fs-SCHMIDT fs-BERLIN",
    "long": "MORGEN ICH ARZT TERMIN BRAUCHEN fs-MEIER ICH AUSWEIS ANTRAG AUSFÜLLEN BANK ADRESSE BRAUCHEN "
            "ABEND ICH APOTHEKE ABHOLEN",
}


def hand_vertices(avatar: Avatar) -> np.ndarray:
    sk = avatar.skeleton
    below = set()
    for side in "RL":
        below.add(sk.index("wrist." + side))
    for j in range(sk.num_joints):
        if int(sk.parents[j]) in below:
            below.add(j)
    mask: np.ndarray = (np.isin(avatar.skin_index, sorted(below)) & (avatar.skin_weight > 0)).any(axis=1)
    return mask


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tolerance-mm", type=float, nargs="+", default=[TOLERANCE_M * 1000])
    parser.add_argument("--fps", type=int, nargs="+", default=[25], help="frame rates of the tracks (default 25)")
    parser.add_argument("--sentences", action="store_true", help="the product's clips of the test corpora")
    parser.add_argument("--limit", type=int, default=0, help="at most N sentences per corpus (0: all)")
    args = parser.parse_args()
    if args.sentences:
        sentence_sizes(args.limit)
        return
    avatar, lexicon = load_avatar(), load_lexicon()
    sk = avatar.skeleton
    start = time.perf_counter()
    glb = avatar_glb(avatar)
    build_s = time.perf_counter() - start
    print(f"avatar.glb: {len(glb)} bytes, {len(gzip.compress(glb, 9))} gzipped, built in {build_s * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:  # the server's cache: the first request builds and writes
        first, restarted = AvatarFiles(Path(tmp)), AvatarFiles(Path(tmp))
        for label, files in (("first", first), ("again", first), ("after a restart", restarted)):
            start = time.perf_counter()
            files.get(avatar)
            print(f"AvatarFiles.get (GET /v1/avatar), {label}: {(time.perf_counter() - start) * 1000:.1f} ms")
    animated_avatar = load(glb)
    hand = hand_vertices(avatar)
    print("| clip | fps | s | tolerance mm | bytes | gzip | build ms | keys | max mm | hand max mm | mean mm |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for (label, glosses), fps in itertools.product(CLIPS.items(), args.fps):
        track = Sequencer(sk, lexicon, sk.skeleton_id).track(parse_gloss_string(glosses, lexicon), fps=fps, speed=1.0)
        world_r, world_p = sk.forward(track.rotations, track.root)
        want = [avatar.deform(world_r[f], world_p[f], track.face[f])[0] for f in range(track.num_frames)]
        for tol in args.tolerance_mm:
            start = time.perf_counter()
            data = motion_glb(track, avatar, tolerance_m=tol / 1000)
            ms = (time.perf_counter() - start) * 1000
            gltf, blob = load(data)
            animated = Animated(*animated_avatar, gltf, blob)
            keys = sum(len(times) for _, _, _, times, _ in animated.channels())
            err = np.array([
                np.linalg.norm(animated.skinned(float(np.float32(f / track.fps))) - want[f], axis=1)
                for f in range(track.num_frames)
            ])
            print(
                f"| {label} | {fps} | {track.duration:.2f} | {tol:g} | {len(data)} | {len(gzip.compress(data, 9))} "
                f"| {ms:.0f} "
                f"| {keys} | {err.max() * 1000:.2f} | {err[:, hand].max() * 1000:.2f} | {err.mean() * 1000:.3f} |"
            )


CORPORA = {
    "service (buergeramt_sentences.tsv)": ("buergeramt_sentences.tsv", 0),
    "easy language (easy_language.tsv)": ("easy_language.tsv", 1),
}


def sentence_sizes(limit: int) -> None:
    from signavatar.pipeline import Pipeline
    from signavatar.settings import Settings
    from signavatar.types import RenderOptions

    pipeline = Pipeline(Settings())
    folder = Path(__file__).resolve().parents[1] / "tests" / "text_to_gloss"
    print("| corpus | clips | clips of 4.5-5.5 s | their bytes min / median / max | fit | at 5 s | gzip at 5 s |")
    print("|---|---|---|---|---|---|---|")
    for label, (name, column) in CORPORA.items():
        rows = [line.split("\t") for line in (folder / name).read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
        texts = [r[column].replace("\\n", " ") for r in rows][: limit or None]
        seconds, sizes, zipped = [], [], []
        for text in texts:
            track = pipeline.motion(pipeline.translate(text), RenderOptions())
            data = motion_glb(track, pipeline.avatar)
            seconds.append(track.duration)
            sizes.append(len(data))
            zipped.append(len(gzip.compress(data, 6)))
        s, b, z = np.array(seconds), np.array(sizes), np.array(zipped)
        near = np.sort(b[(s >= 4.5) & (s <= 5.5)])
        slope, intercept = np.polyfit(s, b, 1)
        zslope, zintercept = np.polyfit(s, z, 1)
        spread = f"{near[0]:,} / {int(np.median(near)):,} / {near[-1]:,}" if len(near) else "-"
        print(f"| {label} | {len(s)} | {len(near)} | {spread} | {intercept:,.0f} + {slope:,.0f}·s "
              f"| {intercept + 5 * slope:,.0f} | {zintercept + 5 * zslope:,.0f} |")


if __name__ == "__main__":
    main()
