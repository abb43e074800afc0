"""The bundle's signed checkpoints as the verifier walks its entries: each decoded up front, each
checked when the walk reaches its size (the entries hash to its root, our key signed it), and the
partners' countersignatures once the walk has shown every partner's keys."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from nacl.signing import VerifyKey

from node import merkle
from node.clock import iso
from node.errors import KippuError
from node.ledger.rows import from_epoch
from node.settlement.audit import checkpoint
from node.settlement.audit.checkpoint import Checkpoint
from node.verifier.bundle_reader import BundleReader
from node.verifier.report import BundleReport


class CheckpointTrail:
    def __init__(self, reader: BundleReader, report: BundleReport, own_keys: list[VerifyKey]):
        """`own_keys`: the bundle's origin's keys, the walk's own list (it grows at a rotation)."""
        self._records = reader.checkpoints
        self._origin = reader.header.origin
        self._report = report
        self._own_keys = own_keys
        self._decoded: list[Checkpoint | None] = []
        self._due: dict[int, list[int]] = {}  # size -> the checkpoints of that size not checked

    def read(self) -> None:
        last = -1
        for number, record in enumerate(self._records):
            try:
                made = checkpoint.decode(record.body, record.signature)
            except KippuError:
                self._report.problem("checkpoint record is malformed", checkpoint=number)
                self._decoded.append(None)
                continue
            self._decoded.append(made)
            if made.origin != self._origin:
                self._report.problem("checkpoint of another node", checkpoint=number)
            if made.size <= last:
                self._report.problem(
                    f"checkpoints out of order (size {made.size} after {last})", checkpoint=number
                )
            last = max(last, made.size)
            self._due.setdefault(made.size, []).append(number)
        self._report.checkpoints = len(self._records)

    def check_due(self, frontier: merkle.Frontier) -> None:
        """The checkpoints of the size the walk has reached: root and signature."""
        for number in self._due.pop(frontier.size, []):
            made = self._decoded[number]
            if made is None:
                continue
            if made.root != frontier.root():
                self._report.problem(
                    f"the entries before index {made.size} do not hash to the signed root",
                    made.size - 1 if made.size else None,
                    number,
                )
            if not any(checkpoint.is_signed_by(made, key) for key in self._own_keys):
                self._report.problem(
                    "the checkpoint's signature does not verify", checkpoint=number
                )

    def beyond_the_end(self) -> list[int]:
        """After the walk: the checkpoints whose size the entries never reached."""
        return [number for numbers in self._due.values() for number in numbers]

    def made(self) -> list[Checkpoint]:
        return [c for c in self._decoded if c is not None]

    def check_cosignatures(self, keys_of: Callable[[str], list[VerifyKey]]) -> None:
        """After the walk, when every key of every partner is known."""
        for number, record in enumerate(self._records):
            made = self._decoded[number]
            if made is None:
                continue
            for cosigner, signature in record.cosignatures:
                if not any(
                    checkpoint.is_cosigned_by(made, key, signature) for key in keys_of(cosigner)
                ):
                    self._report.problem(
                        f"the countersignature of {cosigner[:8]} does not verify", checkpoint=number
                    )

    def latest(self, names: Mapping[str, str]) -> dict[str, Any] | None:
        """The last checkpoint as the report shows it, cosigners by name where the log has one."""
        made = self.made()
        if not made:
            return None
        latest = made[-1]
        record = self._records[self._decoded.index(latest)]
        return {
            "size": latest.size,
            "root": latest.root.hex(),
            "created": iso(from_epoch(latest.created)),
            "cosigned_by": sorted(names.get(c, c) for c, _ in record.cosignatures),
        }
