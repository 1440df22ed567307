"""The unit of work commits once at the end of its block, or rolls everything back."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from assistant.extensions import db
from assistant.storage.models import Organisation
from assistant.storage.unit_of_work import unit_of_work


def _slugs() -> set[str]:
    db.session.rollback()  # read what is committed, not what this session still holds
    return set(db.session.scalars(select(Organisation.slug)))


def test_what_the_block_does_is_committed(app: Flask) -> None:
    with app.app_context():
        with unit_of_work() as session:
            session.add(Organisation(slug="kept", name="Kept", kind="ngo"))
        assert _slugs() == {"kept"}


def _add_then_fail() -> None:
    with unit_of_work() as session:
        session.add(Organisation(slug="lost", name="Lost", kind="ngo"))
        session.flush()
        raise LookupError("refused")


def test_an_exception_rolls_back_everything_the_block_did_and_is_raised(app: Flask) -> None:
    with app.app_context():
        with pytest.raises(LookupError):
            _add_then_fail()
        assert _slugs() == set()
