"""Typed wire messages (node/peering/wire.py): every type round-trips, decoding stays strict, and
no loose `dict[str, Any]` wire fields come back into node/."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from node.app import PEERING_HOOKS
from node.errors import MalformedEnvelope
from node.peering.context import ReplyRule, route_types
from node.peering.envelope import pack, strict_unpack
from node.peering.inbound import PEERING_ROUTES
from node.peering.messages import MAX_ROWS, MAX_TEXT, PingMessage, Reply
from node.peering.wire import (
    Bytes32,
    Header,
    WireMessage,
    WireRecord,
    layout,
    message_types,
    read_header,
)
from node.settlement.audit.checkpoint import CheckpointBody
from node.settlement.audit.log import Note
from node.settlement.audit.proofs import ProofRequest
from node.settlement.inbound import REPLY_APPLIERS
from node.settlement.messages import (
    KNOWN_MESSAGES,
    ClaimMessage,
    ClaimResult,
    ClaimVoidMessage,
    StatementMessage,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = [kind.result_type for kind in KNOWN_MESSAGES.values() if kind.result_type is not None]
RECORDS: list[type[WireRecord]] = [Header, Reply, Note, ProofRequest, CheckpointBody, *RESULTS]


def values_of(kind: type, length: int | tuple[type, ...] | None) -> st.SearchStrategy[Any]:
    """Any value the wire accepts for a field of this type (text of any script, edge integers)."""
    if kind is str:
        return st.text(max_size=MAX_TEXT)
    if kind is int:
        return st.integers(0, 2**62 - 1)
    if kind is bool:
        return st.booleans()
    if kind is bytes:
        if isinstance(length, int):
            return st.binary(min_size=length, max_size=length)
        return st.binary(max_size=80)
    raise AssertionError(kind)


def instances(cls: type) -> st.SearchStrategy[Any]:
    """Any instance of a wire class, built from its layout (a new type is covered unasked)."""
    found = layout(cls)
    makers = dict(found.rows)
    strategies: dict[str, st.SearchStrategy[Any]] = {}
    for name, (kind, length) in found.spec.items():
        if kind is list:
            assert isinstance(length, tuple)
            row = st.tuples(*(values_of(item, None) for item in length)).map(makers[name])
            strategies[name] = st.lists(row, max_size=4).map(tuple)
        else:
            strategies[name] = values_of(kind, length)
    return st.builds(cls, **strategies)


@pytest.mark.parametrize("msg_type", list(KNOWN_MESSAGES))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_message_type_round_trips(msg_type: str, data: st.DataObject) -> None:
    cls = KNOWN_MESSAGES[msg_type]
    header, message = data.draw(instances(Header)), data.draw(instances(cls))
    body = message.encode(header)
    assert cls.decode(body) == (header, message)
    assert cls.decode(body)[1].encode(header) == body  # one value, one encoding
    assert read_header(body) == header
    assert cls.unpack_fields(message.pack_fields()) == message


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_record_round_trips(cls: type[WireRecord], data: st.DataObject) -> None:
    record = data.draw(instances(cls))
    raw = record.encode()
    assert cls.decode(raw) == record
    assert list(strict_unpack(raw)) == sorted(layout(cls).spec)  # keys written sorted


def test_rows_decode_into_their_named_rows() -> None:
    statement = StatementMessage.decode(sample_body(StatementMessage))[1]
    assert statement.claims and statement.claims[0].claim_id == "a"
    assert type(statement.claims[0]).__name__ == "StatementClaimRow"


def sample(cls: type) -> Any:
    """One valid instance with a row in each list field and "a" in each text field."""
    found = layout(cls)
    makers = dict(found.rows)
    values: dict[str, Any] = {}
    for name, (kind, length) in found.spec.items():
        if kind is list:
            assert isinstance(length, tuple)
            values[name] = (makers[name]([1 if k is int else "a" for k in length]),)
        else:
            default = {str: "a", int: 1, bool: True, bytes: b"\x01"}[kind]
            values[name] = bytes(length) if isinstance(length, int) else default
    return cls(**values)


HEADER = Header("m", "s", "r", 1, bytes(32), 1, 2)


def sample_body(cls: type[WireMessage]) -> bytes:
    body: bytes = sample(cls).encode(HEADER)
    return body


def altered(cls: type[WireMessage], change: Callable[[dict[str, Any]], None]) -> bytes:
    values = strict_unpack(sample_body(cls))
    change(values)
    return pack(values)


# (what is done to a valid body, the refusal it gets): the same words as before the types.
MUTATIONS: list[tuple[str, Callable[[type[WireMessage]], bytes], str]] = [
    ("a field missing", lambda c: altered(c, lambda v: v.pop("seq")), r"missing \['seq'\]"),
    ("a field added", lambda c: altered(c, lambda v: v.update(x=1)), r"unexpected \['x'\]"),
    ("a float", lambda c: altered(c, lambda v: v.update(seq=1.0)), "Floats are not allowed"),
    ("a bool for an int", lambda c: altered(c, lambda v: v.update(seq=True)), "must be an integer"),
    ("a negative int", lambda c: altered(c, lambda v: v.update(seq=-1)), "out of range"),
    ("a huge int", lambda c: altered(c, lambda v: v.update(seq=2**62)), "out of range"),
    ("short bytes", lambda c: altered(c, lambda v: v.update(prev=b"x")), "must be 32 bytes"),
    ("long text", lambda c: altered(c, lambda v: v.update(sender="x" * 513)), "too long"),
    ("text for bytes", lambda c: altered(c, lambda v: v.update(prev="x" * 32)), "must be bytes"),
    (
        "keys out of order",
        lambda c: msgpack.packb(dict(reversed(strict_unpack(sample_body(c)).items()))),
        "sorted order",
    ),
    ("a duplicate key", lambda c: with_duplicate(sample_body(c)), "duplicate key"),
]


def with_duplicate(body: bytes) -> bytes:
    """The same map with its first key written twice (a dict cannot hold that; a packer can)."""
    pairs = list(strict_unpack(body).items())
    packed: bytes = msgpack.Packer(use_bin_type=True).pack_map_pairs([pairs[0], *pairs])
    return packed


@pytest.mark.parametrize("msg_type", list(KNOWN_MESSAGES))
@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m[0])
def test_decoding_stays_strict(
    msg_type: str, mutation: tuple[str, Callable[[type[WireMessage]], bytes], str]
) -> None:
    cls = KNOWN_MESSAGES[msg_type]
    _, make, refusal = mutation
    with pytest.raises(MalformedEnvelope, match=refusal):
        cls.decode(make(cls))


def test_rows_are_checked_as_before() -> None:
    """A row's arity, item types and sizes, and the number of rows: the old messages."""

    def claims(rows: list[Any]) -> bytes:
        return altered(StatementMessage, lambda v: v.update(claims=rows))

    cases: list[tuple[list[Any], str]] = [
        ([["a", "b"]], "Each row of `claims` must have 3 items"),
        ([["a", "b", "1"]], "`claims`: an item must be an integer"),
        ([["a", "b", True]], "`claims`: an item must be an integer"),
        ([["a", "b", -1]], "`claims`: an item is out of range"),
        ([["a" * 513, "b", 1]], "`claims`: an item is too long"),
        ([["a", "b", 1]] * (MAX_ROWS + 1), "`claims` has too many rows"),
    ]
    for rows, refusal in cases:
        with pytest.raises(MalformedEnvelope, match=re.escape(refusal)):
            StatementMessage.decode(claims(rows))


def test_encoding_refuses_what_decoding_would() -> None:
    """A message is checked as it is written, so we never sign what a partner must refuse."""
    with pytest.raises(MalformedEnvelope, match="too long"):
        PingMessage("x" * (MAX_TEXT + 1)).encode(HEADER)
    with pytest.raises(MalformedEnvelope, match="must be 32 bytes"):
        PingMessage("").encode(replace(HEADER, prev=b"short"))
    with pytest.raises(MalformedEnvelope, match="must be an integer"):
        replace(sample(ClaimResult), balance_after=True).encode()


@dataclass(frozen=True)
class Floaty(WireRecord):
    amount: float


class BytesRow(NamedTuple):
    data: bytes


@dataclass(frozen=True)
class BadRows(WireRecord):
    rows: tuple[BytesRow, ...]


@dataclass(frozen=True)
class RepeatsHeader(WireMessage):
    msg_type: ClassVar[str] = "repeats"
    seq: int


@dataclass(frozen=True, slots=True)
class Slotted(WireRecord):
    root: Bytes32


def test_a_class_of_another_shape_is_refused_at_import() -> None:
    for cls in (Floaty, BadRows, Slotted):
        with pytest.raises(TypeError):
            layout(cls)
    with pytest.raises(TypeError, match="repeats a header field"):
        message_types(RepeatsHeader)
    with pytest.raises(TypeError, match="two message types"):
        message_types(PingMessage, PingMessage)


def test_routes_and_reply_rules_name_the_protocols_types() -> None:
    """What a node dispatches (peering's routes and those the composition root hands it) is every
    known type, each route's class decoding its own name; a reply rule's result type is its
    message's (a mismatch is refused when the table is built)."""
    dispatched = {**PEERING_ROUTES, **PEERING_HOOKS.routes}
    assert dict(route_types(dispatched)) == dict(KNOWN_MESSAGES)
    assert PEERING_HOOKS.reply_appliers is REPLY_APPLIERS
    for name, rule in REPLY_APPLIERS.items():
        assert rule.message.msg_type == name and rule.result is rule.message.result_type
    assert {t for t, kind in KNOWN_MESSAGES.items() if kind.result_type} == set(REPLY_APPLIERS)
    with pytest.raises(TypeError):
        ReplyRule(ClaimVoidMessage, ClaimResult, lambda *_: None)
    assert ClaimMessage.topic_field == "claim_id" and PingMessage("").topic() == ""


# -- no loose wire fields in node/ ------------------------------------------------------------

TYPED_MODULES = (
    "node.peering.wire",
    "node.peering.messages",
    "node.peering.context",
    "node.settlement.messages",
)
RAW_MAP_MODULES = ("node/peering/wire.py", "node/peering/envelope.py")  # they decode the maps
# The proof answer (docs/protocol.md, vector proof_answer) is unsigned, written with its keys
# unsorted by every release so far, and its rows hold bytes: read by hand, on purpose.
HAND_READ = {"node/settlement/audit/proofs.py": "check_answer"}
LOOSE_ANNOTATION = re.compile(r"(?:dict|Mapping)\[str, Any\]")
WIRE_NAMES = frozenset(
    f.name
    for cls in [*KNOWN_MESSAGES.values(), *RECORDS]
    for f in fields(cls)  # type: ignore[arg-type]
)


def loose_wire_fields(root: Path) -> list[str]:
    """Each place under root/node where a wire field is read from a loose map: `fields["..."]`
    anywhere, and in a module that handles typed messages a `dict[str, Any]` (or Mapping) or a
    subscript by a wire field's name. "path:line: what", sorted."""
    found = []
    for path in sorted((root / "node").rglob("*.py")):
        where = path.relative_to(root).as_posix()
        text = path.read_text("utf-8")
        tree = ast.parse(text)
        for number, line in enumerate(text.splitlines(), start=1):
            if 'fields["' in line or "fields.get(" in line:
                found.append(f"{where}:{number}: fields looked up by name")
        if where in RAW_MAP_MODULES or not _imports_typed_messages(tree):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if LOOSE_ANNOTATION.search(line):
                found.append(f"{where}:{number}: dict[str, Any] in a wire-handling module")
        for node in ast.walk(_without(tree, HAND_READ.get(where))):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Load)  # a write is a table's columns, not a read
                and isinstance(node.slice, ast.Constant)
                and node.slice.value in WIRE_NAMES
            ):
                found.append(f"{where}:{node.lineno}: [{node.slice.value!r}] on a loose map")
    return sorted(set(found))


def _without(tree: ast.Module, function: str | None) -> ast.Module:
    body = [n for n in tree.body if not (isinstance(n, ast.FunctionDef) and n.name == function)]
    return ast.Module(body=body, type_ignores=[])


def _imports_typed_messages(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in TYPED_MODULES:
            return True
        if isinstance(node, ast.Import) and any(a.name in TYPED_MODULES for a in node.names):
            return True
    return False


def test_no_loose_wire_fields_in_node() -> None:
    assert loose_wire_fields(ROOT) == []


def test_the_check_finds_a_planted_loose_handler(tmp_path: Path) -> None:
    package = tmp_path / "node" / "settlement"
    package.mkdir(parents=True)
    (package / "planted.py").write_text(
        "from typing import Any\n"
        "from node.settlement.messages import ClaimMessage\n"
        "\n"
        "def on_claim(fields: dict[str, Any]) -> int:\n"
        '    return fields["amount"]\n'
        "\n"
        "def apply(result: dict[str, Any]) -> str:\n"
        '    return result["decision"]\n'
    )
    # A JSON answer in a module that handles no messages is not a wire field.
    (package / "json_answer.py").write_text(
        "from typing import Any\n\ndef answer(body: dict[str, Any]) -> Any:\n"
        '    return body["amount"]\n'
    )
    assert loose_wire_fields(tmp_path) == [
        "node/settlement/planted.py:4: dict[str, Any] in a wire-handling module",
        "node/settlement/planted.py:5: ['amount'] on a loose map",
        "node/settlement/planted.py:5: fields looked up by name",
        "node/settlement/planted.py:7: dict[str, Any] in a wire-handling module",
        "node/settlement/planted.py:8: ['decision'] on a loose map",
    ]
