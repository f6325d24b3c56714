"""The batch runner with the real pipeline at 64x64: resume, failures at the end, --workers 2, --stale."""

import json
import shutil
from pathlib import Path

import pytest

from fake_pipeline import FakePipeline
from signavatar.cli import main
from signavatar.frames_to_video.probe import probe_video
from signavatar.jobs.batch import InlineExecutor, run_batch
from signavatar.jobs.batch_input import BatchItem
from signavatar.types import RenderOptions

REPO = Path(__file__).resolve().parents[2]
SMALL = ["--size", "64x64", "--fps", "10"]
pytestmark = pytest.mark.render


def manifest(out: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_resume_and_failure_reported_at_the_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,text,glosses\nbad,,HALLO QUATSCHWORT\nok,Guten Morgen,\nsmall,,HALLO\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(src), "--out", str(out), *SMALL]) == 1
    first = manifest(out)
    items = {i["id"]: i for i in first["items"]}
    assert [i["id"] for i in first["items"]] == ["bad", "ok", "small"]  # input order
    assert first["counts"] == {"done": 2, "skipped": 0, "failed": 1}
    assert "QUATSCHWORT" in items["bad"]["error"] and items["ok"]["error"] is None
    assert items["ok"]["duration_s"] > 0 and items["ok"]["render_s"] > 0
    assert items["ok"]["versions"] == first["versions"]
    assert probe_video(out / items["ok"]["paths"]["video"])["width"] == 64
    err = capsys.readouterr()
    assert err.err.rstrip().splitlines()[-1].startswith("signavatar: failed: bad: ")  # after the batch, not mid-way
    assert "2 done, 0 skipped, 1 failed" in err.out

    assert main(["batch", str(src), "--out", str(out), *SMALL]) == 1
    again = {i["id"]: i for i in manifest(out)["items"]}
    assert [again[k]["status"] for k in ("bad", "ok", "small")] == ["failed", "skipped", "skipped"]
    assert again["ok"]["clip_id"] == items["ok"]["clip_id"] and again["ok"]["paths"] == items["ok"]["paths"]


def test_two_workers_render_every_item(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [{"id": f"s{n}", "glosses": g} for n, g in enumerate(["HALLO", "MORGEN", "DANKE", "BITTE"])]
    lines.append({"id": "tiny", "glosses": "HALLO", "options": {"width": 48, "height": 32}})
    src.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(src), "--out", str(out), *SMALL, "--workers", "2"]) == 0
    result = manifest(out)
    assert result["counts"] == {"done": 5, "skipped": 0, "failed": 0}
    sizes = {i["id"]: probe_video(out / i["paths"]["video"])["width"] for i in result["items"]}
    assert sizes == {"s0": 64, "s1": 64, "s2": 64, "s3": 64, "tiny": 48}


def test_stale_renders_only_clips_of_an_older_lexicon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    lexicon = tmp_path / "lexicon"
    shutil.copytree(REPO / "glosses", lexicon)
    monkeypatch.setenv("SIGNAVATAR_LEXICON_DIR", str(lexicon))
    src = tmp_path / "faq"
    src.mkdir()
    (src / "hallo.gloss").write_text("HALLO", encoding="utf-8")
    (src / "danke.gloss").write_text("DANKE", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(src), "--out", str(out), *SMALL]) == 0
    old = {i["id"]: i for i in manifest(out)["items"]}

    assert main(["batch", str(src), "--out", str(out), *SMALL, "--stale"]) == 0  # nothing changed yet
    assert manifest(out)["counts"] == {"done": 0, "skipped": 2, "failed": 0, "stale": 0}

    sign = lexicon / "signs" / "HALLO.json"
    sign.write_text(sign.read_text(encoding="utf-8").replace('"duration": 0.56', '"duration": 0.6'), encoding="utf-8")
    (src / "neu.gloss").write_text("BITTE", encoding="utf-8")  # never rendered: --stale leaves it alone
    capsys.readouterr()
    assert main(["batch", str(src), "--out", str(out), *SMALL, "--stale"]) == 0
    result = manifest(out)
    items = {i["id"]: i for i in result["items"]}
    assert result["counts"] == {"done": 2, "skipped": 1, "failed": 0, "stale": 2}
    assert items["neu"]["status"] == "skipped" and items["neu"]["clip_id"] is None
    for key in ("hallo", "danke"):
        assert items[key]["stale"] and items[key]["clip_id"] != old[key]["clip_id"]
        assert items[key]["versions"]["lexicon"] == result["versions"]["lexicon"] != old[key]["versions"]["lexicon"]
    assert "2 stale, 2 done, 1 skipped" in capsys.readouterr().out

    # the earlier manifest is gone now; the store still knows the old clips, and they are all current
    (out / "manifest.json").unlink()
    assert main(["batch", str(src), "--out", str(out), *SMALL, "--stale"]) == 0
    assert manifest(out)["counts"]["stale"] == 0


def test_a_worker_that_raises_fails_its_item_only(tmp_path: Path) -> None:
    """The fake pipeline (fast) next to the real tests above: an executor error is one failed item."""
    pipeline = FakePipeline()

    def render(item: dict, env: dict, out_dir: str, has_memory: bool) -> dict:  # type: ignore[type-arg]
        if item["id"] == "x":
            raise RuntimeError("worker lost")
        from signavatar.jobs.batch_item import render_with
        from signavatar.settings import Settings

        return render_with(item, pipeline, Settings.from_env(env), Path(out_dir))

    items = [BatchItem("x", "Hallo", None), BatchItem("y", "Tschüss", None)]
    env = {"SIGNAVATAR_DATA_DIR": str(tmp_path)}
    result = run_batch(items, tmp_path, InlineExecutor(), env, pipeline.versions(), RenderOptions(64, 64, 10),
                       fn=render)
    assert [(i["id"], i["status"]) for i in result["items"]] == [("x", "failed"), ("y", "done")]
    assert result["items"][0]["error"] == "worker failed: worker lost"
