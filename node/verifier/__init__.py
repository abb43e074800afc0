"""The auditor's offline tool (`kippu audit verify`): reads exported bundles and imports nothing
of the running node (tests/test_verifier_isolation.py)."""
