"""The command-line interface: a thin layer over the library; commands are wired here."""

from __future__ import annotations

import sys

import typer

from .commands import build, cache, plan, publish, say, serve, voices
from .errors import AudiobookError

app = typer.Typer(
    name="audiobook",
    help="Offline text-to-speech audio editions: chaptered MP3s, feed, transcripts and a web page.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Every command, in the order `--help` lists them. Each module owns one command.
app.command("plan")(plan.plan)
app.command("build")(build.build)
app.command("say")(say.say)
app.command("voices")(voices.voices)
app.add_typer(cache.app, name="cache")
app.command("publish")(publish.publish)
app.command("serve")(serve.serve)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning project errors into one line and an exit code."""
    try:
        app(args=argv, prog_name="audiobook")
    except AudiobookError as exc:
        print(f"audiobook: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except OSError as exc:
        # The system refused (a file where a folder should be, no permission, no space):
        # its one line, not a traceback; the atomic writes left no partial output.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"audiobook: error: {where}{exc.strerror or exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("audiobook: interrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
