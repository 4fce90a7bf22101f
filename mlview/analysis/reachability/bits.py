"""Bitsets as Python ints: sets of class indexes for the reachability engine."""

from __future__ import annotations

# For each byte value, the positions of its set bits.
_BYTE_BITS: tuple[tuple[int, ...], ...] = tuple(
    tuple(i for i in range(8) if (b >> i) & 1) for b in range(256)
)


def bit_list(x: int) -> list[int]:
    """Indexes of the set bits of `x`, ascending. Walks bytes, skipping empty ones."""
    if not x:
        return []
    data = x.to_bytes((x.bit_length() + 7) // 8, "little")
    out: list[int] = []
    for i, b in enumerate(data):
        if b:
            base = i * 8
            out.extend([base + j for j in _BYTE_BITS[b]])
    return out
