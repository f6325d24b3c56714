"""POST /v1/memory and GET /v1/memory on a real uvicorn process with the fake pipeline
(its lexicon: upper-case glosses)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    sys.path.insert(0, str(REPO / "tests"))
    from fake_server import EDITOR_AUTH, fake_server

    # the translation memory is the editors': POST /v1/memory needs the editor key, and only it
    # sees who approved an entry and the comment
    with fake_server(tmp_path_factory.mktemp("data")) as url, \
            httpx.Client(base_url=url, timeout=10, headers=EDITOR_AUTH) as c:
        yield c


def test_approve_then_look_up(client: httpx.Client) -> None:
    body = {"text": "Ich brauche einen Termin.", "glosses": "TERMIN ICH BRAUCHEN", "editor": "anna", "comment": "order"}
    done = client.post("/v1/memory", json=body)
    assert done.status_code == 201, done.text
    assert done.json()["glosses"] == "TERMIN ICH BRAUCHEN" and done.json()["approved_by"] == "anna"
    found = client.get("/v1/memory", params={"text": "ich brauche einen termin"})
    assert found.status_code == 200
    entry = found.json()
    assert (entry["match"], entry["glosses"], entry["comment"]) == ("exact", "TERMIN ICH BRAUCHEN", "order")
    fuzzy = client.get("/v1/memory", params={"text": "Ich brauche den Termin."}).json()
    assert fuzzy["match"] == "fuzzy" and 0 < fuzzy["similarity"] < 1
    public = httpx.get(str(client.base_url.join("/v1/memory")), params={"text": "ich brauche einen termin"}, timeout=10)
    assert public.status_code == 200 and public.json()["glosses"] == "TERMIN ICH BRAUCHEN"
    assert "approved_by" not in public.json() and "comment" not in public.json() and "anna" not in public.text


def test_look_up_missing_is_404(client: httpx.Client) -> None:
    missing = client.get("/v1/memory", params={"text": "Guten Abend"})
    assert missing.status_code == 404 and "no approved glosses" in missing.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"text": "Hallo", "glosses": "hallo", "editor": "anna"}, 400),  # the fake lexicon wants upper case
        ({"text": "Hallo", "glosses": "HALLO"}, 422),
        ({"text": "Hallo", "glosses": "HALLO", "editor": "anna", "extra": 1}, 422),
        ({"text": " ", "glosses": "HALLO", "editor": "anna"}, 400),
    ],
)
def test_bad_approvals(client: httpx.Client, body: dict[str, object], status: int) -> None:
    done = client.post("/v1/memory", json=body)
    assert done.status_code == status and done.json()["detail"]
    assert client.get("/v1/memory", params={"text": "Hallo"}).status_code == 404  # nothing stored
