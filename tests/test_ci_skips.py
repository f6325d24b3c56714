"""Under CI a skipped test fails the run (tests/conftest.py): a component the setup failed to install
cannot pass unnoticed. Checked by running pytest on a small test folder with our conftest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CASES = '''
import pytest

def test_runs():
    pass

def test_skips_at_run_time():
    pytest.skip("redis-server is not installed")

@pytest.mark.skipif(True, reason="chromium not installed")
def test_skipped_by_marker():
    pass

@pytest.mark.optional("needs a GPU, which CI machines never have")
def test_optional_skip():
    pytest.skip("no GPU")

@pytest.mark.xfail(reason="known", strict=True)
def test_expected_failure():
    assert False
'''
MISSING_MODULE = 'import pytest\npytest.importorskip("no_such_component_xyz")\n\ndef test_never():\n    pass\n'


def run(folder: Path, ci: str | None, name: str = "") -> str:
    """pytest's last line, then its whole output, for the folder (or one file of it)."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), env.get("PYTHONPATH", "")])
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfs", str(folder / name)],
                       capture_output=True, text=True, cwd=folder, env=env, timeout=120)
    return r.stdout.strip().splitlines()[-1] + "\n" + r.stdout


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(HERE / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_cases.py").write_text(CASES)
    (tmp_path / "test_missing.py").write_text(MISSING_MODULE)
    return tmp_path


def test_outside_ci_a_missing_component_is_skipped(folder: Path) -> None:
    summary = run(folder, None).splitlines()[0]
    assert summary.startswith("1 passed, 4 skipped, 1 xfailed"), summary


@pytest.mark.parametrize("ci", ["true", "1"])
def test_under_ci_every_skip_but_an_optional_one_fails(folder: Path, ci: str) -> None:
    out = run(folder, ci, "test_cases.py")
    # a run-time skip fails the test; a skipif marker fails its setup (an error): both fail the run
    assert out.startswith("1 failed, 1 passed, 1 skipped, 1 xfailed, 1 error"), out
    assert "redis-server is not installed" in out and "chromium not installed" in out
    assert "a required component is missing" in out


def test_under_ci_a_module_that_skips_at_import_fails_the_run(folder: Path) -> None:
    out = run(folder, "true", "test_missing.py")
    assert out.startswith("1 error"), out
    assert "no_such_component_xyz" in out and "a required component is missing" in out
