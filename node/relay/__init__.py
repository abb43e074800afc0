"""The rush relay (ラッシュ中継): a process of its own that takes a first-come rush's requests off
the node's event loop.

In a rush, hundreds of callers ask for a campaign's grants at once. Parsing, answering and
keeping their HTTP connections is most of what a grant costs the node's one process, and the
counters' redemptions would wait behind it in the same event loop. The relay listens on a port
of its own (`[campaigns.rush] relay_listen`), reads those requests, and passes them to the node
as one-line frames over a Unix socket in the node's home (`frames.py`), many in one write; the
node decides each by the very code its own route runs (`backend.py`) and answers each frame as
it is decided. The relay knows no rule of a grant: what a caller is answered, status and body,
is the node's. `kippu serve` starts and watches the relay (`process.py`); the relay's program is
`python -m node.relay`.
"""
