"""Tables drawn without vertical rules (三线表, or rows ruled but columns not): the cell grid is
inferred from the text.

Columns are where every line of the table leaves a gap: a coverage profile counts, for each point
across the table, the text lines that print something there; a column boundary is a low point of
that profile with text on both sides. Low points that a few lines cross (a header spanning a column
group) still count, and the crossing text becomes one merged cell. Rows are the bands between the
horizontal rules; a band holding several lines with numbers (a table ruled only at top, under the
header and at the bottom) is split line by line, and a line without numbers (a wrapped label) joins
the nearest line that has them. A partial rule marks the cells above it as merged down where it is
missing, as in a ruled table.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from crossfoot.ingest.layout import Char, group_lines, is_cjk
from crossfoot.knowledge import pattern, words

Box = tuple[float, float, float, float]

RUN_GAP = 0.6  # font sizes: a wider gap between two glyphs of a line ends a run of text
# ... and this much unless both glyphs are CJK: an amount right-aligned against the next column's
# label or code ("1,144.45一、…", "539.22 302"); numbers are printed without inner gaps.
CLASS_GAP = 0.25
BIN = 1.0  # points per bin of the coverage profile
LOW_SHARE = 0.15  # a boundary may be crossed by at most this share of the lines (spanning headers)
EDGE_TOL = 2.0  # points: a rule reaching this close to a column's edge covers it


@dataclass(frozen=True)
class _Run:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str


@dataclass(frozen=True)
class _TextLine:
    top: float
    bottom: float
    runs: tuple[_Run, ...]
    numeric: bool


def _is_number(text: str) -> bool:
    from crossfoot.numbers import parse_number

    return any(ch.isdigit() for ch in text) and parse_number(text) is not None


def _lines(chars: Sequence[Char]) -> list[_TextLine]:
    out: list[_TextLine] = []
    for group in group_lines([c for c in chars if str(c.get("text", "")).strip()]):
        group = sorted(group, key=lambda c: float(c["x0"]))
        runs: list[_Run] = []
        cur: list[Char] = []
        for c in group:
            size = float(c.get("size") or (float(c["bottom"]) - float(c["top"])) or 10.0)
            gap = float(c["x0"]) - float(cur[-1]["x1"]) if cur else 0.0
            if cur and (gap > RUN_GAP * size or (gap > CLASS_GAP * size and not (_kind(cur[-1]) and _kind(c)))):
                runs.append(_run(cur))
                cur = []
            cur.append(c)
        if cur:
            runs.append(_run(cur))
        out.append(_TextLine(min(r.top for r in runs), max(r.bottom for r in runs), tuple(runs),
                             any(_is_number(r.text) for r in runs)))
    out.sort(key=lambda ln: ln.top)
    return out


def _kind(c: Char) -> bool:
    return is_cjk(str(c["text"])[:1] or " ")


def _run(chars: Sequence[Char]) -> _Run:
    return _Run(min(float(c["x0"]) for c in chars), max(float(c["x1"]) for c in chars),
                min(float(c["top"]) for c in chars), max(float(c["bottom"]) for c in chars),
                "".join(str(c["text"]) for c in chars))


def _profile(lines: Sequence[_TextLine], x0: float, n: int,
             keep: Callable[[_Run], bool] = lambda r: True) -> list[int]:
    """How many lines print something at each bin across the table."""
    cov = [0] * n
    for ln in lines:
        hit = [False] * n
        for r in ln.runs:
            if keep(r):
                for i in range(max(int((r.x0 - x0) / BIN), 0), min(int((r.x1 - x0) / BIN) + 1, n)):
                    hit[i] = True
        for i in range(n):
            cov[i] += hit[i]
    return cov


def _bumps(cov: Sequence[int], lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Maximal runs of bins [i, j] with some coverage, within [lo, hi)."""
    hi = len(cov) if hi is None else hi
    out: list[tuple[int, int]] = []
    i = lo
    while i < hi:
        if cov[i] == 0:
            i += 1
            continue
        j = i
        while j + 1 < hi and cov[j + 1] > 0:
            j += 1
        out.append((i, j))
        i = j + 1
    return out


def _lowest(cov: Sequence[int], lo: int, hi: int) -> float:
    """The middle of the lowest stretch of the profile between bins lo and hi (exclusive)."""
    if hi <= lo:
        return (lo + hi) / 2
    best = min(cov[lo:hi])
    runs = [b for b in _bumps([1 if v == best else 0 for v in cov], lo, hi)]
    i, j = max(runs, key=lambda r: r[1] - r[0])
    return (i + j + 1) / 2


def column_bounds(lines: Sequence[_TextLine], x0: float, x1: float) -> list[float]:
    """Column boundaries x0 < s1 < … < x1.

    Body lines (rows with numbers) set the columns: a boundary wherever none of them prints, or a
    low point of their profile a few of them cross. In a gap between body columns, header text of
    its own (a column left empty, its label and 栏次 number) is a column too; a lone header word is
    a label over a column group. Each boundary sits where the fewest lines of all print."""
    n = max(int((x1 - x0) / BIN) + 1, 1)
    body_lines = [ln for ln in lines if _is_body(ln)] or list(lines)
    head_lines = [ln for ln in lines if not _is_body(ln)] if len(body_lines) < len(lines) else []
    # A total's label (合计, 人员经费合计) often spans the code and name columns: it has no say here.
    body = _profile(body_lines, x0, n, lambda r: not _TOTAL.search(r.text))
    every = _profile(lines, x0, n)
    cuts = [x0 + c * BIN for c in _dips(body, max(1, int(LOW_SHARE * len(body_lines))))]
    # The gaps between body columns, and before the first and after the last (pseudo-columns at
    # the edges carry no cut of their own): a column empty in every row still has its header there.
    columns = [(-1, -1), *_bumps(body), (n, n)]
    for (_, a), (b, _) in itertools.pairwise(columns):
        lo, hi = a + 1, b

        def inside(r: _Run, lo: int = lo, hi: int = hi) -> bool:
            return r.x0 - x0 >= lo * BIN and r.x1 - x0 < hi * BIN

        head = _profile(head_lines, x0, n, inside)
        items = [(i, j) for i, j in _bumps(head, lo, hi) if max(head[i:j + 1]) >= 2]
        edges = [a, *[e for i, j in items for e in (i, j)], b]
        for k in range(0, len(edges), 2):
            if edges[k] < 0 or edges[k + 1] >= n:
                continue  # table edge: no boundary
            cuts.append(x0 + _lowest(every, edges[k] + 1, edges[k + 1]) * BIN)
    return _headed([x0, *sorted(cuts), x1], lines)


def _dips(cov: Sequence[int], limit: int) -> list[float]:
    """Bins (as positions) of low plateaus inside a column run that a few lines cross: lower than
    both neighbours, at most limit, with clearly more text on either side."""
    out: list[float] = []
    n = len(cov)
    i = 0
    while i < n:
        v = cov[i]
        j = i
        while j + 1 < n and cov[j + 1] == v:
            j += 1
        if 0 < v <= limit and i > 0 and j + 1 < n and cov[i - 1] > v and cov[j + 1] > v:
            need = 2 * v + 1
            if _side_max(cov, i - 1, -1, v) >= need and _side_max(cov, j + 1, 1, v) >= need:
                out.append((i + j + 1) / 2)
        i = j + 1
    return out


_COLUMN_NUMBERING = words("ingest.line_number_labels")
_TOTAL = pattern("ingest.rule_total")


def _is_body(ln: _TextLine) -> bool:
    return ln.numeric and not any(w in r.text for r in ln.runs for w in _COLUMN_NUMBERING)


def _headed(bounds: list[float], lines: Sequence[_TextLine]) -> list[float]:
    """Every column has a header. A body column with none next to a column holding only header text
    is one column: a header centred over left-aligned labels (or right-aligned amounts) leaves a
    gap between the two that no line bridges."""
    n = len(bounds) - 1
    head: list[tuple[float, float] | None] = [None] * n  # extent of the header text in each column
    body: list[tuple[float, float] | None] = [None] * n
    # Header text is what is printed above the first body row; text lines further down are wrapped
    # cells and columns of words (偏差原因), with no say on headers.
    first = min((ln.top for ln in lines if _is_body(ln)), default=float("inf"))
    for ln in lines:
        if not _is_body(ln) and ln.top > first:
            continue
        mark = body if _is_body(ln) else head
        for r in ln.runs:
            for j in range(n):
                if r.x0 < bounds[j + 1] and r.x1 > bounds[j]:
                    old = mark[j]
                    mark[j] = (min(old[0], r.x0), max(old[1], r.x1)) if old else (r.x0, r.x1)
    drop: set[int] = set()  # indexes into bounds of the cuts to remove
    for j in range(n):
        mine = body[j]
        if mine is None or head[j] is not None:
            continue
        near = [k for k in (j + 1, j - 1) if 0 <= k < n and head[k] is not None and body[k] is None]
        if near:
            # The header nearer the column's text: centred over left-aligned labels it sits to the
            # right, over right-aligned amounts to the left.
            k = min(near, key=lambda k: _gap(mine, head[k]))
            drop.add(max(j, k))
            head[j], body[k] = head[k], mine
    return [b for i, b in enumerate(bounds) if i not in drop]


def _gap(a: tuple[float, float], b: tuple[float, float] | None) -> float:
    return float("inf") if b is None else max(a[0] - b[1], b[0] - a[1], 0.0)


def _side_max(cov: Sequence[int], start: int, step: int, floor: int) -> int:
    """The highest coverage from start outwards until the profile falls below floor."""
    best = 0
    k = start
    while 0 <= k < len(cov) and cov[k] >= floor:
        best = max(best, cov[k])
        k += step
    return best


def _bands(lines: Sequence[_TextLine], rule_ys: Sequence[float], label_x1: float = float("-inf")
           ) -> list[tuple[float, float]]:
    """Row bands: between consecutive rules, split line by line where a band holds several rows.
    `label_x1` is the right edge of the label column."""
    bands: list[tuple[float, float]] = []
    spans = list(itertools.pairwise(rule_ys))
    per_band = [[ln for ln in lines if top <= (ln.top + ln.bottom) / 2 <= bottom] for top, bottom in spans]
    # Rules between the rows (most bands hold one row of numbers): a band with more lines is one
    # row whose cells wrap. Rules only around the body (三线表): each line with numbers is a row.
    single = sum(1 for inside in per_band if sum(ln.numeric for ln in inside) == 1)
    multi = sum(n for inside in per_band if (n := sum(ln.numeric for ln in inside)) > 1)
    ruled_rows = single >= multi
    for (top, bottom), inside in zip(spans, per_band, strict=True):
        if not inside:
            continue
        anchors = [ln for ln in inside if ln.numeric]
        if len(anchors) <= 1 or ruled_rows:
            bands.append((top, bottom))
            continue
        # Each line with numbers is a row; a line without joins the nearest such line (above on a tie).
        groups: list[list[_TextLine]] = [[a] for a in anchors]
        for n, ln in enumerate(inside):
            if ln.numeric:
                continue
            mid = (ln.top + ln.bottom) / 2
            k = min(range(len(anchors)), key=lambda i: _nearness(anchors[i], mid))
            # A label alone on its line (合计) right over a line of amounts with no label of its own:
            # the amounts are that label's, printed one line down.
            below = inside[n + 1] if n + 1 < len(inside) else None
            if below is not None and below.numeric and _labelled(ln, label_x1) and not _labelled(below, label_x1):
                k = anchors.index(below)
            groups[k].append(ln)
        spans = sorted((min(x.top for x in g), max(x.bottom for x in g)) for g in groups)
        edges = [top] + [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(spans)] + [bottom]
        bands.extend(itertools.pairwise(edges))
    return bands


def _labelled(ln: _TextLine, label_x1: float) -> bool:
    return any(r.x0 < label_x1 for r in ln.runs)


def _nearness(anchor: _TextLine, mid: float) -> tuple[float, int]:
    centre = (anchor.top + anchor.bottom) / 2
    return abs(centre - mid), 0 if centre <= mid else 1


def _covered(rules: Sequence[tuple[float, float, float]], y: float, a: float, b: float) -> bool | None:
    """Whether a rule at height y runs under the column [a, b]; None when no rule is drawn at y."""
    at = [(x0, x1) for ry, x0, x1 in rules if abs(ry - y) <= 1.5]
    if not at:
        return None
    mid = (a + b) / 2
    return any(x0 - EDGE_TOL <= mid <= x1 + EDGE_TOL for x0, x1 in at)


def infer_cells(chars: Sequence[Char], region: Box,
                rules: Sequence[tuple[float, float, float]]) -> list[Box]:
    """Cell boxes of the table in region, drawn with the horizontal rules (y, x0, x1) only."""
    x0, top, x1, bottom = region
    inside = [c for c in chars if x0 <= (float(c["x0"]) + float(c["x1"])) / 2 <= x1
              and top <= (float(c["top"]) + float(c["bottom"])) / 2 <= bottom]
    lines = _lines(inside)
    if len(lines) < 2:
        return []
    xs = column_bounds(lines, x0, x1)
    rule_ys = sorted({round(y, 1) for y, _a, _b in rules} | {top, bottom})
    ys: list[float] = []
    for y in rule_ys:
        if not ys or y - ys[-1] > 1.5:
            ys.append(y)
    bands = _bands(lines, ys, xs[1])
    xs = _section_columns(xs, lines, ys, rules, x0, x1)
    n_rows, n_cols = len(bands), len(xs) - 1
    if n_rows < 2 or n_cols < 2:
        return []
    parent = list(range(n_rows * n_cols))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    band_lines = [[ln for ln in lines if b0 <= (ln.top + ln.bottom) / 2 <= b1] for b0, b1 in bands]
    band_runs = [[r for ln in bl for r in ln.runs] for bl in band_lines]
    for r, runs in enumerate(band_runs):
        # Text running across a boundary is one cell over both columns.
        for run in runs:
            for k in range(1, n_cols):
                if run.x0 < xs[k] - 1 and run.x1 > xs[k] + 1:
                    union(r * n_cols + k - 1, r * n_cols + k)
    for r in range(n_rows - 1):
        y = bands[r][1]
        if abs(bands[r + 1][0] - y) > 0.01:
            continue
        for j in range(n_cols):
            # A rule drawn at this height but not under this column: the cell above reaches down.
            if _covered(rules, y, xs[j], xs[j + 1]) is False:
                union(r * n_cols + j, (r + 1) * n_cols + j)
    first_body = next((r for r, bl in enumerate(band_lines) if any(_is_body(ln) for ln in bl)), n_rows)
    for r in range(first_body):
        _group_labels(band_runs, xs, r, first_body, find, union)
    for r in range(first_body, n_rows):
        _centred_label(band_runs, xs, r, first_body, find, union)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for j in range(n_cols):
            groups.setdefault(find(r * n_cols + j), []).append((r, j))
    boxes: list[Box] = []
    for members in groups.values():
        r0, r1 = min(m[0] for m in members), max(m[0] for m in members)
        c0, c1 = min(m[1] for m in members), max(m[1] for m in members)
        boxes.append((xs[c0], bands[r0][0], xs[c1 + 1], bands[r1][1]))
    # Unions that left a non-rectangle would overlap: keep the first box over each position.
    return _non_overlapping(boxes)


SECTION_MIN_BODY = 3  # body lines a section needs before its own alignment adds columns


def _section_columns(xs: list[float], lines: Sequence[_TextLine], ys: Sequence[float],
                     rules: Sequence[tuple[float, float, float]], x0: float, x1: float) -> list[float]:
    """A form changes its columns from section to section (项目资金 | 年度总体目标 | 绩效指标),
    each section closed by a rule across the whole table and ruled partially inside. The columns
    of each such section join the table's grid; text of other sections spans the extra columns."""
    full = [y for y in ys if _covered(rules, y, x0 + EDGE_TOL, x1 - EDGE_TOL) and
            any(abs(ry - y) <= 1.5 and rx0 <= x0 + 2 * EDGE_TOL and rx1 >= x1 - 2 * EDGE_TOL
                for ry, rx0, rx1 in rules)]
    out = list(xs)
    for top, bottom in itertools.pairwise([ys[0], *full, ys[-1]]):
        inner = [y for y in ys if top < y < bottom]
        section = [ln for ln in lines if top <= (ln.top + ln.bottom) / 2 <= bottom]
        if not inner or sum(_is_body(ln) for ln in section) < SECTION_MIN_BODY or len(section) == len(lines):
            continue
        for cut in column_bounds(section, x0, x1)[1:-1]:
            if all(abs(cut - c) > 2 * EDGE_TOL for c in out):
                out.append(cut)
    return sorted(out)


def _group_labels(band_runs: Sequence[Sequence[_Run]], xs: Sequence[float], r: int, first_body: int,
                  find: Callable[[int], int], union: Callable[[int, int], None]) -> None:
    """In the header, an empty cell over a sub-label belongs to the nearest label of its band: the
    group label (收入 over 项目 | 行次 | 决算数, 人员经费 over its three columns)."""
    n_cols = len(xs) - 1
    runs = [run for run in band_runs[r] if not _is_number(run.text)]
    if not runs:
        return

    def has_text(band: int, j: int) -> bool:
        return any(run.x1 > xs[j] and run.x0 < xs[j + 1] for run in band_runs[band])

    def alone(j: int) -> bool:  # not reaching into another band already
        k = find(r * n_cols + j)
        return all(find(b * n_cols + j) != k for b in (r - 1, r + 1) if 0 <= b < len(band_runs))

    def free(j: int) -> bool:  # an empty cell over a sub-label, in no other merge
        return not has_text(r, j) and alone(j) and any(has_text(b, j) for b in range(r + 1, first_body))

    def cols_of(run: _Run) -> list[int]:
        return [j for j in range(n_cols) if run.x1 > xs[j] and run.x0 < xs[j + 1]]

    def off(run: _Run, a: int, b: int) -> float:  # how far the run sits from the centre of columns a..b
        return abs((xs[a] + xs[b + 1]) / 2 - (run.x0 + run.x1) / 2)

    runs = sorted(runs, key=lambda run: run.x0)
    spans = [(c[0], c[-1]) for c in map(cols_of, runs) if c]
    if len(spans) != len(runs):
        return
    # Each label takes the free cells around it; between two labels the split leaves each as
    # centred over its own columns as it can be (人员经费 over three, 公用经费 over six).
    lo = [a for a, _ in spans]
    hi = [b for _, b in spans]
    while lo[0] > 0 and free(lo[0] - 1):
        lo[0] -= 1
    while hi[-1] < n_cols - 1 and free(hi[-1] + 1):
        hi[-1] += 1
    for k in range(len(runs) - 1):
        gap = list(range(hi[k] + 1, lo[k + 1]))
        if not gap:
            continue
        if all(free(j) for j in gap):
            best = min(range(len(gap) + 1), key=lambda m: off(runs[k], lo[k], hi[k] + m)
                       + off(runs[k + 1], hi[k] + m + 1, hi[k + 1]))
            hi[k], lo[k + 1] = hi[k] + best, hi[k] + best + 1
            continue
        # A cell in between is taken (merged down from above): each label takes its free neighbours.
        while hi[k] + 1 < lo[k + 1] and free(hi[k] + 1):
            hi[k] += 1
        while lo[k + 1] - 1 > hi[k] and free(lo[k + 1] - 1):
            lo[k + 1] -= 1
    for a, b in zip(lo, hi, strict=True):
        for j in range(a, b):
            union(r * n_cols + j, r * n_cols + j + 1)


CENTRED = 0.1  # share of a span's width: a label this close to the span's centre is centred over it


def _centred_label(band_runs: Sequence[Sequence[_Run]], xs: Sequence[float], r: int, first_body: int,
                   find: Callable[[int], int], union: Callable[[int, int], None]) -> None:
    """In the body, a row's label printed centred over the empty cells before its first amount (总分,
    合计 over the label columns of a scoring table) is one cell over them, from the first column: a
    ruled table draws that merged cell; here the label only lands in the column under its centre."""
    n_rows, n_cols = len(band_runs), len(xs) - 1
    texts = sorted((run for run in band_runs[r] if run.text.strip()), key=lambda run: run.x0)
    if not texts or _is_number(texts[0].text):
        return
    label = texts[0]
    cols = [j for j in range(n_cols) if label.x1 > xs[j] and label.x0 < xs[j + 1]]
    if not cols or cols[0] == 0:
        return
    a, b = cols[0], cols[-1]
    if any(find(q * n_cols + j) == find(r * n_cols + j) for j in range(a) for q in (r - 1, r + 1)
           if 0 <= q < n_rows):
        return  # a cell to its left belongs to another row's cell (merged down from above)
    nxt = next((run for run in texts[1:] if run.x0 >= label.x1), None)
    if nxt is None or not _is_number(nxt.text):
        return  # a label the row's amounts do not follow: a text column, not a total's label
    last = b
    while last + 1 < n_cols and xs[last + 2] <= nxt.x0 + 1:
        last += 1  # the empty cells up to the amount

    def off(lo: int, hi: int) -> float:
        return abs((xs[lo] + xs[hi + 1]) / 2 - (label.x0 + label.x1) / 2)

    end = min(range(b, last + 1), key=lambda k: off(0, k))
    if off(0, end) > CENTRED * (xs[end + 1] - xs[0]):
        return
    # Centred in a column of its own too: the label's, unless another body row prints in that column.
    own = any(run.x1 > xs[a] and run.x0 < xs[b + 1] for q in range(first_body, n_rows) if q != r
              for run in band_runs[q])
    if own and off(0, end) >= off(a, b):
        return
    for j in range(end):
        union(r * n_cols + j, r * n_cols + j + 1)


def _non_overlapping(boxes: list[Box]) -> list[Box]:
    out: list[Box] = []
    for b in sorted(boxes, key=lambda b: (b[1], b[0])):
        if any(b[0] < o[2] - 0.5 and o[0] < b[2] - 0.5 and b[1] < o[3] - 0.5 and o[1] < b[3] - 0.5 for o in out):
            continue
        out.append(b)
    return out
