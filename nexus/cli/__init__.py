"""The ``nexus`` command: parse options, call the library, render.

Exit codes, as linters use them: 0 ran; 1 ran and found what ``--fail-on``
asks about; 2 could not run (bad usage or bad input), with a one-line reason
on stderr and no traceback (``--debug`` shows one).

One module per group of commands: ``check``, ``reference`` (rules, rates,
sql), ``presence``, ``provider`` (compare), ``products`` (check), ``books`` (currencies, history, accounts); ``common``
holds what they share.
"""
import click

from nexus import __version__


@click.group()
@click.version_option(__version__, prog_name="nexus")
def cli():
    """See where a move to a new ecommerce provider creates tax exposure."""


# The commands register themselves on ``cli`` when imported.
from nexus.cli import books, check, presence, products, provider, reference  # noqa: E402,F401
