"""A throw-away PostgreSQL cluster for the index proofs, on a unix socket in a temp folder.

The tests start their own server (`initdb` + `pg_ctl`) from Debian's
`postgresql` package, which `.ci/run` installs; nothing listens on TCP. As
root (CI, the sandbox) the server runs as the `postgres` user, since
PostgreSQL refuses to run as root. Where no PostgreSQL binaries exist, the
tests that need one skip and say so; `.ci/run` sets DJREVIEW_REQUIRE_POSTGRES
so that in CI a missing server fails instead.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

REQUIRED = "DJREVIEW_REQUIRE_POSTGRES"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server can be started here; the message says why."""


@dataclass(frozen=True)
class Postgres:
    """Connection settings of a running throw-away server."""

    host: str
    port: int
    user: str
    data_dir: Path

    def django_database(self, name: str) -> dict[str, object]:
        """A Django DATABASES entry for database `name` on this server."""
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": self.user,
            "HOST": self.host,
            "PORT": str(self.port),
        }


def _binaries() -> Path:
    for name in ("initdb", "pg_ctl"):
        found = shutil.which(name)
        if found:
            return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if candidates:
        return Path(candidates[-1]).parent
    raise PostgresUnavailable(
        "no PostgreSQL binaries (initdb, pg_ctl): install Debian's postgresql package"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam("postgres")
    except KeyError as error:
        raise PostgresUnavailable("running as root and there is no postgres user") from error
    return ["runuser", "-u", "postgres", "--", *command]


def start() -> Postgres:
    """Create and start a cluster; raises PostgresUnavailable when it cannot."""
    bin_dir = _binaries()
    root = Path(tempfile.mkdtemp(prefix="djreview-pg-"))
    data_dir = root / "data"
    user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    initdb = [
        str(bin_dir / "initdb"),
        "-D",
        str(data_dir),
        "-U",
        user,
        "--auth=trust",
        "-E",
        "UTF8",
    ]
    done = subprocess.run(_as_server_user(initdb), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PostgresUnavailable(f"initdb failed: {done.stderr.strip()[-300:]}")
    options = f"-c listen_addresses='' -k {root} -p {port} -c fsync=off -c full_page_writes=off"
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-o", options, "-w", "-t", "60"]
    log = str(root / "server.log")
    done = subprocess.run(
        _as_server_user([*pg_ctl, "-l", log, "start"]), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise PostgresUnavailable(f"pg_ctl start failed: {done.stderr.strip()[-300:]}")
    return Postgres(host=str(root), port=port, user=user, data_dir=data_dir)


def stop(server: Postgres) -> None:
    """Stop the server and remove its folder."""
    bin_dir = _binaries()
    subprocess.run(
        _as_server_user(
            [str(bin_dir / "pg_ctl"), "-D", str(server.data_dir), "-m", "immediate", "stop"]
        ),
        capture_output=True,
        check=False,
    )
    shutil.rmtree(server.host, ignore_errors=True)
