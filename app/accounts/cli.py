"""``hotline accounts``: named facilitator and evaluator accounts, made on the server by whoever runs it."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, TypeVar

import typer
from sqlalchemy import Engine

from app.accounts import store
from app.accounts.store import AccountProblem, Role
from app.cli_settings import settings_for

accounts_app = typer.Typer(
    help="Named facilitator and evaluator accounts (the shared secret keeps working beside them).",
    no_args_is_help=True,
)
Database = Annotated[
    str | None, typer.Option("--db", help="SQLite file or database URL (default: HOTLINE_DATABASE_URL).")
]
T = TypeVar("T")


@contextmanager
def _engine(db: str | None) -> Iterator[Engine]:
    from app.db import make_engine, migrate

    engine = make_engine(settings_for(db).resolved_database_url(), pool_size=1)
    try:
        migrate(engine)
        yield engine
    finally:
        engine.dispose()


def _do(db: str | None, action: Callable[[Engine], T]) -> T:
    with _engine(db) as engine:
        try:
            return action(engine)
        except AccountProblem as problem:
            typer.echo(f"error: {problem}", err=True)
            raise typer.Exit(1) from None


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt="Repeat the password"))


FromStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input (scripts).")
]


@accounts_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help=f"The account's name: {store.NAME_RULE}.")],
    role: Annotated[Role, typer.Option(help="facilitator runs exercises; evaluator reads, observes and rates.")] = (
        "facilitator"
    ),
    password_stdin: FromStdin = False,
    db: Database = None,
) -> None:
    """Make an account. The password is asked for twice (at least 12 characters)."""
    password = _password(password_stdin)
    _do(db, lambda engine: store.create_account(engine, name, role, password, time.time()))
    typer.echo(f"Account '{name}' ({role}) made. Sign in on the control console with its name and password.")


@accounts_app.command("list")
def list_accounts(db: Database = None) -> None:
    """The accounts, their roles and whether they are enabled."""
    accounts = _do(db, store.list_accounts)
    if not accounts:
        typer.echo("No accounts yet: 'hotline accounts add NAME' makes one.")
        return
    for account in accounts:
        made = datetime.fromtimestamp(account.created_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
        state = "disabled" if account.disabled else "enabled"
        typer.echo(f"{account.name:<24} {account.role:<12} {state:<9} made {made}")


@accounts_app.command("password")
def change_password(name: str, password_stdin: FromStdin = False, db: Database = None) -> None:
    """Set a new password; the account's open sessions end on every server process."""
    password = _password(password_stdin)
    _do(db, lambda engine: store.set_password(engine, name, password))
    typer.echo(f"New password set for '{name}'; its sessions have ended.")


@accounts_app.command("disable")
def disable(name: str, db: Database = None) -> None:
    """Stop an account from signing in; its open sessions end at once. The log keeps its name."""
    _do(db, lambda engine: store.set_disabled(engine, name, True, time.time()))
    typer.echo(f"Account '{name}' disabled; 'hotline accounts enable {name}' undoes it.")


@accounts_app.command("enable")
def enable(name: str, db: Database = None) -> None:
    """Let a disabled account sign in again."""
    _do(db, lambda engine: store.set_disabled(engine, name, False, time.time()))
    typer.echo(f"Account '{name}' enabled.")
