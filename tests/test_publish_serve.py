"""`make serve-prod` (python -m kb.publish serve): its nginx stops with it, one server a folder."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, tool, wait_for

from kb.publish.csp import SNIPPET, nginx_snippet
from kb.publish.nginx import free_port

# How each stop reaches the server: a terminal signals its foreground process group (a closed
# terminal: SIGHUP; Ctrl+C: SIGINT), `kill` signals the one process.
STOPS = {
    "a closed terminal (SIGHUP)": (signal.SIGHUP, os.killpg),
    "kill (SIGTERM)": (signal.SIGTERM, os.kill),
    "Ctrl+C (SIGINT)": (signal.SIGINT, os.killpg),
}


@pytest.fixture
def site(tmp_path) -> Path:
    """A folder nginx serves with the production rules: a page and the generated CSP include."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>kb</title>", encoding="utf-8")
    (site / SNIPPET).write_text(nginx_snippet(set()), encoding="utf-8")
    return site


@pytest.fixture
def serve_prod(site):
    """Start `python -m kb.publish serve` as a terminal job (a process group of its own)."""
    tool("nginx", "nginx")
    started: list[subprocess.Popen] = []

    def start(run: Path, port: int) -> subprocess.Popen:
        command = ["serve", "--site", str(site), "--run", str(run), "--port", str(port)]
        process = subprocess.Popen(
            [sys.executable, "-m", "kb.publish", *command],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:  # the whole group: an nginx left behind by a failing run, too
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=15)


def serving(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def running(pid: int) -> bool:
    """The process exists and is not a zombie (an exited child nobody has reaped yet)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.parametrize("stop", list(STOPS))
def test_serve_prod_stops_its_nginx_and_frees_the_port_on(stop, serve_prod, tmp_path):
    number, send = STOPS[stop]
    run, port = tmp_path / "run", free_port()
    server = serve_prod(run, port)
    wait_for(lambda: serving(port), "nginx to serve the site")
    nginx = int((run / "nginx.pid").read_text())
    send(server.pid, number)
    wait_for(lambda: server.poll() is not None, "serve-prod to exit", timeout=15)
    wait_for(lambda: not running(nginx), f"nginx (pid {nginx}) to exit", timeout=15)
    assert not listening(port)


def test_a_second_serve_prod_on_the_same_folder_is_refused_and_the_first_keeps_serving(
    serve_prod, tmp_path
):
    run, port = tmp_path / "run", free_port()
    first = serve_prod(run, port)
    wait_for(lambda: serving(port), "the first nginx to serve the site")
    config = (run / "nginx.conf").read_bytes()
    second = serve_prod(run, free_port())
    _, errors = second.communicate(timeout=15)
    assert second.returncode == 1
    assert errors.strip() == (
        f"В {run}/ уже работает другой make serve-prod: остановите его (Ctrl+C в его "
        "терминале) — второй nginx в той же папке затёр бы его конфигурацию и pid-файл."
    )
    assert (run / "nginx.conf").read_bytes() == config
    assert first.poll() is None and serving(port)
