"""schemathesis (every check, deterministic, bounded) against a real node on 127.0.0.1: the admin
API's OpenAPI document and the server agree.

Generic over the document: each operation it describes becomes one test, and the stateful test
follows the links it defines, so a route added later is covered without touching this file.
422 counts as an acceptable answer to a request the document allows: it is how the server refuses
what JSON Schema cannot state (node/http/schema_parts.py); 400 never is.

The schema is loaded from the document as the code builds it (schemathesis' from_fixture does not
run on pytest 9), and the first test proves the node serves that very document.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from schemathesis.config import SchemathesisConfig

from node.api.openapi import openapi_document
from node.config import DEFAULT_MAX_VOUCHER_YEN
from node.peering.operations import PARTNER_URL
from tests.conftest import FakeClock, NodeHandle, NodeThread, make_home

MAX_EXAMPLES = 12  # per operation and phase; the whole run stays near a minute on 2 cores
STATEFUL_EXAMPLES = 15
STATEFUL_STEPS = 8
ACCEPTED_FOR_VALID_DATA = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
PLACEHOLDER_URL = "http://127.0.0.1:1"  # replaced by the node's address at each call


def _config(base_url: str, token: str | None = None) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": 1,
            "base-url": base_url,
            "headers": {"Authorization": f"Bearer {token}"} if token else {},
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ACCEPTED_FOR_VALID_DATA},
            },
            "phases": {"stateful": {"max-steps": STATEFUL_STEPS}},
        }
    )


# Partners the generated requests register must be on this machine: the node delivers to them.
LOOPBACK_PARTNER = "http://127.0.0.1:9"  # the discard port: nothing listens, refused at once
_PARTNER_URL = re.compile(PARTNER_URL)


def _loopback(value: Any) -> Any:
    """`value` with every well-formed partner URL in it replaced by one on 127.0.0.1 (a URL the
    server would refuse stays, so what each request tests is unchanged)."""
    if isinstance(value, dict):
        return {
            k: LOOPBACK_PARTNER
            if k == "url" and isinstance(v, str) and _PARTNER_URL.fullmatch(v.strip())
            else _loopback(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_loopback(v) for v in value]
    return value


def _confined(loaded: schemathesis.BaseSchema) -> schemathesis.BaseSchema:
    @loaded.hook("map_body")  # type: ignore[misc]
    def partners_on_loopback(context: schemathesis.HookContext, body: Any) -> Any:
        return _loopback(body)

    return loaded


DOCUMENT = openapi_document(PLACEHOLDER_URL, DEFAULT_MAX_VOUCHER_YEN)
schema = _confined(schemathesis.openapi.from_dict(DOCUMENT, config=_config(PLACEHOLDER_URL)))


@pytest.fixture(scope="module", autouse=True)
def out_of_the_collectors_way() -> Iterator[None]:
    """Hypothesis and schemathesis keep ~130,000 objects alive for the rest of the session (the
    collected items hold their strategies), which makes each later full garbage collection take
    ~0.25 s: long enough for the `anode` fixture to report a blocked event loop in an unrelated
    test. Once this module is done, they are frozen out of the collector's sight (gc.freeze)."""
    yield
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NodeHandle]:
    root: Path = tmp_path_factory.mktemp("schemathesis")
    thread = NodeThread(make_home(root / "node"), FakeClock())
    handle = thread.start()
    try:
        yield handle
    finally:
        thread.stop()


def test_the_node_serves_the_document_under_test(served: NodeHandle) -> None:
    answer = requests.get(f"{served.base_url}/api/v1/openapi.json", timeout=30)
    assert answer.status_code == 200
    assert {**answer.json(), "servers": None} == {**DOCUMENT, "servers": None}


@schema.parametrize()
@hypothesis.settings(deadline=None, derandomize=True, database=None)
def test_each_operation_matches_the_document(served: NodeHandle, case: schemathesis.Case) -> None:
    case.call_and_validate(
        base_url=served.base_url, headers={"Authorization": f"Bearer {served.token}"}
    )


def test_sequences_along_the_documents_links(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each sequence runs against a node of its own, fresh from `kippu init`: what a sequence is
    answered depends on nothing but its own steps, so Hypothesis sees the same answers each time it
    replays one (derandomized generation stays deterministic, and CI cannot flake)."""
    linked = _confined(schemathesis.openapi.from_dict(DOCUMENT, config=_config(PLACEHOLDER_URL)))

    class FreshNodeEachSequence(linked.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            home = make_home(tmp_path_factory.mktemp("stateful") / "node")
            self.thread = NodeThread(home, FakeClock())
            self.node = self.thread.start()

        def teardown(self) -> None:
            self.thread.stop()

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            auth = {"Authorization": f"Bearer {self.node.token}"}
            return {"base_url": self.node.base_url, "headers": auth}

    FreshNodeEachSequence.run(
        settings=hypothesis.settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
