"""Counts: "共 N 个/项/辆" against the items the same text lists or counts out."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from crossfoot.checks.context import Context
from crossfoot.checks.registry import check
from crossfoot.findings import Finding
from crossfoot.knowledge import pattern, words
from crossfoot.model import Block
from crossfoot.numbers import parse_chinese_count
from crossfoot.tables.structure import sentence_around

# 共有车辆0辆 / 共计 6 项 / 绩效自评个数21个
_TOTAL = pattern("tables.count_total")
# 设立 7 个内设机构，分别是：A、B、C。
_NAMED = pattern("tables.count_named")
_ITEM = r"[^\d，,、。；;：:]{0,24}?\s*(?P<k>\d+)\s*"
_NOT_AMOUNT = pattern("tables.count_not_amount").pattern
_ADDEND_JOIN = pattern("tables.count_addend_join").pattern
_BREAKDOWN = words("rows.breakdown")  # 其中: the list of the counted items follows


def _int(s: str) -> int | None:
    return int(s) if s.isdigit() else parse_chinese_count(s)


def _sentence_end(text: str, pos: int) -> int:
    ends = [k for ch in "。；;" if (k := text.find(ch, pos)) >= 0]
    return min(ends) if ends else len(text)


def _finding(b: Block, start: int, end: int, stated: str, n: int, got: int, what: str, strict: bool) -> Finding:
    ok = got == n or (not strict and got <= n)
    return Finding(
        check="count", severity="none" if ok else "medium", verdict="consistent" if ok else "inconsistent",
        page=b.page, quote=sentence_around(b.text, start, end), stated=stated, expected=str(got),
        message=(f"{what} = {got}" + ("" if ok else f", not {n}")))


def _listed_counts(b: Block) -> Iterator[Finding]:
    """共 N 辆。其中：A 0辆、B 1辆… — the items counted out must not add up to more than N (to exactly N
    after 分别/a colon, which promise the whole list)."""
    for m in _TOTAL.finditer(b.text):
        n = _int(m.group("n"))
        if n is None:
            continue
        unit = m.group("u")
        rest_start = m.end()
        end = _sentence_end(b.text, rest_start)
        tail = b.text[rest_start:end]
        strict = False
        lead = re.match(r"[^。；;]{0,40}?[:：]", tail)
        if lead is None or not any(w in tail[:lead.end()] for w in _BREAKDOWN):
            # The list may open the next sentence: "共有车辆0辆。其中：…"
            nxt = b.text[end + 1:end + 6] if end < len(b.text) else ""
            if nxt.lstrip().startswith(_BREAKDOWN):
                rest_start = end + 1
                end = _sentence_end(b.text, rest_start)
                tail = b.text[rest_start:end]
            elif lead is not None and len(lead.group(0)) <= 30:
                strict = True
            else:
                continue
        items = [int(x.group("k")) for x in re.finditer(_ITEM + rf"(?:{unit})" + _NOT_AMOUNT, tail)]
        if len(items) < 2:
            continue
        shown = " + ".join(str(k) for k in items)
        yield _finding(b, m.start(), min(end, m.start() + 110), f"{m.group('n')}{unit}", n, sum(items),
                       f"the items listed: {shown}", strict)


def _named_lists(b: Block, following: Sequence[Block] = ()) -> Iterator[Finding]:
    """设立 7 个内设机构，分别是：A、B、…。 — the names listed must number N. A list broken off at the
    paragraph's end ("市场秩序科（粮食和物资" | "储备科）、产业发展科…") goes on in the next paragraph."""
    own = len(b.text)
    text = b.text
    for nxt in following:
        if not text.rstrip() or text.rstrip()[-1] in "。；;！？!?：:":
            break
        text = text.rstrip() + nxt.text.lstrip()
    b = Block(b.page, b.bbox, text)
    for m in _NAMED.finditer(b.text):
        if m.start() >= own:
            break  # a list that starts in a later paragraph is read there
        n = _int(m.group("n"))
        if n is None:
            continue
        end = _sentence_end(b.text, m.end())
        names = [x for x in re.split(r"[、，,]", b.text[m.end():end]) if x.strip()]
        if len(names) < 2 or any(len(x) > 30 for x in names):
            continue
        yield _finding(b, m.start(), m.end(), f"{m.group('n')}{m.group('u')}", n, len(names),
                       f"{len(names)} {m.group('noun')} named: {'、'.join(x.strip() for x in names)[:60]}", True)


def _summed_before(b: Block) -> Iterator[Finding]:
    """2022年新招录3人及2023年新招录1人共4人 — the addends stated just before 共."""
    for m in _TOTAL.finditer(b.text):
        n = _int(m.group("n"))
        if n is None or m.group("noun"):
            continue
        unit = m.group("u")
        start = max((b.text.rfind(ch, 0, m.start()) for ch in "，,。；;：:"), default=-1) + 1
        head = b.text[start:m.start()]
        parts = list(re.finditer(rf"(?P<k>\d+)\s*{unit}" + _ADDEND_JOIN, head))
        if len(parts) < 2 or not head.rstrip().endswith(unit):
            continue
        items = [int(p.group("k")) for p in parts]
        yield _finding(b, start, m.end(), f"{m.group('n')}{unit}", n, sum(items),
                       " + ".join(str(k) for k in items), True)


@check("count", family="structural", severity="medium",
       doc="共 N 个/项/辆 agrees with the items the text lists or counts out")
def count(ctx: Context) -> Iterable[Finding]:
    blocks = ctx.report.blocks
    for k, b in enumerate(blocks):
        yield from _listed_counts(b)
        yield from _named_lists(b, blocks[k + 1:k + 4])
        yield from _summed_before(b)
