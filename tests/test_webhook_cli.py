"""`kippu webhook ...` against a real node on 127.0.0.1: add (the secret shown once), list,
test, deliveries, retry, disable, and refusals as exit 1 with their codes (issue 17)."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner, Result

from cli import main
from tests.conftest import NodeHandle
from tests.web_flow_helpers import free_port


def kippu(node: NodeHandle, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--home", str(node.home.root)], catch_exceptions=False)


def kippu_json(node: NodeHandle, *args: str) -> Any:
    result = kippu(node, *args, "--json")
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


def test_webhooks_through_the_cli(node: NodeHandle) -> None:
    url = f"http://127.0.0.1:{free_port()}/kippu"  # nobody listens: the ping stays pending
    made = kippu_json(
        node, "webhook", "add", url, "--event", "points.earned", "--event", "rank.changed"
    )
    assert made["secret"].startswith("whsec_") and made["events"] == [
        "points.earned",
        "rank.changed",
    ]
    hook = made["webhook_id"]

    text = kippu(node, "webhook", "list")
    assert (
        text.exit_code == 0 and hook in text.stdout and "points.earned rank.changed" in text.stdout
    )
    assert made["secret"] not in text.stdout
    listed = kippu_json(node, "webhook", "list")["webhooks"]
    assert [w["url"] for w in listed] == [url]

    ping = kippu_json(node, "webhook", "test", hook)
    assert ping["event"] == "webhook.ping"
    [sent] = kippu_json(node, "webhook", "deliveries", hook)["deliveries"]
    assert sent["delivery_id"] == ping["delivery_id"]
    shown = kippu(node, "webhook", "deliveries", hook)
    assert shown.exit_code == 0 and "webhook.ping" in shown.stdout

    twice = kippu(node, "webhook", "add", url, "--event", "points.used", "--json")
    assert twice.exit_code == 1
    assert json.loads(twice.stderr)["error"]["code"] == "webhook.url_taken"
    plain = kippu(node, "webhook", "add", "http://pos.example.com/", "--event", "points.used")
    assert plain.exit_code == 1 and "[webhook.invalid]" in plain.stderr
    unknown = kippu(node, "webhook", "add", url, "--event", "points.spent")
    assert unknown.exit_code == 2  # click refuses an event it does not offer

    gone = kippu_json(node, "webhook", "disable", hook)
    assert gone["disabled_at"] is not None
    again = kippu(node, "webhook", "disable", hook)
    assert again.exit_code == 1 and "[webhook.not_found]" in again.stderr
    retry = kippu(node, "webhook", "retry", hook, ping["delivery_id"])
    assert retry.exit_code == 1 and "[webhook.not_found]" in retry.stderr
