"""Quality checks: weaknesses in a referral worth fixing before it is sent, never blocking it.

A flow declares its checks at the top level (docs/flows.md, "Quality checks"):

    quality:
      - check: too-short
        questions: [how-did-the-exploitation-start, how-they-were-treated]
        min_words: 15
        message: "This answer is short: say more about what happened."

Each check is a pure function from the answers on the route to the weaknesses it finds; each
weakness names the answer to change. Word lists live in the flow, not here: an entry matches a
whole word, or any word it begins when it ends in ``*`` ("threat*" matches "threatened").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

_ENTRY_KEYS = frozenset({"check", "questions", "message", "comment"})


@dataclass(frozen=True)
class QualityCheck:
    """One declared check: which function, the questions it reads, its parameters and its message."""

    check: str
    questions: tuple[str, ...]
    message: str
    line: int
    params: Mapping[str, Any] = field(default_factory=dict)
    comment: str | None = None


@dataclass(frozen=True)
class Weakness:
    check: str
    question_id: str  # the answer to change
    message: str  # the English source, translated by the presenter
    params: Mapping[str, str] = field(default_factory=dict)


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def mentioned(text: str, words: tuple[str, ...]) -> list[str]:
    """The entries of ``words`` that ``text`` mentions, in list order."""
    return [stem for stem, pattern in _patterns(words) if pattern.search(text)]


@functools.cache
def _patterns(words: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each word's stem and pattern ("forc*" matches "forced"), compiled once per list of a check."""
    stems = [(word.rstrip("*").lower(), word.endswith("*")) for word in words]
    return tuple(
        (stem, re.compile(rf"\b{re.escape(stem)}" + ("" if prefix else r"\b"), re.IGNORECASE)) for stem, prefix in stems
    )


def _texts(answers: Mapping[str, Any], questions: tuple[str, ...]) -> list[tuple[str, str]]:
    """The free-text answers among ``questions``, in the order declared."""
    return [(q, answers[q].strip()) for q in questions if isinstance(answers.get(q), str) and answers[q].strip()]


def too_short(check: QualityCheck, answers: Mapping[str, Any]) -> list[Weakness]:
    """Each answer with fewer than ``min_words`` words."""
    least = check.params["min_words"]
    texts = _texts(answers, check.questions)
    return [Weakness(check.check, q, check.message) for q, text in texts if len(words_of(text)) < least]


def repeated(check: QualityCheck, answers: Mapping[str, Any]) -> list[Weakness]:
    """Each answer that repeats an earlier one word for word (ignoring case, spacing and punctuation);
    answers shorter than ``min_words`` words ("Not known") may repeat."""
    least = check.params.get("min_words", 1)
    seen: set[tuple[str, ...]] = set()
    found = []
    for q, text in _texts(answers, check.questions):
        words = tuple(words_of(text))
        if len(words) < least:
            continue
        if words in seen:
            found.append(Weakness(check.check, q, check.message))
        seen.add(words)
    return found


def no_timeline(check: QualityCheck, answers: Mapping[str, Any]) -> list[Weakness]:
    """The account, taken together, has no digit (a year, a date or an age, in any script) and none of
    ``words`` (month names, "then", "after"…): one weakness, at its first answer."""
    texts = _texts(answers, check.questions)
    if not texts:
        return []
    everything = "\n".join(text for _, text in texts)
    if re.search(r"\d", everything) or mentioned(everything, check.params["words"]):
        return []
    return [Weakness(check.check, texts[0][0], check.message)]


def indicators_contradicted(check: QualityCheck, answers: Mapping[str, Any]) -> list[Weakness]:
    """The ``indicator`` question answered ``none`` while the account mentions any of ``keywords``:
    one weakness at the indicator question, with the words found as ``%(found)s``."""
    answer = answers.get(check.params["indicator"])
    chosen = answer if isinstance(answer, list) else [answer]
    if check.params["none"] not in chosen:
        return []
    everything = "\n".join(text for _, text in _texts(answers, check.questions))
    found = mentioned(everything, check.params["keywords"])
    if not found:
        return []
    return [Weakness(check.check, check.params["indicator"], check.message, {"found": ", ".join(found)})]


def no_own_reasoning(check: QualityCheck, answers: Mapping[str, Any]) -> list[Weakness]:
    """Each answer that uses none of ``words`` (first person and reasoning: "I", "because"…)."""
    words = check.params["words"]
    texts = _texts(answers, check.questions)
    return [Weakness(check.check, q, check.message) for q, text in texts if not mentioned(text, words)]


@dataclass(frozen=True)
class _Spec:
    run: Callable[[QualityCheck, Mapping[str, Any]], list[Weakness]]
    required: Mapping[str, str]  # parameter -> its type: "count", "words", "question" or "value"
    optional: Mapping[str, str] = field(default_factory=dict)


CHECKS: Mapping[str, _Spec] = {
    "too-short": _Spec(too_short, {"min_words": "count"}),
    "repeated": _Spec(repeated, {}, {"min_words": "count"}),
    "no-timeline": _Spec(no_timeline, {"words": "words"}),
    "indicators-contradicted": _Spec(
        indicators_contradicted, {"indicator": "question", "none": "value", "keywords": "words"}
    ),
    "no-own-reasoning": _Spec(no_own_reasoning, {"words": "words"}),
}


def weaknesses(checks: tuple[QualityCheck, ...], answers: Mapping[str, Any]) -> list[Weakness]:
    """The weaknesses the checks find in ``answers`` (the answers on the route), in declared order: at most
    one per answer (the first check's), so the list never names the same answer to change twice."""
    found: dict[str, Weakness] = {}
    for check in checks:
        for weakness in CHECKS[check.check].run(check, answers):
            found.setdefault(weakness.question_id, weakness)
    return list(found.values())


class QualityParser:
    """Checks the ``quality`` block of a flow, reporting problems through the flow loader."""

    def __init__(self, problem: Callable[[int, str], None]) -> None:
        self.problem = problem

    def parse(self, raw: Any, line: int, questions: Mapping[str, Any]) -> tuple[QualityCheck, ...]:
        if not isinstance(raw, list):
            self.problem(line, "'quality' must be a list of checks")
            return ()
        checks = (self.entry(item, getattr(item, "line", line), questions) for item in raw)
        return tuple(check for check in checks if check is not None)

    def entry(self, item: Any, line: int, questions: Mapping[str, Any]) -> QualityCheck | None:
        if not isinstance(item, dict):
            self.problem(line, "a quality check is {check, questions, message, …}")
            return None
        name = item.get("check")
        spec = CHECKS.get(name) if isinstance(name, str) else None
        if spec is None or not isinstance(name, str):
            self.problem(line, f"unknown quality check {name!r} (expected one of {', '.join(sorted(CHECKS))})")
            return None
        where = f"quality check {name!r}"
        for key in sorted(set(item) - _ENTRY_KEYS - set(spec.required) - set(spec.optional)):
            self.problem(line, f"{where}: unknown key {key!r}")
        ok = True
        for key in ("message", "comment"):
            if key in item and not isinstance(item[key], str):
                self.problem(line, f"{where}: {key!r} must be text")
                ok = False
        if not isinstance(item.get("message"), str):
            self.problem(line, f"{where}: 'message' is required")
            ok = False
        read = item.get("questions")
        if not isinstance(read, list) or not read or not all(isinstance(q, str) for q in read):
            self.problem(line, f"{where}: 'questions' must list the question ids it reads")
            return None
        for qid in read:
            if qid not in questions:
                self.problem(line, f"{where}: reads unknown question {qid!r}")
                ok = False
        params: dict[str, Any] = {}
        for key, kind in {**spec.required, **spec.optional}.items():
            if key not in item:
                if key in spec.required:
                    self.problem(line, f"{where}: {key!r} is required")
                    ok = False
                continue
            value = self.param(item[key], kind, line, f"{where}: {key!r}", questions)
            ok = ok and value is not None
            params[key] = value
        indicator = questions.get(params["indicator"]) if isinstance(params.get("indicator"), str) else None
        if ok and indicator is not None and "none" in params:
            values = {str(o["value"]) for o in indicator.get("options") or [] if isinstance(o, dict)}
            if params["none"] not in values:
                self.problem(line, f"{where}: {params['none']!r} is not an option of {params['indicator']!r}")
                ok = False
        if not ok:
            return None
        return QualityCheck(name, tuple(read), item["message"], line, params, item.get("comment"))

    def param(self, value: Any, kind: str, line: int, where: str, questions: Mapping[str, Any]) -> Any:
        if kind == "count":
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                return value
            self.problem(line, f"{where} must be a whole number above 0")
        elif kind == "words":
            if isinstance(value, list) and value and all(isinstance(w, str) and w.strip("*") for w in value):
                return tuple(value)
            self.problem(line, f"{where} must be a list of words")
        elif kind == "question":
            if value in questions:
                return value
            self.problem(line, f"{where}: unknown question {value!r}")
        elif isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
        else:
            self.problem(line, f"{where} must be an answer value")
        return None
