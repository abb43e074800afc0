"""Migration 0028_points_exchange_lottery: the point exchange catalogue and point lotteries.

Points leave a member's lots for goods or for a lottery ticket through the points journal of
migration 0026 (entries of kind exchange, exchange_cancel, lottery, lottery_refund); these
tables hold what the points were spent on:
- `exchange_items`: the catalogue (ポイント交換): name, point cost, optional stock, description.
  The terms never change; only the stock goes down (an order) or back up (a cancel), and an item
  is retired once.
- `exchange_orders`: one per exchange: the item, the member, the points and their entry, where to
  ship; `ordered` until head office ships it or cancels it (then the points go back, the
  `cancel_entry_id`), once.
- `point_lotteries`: a point lottery (WEB抽選): entry cost, period, the per-member cap, the related
  sales stated for the 2 % cap, the point's yen value at set-up, and the commitment
  SHA-256(seed) published at set-up; the seed itself stays here, shown only once drawn. Closing
  records the hash of the entries (set once); the draw records when; a cancel, once, never
  after the draw.
- `lottery_prizes`: the prizes of a lottery, in order (name, value in yen, how many).
- `lottery_tickets`: each entry, numbered in the order taken, with its points entry and, when
  the lottery was cancelled, the refund's entry.
- `lottery_winners`: the draw's outcome: the place in the shuffled order, the ticket, the prize.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE exchange_items (
            item_id TEXT PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 80),
            points INTEGER NOT NULL
                CHECK (typeof(points) = 'integer' AND points BETWEEN 1 AND 10000000),
            stock INTEGER CHECK (stock IS NULL OR (typeof(stock) = 'integer' AND stock >= 0)),
            description TEXT NOT NULL CHECK (length(description) <= 400),
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            retired_at INTEGER
        );
        CREATE TRIGGER exchange_items_fixed BEFORE UPDATE ON exchange_items
        WHEN NEW.item_id IS NOT OLD.item_id OR NEW.name IS NOT OLD.name
            OR NEW.points IS NOT OLD.points OR NEW.description IS NOT OLD.description
            OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
            OR (OLD.stock IS NULL) != (NEW.stock IS NULL)
            OR (OLD.retired_at IS NOT NULL AND NEW.retired_at IS NOT OLD.retired_at)
        BEGIN SELECT RAISE(ABORT, 'an exchange item''s terms never change; it is retired once'); END;
        CREATE TRIGGER exchange_items_kept BEFORE DELETE ON exchange_items
        BEGIN SELECT RAISE(ABORT, 'exchange items are retired, never deleted'); END;

        CREATE TABLE exchange_orders (
            order_id TEXT PRIMARY KEY,
            item_id TEXT NOT NULL REFERENCES exchange_items(item_id),
            customer_id TEXT NOT NULL REFERENCES members(customer_id),
            points INTEGER NOT NULL CHECK (typeof(points) = 'integer' AND points > 0),
            entry_id TEXT NOT NULL REFERENCES point_entries(entry_id),
            ship_name TEXT NOT NULL CHECK (length(trim(ship_name)) BETWEEN 1 AND 60),
            ship_postcode TEXT NOT NULL CHECK (length(ship_postcode) = 8),
            ship_address TEXT NOT NULL CHECK (length(trim(ship_address)) BETWEEN 1 AND 200),
            status TEXT NOT NULL CHECK (status IN ('ordered', 'shipped', 'cancelled')),
            created_at INTEGER NOT NULL,
            closed_at INTEGER,
            closed_by TEXT,
            cancel_entry_id TEXT REFERENCES point_entries(entry_id),
            CHECK ((status = 'ordered') = (closed_at IS NULL)),
            CHECK ((status = 'ordered') = (closed_by IS NULL)),
            CHECK ((status = 'cancelled') = (cancel_entry_id IS NOT NULL))
        );
        CREATE INDEX exchange_orders_open ON exchange_orders(status, created_at);
        CREATE INDEX exchange_orders_member ON exchange_orders(customer_id, created_at);
        CREATE TRIGGER exchange_orders_fixed BEFORE UPDATE ON exchange_orders
        WHEN NEW.order_id IS NOT OLD.order_id OR NEW.item_id IS NOT OLD.item_id
            OR NEW.customer_id IS NOT OLD.customer_id OR NEW.points IS NOT OLD.points
            OR NEW.entry_id IS NOT OLD.entry_id OR NEW.ship_name IS NOT OLD.ship_name
            OR NEW.ship_postcode IS NOT OLD.ship_postcode
            OR NEW.ship_address IS NOT OLD.ship_address
            OR NEW.created_at IS NOT OLD.created_at OR OLD.status != 'ordered'
        BEGIN SELECT RAISE(ABORT, 'an exchange order is shipped or cancelled once'); END;
        CREATE TRIGGER exchange_orders_kept BEFORE DELETE ON exchange_orders
        BEGIN SELECT RAISE(ABORT, 'exchange orders are never deleted'); END;

        CREATE TABLE point_lotteries (
            lottery_id TEXT PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 80),
            entry_points INTEGER NOT NULL
                CHECK (typeof(entry_points) = 'integer' AND entry_points BETWEEN 1 AND 10000000),
            max_entries INTEGER NOT NULL
                CHECK (typeof(max_entries) = 'integer' AND max_entries BETWEEN 1 AND 100),
            opens_at INTEGER NOT NULL,
            closes_at INTEGER NOT NULL,
            related_sales_yen INTEGER NOT NULL
                CHECK (typeof(related_sales_yen) = 'integer' AND related_sales_yen > 0),
            point_value_yen INTEGER NOT NULL
                CHECK (typeof(point_value_yen) = 'integer' AND point_value_yen BETWEEN 1 AND 100),
            commitment BLOB NOT NULL CHECK (length(commitment) = 32),
            seed BLOB NOT NULL CHECK (length(seed) = 32),
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            closed_at INTEGER,
            entries_hash BLOB CHECK (entries_hash IS NULL OR length(entries_hash) = 32),
            entry_count INTEGER,
            drawn_at INTEGER,
            cancelled_at INTEGER,
            cancelled_by TEXT,
            CHECK (opens_at < closes_at),
            CHECK ((closed_at IS NULL) = (entries_hash IS NULL)),
            CHECK ((closed_at IS NULL) = (entry_count IS NULL)),
            CHECK (drawn_at IS NULL OR closed_at IS NOT NULL),
            CHECK ((cancelled_at IS NULL) = (cancelled_by IS NULL)),
            CHECK (cancelled_at IS NULL OR drawn_at IS NULL)
        );
        CREATE TRIGGER point_lotteries_fixed BEFORE UPDATE ON point_lotteries
        WHEN NEW.lottery_id IS NOT OLD.lottery_id OR NEW.name IS NOT OLD.name
            OR NEW.entry_points IS NOT OLD.entry_points OR NEW.max_entries IS NOT OLD.max_entries
            OR NEW.opens_at IS NOT OLD.opens_at OR NEW.closes_at IS NOT OLD.closes_at
            OR NEW.related_sales_yen IS NOT OLD.related_sales_yen
            OR NEW.point_value_yen IS NOT OLD.point_value_yen
            OR NEW.commitment IS NOT OLD.commitment OR NEW.seed IS NOT OLD.seed
            OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
            OR (OLD.closed_at IS NOT NULL AND (NEW.closed_at IS NOT OLD.closed_at
                OR NEW.entries_hash IS NOT OLD.entries_hash
                OR NEW.entry_count IS NOT OLD.entry_count))
            OR OLD.drawn_at IS NOT NULL OR OLD.cancelled_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a lottery''s terms never change; it closes, draws once'); END;
        CREATE TRIGGER point_lotteries_kept BEFORE DELETE ON point_lotteries
        BEGIN SELECT RAISE(ABORT, 'point lotteries are never deleted'); END;

        CREATE TABLE lottery_prizes (
            lottery_id TEXT NOT NULL REFERENCES point_lotteries(lottery_id),
            position INTEGER NOT NULL CHECK (position BETWEEN 0 AND 19),
            name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 80),
            value_yen INTEGER NOT NULL
                CHECK (typeof(value_yen) = 'integer' AND value_yen BETWEEN 1 AND 100000),
            count INTEGER NOT NULL CHECK (typeof(count) = 'integer' AND count BETWEEN 1 AND 100000),
            PRIMARY KEY (lottery_id, position)
        ) WITHOUT ROWID;
        CREATE TRIGGER lottery_prizes_no_update BEFORE UPDATE ON lottery_prizes
        BEGIN SELECT RAISE(ABORT, 'lottery_prizes is append-only'); END;
        CREATE TRIGGER lottery_prizes_no_delete BEFORE DELETE ON lottery_prizes
        BEGIN SELECT RAISE(ABORT, 'lottery_prizes is append-only'); END;

        CREATE TABLE lottery_tickets (
            ticket_id TEXT PRIMARY KEY,
            lottery_id TEXT NOT NULL REFERENCES point_lotteries(lottery_id),
            seq INTEGER NOT NULL CHECK (typeof(seq) = 'integer' AND seq >= 1),
            customer_id TEXT NOT NULL REFERENCES members(customer_id),
            entry_id TEXT NOT NULL REFERENCES point_entries(entry_id),
            created_at INTEGER NOT NULL,
            refund_entry_id TEXT REFERENCES point_entries(entry_id),
            UNIQUE (lottery_id, seq)
        );
        CREATE INDEX lottery_tickets_member ON lottery_tickets(lottery_id, customer_id);
        CREATE TRIGGER lottery_tickets_fixed BEFORE UPDATE ON lottery_tickets
        WHEN NEW.ticket_id IS NOT OLD.ticket_id OR NEW.lottery_id IS NOT OLD.lottery_id
            OR NEW.seq IS NOT OLD.seq OR NEW.customer_id IS NOT OLD.customer_id
            OR NEW.entry_id IS NOT OLD.entry_id OR NEW.created_at IS NOT OLD.created_at
            OR OLD.refund_entry_id IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a lottery ticket is refunded once, and never changes'); END;
        CREATE TRIGGER lottery_tickets_kept BEFORE DELETE ON lottery_tickets
        BEGIN SELECT RAISE(ABORT, 'lottery tickets are never deleted'); END;

        CREATE TABLE lottery_winners (
            lottery_id TEXT NOT NULL REFERENCES point_lotteries(lottery_id),
            place INTEGER NOT NULL CHECK (place >= 1),
            ticket_id TEXT NOT NULL UNIQUE REFERENCES lottery_tickets(ticket_id),
            position INTEGER NOT NULL,
            PRIMARY KEY (lottery_id, place),
            FOREIGN KEY (lottery_id, position) REFERENCES lottery_prizes(lottery_id, position)
        ) WITHOUT ROWID;
        CREATE TRIGGER lottery_winners_no_update BEFORE UPDATE ON lottery_winners
        BEGIN SELECT RAISE(ABORT, 'lottery_winners is append-only'); END;
        CREATE TRIGGER lottery_winners_no_delete BEFORE DELETE ON lottery_winners
        BEGIN SELECT RAISE(ABORT, 'lottery_winners is append-only'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
