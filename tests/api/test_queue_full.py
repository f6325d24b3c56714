"""A full job queue answers 429 with Retry-After at once (real uvicorn, fake pipeline)."""

from pathlib import Path

import httpx

from fake_server import AUTH, fake_server

SMALL = {"width": 64, "height": 48, "fps": 10}


def test_full_queue_answers_429_with_retry_after_and_a_message(tmp_path: Path) -> None:
    with fake_server(tmp_path, max_queue=1, workers=1) as url, httpx.Client(base_url=url, headers=AUTH) as c:
        slow = {"glosses": "SLOW SLOW", "options": SMALL}  # 12 frames, 0.1 s each
        first = c.post("/v1/clips", json=slow)
        assert first.status_code == 202, first.text
        full = c.post("/v1/clips", json={"glosses": "HALLO", "options": SMALL})
        assert full.status_code == 429, full.text
        assert full.headers["retry-after"].isdigit() and int(full.headers["retry-after"]) >= 1
        assert "queue is full" in full.json()["detail"] and full.elapsed.total_seconds() < 1
        again = c.post("/v1/clips", json=slow)  # the job already queued is not a new one
        assert again.status_code == 202 and again.json()["id"] == first.json()["id"]
