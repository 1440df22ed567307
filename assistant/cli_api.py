"""flask api-clients: the external systems allowed to read the intake API (README "Intake API")."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from .accounts import api_clients
from .accounts.api_clients import ClientError

api_clients_cli = AppGroup("api-clients", help="Clients of the intake API and their tokens.")


@api_clients_cli.command("create")
@click.option("--name", required=True, help="Letters, digits, '.', '_' and '-', starting with a letter (1-100).")
def api_clients_create(name: str) -> None:
    """Create a client and print its token, this once only: only its SHA-256 is kept."""
    try:
        _client, token = api_clients.create(name)
    except ClientError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created API client {name}. Its token, shown this once only (keep it secret):", err=True)
    click.echo(token)


@api_clients_cli.command("list")
def api_clients_list() -> None:
    """Print each client: name, active or disabled, when it was created and last used (UTC)."""
    clients = api_clients.clients()
    if not clients:
        click.echo("There are no API clients.")
    for client in clients:
        last = f"{client.last_used_at:%Y-%m-%d %H:%M} UTC" if client.last_used_at else "never"
        click.echo(
            f"{client.name}  {'active' if client.active else 'disabled'}  "
            f"created {client.created_at:%Y-%m-%d %H:%M} UTC  last used {last}"
        )


@api_clients_cli.command("disable")
@click.option("--name", required=True)
def api_clients_disable(name: str) -> None:
    """Refuse the client's token from now on (there is no enabling again: create a new client)."""
    try:
        api_clients.disable(name)
    except ClientError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"API client {name} is disabled.")
