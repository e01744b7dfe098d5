"""The four export formats: HTML is self-contained and escapes the log, CSV parses, JSON is a Report, Markdown reads."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest

from app.guards.csvcells import restore
from app.reports.assemble import build_report
from app.reports.exports import render
from app.reports.model import Report
from app.reports.render_markdown import md
from tests.reports.conftest import ANONYMOUS_TEXT, MARKUP, PAUSE_REASON, KnownLog
from tests.scenario.test_csv_cells import runs_as_a_formula


class Collector(HTMLParser):
    """Every tag with its attributes, the ids, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag == "script":
            self.scripts.append(attributes)


@pytest.fixture(scope="module")
def report(known: KnownLog) -> Report:
    return build_report(known.source())


@pytest.fixture(scope="module")
def html(report: Report) -> str:
    return render(report, "html")


@pytest.fixture(scope="module")
def parsed(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    return collector


def test_html_is_self_contained(parsed: Collector, html: str) -> None:
    sources = [attrs["src"] for _, attrs in parsed.tags if "src" in attrs]
    assert sources == []  # every script is inline, plotly.js included
    links = [attrs["href"] for _, attrs in parsed.tags if "href" in attrs]
    assert links and all(str(link).startswith("#") for link in links)
    assert not [tag for tag, _ in parsed.tags if tag in ("link", "iframe", "img", "object")]
    assert "Plotly" in html and len(html) > 1_000_000  # the bundle itself is in the file


def test_html_carries_a_policy_that_allows_only_its_own_inline_code(parsed: Collector) -> None:
    policy = next(attrs["content"] for tag, attrs in parsed.tags if tag == "meta" and attrs.get("http-equiv"))
    assert policy is not None
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert policy.count("'sha256-") == 4  # plotly.js, the page script, plotly's styles, the report's styles


def test_every_citation_in_the_html_jumps_to_an_event_row(parsed: Collector, report: Report) -> None:
    cites = [str(attrs["href"]) for tag, attrs in parsed.tags if tag == "a" and "cite" in str(attrs.get("class"))]
    assert cites
    assert {cite[1:] for cite in cites} <= parsed.ids
    assert {f"event-{event.seq}" for event in report.events} <= parsed.ids


def test_html_shows_markup_from_the_log_as_text(html: str, parsed: Collector) -> None:
    assert "<script>alert('owned')</script>" not in html
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<img src=x" not in html
    assert "\\u003cimg src=x" not in html.split('id="report-charts">')[0]
    # Only the report's own three scripts: the chart data, plotly.js, the page script.
    assert [attrs.get("type") for attrs in parsed.scripts] == ["application/json", None, "module"]


def test_html_has_every_section(html: str) -> None:
    for title in (
        "Exercise overview",
        "Executive summary",
        "Analysis of objectives",
        "Score card",
        "Timeline",
        "Escalation",
        "Events",
        "Evaluator observations",
        "Hot wash",
        "Improvement plan",
    ):
        assert f">{title}</h2>" in html
    assert PAUSE_REASON in html


def test_html_hides_the_seat_of_an_anonymous_answer(html: str, known: KnownLog) -> None:
    row = html.split(f'id="hotwash-{known.anonymous_answer}"')[1].split("</tr>")[0]
    assert "Anonymous (Beijing)" in row and known.red_leader_label not in row
    named = html.split(f'id="hotwash-{known.named_answer}"')[1].split("</tr>")[0]
    assert "Washington — President" in named


def test_csv_has_one_parsable_row_per_event(report: Report, known: KnownLog) -> None:
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert [int(row["seq"]) for row in rows] == [event.seq for event in report.events]
    chat = rows[known.chat - 1]
    assert (chat["type"], chat["team"], chat["text"]) == ("chat_message", "red", MARKUP)
    force = rows[known.show_of_force - 1]
    assert (force["band"], force["weight"], force["scenario_time"]) == ("3", "-7.2", "T+07:00")


def test_every_cell_of_the_csv_is_inert_and_reads_back(report: Report) -> None:
    formulas = ["=HYPERLINK(1)", "+cmd|' /C calc'!A0", "@SUM(1)", "-1+cmd", " =1", "'quoted"]
    hostile = [
        row.model_copy(update={"who": formulas[index % 6], "text": formulas[(index + 1) % 6], "category": formulas[2]})
        for index, row in enumerate(report.events)
    ]
    rows = list(csv.reader(io.StringIO(render(report.model_copy(update={"events": hostile}), "csv"))))
    assert len(rows) == len(hostile) + 1
    assert not [cell for row in rows for cell in row if runs_as_a_formula(cell)]
    who, text = rows[0].index("who"), rows[0].index("text")
    assert [(restore(row[who]), restore(row[text])) for row in rows[1:]] == [(row.who, row.text) for row in hostile]


def test_json_validates_against_the_report_model(report: Report) -> None:
    text = render(report, "json")
    again = Report.model_validate_json(text)
    assert again == report
    assert json.loads(text)["format"] == 1


def test_markdown_has_the_sections_and_escapes_the_log(report: Report, known: KnownLog) -> None:
    text = render(report, "md")
    for heading in (
        "# After-action report — Known exercise",
        "## Analysis of objectives",
        "## Score card",
        "## Hot wash",
    ):
        assert heading in text
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "<img" not in text
    assert known.red_leader_label not in text.split("## Hot wash")[1]
    assert "| Anonymous (Beijing) | 2/5 |" in text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a | b", "a \\| b"),
        ("**loud** _quiet_ [link](x)", "\\*\\*loud\\*\\* \\_quiet\\_ \\[link\\](x)"),
        ("# not a heading", "\\# not a heading"),
        ("two\nlines", "two lines"),
        ("<b>", "&lt;b&gt;"),
    ],
)
def test_markdown_escaping_keeps_text_literal(raw: str, shown: str) -> None:
    assert md(raw) == shown


def test_markdown_keeps_the_words_of_an_escaped_answer(report: Report) -> None:
    assert ANONYMOUS_TEXT.split(">")[1].strip() in render(report, "md")
