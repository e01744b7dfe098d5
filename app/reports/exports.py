"""The four export formats behind one name each, and the one-call HTML report for ``hotline demo``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from app.reports.assemble import build_report
from app.reports.model import Report
from app.reports.render_data import render_csv, render_json
from app.reports.render_html import render_html
from app.reports.render_markdown import render_markdown
from app.reports.source import from_log_file

ExportFormat = Literal["html", "md", "json", "csv"]
FORMATS: tuple[ExportFormat, ...] = ("html", "md", "json", "csv")
RENDERERS: dict[str, Callable[[Report], str]] = {
    "html": render_html,
    "md": render_markdown,
    "json": render_json,
    "csv": render_csv,
}
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}
FILE_SUFFIXES = {"html": "report.html", "md": "report.md", "json": "report.json", "csv": "events.csv"}


def render(report: Report, export_format: str) -> str:
    return RENDERERS[export_format](report)


def file_name(exercise_id: str, export_format: str) -> str:
    return f"{exercise_id}-{FILE_SUFFIXES[export_format]}"


def write_html_report(log_path: Path, out_dir: Path) -> Path:
    """Render the self-contained HTML report of a JSONL log into ``out_dir``; returns the file written."""
    report = build_report(from_log_file(log_path))
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{log_path.stem}-report.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path
