"""`signavatar capture VIDEO --gloss NAME`: a recorded sign -> a lexicon entry (capture/sign_capture.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from signavatar.capture.holistic_video import BODY_SPACE, BODY_SPACES
from signavatar.errors import InvalidInputError
from signavatar.settings import Settings


def add_capture_parser(sub: Any) -> None:
    c = sub.add_parser(
        "capture", help="record a sign from a video into the lexicon",
        description="Run MediaPipe Holistic on VIDEO (or read a .pose file), retarget it onto the avatar, "
        "cut rest, raise and lower, smooth jitter, and write glosses/signs/NAME.json (source: recorded).",
    )
    c.add_argument("video", metavar="VIDEO", type=Path, help="a video of one sign (mp4, webm, ...) or a .pose file")
    c.add_argument("--gloss", required=True, metavar="NAME", help="the gloss, e.g. DANKE (A-Z ÄÖÜ 0-9, single '-')")
    c.add_argument("--lemma", action="append", default=[], metavar="L", help="a German lemma it translates (repeat)")
    c.add_argument("--lexicon", type=Path, metavar="DIR", help="glosses folder to write into (default: the lexicon's)")
    c.add_argument("--force", action="store_true", help="replace an existing entry of that gloss")
    c.add_argument("--mouthing", metavar="M", help="the mouthing that goes with the sign")
    c.add_argument("--description", metavar="TEXT", help="how the sign is made (default: where it was recorded from)")
    c.add_argument("--max-hold", type=float, metavar="S", help="shorten still stretches to S seconds")
    c.add_argument("--duration", type=float, metavar="S", help="play the recording in S seconds")
    c.add_argument("--body", choices=BODY_SPACES, default=BODY_SPACE,
                   help=f"MediaPipe body landmarks to use (default {BODY_SPACE})")
    c.add_argument("--no-smoothing", action="store_true", help="skip the One-Euro filter")
    c.add_argument("--no-snap", action="store_true",
                   help="keep the recorded finger angles (default: snap hands to the nearest inventory handshape)")
    c.add_argument("--no-hand-fit", action="store_true",
                   help="read each hand's orientation from its palm alone (default: fit the inventory's handshapes "
                   "to the whole hand)")
    c.add_argument("--no-bank", action="store_true",
                   help="choose the handshapes by finger angles alone (default: also match the hands against "
                   "MediaPipe's readings of the avatar's handshapes, glosses/handshape_bank.npz)")


def cmd_capture(args: argparse.Namespace, settings: Settings, factory: Any) -> int:
    from signavatar.capture.hand_bank import StaleBankError, bank_path, load_bank
    from signavatar.capture.recorded_entry import check_gloss, write_entry
    from signavatar.capture.sign_capture import SMOOTHING, UNCERTAIN_WARN, CaptureOptions, capture_sign  # scipy

    check_gloss(args.gloss)  # before the slow part
    lexicon_dir: Path = args.lexicon if args.lexicon is not None else settings.lexicon_dir
    target = lexicon_dir / "signs" / f"{args.gloss}.json"
    if not (lexicon_dir / "signs").is_dir():
        raise InvalidInputError(f"{lexicon_dir}: not a glosses folder (it has no signs/ folder)")
    if target.exists() and not args.force:
        raise InvalidInputError(f"{target} exists; use --force to replace it")
    if args.max_hold is not None and args.max_hold <= 0:
        raise InvalidInputError("--max-hold must be positive")
    pipeline = factory(settings)
    skeleton = pipeline.avatar.skeleton
    options = CaptureOptions(body_space=args.body, smoothing=None if args.no_smoothing else SMOOTHING,
                             max_hold=args.max_hold, duration=args.duration, snap=not args.no_snap,
                             hand_fit=not args.no_hand_fit)
    bank = None
    if not args.no_bank and not args.no_snap:
        try:
            bank = load_bank(bank_path(settings.lexicon_dir), skeleton, pipeline.lexicon)
        except StaleBankError as exc:
            print(f"signavatar: warning: {exc}; choosing handshapes by finger angles alone", file=sys.stderr)
    done = capture_sign(args.video, args.gloss, skeleton, pipeline.lexicon, lemmas=tuple(args.lemma),
                        mouthing=args.mouthing, description=args.description, options=options, bank=bank)
    path = write_entry(done.entry, lexicon_dir, force=args.force)
    rec = done.entry["recording"]
    print(f"{done.entry['gloss']}: {len(rec['frames'])} frames at {rec['fps']:g} fps, hands {done.entry['hands']}, "
          f"frames {done.span.start}-{done.span.end} of {done.track.num_frames} kept")
    for side, share in done.uncertain.items():
        if share >= UNCERTAIN_WARN:
            hand = "right" if side == "R" else "left"
            print(f"check it: the {hand} hand matches no handshape of the inventory in {share:.0%} of the sign's "
                  f"frames (fingers toward the camera or the body read badly); render the entry and look")
    print(path)
    return 0
