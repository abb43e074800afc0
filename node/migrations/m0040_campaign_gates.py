"""Migration 0040_campaign_gates: the gates of lottery and survey campaigns (issue 18).

Lottery (抽選式):
- `campaign_lotteries`: a lottery campaign's draw set-up: where its seed comes from (`secret`:
  the office's secret whose SHA-256 `commitment` is published at set-up; `beacon`: a public
  randomness beacon's value entered at the draw, its name and, when announced beforehand, its
  round), the last moment to apply (`entries_until`, before the campaign's `ends_at`, the last
  moment to receive), the days a winner has to claim, and, once the entries are closed, their
  count and hash.
- `campaign_lottery_entries`: one application per person and campaign (UNIQUE).
- `campaign_lottery_rounds`: each draw (round 1 from every entry, round 2 on from the entries
  that have not won, for the wins left unclaimed): its entries' hash, seed, beacon round, the
  number of winners asked for and the claim deadline.
- `campaign_lottery_wins`: each winning entry (one win per entry), its place, and its grant once
  claimed.

Survey (アンケート回答者限定):
- `campaign_survey_questions`: a survey campaign's questionnaire, numbered from 1: single choice,
  multiple choice (options as a JSON list) or free text (`max_length`), required or not.
- `campaign_survey_responses`: one answer per person and campaign (the answers as JSON, keyed by
  question number), with the grant it gave: an answer is recorded only with its grant.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE campaign_lotteries (
            campaign_id TEXT PRIMARY KEY REFERENCES campaigns(campaign_id),
            seed_mode TEXT NOT NULL CHECK (seed_mode IN ('secret', 'beacon')),
            commitment TEXT CHECK (commitment IS NULL OR length(commitment) = 64),
            beacon_name TEXT NOT NULL DEFAULT '' CHECK (length(beacon_name) <= 100),
            beacon_round INTEGER CHECK (beacon_round IS NULL OR beacon_round >= 0),
            entries_until INTEGER NOT NULL,
            claim_days INTEGER NOT NULL CHECK (claim_days BETWEEN 1 AND 365),
            entries_closed_at INTEGER,
            entry_count INTEGER,
            entries_hash TEXT CHECK (entries_hash IS NULL OR length(entries_hash) = 64),
            set_up_at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            CHECK ((seed_mode = 'secret') = (commitment IS NOT NULL))
        );
        CREATE TABLE campaign_lottery_entries (
            entry_id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL REFERENCES campaign_lotteries(campaign_id),
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            applied_at INTEGER NOT NULL,
            UNIQUE (campaign_id, customer_id)
        );
        CREATE INDEX campaign_lottery_entries_customer ON campaign_lottery_entries(customer_id);
        CREATE TABLE campaign_lottery_rounds (
            campaign_id TEXT NOT NULL REFERENCES campaign_lotteries(campaign_id),
            round_no INTEGER NOT NULL CHECK (round_no >= 1),
            entries_hash TEXT NOT NULL CHECK (length(entries_hash) = 64),
            entry_count INTEGER NOT NULL CHECK (entry_count >= 0),
            seed TEXT NOT NULL CHECK (length(seed) BETWEEN 32 AND 128),
            beacon_round INTEGER,
            asked INTEGER NOT NULL CHECK (asked >= 1),
            claim_until INTEGER NOT NULL,
            drawn_at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            PRIMARY KEY (campaign_id, round_no)
        );
        CREATE TABLE campaign_lottery_wins (
            entry_id TEXT PRIMARY KEY REFERENCES campaign_lottery_entries(entry_id),
            campaign_id TEXT NOT NULL REFERENCES campaign_lotteries(campaign_id),
            round_no INTEGER NOT NULL,
            place INTEGER NOT NULL CHECK (place >= 1),
            grant_id TEXT UNIQUE REFERENCES campaign_grants(grant_id),
            claimed_at INTEGER,
            UNIQUE (campaign_id, round_no, place),
            FOREIGN KEY (campaign_id, round_no)
                REFERENCES campaign_lottery_rounds(campaign_id, round_no)
        );
        CREATE TABLE campaign_survey_questions (
            campaign_id TEXT NOT NULL REFERENCES campaigns(campaign_id),
            question_no INTEGER NOT NULL CHECK (question_no BETWEEN 1 AND 50),
            kind TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'text')),
            prompt TEXT NOT NULL CHECK (length(prompt) BETWEEN 1 AND 500),
            options TEXT NOT NULL DEFAULT '[]',
            is_required INTEGER NOT NULL CHECK (is_required IN (0, 1)),
            max_length INTEGER CHECK (max_length IS NULL OR max_length BETWEEN 1 AND 4000),
            PRIMARY KEY (campaign_id, question_no)
        );
        CREATE TABLE campaign_survey_responses (
            campaign_id TEXT NOT NULL REFERENCES campaigns(campaign_id),
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            answers TEXT NOT NULL,
            grant_id TEXT NOT NULL UNIQUE REFERENCES campaign_grants(grant_id),
            answered_at INTEGER NOT NULL,
            PRIMARY KEY (campaign_id, customer_id)
        );
        CREATE TRIGGER campaign_lottery_entries_kept BEFORE DELETE ON campaign_lottery_entries
        BEGIN SELECT RAISE(ABORT, 'lottery entries are never deleted'); END;
        CREATE TRIGGER campaign_lottery_wins_kept BEFORE DELETE ON campaign_lottery_wins
        BEGIN SELECT RAISE(ABORT, 'lottery wins are never deleted'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
