"""HOST:PORT as config.toml and `kippu init --listen` give it (node.listen, campaigns.rush.relay_listen)."""

from __future__ import annotations

from node.config.model import ListenAddress


def parse_listen(text: str) -> ListenAddress:
    """Parse HOST:PORT (IPv6 as [::1]:PORT); raise ValueError with a readable reason."""
    if text.startswith("["):
        host, sep, port_text = text[1:].partition("]:")
    else:
        host, sep, port_text = text.rpartition(":")
    if not sep or not host or not port_text.isdigit():
        raise ValueError(f"expected HOST:PORT, got {text!r}")
    port = int(port_text)
    if not 0 < port < 65536:
        raise ValueError(f"port {port} is out of range 1-65535")
    return ListenAddress(host, port)
