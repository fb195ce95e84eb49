"""The `serve` command: preview an output folder over HTTP on this machine only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def serve(
    output: Annotated[Path, typer.Argument(help="Output folder to serve (what `build` wrote).", metavar="OUTPUT", show_default=False)],
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535, metavar="PORT", help="TCP port; 0 picks a free one.")] = 8000,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not log requests.")] = False,
) -> None:
    """Serve OUTPUT on 127.0.0.1 for preview (byte ranges, so players can seek) until Ctrl-C.

    Example: audiobook serve output --port 8000, then open http://127.0.0.1:8000/
    """
    # Imported here: every command's module loads on every run, and `build` with nothing
    # changed must not pay for the publishing stack (about 30 ms of its 0.3 s).
    from ..publish.serve import HOST, make_server

    server = make_server(output, port, quiet=quiet)
    url = f"http://{HOST}:{server.server_address[1]}/"
    typer.echo(f"serving {output} at {url} (Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)
    finally:
        server.server_close()
