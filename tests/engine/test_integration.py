"""A flow's integration block: what it declares, and every mistake in it reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.engine import FlowError, FlowRegistry, parse_flow
from assistant.engine.flow import BUILTIN_LISTS

SAMPLE = (Path(__file__).resolve().parents[1] / "flows" / "sample.yaml").read_text(encoding="utf-8")
LISTS = BUILTIN_LISTS | {"organisations", "police-forces"}


def problems(source: str) -> list[str]:
    with pytest.raises(FlowError) as error:
        parse_flow(source, "sample.yaml", LISTS)
    return [str(p) for p in error.value.problems]


def test_the_block_names_the_questions_the_service_reads() -> None:
    flow = parse_flow(SAMPLE, "sample.yaml", LISTS)
    integration = flow.integration
    assert integration.question("organisation") == "employer"
    assert integration.question("reference") == "own-ref"
    assert integration.answer("police_force", {"force": "kent"}) == "kent"
    assert integration.mapped("age_group", {"minor": "y"}) == ["child"]
    assert integration.mapped("exploitation", {"harm": ["work", "crime"]}) == ["labour", "criminal"]
    assert integration.mapped("jurisdiction", {}) == []
    assert flow.kind_of({"consent": "no"}) == "notice"
    assert (flow.prefix_of("notice"), flow.prefix_of("sample")) == ("NTC", "SMP")


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("organisation: employer", "organisation: workplace"),
            "sample.yaml:11: integration: 'organisation' names unknown question 'workplace'",
        ),
        (
            ("reference: own-ref", "reference: minor"),
            "sample.yaml:40: integration: 'reference' must be a text question, not choice",
        ),
        (
            ("police_force: force", "police_force: employer"),
            "sample.yaml:33: integration: 'police_force' must be a select from the list 'police-forces' ('lookup')",
        ),
        (
            ("{sample: SMP, notice: NTC}", "{sample: SMP}"),
            "sample.yaml:11: integration: kind 'notice' has no reference prefix in 'prefixes'",
        ),
        (
            ("{sample: SMP, notice: NTC}", "{sample: SMP, notice: N-T}"),
            "sample.yaml:11: integration: the prefix of 'notice' must be 1 to 6 capital letters or digits, such as NRM",
        ),
        (
            ("{sample: SMP, notice: NTC}", "{sample: SMP, notice: NTC, other: OTH}"),
            "sample.yaml:11: integration: prefix for 'other', a kind the flow never makes (notice, sample)",
        ),
        (
            ('{"y": child, "n": adult}', '{"y": kid, "n": adult}'),
            "sample.yaml:17: integration: category 'age_group': 'kid' is not one of its values (adult, child, unknown)",
        ),
        (
            ('{"y": child, "n": adult}', '{"y": child, "n": adult, "m": adult}'),
            "sample.yaml:17: integration: category 'age_group': maps 'm', which is not an answer of question 'minor'",
        ),
        (
            ("{eng: england, cym: wales}", "{eng: england}"),
            "sample.yaml:46: integration: category 'jurisdiction': answer 'cym' of question 'nation' needs a value"
            " in 'values'",
        ),
        (
            ("question: harm", "question: nation"),
            "sample.yaml:46: integration: category 'exploitation' must be fed by a multichoice question, not choice",
        ),
        (
            ("question: minor", "question: under-18"),
            "sample.yaml:17: integration: category 'age_group' names unknown question 'under-18'",
        ),
        (
            ("  categories:\n", "  categories:\n    eye-colour: minor\n"),
            "sample.yaml:16: integration: unknown category 'eye-colour'"
            " (expected one of age_group, jurisdiction, exploitation, age_at_exploitation, gender, exploitation_place, nationality, other_victims, exploiter_contact)",
        ),
    ],
)
def test_each_mistake_is_reported_with_file_and_line(edit: tuple[str, str], expected: str) -> None:
    old, new = edit
    assert old in SAMPLE
    assert problems(SAMPLE.replace(old, new, 1)) == [expected]


def test_renaming_a_question_without_the_block_fails_the_check() -> None:
    renamed = SAMPLE.replace("id: own-ref", "id: your-ref")
    assert problems(renamed) == ["sample.yaml:11: integration: 'reference' names unknown question 'own-ref'"]


def test_a_flow_without_the_block_takes_its_kinds_in_capitals_as_prefixes() -> None:
    bare = SAMPLE.split("integration:")[0] + "sections:" + SAMPLE.split("\nsections:")[1]
    flow = parse_flow(bare, "sample.yaml", LISTS)
    assert (flow.prefix_of("sample"), flow.prefix_of("notice")) == ("SAMPLE", "NOTICE")
    assert flow.integration.question("reference") is None
    assert flow.integration.mapped("age_group", {"minor": "y"}) == []


def test_a_stored_version_from_before_the_block_takes_the_current_declarations() -> None:
    registry = FlowRegistry(lists=None, list_names=LISTS)  # type: ignore[arg-type]  # lists unused here
    registry.add(parse_flow(SAMPLE, "sample.yaml", LISTS), current=True)
    older = SAMPLE.split("integration:")[0] + "sections:" + SAMPLE.split("\nsections:")[1]
    stored = registry.add_source(older.replace('version: "1"', 'version: "0"'), "sample@0 (stored)").flow
    assert stored.integration.question("reference") == "own-ref"
    assert stored.prefix_of("notice") == "NTC"
    unfit = registry.add_source(older.replace("id: own-ref", "id: your-ref"), "sample@0 (stored)").flow
    assert unfit.integration.question("reference") is None  # it would name a question it does not have


def test_a_kind_must_fit_the_referral_record() -> None:
    longer = SAMPLE.replace("    kind: notice", "    kind: noticeboard").replace("notice: NTC", "noticeboard: NTC")
    assert problems(longer) == [
        "sample.yaml:11: kind 'noticeboard' must be at most 8 lower case letters, digits and hyphens"
        " (without a 'kinds' rule that always holds, the flow's id is a kind too)"
    ]


def test_an_open_category_takes_a_select_and_refuses_a_choice() -> None:
    edited = SAMPLE.replace("  categories:\n", "  categories:\n    nationality: minor\n", 1)
    assert problems(edited) == ["sample.yaml:41: integration: category 'nationality' must be fed by a select question"]
