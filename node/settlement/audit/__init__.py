"""The signed settlement log: RFC 6962 Merkle tree, checkpoints, cosignatures, export and offline verification."""  # noqa: E501
