"""The review workflow against the real app under uvicorn (fake pipeline): approve, reject, the audit
log, the public embed gate, and the approved correction reused by the `signavatar gloss` console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fake_server import AUTH, EDITOR_AUTH, fake_server, rendered

OPTS = {"width": 64, "height": 48, "fps": 10}
SENTENCE = "Ich brauche einen Termin."
CORRECTED = "TERMIN ICH BRAUCHEN"  # the rules translate SENTENCE as ICH TERMIN BRAUCHEN
CONSOLE_SCRIPT = Path(sys.executable).with_name("signavatar")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(base URL, data dir) of a service of this module's own, so the CLI can read its memory."""
    data = tmp_path_factory.mktemp("review-data")
    with fake_server(data) as url:
        yield url, data


def done(url: str, body: dict[str, Any]) -> dict[str, Any]:
    info = rendered(url, body)
    assert info["status"] == "done", info
    return info


def test_a_draft_is_not_public_until_approved(service: tuple[str, Path]) -> None:
    url, _ = service
    info = done(url, {"glosses": "WANN KOMMEN", "source_text": "Wann kommt er?", "options": OPTS})
    cid = info["id"]
    assert info["review_state"] == "draft"
    r = httpx.get(f"{url}/embed/{cid}")
    assert r.status_code == 404 and "noch nicht freigegeben" in r.text and "<video" not in r.text
    assert httpx.get(f"{url}/v1/clips/{cid}/reviews", headers=EDITOR_AUTH).json() == {
        "id": cid, "review_state": "draft", "entries": []}

    body = {"editor": "Anna Beispiel", "comment": "Reihenfolge korrigiert"}
    assert httpx.post(f"{url}/v1/clips/{cid}/approve", json=body).status_code == 401
    r = httpx.post(f"{url}/v1/clips/{cid}/approve", json=body, headers=EDITOR_AUTH)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["id"] == cid and out["review_state"] == "approved" and out["editor"] == "Anna Beispiel"
    assert out["comment"] == "Reihenfolge korrigiert" and out["time"].endswith("+00:00")
    assert out["memory"] == {"text": "Wann kommt er?", "glosses": "WANN KOMMEN"}

    status = httpx.get(f"{url}/v1/clips/{cid}").json()
    assert status["review_state"] == "approved" and status["machine_generated"] is True
    assert "approved by an editor" in status["notice"] and "Anna" not in json.dumps(status)
    page = httpx.get(f"{url}/embed/{cid}")
    assert page.status_code == 200 and "<video" in page.text
    day = out["time"][:10].split("-")
    label = f"Maschinell erzeugt</strong> – Gebärdensprach-Avatar (Glossen geprüft und freigegeben am " \
            f"{day[2]}.{day[1]}.{day[0]})"
    assert label in page.text and "Anna" not in page.text
    meta = httpx.get(f"{url}/v1/clips/{cid}/metadata.json").json()
    assert meta["review_state"] == "approved" and meta["source_text"] == "Wann kommt er?"
    assert meta["request"]["source_text"] == "Wann kommt er?"
    assert meta["review"] == {"action": "approved", "time": out["time"]}
    assert "Anna" not in json.dumps(meta) and "Reihenfolge" not in json.dumps(meta)


def test_reject_needs_a_reason_and_keeps_it_in_the_audit_log(service: tuple[str, Path]) -> None:
    url, _ = service
    cid = done(url, {"glosses": "TERMIN ABSAGEN", "options": OPTS})["id"]
    r = httpx.post(f"{url}/v1/clips/{cid}/reject", json={"editor": "Ben"}, headers=EDITOR_AUTH)
    assert r.status_code == 422 and "reason" in r.json()["detail"]
    r = httpx.post(f"{url}/v1/clips/{cid}/reject", json={"editor": "Ben", "reason": "   "}, headers=EDITOR_AUTH)
    assert r.status_code == 400 and "reason" in r.json()["detail"]
    assert httpx.post(f"{url}/v1/clips/{cid}/reject", json={"editor": "Ben", "reason": "x"}).status_code == 401

    reason = "ABSAGEN ist hier die falsche Gebärde"
    r = httpx.post(f"{url}/v1/clips/{cid}/reject", json={"editor": "Ben", "reason": reason}, headers=EDITOR_AUTH)
    assert r.status_code == 200 and r.json()["review_state"] == "rejected" and r.json()["reason"] == reason
    assert httpx.get(f"{url}/v1/clips/{cid}").json()["review_state"] == "rejected"
    page = httpx.get(f"{url}/embed/{cid}")
    assert page.status_code == 404 and "abgelehnt" in page.text and "<video" not in page.text

    # A later approval supersedes the rejection; the log keeps both, oldest first.
    r = httpx.post(f"{url}/v1/clips/{cid}/approve", json={"editor": "Cem"}, headers=EDITOR_AUTH)
    assert r.status_code == 200 and r.json()["memory"] is None  # glosses alone: no sentence to remember
    log = httpx.get(f"{url}/v1/clips/{cid}/reviews", headers=EDITOR_AUTH).json()
    assert log["review_state"] == "approved"
    assert [(e["action"], e["editor"]) for e in log["entries"]] == [("rejected", "Ben"), ("approved", "Cem")]
    assert log["entries"][0]["reason"] == reason and log["entries"][1]["comment"] == ""
    assert httpx.get(f"{url}/embed/{cid}").status_code == 200


def test_unknown_invalid_and_unfinished_clips(service: tuple[str, Path]) -> None:
    url, _ = service
    unknown = "0" * 32
    for path, body in (("approve", {"editor": "A"}), ("reject", {"editor": "A", "reason": "r"})):
        r = httpx.post(f"{url}/v1/clips/{unknown}/{path}", json=body, headers=EDITOR_AUTH)
        assert r.status_code == 404 and "no clip" in r.json()["detail"]
        assert httpx.post(f"{url}/v1/clips/nothex/{path}", json=body, headers=EDITOR_AUTH).status_code == 400
    assert httpx.get(f"{url}/v1/clips/{unknown}/reviews", headers=EDITOR_AUTH).status_code == 404
    r = httpx.post(f"{url}/v1/clips/{'a' * 32}/approve", json={"editor": ""}, headers=EDITOR_AUTH)
    assert r.status_code == 422
    # Still rendering (SLOW draws each frame in 0.1 s): nothing to review yet.
    cid = httpx.post(f"{url}/v1/clips", json={"glosses": "SLOW SLOW", "options": OPTS}, headers=AUTH).json()["id"]
    r = httpx.post(f"{url}/v1/clips/{cid}/approve", json={"editor": "A"}, headers=EDITOR_AUTH)
    assert r.status_code == 409 and "not rendered yet" in r.json()["detail"]
    assert httpx.get(f"{url}/v1/clips/{cid}").json()["review_state"] == "draft"


def test_source_text_is_part_of_the_clip_id_and_goes_with_glosses_only(service: tuple[str, Path]) -> None:
    url, _ = service

    def post(body: dict[str, Any]) -> httpx.Response:
        return httpx.post(f"{url}/v1/clips", json={**body, "options": OPTS}, headers=AUTH)

    plain = post({"glosses": "TERMIN"}).json()["id"]
    a = post({"glosses": "TERMIN", "source_text": "Termin?"}).json()["id"]
    b = post({"glosses": "TERMIN", "source_text": "  Termin? "}).json()["id"]
    assert a == b != plain
    r = post({"text": "Termin", "source_text": "Termin"})
    assert r.status_code == 400 and "source_text goes with glosses" in r.json()["detail"]


def test_approved_correction_is_reused_by_signavatar_gloss(service: tuple[str, Path]) -> None:
    """Acceptance: the editor's corrected glosses come back from the console script for the sentence."""
    url, data = service

    def gloss_cli() -> str:
        env = {**os.environ, "SIGNAVATAR_DATA_DIR": str(data)}
        run = subprocess.run([str(CONSOLE_SCRIPT), "gloss", SENTENCE], env=env, capture_output=True, text=True,
                             timeout=60)
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert gloss_cli() == "ICH TERMIN BRAUCHEN"
    cid = done(url, {"glosses": CORRECTED, "source_text": SENTENCE, "options": OPTS})["id"]
    r = httpx.post(f"{url}/v1/clips/{cid}/approve", json={"editor": "Anna", "comment": "Zeit zuerst"},
                   headers=EDITOR_AUTH)
    assert r.status_code == 200, r.text
    assert gloss_cli() == CORRECTED
    assert httpx.get(f"{url}/v1/memory", params={"text": SENTENCE}, headers=EDITOR_AUTH).json()["approved_by"] == "Anna"


def test_rejecting_an_approved_clip_withdraws_its_glosses_from_the_memory(service: tuple[str, Path]) -> None:
    url, _ = service
    sentence = "Wo ist das Bürgeramt?"
    cid = done(url, {"glosses": "BÜRGERAMT WO", "source_text": sentence, "options": OPTS})["id"]
    assert httpx.post(f"{url}/v1/clips/{cid}/approve", json={"editor": "Anna"}, headers=EDITOR_AUTH).status_code == 200
    assert httpx.get(f"{url}/v1/memory", params={"text": sentence}).status_code == 200
    r = httpx.post(f"{url}/v1/clips/{cid}/reject", json={"editor": "Ben", "reason": "WO fehlt die Mimik"},
                   headers=EDITOR_AUTH)
    assert r.status_code == 200 and r.json()["memory_withdrawn"] is True
    assert httpx.get(f"{url}/v1/memory", params={"text": sentence}).status_code == 404
    other = done(url, {"glosses": "WO BÜRGERAMT", "source_text": sentence, "options": OPTS})["id"]
    assert httpx.post(f"{url}/v1/clips/{other}/approve", json={"editor": "Ben"}, headers=EDITOR_AUTH).status_code == 200
    again = httpx.post(f"{url}/v1/clips/{cid}/reject", json={"editor": "Ben", "reason": "noch einmal"},
                       headers=EDITOR_AUTH)
    assert again.json()["memory_withdrawn"] is False, "another clip's correction of the sentence stays"
    assert httpx.get(f"{url}/v1/memory", params={"text": sentence}).json()["glosses"] == "WO BÜRGERAMT"
