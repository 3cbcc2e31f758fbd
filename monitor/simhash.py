"""SimHash over character shingles: near-duplicate notices across URLs, sources and scripts.

Texts are compared after 繁→简 normalisation. A 64-bit hash is split into four
16-bit blocks; two hashes within 3 bits share at least one block, so candidates
come from an indexed lookup of the blocks, never from a scan.
"""

from __future__ import annotations

import hashlib
import re

BITS = 64
BLOCKS = 4
BLOCK_BITS = BITS // BLOCKS
SHINGLE = 4
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_MASK = (1 << BITS) - 1


def _features(text: str) -> set[str]:
    compact = _NOISE.sub("", text)
    if len(compact) <= SHINGLE:
        return {compact} if compact else set()
    return {compact[i : i + SHINGLE] for i in range(len(compact) - SHINGLE + 1)}


def simhash(text: str) -> int:
    """64-bit SimHash of ``text``'s 4-character shingles (0 for empty text)."""
    weights = [0] * BITS
    for feature in _features(text):
        value = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "big")
        for bit in range(BITS):
            weights[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit in range(BITS) if weights[bit] > 0)


def to_signed(value: int) -> int:
    """Store a 64-bit hash in a signed BIGINT column."""
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def from_signed(value: int) -> int:
    return value & _MASK


def blocks(value: int) -> list[int]:
    """The hash's four 16-bit blocks, lowest first."""
    mask = (1 << BLOCK_BITS) - 1
    return [(value >> (i * BLOCK_BITS)) & mask for i in range(BLOCKS)]


def distance(a: int, b: int) -> int:
    return ((a ^ b) & _MASK).bit_count()
