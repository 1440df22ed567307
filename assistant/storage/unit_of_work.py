"""One unit of work: everything done inside ``unit_of_work()`` is committed once at the end, or
rolled back if anything raises. Services wrap their writes in it, so no view or command commits.
What only reads, where waiting for writers would cost, goes in ``reading()``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..extensions import db
from .database import READ_ONLY
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


@contextmanager
def reading() -> Iterator[DbSession]:
    """A transaction for reads only, rolled back when the block ends. On SQLite it does not queue for
    the write lock (database.py). Inside a transaction the caller has begun (a page that loaded its
    user), the block reads in that one and leaves it open: it keeps its kind and its locks."""
    session: DbSession = db.session
    if db.session().in_transaction():  # the proxy does not offer in_transaction: ask its session
        yield session
        return
    session.connection(execution_options={READ_ONLY: True})
    try:
        yield session
    finally:
        session.rollback()
