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


_LANE = 32
_LANE_MASK = (1 << _LANE) - 1
_SPREAD = tuple(sum((byte >> k & 1) << (_LANE * k) for k in range(8)) for byte in range(256))
"""A byte's 8 bits spread into 8 counters of 32 bits in one integer: summing the spread bytes
of many hashes counts, per bit, how many hashes have it set (the sums run in C)."""


def simhash(text: str) -> int:
    """64-bit SimHash of ``text``'s 4-character shingles (0 for empty text): bit b is set when
    more than half of the shingles' 64-bit BLAKE2b hashes (big-endian) have bit b set."""
    features = _features(text)
    digests = b"".join(hashlib.blake2b(f.encode(), digest_size=8).digest() for f in features)
    result = 0
    for position in range(8):  # byte 0 holds the highest 8 bits
        counts = sum(map(_SPREAD.__getitem__, digests[position::8]))
        lowest = 8 * (7 - position)
        for k in range(8):
            if (counts >> (_LANE * k) & _LANE_MASK) * 2 > len(features):
                result |= 1 << (lowest + k)
    return result


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
