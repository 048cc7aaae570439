"""The documentation: every example runs, and every command-line option is documented."""

import re
import shutil
import subprocess
import sys

import pytest

from dedup._cli import _parser

from .conftest import ROOT

PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
CONSOLE = re.compile(r"```console\n(.*?)```", re.S)


def console_commands():
    for page in PAGES:
        for block in CONSOLE.findall(page.read_text("utf-8")):
            for line in block.splitlines():
                if line.startswith("$ "):
                    yield pytest.param(line[2:], id=f"{page.relative_to(ROOT)}: {line[2:60]}")


@pytest.mark.parametrize("command", list(console_commands()))
def test_console_examples_run(command, tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    command = re.sub(r"^python ", f"{sys.executable} ", command)
    done = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def subcommands():
    parser = _parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices.items()


@pytest.mark.parametrize(("name", "command"), list(subcommands()))
def test_every_option_is_in_the_command_line_reference(name, command):
    reference = (ROOT / "docs" / "cli.md").read_text("utf-8")
    assert f"`dedup {name}" in reference
    for action in command._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                assert f"`{option}" in reference, f"{name} {option} is not documented in docs/cli.md"


def test_the_documentation_site_builds(tmp_path):
    pytest.importorskip("mkdocs", reason="mkdocs is in the optional 'docs' extra")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
