"""Command-line tools: flask flows, intake, i18n and conversations."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from pika.exceptions import AMQPError

from . import conversations
from .accounts import administration
from .accounts.roles import ROLES, Role
from .accounts.users import AccountError, user_id_for
from .engine import FlowError, FlowRegistry
from .engine.machines import mermaid
from .extensions import db
from .handoff import Broker, relay_forever, relay_once
from .intake import export_records, intake_records
from .translation.catalogue import catalogue_codes

flows_cli = AppGroup("flows", help="Check and draw the flow files.")
intake_cli = AppGroup("intake", help="The central unit's intake queue.")
# Its commands import i18n_tools when run: it needs polib, a development dependency only.
i18n_cli = AppGroup("i18n", help="Translation catalogues.")
conversations_cli = AppGroup("conversations", help="Conversations in progress.")
users_cli = AppGroup("users", help="Staff accounts.")


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
    default = current_app.config["DEFAULT_FLOW"]
    if registry.current(default) is None:
        click.echo(f"DEFAULT_FLOW: no flow called {default!r} in {current_app.config['FLOWS_DIR']}", err=True)
        sys.exit(1)
    for flow_id in registry.flow_ids:
        engine = registry.current(flow_id)
        assert engine is not None
        flow = engine.flow
        click.echo(
            f"{flow.file}: flow {flow.id} version {flow.version}: {len(flow.questions)} questions "
            f"in {len(flow.sections)} sections, OK"
        )


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
    if as_json:  # the full records leave the service: an export, on the audit trail
        click.echo(json.dumps(export_records(), ensure_ascii=False, indent=2))
        return
    records = intake_records()
    if not records:
        click.echo("The intake queue is empty.")
    for record in records:
        click.echo(
            f"{record['reference']}  {record['kind']:<3}  {record['submitted_at']}  "
            f"{record['flow_version']}  {record['language']}"
        )


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


@i18n_cli.command("extract")
def i18n_extract() -> None:
    """Write translations/messages.pot from the sources and the flow files."""
    from . import i18n_tools

    i18n_tools.extract()


@i18n_cli.command("update")
@click.option(
    "--reviews",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reviews"),
    show_default=True,
    help="A folder of `flask i18n export-reviews` files (<code>.po), merged in after the template when there.",
)
def i18n_update(reviews: Path) -> None:
    """Extract, merge the template into every catalogue, then the translators' exported reviews."""
    from . import i18n_tools
    from .translation.merge import merge

    i18n_tools.update()
    for file in sorted(reviews.glob("*.po")) if reviews.is_dir() else []:
        merged = merge(file, i18n_tools.CATALOGUES)
        click.echo(f"{merged.language}: {merged.changed} string(s) merged from {file}.")


@i18n_cli.command("compile")
def i18n_compile() -> None:
    """Compile every catalogue to .mo (the set-up does this; .mo files are never committed)."""
    from . import i18n_tools

    i18n_tools.compile_all()


@i18n_cli.command("check")
def i18n_check() -> None:
    """Fail when catalogues are out of date, a placeholder or plural form is wrong, or a language is incomplete."""
    from . import i18n_tools

    problems = i18n_tools.check()
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo("Catalogues are up to date and consistent.")


@i18n_cli.command("status")
def i18n_status() -> None:
    """Print each language's scope (offered, for the cards only, or not), its sections (cards, flow, interface,
    staff): how far each has been checked, and how much of it is translated; then each section of the flows."""
    engine = _load().current(current_app.config["DEFAULT_FLOW"])
    assert engine is not None  # create_app checked the default flow exists
    flow = engine.flow
    sections = {qid: q.section for qid, q in {**flow.questions, **flow.fields}.items()}
    titles = {s.id: s.title for s in flow.sections}
    from . import i18n_tools
    from .i18n import card_languages

    offered = card_languages()

    for path in i18n_tools.catalogue_files():
        code = path.parent.parent.name
        language = offered.get(code)
        scope = "not offered" if language is None else "offered"
        click.echo(f"{code:<8} {scope}{' for the cards only' if language and language.cards_only else ''}")
        for part in i18n_tools.review(path):
            share = f"{100 * part.translated // max(part.total, 1):>3}%  {part.translated}/{part.total}"
            click.echo(f"  {part.section:<10} {part.status:<9} {share}")
        for name, (done, total) in i18n_tools.flow_sections(path, sections, titles).items():
            click.echo(f"    {name:<40} {100 * done // max(total, 1):>3}%  {done}/{total}")


@conversations_cli.command("purge")
def conversations_purge() -> None:
    """Delete drafts untouched for DRAFT_RETENTION_DAYS (30 by default). Submitted referrals are kept."""
    count, days = conversations.purge_stale_drafts()
    click.echo(f"{count} draft(s) untouched for {days} days deleted.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option(
    "--organisation",
    "organisation_slug",
    required=True,
    help="A value from flows/lists/organisations.yaml, single-competent-authority or independent-panel.",
)
@click.option("--language", "languages", multiple=True, help="A translator's language (repeat for more).")
@click.option("--force", "force", help="A police liaison's force: a value from flows/lists/police-forces.yaml.")
@click.password_option(help="At least 12 characters; prompted for (hidden) when not given.")
def users_create(
    email: str,
    name: str,
    role: str,
    organisation_slug: str,
    languages: tuple[str, ...],
    force: str | None,
    password: str,
) -> None:
    """Create a staff account."""
    if role == Role.POLICE_LIAISON and not force:
        raise click.BadParameter("a police liaison needs --force", param_hint="--force")
    try:
        user = administration.create_from_command_line(email, name, role, organisation_slug, password, force or "")
        if languages:
            user = administration.set_languages(user.id, list(languages), catalogue_codes(), None)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {role} {user.email} in {user.organisation.name}.")


@users_cli.command("languages")
@click.option("--email", required=True)
@click.option("--language", "languages", multiple=True, help="A language code (repeat for more; none clears them).")
def users_languages(email: str, languages: tuple[str, ...]) -> None:
    """Set the languages of a translator's account."""
    user_id = user_id_for(db.session, email)
    if user_id is None:
        raise click.ClickException(f"no account {email}")
    try:
        user = administration.set_languages(user_id, list(languages), catalogue_codes(), None)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{user.email} translates: {', '.join(user.languages) or 'nothing'}.")
