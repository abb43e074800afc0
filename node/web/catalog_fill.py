"""The last step of `make catalogs`, after `pybabel extract` and `pybabel update`: fills in what
no translator needs to write, then lists what is left for translators.

Filled: in the Japanese and English catalogues, every error and field entry with its text from
node/web/texts (their one source, which the pages without catalogues read too); in English,
every other message with its msgid (our msgids are English). What the run prints is what
tests/test_catalogs.py would fail on; translate those entries (any PO editor, or by hand:
fill msgstr, remove the `fuzzy` flag) and run it again until it prints nothing.

Run as `python -m node.web.catalog_fill`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from node.web import i18n
from node.web.catalog import BY_TAG, LANGUAGES, Language, catalogue_path
from node.web.catalog_check import (
    TEMPLATE,
    is_text_entry,
    key_of,
    read_catalogue,
    read_catalogues,
    translation_problems,
)


def fill(catalogue: Catalog, language: Language) -> int:
    """Fill the entries of `catalogue` that come from elsewhere; answers how many changed."""
    if language.tag not in ("ja", "en"):
        return 0
    changed = 0
    for message in catalogue:
        if not message.id:
            continue
        context, msgid = key_of(message)
        if is_text_entry((context, msgid)) and context in i18n.TEXTS:
            wanted: str | tuple[str, ...] = i18n.TEXTS[context][0 if language.tag == "ja" else 1]
        elif language.tag == "en" and (message.fuzzy or not message.string):
            wanted = message.id if isinstance(message.id, str) else tuple(message.id)
        else:
            continue
        if message.string != wanted or message.fuzzy:
            message.string = wanted
            message.flags.discard("fuzzy")
            changed += 1
    return changed


def write_catalogue(path: Path, catalogue: Catalog) -> None:
    """As `pybabel update --no-wrap --add-location=file --ignore-obsolete` writes it."""
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=0, include_lineno=False, ignore_obsolete=True)


def main() -> int:
    template = read_catalogue(TEMPLATE)
    catalogues = read_catalogues()
    for tag in ("ja", "en"):
        language = BY_TAG[tag]
        if fill(catalogues[language], language):
            write_catalogue(catalogue_path(language), catalogues[language])
    problems = [
        problem
        for language in LANGUAGES
        for problem in translation_problems(template, catalogues[language], language)
    ]
    for problem in problems:
        print(problem)
    print(f"{len(problems)} entries to translate" if problems else "All catalogues complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
