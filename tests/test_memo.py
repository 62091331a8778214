from __future__ import annotations

from functools import partial

from crossfoot import memo
from crossfoot.memo import by_identity
from crossfoot.model import Table


def _table(title: str) -> Table:
    return Table("T01", None, title, None, (1,), (("项目", "金额"),), ())


def test_computed_once_per_object_and_key() -> None:
    t = _table("收入决算表")
    calls: list[str] = []

    def compute() -> str:
        calls.append("x")
        return f"{t.title}!"

    assert by_identity(t, ("test-a",), compute) == "收入决算表!"
    assert by_identity(t, ("test-a",), compute) == "收入决算表!"
    assert by_identity(t, ("test-b",), compute) == "收入决算表!"
    assert calls == ["x", "x"]


def test_an_equal_table_is_another_object() -> None:
    a, b = _table("支出决算表"), _table("支出决算表")
    assert a == b
    assert by_identity(a, ("test-eq",), lambda: 1) == 1
    assert by_identity(b, ("test-eq",), lambda: 2) == 2


def test_the_memo_does_not_grow_without_bound() -> None:
    tables = [_table(str(k)) for k in range(memo._MAX + 10)]
    for k, t in enumerate(tables):
        by_identity(t, ("test-grow",), partial(int, k))
    assert len(memo._MEMO) <= memo._MAX
    assert by_identity(tables[-1], ("test-grow",), lambda: -1) == memo._MAX + 9
