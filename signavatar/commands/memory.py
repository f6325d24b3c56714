"""`signavatar memory approve|list|remove`: the translation memory from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from signavatar.errors import InvalidInputError
from signavatar.settings import Settings
from signavatar.translation_memory.store import MEMORY_FILENAME, TranslationMemory


def add_memory_parser(sub: Any) -> None:
    m = sub.add_parser(
        "memory", help="editor-approved glosses reused for the same sentences",
        description="The translation memory: approved glosses are used by `gloss`, `render` and the API "
        "for the same sentence and near-identical ones.",
    )
    actions = m.add_subparsers(dest="memory_command", required=True, parser_class=type(m))
    a = actions.add_parser("approve", help="store the approved glosses of a sentence")
    a.add_argument("text", metavar="TEXT", help="the German sentence")
    a.add_argument("glosses", metavar="GLOSSES", help='the approved glosses, e.g. "TERMIN ICH BRAUCHEN"')
    a.add_argument("--editor", required=True, help="who approves them")
    a.add_argument("--comment", default="", help="why, or what was corrected")
    actions.add_parser("list", help="print every entry (text, glosses, editor, date, comment; tab-separated)")
    r = actions.add_parser("remove", help="forget the entry of a sentence")
    r.add_argument("text", metavar="TEXT", help="the German sentence (matched exactly, ignoring case and punctuation)")


def cmd_memory(args: argparse.Namespace, settings: Settings, factory: Any) -> int:
    memory = TranslationMemory(settings.data_dir / MEMORY_FILENAME)
    if args.memory_command == "approve":
        seq = factory(settings).parse_glosses(args.glosses)  # UnknownGlossError names a gloss we cannot sign
        entry = memory.approve(args.text, str(seq), args.editor, args.comment)
        print(f"approved: {entry.text} -> {entry.glosses}")
    elif args.memory_command == "list":
        for e in memory.entries():
            print("\t".join((e.text, e.glosses, e.approved_by, e.approved_at, e.comment)))
    else:
        if not memory.remove(args.text):
            raise InvalidInputError(f"the translation memory has no entry for {args.text!r}")
        print(f"removed: {args.text}")
    return 0
