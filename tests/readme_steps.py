"""The commands of a README code block, as the README tests replay them."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def readme_steps(after: str, fields: dict[str, str]) -> list[tuple[list[str], list[str]]]:
    """(argv, placeholders produced) for each `kippu` line of the first code block after `after`;
    a `# -> NAME` comment announces a placeholder later lines use."""
    section = README.split(after, 1)[1].split("```", 2)[1]
    steps = []
    for line in section.splitlines():
        if line.startswith("kippu "):
            command, _, comment = line.partition("#")
            produced = (
                re.findall(r"\b([A-Z_]+)\b", comment.split("->", 1)[1]) if "->" in comment else []
            )
            steps.append((shlex.split(command)[1:], [p for p in produced if p in fields]))
    return steps
