"""The words that make a risk statement, and the screening questions and answers around them.

Patterns match normalised text (see core/extraction/text.py: contractions expanded, any case).
Each rule's group "core" holds the risk words themselves; core/extraction/risk/rules.py checks the
words around them (negation, hypotheticals, whose words they are) before raising a flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.extracted_notes import RiskType, Severity

_HIGH, _MEDIUM = Severity.high, Severity.medium
_PASSIVE = RiskType.suicidal_ideation_passive
_ACTIVE = RiskType.suicidal_ideation_active
_SELF_HARM = RiskType.self_harm
_HARM_OTHERS = RiskType.harm_to_others
_ABUSE = RiskType.abuse_neglect
SUICIDAL = frozenset({_PASSIVE, _ACTIVE})

SEVERITY = {
    _ACTIVE: _HIGH,
    _PASSIVE: _MEDIUM,
    _SELF_HARM: _MEDIUM,
    _HARM_OTHERS: _HIGH,
    _ABUSE: _HIGH,
}


@dataclass(frozen=True)
class Rule:
    type: RiskType
    pattern: re.Pattern[str]  # its group "core" holds the risk words
    severity: Severity
    first_person: bool  # the patient must be the one who wishes, thinks or does it
    needs_si_context: bool  # ambiguous alone ("I have a plan"): only after suicidal talk
    personal_agent: bool  # someone does it to the patient: "he hits me", not "it hit me"


def _rule(
    type_: RiskType,
    pattern: str,
    *,
    severity: Severity | None = None,
    first_person: bool = True,
    needs_si_context: bool = False,
    personal_agent: bool = False,
) -> Rule:
    if "(?P<core>" not in pattern:  # the whole match is the risk words
        pattern = f"(?P<core>{pattern})"
    return Rule(
        type_,
        # Starting at a word boundary lets the search skip most positions at once.
        re.compile(rf"\b(?:{pattern})", re.IGNORECASE | re.MULTILINE),
        severity or SEVERITY[type_],
        first_person,
        needs_si_context,
        personal_agent,
    )


_PEOPLE = (
    r"(?:him|her|them|someone|somebody|anyone|anybody|people|everyone|everybody|"
    r"(?:my|the|that|this|his|her|our) (?:\w+ )?(?:baby|kids?|children|child|son|daughter|wife|"
    r"husband|partner|boyfriend|girlfriend|ex|boss|manager|supervisor|co-?worker|colleague|dad|"
    r"father|mum|mom|mother|brother|sister|neighbou?r|roommate|flatmate|friend|stepdad|"
    r"stepfather|stepmum|stepmom|teacher|landlord|guy|man|woman|girl|boy|kid|person|bloke|idiot|"
    r"family)|(?-i:[A-Z][a-z]+))"
)
_CHILDREN = r"(?:the|my|our|her|his) (?:\w+ )?(?:kids?|children|child|baby|son|daughter|boy|girl)"
_PARENTS_AND_PARTNERS = (
    r"(?:husband|wife|partner|boyfriend|girlfriend|ex|dad|father|stepdad|stepfather|mum|mom|"
    r"mother|stepmum|stepmom|brother|uncle)"
)
_HARM_VERB = (
    r"(?:hurt|hurting|harm|harming|kill|killing|stab|stabbing|shoot|shooting|strangle|"
    r"strangling|beat|beating|attack|attacking|punch|punching|hit|hitting|smother|smothering|"
    r"poison|poisoning|run over|choke|choking)"
)
_ABUSE_VERB = (
    r"(?:hits|hit|hitting|beats|beat|beating|punches|punched|punching|slaps|slapped|slapping|"
    r"kicks|kicked|kicking|chokes|choked|choking|strangles|strangled|shoves|shoved|pushes|"
    r"pushed|hurts|burns|burned|burnt|locks|locked|molests|molested|rapes|raped|abuses|abused|"
    r"abusing|threatens|threatened|smacks|smacked|whips|whipped|starves|starved|belts|belted)"
)

RULES: tuple[Rule, ...] = (
    # Passive suicidal ideation: wishing to be dead, without thoughts of acting.
    _rule(
        _PASSIVE,
        r"(?:want|wanted|wanting|wish|wished|ready|longing) to (?:just )?(?:die|be dead|"
        r"not exist|stop existing|not be alive|disappear forever|go to sleep forever|"
        r"sleep forever)\b",
    ),
    _rule(
        _PASSIVE,
        r"wish(?:ed|ing)? (?:that )?i (?:was|were|could be|had been) (?:dead|gone|never born)|"
        r"wish(?:ed|ing)? i (?:had|would have) never (?:been born|existed)|"
        r"wish(?:ed|ing)? i could (?:just )?(?:die|disappear|stop existing|not exist|"
        r"go to sleep forever)",
    ),
    _rule(
        _PASSIVE,
        r"(?:wish|hope|hoping|want|pray|praying|nice if|okay if|fine if|would not mind if)\b"
        r"[^,.;\n]{0,40}?\b(?:not|never) wake up",
    ),
    _rule(
        _PASSIVE,
        r"(?:better|happier) off (?:dead|without me|if i (?:was|were|am|had) (?:dead|gone|"
        r"not here|not around|never born|died))|(?:would|will) be (?:better|happier|easier) "
        r"(?:for (?:everyone|everybody|them) )?(?:without me|if i (?:was|were) (?:gone|dead|"
        r"not here|not around))",
        first_person=False,
    ),
    _rule(
        _PASSIVE,
        r"(?:no|what is the|do not see the|can not see the|see no) (?:point|reason|purpose) "
        r"(?:in |of |to )?(?:living|life|going on|being alive|being here|carrying on|live|"
        r"me being here)\b|nothing (?:left )?to live for|no reason to (?:live|go on|keep going|"
        r"be here)",
        first_person=False,
    ),
    _rule(
        _PASSIVE,
        r"(?:(?:do|does|did) not|no longer|not (?:sure|think) (?:if |that )?i) want to "
        r"(?:live|be alive|exist|wake up|be here|go on|keep going|carry on|keep living)"
        r"(?=\s*(?:[.!?,;]|$|anymore|any more|any longer|tomorrow|again))",
    ),
    _rule(
        _PASSIVE,
        r"(?:tired|sick) of (?:living|being alive|life|existing)\b|"
        r"(?:can not|could not) (?:go on|keep going|carry on) (?:anymore|any more|any longer)|"
        r"(?:want|wanted|wish|need) (?:it all|everything|all of it|my life) to (?:just )?"
        r"(?:end|be over|stop)",
    ),
    _rule(
        _PASSIVE,
        r"(?:no one|nobody) would (?:even )?(?:care|notice|miss me|be sad) if i (?:died|"
        r"was gone|were gone|was dead|were dead|disappeared|was not here|were not here|"
        r"killed myself)",
        first_person=False,
    ),
    _rule(
        _PASSIVE,
        r"(?:life|living) (?:is not|is no longer|does not feel|no longer feels|is not really) "
        r"worth (?:living|it)|(?:thoughts?|thinking|thought) (?:of|about) (?:being dead|"
        r"not being here|not being alive|not waking up|not existing|death a lot)",
    ),
    # Active suicidal ideation: thoughts of killing oneself, intent, plans, preparation.
    _rule(
        _ACTIVE,
        r"(?:kill|killing|killed|hang|hanging|hanged|shoot|shooting|shot|drown|drowning|drowned|"
        r"poison|poisoning|poisoned|gas|gassing|off) myself|(?:take|taking|took|end|ending|ended) "
        r"my (?:own )?life|end(?:ing)? it all|suicid(?:e|al)\b",
    ),
    _rule(
        _ACTIVE,
        r"(?:look|looking|looked|search|searching|searched|google|googled|googling|research|"
        r"researching|researched) (?:at |up |into |for )?(?:ways to (?:die|kill|end)|how to "
        r"(?:die|kill|end|overdose|hang)|how many (?:pills|tablets)|(?:\w+ )?(?:pills|tablets)"
        r"\b(?! for))|(?:saving|saved|stockpil\w+|hoard\w+|stash\w+) (?:up )?(?:\w+ ){0,2}"
        r"(?:pills|tablets|medication|meds)|(?:bought|got|buying|getting) (?:a )?(?:rope|gun)|"
        r"(?:wrote|written|writing) (?:a |my )?(?:suicide note|goodbye (?:letter|note)s?)|"
        r"took (?:an overdose|(?:all|a bunch|a lot|loads|a handful) of (?:my )?(?:pills|"
        r"tablets))|overdosed on purpose|jump(?:ing)? (?:off|from) (?:a |the )?(?:bridge|"
        r"building|roof|cliff|balcony)|(?:step|stepping|jump|jumping|walk|walking) in front of "
        r"(?:a |the )?(?:train|bus|car|truck|lorry|traffic)",
    ),
    _rule(
        _ACTIVE,
        r"(?:have|got|made|making|came up with) a plan(?=\s*(?:[.!?,;]|$)|\s+(?:to|for how to|"
        r"of how to|on how to|about how to)\s+(?:do it|end it|kill|die|take|go through|end my|"
        r"hurt))|(?:know|figured out|worked out|thought about|planned|decided) (?:exactly )?"
        r"(?:how|when|where) (?:i would|i will|i am going to|to) do it",
        needs_si_context=True,
    ),
    # Self-harm without suicidal intent.
    _rule(
        _SELF_HARM,
        r"(?:cut|cutting|cuts|burn|burning|burned|burnt|burns|hit|hitting|punch|punching|"
        r"scratch|scratching|hurt|hurting|harm|harming|harmed|injure|injuring|injured|starve|"
        r"starving|bite|biting) myself|self[- ]?harm(?:ing|ed)?|(?:cut|cutting|burn|burning|"
        r"burned|burnt|scratching) (?:on )?(?:my|both my) (?:arms?|wrists?|legs?|thighs?|skin|"
        r"stomach|hands?|body)|urges? to (?:cut|hurt|harm|burn)",
    ),
    # Harm to others: the patient's wish, intent or thoughts of hurting someone.
    _rule(
        _HARM_OTHERS,
        r"(?:want|wanted|wanting|going|will|could|would|might|feel like|felt like|urges?|plan|"
        r"planning|planned|thoughts?|think|thinking|thought|fantasi[sz]e|fantasi[sz]ed|fantasi[sz]ing|"
        r"imagine|imagined|imagining|tempted|ready|intend|intending|swear|swore)\b(?: \w+){0,2}? "
        rf"(?:to |about |of )?(?P<core>{_HARM_VERB} (?:up )?{_PEOPLE})",
    ),
    # Abuse and neglect, of the patient or of children.
    _rule(
        _ABUSE,
        rf"{_ABUSE_VERB} (?:me|us|{_CHILDREN})\b(?! up| to| into| at| in a| too)",
        first_person=False,
        personal_agent=True,
    ),
    _rule(
        _ABUSE,
        r"(?:abused|molested|raped|assaulted|groomed) (?:me|us)\b|(?:sexually|physically) "
        r"(?:abused|abusing|abuses|assaulted|hurt)|(?:was|were|got|been|being|am) (?:abused|"
        r"molested|raped|sexually assaulted|beaten up|beaten|choked|strangled)|touched me "
        r"(?:inappropriately|down there|where|without)",
    ),
    _rule(
        _ABUSE,
        rf"\bi\b(?: \w+){{0,2}}? (?:hit|hits|beat|beats|slap|slapped|smack|smacked|shake|shook|"
        rf"punched|kicked|hurt|choked|burned) {_CHILDREN}",
        first_person=False,
    ),
    _rule(
        _ABUSE,
        r"(?:no one|nobody)(?: \w+)? (?:feeds|fed|feeding|looks after|looked after|takes care of|"
        r"took care of|watches|watched|picks up|bathes|cares for|minds) (?:the kids|the children|"
        r"the baby|them|my (?:kids|children|son|daughter|baby))|(?:kids|children|baby|son|"
        r"daughter) (?:are|is|were|was|go|goes|went|have been|has been) (?:often |always |"
        r"usually )?(?:hungry|starving|without food|left alone|home alone|not fed)|(?:leave|left|"
        r"leaving|leaves) (?:the kids|the children|the baby|my (?:kids|children|son|daughter|"
        r"baby)) (?:home )?(?:alone|on their own|by themselves|in the car|unattended)",
        first_person=False,
    ),
    _rule(
        _ABUSE,
        rf"(?:scared|afraid|frightened|terrified) (?:of (?:him|my {_PARENTS_AND_PARTNERS})\b|"
        r"to go (?:back )?home|to be at home)|(?:do not|does not|did not|never) feel safe "
        r"(?:at home|with him|with her|around him|around her|in my (?:house|home))|"
        r"not safe at home",
        severity=_MEDIUM,
    ),
)

# What a therapist's question screens for, checked in this order.
SCREENING_QUESTIONS: tuple[tuple[RiskType, re.Pattern[str]], ...] = tuple(
    (type_, re.compile(pattern, re.IGNORECASE))
    for type_, pattern in (
        (
            _ACTIVE,
            r"suicid|kill(?:ing)? yourself|end(?:ing)? your (?:own )?life|take your (?:own )?life|"
            r"a plan (?:to|for how|of how|about how)|how you would do it",
        ),
        (
            _PASSIVE,
            r"wish(?:ed)? (?:that )?you (?:were|was) dead|(?:not|never) wake up|better off dead|"
            r"better off without you|want(?:ed)? to die|(?:is not|was not|no longer) worth living|"
            r"thoughts? (?:of|about) (?:death|dying|being dead)|do not want to (?:live|be here|"
            r"be alive)",
        ),
        (
            _SELF_HARM,
            r"(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|injur\w+) yourself|self[- ]?harm",
        ),
        (
            _HARM_OTHERS,
            r"(?:hurt|hurting|harm|harming|kill|killing|attack\w*) (?:someone|anyone|somebody|"
            r"anybody|others|other people|him|her|them|your \w+)",
        ),
        (
            _ABUSE,
            r"(?:hit|hits|hitting|hurt|hurts|hurting|abus\w+|threaten\w*) you\b|afraid of "
            r"(?:him|her|them|your \w+)",
        ),
    )
)
# Asked so that "no" is the worrying answer: "Do you feel safe at home?"
SAFETY_QUESTION = re.compile(
    r"\b(?:feel |are you |you are )safe\b|\b(?:kids|children|baby) (?:get |getting )?"
    r"(?:fed|looked after) (?:properly|enough|okay)",
    re.IGNORECASE,
)
PLAN_QUESTION = re.compile(r"\ba plan\b|how you would do it", re.IGNORECASE)

# A patient's answer to a screening question, once fillers are gone; "yeah, no" is a no.
NEGATIVE_ANSWER = re.compile(
    r"^(?:no\b|nope|nah|never|not\b|none|i (?:have|do|did|am|would|will|could) not|"
    r"of course not|absolutely not|god no|(?:yeah|yes),? no\b)",
    re.IGNORECASE,
)
AFFIRMATIVE_ANSWER = re.compile(
    r"^(?:yes|yeah|yep|yup|ya\b|uh[- ]?huh|mm[- ]?hmm|sometimes|i (?:have|do|did|am|guess|"
    r"suppose|think so|would say (?:yes|so|sometimes))|a (?:little|bit|few times|lot)|kind of|"
    r"sort of|maybe|occasionally|once or twice|at times|lately|recently|every day|most days|"
    r"now and then|probably|definitely|all the time|more than|often|it has|(?:he|she|they) "
    r"(?:does|do|did|has|have))",
    re.IGNORECASE,
)
LEADING_FILLER = re.compile(r"^(?:[,.\s]|well\b|um+\b|uh+\b|erm\b|hmm+\b|oh\b|so\b|okay\b)+", re.I)
