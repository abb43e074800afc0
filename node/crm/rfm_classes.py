"""The RFM classes (rfm.py scores the customers): what each score triple is called, for what
only names them (segment filters, the API's schema, the pages), apart from the scoring.

**Classes**, the first rule that holds (R, F, M the scores):

| class | rule | 日本語 |
|---|---|---|
| champions | R >= 4, F >= 4, M >= 4 | 優良 |
| new | R >= 4, F = 1 | 新規 |
| loyal | R >= 3, F >= 3 | 安定 |
| promising | R >= 4 (so F = 2) | 有望 |
| at_risk | R <= 2, F >= 3 | 離反予備軍 |
| dormant | R <= 2 (so F <= 2) | 休眠 |
| needs_attention | R = 3, F <= 2 | 要注意 |
"""

from __future__ import annotations

from enum import StrEnum

QUINTILES = 5


class RfmClass(StrEnum):
    CHAMPIONS = "champions"
    NEW = "new"
    LOYAL = "loyal"
    PROMISING = "promising"
    AT_RISK = "at_risk"
    DORMANT = "dormant"
    NEEDS_ATTENTION = "needs_attention"


CLASS_NAMES_JA = {
    RfmClass.CHAMPIONS: "優良",
    RfmClass.NEW: "新規",
    RfmClass.LOYAL: "安定",
    RfmClass.PROMISING: "有望",
    RfmClass.AT_RISK: "離反予備軍",
    RfmClass.DORMANT: "休眠",
    RfmClass.NEEDS_ATTENTION: "要注意",
}


def classify(r: int, f: int, m: int) -> RfmClass:
    if r >= 4 and f >= 4 and m >= 4:
        return RfmClass.CHAMPIONS
    if r >= 4 and f == 1:
        return RfmClass.NEW
    if r >= 3 and f >= 3:
        return RfmClass.LOYAL
    if r >= 4:
        return RfmClass.PROMISING
    if r <= 2 and f >= 3:
        return RfmClass.AT_RISK
    if r <= 2:
        return RfmClass.DORMANT
    return RfmClass.NEEDS_ATTENTION


# The class of every score triple, at (r - 1) * 25 + (f - 1) * 5 + (m - 1).
CLASS_OF_SCORES = tuple(
    classify(r, f, m)
    for r in range(1, QUINTILES + 1)
    for f in range(1, QUINTILES + 1)
    for m in range(1, QUINTILES + 1)
)
