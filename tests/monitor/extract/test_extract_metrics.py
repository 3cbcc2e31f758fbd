"""The shared extraction metrics (bit-parallel LCS, body F1, leftovers)."""

from __future__ import annotations

import random

import pytest

from monitor.extract.metrics import body_score, lcs_length, leftovers, same_title


def _lcs_table(a: str, b: str) -> int:
    previous = [0] * (len(b) + 1)
    for char in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if char == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def test_lcs_matches_the_dynamic_programming_table() -> None:
    rng = random.Random(7)
    for _ in range(300):
        a = "".join(rng.choice("通知各校abc") for _ in range(rng.randint(0, 30)))
        b = "".join(rng.choice("通知各学院ab") for _ in range(rng.randint(0, 30)))
        assert lcs_length(a, b) == _lcs_table(a, b)


def test_body_score_ignores_whitespace_and_penalises_extra_text() -> None:
    assert (
        body_score("各学院：\n现将有关事项通知如下。", "各学院： 现将有关事项通知如下。").f1 == 1.0
    )
    score = body_score("首页 各学院：现将", "各学院：现将")
    assert score.recall == 1.0
    assert score.precision == pytest.approx(6 / 8)
    assert body_score("", "").f1 == 1.0
    assert body_score("", "x").f1 == 0.0


def test_lcs_is_fast_on_long_texts() -> None:
    rng = random.Random(1)
    gold = "".join(chr(0x4E00 + rng.randrange(500)) for _ in range(20000))
    assert lcs_length(gold[:9000] + "xy" + gold[9500:], gold) == 19500


def test_same_title_and_leftovers() -> None:
    assert same_title("关于 通知", "关于\u3000通知")
    assert not same_title("关于通知", "关于通知_某局")
    assert leftovers("召開(kāi)會議，免费人成在线") == ["開(kāi)", "人成"]
    assert leftovers("教育部(MOE)") == []
