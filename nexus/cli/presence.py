"""nexus presence: where servers, cloud regions, CDNs, stock and people sit."""
from __future__ import annotations

from datetime import date

import click

from nexus import presence, report, terminal, text_safety
from nexus.input_warnings import PRESENCE_HOME, home_warnings
from nexus.cli import cli
from nexus.cli.common import DateType, echo, run_library, screen_width


@cli.command(name="presence", short_help="Where servers, clouds, CDNs, stock and people create presence.")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--cdn", "cdns", multiple=True, type=click.Choice(presence.CDNS, case_sensitive=False),
              help="Compare where CDNs' points of presence would put your data; repeat for each CDN.")
@click.option("--as-of", type=DateType(), default=None, help="Date to assess (default: today).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="Show every item's reasons and the sources of its rule.")
def presence_command(file, cdns, as_of, fmt, verbose):
    """Where servers, cloud regions, CDNs, stock and people create a physical presence.

    FILE has one row per item: kind, location (a country, US-XX, 'City, CC' or a
    provider code such as aws:us-west-2 or cloudflare:NRT), ownership, dedicated,
    function, since, until, note. With --cdn, compare CDNs before signing.
    """
    on = as_of or date.today()
    if not file and not cdns:
        raise click.UsageError("give a presence FILE, or --cdn to compare CDNs")
    providers = [c.lower() for c in cdns]
    rows = run_library(False, lambda: presence.compare_cdns(providers, on)) if cdns else None
    verdicts = run_library(False, lambda: presence.assess(presence.read_presence(file), on)) if file else None
    for warning in home_warnings(verdicts or (), None, PRESENCE_HOME):
        echo(terminal.note(f"Warning: {warning}", screen_width(err=True)), err=True)  # as every command's warnings
    if fmt == "json":
        cdn_doc = {"as_of": on.isoformat(), "jurisdictions": rows}
        if verdicts is None:
            echo(text_safety.json_dumps(cdn_doc), nl=False)
        elif rows is None:
            echo(report.presence_json(verdicts), nl=False)
        else:  # both asked for: one document, never two JSON texts in a row
            echo(text_safety.json_dumps({"items": [v.as_dict() for v in verdicts], "cdns": cdn_doc}), nl=False)
        return
    if rows is not None:
        echo(terminal.cdn_screen(rows, providers, screen_width()), nl=False)
    if verdicts is not None:
        # the date the verdicts are for, and the file, first: '13 items: 5 creates...' said neither, and an item's
        # since and until decide whether it counts
        echo(("\nYour presence file, as of " + on.isoformat() + ":\n" if rows is not None
              else terminal.note(f"Presence as of {on}: {text_safety.printable(file)}", screen_width()) + "\n")
             + terminal.presence_screen(verdicts, screen_width(), verbose), nl=False)
