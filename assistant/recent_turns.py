"""What this process last stored of each conversation it has recently moved on, so that the next
event on it is worked out without reading the conversation back: a chat's events come one after
another on one connection, and a proxy keeps a connection on one process.

An entry is only a guess at what a read would find. The turn's write checks it (``store.advance``
updates the conversation only at the revision the entry has, and only while the worker's account
stands as it did); if another process, another tab or a language change moved the conversation
on, the write finds nothing to update and the event is read and worked out again. So an entry that
has gone stale costs one retry, never a wrong turn. Only drafts are kept (a submitted conversation
reads its referral), and the least recently used go first, so memory stays bounded whatever the load.
"""

from __future__ import annotations

import threading

from cachetools import LRUCache

from .storage.store import TurnState


class RecentTurns:
    def __init__(self, size: int) -> None:
        self._states: LRUCache[str, TurnState] = LRUCache(maxsize=size)
        self._lock = threading.Lock()  # LRUCache reorders itself on reads: one caller at a time

    def get(self, conversation_id: str) -> TurnState | None:
        with self._lock:
            return self._states.get(conversation_id)

    def keep(self, state: TurnState) -> None:
        """The conversation as this process has just committed it; a submitted one is let go."""
        with self._lock:
            if state.status == "draft" and self._states.maxsize:  # a size of 0 keeps none
                self._states[state.id] = state
            else:
                self._states.pop(state.id, None)

    def forget(self, conversation_id: str) -> None:
        with self._lock:
            self._states.pop(conversation_id, None)
