"""node.periodic: a background job runs at its interval, a failed run is logged and the job goes
on, and leaving the block stops it."""

from __future__ import annotations

import asyncio
import logging

import pytest

from node.periodic import every

log = logging.getLogger("tests.periodic")


async def test_a_job_runs_survives_a_failure_and_stops_with_its_block(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runs: list[int] = []
    third = asyncio.Event()

    async def job() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("the first run fails")
        if len(runs) == 3:
            third.set()

    with caplog.at_level(logging.ERROR, logger="tests.periodic"):
        async with every(0.01, job, "test-job", log):
            await asyncio.wait_for(third.wait(), 5)
        stopped_at = len(runs)
        await asyncio.sleep(0.05)
    assert len(runs) == stopped_at  # nothing ran after the block
    assert [r.getMessage() for r in caplog.records] == ["test-job failed; will retry"]
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "kippu-test-job"]
