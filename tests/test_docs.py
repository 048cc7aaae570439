"""The documentation: every example runs, and every command-line option is documented."""

import argparse
import re
import shutil
import subprocess
import sys

import pytest

from dedup._cli import _parser

from .conftest import ROOT

PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
CONSOLE = re.compile(r"```console\n(.*?)```", re.S)


def console_blocks():
    """The commands of each console example, which run in order in one folder."""
    for page in PAGES:
        for number, block in enumerate(CONSOLE.findall(page.read_text("utf-8")), 1):
            lines = [line[2:] for line in block.splitlines() if line.startswith("$ ")]
            yield pytest.param(lines, id=f"{page.relative_to(ROOT)} #{number}")


@pytest.mark.parametrize("lines", list(console_blocks()))
def test_console_examples_run(lines, tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    for line in lines:
        command = re.sub(r"^python ", f"{sys.executable} ", line)
        done = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{line}: {done.stderr}"


def commands(parser=None, prefix="dedup"):
    """``(name, parser)`` of every command, nested ones too (``dedup index add``)."""
    parser = parser or _parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield f"{prefix} {name}", sub
                yield from commands(sub, f"{prefix} {name}")


@pytest.mark.parametrize(("name", "command"), list(commands()))
def test_every_option_is_in_the_command_line_reference(name, command):
    reference = (ROOT / "docs" / "cli.md").read_text("utf-8")
    assert f"`{name}" in reference
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


def test_the_api_reference_documents_every_public_name():
    import dedup

    documented = set(re.findall(r"^::: dedup\.(\w+)$", (ROOT / "docs" / "api.md").read_text("utf-8"), re.M))
    assert documented == set(dedup.__all__)
