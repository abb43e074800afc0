"""The analytics' worker process (node/crm/report_process.py) against a real node: a report is
computed in it; a worker that dies is answered as `analytics.unavailable` (503, nothing changed),
not a 500, and the next report starts a new worker; the worker ends with the node."""

from __future__ import annotations

import os
import signal
import time

from node.crm import report_process
from node.home import NodeHome
from tests.conftest import AsyncNode


def worker_pids(home: NodeHome) -> list[int]:
    """The node's worker processes (the executor's own table: no public listing exists)."""
    pool = report_process._pools.get(home.database_path)
    return [] if pool is None else list(pool._processes)


async def test_a_dead_report_worker_is_a_503_then_replaced(
    anode: AsyncNode, home: NodeHome
) -> None:
    await anode.call("POST", "customers", {"name": "山田太郎"})
    status, first = await anode.call("GET", "analytics/pareto")
    assert status == 200, first
    [pid] = worker_pids(home)

    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    status, answer = await anode.call("GET", "analytics/pareto")
    while status == 200 and time.monotonic() < deadline:  # until the executor sees it died
        status, answer = await anode.call("GET", "analytics/pareto")
    assert (status, answer["error"]["code"]) == (503, "analytics.unavailable")

    status, again = await anode.call("GET", "analytics/pareto")
    assert status == 200 and again == first
    assert worker_pids(home) and worker_pids(home) != [pid]
