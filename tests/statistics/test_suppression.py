"""Small-number suppression (assistant/statistics.py)."""

from __future__ import annotations

import pytest
from flask import Flask

from assistant.statistics import SMALL, WITHHELD, Cell, suppress


def cells(*counts: int) -> list[Cell]:
    return [Cell(str(i), str(i), count) for i, count in enumerate(counts)]


def marks(found: list[Cell]) -> list[str | None]:
    return [cell.mark for cell in found]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([10, 20, 0], [None, None, None]),  # nothing small: zeros are shown
        ([10, 3, 20], [WITHHELD, SMALL, None]),  # one small count: the next smallest is withheld
        ([10, 1, 1, 20], [WITHHELD, SMALL, SMALL, None]),  # two 1s add up to a known 2: withhold more
        ([10, 2, 3, 20], [None, SMALL, SMALL, None]),  # 2 + 3 = 5 leaves several splits: enough
        ([4, 4, 30], [SMALL, SMALL, WITHHELD]),  # all 4s can be worked out too
    ],
)
def test_secondary_suppression_leaves_no_small_count_to_work_out(counts: list[int], expected: list[str | None]) -> None:
    assert marks(suppress(cells(*counts))) == expected


def test_a_table_that_does_not_add_up_has_only_its_small_counts_hidden() -> None:
    assert marks(suppress(cells(10, 3, 20), adds_up=False)) == [None, SMALL, None]


def test_hidden_counts_show_as_words_and_the_rest_as_numbers(app: Flask) -> None:
    with app.test_request_context():
        shown = [cell.shown for cell in suppress(cells(10, 3, 20))]
    assert shown == ["withheld", "fewer than 5", "20"]
