"""Test tiers: which tier each test belongs to, and a guard that fails a test that reaches above it.

The tiers, cheapest first (docs/architecture.md, "Test tiers"):
- core: pure code; no SQLite file, no socket, no child process.
- node: nodes in this process: real SQLite files, aiohttp on 127.0.0.1.
- process: real child processes (`kippu serve`, the CLI, a fresh interpreter).
- browser: Chromium driven through Playwright.

A test's tier is found, not written down: its code, the code of the fixtures it uses and of every
helper in tests/ they call are read for the things that need a tier (a node's home, an event-loop
node, a socket, `subprocess`, `running_node`, `chromium`), and the highest one wins. An explicit
`@pytest.mark.<tier>` (on the test or as a module's `pytestmark`) overrides what is found.

The guard proves the result at run time: an audit hook (sys.addaudithook) sees every SQLite connect,
socket bind and connect, and child process, and refuses the ones above the running test's tier, so a
test that lands in too low a tier fails, naming what it opened.
"""

from __future__ import annotations

import inspect
import socket
import sqlite3
import subprocess
import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp
import aiosqlite
from aiohttp import web

import cli
import node.db
import node.demo
import node.server
import node.writer

TIERS = ("core", "node", "process", "browser")
RANK = {tier: rank for rank, tier in enumerate(TIERS)}


class TierViolation(Exception):
    """A test did something its tier does not allow (raised by the guard in the offending call)."""


# -- finding a test's tier from its code -------------------------------------------------------


def _roots() -> dict[int, str]:
    """The objects whose use puts a test in a tier (by id: some are not hashable)."""
    from tests import browser, conftest

    by_tier: dict[str, tuple[object, ...]] = {
        "node": (
            conftest.make_home,
            conftest.NodeThread,
            conftest.NodeFactory,
            node.server.load_node,
            node.server.start,
            node.db.connect,
            node.writer.GroupCommitWriter,
            node.demo.free_port,
            cli.main,  # the kippu CLI in this process: its commands open homes and call nodes
            sqlite3,
            aiosqlite,
            socket,
            aiohttp.ClientSession,
            web.AppRunner,
        ),
        "process": (node.demo.running_node, node.demo.run_demo, subprocess),
        "browser": (browser.chromium,),
    }
    return {id(root): tier for tier, roots in by_tier.items() for root in roots}


class TierFinder:
    """Reads functions (and the helpers in tests/ they reach) for the highest tier they need."""

    def __init__(self) -> None:
        self._roots = _roots()
        self._names = {"create_subprocess_exec": "process", "create_subprocess_shell": "process"}
        self._seen: dict[int, str] = {}

    def tier_of(self, function: object) -> str:
        return self._walk(function, set())

    def _walk(self, thing: object, visiting: set[int]) -> str:
        if id(thing) in self._roots:
            return self._roots[id(thing)]
        thing = _unwrap(thing)
        key = id(thing)
        if key in self._roots:
            return self._roots[key]
        if key in self._seen:
            return self._seen[key]
        if key in visiting or not _is_ours(thing):
            return "core"
        visiting.add(key)
        found = "core"
        for inner in _parts(thing):
            found = max(found, self._walk(inner, visiting), key=RANK.__getitem__)
        if isinstance(thing, types.FunctionType):
            found = max(found, self._code_tier(thing, visiting), key=RANK.__getitem__)
        visiting.discard(key)
        if not visiting:  # a result found inside a cycle may lack what the cycle's head reaches
            self._seen[key] = found
        return found

    def _code_tier(self, function: types.FunctionType, visiting: set[int]) -> str:
        found = "core"
        for code in _codes(function.__code__):
            for name in code.co_names:
                found = max(found, self._names.get(name, "core"), key=RANK.__getitem__)
                value = function.__globals__.get(name, sys.modules.get(name, _MISSING))
                if value is _MISSING:
                    continue
                found = max(found, self._walk(value, visiting), key=RANK.__getitem__)
                if isinstance(value, types.ModuleType):  # `db.connect`, `from x import y`, ...
                    for attribute in code.co_names:
                        member = getattr(value, attribute, _MISSING)
                        if member is not _MISSING and id(member) in self._roots:
                            found = max(found, self._roots[id(member)], key=RANK.__getitem__)
        return found


_MISSING = object()


def _unwrap(thing: object) -> object:
    inner_test = getattr(getattr(thing, "hypothesis", None), "inner_test", None)
    if inner_test is not None:
        return _unwrap(inner_test)
    if callable(thing) and hasattr(thing, "__wrapped__"):
        return inspect.unwrap(thing)  # type: ignore[arg-type]
    return thing


def _is_ours(thing: object) -> bool:
    """Code written in tests/: helpers are followed; libraries and node/ only count as roots."""
    module = getattr(thing, "__module__", None) or ""
    return (isinstance(thing, types.FunctionType | type)) and module.startswith("tests")


def _parts(thing: object) -> Iterator[object]:
    """A class's methods (and properties' getters); nothing for a function."""
    if isinstance(thing, type):
        for value in vars(thing).values():
            if isinstance(value, staticmethod | classmethod):
                yield value.__func__
            elif isinstance(value, property):
                yield from (f for f in (value.fget, value.fset) if f is not None)
            elif isinstance(value, types.FunctionType):
                yield value


def _codes(code: types.CodeType) -> Iterator[types.CodeType]:
    """A code object and the code of the functions, lambdas and comprehensions nested in it."""
    yield code
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _codes(constant)


def tier_of_item(
    finder: TierFinder,
    test: Callable[..., Any],
    fixtures: list[Callable[..., Any]],
    explicit: list[str],
) -> str:
    """The tier named by a mark (the highest, if several), else the highest the code needs."""
    if explicit:
        return max(explicit, key=RANK.__getitem__)
    found = finder.tier_of(test)
    for fixture in fixtures:
        found = max(found, finder.tier_of(fixture), key=RANK.__getitem__)
    return found


# -- the guard ---------------------------------------------------------------------------------


def _is_memory(database: object) -> bool:
    text = database.decode() if isinstance(database, bytes) else str(database)
    return text in ("", ":memory:") or text.startswith("file::memory:") or "mode=memory" in text


def _child_tier(args: object) -> str:
    words = " ".join(str(a) for a in args) if isinstance(args, list | tuple) else str(args)
    return "browser" if "playwright" in words or "chrom" in words else "process"


class TierGuard:
    """Refuses, while a test of a tier runs, what needs a higher tier; keeps what it refused."""

    def __init__(self) -> None:
        self.tier = "browser"  # outside a test nothing is refused
        self.violations: list[str] = []
        self._lock = threading.Lock()

    def install(self) -> None:
        sys.addaudithook(self._hook)  # audit hooks cannot be removed; an idle guard passes all

    @contextmanager
    def enforcing(self, tier: str) -> Iterator[list[str]]:
        """Refuse what `tier` may not do until the block ends; yields the violations seen."""
        with self._lock:
            before, self.tier, seen = self.tier, tier, self.violations
            self.violations = []
        try:
            yield self.violations
        finally:
            with self._lock:
                self.tier, self.violations = before, seen

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if self.tier == "browser" or event not in _EVENTS:
            return
        needed, what = _EVENTS[event](args)
        if RANK[needed] > RANK[self.tier]:
            message = f"a {self.tier} test {what}: that needs the {needed} tier"
            self.violations.append(message)
            raise TierViolation(message)


def _sqlite(args: tuple[Any, ...]) -> tuple[str, str]:
    database = args[0]
    if _is_memory(database):
        return "core", "opened an in-memory database"
    return "node", f"opened the SQLite file {database}"


def _socket(args: tuple[Any, ...]) -> tuple[str, str]:
    return "node", f"used a socket at {args[1]!r}"


def _popen(args: tuple[Any, ...]) -> tuple[str, str]:
    return _child_tier(args[1]), f"started a child process {args[1]!r}"


def _spawn(args: tuple[Any, ...]) -> tuple[str, str]:
    return _child_tier(args), f"started a child process {args[0]!r}"


_EVENTS: dict[str, Callable[[tuple[Any, ...]], tuple[str, str]]] = {
    "sqlite3.connect": _sqlite,
    "socket.bind": _socket,
    "socket.connect": _socket,
    "subprocess.Popen": _popen,
    "os.posix_spawn": _spawn,
    "os.system": _spawn,
}
