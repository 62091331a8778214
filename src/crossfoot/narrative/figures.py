"""Narrative figures: every number the narrative states, with its unit, precision, label and relation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crossfoot.knowledge import load_catalogue, pattern, sign, words
from crossfoot.knowledge.vocab import alternation
from crossfoot.model import Report
from crossfoot.numbers import MONEY_UNITS, Num, parse_number
from crossfoot.tables.labels import clean_label

_CAT = load_catalogue()
_U = _CAT.units
# Units a narrative number may carry (lexicon.toml [units]); longest first so 万元 wins over 元 and 人次 over 人.
UNITS = tuple(sorted((*(k for k, _ in _U.money), *_U.percent, *_U.permille, *_U.counters, *_U.score, *_U.scale),
                     key=len, reverse=True))
COUNT_UNITS = frozenset(_U.counters) - frozenset(MONEY_UNITS)


def _p(name: str) -> re.Pattern[str]:
    return pattern(f"narrative.{name}")


_NUM = re.compile(
    r"(?<![A-Za-z0-9._,\-])"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?![\d.]?\d)"
    r"(?P<sp>[ \u3000]*)(?P<unit>" + "|".join(re.escape(u) for u in UNITS) + r")?"
)
# Text that makes a number not a quantity: years, dates, document numbers, ordinals.
_NOT_QUANTITY_AFTER = _p("not_quantity_after")
_NOT_QUANTITY_BEFORE = _p("not_quantity_before")
_CLAUSE_END = "，,；;。：:！？!?"
_SENTENCE_END = "。；;！？!?"

# The clause before a figure says which relation it states (knowledge/vocab/narrative.toml).
_CHANGE = _p("change")
_GROWTH = _p("growth_rate")
_SHARE = _p("share")
_COMPLETION = _p("completion")
_RATE = _p("named_rate")
_BUDGET = _p("budget_figure")
_ACTUAL = _p("actual_figure")
_REMAINDER = _p("remainder_figure")
# A contents entry: a title, a dot leader (or tab) and its page number ("一、部门主要职责……3").
_LEADER = re.compile(r"(?:[.．。·•…⋯_\-－—]{2,}|[…⋯]|\t)[ \u3000\t]*$")
_CLAUSE_MARK = re.compile(r"[，,；;。：:！？!?]")
_CONTENTS_TITLE = _p("contents_title")
# Figure-less sentences that describe rather than name: "主要用于：…", "主要原因…".
_NOT_HEADING = _p("not_heading")
_QUALIFIERS = alternation(words("narrative.label_qualifiers"))
_LEADING = alternation(words("narrative.leading_qualifiers"))
_JOINT = tuple(w for w in words("narrative.joint_pairs") if "、" in w)


@dataclass(frozen=True)
class Figure:
    index: int  # position in the report's figure list
    page: int
    block: int  # index into Report.blocks
    start: int  # character offsets of the printed number (with its unit) in the block's text
    end: int
    text: str  # as printed, e.g. "1,144.45万元", "33.76%"
    num: Num  # value as printed; num.unit is the unit it was printed with (元, 万元, %, 人...)
    label: str  # the indicator / 科目 phrase it belongs to, numbering stripped
    relation: str | None  # the role it plays: "change", "growth_rate", "share", "completion", ...
    sentence: str  # the sentence (or clause run) it was read from
    sign: int = 0  # +1 for 增加/增长, -1 for 减少/下降 (change and growth_rate figures)
    base: str = ""  # share / completion: the base phrase as printed (占本年支出合计的 -> 本年支出合计)
    clause: int = 0  # clause number inside the sentence
    sentence_id: int = 0  # running sentence number in the report
    sentence_start: int = 0  # offset of `sentence` in the block's text
    prefix: str = ""  # the clause text before the number, as printed

    @property
    def is_money(self) -> bool:
        return self.num.unit in MONEY_UNITS

    @property
    def is_percent(self) -> bool:
        return self.num.unit == "%"

    def yuan(self) -> Num:
        return self.num.in_unit("元")


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; line breaks are wrapping, never sentence ends."""
    spans: list[tuple[int, int]] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in _SENTENCE_END:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _clause_start(text: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and text[i - 1] not in _CLAUSE_END and (text[i - 1] != "、" or _joint(text, i - 1)):
        i -= 1
    return i


def _joint(text: str, k: int) -> bool:
    """The 、 at k joins an abbreviated pair into one name (收、支总计), it does not separate list items."""
    return any(text.startswith(w, k - w.index("、")) for w in _JOINT)


def _relation(prefix: str, unit: str | None) -> tuple[str | None, int, str]:
    p = re.sub(r"[\s\u3000]+", "", prefix)
    if unit == "%":
        if m := _SHARE.search(p):
            return "share", 0, clean_label(m.group("base"))
        if m := _COMPLETION.search(p):
            return "completion", 0, clean_label(m.group("base"))
        if _RATE.search(p):
            return "execution_rate", 0, ""
        if m := _GROWTH.search(p):
            return "growth_rate", (-1 if sign(m.group("w")) < 0 else 1), ""
        return None, 0, ""
    if m := _CHANGE.search(p):
        return "change", (-1 if sign(m.group("w")) < 0 else 1), ""
    if _REMAINDER.search(p):
        return "remainder", 0, ""
    if _ACTUAL.search(p):
        return "actual", 0, ""
    if _BUDGET.search(p):
        return "budget", 0, ""
    if unit in COUNT_UNITS:
        return "count", 0, ""
    if unit in _U.score:
        return "score", 0, ""
    return None, 0, ""


def _is_quantity(text: str, m: re.Match[str], unit: str | None) -> bool:
    after = text[m.end("num"):m.end("num") + 4]
    before = text[max(0, m.start() - 6):m.start()]
    raw = m.group("num")
    if unit is None and _NOT_QUANTITY_AFTER.match(after):
        return False
    if unit is None and _NOT_QUANTITY_BEFORE.search(before):
        return False
    if _p("level_tag").match(text, max(0, m.start("num") - 1)):
        return False  # （01项） names a 科目's level and code; it counts nothing
    if _p("ordinal_before").search(before):
        return False  # 第3次 is an ordinal whatever unit follows
    if unit is None and re.fullmatch(r"(19|20)\d\d", raw) and _p("year_after").match(after):
        return False
    digits = raw.replace(",", "").split(".")[0]
    # Long bare integers are phone numbers, codes or IDs unless a unit says they are amounts.
    if unit is None and "," not in raw and "." not in raw and len(digits) >= 7:
        return False
    # A numbering such as "1." or "(2)" at the start of a clause is an ordinal, not a figure.
    return not (unit is None and re.match(r"\.(?!\d)", text[m.end("num"):m.end("num") + 1] or " "))


def _entry_kind(line: str) -> str:
    """'title' (目录), 'leader' (a title, a dot leader or tab, a page number), 'bare' (a title and a whole
    number with no clause punctuation: a contents entry only among others) or ''."""
    t = line.strip()
    if _CONTENTS_TITLE.match(t):
        return "title"
    m = re.search(r"(?<![\d.,])\d{1,4}$", t)
    if m is None:
        return ""
    head = t[:m.start()]
    if _LEADER.search(head):
        return "leader"
    if (len(head) <= 60 and re.search(r"[\u4e00-\u9fa5）)”][ \u3000\t]*$", head)
            and not _CLAUSE_MARK.search(head)):
        return "bare"
    return ""


def _contents_lines(report: Report) -> set[tuple[int, int]]:
    """(block, line) of the entries of a table of contents: runs of consecutive entry lines that hold a
    dot-leader entry or follow a 目录 title (a contents page may go on without either: "第四部分名词解释25")."""
    marked: set[tuple[int, int]] = set()
    run: list[tuple[int, int]] = []
    anchored = False

    def close() -> None:
        if anchored:
            marked.update(run)

    for bi, b in enumerate(report.blocks):
        for li, line in enumerate(b.text.split("\n")):
            if not line.strip():
                continue
            kind = _entry_kind(line)
            if kind == "title":
                close()
                run, anchored = [], True
            elif kind:
                run.append((bi, li))
                anchored = anchored or kind == "leader"
            else:
                close()
                run, anchored = [], False
    close()
    return marked


def _is_contents_entry(text: str, m: re.Match[str], unit: str | None, entry_lines: frozenset[int]) -> bool:
    """A page number closing a contents line: a bare whole number ending one of the block's entry lines."""
    if unit is not None or not m.group("num").isdigit():
        return False
    if text.count("\n", 0, m.start()) not in entry_lines:
        return False
    line_end = text.find("\n", m.end())
    return not text[m.end():line_end if line_end >= 0 else len(text)].strip()


def _label(prefix: str) -> str:
    """The indicator phrase of a clause: what precedes the number, relation words dropped."""
    p = re.sub(r"[\s\u3000]+", "", prefix)
    p = _p("prior_year").sub("", _CHANGE.sub("", p))
    for rx in (_BUDGET, _ACTUAL, _REMAINDER):
        p = rx.sub("", p)
    # A year or the department's name before the indicator is context, not label.
    p = _p("year").split(p)[-1]
    label = clean_label(p)
    # "全年支出决算" leaves "全年": a qualifier of the sentence's subject, not a label of its own.
    label = re.sub(f"(?:{_QUALIFIERS})+$", "", label) if len(label) > 4 else \
        re.sub(f"^(?:{_QUALIFIERS})+$", "", label)
    # "全年国内公务接待" counts 国内公务接待: the period word is the sentence's, not the indicator's.
    if len(label) > 4:
        label = re.sub(f"^(?:{_LEADING})", "", label)
    return label


def extract_figures(report: Report) -> list[Figure]:
    figures: list[Figure] = []
    sid = 0
    heading = ""  # a figure-less line just before ("1、一般公共服务支出（类）行政运行（项）。") names what follows
    contents: dict[int, set[int]] = {}
    for b, li in _contents_lines(report):
        contents.setdefault(b, set()).add(li)
    for bi, block in enumerate(report.blocks):
        text = block.text
        carry = _carried_clause(report.blocks[bi - 1].text) if bi else ""
        for s0, s1 in _sentences(text):
            sid += 1
            sentence = text[s0:s1]
            found = _sentence_figures(text, s0, s1, len(figures), block.page, bi, sid, heading,
                                      frozenset(contents.get(bi, ())), carry if s0 == 0 else "")
            figures.extend(found)
            if found:
                heading = ""
            elif not heading and len(sentence.strip()) <= 60 and not _NOT_HEADING.search(sentence):
                heading = _label(sentence.rstrip("。；;：: \u3000"))
    return figures


def _carried_clause(prev: str) -> str:
    """The unfinished clause a paragraph ends with ("…年初预算为" before a page break), which the next
    paragraph's first figure continues; "" when the paragraph ends a sentence or clause."""
    t = prev.rstrip()
    if not t or t[-1] in _CLAUSE_END:
        return ""
    cut = max(t.rfind(ch) for ch in _CLAUSE_END)
    return t[cut + 1:][-40:]


def _sentence_figures(text: str, s0: int, s1: int, first_index: int, page: int, bi: int, sid: int,
                      heading: str, entry_lines: frozenset[int] = frozenset(), carry: str = "") -> list[Figure]:
    out: list[Figure] = []
    sentence = text[s0:s1]
    subject = ""
    clause_no = 0
    last_clause_start = -1
    for m in _NUM.finditer(text, s0, s1):
        unit = m.group("unit")
        if unit == "％":
            unit = "%"
        if unit == "万" and text[m.end():m.end() + 1] != "元":
            unit = None  # "3万" with no 元 is a count scale, not a unit this module converts
        if not _is_quantity(text, m, unit) or _is_contents_entry(text, m, unit, entry_lines):
            continue
        c0 = _clause_start(text, m.start(), s0)
        if c0 != last_clause_start:
            clause_no += 1
            last_clause_start = c0
        prefix = text[c0:m.start()]
        if c0 == 0 and carry:
            prefix = carry + prefix  # the clause began on the previous page
        parsed = parse_number(m.group("num"))
        if parsed is None:
            continue
        num = Num(parsed.value, parsed.decimals, text[m.start():m.end()], unit)
        relation, sign, base = _relation(prefix, unit)
        label = _label(prefix)
        if relation in ("share", "completion", "execution_rate", "growth_rate"):
            label = subject
        elif relation == "change" or not label:
            label = label or subject
        else:
            subject = label
        if not label and relation in (None, "budget", "actual", "remainder", "change"):
            label = heading
            subject = subject or heading
        out.append(Figure(
            index=first_index + len(out), page=page, block=bi, start=m.start(), end=m.end(),
            text=text[m.start():m.end()] if m.group("sp") else m.group("num") + (unit or ""),
            num=num, label=label, relation=relation, sentence=sentence, sign=sign, base=base,
            clause=clause_no, sentence_id=sid, sentence_start=s0, prefix=prefix))
    return out


def quote_around(fig: Figure, report: Report, width: int = 118) -> str:
    """The printed sentence around a figure, at most `width` characters, centred on the figure."""
    text = report.blocks[fig.block].text
    s0 = fig.sentence_start
    s1 = s0 + len(fig.sentence)
    if s1 - s0 <= width:
        return text[s0:s1].strip()
    half = (width - (fig.end - fig.start)) // 2
    a = max(s0, fig.start - half)
    b = min(s1, a + width)
    a = max(s0, b - width)
    return text[a:b].strip()
