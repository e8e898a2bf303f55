"""Access to lethal means, said plainly: a rule, because possession is a matter of fact.

"There's a shotgun in the house", "I've kept all my old prescriptions", "my husband's rifle is
in the wardrobe": a means the patient can reach is its own flag (C-SSRS asks about it
separately), whatever the rest of the session says. The sentence must put the means within the
patient's reach (their home, their car, their hands): "my uncle keeps the rifles at his place"
does not.
"""

from __future__ import annotations

import re

_MEANS = (
    r"(?:guns?|firearms?|rifles?|shotguns?|pistols?|handguns?|revolvers?|ammo|ammunition|"
    r"bullets|(?:stash|stockpile|hoard|supply) of (?:pills?|tablets?|meds|medication)|"
    r"(?:pills?|tablets?|meds|medication|prescriptions?|painkillers|sleeping pills)"
    r" (?:saved|stashed|stockpiled|hidden|put by|put aside)|(?:saved|saving|kept|keeping) up "
    r"(?:my |all my |some )?"
    r"(?:pills?|tablets?|meds|medication|painkillers)|(?:drawer|box|bag|tin|cupboard|shoebox|"
    r"bottle|jar)s? (?:full )?of (?:pills?|tablets?|meds|painkillers)|rope|noose|charcoal)"
)
_WITHIN_REACH = re.compile(
    rf"\b(?:i (?:have|had|keep|kept|own|bought|got|still have|'ve got|'ve kept|'ve saved)|"
    rf"i've (?:got|kept|saved|still got)|we (?:have|keep|'ve got)|there'?s (?:a |an |some )?|"
    rf"there (?:is|are) (?:a |an |some )?)(?:\w+ ){{0,4}}?{_MEANS}\b"
    rf"|\bmy (?:\w+'s |own |old |late \w+'s )?(?:\w+ )?{_MEANS}\b"
    rf"|\b{_MEANS}\b[^.?!]{{0,40}}\b(?:in (?:the|my|our) (?:house|home|flat|car|bedroom|room|"
    rf"wardrobe|garage|loft|shed|drawer|bag|safe|cabinet)|at (?:home|mine|my place)|under my "
    rf"bed|by my bed|in my (?:room|car|bag))\b",
    re.IGNORECASE,
)


def within_reach(sentence: str) -> bool:
    """Whether the sentence puts a lethal means within the patient's reach."""
    return bool(_WITHIN_REACH.search(sentence))
