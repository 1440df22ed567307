"""flask demo: synthetic referrals for demonstrations (``flask stats`` is the statistics pages' own, in
assistant/web/statistics.py)."""

from __future__ import annotations

import datetime as dt
import time

import click
from flask.cli import AppGroup

from . import demo_seed, disclosure
from .storage.models import utcnow

demo_cli = AppGroup("demo", help="Synthetic data for demonstrations (never in production).")


@demo_cli.command("seed")
@click.option("--referrals", "number", type=click.IntRange(1, 2_000_000), default=1000, show_default=True)
@click.option(
    "--quarters",
    type=click.IntRange(1, 40),
    default=4,
    show_default=True,
    help="Spread them over this many quarters, up to the end of the last one that has ended.",
)
@click.option("--random-seed", type=int, help="For the same referrals each time.")
def demo_seed_command(number: int, quarters: int, random_seed: int | None) -> None:
    """Write synthetic referrals whose categories follow the published national proportions.

    \b
    Sources (approximate proportions; assistant/demo_seed.py lists each):
      Home Office, Modern Slavery: NRM and DtN statistics, end of year summary 2023 and 2024:
      NRM 78% / Duty to Notify 22%; age at exploitation adult 50%, child 44%, unknown 6%;
      male 76%, female 24%; nationalities UK 25%, Albanian 24%, Vietnamese 6%, Sudanese and
      Eritrean about 5% each; first responders government 48%, local authority 23%, police 23%,
      NGO 5%; Reasonable Grounds 53% and Conclusive Grounds 56% positive.
      Exploitation types and combinations, place, nation, the smaller nationalities and the
      decision times are rounded approximations in the published tables' shape, not figures.
    Every referral is marked synthetic (reference SYN-..., synthetic = true) and none is sent
    to the broker. Refused in production.
    """
    import random

    reason = demo_seed.refused()
    if reason:
        raise click.ClickException(reason)
    end = disclosure.quarter_start(utcnow())
    start = end
    for _ in range(quarters):
        start = disclosure.quarter_start(start - dt.timedelta(days=1))
    began = time.perf_counter()
    seeded = demo_seed.seed(number, start, end, random.Random(random_seed))  # noqa: S311 - synthetic data
    click.echo(f"Wrote {seeded.total} synthetic referrals in {time.perf_counter() - began:.1f} s.")
