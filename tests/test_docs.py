"""The docs keep up with the code: every command and option is in the CLI reference, every page exists."""
import runpy
from pathlib import Path

import click
import pytest

from nexus.cli import cli

DOCS = Path(__file__).resolve().parent.parent / "docs"
README = (DOCS.parent / "README.md").read_text(encoding="utf-8")
REFERENCE = (DOCS / "cli.md").read_text(encoding="utf-8")
_TOP = click.Context(cli)
COMMANDS = [(name, cli.get_command(_TOP, name)) for name in cli.list_commands(_TOP)]


@pytest.mark.parametrize("name, command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_is_documented_with_all_its_options(name, command):
    assert command.help, f"{name} has no help text"
    assert f"## `nexus {name}`" in REFERENCE, "run: python docs/make_cli_reference.py"
    section = REFERENCE.split(f"## `nexus {name}`", 1)[1].split("\n## ", 1)[0]
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.opts[-1] in section, f"{param.opts[-1]} missing: run python docs/make_cli_reference.py"
            assert param.help or param.type.name == "choice" or param.is_flag, f"{param.opts[-1]} has no help"


def test_the_cli_reference_is_what_its_script_generates_today():
    """docs/cli.md is generated: an option's help edited in the code but not regenerated (or the page edited by hand)
    shows a new user a --help that nexus no longer prints."""
    generated = runpy.run_path(str(DOCS / "make_cli_reference.py"))["reference"]()
    assert REFERENCE == generated, "run: python docs/make_cli_reference.py"


def test_pages_linked_from_the_readme_exist():
    for page in ("check.md", "rules.md", "json.md", "cli.md", "workbook.md", "presence.md", "currencies.md", "input-formats.md",
                 "provider.md", "exposure.md", "products.md"):
        assert f"docs/{page}" in README
        assert (DOCS / page).is_file()


def test_readme_quick_start_has_the_two_commands_ci_runs():
    assert "pip install . && nexus check --sales spreadsheets/orders-2025.csv" in README
    ci = (DOCS.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install '.[test]' && pytest" in README
    assert "pytest" in ci
