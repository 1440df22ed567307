"""The conversation engine. Pure: no web, no storage. Imports only the stdlib, transitions, yaml,
lark and the validation libraries, so it can be tested and reasoned about on its own."""

from .engine import Engine, Progress, Snapshot
from .errors import FlowError, FlowProblem, TurnRejected
from .flow import load_flow, parse_flow
from .ids import REVIEW, SUBMITTED
from .registry import FlowRegistry
from .spec import Flow, Question, Section

__all__ = [
    "REVIEW",
    "SUBMITTED",
    "Engine",
    "Flow",
    "FlowError",
    "FlowProblem",
    "FlowRegistry",
    "Progress",
    "Question",
    "Section",
    "Snapshot",
    "TurnRejected",
    "load_flow",
    "parse_flow",
]
