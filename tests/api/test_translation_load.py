"""Translations cannot starve the service: one gate bounds them, GET /v1/gloss is rate-limited per
address, and a full queue refuses a clip before translating it (real uvicorn, fake pipeline).

The fake pipeline's translation of a text with the word SLOWTEXT blocks until the test creates
<data dir>/release_translations (tests/fake_pipeline.py), so "slow" is decided by the test, not by
a clock: no bound below depends on how loaded the machine is, except the generous "at once" ones.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import httpx

from fake_pipeline import RELEASE_FILE
from fake_server import AUTH, EDITOR_AUTH, fake_server, rendered

SMALL = {"width": 64, "height": 48, "fps": 10}
FLOOD = 60  # translations admitted: 2 running + 58 waiting


def _slow_gloss(url: str, n: int) -> httpx.Response:
    # the API key: a CMS is not rate-limited, so only the gate decides here
    return httpx.get(f"{url}/v1/gloss", params={"text": f"SLOWTEXT {n}"}, headers=AUTH, timeout=120)


def wait_gate(url: str, running: int, waiting: int, timeout: float = 30) -> None:
    """Wait until /metrics says the translation gate holds `running` and `waiting` translations."""
    want = [f'signavatar_translations{{state="running"}} {running}',
            f'signavatar_translations{{state="waiting"}} {waiting}']
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = httpx.get(f"{url}/metrics", timeout=10).text
        if all(line in text.splitlines() for line in want):
            return
        time.sleep(0.05)
    raise AssertionError(f"the gate never held {running} running and {waiting} waiting: "
                         + " ".join(line for line in text.splitlines() if "translations{" in line))


def _elapsed(url: str, path: str) -> float:
    start = time.monotonic()
    r = httpx.get(url + path, timeout=30)
    assert r.status_code in (200, 404), r.text  # an unapproved clip's embed page is a 404 page
    return time.monotonic() - start


def test_a_flood_of_slow_translations_leaves_other_requests_fast_and_the_next_one_gets_503(tmp_path: Path) -> None:
    settings = {"translate_concurrency": 2, "translate_max_waiting": FLOOD - 2}
    with fake_server(tmp_path, **settings) as url, ThreadPoolExecutor(FLOOD + 1) as pool:
        cid = rendered(url, {"glosses": "HALLO", "options": SMALL})["id"]
        # FLOOD + 1 at once: whichever arrives last finds 2 running and 58 waiting, and gets 503
        futures: list[Future[httpx.Response]] = [pool.submit(_slow_gloss, url, n) for n in range(FLOOD + 1)]
        deadline = time.monotonic() + 30
        while sum(f.done() for f in futures) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        answered = [f.result() for f in futures if f.done()]
        assert len(answered) == 1, [r.status_code for r in answered]
        busy = answered[0]
        assert busy.status_code == 503, busy.text
        assert "busy translating" in busy.json()["detail"] and int(busy.headers["retry-after"]) >= 1
        assert busy.elapsed.total_seconds() < 5, "the 503 comes at once, without waiting for a place"

        # 60 translations held: the sync endpoints' threadpool and the event loop are still free
        for path in (f"/embed/{cid}", "/healthz", f"/v1/clips/{cid}/metadata.json", f"/v1/clips/{cid}"):
            times = [_elapsed(url, path) for _ in range(3)]
            assert max(times) < 1.0, (path, times)
        assert sum(f.done() for f in futures) == 1, "the held translations are still waiting"

        (tmp_path / RELEASE_FILE).touch()
        results = [f.result(timeout=60) for f in futures]
    assert sorted(r.status_code for r in results) == [200] * FLOOD + [503]
    assert {r.json()["glosses"][0]["gloss"] for r in results if r.status_code == 200} == {"SLOWTEXT"}


def test_every_translation_goes_through_the_one_gate(tmp_path: Path) -> None:
    """With one place and none waiting, a running translation makes every other one 503 (gloss,
    clip text, preview text), while a clip of glosses needs no translation and is queued."""
    with fake_server(tmp_path, translate_concurrency=1, translate_max_waiting=0) as url, \
            ThreadPoolExecutor(1) as pool, httpx.Client(base_url=url, headers=AUTH, timeout=30) as c:
        held = pool.submit(_slow_gloss, url, 0)
        wait_gate(url, running=1, waiting=0)  # the slow one holds the one place
        assert c.get("/v1/gloss", params={"text": "Hallo"}).status_code == 503
        clip = c.post("/v1/clips", json={"text": "Hallo Termin", "options": SMALL})
        assert clip.status_code == 503 and "busy translating" in clip.json()["detail"], clip.text
        preview = c.post("/v1/preview", json={"text": "Hallo Termin"})
        assert preview.status_code == 503 and preview.headers["retry-after"].isdigit(), preview.text
        assert c.post("/v1/clips", json={"glosses": "HALLO TERMIN", "options": SMALL}).status_code == 202
        (tmp_path / RELEASE_FILE).touch()
        assert held.result(timeout=60).status_code == 200
        assert c.get("/v1/gloss", params={"text": "Hallo"}).status_code == 200


def test_gloss_is_rate_limited_per_address_but_not_with_a_key(tmp_path: Path) -> None:
    with fake_server(tmp_path, gloss_rate_per_min=5) as url, httpx.Client(base_url=url, timeout=30) as c:
        for n in range(5):
            r = c.get("/v1/gloss", params={"text": f"Hallo {n}"})
            assert r.status_code == 200, (n, r.text)
        limited = c.get("/v1/gloss", params={"text": "Hallo"})
        assert limited.status_code == 429, limited.text
        assert "at most 5 a minute" in limited.json()["detail"]
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        # the address is the connection's: a client cannot pick another one with a header
        for forwarded in ({"X-Forwarded-For": "203.0.113.7"}, {"Forwarded": "for=203.0.113.8"},
                          {"X-Real-IP": "203.0.113.9"}):
            assert c.get("/v1/gloss", params={"text": "Hallo"}, headers=forwarded).status_code == 429
        for key in (AUTH, EDITOR_AUTH, {"X-API-Key": AUTH["Authorization"].split()[1]}):
            for _ in range(3):
                r = c.get("/v1/gloss", params={"text": "Hallo"}, headers=key)
                assert r.status_code == 200, (key, r.text)
        assert c.get("/v1/gloss", params={"text": "Hallo"}).status_code == 429, "keyed requests took no tokens"


def test_a_full_queue_refuses_a_clip_before_translating_its_text(tmp_path: Path) -> None:
    with fake_server(tmp_path, max_queue=1, workers=1) as url, httpx.Client(base_url=url, headers=AUTH) as c:
        slow = {"glosses": " ".join(["SLOW"] * 20), "options": SMALL}  # 120 frames, 0.1 s each
        assert c.post("/v1/clips", json=slow).status_code == 202
        # the translation of this text would block until release_translations exists (60 s)
        full = c.post("/v1/clips", json={"text": "SLOWTEXT Termin", "options": SMALL}, timeout=20)
        assert full.status_code == 429, full.text
        assert "queue is full" in full.json()["detail"] and int(full.headers["retry-after"]) >= 1
        assert full.elapsed.total_seconds() < 5, "refused before the translation started"
        (tmp_path / RELEASE_FILE).touch()


def test_public_translations_leave_half_the_waiting_room_to_keyed_ones(tmp_path: Path) -> None:
    """A flood of public GET /v1/gloss (no key) fills only half of the waiting places: the CMS's
    clip texts and keyed translations still get in."""
    settings = {"translate_concurrency": 1, "translate_max_waiting": 4, "gloss_rate_per_min": 1000}
    with fake_server(tmp_path, **settings) as url, ThreadPoolExecutor(8) as pool:
        def public(n: int) -> httpx.Response:
            return httpx.get(f"{url}/v1/gloss", params={"text": f"SLOWTEXT {n}"}, timeout=120)

        held = [pool.submit(public, n) for n in range(3)]  # 1 running + 2 waiting: the public half
        wait_gate(url, running=1, waiting=2)
        r = httpx.get(f"{url}/v1/gloss", params={"text": "Hallo"}, timeout=30)
        assert r.status_code == 503 and "2 waiting" in r.json()["detail"], r.text
        keyed = [pool.submit(_slow_gloss, url, n) for n in range(2)]  # the other half: keyed ones
        wait_gate(url, running=1, waiting=4)
        clip_text = httpx.post(f"{url}/v1/clips", json={"text": "SLOWTEXT Termin", "options": SMALL}, headers=AUTH,
                               timeout=30)
        assert clip_text.status_code == 503, "the gate is full now: 1 + 4"
        assert not any(f.done() for f in [*held, *keyed]), "a held translation ended or was refused"
        (tmp_path / RELEASE_FILE).touch()
        assert [f.result(timeout=60).status_code for f in [*held, *keyed]] == [200] * 5
