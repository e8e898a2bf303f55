"""Words that often carry risk, by group: a second, lexical signal beside the meaning.

Broad on purpose (recall first): a cue alone raises nothing, it lowers how close in meaning a
sentence must come to a risk before the screen takes it up. Matched on lower-cased text.
"""

from __future__ import annotations

import re

from core.extracted_notes import RiskCategory as C

_SUICIDAL = (
    r"suicid\w*|kill(?:ing)? (?:my ?self|me)|end(?:ing)? (?:it|it all|my life|things|my own life)|"
    r"take my (?:own )?life|(?:better|easier) off (?:dead|without me)|(?:want|wanted|wish|wished|"
    r"wishing) (?:to|i (?:was|were|could)) (?:die|dead|disappear|not (?:exist|be here|wake))|"
    r"not (?:wake|waking) up|never wake|(?:no|any) point (?:in )?(?:living|going on|being here)|"
    r"don'?t want to (?:be here|live|exist|go on|wake)|check(?:ing)? out|check out|"
    r"goodbye (?:letter|note)|note for|say(?:ing)? goodbye|sort(?:ed|ing)? (?:out )?my "
    r"(?:affairs|will|things)|giv(?:e|ing|en) (?:away )?(?:my|all my) (?:stuff|things)|"
    r"rope|noose|hang(?:ing)? (?:my ?self)?|bridge|cliff|train tracks?|in front of (?:a|the) "
    r"(?:train|bus|lorry|truck|car)|jump(?:ing)?|overdos\w*|od\b|pills?|tablets?|"
    r"stockpil\w*|saved? up|gun|shoot (?:my ?self)|wrists?|not be around|disappear|"
    r"(?:the )?(?:end|last) of (?:me|it)|gone for good|put an end|stop (?:existing|breathing)|"
    r"sleep (?:forever|and not wake)|die|dying|dead|death|burden"
)
CUES: dict[str, re.Pattern[str]] = {
    "suicidal": re.compile(rf"\b(?:{_SUICIDAL})", re.IGNORECASE),
    "self_injury": re.compile(
        r"\b(?:cut(?:ting|s)? (?:my ?self|my (?:arms?|legs?|thighs?|wrists?|skin|stomach))|"
        r"self[- ]?harm\w*|burn(?:ing|t|ed)? (?:my ?self|my (?:arms?|legs?|skin|hands?))|"
        r"scratch\w* (?:my ?self|my|until|till)|hit(?:ting)? my ?self|punch\w* (?:my ?self|"
        r"walls?|the wall)|bang(?:ing)? my head|blades?|razors?|bleed\w*|blood|scars?|"
        r"hurt(?:ing)? my ?self|pick\w* (?:at )?my (?:skin|scabs)|bruises?|plasters?|"
        r"lighter|welts?|marks on my)",
        re.IGNORECASE,
    ),
    "reckless_overdose": re.compile(
        r"\b(?:overdos\w*|od(?:'d|ed)?\b|too many|handful|whole (?:bottle|packet|box|strip)|"
        r"(?:pills?|tablets?|meds?|painkillers?|paracetamol|codeine|sleeping (?:pills?|tablets?))"
        r"|mix(?:ed|ing)? (?:it |them )?with|on top of|didn'?t care (?:if|whether)|don'?t care "
        r"(?:if|whether)|pass(?:ed)? out|black(?:ed)? out|woke up in|a&e|ambulance|stomach pumped|"
        r"vodka|whisk(?:e)?y|booze|drink|drunk|ket|coke|heroin|smack|fentanyl|xanax|valium)",
        re.IGNORECASE,
    ),
    "harm_to_others": re.compile(
        r"\b(?:kill (?:him|her|them|my|that|the)|hurt (?:him|her|them|someone|somebody|my|"
        r"the baby)|stab\w*|shoot (?:him|her|them|up)|knife|bat|hammer|machete|crowbar|"
        r"get (?:him|her|them) back|make (?:him|her|them) pay|regret it|what'?s coming|"
        r"teach (?:him|her|them) a lesson|smash|batter|beat (?:him|her|them|the)|strangle|"
        r"throttle|wait(?:ing)? for (?:him|her|them)|car park|find (?:him|her|them)|"
        r"burn (?:his|her|their|the)|revenge|snap and|lose it and|hit (?:him|her|them|the)|"
        r"shake (?:the|my) baby|boss|coworker|co-worker|colleague|neighbou?r|ex\b)",
        re.IGNORECASE,
    ),
    "lethal_means": re.compile(
        r"\b(?:guns?|firearms?|rifles?|shotguns?|pistols?|handguns?|revolvers?|ammo|"
        r"ammunition|bullets?|loaded|gun (?:safe|cabinet)|(?:a|my|the) stash|stockpil\w*|"
        r"saved (?:up )?(?:my )?(?:pills?|tablets?|meds?)|(?:drawer|box|bag|tin|cupboard|"
        r"bottle)s? (?:full )?of (?:pills?|tablets?|meds?)|rope|noose|hosepipe|hose|charcoal|"
        r"pesticide|weedkiller|poison|blades?|knife|knives|enough (?:pills?|tablets?|to))",
        re.IGNORECASE,
    ),
    "abuse_neglect": re.compile(
        r"\b(?:hits? me|hit me|hitting me|beats? me|beat me|beating me|punch(?:es|ed)? me|"
        r"kick(?:s|ed)? me|push(?:es|ed)? me|slap(?:s|ped)? me|chok(?:es|ed|ing) me|"
        r"strangl\w* me|grab(?:s|bed)? me|touch(?:es|ed|ing)? me|rap(?:e|ed)|molest\w*|"
        r"abus\w*|lock(?:s|ed)? (?:me|us) (?:in|out)|won'?t let me|takes? (?:all )?my money|"
        r"scared (?:of him|of her|to go home)|no food|nobody (?:feeds|looks after|picks up)|"
        r"left (?:us|me|them|the kids|the baby) alone|bruises?|black eye|threaten\w*|"
        r"controls? (?:me|everything)|forced|made me|hurts? (?:me|us|the kids|the baby)|"
        r"belt|wooden spoon|neglect\w*|stepdad|stepfather|uncle)",
        re.IGNORECASE,
    ),
}

GROUP_CATEGORIES: dict[str, tuple[C, ...]] = {
    "suicidal": (
        C.wish_to_be_dead,
        C.passive_ideation,
        C.active_ideation,
        C.ideation_with_method,
        C.ideation_with_intent,
        C.ideation_with_plan,
        C.preparatory_behaviour,
    ),
    "self_injury": (C.self_injury,),
    "reckless_overdose": (C.reckless_overdose,),
    "harm_to_others": (C.harm_to_others,),
    "lethal_means": (C.lethal_means,),
    "abuse_neglect": (C.abuse_neglect,),
}
GROUP_OF: dict[C, str] = {
    category: group for group, categories in GROUP_CATEGORIES.items() for category in categories
}
