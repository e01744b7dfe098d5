"""REST for scenarios: the library, one scenario in full (control), uploads, and the JSON Schemas."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Message

from app.api.deps import Facilitator, ServicesDep
from app.api.errors import CODE_FOR_STATUS, documented
from app.api.guard import GuardedRoute
from app.realtime.protocol import protocol_json_schema
from app.scenario.library import ScenarioSummary
from app.scenario.loader import Problem, ScenarioInvalid
from app.scenario.schema import scenario_json_schema
from app.scenario.upload import (
    MAX_UPLOAD_BYTES,
    CheckedUpload,
    ProblemReport,
    ProblemsResponse,
    UnsupportedUpload,
    Upload,
    UploadConflict,
    UploadTooLarge,
    check_conflict,
    check_upload,
    store_upload,
    summary_of,
)
from app.services import Services

router = APIRouter(prefix="/api", tags=["scenarios"], route_class=GuardedRoute, responses=documented(400, 422))
_SIGNED_IN = documented(401, 429)

# Room for the multipart envelope and the form fields around a file of the largest size allowed.
_MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 64 * 1024
_FORM_FIELDS = ("into", "id", "title", "replace")
_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A scenario as YAML (the body itself, or the form field 'file'), or an MSEL spreadsheet "
        "(.xlsx or .csv) as the form field 'file' with the form field 'into'. At most 2 MB.",
        "content": {
            "application/yaml": {"schema": {"type": "string"}},
            "text/yaml": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": ".yaml, .yml, .xlsx or .csv"},
                        "into": {"type": "string", "description": "Spreadsheets: id of the scenario to import into."},
                        "id": {"type": "string", "description": "Spreadsheets: an id for the new scenario."},
                        "title": {"type": "string", "description": "Spreadsheets: a title for the new scenario."},
                        "replace": {"type": "boolean", "description": "Overwrite an earlier upload with this id."},
                    },
                }
            },
        },
    }
}
_REFUSALS: dict[int | str, dict[str, Any]] = {
    code: {"model": ProblemsResponse, "description": description}
    for code, description in (
        (status.HTTP_409_CONFLICT, "The id is a bundled scenario's, or an earlier upload's (without replace)."),
        (status.HTTP_413_CONTENT_TOO_LARGE, "The upload is over 2 MB."),
        (status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "Neither a scenario YAML nor an .xlsx or .csv spreadsheet."),
        (status.HTTP_422_UNPROCESSABLE_CONTENT, "The scenario is not valid; each problem with its line or cell."),
    )
}


def _refusal(code: int, detail: str, problems: list[Problem]) -> JSONResponse:
    reports = [ProblemReport.of(problem) for problem in problems]
    body = ProblemsResponse(detail=detail, code=CODE_FOR_STATUS[code], problems=reports)
    return JSONResponse(body.model_dump(), status_code=code)


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > _MAX_BODY_BYTES:
        raise UploadTooLarge(int(declared))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > _MAX_BODY_BYTES:
            raise UploadTooLarge(None)
    return bytes(body)


async def _read_form(request: Request, body: bytes) -> tuple[Upload, dict[str, str]]:
    """The file and the text fields of a multipart body that was already read, within the size limit."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    async with Request(request.scope, replay).form(max_files=1, max_fields=len(_FORM_FIELDS)) as form:
        file = form.get("file")
        if not isinstance(file, UploadFile):
            message = "send the scenario or the MSEL spreadsheet as the form field 'file'"
            raise ScenarioInvalid([Problem("upload", "file", None, message)])
        fields = {name: value for name in _FORM_FIELDS if isinstance(value := form.get(name), str) and value}
        return Upload(await file.read(), file.filename, file.content_type), fields


async def _read_upload(request: Request) -> tuple[Upload, bool]:
    """The uploaded file with its fields, and whether to replace an earlier upload.

    Fields come from the multipart form, or from the query string (for a YAML body, say).
    """
    body = await _read_body(request)
    fields = {name: request.query_params.get(name) or None for name in _FORM_FIELDS}
    content_type = request.headers.get("content-type")
    if (content_type or "").startswith("multipart/form-data"):
        upload, form_fields = await _read_form(request, body)
        fields.update(form_fields)
    else:
        upload = Upload(body, content_type=content_type)
    upload = replace(upload, into=fields["into"], new_id=fields["id"], new_title=fields["title"])
    return upload, (fields["replace"] or "").strip().lower() in ("1", "true", "yes", "on")


async def _checked(request: Request, services: Services) -> tuple[CheckedUpload, bool]:
    upload, replace_earlier = await _read_upload(request)
    checked = await run_in_threadpool(check_upload, upload, await services.scenarios())
    return checked, replace_earlier


def _refused(exc: Exception) -> JSONResponse:
    if isinstance(exc, ScenarioInvalid):
        count = len(exc.problems)
        return _refusal(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"The scenario has {count} problem{'s' if count != 1 else ''}; nothing was stored.",
            exc.problems,
        )
    code = {
        UploadTooLarge: status.HTTP_413_CONTENT_TOO_LARGE,
        UnsupportedUpload: status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
        UploadConflict: status.HTTP_409_CONFLICT,
    }[type(exc)]
    path = "id" if isinstance(exc, UploadConflict) else ""  # the field a facilitator changes to resolve a clash
    return _refusal(code, str(exc), [Problem("upload", path, None, str(exc))])


@router.get("/scenarios", response_model=list[ScenarioSummary], dependencies=[Facilitator], responses=_SIGNED_IN)
async def list_scenarios(services: ServicesDep) -> list[ScenarioSummary]:
    return (await services.scenarios()).list()


@router.post(
    "/scenarios",
    status_code=status.HTTP_201_CREATED,
    response_model=ScenarioSummary,
    dependencies=[Facilitator],
    responses={**_SIGNED_IN, **_REFUSALS},
    openapi_extra=_UPLOAD_BODY,
)
async def upload_scenario(request: Request, services: ServicesDep) -> Any:
    """Upload a scenario (YAML) or an MSEL spreadsheet for an existing scenario; stored only when valid.

    Form fields (or query parameters): ``into`` (spreadsheets), ``id`` and ``title`` (spreadsheets, optional),
    ``replace=true`` to overwrite an earlier upload with the same id. Bundled scenarios are never replaced.
    """
    try:
        checked, replace = await _checked(request, services)
        changes = await services.db.run(store_upload, checked, services.library, replace=replace)
    except (ScenarioInvalid, UploadTooLarge, UnsupportedUpload, UploadConflict) as exc:
        return _refused(exc)
    services.library.apply(changes)
    return services.library.summary(checked.scenario.id)


@router.post(
    "/scenarios/validate",
    response_model=ScenarioSummary,
    dependencies=[Facilitator],
    responses={**_SIGNED_IN, **_REFUSALS},
    openapi_extra=_UPLOAD_BODY,
)
async def validate_scenario(request: Request, services: ServicesDep) -> Any:
    """Check an upload exactly as ``POST /api/scenarios`` would, without storing it.

    200 with the summary it would have; 422 with its problems; 409 when storing it would clash with a
    bundled scenario or an earlier upload (so the console can say so before the facilitator clicks Upload).
    """
    try:
        checked, replace = await _checked(request, services)
        check_conflict(checked, services.library, replace=replace)
        return summary_of(checked)
    except (ScenarioInvalid, UploadTooLarge, UnsupportedUpload, UploadConflict) as exc:
        return _refused(exc)


@router.get("/scenarios/{scenario_id}", dependencies=[Facilitator], responses={**_SIGNED_IN, **documented(404)})
async def read_scenario(scenario_id: str, services: ServicesDep) -> dict[str, Any]:
    """The whole scenario, MSEL and controller notes included."""
    scenario = (await services.scenarios()).get(scenario_id)
    if scenario is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no scenario '{scenario_id}'.")
    return scenario.model_dump(mode="json")


@router.get("/schema/scenario")
async def scenario_schema() -> dict[str, Any]:
    """JSON Schema of the scenario format."""
    return scenario_json_schema()


@router.get("/schema/protocol")
async def protocol_schema() -> dict[str, Any]:
    """JSON Schema of every websocket message, both directions."""
    return protocol_json_schema()


@router.get("/health")
async def health(services: ServicesDep) -> dict[str, Any]:
    return {
        "status": "ok",
        "version": services.version,
        "process": services.process_name,
        "consoles": sum(len(room) for room in services.hub.rooms.values()),
        "exercises_loaded": len(services.manager.runtimes()),
        "exercises_owned": len(services.manager.owned()),
    }
