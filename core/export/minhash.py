"""MinHash signatures of text and an LSH index that finds near-duplicate pairs.

Stdlib only and deterministic across processes (no salted ``hash()``), so a split that depends
on near-duplicate groups is reproducible. Signatures use one-permutation hashing with optimal
densification (Shrivastava, ICML 2017): each shingle is hashed once into one of ``NUM_PERM``
bins, instead of once per permutation, which keeps long scraped pages cheap in pure Python; an
empty bin (short texts have many) copies the first non-empty bin of its own fixed random probe
order, so each bin still collides with probability equal to the Jaccard similarity and bins
stay nearly independent. (Rotation densification — borrowing from the next bin — makes whole
LSH bands of short texts collide together and floods the index with false candidates.)
Banding parameters are chosen for the threshold the way datasketch does (minimising the
weighted false-positive and false-negative areas) at a threshold ``LSH_MARGIN`` below the
requested one, and every candidate pair is verified against the estimated Jaccard similarity.
"""

from __future__ import annotations

import hashlib
import random
import re
from array import array
from functools import lru_cache
from operator import eq

NUM_PERM = 128
SHINGLE_WORDS = 3
_BIN_BITS = 7  # 2**7 == NUM_PERM bins
_VALUE_BITS = 64 - _BIN_BITS
_VALUE_MASK = (1 << _VALUE_BITS) - 1
_EMPTY = 1 << 64
_WORD = re.compile(r"\w+")
# Words repeat across a corpus far more than 3-grams do: each distinct word is hashed once and
# 3-gram hashes are mixed from word hashes, which keeps templated corpora cheap to sign.
_HASHES: dict[str, int] = {}
_HASH_CACHE_SIZE = 1 << 19
_MASK64 = (1 << 64) - 1
_FALSE_NEGATIVE_WEIGHT = 0.7  # a miss can leak; a false candidate is only re-checked
# Bands are tuned for a threshold this much lower, so pairs just above the real threshold are
# rarely missed (a miss can leak into held-out); verification drops the extra candidates.
LSH_MARGIN = 0.1


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Word ``size``-grams of the casefolded text; a shorter text is one shingle."""
    words = _WORD.findall(text.casefold())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _word_hash(word: str) -> int:
    value = _HASHES.get(word)
    if value is None:
        if len(_HASHES) >= _HASH_CACHE_SIZE:
            _HASHES.clear()
        digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
        value = _HASHES[word] = int.from_bytes(digest, "little")
    return value


def shingle_hashes(text: str) -> set[int]:
    """64-bit hashes of the word 3-grams of ``shingles(text)``, without building the strings.

    Each distinct word is hashed once (blake2b, cached); a 3-gram's hash is CPython's hash of
    the tuple of its three word hashes. A tuple of ints hashes the same in every process and
    on every 64-bit build (no hash seed is involved; only ``str`` hashing is salted), and its
    xxHash-style mixing spreads over all 64 bits (the top bits choose the MinHash bin).
    """
    words = _WORD.findall(text.casefold())
    if not words:
        return set()
    h = [_word_hash(word) for word in words]
    if len(h) < SHINGLE_WORDS:
        h += [0] * (SHINGLE_WORDS - len(h))
    mask = _MASK64
    return {hash(shingle) & mask for shingle in zip(h, h[1:], h[2:], strict=False)}


def signature(text: str) -> array | None:
    """The MinHash signature of a text (``NUM_PERM`` unsigned 64-bit values), or None if empty."""
    return _cached_signature(text)


@lru_cache(maxsize=4096)  # trajectory steps repeat their user messages verbatim
def _cached_signature(text: str) -> array | None:
    found = shingle_hashes(text)
    if not found:
        return None
    mins = [_EMPTY] * NUM_PERM
    for value in found:
        slot = value >> _VALUE_BITS
        rest = value & _VALUE_MASK
        if rest < mins[slot]:
            mins[slot] = rest
    return array("Q", _densify(mins))


def _probe_orders() -> tuple[tuple[int, ...], ...]:
    orders = []
    for slot in range(NUM_PERM):
        others = [other for other in range(NUM_PERM) if other != slot]
        random.Random(f"minhash-probe-{slot}").shuffle(others)
        orders.append(tuple(others))
    return tuple(orders)


_PROBES = _probe_orders()


def _densify(mins: list[int]) -> list[int]:
    """Fill each empty bin from the first non-empty bin in that bin's probe order."""
    if _EMPTY not in mins:
        return mins
    filled = list(mins)
    for slot in [slot for slot, value in enumerate(mins) if value == _EMPTY]:
        for j in _PROBES[slot]:
            if mins[j] != _EMPTY:
                filled[slot] = mins[j]
                break
    return filled


def similarity(first: array, second: array) -> float:
    """The Jaccard similarity two signatures estimate: the share of equal slots."""
    return sum(map(eq, first, second)) / len(first)


_WORD_LOW_BITS = int.from_bytes(b"\x01" + b"\x00" * 7, "little")
_PACKED_LOW_BITS = sum(_WORD_LOW_BITS << (64 * i) for i in range(NUM_PERM))


def packed(sig: array) -> int:
    """A signature as one integer, for ``packed_similarity``."""
    return int.from_bytes(sig.tobytes(), "little")


def packed_similarity(first: int, second: int) -> float:
    """``similarity`` of two packed signatures, about twice as fast: fold each differing
    64-bit slot onto its lowest bit and count the slots that differ."""
    diff = first ^ second
    for shift in (32, 16, 8, 4, 2, 1):
        diff |= diff >> shift
    return (NUM_PERM - (diff & _PACKED_LOW_BITS).bit_count()) / NUM_PERM


@lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) with bands × rows ≤ num_perm that best separate pairs at ``threshold``."""
    best: tuple[float, int, int] | None = None
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            false_pos = threshold - _miss_area(0.0, threshold, bands, rows)
            false_neg = _miss_area(threshold, 1.0, bands, rows)
            error = (1 - _FALSE_NEGATIVE_WEIGHT) * false_pos + _FALSE_NEGATIVE_WEIGHT * false_neg
            if best is None or error < best[0]:
                best = (error, bands, rows)
    assert best is not None
    return best[1], best[2]


def _miss_area(low: float, high: float, bands: int, rows: int, steps: int = 50) -> float:
    """The integral over [low, high] of the chance a pair at that similarity is no candidate."""
    if high <= low:
        return 0.0
    width = (high - low) / steps
    points = (low + (i + 0.5) * width for i in range(steps))
    return sum((1 - s**rows) ** bands for s in points) * width


def band_keys(sig: array, threshold: float) -> list[bytes]:
    """The LSH bucket keys of a signature, one per band, for pairs at ``threshold``.

    Bands are tuned for a threshold ``LSH_MARGIN`` lower, so pairs just above the real one are
    rarely missed; callers verify candidates against ``similarity``.
    """
    bands, rows = lsh_params(round(max(threshold - LSH_MARGIN, 0.05), 3))
    raw = sig.tobytes()
    width = rows * sig.itemsize
    return [
        band.to_bytes(2, "little") + raw[band * width : (band + 1) * width] for band in range(bands)
    ]
