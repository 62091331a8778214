"""What is worked out from one immutable object (a Table) and asked for again and again by the checks:
its form, header depth, column kinds, segments. Keyed by the object's identity, not its value: a frozen
Table hashes every cell, which costs more than most of what is memoised here.

Each entry holds its object, so an id is never reused while its entry lives; the memo is cleared when
it grows large (a batch run analyses report after report), so it never keeps more than a few reports'
tables alive.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

_MAX = 4096
_MEMO: dict[tuple[Hashable, ...], tuple[object, object]] = {}


def by_identity(obj: object, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """compute() for obj, once per object and key (compute must depend on nothing else that changes).
    The caller must not mutate what it gets back: the next caller gets the same object."""
    k = (id(obj), *key)
    hit = _MEMO.get(k)
    if hit is not None and hit[0] is obj:
        return hit[1]  # type: ignore[return-value]
    value = compute()
    if len(_MEMO) >= _MAX:
        _MEMO.clear()
    _MEMO[k] = (obj, value)
    return value
