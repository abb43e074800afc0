"""Migration 0027_webhooks, released: frozen. Never edit it; a change is a new migration.

Signed webhooks to integrations (POS, EC; issue 17) and the points-expiring notices:
- `webhook_endpoints`: where head office asked us to post events: the address, the signing
  secret (kept, since every delivery is signed with it; shown once when made), the event types
  it takes (a JSON array), when made and when disabled. One live endpoint per address.
- `webhook_deliveries`: the durable outbox. One row per event and endpoint, written in the same
  transaction as the change the event tells of (so an event exists exactly when its change
  committed); each attempt's outcome, the next attempt's time (NULL once delivered or given up).
- `point_expiry_notices` (owned by node.points): one notice per member and last local day of
  the points about to lapse (`expires_on`; `day_starts_at` <= a lot's `expires_at` <
  `day_ends_at` for the lots of that day), with their points; whether the member had asked for
  a mail then, when it was sent, and the attempts and last failure of sending it.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE webhook_endpoints (
            endpoint_id TEXT PRIMARY KEY,
            url TEXT NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
            secret TEXT NOT NULL CHECK (length(secret) >= 32),
            events TEXT NOT NULL CHECK (json_valid(events) AND json_array_length(events) >= 1),
            created_at INTEGER NOT NULL,
            disabled_at INTEGER
        );
        CREATE UNIQUE INDEX webhook_endpoints_live_url ON webhook_endpoints(url)
            WHERE disabled_at IS NULL;
        CREATE TRIGGER webhook_endpoints_fixed BEFORE UPDATE ON webhook_endpoints
        WHEN NEW.endpoint_id IS NOT OLD.endpoint_id OR NEW.url IS NOT OLD.url
            OR NEW.secret IS NOT OLD.secret OR NEW.events IS NOT OLD.events
            OR NEW.created_at IS NOT OLD.created_at OR OLD.disabled_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a webhook never changes; it is disabled once'); END;
        CREATE TRIGGER webhook_endpoints_kept BEFORE DELETE ON webhook_endpoints
        BEGIN SELECT RAISE(ABORT, 'webhooks are disabled, never deleted'); END;

        CREATE TABLE webhook_deliveries (
            delivery_id TEXT PRIMARY KEY,
            endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(endpoint_id),
            event_type TEXT NOT NULL,
            event_id TEXT NOT NULL,
            payload TEXT NOT NULL CHECK (json_valid(payload)),
            created_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            next_attempt_at INTEGER,
            delivered_at INTEGER,
            last_status INTEGER,
            last_error TEXT,
            given_up_at INTEGER,
            UNIQUE (endpoint_id, event_id),
            CHECK (next_attempt_at IS NULL OR (delivered_at IS NULL AND given_up_at IS NULL)),
            CHECK (delivered_at IS NULL OR given_up_at IS NULL)
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at)
            WHERE next_attempt_at IS NOT NULL;
        CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, created_at);
        CREATE TRIGGER webhook_deliveries_kept BEFORE DELETE ON webhook_deliveries
        BEGIN SELECT RAISE(ABORT, 'webhook deliveries are never deleted'); END;

        CREATE TABLE point_expiry_notices (
            customer_id TEXT NOT NULL REFERENCES members(customer_id),
            expires_on TEXT NOT NULL CHECK (length(expires_on) = 10),
            day_starts_at INTEGER NOT NULL,
            day_ends_at INTEGER NOT NULL,
            points INTEGER NOT NULL CHECK (typeof(points) = 'integer' AND points > 0),
            created_at INTEGER NOT NULL,
            mail_wanted INTEGER NOT NULL CHECK (mail_wanted IN (0, 1)),
            mailed_at INTEGER,
            mail_attempts INTEGER NOT NULL DEFAULT 0 CHECK (mail_attempts >= 0),
            mail_error TEXT,
            PRIMARY KEY (customer_id, expires_on),
            CHECK (day_starts_at < day_ends_at)
        );
        CREATE INDEX point_expiry_notices_day ON point_expiry_notices(customer_id, day_starts_at);
        CREATE INDEX point_expiry_notices_unmailed ON point_expiry_notices(created_at)
            WHERE mail_wanted = 1 AND mailed_at IS NULL;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
