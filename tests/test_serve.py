"""`mkdocs serve` rebuilds when a regulation or the schema changes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import urllib.request

import pytest
from conftest import SEED_YAML, make_project, wait_for

SEED = SEED_YAML.read_text(encoding="utf-8")
# The line of the seed's summary: the schema edit below makes it too long.
SUMMARY_LINE = SEED.splitlines().index("summary: >-") + 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def serve(tmp_path):
    project = make_project(tmp_path, {"escalation-to-development.yml": SEED})
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(process.stdout), daemon=True).start()

    def fetch(path: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    yield project, fetch, log
    process.terminate()
    process.wait(timeout=10)


def test_serve_rebuilds_on_yaml_and_schema_changes(serve):
    project, fetch, log = serve
    page = "regulations/escalation-to-development/"
    wait_for(lambda: "Эскалация в отдел разработки" in fetch(page), "the first build")

    regulation = project / "docs" / "regulations" / "escalation-to-development.yml"
    regulation.write_text(
        SEED.replace("title: Эскалация в отдел разработки", "title: Новый заголовок")
    )
    wait_for(lambda: "Новый заголовок" in fetch(page), "a rebuild after the YAML edit")

    schema_path = project / "schema" / "regulation.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["summary"] = {"type": "string", "maxLength": 5}
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    message = f"docs/regulations/escalation-to-development.yml:{SUMMARY_LINE}: поле summary:"
    wait_for(
        lambda: any(line.startswith(message) for line in log), "a rebuild after the schema edit"
    )
