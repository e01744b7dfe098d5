"""The curve of delivery cost against consoles, as a small SVG for docs/performance.md.

Reads results files of ``bench/fanout.py`` (the newest one unless given; with several, a later file's row
replaces an earlier one's for the same server and size) and draws, for Hotline and the baseline, the p99
latency per console count (left) and the server's CPU per delivered message (right).

Run: .venv/bin/python bench/fanout_chart.py [bench/results/fanout-<timestamp>.json ...] [--output FILE]
"""

from __future__ import annotations

import argparse
import json
from html import escape
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "images" / "fanout.svg"
WIDTH, HEIGHT, MARGIN = 320, 220, 44
COLOURS = {"hotline": "#c0392b", "baseline": "#2c3e50"}


def series(summary: list[dict[str, Any]], metric: str) -> dict[str, list[tuple[int, float]]]:
    lines: dict[str, list[tuple[int, float]]] = {}
    for row in summary:
        value = row["latency"]["p99_ms"] if metric == "p99" else row["server_us_per_message"]
        if value is not None:
            lines.setdefault(row["server"], []).append((row["consoles"], float(value)))
    return {server: sorted(points) for server, points in lines.items()}


def panel(lines: dict[str, list[tuple[int, float]]], title: str, unit: str, left: int) -> list[str]:
    xs = [x for points in lines.values() for x, _ in points]
    top = max((y for points in lines.values() for _, y in points), default=1.0) * 1.1
    span = max(xs) - min(xs) or 1

    def at(x: int, y: float) -> tuple[float, float]:
        return (
            left + MARGIN + (x - min(xs)) / span * (WIDTH - 2 * MARGIN),
            HEIGHT - MARGIN - y / top * (HEIGHT - 2 * MARGIN),
        )

    parts = [
        f'<text x="{left + WIDTH / 2}" y="16" text-anchor="middle" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{left + MARGIN}" y1="{HEIGHT - MARGIN}" x2="{left + WIDTH - MARGIN}" y2="{HEIGHT - MARGIN}" '
        'stroke="#888"/>',
        f'<line x1="{left + MARGIN}" y1="{MARGIN}" x2="{left + MARGIN}" y2="{HEIGHT - MARGIN}" stroke="#888"/>',
        f'<text x="{left + MARGIN - 4}" y="{MARGIN + 4}" text-anchor="end">{top:.0f}</text>',
        f'<text x="{left + MARGIN - 4}" y="{HEIGHT - MARGIN}" text-anchor="end">0</text>',
        f'<text x="{left + 8}" y="{HEIGHT / 2}" transform="rotate(-90 {left + 8} {HEIGHT / 2})" '
        f'text-anchor="middle">{escape(unit)}</text>',
    ]
    for x in sorted(set(xs)):
        px, _ = at(x, 0)
        parts.append(f'<text x="{px}" y="{HEIGHT - MARGIN + 14}" text-anchor="middle">{x:,}</text>')
    for server, points in lines.items():
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in (at(x, y) for x, y in points))
        parts.append(f'<polyline fill="none" stroke="{COLOURS.get(server, "#777")}" stroke-width="2" points="{path}"/>')
        for x, y in points:
            px, py = at(x, y)
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{COLOURS.get(server, "#777")}"/>')
    return parts


def render(summary: list[dict[str, Any]]) -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * WIDTH}" height="{HEIGHT + 20}" '
        'font-family="sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="white"/>',
        *panel(series(summary, "p99"), "Delivery p99 (ms)", "ms", 0),
        *panel(series(summary, "cpu"), "Server CPU per message (µs)", "µs", WIDTH),
    ]
    for index, (server, colour) in enumerate(COLOURS.items()):
        x = WIDTH - 80 + index * 90
        parts.append(f'<rect x="{x}" y="{HEIGHT + 4}" width="12" height="4" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{HEIGHT + 10}">{"Hotline" if server == "hotline" else "baseline"}</text>')
    parts.append(
        f'<text x="{WIDTH}" y="{HEIGHT - 8}" text-anchor="middle">consoles in one exercise, one process</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="*", type=Path, help="Results files (default: the newest).")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    paths = args.results or [max(RESULTS_DIR.glob("fanout-*.json"), key=lambda candidate: candidate.stat().st_mtime)]
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for path in paths:
        for row in json.loads(path.read_text(encoding="utf-8"))["summary"]:
            if row["server"] == "baseline" or row["variant"] == "cli":
                rows[(row["server"], row["consoles"])] = row
    args.output.write_text(render(list(rows.values())), encoding="utf-8")
    print(f"{args.output} drawn from {', '.join(path.name for path in paths)}")


if __name__ == "__main__":
    main()
