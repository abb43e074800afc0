"""The signed settlement log: Merkle tree, checkpoints, cosignatures, export, offline verification."""
