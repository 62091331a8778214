"""What a cold run loads around its page workers, so that loading takes no wall time of its own: the
page parser's libraries once in the parent before it forks (forked workers share them, and the second
worker starts on its first page at once instead of importing them while the first opens the file), and
assembly's and the caller's modules while the workers parse (on a machine with few cores they would
otherwise wait for the parse, then load alone). Nothing is opened or parsed here."""

from __future__ import annotations

from collections.abc import Callable


def preload_parser() -> None:
    import pdfplumber  # noqa: F401

    from crossfoot.ingest import guard, hrules, pdf  # noqa: F401


def prepare_assembly(then: Callable[[], object] | None = None) -> None:
    """Assembly's modules and the form catalogue (trust judges tables by their form), then `then`."""
    import crossfoot.ingest.assemble
    import crossfoot.tables.structure  # noqa: F401
    from crossfoot.knowledge import load_catalogue

    load_catalogue()
    if then is not None:
        then()
