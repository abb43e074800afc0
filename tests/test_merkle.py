"""RFC 6962 Merkle hashing: published Certificate Transparency vectors, properties, hostile proofs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from node.merkle import (
    EMPTY_ROOT,
    MAX_PROOF_HASHES,
    Frontier,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_hash,
    subtree_hash,
    verify_consistency,
    verify_inclusion,
)

# Vectors from transparency-dev/merkle (the Certificate Transparency reference tests):
# leaf inputs, leaf hashes and roots from testonly/constants.go; inclusion and consistency proofs
# from proof/verify_test.go, whose leaf numbers are 1-based (converted to 0-based indices here).
LEAF_INPUTS = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
LEAF_HASHES = [
    bytes.fromhex(h)
    for h in [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ]
]
ROOTS = {  # tree size -> root
    0: bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    1: bytes.fromhex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    2: bytes.fromhex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    3: bytes.fromhex("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    4: bytes.fromhex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    5: bytes.fromhex("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    6: bytes.fromhex("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    7: bytes.fromhex("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    8: bytes.fromhex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
}
_H = {
    name: bytes.fromhex(h)
    for name, h in {
        "6e34": "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a2": "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f08": "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47": "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        "bc1a": "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca85": "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37e": "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "fac5": "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "0ebc": "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b086": "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    }.items()
}
INCLUSION_VECTORS = [  # (index, size, path)
    (0, 1, []),
    (0, 8, [_H["96a2"], _H["5f08"], _H["6b47"]]),
    (5, 8, [_H["bc1a"], _H["ca85"], _H["d37e"]]),
    (2, 3, [_H["fac5"]]),
    (1, 5, [_H["6e34"], _H["5f08"], _H["bc1a"]]),
]
CONSISTENCY_VECTORS = [  # (old size, new size, proof)
    (1, 1, []),
    (1, 8, [_H["96a2"], _H["5f08"], _H["6b47"]]),
    (6, 8, [_H["0ebc"], _H["ca85"], _H["d37e"]]),
    (2, 5, [_H["5f08"], _H["bc1a"]]),
    (6, 7, [_H["0ebc"], _H["b086"], _H["d37e"]]),
]
OTHER_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def test_leaf_hashes_match_the_published_vectors() -> None:
    assert [leaf_hash(data) for data in LEAF_INPUTS] == LEAF_HASHES


def test_empty_root_is_sha256_of_nothing() -> None:
    assert ROOTS[0] == EMPTY_ROOT
    assert root_hash([]) == EMPTY_ROOT
    assert Frontier().root() == EMPTY_ROOT


def test_node_hash_separates_interior_nodes_from_leaves() -> None:
    assert node_hash(LEAF_HASHES[0], LEAF_HASHES[1]) == ROOTS[2]
    assert node_hash(LEAF_HASHES[1], LEAF_HASHES[0]) != ROOTS[2]
    assert leaf_hash(LEAF_HASHES[0] + LEAF_HASHES[1]) != ROOTS[2]


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_the_published_vectors(size: int) -> None:
    assert root_hash(LEAF_HASHES[:size]) == ROOTS[size]
    assert subtree_hash(LEAF_HASHES, 0, size) == ROOTS[size]
    frontier = Frontier()
    for leaf in LEAF_HASHES[:size]:
        frontier.append(leaf)
    assert frontier.size == size
    assert frontier.root() == ROOTS[size]


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION_VECTORS)
def test_published_inclusion_proofs_are_generated_and_accepted(
    index: int, size: int, path: list[bytes]
) -> None:
    assert inclusion_proof(LEAF_HASHES[:size], index) == path
    assert verify_inclusion(LEAF_HASHES[index], index, size, path, ROOTS[size])
    assert not verify_inclusion(LEAF_HASHES[index], index, size, path, OTHER_HASH)


@pytest.mark.parametrize(("old_size", "new_size", "proof"), CONSISTENCY_VECTORS)
def test_published_consistency_proofs_are_generated_and_accepted(
    old_size: int, new_size: int, proof: list[bytes]
) -> None:
    assert consistency_proof(LEAF_HASHES[:new_size], old_size) == proof
    assert verify_consistency(old_size, new_size, ROOTS[old_size], ROOTS[new_size], proof)
    assert not verify_consistency(old_size, new_size, OTHER_HASH, ROOTS[new_size], proof)


def _tree(size: int, salt: bytes) -> list[bytes]:
    # Distinct leaves: with repeated leaves a proof for one copy is honestly a proof for the other.
    return [leaf_hash(salt + index.to_bytes(2, "big")) for index in range(size)]


trees = st.builds(_tree, st.integers(min_value=1, max_value=70), st.binary(max_size=4))


def _flip(proof: list[bytes], position: int) -> list[bytes]:
    changed = bytes([proof[position][0] ^ 0x10]) + proof[position][1:]
    return [*proof[:position], changed, *proof[position + 1 :]]


@settings(max_examples=60, deadline=None)
@given(trees)
def test_every_inclusion_proof_verifies(leaves: list[bytes]) -> None:
    root = root_hash(leaves)
    for index, leaf in enumerate(leaves):
        assert verify_inclusion(leaf, index, len(leaves), inclusion_proof(leaves, index), root)


@settings(max_examples=60, deadline=None)
@given(trees)
def test_every_consistency_proof_verifies(leaves: list[bytes]) -> None:
    new_root = root_hash(leaves)
    for old_size in range(len(leaves) + 1):
        proof = consistency_proof(leaves, old_size)
        assert verify_consistency(
            old_size, len(leaves), root_hash(leaves[:old_size]), new_root, proof
        )


@settings(max_examples=60, deadline=None)
@given(trees)
def test_frontier_root_equals_root_hash_for_every_prefix(leaves: list[bytes]) -> None:
    frontier = Frontier()
    for size, leaf in enumerate(leaves, start=1):
        frontier.append(leaf)
        assert frontier.size == size
        assert frontier.root() == root_hash(leaves[:size])


@settings(max_examples=60, deadline=None)
@given(trees, st.data())
def test_subtree_hash_is_the_root_of_the_slice(leaves: list[bytes], data: st.DataObject) -> None:
    start = data.draw(st.integers(min_value=0, max_value=len(leaves)))
    end = data.draw(st.integers(min_value=start, max_value=len(leaves)))
    assert subtree_hash(leaves, start, end) == root_hash(leaves[start:end])


@settings(max_examples=60, deadline=None)
@given(trees, st.data())
def test_tampered_inclusion_proofs_fail(leaves: list[bytes], data: st.DataObject) -> None:
    size, root = len(leaves), root_hash(leaves)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    leaf, proof = leaves[index], inclusion_proof(leaves, index)
    assert verify_inclusion(leaf, index, size, proof, root)
    for position in range(len(proof)):
        assert not verify_inclusion(leaf, index, size, _flip(proof, position), root)
    for wrong_index in {index - 1, index + 1, index ^ 2} - {index}:
        assert not verify_inclusion(leaf, wrong_index, size, proof, root)
    # size +/- 1 can share the path's shape; the signed checkpoint, not the proof, pins the size.
    for wrong_size in {size * 2, size // 2} - {size}:
        assert not verify_inclusion(leaf, index, wrong_size, proof, root)
    if proof:
        assert not verify_inclusion(leaf, index, size, proof[:-1], root)
    assert not verify_inclusion(leaf, index, size, [*proof, root], root)
    assert not verify_inclusion(leaf, index, size, [OTHER_HASH, *proof], root)
    assert not verify_inclusion(leaf, index, size, proof, OTHER_HASH)
    assert not verify_inclusion(OTHER_HASH, index, size, proof, root)


@settings(max_examples=60, deadline=None)
@given(trees.filter(lambda leaves: len(leaves) >= 2), st.data())
def test_tampered_consistency_proofs_fail(leaves: list[bytes], data: st.DataObject) -> None:
    new_size, new_root = len(leaves), root_hash(leaves)
    old_size = data.draw(st.integers(min_value=1, max_value=new_size - 1))
    old_root, proof = root_hash(leaves[:old_size]), consistency_proof(leaves, old_size)
    assert verify_consistency(old_size, new_size, old_root, new_root, proof)
    for position in range(len(proof)):
        assert not verify_consistency(
            old_size, new_size, old_root, new_root, _flip(proof, position)
        )
    for wrong_old in {old_size - 1, old_size + 1, old_size ^ 2} - {old_size}:
        assert not verify_consistency(wrong_old, new_size, old_root, new_root, proof)
    for wrong_new in {new_size * 2, new_size // 2} - {new_size}:
        assert not verify_consistency(old_size, wrong_new, old_root, new_root, proof)
    assert not verify_consistency(old_size, new_size, old_root, new_root, [])
    assert not verify_consistency(old_size, new_size, old_root, new_root, proof[:-1])
    assert not verify_consistency(old_size, new_size, old_root, new_root, [*proof, new_root])
    assert not verify_consistency(old_size, new_size, old_root, new_root, [proof[0], *proof])
    assert not verify_consistency(old_size, new_size, OTHER_HASH, new_root, proof)
    assert not verify_consistency(old_size, new_size, old_root, OTHER_HASH, proof)
    assert not verify_consistency(old_size, new_size, new_root, old_root, proof)


def test_equal_sizes_need_equal_roots_and_no_proof() -> None:
    assert verify_consistency(3, 3, ROOTS[3], ROOTS[3], [])
    assert not verify_consistency(3, 3, ROOTS[3], ROOTS[4], [])
    assert not verify_consistency(3, 3, ROOTS[3], ROOTS[3], [ROOTS[3]])


def test_the_empty_tree_is_consistent_with_any_tree_only_through_an_empty_proof() -> None:
    assert verify_consistency(0, 5, EMPTY_ROOT, ROOTS[5], [])
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert not verify_consistency(0, 5, EMPTY_ROOT, ROOTS[5], [ROOTS[5]])
    assert not verify_consistency(0, 5, OTHER_HASH, ROOTS[5], [])
    assert not verify_consistency(0, 0, OTHER_HASH, OTHER_HASH, [])


def test_builders_refuse_positions_outside_the_tree() -> None:
    with pytest.raises(ValueError, match="outside"):
        inclusion_proof(LEAF_HASHES, 8)
    with pytest.raises(ValueError, match="outside"):
        inclusion_proof(LEAF_HASHES, -1)
    with pytest.raises(ValueError, match="outside"):
        consistency_proof(LEAF_HASHES, 9)
    with pytest.raises(ValueError, match="outside"):
        consistency_proof(LEAF_HASHES, -1)
    with pytest.raises(ValueError, match="outside"):
        subtree_hash(LEAF_HASHES, 3, 2)
    with pytest.raises(ValueError, match="bytes"):
        Frontier().append(b"short")
    assert consistency_proof(LEAF_HASHES, 0) == []
    assert consistency_proof(LEAF_HASHES, 8) == []


GOOD_PATH = INCLUSION_VECTORS[1][2]
GOOD_INCLUSION: dict[str, Any] = {
    "leaf": LEAF_HASHES[0],
    "index": 0,
    "size": 8,
    "proof": GOOD_PATH,
    "root": ROOTS[8],
}
MALFORMED_INCLUSION: list[dict[str, Any]] = [
    {"leaf": LEAF_HASHES[0][:-1]},
    {"leaf": LEAF_HASHES[0] + b"\x00"},
    {"leaf": LEAF_HASHES[0].hex()},
    {"root": ROOTS[8][:-1]},
    {"root": None},
    {"index": -1},
    {"index": 8},
    {"index": 0.0},
    {"index": None},
    {"size": -1},
    {"size": 0},
    {"size": 2**64 + 1},
    {"size": 10**100},
    {"size": "8"},
    {"proof": [*GOOD_PATH[:2], GOOD_PATH[2][:-1]]},
    {"proof": [*GOOD_PATH[:2], GOOD_PATH[2] + b"\x00"]},
    {"proof": [*GOOD_PATH[:2], None]},
    {"proof": GOOD_PATH * (MAX_PROOF_HASHES // 3 + 1)},
    {"proof": [OTHER_HASH] * 1_000_000},
    {"proof": b"".join(GOOD_PATH)},
    {"proof": "".join(h.hex() for h in GOOD_PATH)},
    {"proof": None},
    {"proof": iter(GOOD_PATH)},
]


def test_the_good_inclusion_call_verifies() -> None:
    assert verify_inclusion(**GOOD_INCLUSION)


@pytest.mark.parametrize("change", MALFORMED_INCLUSION, ids=lambda change: ",".join(change))
def test_malformed_inclusion_input_is_refused_without_raising(change: dict[str, Any]) -> None:
    assert verify_inclusion(**{**GOOD_INCLUSION, **change}) is False


GOOD_PROOF = CONSISTENCY_VECTORS[2][2]
GOOD_CONSISTENCY: dict[str, Any] = {
    "old_size": 6,
    "new_size": 8,
    "old_root": ROOTS[6],
    "new_root": ROOTS[8],
    "proof": GOOD_PROOF,
}
MALFORMED_CONSISTENCY: list[dict[str, Any]] = [
    {"old_root": ROOTS[6][:-1]},
    {"old_root": None},
    {"new_root": ROOTS[8] + b"\x00"},
    {"new_root": ROOTS[8].hex()},
    {"old_size": -1},
    {"old_size": 9},
    {"old_size": 6.0},
    {"new_size": -8},
    {"new_size": 5},
    {"new_size": 2**64 + 1},
    {"new_size": 10**100},
    {"new_size": None},
    {"old_size": 2**64 - 1, "new_size": 2**64 + 8},
    {"proof": [GOOD_PROOF[0][:-1], *GOOD_PROOF[1:]]},
    {"proof": [*GOOD_PROOF, None]},
    {"proof": GOOD_PROOF * (MAX_PROOF_HASHES // 3 + 1)},
    {"proof": [OTHER_HASH] * 1_000_000},
    {"proof": b"".join(GOOD_PROOF)},
    {"proof": None},
]


def test_the_good_consistency_call_verifies() -> None:
    assert verify_consistency(**GOOD_CONSISTENCY)


@pytest.mark.parametrize("change", MALFORMED_CONSISTENCY, ids=lambda change: ",".join(change))
def test_malformed_consistency_input_is_refused_without_raising(change: dict[str, Any]) -> None:
    assert verify_consistency(**{**GOOD_CONSISTENCY, **change}) is False


def test_a_proof_at_the_length_bound_is_checked_not_refused() -> None:
    # A full tree of 2**64 leaves has 64-hash paths: the bound must not refuse them outright.
    path = [OTHER_HASH] * MAX_PROOF_HASHES
    running = LEAF_HASHES[0]
    for sibling in path:
        running = node_hash(running, sibling)
    assert verify_inclusion(LEAF_HASHES[0], 0, 2**64, path, running)
    assert not verify_inclusion(LEAF_HASHES[0], 0, 2**64, [*path, OTHER_HASH], running)


class _EndlessProof(Sequence[bytes]):
    """A proof claiming a billion hashes; counts reads (each read yields an empty, invalid hash)."""

    def __init__(self) -> None:
        self.reads = 0

    def __len__(self) -> int:
        return 10**9

    @overload
    def __getitem__(self, index: int) -> bytes: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...
    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        self.reads += 1
        return [] if isinstance(index, slice) else b""


def test_an_overlong_proof_is_refused_before_any_hash_is_read() -> None:
    proof = _EndlessProof()
    assert not verify_inclusion(LEAF_HASHES[0], 0, 8, proof, ROOTS[8])
    assert not verify_consistency(6, 8, ROOTS[6], ROOTS[8], proof)
    assert proof.reads == 0


def test_sizes_past_two_to_the_64_are_refused_even_with_a_well_shaped_proof() -> None:
    # The last leaf of a 2**64 + 1 tree has a one-hash path: the left subtree's root.
    leaf, left = LEAF_HASHES[1], ROOTS[8]
    assert verify_inclusion(leaf, 1, 2, [left], node_hash(left, leaf))
    assert not verify_inclusion(leaf, 2**64, 2**64 + 1, [left], node_hash(left, leaf))


@pytest.mark.parametrize("proof", ["", b""], ids=["text", "bytes"])
def test_a_proof_that_is_not_a_list_of_hashes_is_refused_even_when_empty(proof: Any) -> None:
    # A one-leaf tree needs no hashes, so only the type can tell `[]` from a string read from a file.
    assert verify_inclusion(LEAF_HASHES[0], 0, 1, [], ROOTS[1])
    assert not verify_inclusion(LEAF_HASHES[0], 0, 1, proof, ROOTS[1])
    assert verify_consistency(3, 3, ROOTS[3], ROOTS[3], [])
    assert not verify_consistency(3, 3, ROOTS[3], ROOTS[3], proof)
