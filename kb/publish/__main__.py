"""``python -m kb.publish build|serve``: the atomic build and the local production server."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from pathlib import Path

from kb.publish import atomic
from kb.publish.nginx import NginxError, claim, prepare

STOP = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""Ctrl+C, ``kill``, a closed terminal: each stops the server, nginx included."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb.publish", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="собрать сайт с --strict и подменить site/ целиком")
    build.add_argument("--site", type=Path, default=Path("site"), help="папка сайта (site)")
    serve = commands.add_parser("serve", help="отдать собранный сайт через nginx на 127.0.0.1")
    serve.add_argument("--site", type=Path, default=Path("site"), help="папка сайта (site)")
    serve.add_argument("--port", type=int, default=8080, help="порт (8080)")
    serve.add_argument("--run", type=Path, default=Path(".serve-prod"), help="pid, логи, temp")
    args = parser.parse_args(argv)
    project = Path.cwd()
    if args.command == "build":
        return atomic.build(project, args.site)
    try:
        lock = claim(args.run)  # before prepare: it rewrites the folder's nginx.conf
        command = prepare(project, args.site, args.run, args.port)
    except NginxError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"nginx: http://127.0.0.1:{args.port}/ (Ctrl+C — остановить; логи в {args.run}/)")
    return run_until_stopped(command, lock)


def run_until_stopped(command: list[str], lock: int) -> int:
    """Run nginx until it exits or a STOP signal comes, then stop it; return its exit code.

    nginx runs in a session of its own: the terminal's signals reach only this process (nginx
    would take a closed terminal's SIGHUP for "reload" and live on), which answers each with
    SIGTERM, nginx's fast shutdown. nginx inherits the lock, so the folder stays claimed
    while it lives, even if this process is killed outright.
    """
    nginx: subprocess.Popen | None = None
    stopping = False

    def stop(*_) -> None:
        nonlocal stopping
        stopping = True
        if nginx is not None:
            nginx.terminate()

    for number in STOP:
        signal.signal(number, stop)
    nginx = subprocess.Popen(command, start_new_session=True, pass_fds=(lock,))
    if stopping:  # a signal came while nginx was starting
        nginx.terminate()
    return nginx.wait()


if __name__ == "__main__":
    sys.exit(main())
