"""Property-based fuzzing of the chat protocol against a real server on loopback.

Random and malformed events of every kind (docs/protocol.md), mixed with valid answers that move a
conversation on, so that every state is reached. Every event must be acknowledged, with a turn or an
error the protocol documents (never `server_error`); no answer that breaks its question's rules may
be accepted; and the server's log must hold no traceback. Bounded: a fixed number of examples.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from enum import Enum
from typing import Any

import pytest
import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import first_list_values
from tests.e2e.conftest import Server, create_account, sign_in, socket_headers
from tests.scenarios import synthetic_answer

pytestmark = pytest.mark.e2e

EVENTS = ["start", "answer", "back", "change", "resume", "submit", "lookup", "language", "languages", "card"]
ERRORS = {  # every error code of docs/protocol.md but server_error
    "bad_request",
    "unknown_flow",
    "unsupported_language",
    "not_found",
    "not_current",
    "invalid",
    "not_on_path",
    "at_start",
    "not_ready",
    "submitted",
    "rate_limited",
    "signed_out",
}
LISTS = ["uk-towns", "organisations", "police-forces", "local-authorities", "uk-regions", "countries", "nationalities"]
CARDS = ["what-is-the-nrm", "consent", "privacy", "what-happens-next", "emergency"]
NASTY_TEXT = [
    "\ud800",
    "a\udfffb",
    "\x00",
    "\x01\x02\x7f",
    " \t\n ",
    "é" * 43,
    "١٢٣",
    "²",
    "9" * 30,
    "<script>x</script>",
]
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

text = st.one_of(st.text(max_size=40), st.sampled_from(NASTY_TEXT))
scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**20, -(10**30), 10**99, 2**63]),  # over 100 digits: a malformed packet
    st.floats(),
    text,
)
json_value = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)
date_value = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.fixed_dictionaries(
        {
            "day": scalar | st.integers(-5, 40),
            "month": scalar | st.integers(-1, 14),
            "year": scalar | st.integers(0, 3000),
        }
    ),
)


class Current(Enum):
    """A place in a drawn payload for what only the server's answers tell: filled in when it is sent."""

    ID = "the current conversation's id"
    TOKEN = "its resume token"
    QUESTION = "the current prompt's question id"
    VALID = "a valid answer to the current prompt"
    MSG_ID = "a fresh client_msg_id"


def payload(event: str) -> st.SearchStrategy[dict[str, Any]]:
    """A payload of ``event``, mostly well formed, with fields made wrong now and then."""
    msg_id = st.one_of(st.just(Current.MSG_ID), text, json_value)
    conversation_id = st.one_of(st.just(Current.ID), st.just(Current.ID), text, json_value)
    question_id = st.one_of(st.just(Current.QUESTION), text, json_value)
    language = st.one_of(st.sampled_from(["en", "cy", "ar", "fa-AF", "xx", None]), text)
    fields = {
        "start": {"flow": st.sampled_from(["nrm", "nope"]) | text, "language": language, "client_msg_id": msg_id},
        "answer": {
            "conversation_id": conversation_id,
            "question_id": question_id,
            "value": st.one_of(json_value, date_value, st.just(Current.VALID)),
            "client_msg_id": msg_id,
        },
        "back": {"conversation_id": conversation_id, "client_msg_id": msg_id},
        "change": {"conversation_id": conversation_id, "question_id": question_id, "client_msg_id": msg_id},
        "submit": {"conversation_id": conversation_id, "client_msg_id": msg_id},
        "resume": {
            "conversation_id": conversation_id,
            "resume_token": st.one_of(st.just(Current.TOKEN), text, json_value),
            "language": language,
        },
        "lookup": {"list": st.sampled_from(LISTS) | text, "query": text | json_value, "language": language},
        "language": {"conversation_id": conversation_id, "language": language},
        "languages": {},
        "card": {"card": st.sampled_from(CARDS) | text, "language": language},
    }.get(event, {})
    optional = {"language", "client_msg_id"} & set(fields)
    well_formed = st.fixed_dictionaries(
        {k: v for k, v in fields.items() if k not in optional}, optional={k: fields[k] for k in optional}
    )
    spoilt = st.dictionaries(st.sampled_from([*fields, "extra"]), json_value, max_size=2)
    return st.builds(lambda good, bad: {**good, **bad}, well_formed, spoilt | st.just({}))


@st.composite
def step(draw: st.DrawFn) -> tuple[Any, tuple[Any, ...]]:
    """One event and its arguments: a valid answer that moves on, or anything at all."""
    if draw(st.integers(0, 2)) == 0:
        answer = {"conversation_id": Current.ID, "question_id": Current.QUESTION, "value": Current.VALID}
        return "answer", ({**answer, "client_msg_id": Current.MSG_ID},)
    event = draw(st.sampled_from(EVENTS) | text)
    shape = draw(st.integers(0, 9))
    if shape == 0:
        return event, ()
    if shape == 1:
        return event, (draw(json_value),)
    if shape == 2:
        return event, (draw(payload(event)), draw(json_value))
    return event, (draw(payload(event)),)


class Conversation:
    """What the fuzzer knows of the conversation it is working on, from the acknowledgements."""

    def __init__(self) -> None:
        self.id: str | None = None
        self.token: str | None = None
        self.prompt: dict[str, Any] | None = None
        self.last_told: str | None = None  # a lean turn without conversation_id is about this one

    def follow(self, ack: dict[str, Any]) -> None:
        about = ack.get("conversation_id") or (self.last_told if {"prompt", "review", "submitted"} & set(ack) else None)
        self.last_told = ack.get("conversation_id") or self.last_told
        if about and (about == self.id or "resume_token" in ack):
            self.id = about
            self.token = ack.get("resume_token", self.token)
            self.prompt = ack.get("prompt")


def fill(planned: Any, conversation: Conversation, lists: dict[str, str]) -> Any:
    """The drawn value with each ``Current`` place filled in from the conversation as it is now."""
    if isinstance(planned, Current):
        prompt = conversation.prompt
        return {
            Current.ID: conversation.id,
            Current.TOKEN: conversation.token,
            Current.QUESTION: prompt["question_id"] if prompt else None,
            Current.VALID: synthetic_answer(prompt, lists) if prompt else None,
            Current.MSG_ID: str(uuid.uuid4()),
        }[planned]
    if isinstance(planned, tuple | list):
        return type(planned)(fill(item, conversation, lists) for item in planned)
    if isinstance(planned, dict):
        return {key: fill(value, conversation, lists) for key, value in planned.items()}
    return planned


def clearly_invalid(prompt: dict[str, Any], value: Any) -> bool:
    """True when ``value`` breaks the rules the prompt states, judged independently of the engine (only
    what is certain: anything the engine might fairly normalise counts as not clearly invalid)."""
    kind, required = prompt["kind"], prompt.get("required", True)
    if kind == "info":
        return False
    if value is None or value == [] or value == {} or (isinstance(value, str) and not CONTROL.sub("", value).strip()):
        return bool(required)
    if isinstance(value, str) and not _storable(value):
        return kind in ("text", "textarea")  # other kinds reject it with their own message, or may not
    options = [option["value"] for option in prompt.get("options") or []]
    if kind == "choice":
        return value not in options
    if kind == "multichoice":
        values = [value] if isinstance(value, str) else value
        return not isinstance(values, list) or not all(v in options for v in values)
    if kind == "select" and not prompt.get("lookup") and not prompt.get("repeat"):
        return value not in options
    if kind == "number":
        return not _within(prompt, value)
    if kind in ("text", "textarea", "email", "phone", "postcode"):
        return not isinstance(value, str)
    if kind == "date":
        return not isinstance(value, str | dict)
    return False


def _storable(value: str) -> bool:
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _within(prompt: dict[str, Any], value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return False
    try:
        number = int(value.strip()) if isinstance(value, str) else value
    except ValueError:
        return False
    if isinstance(value, str) and not value.strip().isdigit():
        return False
    low, high = prompt.get("min", 0), prompt.get("max")
    return number >= low and (high is None or number <= high)


@pytest.fixture
def fuzz_server(migrated: dict[str, str]) -> Iterator[Server]:
    """A server without the per-connection event limit: the fuzzer sends hundreds of events a minute."""
    running = Server({**migrated, "EVENTS_PER_MINUTE": "1000000"})
    yield running
    running.stop()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_random_and_malformed_events_get_documented_answers(fuzz_server: Server, migrated: dict[str, str]) -> None:
    lists = first_list_values()
    client = socketio.Client(reconnection=False)
    client.connect(
        fuzz_server.url,
        transports=["websocket"],
        headers=socket_headers(sign_in(fuzz_server.url, create_account(migrated))),
    )
    conversation = Conversation()

    def send(event: str, args: tuple[Any, ...]) -> Any:
        assert client.connected, "the server closed the connection"
        # a tuple is sent as that many arguments; every event is acknowledged, or call() times out
        try:
            ack = client.call(event, args if len(args) != 1 else args[0], timeout=15)
        except socketio.exceptions.TimeoutError:
            log = fuzz_server.output()[-3000:]
            raise AssertionError(f"no acknowledgement of {event!r} {args!r}; the server's log ends:\n{log}") from None
        assert isinstance(ack, dict), ack
        assert isinstance(ack.get("ok"), bool), ack
        if not ack["ok"]:
            assert ack["error"]["code"] in ERRORS, ack["error"]
        return ack

    @settings(
        max_examples=150,
        deadline=None,  # a real server: its timing is not under test
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(restart=st.integers(0, 9), steps=st.lists(step(), min_size=1, max_size=4))
    def fuzz(restart: int, steps: list[tuple[str, tuple[Any, ...]]]) -> None:
        # the plan is drawn whole, before anything is sent: what the server answers never changes what
        # is drawn; the conversation carries on from example to example, so later ones go deeper
        if conversation.id is None or restart == 0:
            conversation.follow(send("start", ({"flow": "nrm", "client_msg_id": str(uuid.uuid4())},)))
        for planned_event, planned_args in steps:
            prompt = conversation.prompt
            event, args = fill(planned_event, conversation, lists), fill(planned_args, conversation, lists)
            before = fuzz_server.output()
            ack = send(event, args)
            if event == "answer" and len(args) == 1 and isinstance(args[0], dict) and prompt and ack["ok"]:
                sent = args[0]
                if sent.get("conversation_id") == conversation.id and sent.get("question_id") == prompt["question_id"]:
                    assert not clearly_invalid(prompt, sent.get("value")), (prompt, sent.get("value"), ack)
            conversation.follow(ack)
            assert "Traceback" not in fuzz_server.output()[len(before) :], (event, args)

    fuzz()
    client.disconnect()
    log = fuzz_server.output()
    assert "Traceback" not in log
    assert "event failed" not in log  # a server_error, even if no acknowledgement showed it
