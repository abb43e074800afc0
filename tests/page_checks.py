"""What every page a person reads must pass, checked in Chromium (not a test module).

`check_page(page, name)` looks at the page as it is now, at a phone's width (375 px) and a
desktop's (1366 px), and fails the test with everything it found:

- **language**: no error code (`voucher.code_used`), no JSON error body and no English sentence
  on a Japanese page: neither a known English text of ours (page texts, error messages) nor
  anything shaped like an English sentence. Text inside `[data-verbatim]` (what people typed:
  names, emails, ids) is not ours to translate and is skipped;
- **accessibility**: no serious or critical violation found by axe-core (installed from npm as a
  test dependency, injected into the page);
- **tap targets**: at the phone's width, every visible link, button, input and select is at least
  44 by 44 px, except a link inside a sentence (WCAG 2.5.8's inline exception) and anything inside
  `[data-tap-exempt]`;

and saves a full-page screenshot of each width as test-artifacts/<name>-<width>.png.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Page

from node.errors import KippuError
from node.errors.base import default_message
from node.web.i18n import TEXTS
from tests.browser import REPO_ROOT, screenshot

AXE = REPO_ROOT / "node" / "web" / "node_modules" / "axe-core" / "axe.min.js"
PHONE, DESKTOP = 375, 1366
TAP_MIN = 44


def _error_classes() -> list[type[KippuError]]:
    found: list[type[KippuError]] = []
    todo: list[type[KippuError]] = [KippuError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


ERROR_CODES = sorted({cls.code for cls in _error_classes()})
# Our own English: each page text's English column that differs from its Japanese, and each
# error's English message. Short words ("PDF", "OK") are left to the sentence shape below.
KNOWN_ENGLISH = sorted(
    {en for ja, en in TEXTS.values() if en != ja and len(en) >= 12}
    | {default_message(cls) for cls in _error_classes()},
    key=len,
    reverse=True,
)
CODE = re.compile(r"(?<![\w.@/-])(" + "|".join(map(re.escape, ERROR_CODES)) + r")(?![\w-])")
JSON_ERROR = re.compile(r'\{\s*"error"\s*:')
# An English sentence: a capitalised word, three or more words after it, and a stop.
SENTENCE = re.compile(r"\b[A-Z][a-z']+(?:[ ,]+[A-Za-z'][a-z']*){3,}[.!?:;]")

VISIBLE_TEXT_JS = """() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('[data-verbatim], script, style, template, noscript')) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) parts.push(text);
  }
  for (const el of document.querySelectorAll('input[placeholder], [aria-label], img[alt]')) {
    if (el.closest('[data-verbatim]') || !el.checkVisibility()) continue;
    for (const attr of ['placeholder', 'aria-label', 'alt']) {
      const value = el.getAttribute(attr);
      if (value) parts.push(value);
    }
  }
  return parts;
}"""

SMALL_TARGETS_JS = """(min) => {
  const small = [];
  const targets = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]');
  for (const el of targets) {
    if (el.closest('[data-tap-exempt]') || !el.checkVisibility()) continue;
    if (el.tagName === 'A' && el.closest('p, li.text, dd, td') && !el.classList.contains('button'))
      continue;  // a link inside a sentence or a table cell's text
    let box = el.getBoundingClientRect();
    if ((el.type === 'checkbox' || el.type === 'radio') && el.closest('label'))
      box = el.closest('label').getBoundingClientRect();
    if (box.width < min - 0.5 || box.height < min - 0.5) {
      const label = (el.innerText || el.value || el.name || el.id || '').trim().slice(0, 30);
      small.push(`${el.tagName.toLowerCase()} "${label}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@dataclass
class Findings:
    language: list[str]
    axe: list[str]
    small_targets: list[str]

    def problems(self) -> list[str]:
        return (
            [f"language: {x}" for x in self.language]
            + [f"axe: {x}" for x in self.axe]
            + [f"tap target under {TAP_MIN} px: {x}" for x in self.small_targets]
        )


def language_problems(texts: list[str], lang: str) -> list[str]:
    """Error codes, JSON error bodies, and (on a Japanese page) English sentences in `texts`."""
    problems = []
    for text in texts:
        problems += [f"error code {m.group(1)!r} in {text!r}" for m in CODE.finditer(text)]
        if JSON_ERROR.search(text):
            problems.append(f"a JSON error body: {text[:80]!r}")
        if lang != "ja":
            continue
        known = next((english for english in KNOWN_ENGLISH if english in text), None)
        if known is not None:
            problems.append(f"untranslated {known!r}")
        elif SENTENCE.search(text):
            problems.append(f"English on a Japanese page: {text[:100]!r}")
    return problems


async def page_findings(page: Page, *, phone: bool) -> Findings:
    lang = await page.evaluate("document.documentElement.lang")
    texts = await page.evaluate(VISIBLE_TEXT_JS)
    # Evaluated through the DevTools protocol: the page's own CSP (script-src 'self') stays on.
    await page.evaluate("(source) => { if (!window.axe) (0, eval)(source); }", _axe_source())
    result = await page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)"
    )
    small = await page.evaluate(SMALL_TARGETS_JS, TAP_MIN) if phone else []
    return Findings(language_problems(texts, lang), list(result), list(small))


async def check_page(page: Page, name: str, *, widths: tuple[int, ...] = (PHONE, DESKTOP)) -> None:
    """Checks the page at each width (see the module's docstring), saves
    test-artifacts/<name>-<width>.png, puts the viewport back, and fails with every problem found."""
    original = page.viewport_size
    problems: list[str] = []
    try:
        for width in widths:
            await page.set_viewport_size({"width": width, "height": 800})
            found = await page_findings(page, phone=width <= 480)
            problems += [f"{width} px {p}" for p in found.problems()]
            await screenshot(page, f"{name}-{width}")
    finally:
        if original is not None:
            await page.set_viewport_size(original)
    assert not problems, f"page {name} ({page.url}):\n  " + "\n  ".join(problems)


def screenshot_path(name: str, width: int) -> Path:
    return REPO_ROOT / "test-artifacts" / f"{name}-{width}.png"
