"""What a hung async test was waiting for (not a test module).

pytest-timeout's report shows each thread's stack; for an async test that is only the event loop
idle in `select`, which names no culprit. So a few seconds before the timeout, this prints the
stack of every pending asyncio task of every running loop to stdout, where pytest shows it before
the timeout's own report. A test that ends in time prints nothing.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import threading

import pytest

EARLY_S = 5.0
TIMER = pytest.StashKey[threading.Timer]()


def _print_tasks(loop: asyncio.AbstractEventLoop) -> None:
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    sys.stdout.write(f"--- {len(pending)} pending asyncio task(s) near the timeout ---\n")
    for task in pending:
        sys.stdout.write(f"{task!r}\n")
        task.print_stack(file=sys.stdout)


def _report() -> None:
    loops = [obj for obj in gc.get_objects() if isinstance(obj, asyncio.AbstractEventLoop)]
    for loop in loops:
        if loop.is_running():
            loop.call_soon_threadsafe(_print_tasks, loop)


class HangReport:
    """pytest-timeout's hooks: start a timer a little shorter than the test's, stop it after."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_timeout_set_timer(self, item: pytest.Item, settings: object) -> None:
        timeout = float(getattr(settings, "timeout", 0) or 0)
        if timeout > EARLY_S:
            timer = threading.Timer(timeout - EARLY_S, _report)
            timer.daemon = True
            timer.start()
            item.stash[TIMER] = timer
        # None: pytest-timeout still sets its own timer

    @pytest.hookimpl(tryfirst=True)
    def pytest_timeout_cancel_timer(self, item: pytest.Item) -> None:
        timer = item.stash.get(TIMER, None)
        if timer is not None:
            timer.cancel()
