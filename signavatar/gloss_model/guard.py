"""Keeping trained models out of git: a model carries its corpus's licence.

A trained model holds phrases, glosses and n-grams of the corpus it was trained on, so it is as
restricted as that corpus (PHOENIX-2014T is CC BY-NC-SA: it and anything trained on it stay out of
this repository). `train-gloss` therefore refuses to write its model at a path inside a git work
tree that git does not ignore: such a file is one `git add -A` away from a commit. `var/` (and any
`*.json.gz`, .gitignore) is ignored here; `--allow-unignored` is for a corpus whose licence lets
its models be committed (the user's own data, in their own repository).

Why refuse rather than warn: a warning scrolls past, and a committed model cannot be taken back
out of published history. Why not refuse outright everywhere: the trainer is corpus-agnostic, and
outside a work tree, or at an ignored path, git cannot pick the file up by accident.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def unignored_work_tree(path: Path) -> Path | None:
    """The root of the git work tree that `path` lies in when git does not ignore `path` there
    (it would be committed by `git add -A`), else None: outside any work tree, ignored, or no git."""
    git = shutil.which("git")
    if git is None:
        return None
    path = Path(path).absolute()
    folder = path.parent
    while not folder.is_dir():  # the model's folder may not exist yet
        folder = folder.parent
    top = subprocess.run([git, "-C", str(folder), "rev-parse", "--show-toplevel"],
                         capture_output=True, text=True, check=False)
    if top.returncode != 0:
        return None  # not inside a work tree
    root = Path(top.stdout.strip())
    if not path.resolve().is_relative_to(root.resolve()):
        return None  # e.g. a path through a link leading out of the tree
    ignored = subprocess.run([git, "-C", str(root), "check-ignore", "-q", "--", str(path.resolve())],
                             capture_output=True, check=False)
    return None if ignored.returncode == 0 else root
