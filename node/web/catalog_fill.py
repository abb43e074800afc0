"""The last step of `make catalogs`, after `pybabel extract` and `pybabel update`: fills in what
no translator needs to write, then lists what is left for translators.

Filled: in the Japanese and English catalogues, every error and field entry with its text from
node/web/texts (their one source, which the pages without catalogues read too); in English,
every other message with its msgid (our msgids are English). What the run prints is what
tests/test_catalogs.py would fail on; translate those entries (any PO editor, or by hand:
fill msgstr, remove the `fuzzy` flag) and run it again until it prints nothing.

Run as `python -m node.web.catalog_fill [--from OTHER_LOCALE_DIR]` (`make catalogs FROM=REV`:
after a merge, the other side's translations; docs/operations.md says when).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from node.web import i18n
from node.web.catalog import LANGUAGES, Language, catalogue_path
from node.web.catalog_check import (
    TEMPLATE,
    is_text_entry,
    key_of,
    read_catalogue,
    read_catalogues,
    translation_problems,
)

STEADY_DATE = datetime(2026, 12, 1, tzinfo=UTC)  # when the catalogues began; see steady_header
TEMPLATE_COMMENT = (
    "# The campaign pages' messages, extracted from the sources by `make catalogs`: never edited"
    " by hand."
)
CATALOGUE_COMMENT = (
    "# The campaign pages' messages in {name}: translate here, then run `make catalogs`"
    " (docs/operations.md, Languages)."
)


def is_untranslated(string: str | tuple[str, ...] | list[str] | None) -> bool:
    """No text at all, or (a message with plurals) some form without one."""
    if isinstance(string, tuple | list):
        return not all(string)
    return not string


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
        elif language.tag == "en" and (message.fuzzy or is_untranslated(message.string)):
            wanted = message.id if isinstance(message.id, str) else tuple(message.id)
        else:
            continue
        if message.string != wanted or message.fuzzy:
            message.string = wanted
            message.flags.discard("fuzzy")
            changed += 1
    return changed


def steady_header(catalogue: Catalog, language: Language | None) -> None:
    """The header without the moment of the run: each run of `make catalogs` on a branch would
    otherwise change a line of all six files, and every merge of two branches that added
    messages would conflict there. Git says when a catalogue changed."""
    catalogue.creation_date = STEADY_DATE
    catalogue.revision_date = STEADY_DATE
    if language is None:
        catalogue.header_comment = TEMPLATE_COMMENT
    else:
        catalogue.header_comment = CATALOGUE_COMMENT.format(name=language.native_name)


def write_template(path: Path, template: Catalog) -> None:
    """As `pybabel extract --no-wrap --add-location=file --sort-by-file` writes it."""
    with path.open("wb") as handle:
        write_po(handle, template, width=0, include_lineno=False, sort_by_file=True)


def write_catalogue(path: Path, catalogue: Catalog) -> None:
    """As `pybabel update --no-wrap --add-location=file --ignore-obsolete` writes it."""
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=0, include_lineno=False, ignore_obsolete=True)


def take_translations(catalogue: Catalog, other: Catalog) -> int:
    """Fill the untranslated or fuzzy entries of `catalogue` with `other`'s translation of the
    same message (msgctxt and msgid), where `other` has a sure one; answers how many. After a
    merge of two branches that both added messages, one side's catalogues are kept and
    re-extracted, and the other side's translations are taken from its files."""
    theirs = {key_of(message): message for message in other if message.id}
    taken = 0
    for message in catalogue:
        found = theirs.get(key_of(message)) if message.id else None
        if found is None or found.fuzzy or is_untranslated(found.string):
            continue
        if message.id != found.id or not (message.fuzzy or is_untranslated(message.string)):
            continue  # another plural, or ours is translated already
        message.string = found.string
        message.flags.discard("fuzzy")
        taken += 1
    return taken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m node.web.catalog_fill")
    parser.add_argument(
        "--from",
        dest="other",
        type=Path,
        help="a locale directory (another branch's node/web/locale) to take translations from",
    )
    other_dir: Path | None = parser.parse_args(argv).other
    template = read_catalogue(TEMPLATE)
    steady_header(template, None)
    write_template(TEMPLATE, template)
    catalogues = read_catalogues()
    for language in LANGUAGES:
        if other_dir is not None and catalogue_path(language, other_dir).is_file():
            other = read_catalogue(catalogue_path(language, other_dir), language.locale)
            print(f"{language.locale}: {take_translations(catalogues[language], other)} taken")
        fill(catalogues[language], language)
        steady_header(catalogues[language], language)
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
