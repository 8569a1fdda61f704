"""The `kyr` command as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import edit, pages


def test_build_writes_the_asked_documents(mini, run):
    result = run("build", "--project", str(mini), "--doc", "handout")
    assert result.exit_code == 0, result.output
    assert "built 1, unchanged 0, removed 0" in result.output
    assert pages(mini / "output/en/handout.pdf") == 2
    assert not (mini / "output/en/booklet.pdf").exists()


def test_bad_yaml_is_one_line_with_file_and_line_and_exit_1(mini, run):
    edit(mini / "content/pack.yaml", "languages: [en]", "languages: [en")
    result = run("build", "--project", str(mini))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("content/pack.yaml:7: YAML")
    assert "Traceback" not in result.output


def test_unknown_language_and_document_are_refused(mini, run):
    result = run("build", "--project", str(mini), "--lang", "../../etc", "--doc", "flyer")
    assert result.exit_code == 1
    assert "unknown document 'flyer'" in result.output
    assert "--lang '../../etc' is not an edition of this pack" in result.output
    assert not (mini / "output").exists()


def test_check_passes_on_a_good_pack_and_fails_on_a_broken_one(mini, run):
    good = run("check", "--project", str(mini))
    assert good.exit_code == 0, good.output
    assert "0 error(s)" in good.output
    edit(mini / "content/questions/q01-data.md", "id: q01", "id: Q 01")
    bad = run("check", "--project", str(mini))
    assert bad.exit_code == 1
    assert "content/questions/q01-data.md:2: 'id' must be a short id" in bad.output


def test_debug_shows_the_traceback(mini):
    edit(mini / "content/pack.yaml", "languages: [en]", "languages: [en")
    result = subprocess.run([sys.executable, "-m", "generator", "--debug", "build", "--project", str(mini)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" in result.stderr


def test_help_is_useful_and_does_not_import_weasyprint():
    code = "import sys; from generator.cli import cli; cli(['--help'], standalone_mode=False); print('weasyprint' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("False")
    assert "build" in result.stdout and "check" in result.stdout


def test_every_command_has_help(run):
    for command in ("build", "check"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "--project" in result.output


def test_every_command_is_in_the_readme_with_help():
    from generator.cli import cli

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    commands = [(name, command) for name, command in cli.commands.items()]
    commands += [(f"i18n {name}", command) for name, command in cli.commands["i18n"].commands.items()]
    for name, command in commands:
        assert command.help, name
        short = name.split()[-1]
        assert f"kyr {name}" in readme or f"/ `{short}" in readme or f"`{short}" in readme, name
