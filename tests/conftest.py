"""Fixtures every test directory may use (the real avatar and lexicon, loaded once per session),
and the rule that under CI nothing is skipped quietly.

Browser, Redis, Celery, node and the other components some tests need are skipped on a developer's
machine that lacks them. Under CI (the environment variable CI set to true, as .ci/run's caller sets
it) the setup must have installed every one of them, so there a skipped test - at collection
(importorskip) or while it runs - fails the run, naming what was missing. A test that may rightly
be skipped anywhere says so with `@pytest.mark.optional("why")`.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

from signavatar.avatar.rig import Avatar, load_avatar
from signavatar.lexicon import Lexicon, load_lexicon


@pytest.fixture(scope="session")
def avatar() -> Avatar:
    return load_avatar()


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return load_lexicon()


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "optional(reason): may be skipped even under CI, for the reason given")


def _fail_skip(report: pytest.CollectReport | pytest.TestReport, what: str) -> None:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (
        f"{what} was skipped under CI ({reason}): a required component is missing; the setup "
        "(scripts/setup.sh, scripts/setup-system.sh) must install it, or mark the test optional with its reason"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, pytest.CollectReport, None]:
    outcome = yield
    report = outcome.get_result()
    if report.skipped and under_ci():
        _fail_skip(report, collector.nodeid or "a test module")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None],
) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report = outcome.get_result()
    optional = item.get_closest_marker("optional") is not None
    if report.skipped and under_ci() and not optional and not hasattr(report, "wasxfail"):
        _fail_skip(report, item.nodeid)
