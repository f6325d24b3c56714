import sys
from pathlib import Path

import pytest

# The package and the shared test helpers, found from this file (never from the current directory).
REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from fake_pipeline import FakePipeline  # noqa: E402


@pytest.fixture
def fake_pipeline() -> FakePipeline:
    return FakePipeline()
sys.path.insert(0, str(Path(__file__).resolve().parent))  # fake_jobs, importable in worker processes too
