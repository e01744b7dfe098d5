"""Requests generated from /openapi.json, valid and invalid: never a 5xx, never an undocumented answer.

Schemathesis drives the application in process (no socket), with the facilitator secret, a bounded
number of examples per operation so the whole run stays within a minute or so on CI.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.engine.clock import ManualClock
from app.main import create_app
from tests.api.conftest import SECRET, api_settings

EXAMPLES_PER_OPERATION = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _application() -> Any:
    folder = tempfile.TemporaryDirectory(prefix="hotline-fuzz-")
    configured = api_settings(Path(folder.name))
    configured.sign_in_failures = 1_000_000  # the fuzzer's missing-credentials probes must not lock it out
    app = create_app(configured, clock=ManualClock())
    app.state.folder = folder  # removed with the application
    return app


schemathesis.serializer.alias("application/x-ndjson", "text/plain")  # the import endpoint's JSONL body
APP = _application()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)  # this also starts the application


def _real_ids() -> dict[str, str]:
    """A running exercise and one of its seats, so generated requests reach past the 404s too."""
    headers = {"Authorization": f"Bearer {SECRET}"}
    base = f"http://{asgi.HOST}"
    with asgi.get_client(APP) as client:  # through the API, on the application's own event loop
        exercise = client.post(f"{base}/api/exercises", json={"scenario_id": "mini"}, headers=headers).json()
        start = {"type": "start", "id": "start"}
        client.post(f"{base}/api/exercises/{exercise['id']}/commands", json=start, headers=headers)
    return {"exercise_id": exercise["id"], "seat_id": exercise["seats"][0]["id"], "scenario_id": "mini"}


REAL = _real_ids()


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> st.SearchStrategy[Any]:
    if not path_parameters:
        return st.just(path_parameters)
    real = {name: REAL[name] for name in path_parameters if name in REAL}
    return st.sampled_from([path_parameters, {**path_parameters, **real}])


@pytest.fixture(scope="module", autouse=True)
def _stop_the_application() -> Iterator[None]:
    yield
    asgi.shutdown_lifespans()


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error_or_an_undocumented_answer(case: Any) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {SECRET}"}, checks=CHECKS)
