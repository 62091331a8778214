"""How a one-shot command's process runs and ends.

`crossfoot check`, `dump` and `export` read one report, write their output and exit. Two pieces of
the interpreter's general-purpose housekeeping cost such a run time and buy it nothing:

- the cyclic garbage collector re-scans the long-lived objects that the imports and the parsed report
  make, again and again while they are built (about a tenth of the parent process's time on a
  30-page report), while an analysis leaves only a few hundred objects in cycles;
- the interpreter's teardown frees every one of those objects one by one before the process ends,
  memory the operating system takes back at once.

The app (`open`) runs for as long as a review lasts, and `batch` reads many reports in one process:
both keep the collector. Page workers turn it back on for themselves (crossfoot.ingest.budget): they
parse under a memory limit, and pdfminer's objects do form cycles.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn

# The commands that read one report, write their output and exit.
ONE_SHOT = frozenset({"check", "dump", "export"})


def one_shot() -> None:
    """This process runs one command to its end: no cyclic collection while it does."""
    gc.disable()


def exit_now(code: int) -> NoReturn:
    """End the process with `code` once everything written is out, without the interpreter's
    teardown. Only after the command has returned: files it wrote are closed and renamed into
    place by then (crossfoot.fsutil); standard output and logging are flushed here."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (BrokenPipeError, ValueError):
            # A reader that went away (`| head`), or a stream closed already: nothing is left to deliver.
            pass
        except OSError:
            # Output lost (a full disk): never report success for it; 120 is what the interpreter
            # gives when it cannot flush standard output at exit.
            code = code or 120
    import logging  # loaded by then whenever anything logged; not before the page workers fork

    logging.shutdown()
    os._exit(code)
