"""Arguments are checked before any work: every mistake is one line on stderr saying what to do, exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from audiobook.cli import main

from conftest import SAMPLE


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The real entry point, in this process: exit code, stdout, stderr."""
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    out, err = capsys.readouterr()
    code = done.value.code
    return (code if isinstance(code, int) else 0), out, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("audiobook: error: "), err
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["build", str(SAMPLE), "--jobs", "0"], "'--jobs'"),
        (["build"], "missing argument 'INPUT'"),
        (["plan"], "missing argument 'INPUT'"),
        (["say"], "missing argument 'TEXT'"),
        (["plan", str(SAMPLE), "--no-such-flag"], "no such option: --no-such-flag"),
        (["no-such-command"], "no such command 'no-such-command'"),
    ],
    ids=["jobs-0", "build-no-input", "plan-no-input", "say-no-text", "unknown-option", "unknown-command"],
)
def test_usage_errors_are_one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], expected: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    line = one_error_line(err)
    assert expected in line and "--help" in line
    assert "╭" not in err and out == ""


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib import metadata

    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"audiobook {metadata.version('audiobook')}"


def test_bare_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert code == 2 and out.startswith("Usage: audiobook") and "build" in out and err == ""


def test_help_has_plain_metavars_and_every_default(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("build", "plan", "say", "publish", "serve", "voices"):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0
        assert "<bool>" not in out and "list[" not in out and "<str>" not in out and "<path>" not in out, out
    _, build_help, _ = run(capsys, "build", "--help")
    _, say_help, _ = run(capsys, "say", "--help")
    for text in (build_help, say_help):
        cache_line = " ".join(text.split("--cache-dir", 1)[1].split("--", 1)[0].split())
        assert "default:" in cache_line, cache_line


def test_usage_error_through_the_installed_script() -> None:
    script = Path(sys.executable).with_name("audiobook")
    proc = subprocess.run([str(script), "build", str(SAMPLE), "--jobs", "0"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("audiobook: error: ")


# --- build: every argument checked before reading or synthesis -----------------------


@pytest.fixture
def spy_build(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records any call to the pipeline, so a rejected argument is proven to stop before work starts."""
    calls: list[object] = []
    import audiobook.commands.build as command

    def fake(*args: object, **kwargs: object) -> None:
        calls.append(args)
        raise AssertionError("the build started despite a bad argument")

    monkeypatch.setattr(command, "run_build", fake)
    return calls


def _bad_build_args(tmp: Path) -> dict[str, tuple[list[str], str]]:
    a_file = tmp / "a-file"
    a_file.write_text("x")
    bad_voice = tmp / "voice.toml"
    bad_voice.write_text('engine = "espeak"\nlexicons = ["lexicon.toml"]\n')
    (tmp / "lexicon.toml").write_text("words = 3\n")
    bad_rules = tmp / "rules.toml"
    bad_rules.write_text('[[heading]]\npattern = "(("\n')
    configured = tmp / "configured"
    configured.mkdir()
    (configured / "audiobook.toml").write_text('[publish]\nbase_url = "example.org"\n')
    out = str(tmp / "out")
    return {
        "base-url-no-scheme": (["--base-url", "example.org/audio", "-o", out], "give the full address, e.g. https://example.org/audio"),
        "output-in-proc": (["-o", "/proc/x"], "-o /proc/x: cannot create files in /proc"),
        "output-is-a-file": (["-o", str(a_file)], "is a file, not a folder; give a folder"),
        "output-under-a-file": (["-o", str(a_file / "sub")], "is a file, not a folder"),
        "unknown-voice": (["--voice", "nope", "-o", out], "unknown voice profile 'nope': choose one of"),
        "bad-lexicon": (["--voice", str(bad_voice), "-o", out], "'words' must be a table"),
        "missing-rules": (["--rules", str(tmp / "none.toml"), "-o", out], "no such file; give a rules TOML file"),
        "bad-rules": (["--rules", str(bad_rules), "-o", out], "bad regular expression"),
        "bad-date": (["--date", "someday", "-o", out], "is not a date (use 2017-03-23"),
        "missing-cover": (["--cover", str(tmp / "none.jpg"), "-o", out], "no such image file"),
        "bad-output-config": (["-o", str(configured)], "publish.base_url: 'example.org' is not an absolute"),
        "missing-input": (["-o", out, "--", str(tmp / "missing.txt")], "missing.txt: no such file or folder"),
    }


BAD_BUILD_CASES = [
    "base-url-no-scheme", "output-in-proc", "output-is-a-file", "output-under-a-file", "unknown-voice", "bad-lexicon",
    "missing-rules", "bad-rules", "bad-date", "missing-cover", "bad-output-config", "missing-input",
]


@pytest.mark.parametrize("case", BAD_BUILD_CASES)
def test_build_rejects_bad_arguments_before_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, spy_build: list[object], case: str
) -> None:
    cases = _bad_build_args(tmp_path)
    assert sorted(cases) == sorted(BAD_BUILD_CASES)
    args, expected = cases[case]
    code, out, err = run(capsys, "build", str(SAMPLE), *args)
    assert code == 2, err
    assert expected in one_error_line(err)
    assert spy_build == [] and out == ""
    assert not (tmp_path / "out").exists()  # nothing created either


# --- say, plan, publish, serve -----------------------------------------------------


def test_say_rejects_an_unwritable_output_before_synthesis(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import audiobook.pipeline as pipeline

    monkeypatch.setattr(pipeline, "synthesise_clips", lambda *a, **k: pytest.fail("synthesis started"))
    (tmp_path / "folder.wav").mkdir()
    for argv, expected in [
        (["-o", "/proc/x.wav"], "-o /proc/x.wav: cannot write in /proc"),
        (["-o", str(tmp_path / "none" / "x.wav")], "does not exist; create it or write elsewhere"),
        (["-o", str(tmp_path / "folder.wav")], "is a folder; give a file name"),
        (["--voice", "nope", "-o", str(tmp_path / "x.wav")], "unknown voice profile 'nope'"),
    ]:
        code, _, err = run(capsys, "say", "Hello there.", *argv)
        assert code == 2 and expected in one_error_line(err), (argv, err)


def test_plan_checks_arguments_before_reading(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import audiobook.ingest as ingest

    monkeypatch.setattr(ingest, "read_edition", lambda *a, **k: pytest.fail("reading started"))
    for argv, expected in [
        ([str(tmp_path / "missing.txt")], "missing.txt: no such file or folder"),
        ([str(SAMPLE), "--rules", str(tmp_path / "none.toml")], "no such file; give a rules TOML file"),
        ([str(SAMPLE), "--date", "someday"], "is not a date"),
        ([str(SAMPLE), "--voice", "nope"], "unknown voice profile 'nope'"),
    ]:
        code, _, err = run(capsys, "plan", *argv)
        assert code == 2 and expected in one_error_line(err), (argv, err)


def test_publish_on_a_folder_without_editions_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "publish", str(tmp_path))
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert "no built editions here" in line and " build INPUT -o " in line
    assert list(tmp_path.iterdir()) == []  # no empty feed, no empty page


def test_publish_checks_the_base_url_before_writing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    edition = tmp_path / "an-edition"
    edition.mkdir()
    (edition / "edition.json").write_text("{}")
    code, _, err = run(capsys, "publish", str(tmp_path), "--base-url", "example.org/audio")
    assert code == 2 and "e.g. https://example.org/audio" in one_error_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["an-edition"]


def test_serve_on_a_file_says_what_to_give(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    a_file = tmp_path / "page.html"
    a_file.write_text("x")
    code, _, err = run(capsys, "serve", str(a_file))
    assert code == 2 and "not a folder; give the folder `build -o` wrote" in one_error_line(err)


@pytest.mark.slow
def test_end_of_build_says_where_the_page_is_and_how_to_listen(tmp_path: Path) -> None:
    from conftest import require_tool

    require_tool("ffmpeg")
    text = tmp_path / "note.txt"
    text.write_text("A short note\n\nThe tide came in at noon. Everyone went home.\n", encoding="utf-8")
    script = Path(sys.executable).with_name("audiobook")
    out = tmp_path / "my output"
    proc = subprocess.run(
        [str(script), "build", str(text), "-o", str(out), "--voice", "tone", "--quiet", "--cache-dir", str(tmp_path / "cache")],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith("built 1 article, ")  # not "1 articles"
    assert lines[1] == f"page: {out / 'index.html'} (open it in a browser)"
    assert lines[2] == f"listen: {script} serve '{out}', then go to http://127.0.0.1:8000/"
    assert (out / "index.html").is_file()


def test_cache_dir_is_checked_before_work(capsys: pytest.CaptureFixture[str], tmp_path: Path, spy_build: list[object]) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    code, _, err = run(capsys, "build", str(SAMPLE), "-o", str(tmp_path / "out"), "--cache-dir", str(a_file))
    assert code == 2 and "--cache-dir" in one_error_line(err) and "is a file, not a folder" in err
    assert spy_build == []
