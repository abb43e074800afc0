"""Reading an audit bundle as a stream (format: node/settlement/audit/bundle.py, docs/audit.md):
the header and the checkpoints held, the entries one at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import msgpack

from node.errors import BundleUnreadable
from node.peering.envelope import MAX_ENVELOPE_BYTES
from node.settlement.audit.bundle import FORMAT

MAX_CHECKPOINTS = 1_000_000
MAX_COSIGNATURES = 10_000
_READ_CHUNK = 1 << 16


@dataclass(frozen=True)
class BundleHeader:
    origin: str
    name: str
    exported: int
    size: int
    checkpoints: int


@dataclass(frozen=True)
class CheckpointRecord:
    body: bytes
    signature: bytes
    cosignatures: tuple[tuple[str, bytes], ...]


class BundleReader:
    """Reads a bundle from a binary stream; `entries()` yields (record number, index, envelope).

    Structural problems of the header or the checkpoint list raise BundleUnreadable (nothing can
    be checked without them); a malformed entry is yielded as (number, None, reason) so the
    verifier can report it at its position and go on.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._unpacker = msgpack.Unpacker(
            stream,
            raw=False,
            use_list=True,
            strict_map_key=True,
            max_buffer_size=MAX_ENVELOPE_BYTES + 1024,
            read_size=_READ_CHUNK,
        )
        self.header = self._read_header()
        self.checkpoints = [self._read_checkpoint() for _ in range(self.header.checkpoints)]

    def _next(self, what: str) -> Any:
        try:
            return next(self._unpacker)
        except StopIteration:
            raise BundleUnreadable(f"The bundle ends before its {what}.") from None
        except (ValueError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError) as exc:
            raise BundleUnreadable(f"The bundle's {what} is not valid msgpack.") from exc

    def _read_header(self) -> BundleHeader:
        value = self._next("header")
        if not isinstance(value, dict) or value.get("format") != FORMAT:
            raise BundleUnreadable(f"Not a {FORMAT} bundle.")
        fields = {"origin": str, "name": str, "exported": int, "size": int, "checkpoints": int}
        if set(value) != {"format", *fields} or not all(
            isinstance(value[k], t) and not isinstance(value[k], bool) for k, t in fields.items()
        ):
            raise BundleUnreadable("The bundle's header fields are wrong.")
        if not (0 <= value["size"] < 2**40 and 0 <= value["checkpoints"] <= MAX_CHECKPOINTS):
            raise BundleUnreadable("The bundle's header gives impossible sizes.")
        return BundleHeader(
            value["origin"], value["name"], value["exported"], value["size"], value["checkpoints"]
        )

    def _read_checkpoint(self) -> CheckpointRecord:
        value = self._next("checkpoints")
        if not (
            isinstance(value, dict)
            and set(value) == {"body", "signature", "cosignatures"}
            and isinstance(value["body"], bytes)
            and isinstance(value["signature"], bytes)
            and isinstance(value["cosignatures"], list)
            and len(value["cosignatures"]) <= MAX_COSIGNATURES
        ):
            raise BundleUnreadable("A checkpoint record's fields are wrong.")
        cosignatures: list[tuple[str, bytes]] = []
        for item in value["cosignatures"]:
            if not (
                isinstance(item, list)
                and len(item) == 2
                and isinstance(item[0], str)
                and isinstance(item[1], bytes)
            ):
                raise BundleUnreadable("A countersignature record is wrong.")
            cosignatures.append((item[0], item[1]))
        return CheckpointRecord(value["body"], value["signature"], tuple(cosignatures))

    def entries(self) -> Iterator[tuple[int, int | None, bytes | str]]:
        number = 0
        while True:
            try:
                value = next(self._unpacker)
            except StopIteration:
                return
            except (ValueError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError):
                yield number, None, "the record is not valid msgpack"
                return  # the stream cannot be resynchronised after a broken record
            if (
                isinstance(value, list)
                and len(value) == 2
                and isinstance(value[0], int)
                and not isinstance(value[0], bool)
                and isinstance(value[1], bytes)
            ):
                yield number, value[0], value[1]
            else:
                yield number, None, "the record is not an [index, envelope] pair"
            number += 1
