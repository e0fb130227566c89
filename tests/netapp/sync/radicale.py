"""A real Radicale CardDAV server for tests and benchmarks, on a free port of 127.0.0.1.

Radicale (GPL) is a test dependency only; it is started as ``python -m radicale`` in its own
process with a configuration written here, so no system or user configuration is read
(``--config`` replaces Radicale's default search path). What is set and why:

* ``hosts = 127.0.0.1:<port>``: loopback only;
* file storage (``multifilesystem``) in a folder under the test's temporary directory,
  as Radicale ships it (it fsyncs each write);
* htpasswd authentication with ``plain`` passwords: the default bcrypt/passlib rounds cost
  about a second per request; ``delay = 0`` turns off the pause after a wrong password;
* ``owner_only`` rights: a user sees only their own collections;
* no web interface, logging at warning level into a file next to the storage.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

CONFIG = """\
[server]
hosts = 127.0.0.1:{port}
max_connections = 8
delay_on_error = 0
{tls}
[auth]
type = htpasswd
htpasswd_filename = {users}
htpasswd_encryption = plain
delay = 0

[rights]
type = owner_only

[storage]
filesystem_folder = {storage}

[web]
type = none

[logging]
level = warning
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RadicaleServer:
    """One Radicale process; ``add_user`` adds an account (the users file is read per request)."""

    def __init__(self, folder: Path, cert: tuple[Path, Path] | None = None) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.users = folder / "users"
        self.users.touch()
        self.cert = cert
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        scheme = "https" if self.cert else "http"
        return f"{scheme}://127.0.0.1:{self.port}/"

    def add_user(self, user: str, password: str) -> None:
        with self.users.open("a", encoding="utf-8") as out:
            out.write(f"{user}:{password}\n")

    def start(self, port: int = 0) -> RadicaleServer:
        """Start on ``port`` (a free one when 0)."""
        self.port = port or free_port()
        tls = ""
        if self.cert:
            tls = f"ssl = True\ncertificate = {self.cert[0]}\nkey = {self.cert[1]}\n"
        config = self.folder / "config"
        config.write_text(
            CONFIG.format(
                port=self.port, users=self.users, storage=self.folder / "collections", tls=tls
            )
        )
        env = {k: v for k, v in os.environ.items() if k != "RADICALE_CONFIG"}
        log = (self.folder / "radicale.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        self._wait_listening()
        return self

    def _wait_listening(self) -> None:
        """Until the port accepts connections; fails after 30 s or when the process ends."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"radicale exited: {self.log_tail()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"radicale did not start listening: {self.log_tail()}")

    def log_tail(self) -> str:
        path = self.folder / "radicale.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None
