"""``python -m kb.publish build|serve``: the atomic build and the local production server."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from pathlib import Path

from kb.publish import atomic
from kb.publish.nginx import NginxError, prepare


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
        command = prepare(project, args.site, args.run, args.port)
    except NginxError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"nginx: http://127.0.0.1:{args.port}/ (Ctrl+C — остановить; логи в {args.run}/)")
    nginx = subprocess.Popen(command)
    signal.signal(signal.SIGINT, lambda *_: nginx.terminate())
    return nginx.wait()


if __name__ == "__main__":
    sys.exit(main())
