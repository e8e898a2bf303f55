"""Severity after the C-SSRS screener's triage: what was said decides how urgent it is.

A wish to be dead and non-specific thoughts of suicide are low; thoughts with a method are
medium; intent, a plan or preparatory behaviour are high. Self-injury is medium, an overdose or
reckless use with indifference to survival high. A threat to others is high once it has a
target with a plan, a time or a means, medium otherwise. Access to lethal means is medium on its
own (the session's ideation raises it: see screen.py). Abuse is high; abuse that is over
("when I was little") is medium. Recent acts ("last night", "this week") never lower a level.
"""

from __future__ import annotations

import re

from core.extracted_notes import RiskCategory as C
from core.extracted_notes import Severity

BASE: dict[C, Severity] = {
    C.wish_to_be_dead: Severity.low,
    C.passive_ideation: Severity.low,
    C.active_ideation: Severity.medium,
    C.ideation_with_method: Severity.medium,
    C.ideation_with_intent: Severity.high,
    C.ideation_with_plan: Severity.high,
    C.preparatory_behaviour: Severity.high,
    C.self_injury: Severity.medium,
    C.reckless_overdose: Severity.high,
    C.harm_to_others: Severity.medium,
    C.lethal_means: Severity.medium,
    C.abuse_neglect: Severity.high,
}
_CONCRETE_THREAT = re.compile(
    r"\b(?:knife|gun|bat|hammer|crowbar|machete|tonight|tomorrow|on (?:monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)|this (?:week|weekend)|after work|car park|"
    r"where (?:he|she|they) (?:lives?|parks?|works?)|i know where|waiting for|wait for|"
    r"when (?:he|she|they) (?:gets?|comes?|leaves?))\b",
    re.IGNORECASE,
)
_OVER = re.compile(
    r"\b(?:when i was (?:a )?(?:kid|child|little|young|younger|teen\w*)|as a (?:kid|child)|"
    r"years ago|growing up|back then|used to)\b",
    re.IGNORECASE,
)


def severity_of(category: C, words: str) -> Severity:
    if category is C.harm_to_others and _CONCRETE_THREAT.search(words):
        return Severity.high
    if category is C.abuse_neglect and _OVER.search(words):
        return Severity.medium
    return BASE[category]
