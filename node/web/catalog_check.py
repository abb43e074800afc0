"""What makes the campaign pages' catalogues whole, as lists of problems a person can act on:
every message of the sources translated in every language (not empty, not fuzzy), with the same
placeholders as its English; the template (.pot) extracted from the sources as they are now;
every error code of the campaign areas said in every language; the Japanese and English of
error and field entries equal to node/web/texts (their one source).

tests/test_catalogs.py fails on any problem; `make catalogs` prints them for the translator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from node.web import i18n
from node.web.catalog import LANGUAGES, LOCALE_DIR, Language, catalogue_path
from node.web.catalog_texts import KEY_PREFIXES

REPO_ROOT = LOCALE_DIR.parents[2]
MAPPING = REPO_ROOT / "babel.cfg"
TEMPLATE = LOCALE_DIR / "campaigns.pot"

PERCENT_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
Key = tuple[str | None, str]  # (msgctxt, msgid)


def key_of(message: Message) -> Key:
    msgid = message.id
    return (message.context, msgid if isinstance(msgid, str) else msgid[0])


def shown(key: Key) -> str:
    context, msgid = key
    return f"{msgid!r}" if context is None else f"{msgid!r} (msgctxt {context!r})"


def is_text_entry(key: Key) -> bool:
    """An error or field entry: `{name}` placeholders and literal percent signs, not %-format."""
    return key[0] is not None and key[0].startswith(KEY_PREFIXES)


def extract_sources(root: Path = REPO_ROOT, mapping: Path = MAPPING) -> Catalog:
    """The template as `pybabel extract -F babel.cfg` would build it from the sources now."""
    with mapping.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(mapping))  # type: ignore[no-untyped-call]
    template = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def read_catalogues(
    locale_dir: Path = LOCALE_DIR, languages: Iterable[Language] = LANGUAGES
) -> dict[Language, Catalog]:
    return {
        language: read_catalogue(catalogue_path(language, locale_dir), language.locale)
        for language in languages
    }


def messages(catalog: Catalog) -> dict[Key, Message]:
    return {key_of(message): message for message in catalog if message.id}


def stale_template(template: Catalog, extracted: Catalog) -> list[str]:
    """How the committed template differs from the sources: run `make catalogs`."""
    committed, current = set(messages(template)), set(messages(extracted))
    added = [
        f"in the sources, not in campaigns.pot: {shown(k)}"
        for k in sorted_keys(current - committed)
    ]
    gone = [
        f"in campaigns.pot, gone from the sources: {shown(k)}"
        for k in sorted_keys(committed - current)
    ]
    return added + gone


def sorted_keys(keys: Iterable[Key]) -> list[Key]:
    return sorted(keys, key=lambda k: (k[0] or "", k[1]))


def placeholders(text: str, key: Key) -> set[str]:
    if is_text_entry(key):
        return {match.group(1) for match in i18n.PLACEHOLDER.finditer(text)}
    return {m.group(1) or "" for m in PERCENT_PLACEHOLDER.finditer(text) if m.group(0)[-1] != "%"}


def format_problem(text: str, names: set[str]) -> str | None:
    """Why `text` % values fails as Jinja2's newstyle gettext formats it, or None."""
    try:
        text % dict.fromkeys(names, "x")
    except (KeyError, ValueError, TypeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def translation_problems(template: Catalog, catalogue: Catalog, language: Language) -> list[str]:
    """What `catalogue` lacks or gets wrong against the template, one line per problem."""
    found = messages(catalogue)
    problems: list[str] = []
    for key, wanted in messages(template).items():
        where = f"{language.locale}: {shown(key)}"
        message = found.get(key)
        if message is None:
            problems.append(f"{where}: missing (run make catalogs)")
            continue
        if message.fuzzy:
            problems.append(f"{where}: fuzzy (check the translation, then remove the fuzzy flag)")
            continue
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        texts = [text for text in strings if text]
        if not texts or len(texts) < len(strings):
            problems.append(f"{where}: not translated")
            continue
        problems += [f"{where}: {problem}" for problem in placeholder_problems(wanted, texts, key)]
    return problems


def placeholder_problems(wanted: Message, texts: list[str], key: Key) -> list[str]:
    """A translation must use the placeholders of its English, no more, and (for % messages)
    format without error."""
    ids = [wanted.id] if isinstance(wanted.id, str) else list(wanted.id)
    english = set().union(*(placeholders(text, key) for text in ids))
    # With several forms a form may leave the count out ("One coupon"); a language with one form
    # (Chinese, Japanese, Korean) says every count with it, so it needs the plural's placeholders.
    singular = placeholders(ids[0], key) - {"num"} if len(texts) > 1 else placeholders(ids[-1], key)
    problems = []
    for text in texts:
        names = placeholders(text, key)
        if not is_text_entry(key) and (problem := format_problem(text, names | english)):
            problems.append(f"does not format: {problem}")
        elif names - english:
            problems.append(f"placeholders not in the English: {sorted(names - english)}")
        elif len(ids) == 1 and names != english:
            problems.append(f"placeholders missing: {sorted(english - names)}")
        elif len(ids) > 1 and not singular <= names:
            problems.append(f"placeholders missing: {sorted(singular - names)}")
        elif is_text_entry(key) and (problem := optional_part_problem(ids[0], text)):
            problems.append(problem)
    return problems


def optional_facts(text: str) -> tuple[set[str], set[str]] | None:
    """The facts a text names inside its [optional parts] and outside them; None when its
    brackets do not pair (the page would show them)."""
    depth = 0
    for character in text:
        depth += {"[": 1, "]": -1}.get(character, 0)
        if depth not in (0, 1):
            return None
    if depth:
        return None
    inside = {
        m.group(1)
        for part in i18n.OPTIONAL_PART.findall(text)
        for m in i18n.PLACEHOLDER.finditer(part)
    }
    outside = {m.group(1) for m in i18n.PLACEHOLDER.finditer(i18n.OPTIONAL_PART.sub("", text))}
    return inside, outside


def optional_part_problem(english: str, text: str) -> str | None:
    """An error text's facts stay optional as in the English: a fact in [brackets] left out
    when the error does not carry it, one outside always there."""
    found = optional_facts(text)
    if found is None:
        return "unpaired [ ] around an optional part"
    wanted = optional_facts(english)
    if wanted is not None and found != wanted:
        return f"facts in [optional parts]: {sorted(found[0])}, the English's: {sorted(wanted[0])}"
    return None


def error_code_problems(codes: Iterable[str], catalogues: Mapping[Language, Catalog]) -> list[str]:
    """Every code a campaign page can show has its entry, translated, in every catalogue."""
    problems = []
    for language, catalogue in catalogues.items():
        found = messages(catalogue)
        for code in sorted(codes):
            key = f"error:{code}"
            english = i18n.TEXTS.get(key, (None, None))[1]
            if english is None:
                problems.append(f"{code}: no ja/en text in node/web/texts")
                continue
            message = found.get((key, english))
            if message is None or message.fuzzy or not message.string:
                problems.append(f"{language.locale}: error code {code} not translated")
    return problems


def source_text_problems(catalogues: Mapping[Language, Catalog]) -> list[str]:
    """Japanese and English error and field entries say what node/web/texts says."""
    problems = []
    for language, catalogue in catalogues.items():
        if language.tag not in ("ja", "en"):
            continue
        column = 0 if language.tag == "ja" else 1
        for key, message in messages(catalogue).items():
            source = i18n.TEXTS.get(key[0] or "") if is_text_entry(key) else None
            if source is not None and message.string != source[column]:
                problems.append(f"{language.locale}: {key[0]} differs from node/web/texts")
    return problems
