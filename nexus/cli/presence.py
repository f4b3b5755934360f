"""nexus presence: where servers, cloud regions, CDNs, stock and people sit."""
from __future__ import annotations

from datetime import date

import click

from nexus import presence, report
from nexus.cli import cli
from nexus.cli.common import DateType, run_library


@cli.command(name="presence")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--cdn", "cdns", multiple=True, type=click.Choice(presence.CDNS, case_sensitive=False),
              help="Compare where CDNs' points of presence would put your data; repeat for each CDN.")
@click.option("--as-of", type=DateType(), default=None, help="Date to assess (default: today).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def presence_command(file, cdns, as_of, fmt):
    """Where servers, cloud regions, CDNs, stock and people create a physical presence.

    FILE has one row per item: kind, location (a country, US-XX, 'City, CC' or a
    provider code such as aws:us-west-2 or cloudflare:NRT), ownership, dedicated,
    function, since, until, note. With --cdn, compare CDNs before signing.
    """
    on = as_of or date.today()
    if not file and not cdns:
        raise click.UsageError("give a presence FILE, or --cdn to compare CDNs")
    if cdns:
        providers = [c.lower() for c in cdns]
        rows = run_library(False, lambda: presence.compare_cdns(providers, on))
        text = (report.json_dumps({"as_of": on.isoformat(), "jurisdictions": rows}) if fmt == "json"
                else report.cdn_table(rows, providers))
        click.echo(text, nl=False)
    if file:
        verdicts = run_library(False, lambda: presence.assess(presence.read_presence(file), on))
        click.echo(report.presence_json(verdicts) if fmt == "json"
                   else report.presence_table(verdicts), nl=False)


