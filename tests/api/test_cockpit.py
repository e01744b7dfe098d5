"""The cockpit's REST: the jump preview, seat cards with server-made QR codes, archive and delete."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api


async def _exercise(api: Api) -> dict[str, Any]:
    response = await api.http.post("/api/exercises", json={"scenario_id": "mini", "compression": 1})
    assert response.status_code == 201
    return dict(response.json())


async def _command(api: Api, exercise_id: str, kind: str, **fields: Any) -> int:
    body = {"type": kind, "id": f"{kind}-{len(fields)}-{sorted(fields)}", **fields}
    return (await api.http.post(f"/api/exercises/{exercise_id}/commands", json=body)).status_code


async def test_the_jump_preview_names_the_injects_and_warns_past_endex(api: Api) -> None:
    exercise = await _exercise(api)
    await _command(api, exercise["id"], "start")
    preview = (await api.http.get(f"/api/exercises/{exercise['id']}/jump-preview", params={"to": "T+02:30"})).json()
    assert [inject["id"] for inject in preview["injects"]] == ["I2", "I3"]
    assert preview["past_endex"] is False
    far = (await api.http.get(f"/api/exercises/{exercise['id']}/jump-preview", params={"by": "D+9"})).json()
    assert far["past_endex"] is True and far["endex"] == 24 * 3600
    bad = await api.http.get(f"/api/exercises/{exercise['id']}/jump-preview", params={"to": "soon"})
    assert bad.status_code == 422
    assert "to:" in bad.json()["detail"]


async def test_seat_cards_carry_a_qr_code_for_live_links_only(api: Api) -> None:
    exercise = await _exercise(api)
    links = [seat["url"] for seat in exercise["seats"][:2]]
    cards = (await api.http.post(f"/api/exercises/{exercise['id']}/seat-cards", json={"links": links})).json()
    assert [card["url"] for card in cards] == links
    assert cards[0]["label"] == "Washington — whole team"
    assert cards[0]["qr_svg"].startswith("<svg") and "<script" not in cards[0]["qr_svg"]

    forged = links[0].rsplit("=", 1)[0] + "=not-a-real-token"
    refused = await api.http.post(f"/api/exercises/{exercise['id']}/seat-cards", json={"links": [forged]})
    assert refused.status_code == 422
    elsewhere = await api.http.post(
        f"/api/exercises/{exercise['id']}/seat-cards", json={"links": ["https://example.org/anything"]}
    )
    assert elsewhere.status_code == 422


async def test_only_an_ended_exercise_is_archived_or_deleted(api: Api) -> None:
    exercise = await _exercise(api)
    exercise_id = exercise["id"]
    refused = await api.http.delete(f"/api/exercises/{exercise_id}")
    assert refused.status_code == 409
    assert "Only an ended exercise" in refused.json()["detail"]
    assert await _command(api, exercise_id, "end") == 200
    archived = await api.http.post(f"/api/exercises/{exercise_id}/archive", json={"archived": True})
    assert archived.json()["archived"] is True
    listed = (await api.http.get("/api/exercises")).json()
    assert [row["archived"] for row in listed if row["id"] == exercise_id] == [True]
    assert (await api.http.delete(f"/api/exercises/{exercise_id}")).status_code == 204
    assert (await api.http.get(f"/api/exercises/{exercise_id}")).status_code == 404
    assert (await api.http.get(f"/api/exercises/{exercise_id}/events")).status_code == 404
