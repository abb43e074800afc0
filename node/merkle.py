"""RFC 6962 Merkle tree hashing for the settlement log: roots, proofs, and their verification.

Trees are built over leaf hashes (`leaf_hash(entry)`), so callers hash each log entry once and keep
the 32-byte results. Building functions trust their input and raise `ValueError` on misuse; the
`verify_*` functions take proofs from partners or files and answer False, never raise, for anything
malformed. Verification follows RFC 9162 sections 2.1.3.2 and 2.1.4.2, which check RFC 6962 proofs.
Sizes are capped at 2**64 leaves (as in Certificate Transparency), which also bounds every proof.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
MAX_PROOF_HASHES = 64
_MAX_TREE_SIZE = 1 << MAX_PROOF_HASHES
_sha256 = hashlib.sha256

EMPTY_ROOT: bytes = _sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """Hash a log entry into a leaf; the 0x00 prefix keeps leaves distinct from interior nodes."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash two children into their parent."""
    return _sha256(b"\x01" + left + right).digest()


def root_hash(leaves: Sequence[bytes]) -> bytes:
    """MTH over leaf hashes, level by level.

    Carrying an odd last node up unchanged builds exactly RFC 6962's tree, whose left subtree is
    always the largest power of two: every level is paired from the left.
    """
    level = list(leaves)
    if not level:
        return EMPTY_ROOT
    while len(level) > 1:
        parents = [
            _sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            parents.append(level[-1])
        level = parents
    return level[0]


def subtree_hash(leaves: Sequence[bytes], start: int, end: int) -> bytes:
    """MTH(D[start:end]) from leaf hashes."""
    if not 0 <= start <= end <= len(leaves):
        raise ValueError(f"subtree [{start}, {end}) is outside a tree of {len(leaves)} leaves")
    return root_hash(leaves[start:end])


def _split(size: int) -> int:
    """The largest power of two strictly below `size` (size >= 2): RFC 6962's k."""
    return 1 << ((size - 1).bit_length() - 1)


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """RFC 6962 PATH(index, D[0:len(leaves)]), nearest sibling first.

    Each step hashes the half not containing `index`; the halves are disjoint, so the whole proof
    costs about one pass over the leaves.
    """
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is outside a tree of {len(leaves)} leaves")
    siblings: list[bytes] = []
    start, end = 0, len(leaves)
    while end - start > 1:
        middle = start + _split(end - start)
        if index < middle:
            siblings.append(subtree_hash(leaves, middle, end))
            end = middle
        else:
            siblings.append(subtree_hash(leaves, start, middle))
            start = middle
    return siblings[::-1]


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """RFC 6962 PROOF(old_size, D[0:len(leaves)]); empty when old_size is 0 or the whole tree."""
    if not 0 <= old_size <= len(leaves):
        raise ValueError(f"old size {old_size} is outside a tree of {len(leaves)} leaves")
    if old_size in (0, len(leaves)):
        return []
    hashes: list[bytes] = []
    start, end, remaining = 0, len(leaves), old_size
    is_old_root_known = True  # RFC 6962's b: the old tree is a subtree the verifier already holds
    while remaining != end - start:
        middle = start + _split(end - start)
        if remaining <= middle - start:
            hashes.append(subtree_hash(leaves, middle, end))
            end = middle
        else:
            hashes.append(subtree_hash(leaves, start, middle))
            remaining -= middle - start
            start = middle
            is_old_root_known = False
    if not is_old_root_known:
        hashes.append(subtree_hash(leaves, start, end))
    return hashes[::-1]


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _is_size(value: object) -> bool:
    return isinstance(value, int) and 0 <= value <= _MAX_TREE_SIZE


def _is_proof(proof: object) -> bool:
    return (
        isinstance(proof, Sequence)
        and not isinstance(proof, bytes | str)
        and len(proof) <= MAX_PROOF_HASHES
        and all(_is_hash(item) for item in proof)
    )


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether `proof` shows leaf hash `leaf` at `index` in the tree of `size` leaves with `root`."""
    if not (_is_hash(leaf) and _is_hash(root) and _is_size(size) and _is_proof(proof)):
        return False
    if not isinstance(index, int) or not 0 <= index < size:
        return False
    fn, sn, running = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            running = node_hash(sibling, running)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            running = node_hash(running, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and running == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether `proof` shows the tree (`new_size`, `new_root`) extends (`old_size`, `old_root`).

    Equal sizes need an empty proof and equal roots. The empty tree is a prefix of every tree, so
    old_size 0 needs only an empty proof, but its root must then be EMPTY_ROOT: a checkpoint that
    claims another root for no leaves is malformed, and accepting it would hide that.
    """
    if not (_is_hash(old_root) and _is_hash(new_root) and _is_proof(proof)):
        return False
    if not (_is_size(old_size) and _is_size(new_size) and old_size <= new_size):
        return False
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT and (new_size > 0 or new_root == EMPTY_ROOT)
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    # A power-of-two old tree is a complete subtree: the verifier's own root starts the path.
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    old_running = new_running = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            old_running = node_hash(node, old_running)
            new_running = node_hash(node, new_running)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            new_running = node_hash(new_running, node)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and old_running == old_root and new_running == new_root


class Frontier:
    """The root of a growing tree in O(log n) memory: the roots of its complete subtrees, largest first.

    Bit i of `size` says whether a complete subtree of 2**i leaves is held, so appending merges the
    way a binary counter carries: amortised one hash per leaf.
    """

    __slots__ = ("_peaks", "_size")

    def __init__(self) -> None:
        self._size = 0
        self._peaks: list[bytes] = []

    @property
    def size(self) -> int:
        return self._size

    def append(self, leaf: bytes) -> None:
        """Add a leaf hash (not raw entry data) at the end of the tree."""
        if len(leaf) != HASH_SIZE:
            raise ValueError(f"a leaf hash is {HASH_SIZE} bytes, not {len(leaf)}")
        carry, merged = self._size, leaf
        while carry & 1:
            merged = node_hash(self._peaks.pop(), merged)
            carry >>= 1
        self._peaks.append(merged)
        self._size += 1

    def root(self) -> bytes:
        """MTH of every leaf appended so far; EMPTY_ROOT when there is none."""
        if not self._peaks:
            return EMPTY_ROOT
        running = self._peaks[-1]
        for peak in reversed(self._peaks[:-1]):
            running = node_hash(peak, running)
        return running
