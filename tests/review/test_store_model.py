"""The store's fold against a plain model: any sequence of two reviewers' actions, undos included."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossfoot.review.store import ReviewStore, ReviewStoreError

REVIEWERS = ("alice", "bob")
KEYS = ("k1", "k2")

action = st.one_of(
    st.tuples(st.sampled_from(REVIEWERS), st.just("state"), st.sampled_from(KEYS),
              st.sampled_from(("open", "confirmed", "dismissed")), st.sampled_from((None, "n"))),
    st.tuples(st.sampled_from(REVIEWERS), st.just("note"), st.sampled_from(KEYS), st.none(), st.just("m")),
    st.tuples(st.sampled_from(REVIEWERS), st.just("undo"), st.none(), st.none(), st.none()),
)


@dataclass
class Ev:
    reviewer: str
    kind: str
    key: str
    state: str | None
    note: str | None
    live: bool = True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(action, max_size=25))
def test_fold_matches_model(tmp_path: Path, actions: list[tuple[str, str, str | None, str | None, str | None]]) -> None:
    sha = uuid.uuid4().hex  # a fresh report per example; the database is shared across examples
    stores = {r: ReviewStore.open(tmp_path / "m.sqlite3", reviewer=r) for r in REVIEWERS}
    model: list[Ev] = []
    try:
        for n, (who, kind, key, state, note) in enumerate(actions):
            s = stores[who]
            if kind == "undo":
                mine = [e for e in model if e.reviewer == who and e.live]
                undone = s.undo(sha)
                if mine:
                    mine[-1].live = False
                    assert undone is not None and (undone.finding, undone.kind) == (mine[-1].key, mine[-1].kind)
                else:
                    assert undone is None
                continue
            assert key is not None
            text = None if note is None else f"{note}{n}"
            if kind == "state":
                assert state is not None
                s.set_state(sha, key, state, note=text)  # type: ignore[arg-type]
            else:
                assert text is not None
                s.add_note(sha, key, text)
            model.append(Ev(who, kind, key, state, text))

        reviews = stores["alice"].reviews(sha)
        for key in KEYS:
            live = [e for e in model if e.key == key and e.live]
            states = [e for e in live if e.kind == "state"]
            r = stores["bob"].review(sha, key)
            assert r.state == (states[-1].state if states else "open")
            assert r.reviewer == (states[-1].reviewer if states else None)
            assert [n.text for n in r.notes] == [e.note for e in live if e.note]
            assert r.by_reviewer == {e.reviewer: e.state for e in states}
            assert (key in reviews) == bool(live)
    finally:
        for s in stores.values():
            s.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    ReviewStore.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(ReviewStoreError, match="newer crossfoot"):
        ReviewStore.open(db)
