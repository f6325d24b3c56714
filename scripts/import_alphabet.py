"""Recorded fingerspelling: the 30 DGS letter recordings of spoken-to-signed -> glosses/signs/FS-*.json.

Each letter goes through the capture code path (`signavatar capture` on a `.pose` file): retargeted
onto the avatar, One-Euro smoothed, trimmed to the letter (raise and lower cut), and every still
stretch shortened to --max-hold seconds, so a held letter becomes a short readable hold and a moving
one (J, Z, Ä, Ö, Ü, ß) keeps its movement; the sequencer decides how long a letter is held.
FS-SCH has no recording and stays hand-authored. Licence: glosses/LICENSE-spoken-to-signed.md.

usage: .venv/bin/python scripts/import_alphabet.py [--lexicon glosses] [--max-hold 0.3] [--letters "A B"]
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from signavatar.avatar.rig import load_avatar  # noqa: E402
from signavatar.capture.alphabet import alphabet_recordings  # noqa: E402
from signavatar.capture.recorded_entry import write_entry  # noqa: E402
from signavatar.capture.sign_capture import CaptureOptions, capture_sign  # noqa: E402
from signavatar.lexicon import load_lexicon  # noqa: E402
from signavatar.settings import Settings  # noqa: E402

ORIGIN = ("DGS manual alphabet recording of the package spoken-to-signed 0.4.0 (ZurichNLP, MIT licence, "
          "see glosses/LICENSE-spoken-to-signed.md)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lexicon", type=Path, help="glosses folder to write into (default: the lexicon's)")
    ap.add_argument("--max-hold", type=float, default=0.3, help="seconds a still stretch may last (default 0.3)")
    ap.add_argument("--letters", help="only these letters, space-separated (default: all 30)")
    args = ap.parse_args()
    settings = Settings.from_env(os.environ)
    lexicon_dir = args.lexicon or settings.lexicon_dir
    skeleton = load_avatar(settings.models_dir / "build" / "avatar.npz").skeleton
    lexicon = load_lexicon(settings.lexicon_dir)
    options = CaptureOptions(max_hold=args.max_hold, snap=False)  # the letters keep their recorded fingers
    recordings = alphabet_recordings()
    letters = args.letters.split() if args.letters else list(recordings)
    for letter in letters:
        path = recordings[letter]
        gloss = f"FS-{letter}"
        done = capture_sign(path, gloss, skeleton, lexicon, options=options, description="")
        seconds = len(done.entry["recording"]["frames"]) / done.entry["recording"]["fps"]
        done = replace(done, entry={**done.entry, "description": (
            f"Manual alphabet {letter}, recorded: {ORIGIN}, file {path.name}; frames {done.span.start}-{done.span.end} "
            f"of {done.track.num_frames} at {done.track.fps:g} fps, holds shortened to {args.max_hold:g} s "
            f"by signavatar capture.")})
        if done.span.sides != ("R",):
            print(f"{gloss}: warning: active hands {done.span.sides}", file=sys.stderr)
        out = write_entry(done.entry, lexicon_dir, force=True)
        print(f"{gloss}: {len(done.entry['recording']['frames'])} frames = {seconds:.2f} s, "
              f"joints {len(done.entry['recording']['joints'])} -> {out.relative_to(lexicon_dir.parent)}")


if __name__ == "__main__":
    main()
