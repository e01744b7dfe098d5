"""The simulated media world: reactions to the teams' public moves, and each team's domestic pressure.

Pure functions of the scenario and the event log (no FastAPI, no clock, no database): the engine folds
them into its state and schedules what falls due; scoring, reports and bots read the same folds.
"""
