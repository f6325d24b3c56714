"""The written formats match their specs (docs/formats/): the documented version equals the code's
constant, and a real file written by the code has exactly the fields the spec's table lists."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fake_pipeline import FakePipeline
from signavatar.jobs.batch import MANIFEST_VERSION, InlineExecutor, run_batch
from signavatar.jobs.batch_input import BatchItem
from signavatar.jobs.metadata import METADATA_SCHEMA
from signavatar.jobs.plan import check_plan
from signavatar.jobs.render import render_clip
from signavatar.jobs.request import prepare_request
from signavatar.jobs.store import ClipStore
from signavatar.settings import Settings
from signavatar.types import ClipRequest, GlossSequence, GlossToken, RenderOptions

REPO = Path(__file__).resolve().parents[2]
CLIP_SPEC = REPO / "docs" / "formats" / "clip-json.md"
MANIFEST_SPEC = REPO / "docs" / "formats" / "batch-manifest.md"
SMALL = RenderOptions(width=32, height=32, fps=10)
_ROW = re.compile(r"^\| `([^`]+)` \| [^|]+ \| ([^|]+) \|", re.MULTILINE)


def spec_version(spec: Path) -> int:
    match = re.search(r"^Version: (\d+)$", spec.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{spec.name} has no 'Version: N' line"
    return int(match.group(1))


def spec_fields(spec: Path) -> dict[str, str]:
    """field path -> its "when" column, from the spec's field table."""
    return {m.group(1): m.group(2).strip() for m in _ROW.finditer(spec.read_text(encoding="utf-8"))}


def spec_example(spec: Path) -> Any:
    """The spec's full example (its last ```json block)."""
    blocks = re.findall(r"```json\n(.*?)\n```", spec.read_text(encoding="utf-8"), re.DOTALL)
    return json.loads(blocks[-1])


def paths(value: Any, prefix: str = "") -> set[str]:
    """Every field path of a JSON value in the specs' notation: `a`, `a.b`, `a[].b`."""
    out: set[str] = set()
    if isinstance(value, dict):
        for key, child in value.items():
            name = f"{prefix}.{key}" if prefix else key
            out.add(name)
            out |= paths(child, name)
    elif isinstance(value, list):
        for child in value:
            if isinstance(child, dict):
                out |= paths(child, f"{prefix}[]")
    return out


def test_documented_versions_are_the_codes() -> None:
    assert spec_version(CLIP_SPEC) == METADATA_SCHEMA
    assert spec_version(MANIFEST_SPEC) == MANIFEST_VERSION


def test_a_written_clip_json_has_exactly_the_documented_fields(tmp_path: Path) -> None:
    fields = spec_fields(CLIP_SPEC)
    always = {f for f, when in fields.items() if when == "always"}
    assert set(fields) - always == {"review", "review.action", "review.time", "request.source_text", "files.pose",
                                    "files.motion", "glosses[].mouthing"}
    store, pipeline = ClipStore(tmp_path), FakePipeline()

    plain = render_clip(ClipRequest(text="Ich brauche Termin", options=SMALL), pipeline, store)
    assert paths(json.loads(Path(plain.metadata_path).read_text(encoding="utf-8"))) == always

    request = ClipRequest(glosses="TERMIN ICH", source_text="Ich brauche einen Termin.", options=SMALL)
    corrected = render_clip(request, pipeline, store)
    written = json.loads(Path(corrected.metadata_path).read_text(encoding="utf-8"))
    assert paths(written) == always | {"request.source_text"}
    assert written["schema"] == METADATA_SCHEMA

    # an editor's mouthing (GLOSS{mouthing}) is written with its token, and only there
    mouthed = GlossSequence((GlossToken("TERMIN", mouthing="termin"), GlossToken("GUT", mouthing="pf")))
    request = ClipRequest(glosses=str(mouthed), options=SMALL)
    plan = check_plan(mouthed, pipeline, prepare_request(request, Settings()), Settings())
    mouthed_clip = render_clip(request, pipeline, store, plan=plan)
    written = json.loads(Path(mouthed_clip.metadata_path).read_text(encoding="utf-8"))
    assert paths(written) == always | {"glosses[].mouthing"}
    assert [t["mouthing"] for t in written["glosses"]] == ["termin", "pf"]
    assert written["gloss_string"] == "TERMIN{termin} GUT{pf}"
    # the fake pipeline has no skeleton to export a .pose file nor an avatar for motion.glb; the spec's
    # example is a real clip with both
    assert paths(spec_example(CLIP_SPEC)) == always | {"files.pose", "files.motion"}


def test_a_written_manifest_has_exactly_the_documented_fields(tmp_path: Path) -> None:
    fields = spec_fields(MANIFEST_SPEC)
    always = {f for f, when in fields.items() if when == "always"}
    assert set(fields) - always == {
        "counts.stale", "items[].stale", "items[].note",
        *(f"items[].paths.{n}" for n in ("video", "subtitles", "poster", "metadata", "motion")),
        *(f"items[].versions.{n}" for n in ("code", "lexicon", "avatar")),
    }
    env = {"SIGNAVATAR_DATA_DIR": str(tmp_path / "data"), "SIGNAVATAR_PIPELINE": "fake_pipeline:FakePipeline"}
    versions = FakePipeline().versions()
    items = [BatchItem("ok", "Guten Morgen", None), BatchItem("bad", None, "HALLO FAIL")]
    manifest = run_batch(items, tmp_path / "out", InlineExecutor(), env, versions, SMALL)
    assert [i["status"] for i in manifest["items"]] == ["done", "failed"]
    written = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    # the fake pipeline has no avatar, so its clips have no motion.glb (test_batch_cli checks a real one)
    assert paths(written) == set(fields) - {"counts.stale", "items[].stale", "items[].note", "items[].paths.motion"}
    assert written["manifest_version"] == MANIFEST_VERSION
    assert paths(spec_example(MANIFEST_SPEC)) == paths(written)

    new = [*items, BatchItem("new", "Danke", None)]
    stale = run_batch(new, tmp_path / "out", InlineExecutor(), env, versions, SMALL, stale=True)
    assert paths(stale) == set(fields) - {"items[].paths.motion"}
