"""Running several server processes on one database and one broker (docs/architecture.md)."""
