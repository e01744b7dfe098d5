"""Every fixed number the metrics use, in one place, each with the reason for it (docs/scoring.md).

A scenario tunes what differs from crisis to crisis — windows, curves, thresholds, weights — under
``scoring:`` (``ScoringParams``). The numbers here shape the formulas themselves and hold for every
scenario; metrics import them from here, so changing a rule is changing one line, and a new metric
(media pressure, say) adds its numbers next to these.
"""

from __future__ import annotations

from app.scenario.schema import Curve, Scenario, ScoringParams

# --- the time curve f (curves.falloff) ---

EARLY_DROP = 5.0
"""f falls from 100 at once to 95 at A: within A is nearly as good as at once, yet sooner is always better."""
VALUE_AT_B = 50.0
VALUE_AT_C = 10.0
"""Late contact still earns something: f is 10 at C and 10·C/x beyond, above 0 for any contact at all."""

DEFAULT_LEADER_CURVE = Curve(a="01:00", b="12:00", c="48:00")
DEFAULT_MILMIL_CURVE = Curve(a="00:30", b="06:00", c="48:00")


def contact_curve(scenario: Scenario, metric: str) -> Curve:
    """The LC or MM curve: the scenario's own, or the default with C stretched to ENDEX when it ends later.

    A and B stay: the first hours of a long crisis are as urgent as those of a short one. What grows
    with the scenario is how long a late contact keeps real value.
    """
    params = scenario.scoring
    own, default = (
        (params.leader_contact, DEFAULT_LEADER_CURVE)
        if metric == "LC"
        else (params.milmil_contact, DEFAULT_MILMIL_CURVE)
    )
    if own is not None:
        return own
    if scenario.end > default.c:
        return default.model_copy(update={"c": scenario.end})  # seconds: no re-reading as minutes
    return default


# --- LC and MM ---

REACH_SHARE = 0.5
"""LC: half for the team's own first move toward the other leader ..."""
SUBSTANCE_SHARE = 0.5
"""... half for the first time the team itself said something of substance (facts, intent, proposal)."""
MILMIL_SHARE = 0.7
CUES_SHARE = 0.3
CUES_TAG = "cues"

# --- RX, OV, AP ---

FORCE_BAND = 4
"""Band 4, coercive force: the first team to reach it pays the first-into-force factor in OV."""
FIRST_INTO_FORCE_FACTOR = 0.6
OVERSHOOT_HALVING = 1.0
"""OV halves for every band of mean excess: 100 at 0, 50 at 1, 25 at 2 — never a flat 0."""

# --- RX and MR under domestic pressure ---

PRESSURE_SCALE = 100.0
"""Each chance to answer in reflex counts 1 + p/100, p the team's pressure then (0–100): holding back under
full pressure counts twice as much as holding back under none."""


def pressure_weight(pressure: float) -> float:
    return 1.0 + pressure / PRESSURE_SCALE


# --- TP ---

RESTRAINT_SHARE = 0.6
NO_ENDORSEMENT_SHARE = 0.2
REASSURANCE_SHARE = 0.2

# --- PC ---

PENDING_CREDIT = 0.5

# --- OBJ ---

RATING_VALUES = {"P": 100.0, "S": 70.0, "M": 35.0, "U": 0.0}

# --- the joint score ---

PHI_BY_PEAK = {0: 1.0, 1: 1.0, 2: 1.0, 3: 0.9, 4: 0.7, 5: 0.4, 6: 0.15}
"""Heavy for the peak, never 0: what follows the peak must still tell two crises apart."""
RECOVERY_CAP = 0.5
"""At most half the gap between the peak's factor and that of the level at the end is won back."""
AGREED_SHARE = 0.5
QUICK_SHARE = 0.5
"""Recovery: half for a jointly agreed de-escalation after the peak, half for how soon the peak ended."""
BONUS = 5.0


def letter_weight(params: ScoringParams, medium: str | None) -> float:
    """A call counts 1; a written message (teletype or letter) the scenario's ``letter_weight``."""
    return 1.0 if medium is None else params.letter_weight
