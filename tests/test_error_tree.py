"""The error tree is consistent: each class sits under the branch its code names, every 404 is a
NotFound, codes are unique, each class has a docstring (its message), the drawing in
node/errors/__init__.py is the tree, and what is actionable reaches a person through a real node."""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

import node.errors
from node.errors import KippuError, NotFound, ReceiptUnavailable
from node.home import NodeHome
from tests.conftest import AsyncNode, make_home
from tests.web_helpers import (
    add_store,
    browsers,
    customer_signs_in,
    customer_with_voucher,
    redeem_by_api,
)


def _walk(root: type) -> Iterator[type]:
    yield root
    for sub in root.__subclasses__():
        yield from _walk(sub)


def _top_branch(cls: type, root: type) -> type:
    """The child of `root` that `cls` descends from (or `root` itself)."""
    for ancestor in reversed(cls.__mro__):
        if issubclass(ancestor, root) and ancestor is not root:
            return ancestor
    return root


def tree_problems(root: type, not_found: type) -> list[str]:
    """Every way the tree under `root` breaks its rules, one line naming the class each."""
    classes = list(_walk(root))
    known_areas = {area for cls in classes for area in vars(cls).get("areas", ())}
    problems = [f"{c.__name__}: no code of its own" for c in classes if "code" not in vars(c)]
    seen: dict[str, str] = {}
    for cls in classes:
        name, code = cls.__name__, cls.code
        branch = _top_branch(cls, root)
        if "areas" in vars(cls) and cls is not branch and cls is not root:
            problems.append(f"{name}: only a top-level branch declares areas")
        area = code.split(".")[0]
        allowed = known_areas if branch.holds_every_area else set(branch.areas)
        if area not in allowed:
            problems.append(f"{name}: code {code} is not of its branch {branch.__name__}")
        if issubclass(cls, not_found) != (cls.http_status == 404):
            problems.append(f"{name}: a 404 is a {not_found.__name__} and nothing else is")
        if code in seen:
            problems.append(f"{name}: code {code} is also {seen[code]}'s")
        seen[code] = name
        if not (vars(cls).get("__doc__") or "").strip():
            problems.append(f"{name}: no docstring (the message a person acts on)")
        if cls.is_actionable == (area == "internal"):
            problems.append(f"{name}: is_actionable must be False exactly for internal.* codes")
    return problems


TREE_LINE = re.compile(r"^ {4}((?:[│ ] {3})*)([├└]── )?([A-Z_]\w*(?:, [A-Z_]\w*)*,?)")


def drawing_problems(docstring: str, root: type) -> list[str]:
    """Where the drawn tree differs from the classes: a class missing, drawn twice, or drawn
    under another parent than its own."""
    drawn: dict[str, tuple[int, str | None]] = {}
    last_at_depth: dict[int, list[str]] = {}
    problems = []
    for line in docstring.splitlines():
        match = TREE_LINE.match(line)
        if not match:
            continue
        depth = len(match.group(1)) // 4 + (1 if match.group(2) else 0)
        names = [n for n in match.group(3).rstrip(",").split(", ") if n]
        parents = last_at_depth.get(depth - 1, [])
        for name in names:
            if name in drawn:
                problems.append(f"{name}: drawn twice")
            drawn[name] = (depth, parents[-1] if len(parents) == 1 else None)
        last_at_depth[depth] = names
    for cls in _walk(root):
        if cls.__name__ not in drawn:
            problems.append(f"{cls.__name__}: missing from the drawing")
            continue
        depth, parent = drawn[cls.__name__]
        expected = cls.__mro__[1].__name__ if cls is not root else None
        if depth != len([c for c in cls.__mro__ if issubclass(c, root)]) - 1 or (
            cls is not root and parent != expected
        ):
            problems.append(f"{cls.__name__}: drawn under {parent}, is under {expected}")
    return problems


def test_the_tree_keeps_its_rules() -> None:
    assert tree_problems(KippuError, NotFound) == []


def test_the_drawing_is_the_tree() -> None:
    assert drawing_problems(node.errors.__doc__ or "", KippuError) == []


def test_every_class_is_exported_from_the_package() -> None:
    exported = {getattr(node.errors, name) for name in node.errors.__all__}
    assert set(_walk(KippuError)) <= exported
    assert len(list(_walk(KippuError))) == len(node.errors.known_codes())


def test_the_issues_examples_sit_where_their_names_say() -> None:
    assert issubclass(node.errors.PeerExists, node.errors.PeerError)
    assert not issubclass(node.errors.PeerExists, node.errors.LedgerError)
    for cls in (node.errors.ClaimNotFound, node.errors.StatementNotFound, node.errors.NotInLog):
        assert issubclass(cls, NotFound)


# -- the checkers catch planted violations ----------------------------------------------


class _Root(Exception):
    """Root."""

    code: ClassVar[str] = "internal.error"
    http_status: ClassVar[int] = 500
    areas: ClassVar[tuple[str, ...]] = ("internal",)
    holds_every_area: ClassVar[bool] = False
    is_actionable: ClassVar[bool] = False


class _Missing(_Root):
    """Kind branch."""

    code = "request.not_found"
    http_status = 404
    areas = ("request",)
    holds_every_area = True
    is_actionable = True


class _Peering(_Root):
    """Peering branch."""

    code = "peer.refused"
    http_status = 403
    areas = ("peer",)
    is_actionable = True


class _Ledger(_Root):
    """Ledger branch."""

    code = "ledger.refused"
    http_status = 409
    areas = ("ledger",)
    is_actionable = True


class _PeerExists(_Ledger):
    """Planted: a peer.* code under the ledger."""

    code = "peer.exists"


class _ClaimNotFound(_Peering):
    """Planted: a 404 that is no NotFound, and a settlement code under peering."""

    code = "settlement.claim_not_found"
    http_status = 404


class _Again(_Peering):
    """Planted: a code used twice."""

    code = "peer.refused"


class _Silent(_Missing):
    code = "ledger.gone"


class _Hidden(_Peering):
    """Planted: an actionable refusal marked as not actionable."""

    code = "peer.hidden"
    is_actionable = False


class _Borrowed(_Ledger):
    """Planted: a class that borrows its parent's code."""


def test_the_tree_checker_names_each_planted_violation() -> None:
    problems = tree_problems(_Root, _Missing)
    assert "_PeerExists: code peer.exists is not of its branch _Ledger" in problems
    assert "_ClaimNotFound: a 404 is a _Missing and nothing else is" in problems
    assert "_ClaimNotFound: code settlement.claim_not_found is not of its branch _Peering" in (
        problems
    )
    assert "_Again: code peer.refused is also _Peering's" in problems
    assert "_Silent: no docstring (the message a person acts on)" in problems
    assert "_Hidden: is_actionable must be False exactly for internal.* codes" in problems
    assert "_Borrowed: no code of its own" in problems
    assert len(problems) == 8, problems  # _Borrowed's borrowed code is also a duplicate


SYNTHETIC_DRAWING = """
    _Root
    ├── _Missing
    │   └── _Silent
    ├── _Peering
    │   └── _ClaimNotFound, _Again, _Hidden
    └── _Ledger
        └── _PeerExists, _Borrowed
"""


def test_the_drawing_checker_names_a_missing_misplaced_or_doubled_class() -> None:
    assert drawing_problems(SYNTHETIC_DRAWING, _Root) == []
    misplaced = SYNTHETIC_DRAWING.replace("_Again, _Hidden", "_Again, _Hidden, _PeerExists")
    misplaced = misplaced.replace("└── _PeerExists, _Borrowed", "└── _Borrowed")
    assert drawing_problems(misplaced, _Root) == [
        "_PeerExists: drawn under _Peering, is under _Ledger"
    ]
    missing = SYNTHETIC_DRAWING.replace("    │   └── _Silent\n", "")
    assert drawing_problems(missing, _Root) == ["_Silent: missing from the drawing"]
    doubled = SYNTHETIC_DRAWING.replace("_Again, _Hidden", "_Again, _Hidden, _Again")
    assert drawing_problems(doubled, _Root) == ["_Again: drawn twice"]


# -- an actionable 503 reaches the person who can act on it -----------------------------


@pytest.fixture
def home(tmp_path: Path) -> NodeHome:
    """A node whose configured receipt font is a file but no TrueType font (a download cut
    short, say): the node starts, and receipts are unavailable."""
    made = make_home(tmp_path / "node")
    config = made.config_path.read_text(encoding="utf-8")
    broken = tmp_path / "broken-font.ttf"
    broken.write_bytes(b"not a font" * 100)
    assert 'receipt_font = ""' in config
    made.config_path.write_text(
        config.replace('receipt_font = ""', f'receipt_font = "{broken}"'), encoding="utf-8"
    )
    return made


async def test_a_broken_receipt_font_reaches_the_customer_with_its_message(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    store = await add_store(anode, "本店")
    voucher = await customer_with_voucher(anode, "a@example.com")
    redemption = await redeem_by_api(anode, voucher, store, 1_000)
    async with browsers(anode) as new:
        customer = await customer_signs_in(new(), "a@example.com", caplog)
        with caplog.at_level(logging.ERROR, logger="node.web.guard"):
            page = await customer.get(f"/wallet/receipts/{redemption}.pdf")
    assert page.status == ReceiptUnavailable.http_status == 503
    # The customer reads what to do in their language; the detail is the admin's, in the log.
    assert (
        "いまは領収書を作れません (日本語フォントがありません)。管理者に連絡してください。"
        in page.text
    )
    assert "internal error" not in page.text.lower()
    assert any("receipt.unavailable" in r.getMessage() for r in caplog.records)


def test_every_class_has_a_module_of_its_area() -> None:
    """The package is split by area: no class is left in the package's __init__."""
    for cls in _walk(KippuError):
        assert cls.__module__ != "node.errors", cls.__name__
        assert inspect.getmodule(cls) is not None
