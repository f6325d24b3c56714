"""How long the lexicon's own operations take: loading it and `signavatar lexicon validate`'s checks.

On the real lexicon (glosses/) and on synthetic lexicons of N lexical signs (copies of the real ones
under new glosses, every hand offset moved by up to VARIATION_M, written to a temporary folder):
- load: load_lexicon (parse and validate every file, compile definitions);
- signatures: the motion signature of every lexical sign (gloss_to_pose/sign_similarity.py);
- pairs: the search for pairs below the thresholds (and, separately, on random signatures, where
  the lower bound rules out nearly every pair at once);
- read-back: the handshape read-back (capture/sign_handshapes.py), cache cold (every sign rendered
  and read) and warm (every sign from the cache), on the real lexicon only; for N signs the cold
  time is extrapolated from the real lexicon's time per sign.

usage: .venv/bin/python benchmarks/lexicon_ops.py [--sizes 500,5000] [--no-render]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from signavatar.avatar.rig import load_avatar
from signavatar.gloss_to_pose import sign_similarity as ss
from signavatar.gloss_to_pose.sequencer import Sequencer
from signavatar.lexicon import load_lexicon
from signavatar.lexicon.load import DEFAULT_ROOT

VARIATION_M = 0.03
T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _vary(hand: dict[str, Any], rng: np.random.Generator) -> None:
    offset = np.asarray(hand.get("offset", [0.0, 0.0, 0.0]), dtype=np.float64)
    hand["offset"] = np.clip(offset + rng.uniform(-VARIATION_M, VARIATION_M, 3), -0.35, 0.35).round(4).tolist()


def synthetic_lexicon(root: Path, n: int, seed: int = 0) -> Path:
    """A lexicon folder under `root` with the real letters and numbers and n lexical signs: the real
    lexical signs copied round-robin under new glosses (X1-TERMIN ...), offsets varied."""
    rng = np.random.default_rng(seed)
    out = root / f"glosses-{n}"
    (out / "signs").mkdir(parents=True)
    (out / "handshapes.json").write_bytes((DEFAULT_ROOT / "handshapes.json").read_bytes())
    real = sorted((DEFAULT_ROOT / "signs").glob("*.json"))
    lexical = [p for p in real if not p.stem.startswith(("FS-", "NUM-"))]
    for p in real:
        if p not in lexical:
            (out / "signs" / p.name).write_bytes(p.read_bytes())
    for k in range(n):
        src = lexical[k % len(lexical)]
        data = json.loads(src.read_text(encoding="utf-8"))
        gloss = f"X{k}-{data['gloss']}"
        data.update(gloss=gloss, lemmas=[gloss.lower()], same_sign_as=[])
        for kf in data.get("keyframes", []):
            for side in ("right", "left"):
                if side in kf:
                    _vary(kf[side], rng)
        definition = data.get("definition")
        if definition is not None:
            _vary(definition["hand"], rng)
            if isinstance(definition.get("left"), dict):
                _vary(definition["left"], rng)
        (out / "signs" / f"{gloss}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


def random_signatures(n: int, seed: int = 0) -> ss.Signatures:
    rng = np.random.default_rng(seed)
    h = len(ss.HANDS)
    return ss.Signatures(tuple(f"S{i}" for i in range(n)), rng.normal(0, 15, (n, h, ss.SAMPLES * 3)),
                         rng.normal(0, 0.5, (n, h, ss.SAMPLES * 9)), rng.normal(0, 5, (n, h, 5, ss.SAMPLES * 12)))


def similarity_row(name: str, root: Path) -> tuple[dict[str, str], int]:
    lexicon, load_s = timed(lambda: load_lexicon(root))
    skeleton = load_avatar().skeleton
    sequencer = Sequencer(skeleton, lexicon, skeleton.skeleton_id)
    sig, sig_s = timed(lambda: ss.lexicon_signatures(sequencer))
    pairs, pair_s = timed(lambda: ss.close_pairs(sig, same=ss.same_sign_pairs(lexicon.entries)))
    n = len(sig.glosses)
    return {"lexicon": name, "lexical signs": str(n), "load s": f"{load_s:.2f}", "signatures s": f"{sig_s:.2f}",
            "pairs s": f"{pair_s:.2f}", "pairs flagged": str(len(pairs))}, n


def readback_times(root: Path) -> tuple[float, float, int, int]:
    """(cold s, warm s, signs, failures) of the handshape read-back on the lexicon at root, cache in a temp folder."""
    from signavatar.capture.hand_bank import bank_path, load_bank
    from signavatar.capture.sign_handshapes import check_lexicon
    from signavatar.pipeline import Pipeline
    from signavatar.settings import Settings

    with tempfile.TemporaryDirectory(prefix="lexicon-ops-") as tmp:
        pipeline = Pipeline(Settings.from_env({**os.environ, "SIGNAVATAR_DATA_DIR": tmp,
                                               "SIGNAVATAR_LEXICON_DIR": str(root)}))
        bank = load_bank(bank_path(root), pipeline.avatar.skeleton, pipeline.lexicon)
        glosses = ss.lexical_glosses(pipeline.lexicon)
        cache = Path(tmp) / "readback.json"
        cold, cold_s = timed(lambda: check_lexicon(pipeline, bank, root, glosses, cache))
        _, warm_s = timed(lambda: check_lexicon(pipeline, bank, root, glosses, cache))
        pipeline.close()
    return cold_s, warm_s, len(glosses), sum(not c.passed for c in cold.checks)


def print_table(rows: list[dict[str, str]]) -> None:
    keys = list(dict.fromkeys(k for r in rows for k in r))
    widths = {k: max(len(k), *(len(r.get(k, "")) for r in rows)) for k in keys}
    print("  ".join(k.rjust(widths[k]) for k in keys))
    for r in rows:
        print("  ".join(r.get(k, "-").rjust(widths[k]) for k in keys))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,5000", help="synthetic lexicon sizes (lexical signs)")
    ap.add_argument("--no-render", action="store_true", help="skip the handshape read-back")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(f"machine: {platform.machine()} {os.cpu_count()} cores; thresholds place {ss.PLACE_CM} cm, "
          f"turn {ss.TURN_DEG} deg, shape {ss.SHAPE_CM} cm; {ss.SAMPLES} samples")
    rows: list[dict[str, str]] = []
    row, n_real = similarity_row("real", DEFAULT_ROOT)
    per_sign = float("nan")
    if not args.no_render:
        cold_s, warm_s, signs, failures = readback_times(DEFAULT_ROOT)
        per_sign = cold_s / max(signs, 1)
        row.update({"read-back cold s": f"{cold_s:.1f}", "read-back warm s": f"{warm_s:.2f}",
                    "read-back failures": str(failures)})
    rows.append(row)
    with tempfile.TemporaryDirectory(prefix="lexicon-ops-") as tmp:
        for n in sizes:
            row, _ = similarity_row(f"synthetic {n}", synthetic_lexicon(Path(tmp), n))
            if not args.no_render:
                row["read-back cold s"] = f"~{per_sign * n:.0f} (extrapolated)"
            rows.append(row)
    for n in sizes:
        random_sig = random_signatures(n)
        _, pair_s = timed(functools.partial(ss.close_pairs, random_sig))
        rows.append({"lexicon": f"random signatures {n}", "lexical signs": str(n), "pairs s": f"{pair_s:.2f}"})
    print_table(rows)
    print(f"real lexicon: {n_real} lexical signs; read-back {per_sign:.2f} s per sign cold")


if __name__ == "__main__":
    main()
