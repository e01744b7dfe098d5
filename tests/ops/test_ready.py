"""/api/ready on a real server: ready when the database answers at this server's schema, not otherwise."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from app.config import Settings
from app.db import head_revision, make_engine
from app.main import create_app
from app.services import Services
from tests.conftest import _drop_postgres, _fresh_postgres, _postgres_available, skip_or_fail
from tests.ops.conftest import SECRET, Served
from tests.processes import RedisProcess, wait_until

pytestmark = pytest.mark.slow


def test_ready_until_a_newer_server_migrates_the_database_past_this_one(served: Served) -> None:
    ready = httpx.get(f"{served.url}/api/ready")
    assert ready.status_code == 200
    checks = {"database": "answers", "migrations": f"at {head_revision()}", "broker": "in this process"}
    assert ready.json() == {"ready": True, "checks": checks}
    assert httpx.get(f"{served.url}/api/health").status_code == 200

    engine = make_engine(f"sqlite:///{served.database}")
    with engine.begin() as connection:  # as a newer Hotline's migration would leave it
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    stale = httpx.get(f"{served.url}/api/ready")
    assert stale.status_code == 503
    assert stale.json()["checks"]["migrations"] == f"at 9999, this server needs {head_revision()}"
    assert httpx.get(f"{served.url}/api/health").status_code == 200  # alive, just not to be sent traffic


@pytest.mark.postgres
def test_not_ready_while_postgresql_refuses_connections(tmp_path: Path) -> None:
    reason = _postgres_available()
    if reason:
        skip_or_fail(reason)
    url = _fresh_postgres("ready")
    database = url.rsplit("/", 1)[1]
    admin = make_engine(url.rsplit("/", 1)[0] + "/postgres").execution_options(isolation_level="AUTOCOMMIT")
    server = Served(tmp_path / "server", database_url=url)
    try:
        server.start()
        assert httpx.get(f"{server.url}/api/ready").json()["ready"] is True
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"), {"name": database}
            )
        down = httpx.get(f"{server.url}/api/ready", timeout=10)
        assert down.status_code == 503
        assert down.json()["checks"]["database"].startswith("unreachable")
        assert "postgres" not in down.text.lower()  # no address or credential in the answer
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true'))
        assert httpx.get(f"{server.url}/api/ready", timeout=10).status_code == 200
    finally:
        server.stop()
        admin.dispose()
        _drop_postgres(url)


async def test_not_ready_once_shutdown_has_begun(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'h.db'}", secret=SECRET)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        services: Services = app.state.services
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hotline") as http:
            assert (await http.get("/api/ready")).status_code == 200
            services.stopping = True
            stopping = await http.get("/api/ready")
    assert stopping.status_code == 503
    assert stopping.json()["checks"]["process"] == "shutting down"


@pytest.mark.redis
def test_not_ready_while_the_broker_is_away(tmp_path: Path) -> None:
    if shutil.which("redis-server") is None:
        skip_or_fail("redis-server is not installed")
    redis = RedisProcess(tmp_path / "redis")
    redis.start()
    server = Served(tmp_path / "server", {"HOTLINE_BROKER_URL": redis.url})
    try:
        server.start()
        assert server.http.get("/api/ready").json()["checks"]["broker"] == "connected"
        redis.stop()
        wait_until(lambda: server.http.get("/api/ready").status_code == 503, 15, "/api/ready to fail")
        assert server.http.get("/api/ready").json()["checks"]["broker"].startswith("not connected")
        redis.start()
        wait_until(lambda: server.http.get("/api/ready").status_code == 200, 15, "/api/ready to recover")
    finally:
        server.stop()
        redis.stop()
