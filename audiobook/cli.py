"""The command-line interface: a thin layer over the library; commands are wired here."""

from __future__ import annotations

import importlib
import sys
from typing import Annotated, Any

import typer
import typer.core
import typer.main

from . import __version__
from .errors import AudiobookError
from .pipeline import Stopped


def _new_app() -> typer.Typer:
    """The root, without commands (make_app adds them)."""
    return typer.Typer(
        name="audiobook",
        help="Offline text-to-speech audio editions: chaptered MP3s, feed, transcripts and a web page.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        # Plain help: no boxes, and flags without a type label (rich help shows `<bool>`).
        rich_markup_mode=None,
    )


def _plain_argument_labels() -> None:
    """Label arguments by their metavar alone: Typer appends the Python type (`INPUT <list[str]>`)."""
    argument = getattr(typer.core, "TyperArgument", None)
    if argument is not None and hasattr(argument, "display_type_rich"):
        argument.display_type_rich = lambda self, ctx: None


_plain_argument_labels()


def version() -> str:
    """The installed package's version (what pip reports), else the source tree's."""
    from importlib import metadata  # slow to import; needed only for --version

    try:
        return metadata.version("audiobook")
    except metadata.PackageNotFoundError:
        return __version__


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"audiobook {version()}")
        raise typer.Exit()


def _root(
    show_version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", is_eager=True, callback=_show_version)
    ] = False,
) -> None:
    """Offline text-to-speech audio editions: chaptered MP3s, feed, transcripts and a web page."""

# Every command, in the order `--help` lists them: its module in audiobook.commands and the
# function (or Typer group) there. Each module imports what its command needs, and a run
# imports only its own: `voices` alone loads every engine (about 40 ms), which a rebuild
# that has nothing to do should not wait for.
COMMANDS: dict[str, str] = {
    "plan": "plan",
    "build": "build",
    "batch": "batch",
    "check": "check",
    "say": "say",
    "voices": "voices",
    "cache": "app",
    "publish": "publish",
    "serve": "serve",
}


def make_app(names: list[str] | None = None) -> typer.Typer:
    """The CLI with the named commands (every command when None), in COMMANDS' order."""
    app = _new_app()
    app.callback()(_root)
    for name, attribute in COMMANDS.items():
        if names is not None and name not in names:
            continue
        target = getattr(importlib.import_module(f".commands.{name}", __package__), attribute)
        if isinstance(target, typer.Typer):
            app.add_typer(target, name=name)
        else:
            app.command(name)(target)
    return app


def __getattr__(name: str) -> Any:
    """`app`, the whole CLI, made when first asked for (tests and tools use it; main() makes its own)."""
    if name == "app":
        app = make_app()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _wanted(argv: list[str]) -> list[str] | None:
    """The command a command line runs, as make_app's names; None (every command) for help or a typo.

    The root takes no option with a value, so the first word not starting with '-' names the command.
    """
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return [first] if first in COMMANDS else None


def _run(argv: list[str] | None) -> None:
    """Run the app; a usage error (bad option, missing argument) is one line and exit 2, as every error is."""
    args = sys.argv[1:] if argv is None else argv
    command = typer.main.get_command(make_app(_wanted(args)))
    try:
        # Not standalone: Typer would print a usage error as a multi-line box.
        code = command.main(args=argv, prog_name="audiobook", standalone_mode=False)
    except typer.Abort:
        print("audiobook: aborted", file=sys.stderr)
        sys.exit(1)
    except typer.TyperException as exc:
        # A bare `audiobook` or `audiobook cache` carries its help as the "error" (Typer's own test is by name).
        if type(exc).__name__ == "NoArgsIsHelpError":
            print(exc.format_message())
            sys.exit(exc.exit_code)
        message = " ".join(exc.format_message().split())
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "audiobook"
        message = message[:1].lower() + message[1:] if message[1:2].islower() else message
        print(f"audiobook: error: {message.rstrip('.')} (see '{where} --help')", file=sys.stderr)
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning project errors into one line and an exit code."""
    try:
        _run(argv)
    except AudiobookError as exc:
        print(f"audiobook: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except OSError as exc:
        # The system refused (a file where a folder should be, no permission, no space):
        # its one line, not a traceback; the atomic writes left no partial output.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"audiobook: error: {where}{exc.strerror or exc}", file=sys.stderr)
        sys.exit(1)
    except (KeyboardInterrupt, Stopped) as exc:
        # A build says what it kept (Stopped); typer turns a bare Ctrl-C elsewhere into
        # a silent exit 130, so this line is mostly for builds. 130 = 128 + SIGINT, as shells expect.
        message = str(exc) if isinstance(exc, Stopped) else "stopped"
        print(f"audiobook: {message}", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
