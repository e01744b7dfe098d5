"""The self-contained HTML report prints to a clean PDF: sections on their own pages, charts sized to fit."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from pypdf import PdfReader

from app.reports.assemble import build_report
from app.reports.render_html import render_html
from tests.reports.browser import watch
from tests.reports.conftest import PAUSE_REASON, KnownLog

pytestmark = pytest.mark.browser

A4_WIDTH_POINTS = 595


def test_html_report_prints_to_pdf_with_every_section(chromium: Browser, known: KnownLog, tmp_path: Path) -> None:
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(build_report(known.source())), encoding="utf-8")
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    problems = watch(page)
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-ready='yes']", state="attached")
    assert page.locator("#timeline-chart .main-svg").count() > 0  # plotly drew, offline, from the inlined bundle
    page.emulate_media(media="print")
    page.wait_for_selector("#timeline-chart[data-fitted='print']", state="attached")
    assert page.locator(".toc").is_hidden() and page.locator("#event-filters").is_hidden()
    width = page.eval_on_selector("#timeline-chart .main-svg", "svg => svg.getBoundingClientRect().width")
    assert width <= 700  # fits the A4 text width (180 mm)
    pdf = page.pdf(format="A4", print_background=True)
    page.close()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 5  # overview, objectives, score card, timeline, events … each from a new page
    assert float(reader.pages[0].mediabox.width) == pytest.approx(A4_WIDTH_POINTS, abs=2)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in (
        "Exercise overview",
        "Executive summary",
        "Analysis of objectives",
        "Score card",
        "Timeline",
        "Escalation",
        "Evaluator observations",
        "Hot wash",
        "Improvement plan",
    ):
        assert heading in text, heading
    assert PAUSE_REASON in text and "Known exercise" in text
    assert "Download HTML" not in text  # no page controls on paper
    assert problems == []
