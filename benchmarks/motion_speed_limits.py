"""Joint speed limits measured on real signing: the recorded fingerspelling shipped by spoken-to-signed.

Writes signavatar/gloss_to_pose/measured_speed_limits.json, which motion_checks.py loads as the
limits every PoseTrack (and so the sequencer) is checked against. Nothing here reads a planner
constant: the limits come from people, measured on our own skeleton the way the check measures the
sequencer.

Method, per recording (every `.pose` file of spoken_to_signed/assets/fingerspelling_lexicon: the 30
DGS letters and the manual alphabets of 18 other sign languages, MediaPipe Holistic, 24-30 fps):
  1. retarget onto the avatar at the file's own fps (capture/recorded_motion.py, the code that
     `signavatar render --pose` uses);
  2. low-pass every joint's local quaternion track (hemisphere-aligned frame to frame): 2nd-order
     Butterworth, zero phase (filtfilt), cutoff LOWPASS_HZ, renormalised. MediaPipe landmark jitter
     becomes frame-to-frame rotation noise, and retargeting turns it into steps of up to ~170 deg
     per frame at the fingers; 6 Hz is the cutoff commonly used for limb kinematics in
     biomechanics (Winter, Biomechanics and Motor Control of Human Movement, 4th ed., 2009, ch. 3);
  3. resample to 25 fps (the sequencer's default) with slerp (gloss_to_pose/resample.py);
  4. motion_checks.angular_speeds (the function the check applies to the sequencer), deg/s; per
     frame the fastest joint of each group (the check fails a group when any of its joints is over).
The limit of a group is the PERCENTILE-th percentile of those per-frame speeds pooled over all
frames of all recordings. The 95th, not the maximum: after filtering, the top percent is still
retargeting glitches (hand orientation flips, lost hands found again), not human motion. Raw and
10 Hz figures, the DGS letters alone and the spread of per-recording percentiles are written too.

Groups the recordings do not move (the retargeter turns only arms, hands and head; fingerspelling
barely turns the head) are not measured: their limits are written from UNMEASURED below, each
with its basis.

    .venv/bin/python benchmarks/motion_speed_limits.py [--check]

--check measures again and fails when a written limit differs by more than 1 deg/s.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from signavatar.capture.alphabet import alphabet_recordings  # noqa: E402
from signavatar.capture.pose_file import read_holistic  # noqa: E402
from signavatar.capture.recorded_motion import recorded_motion  # noqa: E402
from signavatar.gloss_to_pose.motion_checks import angular_speeds, joint_group  # noqa: E402
from signavatar.gloss_to_pose.resample import resample_track  # noqa: E402
from signavatar.pipeline import Pipeline  # noqa: E402
from signavatar.settings import Settings  # noqa: E402

PERCENTILE = 95.0
LOWPASS_HZ = 6.0
SENSITIVITY_HZ = (None, 10.0)  # also reported: no filter, a 10 Hz cutoff
RESAMPLE_FPS = 25.0
MEASURED_ON = "2026-12-07"
SPEED_LIMITS_FILE = ROOT / "signavatar" / "gloss_to_pose" / "measured_speed_limits.json"  # motion_checks loads it
MEASURED = ("finger", "hand", "forearm", "upper arm")
#: groups the recordings leave still: limit (deg/s), basis, note
UNMEASURED: dict[str, tuple[float, str, str]] = {
    "neck": (300.0, "literature",
             "not measured: fingerspelling turns the head under 40 deg/s (measured figures below). Vigorous "
             "voluntary head rotation peaks at a group median of 780 deg/s (Grossman et al. 1988, Exp Brain Res "
             "70(3):470-476); active head oscillation at 2 Hz, 31 deg amplitude, peaks at 170-200 deg/s "
             "(J-STAGE jser1971 46(2):155). A signer's headshake is the gentle kind: 300 deg/s, above the "
             "2 Hz figure and well under the vigorous one"),
    "clavicle": (200.0, "estimate",
                 "not measured and unsourced: neither the recordings (the retargeter does not turn it) nor the "
                 "sequencer move the shoulder girdle; the earlier estimate of motion_checks.py, which only "
                 "catches a future change that moves it"),
    "trunk": (150.0, "estimate",
              "not measured and unsourced: neither the recordings nor the sequencer move root or spine; the "
              "earlier estimate of motion_checks.py, which only catches a future change that moves them"),
    "face": (600.0, "estimate",
             "not measured and unsourced: jaw and eye joints are not turned by the recordings or the sequencer "
             "(mouthing and blinks are face channels, not joints); the earlier estimate of motion_checks.py"),
}


def lowpass(quats: np.ndarray, fps: float, cutoff: float | None) -> np.ndarray:
    """(T, J, 4) quaternions, hemisphere-aligned frame to frame and low-passed (None: aligned only)."""
    from scipy.signal import butter, filtfilt

    q = np.asarray(quats, dtype=np.float64).copy()
    for t in range(1, len(q)):
        q[t][(q[t] * q[t - 1]).sum(-1) < 0] *= -1.0
    if cutoff is None or len(q) < 4:
        return q
    b, a = butter(2, cutoff / (fps / 2.0))
    f = filtfilt(b, a, q, axis=0, padlen=min(6, len(q) - 1))
    out: np.ndarray = f / np.linalg.norm(f, axis=-1, keepdims=True)
    return out


def recordings() -> list[Path]:
    root = next(iter(alphabet_recordings().values())).parents[1]
    return sorted(root.glob("*/*.pose"))


def measure() -> dict[str, object]:
    pipeline = Pipeline(Settings(data_dir=Path(tempfile.mkdtemp(prefix="speedlimits-"))))
    sk = pipeline.avatar.skeleton
    groups = {g: np.array([j for j, n in enumerate(sk.names) if joint_group(n) == g])
              for g in MEASURED + tuple(UNMEASURED)}
    files = recordings()
    root = files[0].parents[1]
    cutoffs = (LOWPASS_HZ, *SENSITIVITY_HZ)
    # per cutoff, per group: one (frames,) array of per-frame speeds per recording
    speeds: dict[float | None, dict[str, list[np.ndarray]]] = {c: {g: [] for g in groups} for c in cutoffs}
    fps_count: Counter[str] = Counter()
    dgs: list[int] = []
    for i, path in enumerate(files):
        fps = read_holistic(path).fps
        fps_count[f"{fps:g}"] += 1
        if path.parent.name == "gsg":
            dgs.append(i)
        track = recorded_motion(sk, pipeline.lexicon, path, fps)
        for c in cutoffs:
            filtered = replace(track, rotations=lowpass(track.rotations, fps, c).astype(np.float32))
            deg = np.degrees(angular_speeds(resample_track(filtered, RESAMPLE_FPS)))
            for g, idx in groups.items():
                speeds[c][g].append(deg[:, idx].max(axis=1))

    def pct(arrays: list[np.ndarray]) -> float:
        return round(float(np.percentile(np.concatenate(arrays), PERCENTILE)), 1)

    out_groups: dict[str, dict[str, object]] = {}
    for g in groups:
        main = speeds[LOWPASS_HZ][g]
        per = [float(np.percentile(a, PERCENTILE)) for a in main]
        figures = {
            "all_recordings": pct(main),
            "dgs_letters_only": pct([main[i] for i in dgs]),
            "per_recording_min_median_max": [round(float(v), 1) for v in (min(per), np.median(per), max(per))],
            "no_filter": pct(speeds[None][g]),
            "lowpass_10_hz": pct(speeds[10.0][g]),
            "max_all_frames": round(float(np.concatenate(main).max()), 1),
        }
        if g in MEASURED:
            entry: dict[str, object] = {"limit_deg_s": pct(main), "basis": "measured", "measured": figures}
        else:
            limit, basis, note = UNMEASURED[g]
            entry = {"limit_deg_s": limit, "basis": basis, "note": note, "measured": figures}
        out_groups[g] = entry
    return {
        "version": 1,
        "benchmark": "benchmarks/motion_speed_limits.py",
        "measured_on": MEASURED_ON,
        "source": {
            "package": f"spoken-to-signed {importlib.metadata.version('spoken-to-signed')} (MIT)",
            "folder": "spoken_to_signed/assets/fingerspelling_lexicon",
            "recordings": len(files),
            "dgs_recordings": len(dgs),
            "sign_languages": sorted({p.parent.name for p in files}),
            "files": [str(p.relative_to(root)) for p in files],
            "fps_counts": dict(sorted(fps_count.items())),
        },
        "method": {
            "retarget": "signavatar.capture.recorded_motion at the file's fps",
            "smoothing": f"2nd-order Butterworth low-pass, zero phase, {LOWPASS_HZ:g} Hz, on hemisphere-aligned "
                         "local quaternions, renormalised",
            "resampled_fps": RESAMPLE_FPS,
            "speed": "motion_checks.angular_speeds; per frame the fastest joint of the group",
            "percentile": PERCENTILE,
            "pooled": "all frames of all recordings",
        },
        "groups": out_groups,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the written file instead of writing")
    args = parser.parse_args()
    result = measure()
    groups = result["groups"]
    assert isinstance(groups, dict)
    for g, e in groups.items():
        m = e["measured"]
        print(f"{g:10s} limit {e['limit_deg_s']:7.1f} deg/s ({e['basis']}); "
              f"p{PERCENTILE:g} all {m['all_recordings']:7.1f}"
              f"  DGS {m['dgs_letters_only']:7.1f}  per recording {m['per_recording_min_median_max']}"
              f"  raw {m['no_filter']:7.1f}  10 Hz {m['lowpass_10_hz']:7.1f}  max {m['max_all_frames']:7.1f}")
    if args.check:
        written = json.loads(SPEED_LIMITS_FILE.read_text(encoding="utf-8"))["groups"]
        off = [g for g in groups if abs(written[g]["limit_deg_s"] - groups[g]["limit_deg_s"]) > 1.0]
        if off:
            raise SystemExit(f"{SPEED_LIMITS_FILE}: limits of {', '.join(off)} differ from a new measurement")
        print("written limits match")
        return
    SPEED_LIMITS_FILE.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {SPEED_LIMITS_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
