"""Parse cache: a parsed Report stored as gzip'd JSON, keyed by the file's content and the parser version.

JSON, not pickle: a file planted in the cache directory must never be able to run code, and
everything read back is validated against the model's field types before it is trusted.
Anything odd (corrupt, stale, wrong owner, symlink, too big) is treated as a miss and rebuilt.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import hashlib
import json
import logging
import os
import stat
import types
import typing
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crossfoot.cachedir import usable_dir
from crossfoot.findings import FigureLink, Finding
from crossfoot.model import Report

log = logging.getLogger(__name__)

FORMAT = "crossfoot-parse-cache"
FORMAT_VERSION = 1
SUFFIX = ".json.gz"
# A parsed 500-page report is a few MB of JSON; anything far beyond is not ours.
MAX_JSON_BYTES = 512 * 1024 * 1024
# Least recently used entries go once the directory holds more than this (entries are ~50 KB/100 pages).
MAX_CACHE_BYTES = 512 * 1024 * 1024

Decoder = Callable[[Any], Any]


class CacheInvalid(ValueError):
    """A cache entry that must not be trusted."""


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def entry_path(directory: Path, sha: str, parser: str) -> Path:
    return directory / f"{sha}-{parser}-{schema_fingerprint()[:12]}{SUFFIX}"


def cached_load(path: Path, build: Callable[[], Report], parser: str) -> Report:
    """The report parsed from path: from the cache when a valid entry exists, else build() and store it.

    parser is the parser's version (the caller's, so that the cache does not import the parser): an entry
    written by another version is never read.
    """
    path = Path(path)
    sha = file_sha256(path)
    directory = usable_dir()
    if directory is not None:
        entry = entry_path(directory, sha, parser)
        try:
            report = read_entry(entry, sha, parser)
        except FileNotFoundError:
            pass
        except (CacheInvalid, OSError) as e:
            log.info("parse cache entry %s ignored: %s", entry.name, e)
        else:
            with contextlib.suppress(OSError):
                os.utime(entry)  # recency for eviction
            return dataclasses.replace(report, path=str(path))
    report = build()
    if directory is not None and report.sha256 == sha:
        try:
            write_entry(entry_path(directory, sha, parser), report, parser)
        except OSError as e:  # read-only or full disk: the run still succeeds, only uncached
            log.info("parse cache not written: %s", e)
    return report


def read_entry(entry: Path, sha: str, parser: str) -> Report:
    """Load and validate one entry. Raises FileNotFoundError, OSError or CacheInvalid."""
    return decode_document(_read_json(entry), sha, parser)


def _read_json(entry: Path) -> Any:
    """The JSON document of one gzip'd entry, after the ownership and size checks."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(entry, flags)
    except OSError as e:
        if isinstance(e, FileNotFoundError):
            raise
        raise CacheInvalid(f"cannot open ({e.strerror or e})") from None  # ELOOP: a planted symlink
    with os.fdopen(fd, "rb") as raw:
        st = os.fstat(raw.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise CacheInvalid("not a regular file")
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise CacheInvalid("belongs to another user")
        try:
            with gzip.GzipFile(fileobj=raw, mode="rb") as gz:
                data = gz.read(MAX_JSON_BYTES + 1)
        except (OSError, EOFError, zlib.error) as e:
            raise CacheInvalid(f"not gzip ({e})") from None
    if len(data) > MAX_JSON_BYTES:
        raise CacheInvalid("too large")
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as e:
        raise CacheInvalid(f"not JSON ({type(e).__name__})") from None
    return doc


def write_entry(entry: Path, report: Report, parser: str) -> None:
    from crossfoot.fsutil import atomic_write_bytes

    raw = json.dumps(encode_document(report, parser), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    atomic_write_bytes(entry, gzip.compress(raw, compresslevel=5, mtime=0))
    _prune_other_versions(entry, report.sha256)
    _evict(entry.parent, keep=entry)


def _prune_other_versions(keep: Path, sha: str) -> None:
    """Entries of the same file written by an older parser are dead weight."""
    with contextlib.suppress(OSError):
        # Parse entries are named sha-…, findings entries sha.findings-…: each prunes only its own kind.
        for old in keep.parent.glob(f"{sha}{'-' if keep.name.startswith(sha + '-') else FINDINGS_INFIX}*{SUFFIX}"):
            if old.name != keep.name:
                with contextlib.suppress(OSError):
                    old.unlink()


def _evict(directory: Path, keep: Path, limit: int | None = None) -> None:
    limit = MAX_CACHE_BYTES if limit is None else limit
    with contextlib.suppress(OSError):
        entries = []
        for e in directory.glob("*" + SUFFIX):
            with contextlib.suppress(OSError):
                st = os.lstat(e)
                entries.append((st.st_mtime, st.st_size, e))
        total = sum(size for _, size, _ in entries)
        for _, size, e in sorted(entries, key=lambda t: t[0]):
            if total <= limit:
                break
            if e != keep:
                with contextlib.suppress(OSError):
                    e.unlink()
                    total -= size


def encode_document(report: Report, parser: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "v": FORMAT_VERSION,
        "parser": parser,
        "schema": schema_fingerprint(),
        "sha256": report.sha256,
        "report": _encode(report),
    }


def _decode_entry(doc: Any, expect: dict[str, Any], field: str, tp: Any) -> Any:
    """Check an entry's header against what this build expects, then decode its payload strictly."""
    if not isinstance(doc, dict):
        raise CacheInvalid("not an object")
    for k, v in expect.items():
        if doc.get(k) != v:
            raise CacheInvalid(f"stale or foreign entry ({k} differs)")
    try:
        return _decoder(tp)(doc.get(field))
    except RecursionError:
        raise CacheInvalid("nested too deeply") from None


def decode_document(doc: Any, sha: str, parser: str) -> Report:
    expect = {"format": FORMAT, "v": FORMAT_VERSION, "parser": parser,
              "schema": schema_fingerprint(), "sha256": sha}
    report = _decode_entry(doc, expect, "report", Report)
    assert isinstance(report, Report)
    if report.sha256 != sha:
        raise CacheInvalid("embedded sha256 differs")
    return report


# --- findings cache: what the checks concluded about one parsed report, so a warm run only renders.

FINDINGS_FORMAT = "crossfoot-findings-cache"
FINDINGS_INFIX = ".findings-"
# Parts of the package that cannot change a finding (the review app, the review store and export).
_NOT_CORE = frozenset({"tui", "review"})
_checks_version: list[str | None] = []


@dataclasses.dataclass(frozen=True)
class CachedFindings:
    findings: tuple[Finding, ...]
    failed_checks: tuple[str, ...]
    held_back: tuple[Finding, ...]
    links: tuple[FigureLink, ...] = ()  # every narrative figure's link state, rendered by check --all


def checks_version() -> str | None:
    """A hash of the package version, model schema, the source of every core module (the parser's too) and
    the data files (*.toml) the core reads.

    Any edit to a check, to figure extraction or matching invalidates cached findings. None (no findings
    caching) when the sources cannot be read.
    """
    if not _checks_version:
        import crossfoot

        h = hashlib.sha256(f"{crossfoot.__version__}\0{schema_fingerprint()}".encode())
        version: str | None
        try:
            root = Path(crossfoot.__file__).resolve().parent
            # Report knowledge lives in data files next to the code: an edit there changes findings too.
            files = sorted(p for p in root.rglob("*") if p.suffix in (".py", ".toml")
                           and p.relative_to(root).parts[0] not in _NOT_CORE)
            if not files:
                raise OSError("no sources")
            for f in files:
                h.update(f.relative_to(root).as_posix().encode("utf-8") + b"\0")
                h.update(f.read_bytes() + b"\0")
            version = h.hexdigest()
        except (OSError, ValueError) as e:
            log.info("findings cache disabled: %s", e)
            version = None
        _checks_version.append(version)
    return _checks_version[0]


def findings_entry_path(directory: Path, sha: str, version: str) -> Path:
    return directory / f"{sha}{FINDINGS_INFIX}{version[:16]}{SUFFIX}"


def cached_findings(sha: str, compute: Callable[[], CachedFindings]) -> CachedFindings:
    """The findings for the report with this sha256: from the cache when valid, else compute() and store."""
    version = checks_version()
    directory = usable_dir() if version is not None else None
    if directory is None or version is None:
        return compute()
    entry = findings_entry_path(directory, sha, version)
    try:
        got = decode_findings(_read_json(entry), sha, version)
    except FileNotFoundError:
        pass
    except (CacheInvalid, OSError) as e:
        log.info("findings cache entry %s ignored: %s", entry.name, e)
    else:
        with contextlib.suppress(OSError):
            os.utime(entry)
        return got
    got = compute()
    try:
        write_findings(entry, sha, version, got)
    except OSError as e:
        log.info("findings cache not written: %s", e)
    return got


def write_findings(entry: Path, sha: str, version: str, got: CachedFindings) -> None:
    from crossfoot.fsutil import atomic_write_bytes

    doc = {"format": FINDINGS_FORMAT, "v": FORMAT_VERSION, "checks": version, "sha256": sha,
           "findings": _encode(got)}
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    atomic_write_bytes(entry, gzip.compress(raw, compresslevel=5, mtime=0))
    _prune_other_versions(entry, sha)
    _evict(entry.parent, keep=entry)


def decode_findings(doc: Any, sha: str, version: str) -> CachedFindings:
    expect = {"format": FINDINGS_FORMAT, "v": FORMAT_VERSION, "checks": version, "sha256": sha}
    got = _decode_entry(doc, expect, "findings", CachedFindings)
    assert isinstance(got, CachedFindings)
    return got


# --- encoding: dataclasses become lists in field order (compact); the schema fingerprint guards order.

def _encode(v: Any) -> Any:
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return [_encode(getattr(v, f.name)) for f in dataclasses.fields(v)]
    if isinstance(v, tuple | list):
        return [_encode(x) for x in v]
    return v


# --- decoding: type-directed and strict; one compiled decoder per type.

_decoders: dict[Any, Decoder] = {}
_fingerprint: list[str] = []


def schema_fingerprint() -> str:
    """A hash of every model dataclass's field names and types: a model change invalidates entries."""
    if not _fingerprint:
        parts: list[str] = []
        seen: set[type] = set()

        def walk(tp: Any) -> None:
            if isinstance(tp, type) and dataclasses.is_dataclass(tp):
                if tp in seen:
                    return
                seen.add(tp)
                hints = typing.get_type_hints(tp)
                for f in dataclasses.fields(tp):
                    parts.append(f"{tp.__qualname__}.{f.name}:{hints[f.name]!r}")
                    walk(hints[f.name])
            for a in typing.get_args(tp):
                walk(a)

        walk(Report)
        _fingerprint.append(hashlib.sha256("\n".join(parts).encode()).hexdigest())
    return _fingerprint[0]


def _decoder(tp: Any) -> Decoder:
    d = _decoders.get(tp)
    if d is None:
        d = _build_decoder(tp)
        _decoders[tp] = d
    return d


def _bad(what: str, v: Any) -> CacheInvalid:
    return CacheInvalid(f"expected {what}, got {type(v).__name__}")


def _build_decoder(tp: Any) -> Decoder:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp in (str, int, bool):
        # Exact type, not isinstance: JSON true must not decode as the int 1, nor 1 as True.
        def dec_exact(v: Any) -> Any:
            if type(v) is not tp:
                raise _bad(tp.__name__, v)
            return v
        return dec_exact
    if tp is float:
        def dec_float(v: Any) -> float:
            if type(v) is float:
                return v
            if type(v) is int:
                return float(v)
            raise _bad("float", v)
        return dec_float
    if tp is type(None):
        def dec_none(v: Any) -> None:
            if v is not None:
                raise _bad("null", v)
        return dec_none
    if origin is typing.Literal:
        allowed = frozenset(args)

        def dec_lit(v: Any) -> Any:
            if type(v) not in (str, int, bool) or v not in allowed:
                raise CacheInvalid(f"unexpected value {str(v)[:40]!r}")
            return v
        return dec_lit
    if origin in (typing.Union, types.UnionType):
        non_none = [a for a in args if a is not type(None)]
        nullable = len(non_none) < len(args)
        subs = [_decoder(a) for a in non_none]

        def dec_union(v: Any) -> Any:
            if v is None and nullable:
                return None
            for s in subs:
                try:
                    return s(v)
                except CacheInvalid:
                    continue
            raise _bad(str(tp), v)
        return dec_union
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])

            def dec_seq(v: Any) -> tuple[Any, ...]:
                if type(v) is not list:
                    raise _bad("array", v)
                return tuple(item(x) for x in v)
            return dec_seq
        items = [_decoder(a) for a in args]

        def dec_fixed(v: Any) -> tuple[Any, ...]:
            if type(v) is not list or len(v) != len(items):
                raise _bad(f"array of {len(items)}", v)
            return tuple(d(x) for d, x in zip(items, v, strict=True))
        return dec_fixed
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        names = [f.name for f in dataclasses.fields(tp)]
        field_decs: list[Decoder] = []
        cls = tp

        def dec_dc(v: Any) -> Any:
            if type(v) is not list or len(v) != len(names):
                raise _bad(f"{cls.__name__} record", v)
            return cls(**{n: d(x) for n, d, x in zip(names, field_decs, v, strict=True)})
        # Registered before the field decoders are built, so recursive types terminate.
        _decoders[tp] = dec_dc
        field_decs.extend(_decoder(hints[n]) for n in names)
        return dec_dc
    raise TypeError(f"parse cache cannot store values of type {tp!r}")
