"""Kippu node: one company's voucher ledger, admin API and (later) partner peering and settlement."""

__version__ = "0.1.0"
