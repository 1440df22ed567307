"""Routing conditions: a small expression language parsed by a grammar, never evaluated as Python.

    pv-under-age in ["yes", "not-sure"] and not (reported-to-police == "no")

A question id stands for its answer; see docs/flows.md for the whole language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lark import Lark, Token, Transformer, Tree
from lark.exceptions import LarkError

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
           | operand
?operand: NAME -> ref
        | STRING -> string
        | "[" [STRING ("," STRING)*] "]" -> strings
        | "(" or_expr ")"
NAME: /(?!(and|or|not|in)(?![a-z0-9-]))[a-z][a-z0-9]*(-[a-z0-9]+)*/
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

    def __call__(self, answers: Mapping[str, Any]) -> bool:
        return bool(_Evaluate(answers).transform(self.tree))


def parse_condition(source: str) -> Condition:
    """Parse ``source`` or raise ConditionError with the parser's reason."""
    try:
        tree = _PARSER.parse(source)
    except LarkError as error:
        raise ConditionError(str(error).splitlines()[0]) from None
    return Condition(source, tree)


def _contains(container: Any, item: Any) -> bool:
    if isinstance(container, list | tuple | set | frozenset):
        return item in container
    return False


class _Evaluate(Transformer[Token, Any]):
    def __init__(self, answers: Mapping[str, Any]) -> None:
        super().__init__()
        self._answers = answers

    def ref(self, children: list[Token]) -> Any:
        return self._answers.get(str(children[0]))

    def string(self, children: list[Token]) -> str:
        return str(children[0])[1:-1]

    def strings(self, children: list[Token | None]) -> list[str]:
        return [str(c)[1:-1] for c in children if c is not None]

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


def _truthy(value: Any) -> bool:
    return value not in (None, "", [], False)
