"""The layering of ARCHITECTURE.md, enforced: which package may import which (module-level and
function-level imports alike), no function over 80 lines, no duck-typed `getattr` on the pipeline,
and a command line that starts without the heavy stacks (scipy, MediaPipe, pyrender, OpenCV, OpenGL)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("signavatar", "api")

#: ARCHITECTURE.md's table, bottom to top: a module may import its own package and any package of
#: a lower layer; never a sibling of its own layer (unless the pair is in ALLOWED_SIBLINGS), never a
#: higher one. Keys are dotted packages or modules; a module belongs to the longest key it starts with.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("signavatar", "signavatar.errors", "signavatar.types", "signavatar.settings", "signavatar.sqlite_file",
     "signavatar.fingerspelling", "signavatar.typed", "signavatar.messages"),
    ("signavatar.avatar",),
    ("signavatar.lexicon",),
    ("signavatar.kinematics",),
    ("signavatar.text_to_gloss", "signavatar.translation_memory", "signavatar.gloss_model", "signavatar.review"),
    ("signavatar.gloss_to_pose", "signavatar.translation_choice"),
    ("signavatar.pose_to_frames",),
    ("signavatar.frames_to_video",),
    ("signavatar.exports",),
    ("signavatar.pipeline", "signavatar.pipeline_protocols"),
    ("signavatar.capture", "signavatar.jobs", "signavatar.stills"),
    ("signavatar.distributed",),
    ("signavatar.commands", "api"),
    ("signavatar.cli",),
)
#: (importer, imported) pairs of one layer that may import each other: the foundation's modules
#: may raise the errors of signavatar.errors and use the array aliases of signavatar.typed; no other pair.
ALLOWED_SIBLINGS: frozenset[tuple[str, str]] = frozenset(
    (unit, base) for base in ("signavatar.errors", "signavatar.typed") for unit in LAYERS[0] if unit != base
)
LAYER_OF = {unit: n for n, units in enumerate(LAYERS) for unit in units}
HEAVY = ("scipy", "mediapipe", "pyrender", "cv2", "OpenGL")


def source_files() -> list[Path]:
    return sorted(p for d in SOURCE_DIRS for p in (ROOT / d).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def unit_of(module: str) -> str | None:
    """The layer table's key `module` belongs to: the longest that is it or a package above it (the
    bare root package `signavatar` only when it is the module: its subpackages must each be listed)."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in LAYER_OF and (key != "signavatar" or key == module):
            return key
    return None


def is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.is_dir() or path.with_suffix(".py").is_file()


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every import of our own code in `path`, at any depth of the file.
    `from a import b` yields a.b (b may be a module), relative imports are resolved."""
    module = module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            # `from a import b`: a.b when b is a module, else a name defined in a
            found += [(node.lineno, f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}") else base)
                      for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] in SOURCE_DIRS]


def layer_violations(files: list[Path]) -> list[str]:
    bad = []
    for path in files:
        own = unit_of(module_name(path))
        if own is None:
            bad.append(f"{path.relative_to(ROOT)}: {module_name(path)} is in no layer of the table")
            continue
        for line, name in imported_modules(path):
            other = unit_of(name)
            if other is None:
                bad.append(f"{path.relative_to(ROOT)}:{line}: imports {name}, which is in no layer of the table")
            elif other != own and LAYER_OF[other] >= LAYER_OF[own] and (own, other) not in ALLOWED_SIBLINGS:
                how = "a sibling" if LAYER_OF[other] == LAYER_OF[own] else "a higher layer"
                bad.append(f"{path.relative_to(ROOT)}:{line}: {own} (layer {LAYER_OF[own]}) imports {name}, "
                           f"{how} (layer {LAYER_OF[other]})")
    return bad


def test_no_package_imports_one_above_or_beside_it() -> None:
    assert layer_violations(source_files()) == []


def test_layer_lookup() -> None:
    assert unit_of("signavatar.avatar.rig") == "signavatar.avatar"
    assert unit_of("signavatar") == "signavatar" and unit_of("signavatar.cli") == "signavatar.cli"
    assert unit_of("api.app") == "api" and unit_of("signavatar.nowhere") is None


def test_every_layer_key_is_a_real_package_or_module() -> None:
    assert [unit for unit in LAYER_OF if not is_module(unit)] == []


def long_functions(files: list[Path], limit: int = 80) -> list[str]:
    bad = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > limit:
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.name} is {length} lines")
    return bad


def test_no_function_over_80_lines() -> None:
    assert long_functions(source_files()) == []


def test_shells_ask_the_pipeline_protocols_not_getattr() -> None:
    needles = ("getattr(pipeline", "getattr(self._pipeline", "getattr(front")
    bad = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
           for path in source_files()
           for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
           if any(needle in line for needle in needles)]
    assert bad == []


def heavy_loaded(code: str) -> list[str]:
    """The heavy stacks in sys.modules after running `code` in a fresh interpreter."""
    check = f"{code}\nimport sys\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", check], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return list(ast.literal_eval(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("code", [
    "import signavatar.cli",
    "import contextlib, io\nfrom signavatar.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n    main(['--help'])",
    "from signavatar.cli import build_parser\n"
    "args = build_parser().parse_args(['gloss', 'Ich brauche einen Termin.'])\nassert args.command == 'gloss'",
    "import contextlib, io\nfrom signavatar.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['gloss', 'Ich brauche einen Termin.']) == 0",
], ids=["import", "help", "gloss-parser", "gloss"])
def test_the_command_line_starts_without_heavy_stacks(code: str) -> None:
    assert heavy_loaded(code) == []
