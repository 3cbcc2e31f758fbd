"""SimHash: the fast per-bit counting gives exactly the textbook weighted-vote hash."""

from __future__ import annotations

import hashlib
import random

from monitor.simhash import BITS, _features, simhash


def textbook_simhash(text: str) -> int:
    """The definition, one bit at a time: +1 per shingle whose hash has the bit, -1 otherwise."""
    weights = [0] * BITS
    for feature in _features(text):
        value = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "big")
        for bit in range(BITS):
            weights[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit in range(BITS) if weights[bit] > 0)


def test_simhash_is_the_weighted_vote_of_the_shingle_hashes():
    rng = random.Random(7)
    alphabet = "关于做好年普通高校招生录取工作的通知各区县教育局现将有关事项如下请认真贯彻执行。，"
    texts = ["", "短", "四个字符", "通知公告通知公告"]
    texts += ["".join(rng.choice(alphabet) for _ in range(n)) for n in (5, 50, 500, 5000)]
    for text in texts:
        assert simhash(text) == textbook_simhash(text), text[:20]
