"""Regenerate docs/cli.md from the commands' --help (tests/test_docs.py checks it is current).

    python docs/make_cli_reference.py
"""
from pathlib import Path

import click
from click.testing import CliRunner

from nexus.cli import cli

TARGET = Path(__file__).with_name("cli.md")


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            found += commands(command, prefix + (name,))
        else:
            found.append(prefix + (name,))
    return found


def reference() -> str:
    parts = ["# CLI reference\n", "Generated from `--help` by `docs/make_cli_reference.py`; do not edit by hand.\n"]
    for path in commands(cli):
        result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=100, prog_name="nexus")
        title = " ".join(("nexus",) + path)
        parts.append(f"## `{title}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    TARGET.write_text(reference(), encoding="utf-8")
