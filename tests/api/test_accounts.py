"""Named accounts over REST: sign in, act under one's own name, and no more than one's role allows."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from app.accounts.store import create_account, set_disabled, set_password
from tests.api.conftest import Api

PASSWORD = "a long enough password"


def make(api: Api, name: str, role: str = "facilitator") -> None:
    create_account(api.services.db.engine, name, role, PASSWORD, time.time())  # type: ignore[arg-type]


async def sign_in(api: Api, name: str, password: str = PASSWORD) -> httpx.Response:
    return await api.http.post("/api/sign-in", json={"name": name, "password": password}, headers={})


async def token_of(api: Api, name: str) -> dict[str, str]:
    response = await sign_in(api, name)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def who(actor: dict[str, Any]) -> tuple[str, str | None]:
    return actor["kind"], actor.get("account")


async def events(api: Api, exercise_id: str) -> list[dict[str, Any]]:
    return list((await api.http.get(f"/api/exercises/{exercise_id}/events")).json())


async def test_a_facilitator_account_runs_an_exercise_and_the_log_names_it(api: Api) -> None:
    make(api, "alice")
    alice = await token_of(api, "alice")
    assert (await api.http.get("/api/whoami", headers=alice)).json() == {
        "name": "alice",
        "role": "facilitator",
        "label": "alice",
    }
    created = await api.http.post("/api/exercises", json={"scenario_id": "mini"}, headers=alice)
    assert created.status_code == 201, created.text
    exercise_id = created.json()["id"]
    started = await api.http.post(
        f"/api/exercises/{exercise_id}/commands", json={"type": "start", "id": "go"}, headers=alice
    )
    assert started.status_code == 200, started.text

    by_type = {event["type"]: event["actor"] for event in await events(api, exercise_id)}
    for kind in ("exercise_created", "seat_issued", "lobby_opened", "exercise_started"):
        assert who(by_type[kind]) == ("facilitator", "alice"), kind
    # The shared secret keeps working beside accounts, and its actions name no account.
    await api.http.post(f"/api/exercises/{exercise_id}/commands", json={"type": "pause", "id": "p"})
    paused = [event for event in await events(api, exercise_id) if event["type"] == "exercise_paused"]
    assert who(paused[0]["actor"]) == ("facilitator", None)


async def test_an_evaluator_reads_and_rates_but_cannot_run_the_exercise(api: Api) -> None:
    make(api, "bob", "evaluator")
    bob = await token_of(api, "bob")
    exercise_id = (await api.http.post("/api/exercises", json={"scenario_id": "mini"})).json()["id"]

    assert (await api.http.get(f"/api/exercises/{exercise_id}", headers=bob)).status_code == 200
    refused = await api.http.post("/api/exercises", json={"scenario_id": "mini"}, headers=bob)
    assert refused.status_code == 403
    assert "evaluator account" in refused.json()["detail"]
    commands = f"/api/exercises/{exercise_id}/commands"
    start = await api.http.post(commands, json={"type": "start", "id": "s"}, headers=bob)
    assert start.status_code == 403
    assert (await api.http.get(f"/api/exercises/{exercise_id}/report", headers=bob)).status_code == 200

    note = {"type": "add_observation", "id": "o1", "text": "Blue waited for facts before moving."}
    observed = await api.http.post(f"/api/exercises/{exercise_id}/commands", json=note, headers=bob)
    assert observed.status_code == 200, observed.text
    recorded = [event for event in await events(api, exercise_id) if event["type"] == "observation_added"]
    assert who(recorded[0]["actor"]) == ("observer", "bob")
    assert recorded[0]["payload"]["author"] == "bob"
    assert not any(event["type"] == "exercise_started" for event in await events(api, exercise_id))


@pytest.mark.parametrize(("name", "password"), [("alice", "not the password"), ("nobody", PASSWORD)])
async def test_a_wrong_name_or_password_is_refused_alike(api: Api, name: str, password: str) -> None:
    make(api, "alice")
    refused = await sign_in(api, name, password)
    assert refused.status_code == 401
    assert refused.json()["detail"].startswith("Wrong account name or password")


async def test_a_session_ends_on_sign_out_password_change_or_disabling(api: Api) -> None:
    make(api, "alice")
    engine = api.services.db.engine

    first = await token_of(api, "alice")
    assert (await api.http.post("/api/sign-out", headers=first)).status_code == 204
    assert (await api.http.get("/api/whoami", headers=first)).status_code == 401

    second = await token_of(api, "alice")
    set_password(engine, "alice", "another long password")
    assert (await api.http.get("/api/whoami", headers=second)).status_code == 401
    assert (await sign_in(api, "alice")).status_code == 401

    fresh = await sign_in(api, "alice", "another long password")
    assert fresh.status_code == 200
    set_disabled(engine, "alice", True, time.time())
    disabled = {"Authorization": f"Bearer {fresh.json()['token']}"}
    assert (await api.http.get("/api/whoami", headers=disabled)).status_code == 401
    assert (await sign_in(api, "alice", "another long password")).status_code == 401
