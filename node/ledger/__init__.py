"""Vouchers and the double-entry journal: pure rules (model, core, qr, calendar) and SQLite shell."""
