"""One unit of work: everything done inside ``unit_of_work()`` is committed once at the end, or
rolled back if anything raises. Services wrap their writes in it, so no view or command commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..extensions import db
from .store import DbSession


@contextmanager
def unit_of_work() -> Iterator[DbSession]:
    """Commit the session once the block ends; roll back and re-raise if it raises."""
    session: DbSession = db.session
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    session.commit()
