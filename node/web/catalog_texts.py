"""A Babel extractor that puts what error codes and form fields say (node/web/texts) into the
campaign pages' catalogue, so the Chinese and Korean translations sit beside everything else.

babel.cfg names it for node/web/texts/*campaign*.py (every `error:` and `field:` key) and for the
shared texts modules with `keys = shared` (only SHARED_KEYS: what any resident or store page
can show, such as a form error or an expired form). Each key becomes an entry with msgctxt the
key and msgid the English text; the Japanese text goes along as a comment for translators.
The module is read, never imported: extraction runs no code of the file.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

# Codes and fields outside the campaign areas that a resident or store page can show.
SHARED_KEYS = frozenset(
    {
        "error:internal.error",
        "error:request.invalid",
        "error:request.not_found",
        "error:request.invalid_text",
        "error:request.invalid_amount",
        "error:request.no_page",
        "error:auth.not_signed_in",
        "error:auth.link_invalid",
        "error:auth.csrf",
        "error:auth.throttled",
        "error:server.too_many_connections",
        "field:amount",
        "field:email",
        "field:name",
        "field:number",
    }
)
KEY_PREFIXES = ("error:", "field:")

Extracted = tuple[int, str, tuple[str, str], list[str]]


def texts_table(tree: ast.Module) -> ast.Dict | None:
    """The literal dict assigned to TEXTS at module level, if there is one."""
    for statement in tree.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            target, value = statement.target.id, statement.value
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            first = statement.targets[0]
            target, value = (first.id if isinstance(first, ast.Name) else ""), statement.value
        else:
            continue
        if target == "TEXTS" and isinstance(value, ast.Dict):
            return value
    return None


def text_entries(source: bytes, wanted: Collection[str] | None) -> Iterator[Extracted]:
    """(line, "pgettext", (key, English), ["ja: 日本語"]) for each error or field text in the
    module's TEXTS, only the `wanted` keys when given."""
    table = texts_table(ast.parse(source))
    if table is None:
        return
    for key_node, value_node in zip(table.keys, table.values, strict=True):
        if key_node is None:  # a `**other` spread: not a literal entry
            continue
        key = ast.literal_eval(key_node)
        if not (isinstance(key, str) and key.startswith(KEY_PREFIXES)):
            continue
        if wanted is not None and key not in wanted:
            continue
        japanese, english = ast.literal_eval(value_node)
        yield key_node.lineno, "pgettext", (key, english), [f"ja: {japanese}"]


def extract_texts(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Babel's extractor interface (babel.cfg: `[node.web.catalog_texts:extract_texts: ...]`)."""
    wanted = SHARED_KEYS if options.get("keys") == "shared" else None
    yield from text_entries(fileobj.read(), wanted)
