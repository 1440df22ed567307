"""flask api-clients: the external systems allowed to read the intake API (README "Intake API")."""

from __future__ import annotations

import re

import click
from flask.cli import AppGroup
from sqlalchemy import select

from . import audit
from .extensions import db
from .storage.models import ApiClient
from .web.api import client_target, new_token, token_hash

api_clients_cli = AppGroup("api-clients", help="Clients of the intake API and their tokens.")
# Starts with a letter, so that no name reads as the id the audit trail falls back to.
NAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,99}")


def _find(name: str) -> ApiClient:
    client = db.session.scalar(select(ApiClient).where(ApiClient.name == name))
    if client is None:
        raise click.ClickException(f"no API client called {name!r}")
    return client


@api_clients_cli.command("create")
@click.option("--name", required=True, help="Letters, digits, '.', '_' and '-', starting with a letter (1-100).")
def api_clients_create(name: str) -> None:
    """Create a client and print its token, this once only: only its SHA-256 is kept."""
    if not NAME.fullmatch(name):
        raise click.ClickException("the name must be 1-100 letters, digits, '.', '_' or '-', starting with a letter")
    if db.session.scalar(select(ApiClient.id).where(ApiClient.name == name)) is not None:
        raise click.ClickException(f"there is already an API client called {name!r}")
    token = new_token()
    client = ApiClient(name=name, token_hash=token_hash(token))
    db.session.add(client)
    db.session.flush()
    audit.record("api-client-create", client_target(client))
    db.session.commit()
    click.echo(f"Created API client {name}. Its token, shown this once only (keep it secret):", err=True)
    click.echo(token)


@api_clients_cli.command("list")
def api_clients_list() -> None:
    """Print each client: name, active or disabled, when it was created and last used (UTC)."""
    clients = db.session.scalars(select(ApiClient).order_by(ApiClient.name)).all()
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
    client = _find(name)
    if client.active:
        client.active = False
        audit.record("api-client-disable", client_target(client))
        db.session.commit()
    click.echo(f"API client {name} is disabled.")
