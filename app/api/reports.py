"""REST and pages for after-action reports: the report, its exports, the improvement plan, run comparison.

A report is read with the facilitator secret, an account's sign-in, or a reviewer link's key
(``X-Report-Key``); the improvement plan is written by facilitators only. Building a report is CPU work, so these
endpoints are plain functions that FastAPI runs off the event loop.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response, status
from fastapi.responses import FileResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials
from pydantic import BaseModel

from app.api.deps import Facilitator, ServicesDep, bearer, check_sign_in, exercise_row_now, identity_of
from app.api.errors import documented
from app.api.guard import GuardedRoute
from app.api.pages import static_dir
from app.limits import MAX_SEQ
from app.models import ExerciseRow
from app.reports.access import key_opens, report_key
from app.reports.assemble import build_report
from app.reports.charts import charts
from app.reports.compare import CompareError, Comparison, compare
from app.reports.exports import FORMATS, MEDIA_TYPES, ExportFormat, file_name, render
from app.reports.model import ImprovementItem, ImprovementItemIn, Report
from app.reports.plan import ImprovementPlan, ItemNotFound
from app.reports.source import ReportSource, SourceNotFound, from_database
from app.reports.vendor import PlotlyMissing, plotly_css, plotly_js_path, style_guard_script
from app.services import Services

router = APIRouter(tags=["reports"], route_class=GuardedRoute, responses=documented(400, 401, 422, 429))
report_key_header = APIKeyHeader(
    name="X-Report-Key", auto_error=False, description="The key of a reviewer link (read-only, one exercise)."
)
MAX_COMPARED_RUNS = 20
ItemId = Annotated[int, Path(ge=1, le=MAX_SEQ, description="The plan item's id.")]
VENDOR_CACHE = "public, max-age=86400"


def require_report_reader(
    exercise_id: str,
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    key: Annotated[str | None, Depends(report_key_header)],
) -> None:
    secret = services.secret.value

    def valid() -> bool | None:
        if credentials is None and not key:
            return None
        signed_in = credentials is not None and identity_of(services, credentials.credentials) is not None
        return signed_in or bool(key and key_opens(key, secret, exercise_id))

    if check_sign_in(request, services, valid, "facilitator secret or reviewer key"):
        return
    raise HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        "This report needs the facilitator secret or an account's token ('Authorization: Bearer …') "
        "or the key of a reviewer link ('X-Report-Key'); ask the facilitator for a reviewer link.",
        headers={"WWW-Authenticate": "Bearer"},
    )


ReportReader = Depends(require_report_reader)


class ReportView(BaseModel):
    report: Report
    charts: dict[str, Any]


class ReportStatus(BaseModel):
    exercise_id: str
    status: str
    last_seq: int
    final: bool


class ReviewerLink(BaseModel):
    url: str
    key: str


def _source(services: Services, exercise_id: str) -> ReportSource:
    try:
        return from_database(services.engine, exercise_id)
    except SourceNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None


def _row(services: Services, exercise_id: str) -> ExerciseRow:
    return exercise_row_now(services, exercise_id)


@contextmanager
def _rendering(services: Services, report_format: str) -> Iterator[None]:
    """Time the building and rendering of a report, for the report render time metric."""
    started = time.perf_counter()
    yield
    services.metrics.report_rendered(report_format, time.perf_counter() - started)


def _json(model: BaseModel) -> Response:
    # Serialised directly: validating a 10,000-event report again on the way out would double the time.
    return Response(model.model_dump_json(), media_type="application/json")


@router.get(
    "/api/exercises/{exercise_id}/report",
    dependencies=[ReportReader],
    responses={200: {"model": Report}, **documented(404)},
    response_class=Response,
)
def read_report(exercise_id: str, services: ServicesDep) -> Response:
    """The after-action report as data (the same as the JSON export)."""
    with _rendering(services, "data"):
        return _json(build_report(_source(services, exercise_id)))


@router.get(
    "/api/exercises/{exercise_id}/report/view",
    dependencies=[ReportReader],
    responses={200: {"model": ReportView}, **documented(404)},
    response_class=Response,
)
def read_report_view(exercise_id: str, services: ServicesDep) -> Response:
    """The report and its plotly figures, for the report page."""
    with _rendering(services, "page"):
        report = build_report(_source(services, exercise_id))
        return _json(ReportView(report=report, charts=charts(report)))


@router.get(
    "/api/exercises/{exercise_id}/report/status",
    dependencies=[ReportReader],
    response_model=ReportStatus,
    responses=documented(404),
)
def read_report_status(exercise_id: str, services: ServicesDep) -> ReportStatus:
    """Cheap to poll: the page fetches the report again only when ``last_seq`` moves."""
    row = _row(services, exercise_id)
    return ReportStatus(
        exercise_id=exercise_id,
        status=row.status,
        last_seq=services.manager.store.last_seq(exercise_id),
        final=row.status == "ended",
    )


@router.get(
    "/api/exercises/{exercise_id}/report/export",
    dependencies=[ReportReader],
    response_class=Response,
    responses=documented(404, 503),
)
def export_report(
    exercise_id: str,
    services: ServicesDep,
    export_format: Annotated[ExportFormat, Query(alias="format", description=f"One of {', '.join(FORMATS)}.")],
) -> Response:
    """Download the report: self-contained HTML, Markdown, JSON, or a CSV of the events."""
    with _rendering(services, export_format):
        report = build_report(_source(services, exercise_id))
        try:
            body = render(report, export_format)
        except PlotlyMissing as exc:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from None
    name = file_name(exercise_id, export_format)
    return Response(
        body,
        media_type=MEDIA_TYPES[export_format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/api/exercises/{exercise_id}/report/link",
    dependencies=[Facilitator],
    response_model=ReviewerLink,
    responses=documented(404),
)
def reviewer_link(exercise_id: str, services: ServicesDep) -> ReviewerLink:
    """A read-only link to this exercise's report for reviewers; changing the facilitator secret revokes it."""
    _row(services, exercise_id)
    key = report_key(services.secret.value, exercise_id)
    return ReviewerLink(url=f"{services.settings.base_url()}/report/{exercise_id}#key={key}", key=key)


# --- improvement plan ---


@router.get(
    "/api/exercises/{exercise_id}/improvement-plan",
    dependencies=[ReportReader],
    response_model=list[ImprovementItem],
    responses=documented(404),
)
def list_plan(exercise_id: str, services: ServicesDep) -> list[ImprovementItem]:
    _row(services, exercise_id)
    return ImprovementPlan(services.engine).items(exercise_id)


@router.post(
    "/api/exercises/{exercise_id}/improvement-plan",
    dependencies=[Facilitator],
    response_model=ImprovementItem,
    status_code=status.HTTP_201_CREATED,
    responses=documented(404, 413),
)
def add_plan_item(exercise_id: str, body: ImprovementItemIn, services: ServicesDep) -> ImprovementItem:
    _row(services, exercise_id)
    return ImprovementPlan(services.engine).add(exercise_id, body)


@router.put(
    "/api/exercises/{exercise_id}/improvement-plan/{item_id}",
    dependencies=[Facilitator],
    response_model=ImprovementItem,
    responses=documented(404, 413),
)
def update_plan_item(
    exercise_id: str, item_id: ItemId, body: ImprovementItemIn, services: ServicesDep
) -> ImprovementItem:
    try:
        return ImprovementPlan(services.engine).update(exercise_id, item_id, body)
    except ItemNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no plan item {item_id} in this exercise.") from None


@router.delete(
    "/api/exercises/{exercise_id}/improvement-plan/{item_id}",
    dependencies=[Facilitator],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=documented(404),
)
def delete_plan_item(exercise_id: str, item_id: ItemId, services: ServicesDep) -> Response:
    try:
        ImprovementPlan(services.engine).delete(exercise_id, item_id)
    except ItemNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no plan item {item_id} in this exercise.") from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- comparison of runs ---


@router.get("/api/reports/compare", dependencies=[Facilitator], response_model=Comparison, responses=documented(404))
def compare_runs(
    services: ServicesDep,
    scenario: Annotated[str | None, Query(description="Compare every run of this scenario (oldest first).")] = None,
    exercise: Annotated[list[str] | None, Query(description="Or: these exercises, in this order.")] = None,
) -> Comparison:
    """Runs of one scenario side by side; differences are against the first run."""
    if exercise:
        ids = exercise
    elif scenario:
        rows = sorted(
            (row for row in services.manager.rows_now() if row.scenario_id == scenario), key=lambda row: row.created_at
        )
        ids = [row.id for row in rows][-MAX_COMPARED_RUNS:]
    else:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Give ?scenario=ID or two or more ?exercise=ID.")
    if len(ids) > MAX_COMPARED_RUNS:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"Compare at most {MAX_COMPARED_RUNS} runs at once.")
    try:
        return compare([_source(services, exercise_id) for exercise_id in ids])
    except CompareError as exc:
        message = str(exc)
        if scenario and not exercise:
            message += f" The scenario '{scenario}' has {len(ids)} run(s) in this database."
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, message) from None


# --- pages and plotly.js ---


def _report_page(name: str) -> FileResponse:
    path = static_dir() / "report" / name
    if not path.is_file():
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"The page report/{name} is missing from this installation.")
    return FileResponse(path, media_type="text/html")


@router.get("/report/compare", include_in_schema=False)
def compare_page() -> FileResponse:
    return _report_page("compare.html")


@router.get("/report/{exercise_id}", include_in_schema=False)
def report_page(exercise_id: str) -> FileResponse:
    return _report_page("report.html")


@router.get("/static-vendor/plotly.min.js", include_in_schema=False)
def plotly_bundle() -> FileResponse:
    try:
        path = plotly_js_path()
    except PlotlyMissing as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": VENDOR_CACHE})


@router.get("/static-vendor/plotly.css", include_in_schema=False)
def plotly_stylesheet() -> Response:
    try:
        return Response(plotly_css(), media_type="text/css", headers={"Cache-Control": VENDOR_CACHE})
    except PlotlyMissing as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None


@router.get("/static-vendor/plotly-guards.js", include_in_schema=False)
def plotly_guards() -> Response:
    try:
        return Response(style_guard_script(), media_type="text/javascript", headers={"Cache-Control": VENDOR_CACHE})
    except PlotlyMissing as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
