"""Command-line tools: `flask flows check|graph`, `flask intake list`."""

from __future__ import annotations

import json
import sys

import click
from flask import current_app
from flask.cli import AppGroup
from pika.exceptions import AMQPError

from .engine import FlowError, FlowRegistry
from .engine.machines import mermaid
from .handoff import Broker, relay_forever, relay_once
from .intake import intake_records

flows_cli = AppGroup("flows", help="Check and draw the flow files.")
intake_cli = AppGroup("intake", help="The central unit's intake queue.")


def _load() -> FlowRegistry:
    registry = FlowRegistry(current_app.extensions["lookups"], current_app.extensions["lookups"].names)
    registry.load_dir(current_app.config["FLOWS_DIR"])
    return registry


@flows_cli.command("check")
def flows_check() -> None:
    """Validate every flow file; print each problem with its file and line."""
    try:
        registry = _load()
    except FlowError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(error.problems)} problem(s) found.", err=True)
        sys.exit(1)
    for flow_id in registry.flow_ids:
        engine = registry.current(flow_id)
        assert engine is not None
        flow = engine.flow
        click.echo(f"{flow.file}: flow {flow.id} version {flow.version}: {len(flow.questions)} questions "
                   f"in {len(flow.sections)} sections, OK")


@flows_cli.command("graph")
@click.argument("flow_id")
def flows_graph(flow_id: str) -> None:
    """Print a Mermaid state diagram of FLOW_ID's routing."""
    engine = _load().current(flow_id)
    if engine is None:
        raise click.ClickException(f"no flow called {flow_id!r}")
    click.echo(mermaid(engine.flow), nl=False)


@intake_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of intake records.")
def intake_list(as_json: bool) -> None:
    """Print the intake queue, oldest first."""
    records = intake_records()
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    if not records:
        click.echo("The intake queue is empty.")
    for record in records:
        click.echo(f"{record['reference']}  {record['kind']:<3}  {record['submitted_at']}  "
                   f"{record['flow_version']}  {record['language']}")


@intake_cli.command("relay")
@click.option("--once", is_flag=True, help="Send what is due, then stop.")
def intake_relay(once: bool) -> None:
    """Hand submitted referrals to the central unit's broker (INTAKE_BROKER_URL), at least once."""
    url, queue = current_app.config["INTAKE_BROKER_URL"], current_app.config["INTAKE_QUEUE"]
    if not once:
        relay_forever(url, queue)
    try:
        broker = Broker(url, queue)
    except AMQPError as error:
        raise click.ClickException(f"cannot reach the broker ({type(error).__name__}); nothing was sent") from None
    try:
        click.echo(f"{relay_once(broker)} referral(s) handed off to {queue}.")
    finally:
        broker.close()
