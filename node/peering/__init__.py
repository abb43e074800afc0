"""Partner registry, signed envelopes, transport/outbox and LAN discovery (see docs/protocol.md)."""
