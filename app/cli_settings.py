"""The settings a ``hotline`` command runs with: the environment's, with the command's own options on top."""

from __future__ import annotations

from pathlib import Path

import typer
from pydantic import ValidationError

from app.config import Settings
from app.guards.validation import describe


def settings_for(db: str | None = None, **overrides: object) -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        for error in exc.errors(include_url=False, include_input=False):
            setting = str(error["loc"][0]) if error["loc"] else "setting"
            typer.echo(f"HOTLINE_{setting.upper()}: {describe([error], skip=1)}", err=True)
        typer.echo("Fix the setting (environment variable or .env file) and start again.", err=True)
        raise typer.Exit(2) from None
    if db:
        settings.database_url = db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    for key, value in overrides.items():
        if value is not None:
            setattr(settings, key, value)
    return settings
