"""A tournament's files: ``tournament.json`` (everything), ``matrix.csv``, ``games.csv``, ``sensitivity.csv``
and ``tournament.html``, one self-contained page with a plotly heatmap of the matrix (plotly.js inlined
from the installed plotly package, as the after-action report's export does: it opens anywhere, offline).
"""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app.bots.tournament import Outcome, TournamentSetup
from app.bots.tournament_results import ALL, Cell, Movement, Stat, matrix, sensitivity, standings
from app.reports.vendor import plotly_js_inline

MEASURES = {"first": "first team's score", "second": "second team's score", "joint": "joint score"}


def summary(setup: TournamentSetup, outcomes: Sequence[Outcome], seconds: float) -> dict[str, Any]:
    """The whole tournament as one JSON-ready object."""
    return {
        "scenarios": [scenario.id for scenario in setup.scenarios],
        "teams": {scenario.id: [team.id for team in scenario.teams] for scenario in setup.scenarios},
        "policies": list(setup.policies),
        "seeds": setup.seeds,
        "variants": setup.variants,
        "games": len(outcomes),
        "failed": [{**asdict(o.game), "error": o.error} for o in outcomes if o.error is not None],
        "seconds": round(seconds, 1),
        "matrix": {
            scenario: {first: {second: asdict(cell) for second, cell in row.items()} for first, row in rows.items()}
            for scenario, rows in matrix(outcomes).items()
        },
        "standings": {
            scenario: {policy: asdict(stat) for policy, stat in order.items()}
            for scenario, order in standings(outcomes).items()
        },
        "sensitivity": {scenario: asdict(movement) for scenario, movement in sensitivity(outcomes).items()},
        "results": [
            {**asdict(o.game), "teams": o.teams, "joint": o.joint, "metrics": o.metrics, "events": o.events}
            for o in outcomes
            if o.error is None
        ],
    }


def write_all(out: Path, setup: TournamentSetup, outcomes: Sequence[Outcome], seconds: float) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    data = summary(setup, outcomes, seconds)
    written = [out / "tournament.json", out / "matrix.csv", out / "games.csv", out / "tournament.html"]
    written[0].write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _matrix_csv(written[1], matrix(outcomes))
    _games_csv(written[2], outcomes)
    written[3].write_text(render_html(data), encoding="utf-8")
    moved = sensitivity(outcomes)
    if moved:
        written.append(out / "sensitivity.csv")
        _sensitivity_csv(written[-1], moved)
    return written


def _matrix_csv(path: Path, cells: dict[str, dict[str, dict[str, Cell]]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        head = ["scenario", "first_team_policy", "second_team_policy", "games"]
        writer.writerow(head + [f"{m}_{s}" for m in MEASURES for s in ("mean", "spread")])
        for scenario, rows in cells.items():
            for first, row in rows.items():
                for second, cell in row.items():
                    stats: list[Stat] = [cell.first, cell.second, cell.joint]
                    values = [v for stat in stats for v in (stat.mean, stat.spread)]
                    writer.writerow([scenario, first, second, cell.joint.n, *values])


def _games_csv(path: Path, outcomes: Sequence[Outcome]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["scenario", "variant", "seed", "first_team_policy", "second_team_policy", "first_team_score",
                         "second_team_score", "joint", "events", "seconds", "error"])  # fmt: skip
        for o in outcomes:
            game = o.game
            scores = [o.score(0), o.score(1), o.joint] if o.error is None else ["", "", ""]
            played = [game.scenario, game.variant, game.seed, game.blue, game.red]
            writer.writerow([*played, *scores, o.events, round(o.seconds, 2), o.error or ""])


def _sensitivity_csv(path: Path, moved: dict[str, Movement]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        fields = list(Movement.__dataclass_fields__)
        writer.writerow(["scenario", *fields])
        for scenario, movement in moved.items():
            writer.writerow([scenario, *(getattr(movement, name) for name in fields)])


# --- the page ---

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1d2430; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: .5rem 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #d8dde6; padding: .25rem .6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.muted { color: #5b6576; } label { margin-right: 1rem; } select { font: inherit; }
#heatmap { width: 100%; height: 36rem; }
"""

_SCRIPT = """
const data = JSON.parse(document.getElementById('tournament-data').textContent);
const scenario = document.getElementById('scenario');
const measure = document.getElementById('measure');
function draw() {
  const rows = data.matrix[scenario.value] || {};
  const policies = data.policies.filter((p) => rows[p]);
  const z = [], text = [];
  for (const first of policies) {
    z.push(policies.map((second) => rows[first][second]?.[measure.value].mean ?? null));
    text.push(policies.map((second) => {
      const stat = rows[first][second]?.[measure.value];
      return stat ? `${stat.mean.toFixed(1)} ± ${stat.spread.toFixed(1)}` : '';
    }));
  }
  Plotly.react('heatmap', [{
    type: 'heatmap', x: policies, y: policies, z, text, texttemplate: '%{text}', zmin: 0, zmax: 100,
    colorscale: 'Viridis', hovertemplate: 'first team %{y} · second team %{x}<br>%{text}<extra></extra>',
  }], {
    margin: {l: 120, b: 110, t: 30, r: 20},
    xaxis: {title: {text: 'second team\\'s policy'}, side: 'bottom', tickangle: -35},
    yaxis: {title: {text: 'first team\\'s policy'}, autorange: 'reversed'},
  }, {displaylogo: false, responsive: true});
}
scenario.addEventListener('change', draw);
measure.addEventListener('change', draw);
draw();
"""


def _stat(stat: dict[str, Any] | None) -> str:
    return "" if not stat else f"{stat['mean']:.1f} ± {stat['spread']:.1f}"


def render_html(data: dict[str, Any]) -> str:
    scenarios = [ALL, *data["scenarios"]]
    options = "".join(f'<option value="{html.escape(s)}">{html.escape(s)}</option>' for s in scenarios)
    measures = "".join(f'<option value="{key}">{html.escape(label)}</option>' for key, label in MEASURES.items())
    standing = data["standings"]
    order = list(standing.get(ALL, {}))
    head = "".join(f"<th>{html.escape(s)}</th>" for s in scenarios)
    rows = "".join(
        f"<tr><td>{html.escape(policy)}</td>"
        + "".join(f"<td>{_stat(standing.get(s, {}).get(policy))}</td>" for s in scenarios)
        + "</tr>"
        for policy in order
    )
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>Hotline tournament: {len(data['policies'])} policies, {data['games']} games</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Hotline tournament</h1>",
        f"<p class='muted'>{data['games']} games: {len(data['policies'])} policies, every ordered pair, on "
        f"{len(data['scenarios'])} scenario(s), {data['seeds']} seed(s) each"
        + (f", and {data['variants']} variant(s) with every timing moved by up to ±10%" if data["variants"] else "")
        + f"; {data['seconds']} s.</p>",
        "<h2>Standings</h2><p>Each policy's own team score over every game it played, on either side: "
        "mean ± spread (standard deviation over its games).</p>",
        f"<table><thead><tr><th>policy</th>{head}</tr></thead><tbody>{rows}</tbody></table>",
        "<h2>Matrix</h2><p>Rows play the scenario's first team, columns its second. Each cell: the mean over "
        "seeds ± its spread (standard deviation); for all scenarios, over every seed of every scenario.</p>",
        f"<p><label>Scenario <select id='scenario'>{options}</select></label>"
        f"<label>Show <select id='measure'>{measures}</select></label></p><div id='heatmap'></div>",
    ]
    if data["sensitivity"]:
        fields = ("team_mean", "team_max", "joint_mean", "joint_max", "rank_agreement", "same_order", "games")
        labels = ("team score moved (mean)", "(largest)", "joint moved (mean)", "(largest)", "Kendall τ of standings",
                  "same order", "games")  # fmt: skip
        body = "".join(
            f"<tr><td>{html.escape(s)}</td>" + "".join(f"<td>{m[f]}</td>" for f in fields) + "</tr>"
            for s, m in data["sensitivity"].items()
        )
        parts.append(
            "<h2>Sensitivity</h2><p>Every game played again with every timing of the scenario and of the bots "
            "moved by its own factor within ±10%; how far scores moved, in points, and whether the standings "
            "kept their order.</p><table><thead><tr><th>scenario</th>"
            + "".join(f"<th>{html.escape(label)}</th>" for label in labels)
            + f"</tr></thead><tbody>{body}</tbody></table>"
        )
    if data["failed"]:
        failed = "".join(f"<li>{html.escape(json.dumps(game))}</li>" for game in data["failed"])
        parts.append(f"<h2>Games that failed</h2><ul>{failed}</ul>")
    payload = json.dumps({k: data[k] for k in ("policies", "matrix")}, ensure_ascii=False).replace("</", "<\\/")
    parts += [
        f"<script type='application/json' id='tournament-data'>{payload}</script>",
        f"<script>{plotly_js_inline()}</script>",
        f"<script>{_SCRIPT}</script></body></html>",
    ]
    return "\n".join(parts)
