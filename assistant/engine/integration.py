"""A flow's integration points (docs/flows.md): the questions the rest of the service reads.

The flow file names them in its ``integration`` block; the loader checks them against the flow's
questions, so renaming a question without updating the block fails ``flask flows check`` instead
of silently emptying the statistics.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .spec import Question

# The statistics' own categories (the Home Office's), which a flow's answers are mapped onto.
AGE_GROUPS = ("adult", "child", "unknown")
JURISDICTIONS = ("england", "wales", "scotland", "northern-ireland")
EXPLOITATION_TYPES = ("labour", "sexual", "criminal", "domestic", "organ-harvesting", "unknown")
GENDERS = ("female", "male", "other")
EXPLOITATION_PLACES = ("uk", "overseas", "uk-and-overseas")
# For a police force's summaries: whether others were exploited too, and when the person was last in
# contact with the exploiters, in bands coarse enough to lead to no one.
OTHER_VICTIMS = ("yes", "no", "not-sure")
EXPLOITER_CONTACT = ("last-month", "last-year", "over-a-year", "not-sure")

PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,5}$")  # the start of a reference such as NRM-7K3M-9QXR
MAX_KIND_LENGTH = 8  # the referral record keeps the kind in 8 characters


@dataclass(frozen=True)
class Category:
    """A statistics category: the kinds of question that can feed it, and the values it takes."""

    kinds: frozenset[str]
    values: tuple[str, ...]


@dataclass(frozen=True)
class Role:
    """A question whose answer is used as given: the kind it must be, and the list a select must use."""

    kind: str
    lookup: str | None = None  # None: any list
    needs_lookup: bool = False


CATEGORIES: Mapping[str, Category] = {
    "age_group": Category(frozenset({"choice"}), AGE_GROUPS),
    "jurisdiction": Category(frozenset({"choice"}), JURISDICTIONS),
    "exploitation": Category(frozenset({"multichoice"}), EXPLOITATION_TYPES),
    # Whether any of the exploitation happened in childhood; a child now was a child then.
    "age_at_exploitation": Category(frozenset({"choice"}), AGE_GROUPS),
    "gender": Category(frozenset({"choice"}), GENDERS),
    "exploitation_place": Category(frozenset({"choice"}), EXPLOITATION_PLACES),
    # A select from a list: its values are the list's own (no mapping to check).
    "nationality": Category(frozenset({"select"}), ()),
    "other_victims": Category(frozenset({"choice"}), OTHER_VICTIMS),
    "exploiter_contact": Category(frozenset({"choice"}), EXPLOITER_CONTACT),
}
ROLES: Mapping[str, Role] = {
    # The worker's organisation, offered from their account when it is on the question's list.
    "organisation": Role("select", needs_lookup=True),
    # The first responder's own reference for the report, shown on "My referrals".
    "reference": Role("text"),
    # The police force that gave a crime reference: suggested when a report is passed to the police.
    "police_force": Role("select", lookup="police-forces", needs_lookup=True),
}


@dataclass(frozen=True)
class CategorySource:
    """The question feeding a category; ``values`` maps its answers onto the category's values
    (an answer not listed is taken as it is)."""

    question: str
    values: Mapping[str, str] = field(default_factory=dict)
    line: int = 0  # where the flow file declares it


@dataclass(frozen=True)
class Integration:
    """What a flow declares for the rest of the service."""

    prefixes: Mapping[str, str] = field(default_factory=dict)  # submission kind -> reference prefix
    roles: Mapping[str, str] = field(default_factory=dict)  # role (ROLES) -> question id
    categories: Mapping[str, CategorySource] = field(default_factory=dict)  # CATEGORIES name -> source
    declared: bool = True  # False for a flow without the block: prefixes from its kinds, nothing else

    def question(self, role: str) -> str | None:
        """The id of the question that plays ``role`` (a key of ROLES), if the flow has one."""
        return self.roles.get(role)

    def answer(self, role: str, answers: Mapping[str, Any]) -> Any:
        question = self.roles.get(role)
        return answers.get(question) if question else None

    def mapped(self, category: str, answers: Mapping[str, Any]) -> list[str]:
        """The category values the answers give: one for a choice, any number for a multichoice."""
        source = self.categories.get(category)
        if source is None:
            return []
        answer = answers.get(source.question)
        chosen = answer if isinstance(answer, list) else [] if answer is None else [answer]
        return [source.values.get(str(value), str(value)) for value in chosen]


Problem = Callable[[int, str], None]
_KEYS = frozenset({"prefixes", "categories", *ROLES})
_SOURCE_KEYS = frozenset({"question", "values"})
_KIND = re.compile(r"^[a-z][a-z0-9-]*$")


def is_kind(name: str) -> bool:
    """Whether ``name`` can be a kind of submission: lower case letters, digits and hyphens that fit
    the referral record."""
    return bool(_KIND.match(name)) and len(name) <= MAX_KIND_LENGTH


def undeclared(kinds: Iterable[str]) -> Integration:
    """A flow without the block: each kind's prefix is the kind in capitals (``nrm`` -> ``NRM``)."""
    return Integration(prefixes={kind: re.sub(r"[^A-Z0-9]", "", kind.upper())[:6] for kind in kinds}, declared=False)


def read_integration(raw: Any, line: int, problem: Problem) -> Integration:
    """The ``integration`` block as written; ``check_integration`` then holds it against the flow."""
    if not isinstance(raw, dict):
        problem(line, "'integration' must be a mapping (docs/flows.md)")
        return Integration()
    line = getattr(raw, "line", line)
    for key in sorted(set(raw) - _KEYS):
        problem(line, f"integration: unknown key {key!r} (expected one of {', '.join(sorted(_KEYS))})")
    prefixes = raw.get("prefixes")
    if not isinstance(prefixes, dict) or not all(isinstance(k, str) for k in prefixes):
        problem(line, "integration: 'prefixes' must map each kind of submission to its reference prefix")
        prefixes = {}
    roles = {}
    for role in ROLES:
        if role in raw:
            if isinstance(raw[role], str):
                roles[role] = raw[role]
            else:
                problem(line, f"integration: {role!r} must be a question id")
    return Integration(
        prefixes={str(k): str(v) for k, v in prefixes.items()},
        roles=roles,
        categories=_read_categories(raw.get("categories", {}), line, problem),
    )


def _read_categories(raw: Any, line: int, problem: Problem) -> dict[str, CategorySource]:
    if not isinstance(raw, dict):
        problem(line, "integration: 'categories' must be a mapping of category to {question, values}")
        return {}
    line = getattr(raw, "line", line)
    sources = {}
    for name, source in raw.items():
        where = f"integration: category {name!r}"
        if name not in CATEGORIES:
            problem(line, f"integration: unknown category {name!r} (expected one of {', '.join(CATEGORIES)})")
            continue
        if isinstance(source, str):
            source = {"question": source}
        source_line = getattr(source, "line", line)
        if not isinstance(source, dict) or not isinstance(source.get("question"), str) or set(source) - _SOURCE_KEYS:
            problem(source_line, f"{where} is {{question: <question id>, values: {{<answer>: <category value>}}}}")
            continue
        values = source.get("values", {})
        if not isinstance(values, dict):
            problem(source_line, f"{where}: 'values' must map answers to category values")
            values = {}
        sources[name] = CategorySource(source["question"], {str(k): str(v) for k, v in values.items()}, source_line)
    return sources


def check_integration(
    integration: Integration, line: int, questions: Mapping[str, Question], kinds: Iterable[str], problem: Problem
) -> None:
    """Every question named exists and suits its role, every answer of a category question maps onto
    the category, and every kind of submission the flow makes has a reference prefix."""
    kinds = list(dict.fromkeys(kinds))
    for kind in kinds:
        if not is_kind(kind):
            problem(
                line,
                f"kind {kind!r} must be at most {MAX_KIND_LENGTH} lower case letters, digits and hyphens"
                " (without a 'kinds' rule that always holds, the flow's id is a kind too)",
            )
        if kind not in integration.prefixes:
            problem(line, f"integration: kind {kind!r} has no reference prefix in 'prefixes'")
        elif not PREFIX.match(integration.prefixes[kind]):
            problem(line, f"integration: the prefix of {kind!r} must be 1 to 6 capital letters or digits, such as NRM")
    for kind in integration.prefixes:
        if kind not in kinds:
            problem(line, f"integration: prefix for {kind!r}, a kind the flow never makes ({', '.join(kinds)})")
    for role, question_id in integration.roles.items():
        question = questions.get(question_id)
        if question is None:
            problem(line, f"integration: {role!r} names unknown question {question_id!r}")
            continue
        wanted = ROLES[role]
        for kind, lookup in _forms(question):
            if kind != wanted.kind:
                problem(question.line, f"integration: {role!r} must be a {wanted.kind} question, not {kind}")
            elif wanted.needs_lookup and (lookup is None or wanted.lookup not in (None, lookup)):
                listed = f"the list {wanted.lookup!r}" if wanted.lookup else "a list"
                problem(question.line, f"integration: {role!r} must be a select from {listed} ('lookup')")
    for name, source in integration.categories.items():
        _check_category(name, source, line, questions, problem)


def _check_category(
    name: str, source: CategorySource, line: int, questions: Mapping[str, Question], problem: Problem
) -> None:
    category = CATEGORIES[name]
    line = source.line or line
    where = f"integration: category {name!r}"
    question = questions.get(source.question)
    if question is None:
        problem(line, f"{where} names unknown question {source.question!r}")
        return
    if not category.values:  # open: the list's values are taken as they are
        if question.kind not in category.kinds:
            problem(question.line, f"{where} must be fed by a {' or '.join(sorted(category.kinds))} question")
        return
    for target in sorted(set(source.values.values()) - set(category.values)):
        problem(line, f"{where}: {target!r} is not one of its values ({', '.join(category.values)})")
    wrong = sorted({kind for kind, _lookup in _forms(question) if kind not in category.kinds})
    if wrong:
        fits = " or ".join(sorted(category.kinds))
        problem(question.line, f"{where} must be fed by a {fits} question, not {', '.join(wrong)}")
        return
    options: set[str] = set().union(*_option_sets(question))
    for answer in sorted(set(source.values) - options):
        problem(line, f"{where}: maps {answer!r}, which is not an answer of question {question.id!r}")
    for answer in sorted(options - set(source.values) - set(category.values)):
        problem(question.line, f"{where}: answer {answer!r} of question {question.id!r} needs a value in 'values'")


def _forms(question: Question) -> list[tuple[str, str | None]]:
    """The kinds and lists the question takes, as written and in each variant."""
    forms = [(question.kind, question.lookup)]
    for variant in question.variants:
        forms.append((variant.overrides.get("kind", question.kind), variant.overrides.get("lookup", question.lookup)))
    return list(dict.fromkeys(forms))


def _option_sets(question: Question) -> list[set[str]]:
    sets = [{o.value for o in question.options}]
    for variant in question.variants:
        if "options" in variant.overrides:
            sets.append({o.value for o in variant.overrides["options"]})
    return sets
