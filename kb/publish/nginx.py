"""Run the production nginx configuration (``deploy/nginx/``) on 127.0.0.1 as any user.

Used by ``make serve-prod``, the browser tests and the benchmarks: the same ``kb.conf`` that
production includes, inside a small generated main configuration (``local.conf.j2``) whose
pid, temporary files and logs stay in a run folder given as nginx's prefix (``-p``).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import jinja2

from kb.publish.csp import SNIPPET

DEPLOY = Path("deploy") / "nginx"
"""The configuration, relative to the project."""
RULES = "kb.conf"
LOCAL = "local.conf.j2"
# Debian installs nginx in /usr/sbin, which is not on an ordinary user's PATH.
_SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])


class NginxError(RuntimeError):
    """nginx is missing, refused the configuration or did not start (message in Russian)."""


def nginx_binary() -> str:
    found = shutil.which("nginx", path=_SEARCH_PATH)
    if found is None:
        raise NginxError("nginx не найден: установите его (make serve-prod ставит пакет nginx)")
    return found


def claim(run: Path) -> int:
    """Lock the run folder for one server; return the descriptor that holds the lock.

    Two servers in one folder would share its ``nginx.conf`` and pid file, so the second is
    refused. The lock is an flock on the folder: the kernel drops it when its holders end,
    however they end, so a killed server never leaves the folder claimed.
    """
    run.mkdir(parents=True, exist_ok=True)
    lock = os.open(run, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock)
        raise NginxError(
            f"В {run}/ уже работает другой make serve-prod: остановите его (Ctrl+C в его "
            "терминале) — второй nginx в той же папке затёр бы его конфигурацию и pid-файл."
        ) from None
    return lock


def prepare(
    project: Path,
    site: Path,
    run: Path,
    port: int,
    *,
    workers: int = 1,
    access_log: bool = True,
) -> list[str]:
    """Write ``run/nginx.conf`` for serving ``site``; return the command that starts nginx."""
    site = site.resolve()
    if not (site / SNIPPET).is_file():
        raise NginxError(f"{site} — не собранный сайт (нет {SNIPPET}): сначала make build")
    run = run.resolve()
    (run / "temp").mkdir(parents=True, exist_ok=True)
    deploy = (project / DEPLOY).resolve()
    template = jinja2.Environment(
        loader=jinja2.FileSystemLoader(deploy), undefined=jinja2.StrictUndefined
    ).get_template(LOCAL)
    config = template.render(
        run=run,
        site=site,
        rules=deploy / RULES,
        snippet=SNIPPET,
        port=port,
        workers=workers,
        access_log=access_log,
        as_root=os.geteuid() == 0,
    )
    (run / "nginx.conf").write_text(config + "\n", encoding="utf-8")
    return [
        nginx_binary(),
        "-p",
        f"{run}/",
        "-c",
        str(run / "nginx.conf"),
        "-e",
        str(run / "error.log"),
        "-g",
        "daemon off;",
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Nginx:
    """nginx serving a built site on 127.0.0.1 while the ``with`` block runs."""

    def __init__(self, project: Path, site: Path, run: Path, port: int | None = None, **options):
        self.port = port or free_port()
        self.run = run
        self.command = prepare(project, site, run, self.port, **options)
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process: subprocess.Popen | None = None

    def check(self) -> None:
        """``nginx -t``: the configuration is valid."""
        result = subprocess.run([*self.command, "-t"], capture_output=True, text=True)
        if result.returncode != 0:
            raise NginxError(f"nginx не принял конфигурацию:\n{result.stderr}")

    def __enter__(self) -> Nginx:
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise NginxError(f"nginx не запустился:\n{self.process.stderr.read()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        raise NginxError(f"nginx не открыл порт {self.port} за 15 с")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: fast shutdown of master and workers
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr:
            self.process.stderr.close()
