"""knowledge/vocab/scoring.toml: the words of performance reports, on sentences and cells from real reports."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import crossfoot
from crossfoot.knowledge import load_catalogue, pattern, words

SRC = Path(crossfoot.__file__).parent


def test_every_scoring_entry_is_used() -> None:
    # A word set or pattern no module reads is vocabulary nobody checks: it drifts without a test noticing.
    code = "".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    data = (SRC / "knowledge" / "vocab" / "scoring.toml").read_text(encoding="utf-8")
    v = load_catalogue().vocabulary
    keys = [w.key for w in v.word_sets if w.key.startswith("scoring.")] + [
        p.key for p in v.patterns if p.key.startswith("scoring.")]
    assert keys
    unused = [k for k in keys if f'"{k}"' not in code and "{words:" + k + "}" not in data]
    assert not unused, unused


@pytest.mark.parametrize(("key", "text", "groups"), [
    # 绩效自评 reports (corpus 003, 000)
    ("scoring.narrative_sum", "效益指标从社会效益和可持续影响方面进行考察，效果指标分值共计30分，本项目实际得分30分：",
     {"w": "30", "s": "30"}),
    ("scoring.grade_stated", "兴县乡村振兴局精准扶贫档案整理服务绩效自评指标得分为95分，评价等级为“优”。",
     {"score": "95", "grade": "优"}),
    ("scoring.total_stated", "5、“精准扶贫档案整理服务”项目绩效自评综述：根据年初设定的绩效目标，该项目自评得分95分，",
     {"score": "95"}),
    ("scoring.eval_funds", "二级项目绩效自评个数21个，涉及资金27265300元：", {"v": "27265300", "u": "元"}),
    ("scoring.deadline", "从时效指标角度上看，年初设定在2023年12月份前防贫系统建设全面完成", {"y": "2023", "m": "12"}),
    ("scoring.category_weight", "绩效指标 产出指标(50分) 数量指标", {"cat": "产出", "w": "50", "close": ")"}),
    # rule shapes (templates: no corpus report prints banded rules)
    ("scoring.rule_deduct", "每降低1%扣0.5分", {"what": "降低", "step": "1", "unit": "%", "per": "0.5"}),
    ("scoring.rule_deduct", "每发现一次扣1分", {"what": "发现", "step": "一", "unit": "次", "per": "1"}),
    ("scoring.rule_range", "80%（含）-95%得2分", {"lo": "80", "lo_in": "（含）", "hi": "95"}),
])
def test_patterns_on_real_and_template_texts(key: str, text: str, groups: dict[str, str]) -> None:
    m = pattern(key).search(text)
    assert m is not None
    for g, v in groups.items():
        assert m.group(g) == v, (g, m.group(g))


def test_default_grade_bands_are_read_by_the_band_sentences() -> None:
    from crossfoot.checks.scoring import _DEFAULT_BANDS

    assert [g for g, _, _ in _DEFAULT_BANDS] == list(words("scoring.grades"))
    assert [lo for _, lo, _ in _DEFAULT_BANDS] == [Decimal(90), Decimal(80), Decimal(60), Decimal(-1)]
