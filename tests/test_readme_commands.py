"""The README's commands work as written from the repository (after `make`): no bare `audiobook`, which is not on PATH."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _commands() -> list[str]:
    """Command lines in the README's sh blocks and `$ ` prompts (comments stripped)."""
    text = README.read_text(encoding="utf-8")
    lines: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        lines += [line for line in block.splitlines() if line.strip()]
    lines += [line[2:] for line in text.splitlines() if line.startswith("$ ")]
    return [line.split("  #")[0].strip() for line in lines]


def test_no_bare_audiobook_command() -> None:
    bare = [c for c in _commands() if c.split()[0] == "audiobook"]
    assert bare == [], bare
    inline = re.findall(r"`(audiobook (?:plan|build|say|serve|publish|voices|cache)[^`]*)`", README.read_text(encoding="utf-8"))
    assert inline == [], inline


QUICK = ("plan", "voices", "cache", "--version")


@pytest.mark.parametrize("command", [c for c in _commands() if c.startswith(".venv/bin/audiobook") and c.split()[1] in QUICK])
def test_quick_readme_commands_run(command: str) -> None:
    script = Path(sys.executable).with_name("audiobook")
    argv = shlex.split(command)
    argv[0] = str(script)  # the venv running the tests, wherever it is
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, (command, proc.stderr[-500:])
