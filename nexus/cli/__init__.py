"""The ``nexus`` command: parse options, call the library, render.

Exit codes, as linters use them: 0 ran; 1 ran and found what ``--fail-on``
asks about; 2 could not run (bad usage or bad input), with a one-line reason
on stderr and no traceback (``--debug`` shows one).

One module per group of commands: ``check``, ``reference`` (rules, rates,
sql), ``presence``, ``provider`` (compare), ``products`` (check), ``books`` (currencies, history, accounts); ``common``
holds what they share.
"""
import atexit
import gc
import importlib

import click

from nexus import __version__

#: Each command's module, imported when the command runs or is listed: ``nexus check`` then loads
#: neither the ledger targets, nor the provider comparison, nor the rest (0.1 s of every run).
COMMANDS = {"check": "check", "presence": "presence", "provider": "provider", "products": "products",
            "rules": "reference", "rates": "reference", "sql": "reference",
            "currencies": "books", "history": "books", "accounts": "books"}


class _LazyGroup(click.Group):
    """The top-level group; each module registers its commands on ``cli`` when imported."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            importlib.import_module(f"nexus.cli.{COMMANDS[name]}")
        return super().get_command(ctx, name)


# At exit Python's cycle collector walks what is still alive, more than once, and frees nothing that the end of the
# process would not: frozen first, it passes them over (0.04 CPU-seconds of every command, measured on 'check').
atexit.register(gc.freeze)


@click.group(cls=_LazyGroup)
@click.version_option(__version__, prog_name="nexus")
def cli():
    """See where a move to a new ecommerce provider creates tax exposure."""
