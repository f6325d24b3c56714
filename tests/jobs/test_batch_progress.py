"""The batch progress line: done/total, clips per minute, ETA; redrawn on a TTY, periodic otherwise."""

import io

from signavatar.jobs.batch_progress import BatchProgress, format_eta


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_rate_and_eta_count_rendered_clips() -> None:
    clock, out = Clock(), io.StringIO()
    bar = BatchProgress(10, stream=out, tty=False, every_s=100.0, clock=clock)
    bar.update(1, 10, {"status": "skipped"})
    clock.now = 30.0
    bar.update(2, 10, {"status": "done"})
    clock.now = 60.0
    bar.update(3, 10, {"status": "done"})
    assert bar.per_minute() == 2.0 and bar.eta_s() == 7 * 30.0
    assert "3/10, 2.0 clips/min, ETA 03:30" in bar.line()
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and "1/10" in lines[0]  # periodic: the first line, the next only after every_s
    bar.update(10, 10, {"status": "failed"})
    assert out.getvalue().splitlines()[-1].startswith("[########################] 10/10, 1 failed")


def test_tty_redraws_one_line() -> None:
    out = io.StringIO()
    bar = BatchProgress(2, stream=out, tty=True, clock=Clock())
    bar.update(1, 2, {"status": "done"})
    bar.update(2, 2, {"status": "done"})
    bar.close()
    assert out.getvalue().count("\r") == 2 and out.getvalue().count("\n") == 1


def test_format_eta() -> None:
    assert (format_eta(None), format_eta(65), format_eta(3725)) == ("--:--", "01:05", "1:02:05")
