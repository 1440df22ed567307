"""The referral lifecycle as a pure state machine: every transition, allowed and refused, and its guards."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.casework import lifecycle
from assistant.casework.lifecycle import Case, NotAllowed

NOW = dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC)
RECOVERY = dt.timedelta(days=30)
CASEWORKER, OTHER_CASEWORKER, PANEL_MEMBER = 11, 12, 21

# Every allowed transition: (status, action) -> the status after it (guards satisfied).
ALLOWED = {
    ("awaiting-rg", "rg-positive"): "rg-positive",
    ("awaiting-rg", "rg-negative"): "rg-negative-proposed",
    ("rg-positive", "cg-positive"): "cg-positive",
    ("rg-positive", "cg-negative"): "cg-negative-proposed",
    ("rg-negative-proposed", "uphold"): "rg-negative",
    ("rg-negative-proposed", "send-back"): "awaiting-rg",
    ("cg-negative-proposed", "uphold"): "cg-negative",
    ("cg-negative-proposed", "send-back"): "rg-positive",
    ("rg-negative", "reconsider"): "awaiting-rg",
    ("cg-negative", "reconsider"): "rg-positive",
    ("dtn-received", "pass-to-police"): "passed-to-police",
}
REFUSED = [
    (state, action) for state in lifecycle.STATES for action in lifecycle.ACTIONS if (state, action) not in ALLOWED
]


def case(state: str, actor: int = CASEWORKER, **extra: object) -> Case:
    """A case whose guards pass unless ``extra`` says otherwise: recovery over, proposed by someone else."""
    values: dict[str, object] = {"recovery_ends_at": NOW - dt.timedelta(days=1), "proposed_by_id": OTHER_CASEWORKER}
    values.update(extra)
    return Case(state=state, actor_id=actor, now=NOW, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("state", "action"), sorted(ALLOWED))
def test_every_allowed_transition(state: str, action: str) -> None:
    step = lifecycle.apply(case(state), action, RECOVERY)
    assert step.status == ALLOWED[(state, action)]


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_every_other_transition_is_refused_as_the_wrong_status(state: str, action: str) -> None:
    with pytest.raises(NotAllowed) as refused:
        lifecycle.apply(case(state), action, RECOVERY)
    assert refused.value.code == "wrong_status"


def test_allowed_lists_the_actions_of_each_status() -> None:
    for state in lifecycle.STATES:
        assert sorted(lifecycle.allowed(state)) == sorted(a for (s, a) in ALLOWED if s == state)
    assert lifecycle.allowed("passed-to-police") == []
    assert lifecycle.allowed("cg-positive") == []


def test_an_unknown_action_is_refused() -> None:
    with pytest.raises(NotAllowed) as refused:
        lifecycle.apply(case("awaiting-rg"), "approve", RECOVERY)
    assert refused.value.code == "unknown_action"


def test_the_initial_status_depends_on_the_kind() -> None:
    assert lifecycle.initial_status("nrm") == "awaiting-rg"
    assert lifecycle.initial_status("dtn") == "dtn-received"


def test_a_positive_rg_decision_starts_the_recovery_period() -> None:
    step = lifecycle.apply(case("awaiting-rg", recovery_ends_at=None, proposed_by_id=None), "rg-positive", RECOVERY)
    assert step.recovery_ends_at == NOW + RECOVERY
    assert step.proposed_by_id is None


@pytest.mark.parametrize("action", ["cg-positive", "cg-negative"])
def test_no_cg_decision_before_the_recovery_period_is_over(action: str) -> None:
    for ends in (NOW + dt.timedelta(seconds=1), None):
        with pytest.raises(NotAllowed) as refused:
            lifecycle.apply(case("rg-positive", recovery_ends_at=ends), action, RECOVERY)
        assert refused.value.code == "recovery_period"
    at_the_end = lifecycle.apply(case("rg-positive", recovery_ends_at=NOW), action, RECOVERY)
    assert at_the_end.status in ("cg-positive", "cg-negative-proposed")


@pytest.mark.parametrize("action", ["rg-negative", "cg-negative"])
def test_a_negative_decision_records_who_proposed_it(action: str) -> None:
    state = "awaiting-rg" if action == "rg-negative" else "rg-positive"
    step = lifecycle.apply(case(state, proposed_by_id=None), action, RECOVERY)
    assert step.status in lifecycle.PANEL_STATES
    assert step.proposed_by_id == CASEWORKER


@pytest.mark.parametrize("state", lifecycle.PANEL_STATES)
@pytest.mark.parametrize("action", ["uphold", "send-back"])
def test_the_proposer_cannot_review_their_own_decision(state: str, action: str) -> None:
    with pytest.raises(NotAllowed) as refused:
        lifecycle.apply(case(state, actor=PANEL_MEMBER, proposed_by_id=PANEL_MEMBER), action, RECOVERY)
    assert refused.value.code == "not_independent"
    step = lifecycle.apply(case(state, actor=PANEL_MEMBER, proposed_by_id=CASEWORKER), action, RECOVERY)
    assert step.proposed_by_id is None  # reviewed: no proposal is pending any more


def test_sending_back_returns_to_the_decision_it_came_from() -> None:
    ends = NOW - dt.timedelta(days=2)
    rg = lifecycle.apply(case("rg-negative-proposed", actor=PANEL_MEMBER), "send-back", RECOVERY)
    assert rg.status == "awaiting-rg"
    cg = lifecycle.apply(case("cg-negative-proposed", actor=PANEL_MEMBER, recovery_ends_at=ends), "send-back", RECOVERY)
    assert (cg.status, cg.recovery_ends_at) == ("rg-positive", ends)  # the recovery period is not restarted


def test_reconsideration_reopens_the_decision_that_was_negative() -> None:
    ends = NOW - dt.timedelta(days=2)
    rg = lifecycle.apply(case("rg-negative", actor=1, proposed_by_id=None), "reconsider", RECOVERY)
    assert rg.status == "awaiting-rg"
    cg = lifecycle.apply(
        case("cg-negative", actor=1, proposed_by_id=None, recovery_ends_at=ends), "reconsider", RECOVERY
    )
    assert (cg.status, cg.recovery_ends_at) == ("rg-positive", ends)
    # reopened CG decision can be made straight away: the recovery period was already over
    assert lifecycle.apply(case("rg-positive", recovery_ends_at=ends), "cg-positive", RECOVERY).status == "cg-positive"


def test_a_duty_to_notify_report_is_only_passed_to_the_police() -> None:
    assert lifecycle.allowed("dtn-received") == ["pass-to-police"]
    step = lifecycle.apply(case("dtn-received"), "pass-to-police", RECOVERY)
    assert step.status == "passed-to-police"
    for action in ("rg-positive", "rg-negative", "uphold", "reconsider"):
        with pytest.raises(NotAllowed):
            lifecycle.apply(case("dtn-received"), action, RECOVERY)


def test_who_takes_each_action() -> None:
    assert {a for a, role in lifecycle.ACTIONS.items() if role == "panel"} == {"uphold", "send-back"}
    assert lifecycle.ACTIONS["reconsider"] == "first-responder"
    assert "pass-to-police" not in lifecycle.NEEDS_REASONS
    assert set(lifecycle.ACTIONS) - lifecycle.NEEDS_REASONS == {"pass-to-police"}
