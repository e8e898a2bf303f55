"""Why words that sound like risk may not be the patient's current risk — the rules' share.

Meaning alone cannot tell "I want to die" from "I don't want to die", "my brother cut himself"
or "if I ever felt like that I'd call you": the sentences are close in meaning and opposite in
fact. These rules read a sentence for denial, another person's risk, a hypothetical, a past that
is over, a figure of speech or something quoted, and say which, so the screen can set the
sentence aside and the clinician can see why. They lean towards flagging: a sentence that both
denies and discloses ("no… well, actually, last night I counted the pills") is not set aside.
"""

from __future__ import annotations

import re

_FLAGS = re.IGNORECASE

# The patient speaks of themself: "I", "me", "my(self)" — also "you" in "you just want it over".
_SELF = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself|mine)\b", _FLAGS)

# Negation that is itself the risk: "I don't want to be here", "can't go on", "don't care if I
# die", "no point", "no longer want to live". Such a sentence is never a denial.
_NEGATIVE_RISK = re.compile(
    r"\b(?:do not|don't|dont|does not|did not|didn't|can not|can't|cannot|won't|will not|no "
    r"longer|not)\b[^.?!]{0,25}?\b(?:want to (?:be (?:here|around|alive)|live|wake up|go on|"
    r"exist|carry on|keep going)|see (?:the|a|any) (?:point|way out|future|reason)|care (?:if|"
    r"whether|what happens)|go on|cope|keep (?:doing|going|living)|be bothered (?:to|living)|"
    r"think i can (?:keep|go|do this|carry)|want to do this any ?more|make it (?:through|to))"
    r"|\bno (?:point|reason to (?:live|go on|be here)|future|way out)\b"
    r"|\bnot (?:worth (?:it|living|being here)|going to be (?:here|around) (?:much )?longer)\b",
    _FLAGS,
)
# Wanting to be gone, said as a condition: "easier for everyone if I was gone", "if I just didn't
# wake up". The "if" is the wish, not a hypothetical.
_WISHED_ABSENCE = re.compile(
    r"\b(?:easier|better(?: off)?|simpler|lighter|happier|quieter|fine|nicer|a relief)\b[^.?!]{0,40}"
    r"\bif i (?:just |simply |only )?(?:was|were|wasn'?t|weren'?t|didn'?t|did not|never|died|"
    r"disappeared|went)\b[^.?!]{0,20}?\b(?:gone|dead|here|around|alive|wake|woke|exist\w*|"
    r"born|die|died|disappeared|away|to sleep)\b"
    r"|\bif i (?:just |simply |only )?(?:didn'?t|did not|never) (?:wake|woke) up\b",
    _FLAGS,
)
# A denial: a negator before the risk words in the same clause, or a bare "no" answer.
_DENIAL = re.compile(
    r"^(?:\W*(?:um+|uh+|er+|oh|well|look|honestly|nah|no+|nope|never)\b[\s,.!-]*)*"
    r"(?:no+|nope|nah|never|not (?:at all|really|now|any ?more))\b[\s,.!]*$"
    r"|\b(?:not|never|no|nothing|none|without|don't|do not|didn't|did not|wouldn't|would not|won't|"
    r"will not|haven't|have not|hasn't|isn't|am not|i'm not|aren't|no way|no chance)\b"
    r"(?:\s+\w+){0,6}?\s+(?:suicid\w*|kill\w*|die|dying|dead|end(?:ing)? (?:it|my life|things)|"
    r"hurt\w*|harm\w*|cut\w*|overdos\w*|do anything (?:stupid|silly|daft)|"
    r"(?:thoughts?|thinking) (?:of|about|like that))\b",
    _FLAGS,
)
# Words that take a denial back: "no… actually", "I said no but".
_TAKEN_BACK = re.compile(
    r"\b(?:actually|to be honest|truth is|i lied|lied to you|if i'?m honest|the truth|but then|"
    r"except|apart from|other than|although|though|but (?:i|last|the other|sometimes|lately))\b",
    _FLAGS,
)
_THIRD_PERSON_START = re.compile(
    r"^(?:\W*(?:um+|uh+|well|so|and|but|like|yeah|oh)\b[\s,]*)*"
    r"(?:my|our|his|her|their|a|an|the|this|that|one of (?:my|the|his|her))\s+"
    r"(?:\w+\s+)?(?:brother|sister|mum|mom|mother|dad|father|friend|mate|cousin|aunt|uncle|"
    r"nan|gran|grandma|grandad|grandfather|son|daughter|kid|child|wife|husband|partner|"
    r"boyfriend|girlfriend|ex|neighbou?r|colleague|coworker|co-worker|boss|flatmate|roommate|"
    r"classmate|pal|guy|girl|boy|woman|man|lad|bloke|client|patient|teacher|student|family)"
    r"(?:s|'s)?\b"
    r"|^(?:\W*(?:um+|uh+|well|so|and|but|like|yeah|oh)\b[\s,]*)*(?:he|she|they|someone|"
    r"somebody|people|everyone|my \w+)\b(?! (?:hit|hits|hurt|hurts|touch|touches|beat|beats|"
    r"punch|punches|kick|kicks|push|pushes|strangle|strangled|choke|choked|rape|raped|abuse|"
    r"abused|threaten|threatens|threatened|lock|locks|locked|starve|starves|grab|grabbed|slap|"
    r"slapped|shout|shouts|scream)\w*\s+(?:me|us|my|the kids|the children|the baby))",
    _FLAGS,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:if i (?:ever|were|was|did|had|started|found myself|felt|got)|what if|suppose|"
    r"supposing|hypothetically|imagine if|in case i|should i ever|i would (?:tell|call|ring|"
    r"text|let) (?:you|someone|my)|i'?d (?:tell|call|ring|text|let) (?:you|someone|my))\b",
    _FLAGS,
)
_PAST_RESOLVED = re.compile(
    r"\b(?:years ago|when i was (?:a )?(?:kid|child|teen\w*|younger|little|at school|in school|"
    r"\d+)|as a (?:kid|child|teen\w*)|back (?:then|in)|in the past|long time ago|used to)\b"
    r"[^.?!]*\b(?:not any ?more|no more|stopped|haven'?t (?:since|in|for)|not since|over it|"
    r"(?:much )?better (?:place|now)|behind me|gone now|don'?t (?:anymore|any more|now)|"
    r"(?:been|i'?m) (?:clean|fine|ok|okay|good) (?:for|since|now))\b"
    r"|\b(?:haven'?t|have not|not|never) (?:done|felt|had|thought|touched|gone)[^.?!]{0,30}"
    r"\b(?:in|for|since) (?:years|ages|a decade|decades|(?:\d+|two|three|four|five|six|seven|"
    r"eight|nine|ten|twelve|fifteen|twenty|thirty|a few|many) (?:years|decades)|a long time|"
    r"school|uni|college|i was (?:a )?(?:kid|teen\w*|young\w*))\b"
    r"|\b(?:grew out of it|all in the past|long behind me|that'?s (?:all )?behind me)\b",
    _FLAGS,
)
_FIGURE_OF_SPEECH = re.compile(
    r"\b(?:(?:is|are|was|were|it'?s|that'?s|this|these|those|they'?re|heat|job|work|commute|"
    r"traffic|feet|back|knees|kids|exam|boss|heels|shoes) (?:\w+ )?(?:killing|kills|killed) "
    r"(?:me|us|it)|kill(?:ing)? (?:for|time|two birds|it)|dying (?:to|for|of)|die (?:of|from|"
    r"laughing)|died (?:laughing|of)|to die for|murder(?:ing)? (?:a|an|some|the) (?:\w+ )?"
    r"(?:burger|pint|coffee|curry|pizza|drink|beer|kebab|cake|sandwich|chips|chocolate)|"
    r"(?:mum|mom|dad|wife|husband|boss|teacher|coach|gran|nan|he|she|they) (?:will|would|'?ll|"
    r"is going to|'?s gonna|gonna) (?:kill|murder) (?:me|us)|could (?:have )?(?:killed|"
    r"strangled|murdered) (?:him|her|them|my \w+) (?:when|for|with laughter)|dead (?:tired|"
    r"on my feet|beat|funny|good|easy)|bored to death|scared me to death|kill(?:ed)? the "
    r"(?:vibe|mood)|knock(?:ed)? (?:myself|yourself) out|shoot (?:me|myself) a (?:text|"
    r"message)|over my dead body|wanted the (?:ground|floor|earth) to swallow|figure of speech|"
    r"not literally|just an? (?:saying|expression)|(?:i'?m|i was) (?:only |just )?(?:joking|"
    r"kidding))\b",
    _FLAGS,
)
_QUOTED = re.compile(
    r"\b(?:song|lyric\w*|sings?|sang|singing|chorus|verse|film|movie|book|novel|poem|"
    r"episode|series|show|tv|telly|netflix|game|gaming|news|article|podcast|character|"
    r"documentary|story|play|quote|meme|video|rapper|band|album)\b",
    _FLAGS,
)
_ACCIDENT = re.compile(
    r"\b(?:by accident|accident(?:ally|al)?|cooking|shaving|chopping|slipped|tripped|fell off|"
    r"fell down|sports?|football|rugby|gym|training|at work on the|paper cut)\b",
    _FLAGS,
)


# A turn that speaks of risk as over: a time that is past, and that it has ended since.
_PAST_TIME = re.compile(
    r"\b(?:years ago|(?:\w+ )?(?:winters?|summers?|months) ago|when i was|as a (?:kid|child|"
    r"teen\w*)|back (?:then|in)|in the past|long time ago|used to|before (?:my|i|the|we|he|she)|"
    r"in my (?:teens|twenties|thirties|forties|country|old)|at (?:\d+|nineteen|eighteen|"
    r"seventeen|sixteen|fifteen|twenty)|when i was using|at school|at uni)\b",
    _FLAGS,
)
_OVER_NOW = re.compile(
    r"\b(?:not any ?more|no more|stopped|grew out of|lifted|behind me|over it|at peace|"
    r"haven'?t (?:since|in|for|done|felt|had)|not since|(?:years|months) (?:clean|sober|without|"
    r"free)|(?:clean|sober) (?:for|since|now)|i'?m (?:\d+|forty|fifty|thirty|sixty)[\w-]* now|"
    r"(?:now|these days) (?:i'?m|i am) (?:fine|ok|okay|good|well|better|happy)|i am fine|"
    r"i'?m fine now|don'?t (?:think|feel) like (?:this|that)|happened to someone else|"
    r"made (?:our|my) peace|(?:much )?better (?:place|now)|long (?:gone|over)|"
    r"don'?t (?:miss|do) it)\b",
    _FLAGS,
)


def set_aside_turn(turn: str) -> str | None:
    """Why a whole turn is not current risk — then none of its sentences is either, unless the
    turn takes something back ("no… actually, last night…")."""
    if _TAKEN_BACK.search(turn) or _risk_in_its_wording(turn):
        return None
    if _PAST_TIME.search(turn) and _OVER_NOW.search(turn):
        return "in the past and over"
    return set_aside(turn)


def set_aside(text: str) -> str | None:
    """Why this sentence is not the patient's current risk, or None when it may be."""
    if _risk_in_its_wording(text):
        return None  # "I don't want to be here anymore": the negation is the risk
    if _FIGURE_OF_SPEECH.search(text):
        return "a figure of speech"
    if _DENIAL.search(text) and not _TAKEN_BACK.search(text):
        return "a denial"
    if _PAST_RESOLVED.search(text):
        return "in the past and over"
    if _HYPOTHETICAL.search(text):
        return "a hypothetical"
    if _QUOTED.search(text) and not _SELF.search(_after_quote_word(text)):
        return "quoted or fiction"
    if _THIRD_PERSON_START.search(text) and not _self_in(text):
        return "about someone else"
    if _ACCIDENT.search(text):
        return "an accident"
    return None


def _risk_in_its_wording(text: str) -> bool:
    return bool(_NEGATIVE_RISK.search(text) or _WISHED_ABSENCE.search(text))


def _after_quote_word(text: str) -> str:
    match = _QUOTED.search(text)
    return text[match.end() :] if match else ""


# The patient in the sentence beyond an opening "my brother…": then it may be their risk too
# ("…and I've been thinking of doing the same", "my stepdad hits me", "he won't let me…").
_OPENING_PERSON = re.compile(
    r"^\W*(?:(?:um+|uh+|well|so|and|but|like|yeah|oh)\W+)*(?:my|our)\s+\w+", _FLAGS
)
_FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|im|i've|i'd|i'll|me|myself|us|my (?:kids?|children|son|daughter|baby|"
    r"little ones|boy|girl))\b",
    _FLAGS,
)


def _self_in(text: str) -> bool:
    return bool(_FIRST_PERSON.search(_OPENING_PERSON.sub("", text, count=1)))
