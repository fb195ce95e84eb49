"""Every command has help, and the CLI turns errors into one line."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from audiobook.cli import app

runner = CliRunner()


def _commands() -> list[list[str]]:
    import typer.main

    group = typer.main.get_command(app)
    out: list[list[str]] = []
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(cmd, "commands", None)
        if sub:
            out.extend([name, s] for s in sub)
        else:
            out.append([name])
    return out


def test_expected_commands_exist() -> None:
    names = {c[0] for c in _commands()}
    assert {"plan", "build", "batch", "check", "say", "voices", "cache", "publish", "serve"} <= names


@pytest.mark.parametrize("cmd", _commands(), ids=lambda c: " ".join(c))
def test_every_command_has_help(cmd: list[str]) -> None:
    result = runner.invoke(app, [*cmd, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    # A docstring, not an empty help text.
    import typer.main

    group = typer.main.get_command(app)
    c = group
    for part in cmd:
        c = c.commands[part]  # type: ignore[attr-defined]
    assert (c.help or "").strip(), f"{' '.join(cmd)} has no help text"


def test_unknown_option_is_usage_error_exit_2() -> None:
    proc = subprocess.run([sys.executable, "-m", "audiobook", "plan", "--no-such-flag"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
