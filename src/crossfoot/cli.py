"""Command line: `crossfoot FILE` opens the review app; subcommands for scripts and pipelines.

Imports stay inside the commands: start-up time is most of a warm run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from crossfoot import __version__

CHECK_FORMATS = ("text", "json", "md", "csv", "xlsx")
COMMANDS = ("open", "check", "dump", "export", "batch", "checks")
FAIL_LEVELS = ("high", "medium", "low", "never")
# Exit codes (README "Use"): 0 ran, nothing reached --fail-on; 1 a problem did; 2 the input cannot be read;
# 3 (only with --fail-on) nothing reached it on the pages read, but some pages could not be checked.
EXIT_OK, EXIT_PROBLEMS, EXIT_INPUT, EXIT_INCOMPLETE = 0, 1, 2, 3


def _add_input(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="the report: a PDF, or a text/markdown export of one")
    p.add_argument("--password", help="password of an encrypted PDF")
    p.add_argument("--no-cache", action="store_true", help="parse afresh; do not read or write the parse cache")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="crossfoot",
        description="Tie every figure in a public-finance report's narrative to its table cell and flag "
                    "what does not hold. `crossfoot FILE` opens the review app.",
    )
    ap.add_argument("--version", action="version", version=f"crossfoot {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("open", help="open a report in the review app (the default command)",
                       description="Open a report in the terminal review app.")
    _add_input(p)
    p.add_argument("--review-db", help="review database (default: in your data directory)")
    p.add_argument("--reviewer", help="your name in the audit trail (default: login name)")

    p = sub.add_parser("check", help="check a report and print its findings",
                       description="Check a report. Exit 0: ran, nothing reached --fail-on; 1: something "
                                   "did; 2: the input cannot be read; 3 (with --fail-on): nothing reached it "
                                   "but some pages could not be checked.")
    _add_input(p)
    p.add_argument("--format", choices=CHECK_FORMATS,
                   help="text (default), json, md, csv or xlsx (needs -o); with -o, the file's extension "
                        "decides when omitted")
    p.add_argument("--all", action="store_true",
                   help="also list what was checked and held (consistent / rounding)")
    p.add_argument("--fail-on", choices=FAIL_LEVELS, default="never",
                   help="exit 1 when a problem of this severity or worse is found, 3 when none is but "
                        "pages could not be checked (default: never)")
    p.add_argument("--check", action="append", metavar="ID", help="run only this check (repeatable)")
    p.add_argument("-o", "--output", help="write to this file instead of standard output")

    p = sub.add_parser("dump", help="print what was parsed: tables and narrative",
                       description="Print the document model: tables (with parsed values) and narrative blocks.")
    _add_input(p)
    p.add_argument("--format", choices=("text", "json"), help="text (default) or json")
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p.add_argument("--page", type=int, metavar="N", help="only page N: its text as read (or, with --image, a picture)")
    p.add_argument("--image", metavar="PNG", help="with --page: draw the cells found over the rendered page")

    p = sub.add_parser("export", help="export findings with review decisions as a working paper",
                       description="Export every finding with its review state.")
    _add_input(p)
    p.add_argument("--format", choices=("md", "csv", "xlsx", "json", "pdf"),
                   help="md (default), csv, xlsx, json, or pdf (a copy of the report with every finding marked on "
                        "it; needs -o); with -o, the file's extension decides when omitted")
    p.add_argument("-o", "--output", help="output file (default: standard output; required for xlsx and pdf)")
    p.add_argument("--review-db", help="review database (default: in your data directory)")
    p.add_argument("--reviewer", help="your name on the working paper (default: login name)")
    p.add_argument("--all", action="store_true",
                   help="also export what was checked and held (consistent / rounding)")
    p.add_argument("--dismissed", choices=("faint", "omit"), default="faint",
                   help="pdf: draw dismissed findings faint (default) or leave them out")
    p.add_argument("--drop-password", action="store_true",
                   help="pdf: write an encrypted report's marked-up copy without its password")

    p = sub.add_parser("batch", help="screen many reports into one findings table (CSV, xlsx or Parquet)",
                       description="Screen many reports; one bad file never stops the run; resumes.")
    p.add_argument("paths", nargs="+", help="files, directories or glob patterns")
    p.add_argument("-o", "--output", required=True,
                   help="findings table: .csv, .xlsx or .parquet (the extension decides the format)")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: cores)")
    p.add_argument("--dask", metavar="ADDRESS", help="run on an existing Dask distributed cluster")
    p.add_argument("--no-cache", action="store_true")

    p = sub.add_parser("checks", help="list the check catalogue", description="List every registered check.")
    p.add_argument("--format", choices=("text", "md"), default="text")
    return ap


def main(argv: Sequence[str] | None = None, *, own_process: bool = False) -> int:
    """Run one command; its exit code. `own_process`: the process is crossfoot's own and ends with
    this command (the console entry point), so a one-shot command may run it as one (crossfoot.runtime)."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    # `crossfoot FILE` is `crossfoot open FILE`.
    if args_in and not args_in[0].startswith("-") and args_in[0] not in COMMANDS:
        args_in.insert(0, "open")
    ap = build_parser()
    args = ap.parse_args(args_in)
    if args.command is None:
        ap.print_help()
        return 0
    if own_process:
        from crossfoot.runtime import ONE_SHOT, one_shot

        if args.command in ONE_SHOT:
            one_shot()
    from crossfoot.errors import InputError
    from crossfoot.textsafe import clean_line

    # Messages carry file names and report text: cleaned, so neither can drive the terminal.
    try:
        return int(_dispatch(args))
    except InputError as e:
        print(f"crossfoot: {clean_line(str(e))}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:  # e.g. -o into a missing or read-only directory, a full disk: one line, not a traceback
        print(f"crossfoot: {clean_line(str(e.filename or ''))}: {clean_line(str(e.strerror or e))}", file=sys.stderr)
        return EXIT_INPUT
    except MemoryError:
        print("crossfoot: out of memory (the report asks for more than this machine allows)", file=sys.stderr)
        return EXIT_INPUT


def _prepare_check() -> None:
    # The pipeline itself is imported here too, not before the page workers are forked.
    from crossfoot.pipeline import prepare

    prepare()


def _load(args: argparse.Namespace) -> object:
    from crossfoot.ingest import load
    from crossfoot.progress import stderr_progress
    from crossfoot.textsafe import clean_line

    meanwhile: Callable[[], object] | None = None
    if args.command == "check":
        meanwhile = _prepare_check  # the checks load while the pages parse
    with stderr_progress(clean_line(Path(args.file).name)) as progress:
        return load(args.file, password=args.password, progress=progress, use_cache=not args.no_cache,
                    meanwhile=meanwhile)


def _format(args: argparse.Namespace, allowed: Sequence[str], default: str) -> str:
    """--format, else the -o file's extension, else default; a contradiction is one line, exit 2."""
    from crossfoot.errors import InputError
    from crossfoot.writers import FormatError, format_for_output

    try:
        return format_for_output(getattr(args, "output", None), args.format, allowed, default)
    except FormatError as e:
        raise InputError(str(e)) from None


def _check_output(args: argparse.Namespace) -> None:
    out = getattr(args, "output", None)
    if out:
        from crossfoot.fsutil import check_output_path

        check_output_path(Path(out), inputs=[Path(args.file)])


def _write(args: argparse.Namespace, text: str) -> None:
    out = getattr(args, "output", None)
    if out:
        from crossfoot.fsutil import atomic_write_text

        atomic_write_text(Path(out), text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _dump_page(args: argparse.Namespace, report: object) -> int:
    from crossfoot.errors import InputError
    from crossfoot.model import Report

    assert isinstance(report, Report)
    if args.page is None:
        raise InputError("--image needs --page N")
    if args.image:
        from crossfoot.pageimage import draw_page

        drawn = draw_page(report, args.page, Path(args.image), password=args.password)
        tables = ", ".join(f"{tid} ({n} cells)" for tid, n in sorted(drawn.cells.items())) or "no table cells"
        print(f"{drawn.path}: page {drawn.page}: {tables}; {drawn.blocks} narrative blocks", file=sys.stderr)
        return 0
    if not 1 <= args.page <= report.n_pages:
        raise InputError(f"{report.path}: no page {args.page} (the report has {report.n_pages} pages)")
    _write(args, report.pages[args.page - 1].text + "\n")
    return 0


def _dispatch(args: argparse.Namespace) -> int:
    cmd = args.command
    if cmd == "checks":
        from crossfoot.checks import all_checks, catalogue_markdown

        if args.format == "md":
            sys.stdout.write(catalogue_markdown())
            return 0
        for spec in all_checks():
            print(f"{spec.id:22} {spec.family:11} {spec.severity:7} {spec.doc}")
        return 0
    if cmd == "batch":
        from crossfoot.batch import BatchOptions, run_batch_cli

        return run_batch_cli(BatchOptions(paths=tuple(args.paths), output=args.output, jobs=args.jobs,
                                          dask=args.dask, use_cache=not args.no_cache))
    if cmd == "open":
        from crossfoot.tui.app import run_app

        return run_app(args.file, password=getattr(args, "password", None),
                       no_cache=getattr(args, "no_cache", False), review_db=getattr(args, "review_db", None),
                       reviewer=getattr(args, "reviewer", None))

    from crossfoot.errors import InputError

    # Output path and format are settled before the (possibly long) parse.
    _check_output(args)
    if cmd == "dump":
        fmt = _format(args, ("text", "json"), "text")
    elif cmd == "check":
        fmt = _format(args, CHECK_FORMATS, "text")
        if fmt == "xlsx" and not args.output:
            raise InputError("--format xlsx needs -o FILE.xlsx (a workbook cannot go to standard output)")
    else:
        fmt = _format(args, ("md", "csv", "xlsx", "json", "pdf"), "md")
    report = _load(args)
    # Imported after the load: a cold run loads the model while its page workers parse.
    from crossfoot.model import Report

    assert isinstance(report, Report)
    if cmd == "dump":
        if args.page is not None or args.image:
            return _dump_page(args, report)
        from crossfoot.render import dump_json, dump_text

        _write(args, dump_json(report) if fmt == "json" else dump_text(report))
        return 0
    if cmd == "check":
        from crossfoot.findings import SEVERITY_ORDER
        from crossfoot.pipeline import analyse, analyse_cached
        from crossfoot.render import render_findings

        if args.check:
            analysis = analyse(report, only=args.check)
        else:
            # A warm run loads the findings too; a password-protected report's quotes never go to disk.
            analysis = analyse_cached(report, use_cache=not args.no_cache and args.password is None)
        if fmt == "xlsx":  # the export's workbook writer, without review decisions
            from crossfoot.fsutil import atomic_write_bytes
            from crossfoot.review.export import export_bytes

            atomic_write_bytes(Path(args.output), export_bytes(analysis, None, "xlsx", include_all=args.all))
        else:
            _write(args, render_findings(analysis, fmt, include_all=args.all))
        if args.fail_on == "never":
            return EXIT_OK
        bar = SEVERITY_ORDER[args.fail_on]
        hit = any(f.is_problem and SEVERITY_ORDER[f.severity] >= bar for f in analysis.findings)
        if hit:
            return EXIT_PROBLEMS
        # A report must not pass the gate by being unreadable: "nothing found" on part of it is not "clean".
        return EXIT_INCOMPLETE if report.unreadable_pages() else EXIT_OK
    if cmd == "export":
        from crossfoot.review.export import ExportOptions, export_report

        opts = ExportOptions(format=fmt, output=args.output, review_db=args.review_db,
                             reviewer=args.reviewer, include_all=args.all,
                             use_cache=not args.no_cache and args.password is None,
                             password=args.password, dismissed=args.dismissed,
                             keep_password=not args.drop_password)
        if fmt == "pdf":
            from crossfoot.review.annotate import export_pdf

            return export_pdf(opts, report)
        return export_report(opts, report)
    raise AssertionError(cmd)


def run() -> NoReturn:
    """The console entry point: main(), then an exit without the interpreter's teardown
    (crossfoot.runtime.exit_now). In-process callers (the tests) call main() and keep their interpreter."""
    from crossfoot.runtime import exit_now

    exit_now(main(own_process=True))


if __name__ == "__main__":
    run()
