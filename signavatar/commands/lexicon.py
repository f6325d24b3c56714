"""`signavatar lexicon list|show|validate|sheet|bank|export|import|revert|revisions`: the sign lexicon for the
people who maintain it. list, show, sheet and bank use the shipped glosses/ with the city's overlay
(signavatar/lexicon/city.py); list's review state is the review log's for each sign's current form;
export/import move the city's lexicon as one package (signavatar/lexicon/package.py)."""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

from signavatar.errors import AvatarAssetError, InvalidInputError, LexiconError
from signavatar.fingerspelling import as_letter_sign_id
from signavatar.lexicon.city import (
    city_lexicon_version,
    load_city_lexicon,
    overlay_dir,
    revert_to_shipped,
    revision_store,
)
from signavatar.lexicon.load import load_lexicon
from signavatar.lexicon.model import Lexicon, SignEntry
from signavatar.review import REVIEW_FILENAME, SIGN, ReviewLog, sign_review
from signavatar.settings import Settings

KINDS = ("lexical", "letter", "number")


def add_lexicon_parser(sub: Any) -> None:
    x = sub.add_parser(
        "lexicon", help="list, show, validate and draw the sign lexicon",
        description="The sign lexicon (glosses/, format in glosses/SCHEMA.md) for those who maintain it.",
    )
    root = argparse.ArgumentParser(add_help=False)
    root.add_argument("--root", type=Path, metavar="DIR",
                      help="lexicon folder (default: SIGNAVATAR_LEXICON_DIR or the repository's glosses/)")
    actions = x.add_subparsers(dest="lexicon_command", required=True, parser_class=type(x))
    a = actions.add_parser("list", parents=[root], help="one line per sign; the count goes to stderr",
                           description="One tab-separated line per sign: gloss, kind, hands, source, "
                           "reviewed/unreviewed, lemmas. The count goes to stderr.")
    a.add_argument("--kind", choices=KINDS, help="only lexical signs, letters (FS-) or numbers (NUM-)")
    a.add_argument("--unreviewed", action="store_true", help="only signs no DGS signer has approved yet")
    a.add_argument("--source", help="only signs of this source (hand-authored, recorded, generated)")
    a.add_argument("--json", action="store_true", help="a JSON list of objects instead of lines")
    s = actions.add_parser("show", parents=[root], help="a sign's file and its compiled summary")
    s.add_argument("gloss", metavar="GLOSS", help="e.g. TERMIN (case does not matter)")
    v = actions.add_parser(
        "validate", parents=[root], help="load and check every file, find signs too alike and handshapes that do "
        "not read back; warn about shared lemmas and unused handshapes",
        description="Exit 1 with one line per bad file, per pair of lexical signs whose motion is nearly the same "
        "(unless same_sign_as marks them), and per held handshape MediaPipe reads back as another shape, on "
        "stderr. The read-back renders each sign whose form changed since glosses/handshape_readback.json "
        "was written (about 0.5 s a sign on 2 CPU cores) and updates that file.")
    v.add_argument("--no-render", action="store_true", help="skip the handshape read-back (no rendering, no MediaPipe)")
    v.add_argument("--refresh", action="store_true", help="read every sign's handshapes again, ignoring the cache")
    v.add_argument("--city", action="store_true",
                   help="the lexicon the service uses: the shipped signs with the city's own (SIGNAVATAR_DATA_DIR/"
                   "lexicon), checked together for signs too alike (the read-back covers the shipped folder only)")
    h = actions.add_parser(
        "sheet", parents=[root], help="a PNG contact sheet of signs rendered by the avatar",
        description="Each sign drawn at its most characteristic moment, labelled with its gloss.",
    )
    h.add_argument("-o", "--output", required=True, type=Path, help="PNG to write, e.g. docs/signs.png")
    h.add_argument("--glosses", help="comma-separated glosses (default: every lexical sign, sorted)")
    h.add_argument("--limit", type=int, help="at most this many signs (the first ones)")
    h.add_argument("--size", type=int, default=160, help="tile width and height in pixels (default 160)")
    h.add_argument("--columns", type=int, default=10, help="tiles per row (default 10)")
    b = actions.add_parser(
        "bank", parents=[root], help="rebuild the handshape bank capture uses (after changing handshapes.json)",
        description="Render every handshape of the inventory in many orientations, read each render with "
        "MediaPipe Holistic and store the readings (glosses/handshape_bank.npz), which `signavatar capture` "
        "matches captured hands against. About 40 minutes on 2 CPU cores (13 per place).",
    )
    b.add_argument(
        "-o", "--output", type=Path, help="file to write (default: handshape_bank.npz in the lexicon folder)"
    )
    b.add_argument("--shapes", help="comma-separated handshapes only (a partial bank, for trying things out)")
    b.add_argument("--palm-steps", type=int, default=8, help="palm directions per finger direction (default 8)")
    b.add_argument(
        "--locations", help="comma-separated places to hold the hand at (default: neutral,neutral_low,chest)"
    )
    _add_city_parsers(actions, root)


def _add_city_parsers(actions: Any, root: argparse.ArgumentParser) -> None:
    e = actions.add_parser("export", parents=[root], help="the city's lexicon as one package (.zip) to share",
                           description="Every sign of the city's lexicon (SIGNAVATAR_DATA_DIR/lexicon) with its "
                           "revisions, licence and consent, as one versioned .zip (docs/city_lexicon.md).")
    e.add_argument("-o", "--output", required=True, type=Path, help=".zip to write")
    e.add_argument("--name", default="signavatar city lexicon", help="the package's name (e.g. the city's)")
    i = actions.add_parser("import", parents=[root], help="a package into the city's lexicon",
                           description="Check the whole package, then save each sign that differs from the "
                           "city's as a revision 'imported from <package>'. An invalid package changes nothing.")
    i.add_argument("file", type=Path, metavar="FILE", help="a .zip of `signavatar lexicon export`")
    i.add_argument("--editor", required=True, help="who imports (a name, recorded with each revision)")
    v = actions.add_parser("revert", parents=[root], help="use the shipped sign again instead of the city's version",
                           description="Remove the city's version of a sign from its lexicon (the shipped sign "
                           "is used again), recorded as a revision with who and why.")
    v.add_argument("gloss", metavar="GLOSS")
    v.add_argument("--editor", required=True, help="who reverts (a name, recorded with the revision)")
    v.add_argument("--reason", required=True, help="why (recorded with the revision)")
    r = actions.add_parser("revisions", parents=[root], help="a sign's revisions in the city's lexicon")
    r.add_argument("gloss", metavar="GLOSS")
    r.add_argument("--json", action="store_true", help="a JSON list instead of lines")


def cmd_lexicon(args: argparse.Namespace, settings: Settings, factory: Any) -> int:
    if args.root is not None:
        settings = dataclasses.replace(settings, lexicon_dir=args.root)
    if args.lexicon_command == "validate":
        render = None if args.no_render else (settings, factory)
        avatar = settings.models_dir / "build" / "avatar.npz"
        if args.city:
            return _validate(settings.lexicon_dir, avatar, None, False, overlay=overlay_dir(settings))
        return _validate(settings.lexicon_dir, avatar, render, args.refresh)
    if args.lexicon_command == "sheet":
        return _sheet(args, settings, factory)
    if args.lexicon_command == "bank":
        return _bank(args, settings, factory)
    if args.lexicon_command in ("export", "import"):
        return _export(args, settings) if args.lexicon_command == "export" else _import(args, settings)
    if args.lexicon_command == "revert":
        done = revert_to_shipped(settings, args.gloss.upper(), args.editor, args.reason)
        print(f"{done['gloss']}: the shipped sign is used again (revision {done['revision']}, "
              f"lexicon version {done['lexicon_version']})")
        return 0
    lexicon = load_city_lexicon(settings)
    if args.lexicon_command == "revisions":
        return _revisions(args, settings, lexicon)
    if args.lexicon_command == "list":
        return _list(args, lexicon, _reviewed(settings, lexicon))
    return _show(lexicon, args.gloss, _reviewed(settings, lexicon))


def _reviewed(settings: Settings, lexicon: Lexicon) -> set[str]:
    """The glosses approved for their current form (the review log; a shipped file's own flag)."""
    decisions = ReviewLog(settings.data_dir / REVIEW_FILENAME).all_entries(SIGN)
    return {g for g, e in lexicon.entries.items() if sign_review(e, decisions.get(g, [])).reviewed}


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from signavatar.lexicon.package import export_package

    if not args.output.parent.is_dir():
        raise InvalidInputError(f"{args.output.parent}: no such folder")
    data = export_package(settings, args.name)
    args.output.write_bytes(data)
    count = len(list((overlay_dir(settings) / "signs").glob("*.json")))
    print(f"{args.output}: {count} signs of the city's lexicon, {len(data)} bytes, "
          f"lexicon version {city_lexicon_version(settings)}")
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from signavatar.lexicon.package import MAX_PACKAGE_BYTES, import_package

    if not args.file.is_file():
        raise InvalidInputError(f"{args.file}: no such file")
    if args.file.stat().st_size > MAX_PACKAGE_BYTES:
        raise InvalidInputError(f"{args.file}: {args.file.stat().st_size} bytes; the limit is {MAX_PACKAGE_BYTES}")
    result = import_package(settings, args.file.read_bytes(), args.editor)
    for skipped in result.skipped:
        print(f"skipped {skipped['gloss']}: {skipped['reason']}", file=sys.stderr)
    print(f"imported {len(result.imported)} signs from {result.package}"
          f"{': ' + ', '.join(result.imported) if result.imported else ''}; lexicon version {result.lexicon_version}")
    return 0


def _revisions(args: argparse.Namespace, settings: Settings, lexicon: Lexicon) -> int:
    entry = find_entry(lexicon, args.gloss)
    history = revision_store(settings).revisions(entry.gloss)
    if args.json:
        print(json.dumps([r.to_dict() for r in history], ensure_ascii=False, indent=1))
        return 0
    for r in history:
        consent = f"\t{r.consent.get('signer', '')} {r.consent.get('licence', '')}".rstrip() if r.consent else ""
        print(f"{r.revision}\t{r.time}\t{r.editor}\t{r.reason}{consent}")
    where = "the city's lexicon" if entry.in_overlay else "the shipped lexicon (revision 0)"
    print(f"{entry.gloss}: {len(history)} revision(s); the current sign is from {where}", file=sys.stderr)
    return 0


def gloss_order(gloss: str) -> tuple[tuple[int, str], ...]:
    """Sort key: as in a German dictionary (ÖFFNEN among the O's), numbers by value (NUM-2 before
    NUM-10); code-point order only breaks ties."""
    plain = "".join(c for c in unicodedata.normalize("NFD", gloss) if not unicodedata.combining(c))
    parts = re.split(r"(\d+)", plain)
    return (*((int(p), "") if p.isdigit() else (-1, p) for p in parts), (-1, gloss))


def kind(entry: SignEntry) -> str:
    return "letter" if entry.is_letter else "number" if entry.is_number else "lexical"


def _list(args: argparse.Namespace, lexicon: Lexicon, reviewed: set[str]) -> int:
    entries = [
        e for e in (lexicon.entries[g] for g in sorted(lexicon.entries, key=gloss_order))
        if (args.kind is None or kind(e) == args.kind)
        and not (args.unreviewed and e.gloss in reviewed)
        and (args.source is None or e.source == args.source)
    ]
    if args.json:
        rows = [{"gloss": e.gloss, "kind": kind(e), "hands": e.hands, "source": e.source,
                 "reviewed": e.gloss in reviewed, "lemmas": list(e.lemmas)} for e in entries]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for e in entries:
            state = "reviewed" if e.gloss in reviewed else "unreviewed"
            print("\t".join((e.gloss, kind(e), e.hands, e.source, state, ", ".join(e.lemmas))))
    # stderr, so stdout stays one sign per line (or pure JSON) for pipes
    print(f"{len(entries)} of {len(lexicon)} signs", file=sys.stderr)
    return 0


def find_entry(lexicon: Lexicon, gloss: str) -> SignEntry:
    """The entry of `gloss` (any case); InvalidInputError with close matches when there is none."""
    wanted = gloss.strip()
    for key in (wanted, wanted.upper(), as_letter_sign_id(wanted) or ""):
        entry = lexicon.get(key)
        if entry is not None:
            return entry
    hints = difflib.get_close_matches(wanted.upper(), list(lexicon.entries), n=4, cutoff=0.6)
    by_lemma = lexicon.lemma_map().get(wanted.lower())
    if by_lemma is not None and by_lemma not in hints:
        hints.insert(0, by_lemma)
    close = f"close matches: {', '.join(hints)}; " if hints else ""
    raise InvalidInputError(f"no sign {wanted!r} in the lexicon; {close}see `signavatar lexicon list`")


def _show(lexicon: Lexicon, gloss: str, reviewed: set[str]) -> int:
    entry = find_entry(lexicon, gloss)
    # the file as stored is the sign's definition; what follows is what the loader made of it
    print(entry.path.read_text(encoding="utf-8").rstrip("\n"))
    motion = ("recording" if getattr(entry, "recording", None) is not None
              else "definition" if getattr(entry, "definition", None) is not None else "keyframes")
    print(f"--- {entry.path.name}, compiled ---")
    print(f"kind: {kind(entry)}")
    print(f"motion: from {motion}")
    print(f"duration: {entry.duration:g} s")
    print(f"keyframes: {len(entry.keyframes)}")
    print(f"hands: {entry.hands}")
    print(f"source: {entry.source}")
    print(f"reviewed: {'yes' if entry.gloss in reviewed else 'no'}")
    print(f"from: {'the city lexicon' if entry.in_overlay else 'the shipped lexicon'} ({entry.path})")
    print(f"lemmas: {', '.join(entry.lemmas) or '-'}")
    if entry.mouthing is not None:
        print(f"mouthing: {entry.mouthing}")
    return 0


def _validate(root: Path, avatar: Path, render: tuple[Settings, Any] | None = None, refresh: bool = False,
              overlay: Path | None = None) -> int:
    """Load and check the lexicon at `root` (with the city's `overlay` folder over it, when given);
    `render`: (settings, pipeline factory) for the handshape read-back, None to skip it."""
    from signavatar.commands.lexicon_checks import handshape_check, similarity_check

    try:
        lexicon = load_lexicon(root, overlay) if overlay is not None else load_lexicon(root)
    except LexiconError as exc:
        lines = str(exc).splitlines()
        for line in lines:
            print(line, file=sys.stderr)
        print(f"signavatar: error: {len(lines)} invalid file(s) in {root}", file=sys.stderr)
        return 1
    for warning in [*lexicon_warnings(lexicon), *_bank_warnings(root, lexicon, avatar)]:
        print(f"signavatar: warning: {warning}", file=sys.stderr)
    problems, notes = similarity_check(lexicon, avatar)
    if render is not None:
        more, more_notes = handshape_check(root, *render, refresh)
        problems, notes = problems + more, notes + more_notes
    for line in notes:
        print(f"signavatar: note: {line}", file=sys.stderr)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        print(f"signavatar: error: {len(problems)} problem(s) in {root}", file=sys.stderr)
        return 1
    entries = list(lexicon.entries.values())
    counts = {k: sum(kind(e) == k for e in entries) for k in KINDS}
    print(f"OK: {len(entries)} signs ({counts['lexical']} lexical, {counts['letter']} letters, "
          f"{counts['number']} numbers), {len(lexicon.handshapes)} handshapes, version {lexicon.version}")
    return 0


def lexicon_warnings(lexicon: Lexicon) -> list[str]:
    """What is valid but probably a mistake: lexical signs sharing a lemma, handshapes never used."""
    warnings: list[str] = []
    owners: dict[str, list[str]] = defaultdict(list)
    used: set[str] = set()
    for gloss, entry in sorted(lexicon.entries.items()):
        if entry.is_lexical:
            for lemma in entry.lemmas:
                owners[lemma.lower()].append(gloss)
        for kf in entry.keyframes:
            used.update(hand.handshape for hand in (kf.right, kf.left) if hand is not None)
    lemma_map = lexicon.lemma_map()
    for lemma, glosses in sorted(owners.items()):
        if len(set(glosses)) > 1:
            warnings.append(f"lemma {lemma!r} is shared by {', '.join(sorted(set(glosses)))} "
                            f"(text translation uses {lemma_map[lemma]})")
    unused = sorted(set(lexicon.handshapes) - used)
    if unused:
        warnings.append(f"handshapes never used: {', '.join(unused)}")
    return warnings


def _bank_warnings(root: Path, lexicon: Lexicon, avatar: Path) -> list[str]:
    """A missing or out-of-date handshape bank (capture then chooses shapes by finger angles alone)."""
    from signavatar.avatar.rig import load_avatar
    from signavatar.capture.hand_bank import StaleBankError, bank_path, load_bank

    try:
        load_bank(bank_path(root), load_avatar(avatar).skeleton, lexicon)
    except StaleBankError as exc:
        return [str(exc)]
    except AvatarAssetError:
        return []  # no avatar to check it against (validate works without one)
    return []


def _bank(args: argparse.Namespace, settings: Settings, factory: Any) -> int:
    from signavatar.capture.hand_bank import bank_path
    from signavatar.capture.hand_bank_build import LOCATIONS, build_bank
    from signavatar.gloss_to_pose.body_space import LOCATION_POINTS

    if args.palm_steps < 1:
        raise InvalidInputError(f"--palm-steps must be at least 1, got {args.palm_steps}")
    pipeline = factory(settings)
    shapes = None if args.shapes is None else list(
        _known_names("--shapes", "handshape", args.shapes, sorted(pipeline.lexicon.handshapes)))
    locations = LOCATIONS if args.locations is None else _known_names(
        "--locations", "place", args.locations, list(LOCATION_POINTS))
    output: Path = args.output if args.output is not None else bank_path(settings.lexicon_dir)
    if not output.parent.is_dir():
        raise InvalidInputError(f"{output.parent}: no such folder")
    step = {"drawn": 0.1, "read": 0.1}

    def progress(stage: str, done: int, total: int) -> None:
        if done / total >= step[stage]:
            # stdout: MediaPipe's native logging is silenced on stderr's file descriptor while it reads
            print(f"{done}/{total} poses {stage}", flush=True)
            step[stage] += 0.1

    bank = build_bank(pipeline, shapes, args.palm_steps, progress, locations=locations)
    tmp = output.with_name(output.name + ".tmp.npz")
    bank.save(tmp)
    tmp.replace(output)  # a failed build leaves the old bank in place
    print(f"{output}: {len(bank.points)} readings of {len(set(bank.shape.tolist()))} handshapes "
          f"(fingerprint {bank.fingerprint})")
    return 0


def _known_names(option: str, what: str, value: str, known: list[str]) -> tuple[str, ...]:
    """The comma-separated names of `value`; InvalidInputError naming the unknown ones and the known."""
    names = tuple(s.strip() for s in value.split(",") if s.strip())
    unknown = [s for s in names if s not in known]
    if unknown or not names:
        raise InvalidInputError(f"{option}: unknown {what}(s) {', '.join(unknown) or '(none given)'}; "
                                f"known: {', '.join(known)}")
    return names


def _sheet(args: argparse.Namespace, settings: Settings, factory: Any) -> int:
    from signavatar.pose_to_frames.contact_sheet import write_png
    from signavatar.stills.sheet import sign_sheet

    if args.limit is not None and args.limit < 1:
        raise InvalidInputError(f"--limit must be at least 1, got {args.limit}")
    if args.columns < 1:
        raise InvalidInputError(f"--columns must be at least 1, got {args.columns}")
    pipeline = factory(settings)
    lexicon = pipeline.lexicon
    if args.glosses is None:
        glosses = sorted((g for g, e in lexicon.entries.items() if e.is_lexical), key=gloss_order)
    else:
        glosses = _known(lexicon, args.glosses.split(","))
    glosses = glosses[: args.limit]
    image = sign_sheet(pipeline, glosses, size=args.size, columns=args.columns)
    write_png(image, args.output)
    print(f"{args.output}: {len(glosses)} signs, {image.shape[1]}x{image.shape[0]} pixels")
    return 0


def _known(lexicon: Lexicon, glosses: list[str]) -> list[str]:
    """The entries' glosses for the given ones (any case); InvalidInputError naming the unknown ones."""
    wanted = [g.strip() for g in glosses if g.strip()]
    if not wanted:
        raise InvalidInputError("--glosses is empty: give comma-separated glosses, e.g. TERMIN,WARTEN")
    found: list[str] = []
    missing: list[str] = []
    for gloss in wanted:
        try:
            found.append(find_entry(lexicon, gloss).gloss)
        except InvalidInputError:
            missing.append(gloss)
    if missing:
        raise InvalidInputError(f"not in the lexicon: {', '.join(missing)} (see `signavatar lexicon list`)")
    return found
