"""Routing conditions: a small expression language parsed by a grammar, never evaluated as Python.

    pv-under-age in ["yes", "not-sure"] and not (reported-to-police == "no")
    pv-under-age == "no" and years_since(pv-dob) < 18

A question id stands for its answer; see docs/flows.md for the whole language. Functions (names with
an underscore) and number comparisons are for contradiction rules (engine/conflicts.py): a function
that needs today's date gives nothing when evaluated without one, so its comparisons are false.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lark import Lark, Token, Transformer, Tree
from lark.exceptions import LarkError

from .functions import FUNCTIONS

_GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr ("or" and_expr)*
?and_expr: not_expr ("and" not_expr)*
?not_expr: "not" not_expr -> negate
         | comparison
?comparison: operand "==" operand -> eq
           | operand "!=" operand -> ne
           | operand "in" operand -> member
           | operand "not" "in" operand -> not_member
           | operand "<" operand -> lt
           | operand "<=" operand -> le
           | operand ">" operand -> gt
           | operand ">=" operand -> ge
           | operand
arguments: or_expr ("," or_expr)*
?operand: NAME -> ref
        | STRING -> string
        | NUMBER -> number
        | FUNC "(" arguments? ")" -> call
        | "[" [STRING ("," STRING)*] "]" -> strings
        | "(" or_expr ")"
NAME: /(?!(and|or|not|in)(?![a-z0-9-]))[a-z][a-z0-9]*(-[a-z0-9]+)*/
FUNC.2: /[a-z][a-z0-9]*(_[a-z0-9]+)+/
NUMBER: /[0-9]+/
STRING: /"[^"\\]*"/
%import common.WS
%ignore WS
"""

_PARSER = Lark(_GRAMMAR, parser="lalr")


class ConditionError(ValueError):
    """The text is not a valid condition."""


@dataclass(frozen=True)
class Condition:
    """A parsed condition: evaluate it against answers keyed by question id."""

    source: str
    tree: Tree[Token]

    @property
    def names(self) -> frozenset[str]:
        """The question ids the condition reads."""
        return frozenset(str(t) for t in self.tree.scan_values(lambda v: isinstance(v, Token) and v.type == "NAME"))

    def __call__(self, answers: Mapping[str, Any], today: dt.date | None = None) -> bool:
        return bool(_Evaluate(answers, today).transform(self.tree))


def parse_condition(source: str) -> Condition:
    """Parse ``source`` or raise ConditionError with the parser's reason."""
    try:
        tree = _PARSER.parse(source)
    except LarkError as error:
        raise ConditionError(str(error).splitlines()[0]) from None
    for call in tree.find_data("call"):
        name = str(call.children[0])
        if name not in FUNCTIONS:
            raise ConditionError(f"unknown function {name!r} (expected one of {', '.join(sorted(FUNCTIONS))})")
        arity = FUNCTIONS[name].arity
        given = sum(len(a.children) for a in call.children[1:] if isinstance(a, Tree))
        if given < arity[0] or (arity[1] is not None and given > arity[1]):
            raise ConditionError(f"{name}() takes {_arity_text(arity)}, not {given}")
    return Condition(source, tree)


def _arity_text(arity: tuple[int, int | None]) -> str:
    low, high = arity
    if high is None:
        return f"at least {low} arguments"
    return f"{low} argument{'s' if low != 1 else ''}" if low == high else f"{low} to {high} arguments"


def _contains(container: Any, item: Any) -> bool:
    if isinstance(container, list | tuple | set | frozenset):
        return item in container
    return False


class _Evaluate(Transformer[Token, Any]):
    def __init__(self, answers: Mapping[str, Any], today: dt.date | None) -> None:
        super().__init__()
        self._answers = answers
        self._today = today

    def ref(self, children: list[Token]) -> Any:
        return self._answers.get(str(children[0]))

    def string(self, children: list[Token]) -> str:
        return str(children[0])[1:-1]

    def strings(self, children: list[Token | None]) -> list[str]:
        return [str(c)[1:-1] for c in children if c is not None]

    def number(self, children: list[Token]) -> int:
        return int(children[0])

    def arguments(self, children: list[Any]) -> list[Any]:
        return children

    def call(self, children: list[Any]) -> Any:
        arguments = children[1] if len(children) > 1 else []
        return FUNCTIONS[str(children[0])](self._today, *arguments)

    def lt(self, children: list[Any]) -> bool:
        return _ordered(children) and children[0] < children[1]

    def le(self, children: list[Any]) -> bool:
        return _ordered(children) and children[0] <= children[1]

    def gt(self, children: list[Any]) -> bool:
        return _ordered(children) and children[0] > children[1]

    def ge(self, children: list[Any]) -> bool:
        return _ordered(children) and children[0] >= children[1]

    def eq(self, children: list[Any]) -> bool:
        return bool(children[0] == children[1])

    def ne(self, children: list[Any]) -> bool:
        return bool(children[0] != children[1])

    def member(self, children: list[Any]) -> bool:
        return _contains(children[1], children[0])

    def not_member(self, children: list[Any]) -> bool:
        return not _contains(children[1], children[0])

    def negate(self, children: list[Any]) -> bool:
        return not _truthy(children[0])

    def and_expr(self, children: list[Any]) -> bool:
        return all(_truthy(c) for c in children)

    def or_expr(self, children: list[Any]) -> bool:
        return any(_truthy(c) for c in children)


def _ordered(operands: list[Any]) -> bool:
    """Numbers compare; anything else (an unanswered question, a function with no result) is false."""
    return all(isinstance(o, int) and not isinstance(o, bool) for o in operands)


def _truthy(value: Any) -> bool:
    return value not in (None, "", [], False)
