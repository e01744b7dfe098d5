"""Named facilitator and evaluator accounts: who signed in, so every control action says who did it."""
