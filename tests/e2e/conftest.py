import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from fake_pipeline import FakePipeline  # noqa: E402
from real_server import real_service  # noqa: E402


@pytest.fixture
def fake_factory():  # type: ignore[no-untyped-def]
    """A pipeline factory for signavatar.cli.main that records the pipelines it made."""
    made: list[FakePipeline] = []

    def factory(settings: object) -> FakePipeline:
        made.append(FakePipeline(settings))
        return made[-1]

    factory.made = made  # type: ignore[attr-defined]
    return factory


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `signavatar serve` (real pipeline, the test API key) of the test module's own."""
    with real_service(tmp_path_factory.mktemp("service")) as url:
        yield url
