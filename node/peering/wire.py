"""Typed wire maps: each msgpack map we sign or log is a frozen dataclass, decoded strictly.

A class's dataclass fields are its wire fields, by name and by type: `str` (at most MAX_TEXT
characters), `int` (0 <= n < 2**62; a bool is not an int), `bool`, `bytes` (of one exact length
when declared `Annotated[bytes, ExactLength(n)]`, e.g. `Bytes32`), or `tuple[Row, ...]` where Row
is a NamedTuple of str and int items (at most MAX_ROWS rows; on the wire, a list of lists).
Decoding accepts exactly these fields, keys in sorted order, each of its declared type and size;
anything else is MalformedEnvelope. Encoding checks the same and sorts keys, so one value has one
encoding (the signed vectors in docs/protocol.md hold us to it).

Two kinds: a `WireRecord` is a map on its own (a reply, a reply's result, a log note, a
checkpoint body); a `WireMessage` is the body of a message on a channel, its own fields beside
the common `Header`, and names its type and the type of its reply's result.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, NamedTuple, Self, TypeVar, cast

from node.errors import MalformedEnvelope
from node.peering.envelope import pack, require_sorted, strict_unpack

MAX_TEXT = 512
MAX_ROWS = 20_000  # rows in one list field: a statement holds at most this many claims
T = TypeVar("T")

# Field -> (type, exact byte length for bytes; or for a list, the types of each row's items)
FieldSpec = dict[str, tuple[type, int | tuple[type, ...] | None]]


@dataclass(frozen=True)
class ExactLength:
    """Marks a bytes field of exactly this many bytes: `Annotated[bytes, ExactLength(32)]`."""

    length: int


Bytes16 = Annotated[bytes, ExactLength(16)]
Bytes32 = Annotated[bytes, ExactLength(32)]
Bytes64 = Annotated[bytes, ExactLength(64)]


class Layout(NamedTuple):
    """What a wire class's fields are, worked out once from its annotations."""

    spec: FieldSpec
    order: tuple[str, ...]  # the keys in the order they are written and must be read
    rows: tuple[tuple[str, Callable[[Any], Any]], ...]  # list fields and their row makers


_LAYOUTS: dict[type, Layout] = {}


def layout(cls: type) -> Layout:
    """The wire layout of a dataclass (cached; a class of an unsupported shape is a TypeError)."""
    found = _LAYOUTS.get(cls)
    if found is None:
        found = _LAYOUTS[cls] = _work_out(cls)
    return found


def _work_out(cls: type) -> Layout:
    if "__slots__" in vars(cls) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: a wire class has no slots and no __post_init__ (_build)")
    hints = typing.get_type_hints(cls, include_extras=True)
    spec: FieldSpec = {}
    rows: list[tuple[str, Callable[[Any], Any]]] = []
    for field in dataclasses.fields(cls):
        kind, length = hints[field.name], None
        if typing.get_origin(kind) is Annotated:
            kind, *marks = typing.get_args(kind)
            length = next(m.length for m in marks if isinstance(m, ExactLength))
        if typing.get_origin(kind) is tuple:
            row, more = typing.get_args(kind)
            shape = _row_shape(row)
            if more is not Ellipsis or shape is None:
                raise TypeError(f"{cls.__name__}.{field.name}: rows must be tuple[Row, ...]")
            spec[field.name] = (list, shape)
            rows.append((field.name, row._make))
        elif kind in (str, int, bool, bytes):
            spec[field.name] = (kind, length if kind is bytes else None)
        else:
            raise TypeError(f"{cls.__name__}.{field.name}: {kind!r} is not a wire type")
    return Layout(spec, tuple(sorted(spec)), tuple(rows))


def _row_shape(row: type) -> tuple[type, ...] | None:
    if not (isinstance(row, type) and issubclass(row, tuple) and hasattr(row, "_fields")):
        return None
    hints = typing.get_type_hints(row)
    shape = tuple(hints[name] for name in row._fields)
    return shape if all(kind in (str, int) for kind in shape) else None


def to_map(value: object) -> dict[str, Any]:
    """A wire dataclass as the map it is written as (rows as lists, keys sorted)."""
    found = layout(type(value))
    values = {name: getattr(value, name) for name in found.order}
    for name, _ in found.rows:
        values[name] = [list(row) for row in values[name]]
    return values


def from_map(cls: type[T], values: dict[str, Any]) -> T:
    """Build a wire dataclass from a decoded map: sorted keys, exactly its fields, each checked."""
    found = layout(cls)
    require_sorted(values, found.order)
    check_fields(values, found.spec)
    for name, make_row in found.rows:
        values[name] = tuple(map(make_row, values[name]))
    return _build(cls, values)


def _build(cls: type[T], values: dict[str, Any]) -> T:
    """An instance of a frozen dataclass from values already checked against its layout.

    Decoding is on the hot path of `kippu audit verify` (two bodies per signature), so this
    fills the instance's dict at once instead of calling the generated __init__ (which sets
    each field through object.__setattr__); the wire classes have no __post_init__."""
    made = object.__new__(cls)
    made.__dict__.update(values)
    return made


class WireRecord:
    """A map signed or logged on its own: a reply, a reply's result, a note, a checkpoint body."""

    __slots__ = ()

    @classmethod
    def decode(cls, raw: bytes) -> Self:
        return from_map(cls, strict_unpack(raw))

    def encode(self) -> bytes:
        values = to_map(self)
        check_fields(values, layout(type(self)).spec)
        return pack(values)


@dataclass(frozen=True)
class Header(WireRecord):
    """The fields every message body starts with: who, to whom, where on the channel, when."""

    msg_id: str
    sender: str
    recipient: str
    seq: int
    prev: Bytes32
    created: int
    expires: int


HEADER = layout(Header)


class WireMessage:
    """The body of a message on a channel: the `Header`'s fields and the type's own, one map."""

    __slots__ = ()
    msg_type: ClassVar[str]  # the envelope's `type`
    result_type: ClassVar[type[WireRecord] | None] = None  # what the reply's `result` holds
    topic_field: ClassVar[str | None] = None  # the field naming what the message is about

    @classmethod
    def body_layout(cls) -> Layout:
        """The layout of the whole body: header and own fields, merged."""
        found = _BODY_LAYOUTS.get(cls)
        if found is None:
            own = layout(cls)
            if own.spec.keys() & HEADER.spec.keys():
                raise TypeError(f"{cls.__name__} repeats a header field")
            spec = {**HEADER.spec, **own.spec}
            found = _BODY_LAYOUTS[cls] = Layout(spec, tuple(sorted(spec)), own.rows)
        return found

    @classmethod
    def decode(cls, body: bytes) -> tuple[Header, Self]:
        """A body decoded strictly into its header and this type's fields."""
        values = strict_unpack(body)
        found = cls.body_layout()
        require_sorted(values, found.order)
        check_fields(values, found.spec)
        header = _build(Header, {name: values.pop(name) for name in HEADER.order})
        for name, make_row in found.rows:
            values[name] = tuple(map(make_row, values[name]))
        return header, _build(cls, values)

    def encode(self, header: Header) -> bytes:
        """The body of this message under `header`, checked as strictly as it will be read."""
        body = {**to_map(header), **to_map(self)}
        check_fields(body, self.body_layout().spec)
        return pack(body)

    def pack_fields(self) -> bytes:
        """Its own fields alone, without a header, as one map: how a statement is stored and
        hashed, and how a checkpoint message is kept as evidence. Not checked (`encode` is):
        a statement too large to send is measured this way before it is refused."""
        return pack(to_map(self))

    @classmethod
    def unpack_fields(cls, raw: bytes) -> Self:
        """The inverse of `pack_fields`, as strict as a body."""
        return from_map(cls, strict_unpack(raw))

    def topic(self) -> str:
        """What the message is about (a claim or statement id), or "" for the message itself."""
        if self.topic_field is None:
            return ""
        value = getattr(self, self.topic_field)
        return value if isinstance(value, str) else ""


_BODY_LAYOUTS: dict[type, Layout] = {}

# Message types by their wire name: the table a receiver dispatches on and a verifier reads with.
MessageTypes = Mapping[str, type[WireMessage]]


def message_types(*classes: type[WireMessage]) -> dict[str, type[WireMessage]]:
    """A table of message types by name; each class's layout is checked here, at import."""
    table: dict[str, type[WireMessage]] = {}
    for cls in classes:
        if cls.msg_type in table:
            raise TypeError(f"two message types are named {cls.msg_type!r}")
        cls.body_layout()
        if cls.result_type is not None:
            layout(cls.result_type)
        table[cls.msg_type] = cls
    return table


def read_header(body: bytes) -> Header:
    """The header of a body of any type, its own fields unchecked: for a message we signed and
    stored ourselves, whose type's fields were checked when it was encoded."""
    values = strict_unpack(body)
    header = {name: values.get(name) for name in HEADER.order}
    check_fields(header, HEADER.spec)
    return Header(**cast(dict[str, Any], header))


def check_fields(values: dict[str, Any], spec: FieldSpec) -> None:
    """Exactly the fields of `spec`, each of its declared type and length; else MalformedEnvelope."""
    if values.keys() != spec.keys():
        missing, extra = sorted(set(spec) - set(values)), sorted(set(values) - set(spec))
        raise MalformedEnvelope(f"Wrong fields (missing {missing}, unexpected {extra}).")
    for name, (kind, length) in spec.items():
        value = values[name]
        if type(value) is not kind:  # the exact type is the common case; subclasses are checked
            _check_type(name, value, kind)
        if kind is int:
            if not 0 <= value < 2**62:
                raise MalformedEnvelope(f"`{name}` is out of range.")
        elif kind is str:
            if len(value) > MAX_TEXT:
                raise MalformedEnvelope(f"`{name}` is too long.")
        elif kind is bytes:
            if isinstance(length, int) and len(value) != length:
                raise MalformedEnvelope(f"`{name}` must be {length} bytes.")
        elif kind is list and isinstance(length, tuple):
            _check_rows(name, value, length)


def _check_type(name: str, value: Any, kind: type) -> None:
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise MalformedEnvelope(f"`{name}` must be an integer.")
    if not isinstance(value, kind):
        raise MalformedEnvelope(f"`{name}` must be {kind.__name__}.")


def _check_rows(name: str, rows: list[Any], shape: tuple[type, ...]) -> None:
    if len(rows) > MAX_ROWS:
        raise MalformedEnvelope(f"`{name}` has too many rows.")
    for row in rows:
        if type(row) is not list or len(row) != len(shape):
            raise MalformedEnvelope(f"Each row of `{name}` must have {len(shape)} items.")
        if tuple(map(type, row)) != shape:
            for item, kind in zip(row, shape, strict=True):
                if (kind is int and isinstance(item, bool)) or not isinstance(item, kind):
                    what = "an integer" if kind is int else kind.__name__
                    raise MalformedEnvelope(f"`{name}`: an item must be {what}.")
        for item in row:
            if isinstance(item, int):
                if not 0 <= item < 2**62:
                    raise MalformedEnvelope(f"`{name}`: an item is out of range.")
            elif isinstance(item, str) and len(item) > MAX_TEXT:
                raise MalformedEnvelope(f"`{name}`: an item is too long.")
