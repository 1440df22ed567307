"""Routing conditions: a small expression language parsed by a grammar, never evaluated as Python.

    pv-under-age in ["yes", "not-sure"] and not (reported-to-police == "no")
    pv-under-age == "no" and years_since(pv-dob) < 18

A question id stands for its answer; see docs/flows.md for the whole language. Functions (names with
an underscore) and number comparisons are for contradiction rules (engine/conflicts.py): a function
that needs today's date gives nothing when evaluated without one, so its comparisons are false.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lark import Lark, Token, Tree
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


Evaluate = Callable[[Mapping[str, Any], "dt.date | None"], Any]


@dataclass(frozen=True)
class Condition:
    """A parsed condition: evaluate it against answers keyed by question id."""

    source: str
    tree: Tree[Token]
    # The tree compiled once into nested closures: walking the tree with a Transformer at every
    # evaluation was a tenth of a chat turn's CPU.
    evaluate: Evaluate = field(repr=False, compare=False)

    @property
    def names(self) -> frozenset[str]:
        """The question ids the condition reads."""
        return frozenset(str(t) for t in self.tree.scan_values(lambda v: isinstance(v, Token) and v.type == "NAME"))

    def __call__(self, answers: Mapping[str, Any], today: dt.date | None = None) -> bool:
        return bool(self.evaluate(answers, today))


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
    return Condition(source, tree, _compile(tree))


def _arity_text(arity: tuple[int, int | None]) -> str:
    low, high = arity
    if high is None:
        return f"at least {low} arguments"
    return f"{low} argument{'s' if low != 1 else ''}" if low == high else f"{low} to {high} arguments"


def _contains(container: Any, item: Any) -> bool:
    if isinstance(container, list | tuple | set | frozenset):
        return item in container
    return False


def _compile(node: Tree[Token] | Token | None) -> Evaluate:
    """The closure that evaluates ``node``: its children are compiled first, once."""
    if not isinstance(node, Tree):
        raise ConditionError(f"unexpected {node!r}")  # the grammar wraps every token in a rule
    rule = str(node.data)
    if rule == "ref":
        name = str(node.children[0])
        return lambda answers, today: answers.get(name)
    if rule in ("string", "strings", "number"):
        constant = _constant(rule, node.children)
        return lambda answers, today: constant
    if rule == "call":
        function = FUNCTIONS[str(node.children[0])]
        arguments = [_compile(a) for given in node.children[1:] if isinstance(given, Tree) for a in given.children]
        return lambda answers, today: function(today, *(a(answers, today) for a in arguments))
    operands = [_compile(child) for child in node.children if isinstance(child, Tree)]
    if rule == "and_expr":
        return lambda answers, today: all(_truthy(o(answers, today)) for o in operands)
    if rule == "or_expr":
        return lambda answers, today: any(_truthy(o(answers, today)) for o in operands)
    if rule == "negate":
        (operand,) = operands
        return lambda answers, today: not _truthy(operand(answers, today))
    compare = _COMPARISONS[rule]
    left, right = operands
    return lambda answers, today: compare(left(answers, today), right(answers, today))


def _constant(rule: str, children: list[Any]) -> Any:
    if rule == "string":
        return str(children[0])[1:-1]
    if rule == "strings":
        return [str(c)[1:-1] for c in children if c is not None]
    return int(children[0])


_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "lt": lambda a, b: _ordered(a, b) and a < b,
    "le": lambda a, b: _ordered(a, b) and a <= b,
    "gt": lambda a, b: _ordered(a, b) and a > b,
    "ge": lambda a, b: _ordered(a, b) and a >= b,
    "eq": lambda a, b: bool(a == b),
    "ne": lambda a, b: bool(a != b),
    "member": lambda a, b: _contains(b, a),
    "not_member": lambda a, b: not _contains(b, a),
}


def _ordered(*operands: Any) -> bool:
    """Numbers compare; anything else (an unanswered question, a function with no result) is false."""
    return all(isinstance(o, int) and not isinstance(o, bool) for o in operands)


def _truthy(value: Any) -> bool:
    return value not in (None, "", [], False)
