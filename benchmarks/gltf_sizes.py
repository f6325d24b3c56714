"""glTF export: bytes of the avatar and of motion files for several clips, the build times, and the
error of the exported motion against the video's own skinning (Avatar.deform), measured by
evaluating the .glb files the glTF way in numpy (tests/gltf_eval.py).

Error: per frame, the distance of every skinned vertex from Avatar.deform of the same PoseTrack frame;
"max" over all frames and vertices, "hand" over the vertices the wrists and fingers move, "mean" over
all frames and vertices. The key reduction's tolerance (--tolerance-mm, default the exporter's) is
chosen from this table: the largest whose max hand error stays <= 2 mm with margin.

usage: .venv/bin/python benchmarks/gltf_sizes.py [--tolerance-mm 0.5 1 2] [--fps 25 50]
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
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
