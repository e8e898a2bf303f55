"""Interventions the therapist used in a session: by meaning, with the lexicon as a second signal.

Therapists rarely name what they do: "let's write down who you'd call if the thoughts come back"
is safety planning, "what's the evidence for that thought?" is cognitive restructuring. Each
intervention here has a few plain examples of what a therapist says while doing it, and some
have counter-examples: nearby talk that is not it ("how would you rate your mood out of ten?"
is not a motivational ruler). Every therapist sentence, every therapist turn read whole and every
therapist turn read with the turn it answers ("would you let her keep them for you?" after "my
tablets are in the drawer") is compared with them (core.extraction.session_vectors). A unit
speaks for the intervention it comes closest to, when it is closer to one of its examples than
to any of its counter-examples. The intervention counts when one unit comes very close
(`STRONG`), or several come near (`NEAR`, `NEAR_UNITS`) — for the diffuse ones (validation,
psychoeducation) a sentence in their typical wording ("thank you for telling me", "that's called
flooding") counts as a unit near. The lexicon of strategies.py (the intervention named: "box
breathing", "safety plan") counts on its own, with its status rules; a named breathing technique
is the one used, whatever the model makes of it.

Status: what the words around it say (strategies.py: practiced, assigned, introduced);
otherwise the intervention's own default — "practiced" for what is done in the room
(validation, a safety plan, a scaling question), "introduced" for what is taught to be used
later (time-out). A therapist doing it now is never "reviewed".

Only turns labelled as the therapist's are read for meaning: in an unlabelled transcript the
patient's words could pass for the therapist's. The lexicon still reads every sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from core.extracted_notes import Speaker, Strategy, StrategyStatus
from core.extraction.session_vectors import (
    best_per_label,
    label_vectors,
    sentence_vectors,
    window_vectors,
)
from core.extraction.strategies import find_strategies, strategy_status
from core.extraction.text import Sentences

_P = StrategyStatus.practiced
_I = StrategyStatus.introduced


@dataclass(frozen=True)
class Intervention:
    name: str  # as strategies.py's lexicon names it, so both signals merge
    category: str
    default: StrategyStatus  # when the words around it say nothing more
    examples: tuple[str, ...]  # what a therapist says while doing it
    unlike: tuple[str, ...] = ()  # what a therapist says that is close but is not it
    cues: str = ""  # typical wording (regular expression on normalised text)


INTERVENTIONS: tuple[Intervention, ...] = (
    Intervention(
        "Safety plan",
        "safety",
        _P,
        (
            "Let's write down a plan for what you'll do if the thoughts come back.",
            "Who could you call or go and be with on a night when things get really bad?",
            "What are the warning signs that tell you a crisis is building?",
            "I'll write the crisis line number on a card for you to keep in your wallet.",
            "If you feel you might act on these thoughts, call the crisis line or go to the "
            "emergency department.",
            "Let's make a safety plan together: warning signs, what helps, people to contact "
            "and emergency numbers.",
        ),
        unlike=(
            "Let's write down your early warning signs of depression coming back as we finish "
            "therapy.",
            "What are the signs that your mood is starting to slip again?",
            "Would you write up your plan for keeping well before our last session?",
        ),
    ),
    Intervention(
        "Means restriction",
        "safety",
        _P,
        (
            "Could someone you trust hold on to the gun for a while?",
            "Would you be willing to lock the medication away or give it to someone to look after?",
            "Let's get the tablets out of the house so they're not within reach.",
            "Can we get rid of the blades, or anything else you could hurt yourself with?",
            "Could the weapon be kept somewhere else until things settle down?",
            "Would you be willing to give them to me, or throw them away?",
            "Could you put it somewhere you can't easily get to it, just for now?",
        ),
        unlike=(
            "How are the guns stored at home?",
            "Is there anything at home you've thought about using?",
            "Have you ever hurt yourself on purpose?",
        ),
    ),
    Intervention(
        "Grounding",
        "grounding",
        _P,
        (
            "Name five things you can see, four things you can hear and three things you can "
            "touch.",
            "Notice your feet on the floor and the chair underneath you.",
            "Let's bring your attention back into the room, right here, right now.",
            "When you feel swept away, use your senses to anchor yourself in the present.",
        ),
    ),
    Intervention(
        "Time-out",
        "anger management",
        _I,
        (
            "When you notice your anger rising, take a break and step away before it escalates.",
            "Agree a signal with your partner that you need twenty minutes to cool down, then "
            "come back and talk.",
            "Leave the room calmly, cool off, and return to finish the conversation when you "
            "are calm.",
        ),
        unlike=(
            "How do you usually calm yourself down?",
            "What if you set aside a regular time to talk things over when you're both calm?",
        ),
    ),
    Intervention(
        "Paced breathing",
        "breathing",
        _P,
        (
            "Breathe in slowly through your nose for four and out for six, longer out than in.",
            "Let's slow your breathing down together: in, and a long slow breath out.",
            "Slow, steady breaths from your belly calm your body down.",
        ),
        unlike=(
            "How do you usually calm yourself down?",
            "And one slow breath to finish.",
        ),
    ),
    Intervention(
        "Box breathing",
        "breathing",
        _P,
        (
            "Breathe in for four, hold for four, out for four, hold for four.",
            "Picture tracing the sides of a square as you breathe: in, hold, out, hold.",
        ),
    ),
    Intervention(
        "Exposure",
        "behavioral",
        _I,
        (
            "Let's build a ladder of the situations you avoid, from least to most frightening, "
            "and start at the bottom.",
            "Stay in the situation until the anxiety comes down on its own, without escaping.",
            "Each time you face the fear instead of avoiding it, the anxiety gets a little "
            "smaller.",
            "This week, go into the shop and stay there for ten minutes even though it makes you "
            "anxious.",
        ),
        unlike=(
            "I understand that fear.",
            "That sounds frightening.",
            "What are you afraid of?",
        ),
    ),
    Intervention(
        "Cognitive restructuring",
        "cognitive",
        _P,
        (
            "What's the evidence for that thought, and what's the evidence against it?",
            "What would you say to a friend who was thinking that about themselves?",
            "How much do you believe that thought now, from zero to a hundred percent?",
            "Is there another, more balanced way of looking at what happened?",
            "That sounds like a thinking trap: jumping straight to the worst conclusion.",
        ),
        unlike=(
            "How often do these thoughts come?",
            "Have you had thoughts of ending your life?",
            "How did you feel when that happened?",
        ),
    ),
    Intervention(
        "Behavioral activation",
        "behavioral",
        _I,
        (
            "When we feel low we do less, and doing less makes us feel lower; doing small things "
            "can lift the mood.",
            "What did you use to enjoy that you could bring back, even in a small way?",
            "Do the activity even if you don't feel motivated; the motivation often follows the "
            "action.",
        ),
    ),
    Intervention(
        "Activity scheduling",
        "behavioral",
        _I,
        (
            "Let's put a few activities into your week, with a day and a time for each.",
            "Write the activities into your schedule for the week and rate your mood after "
            "each one.",
            "Let's plan which activities you'll do on which days this week.",
        ),
        unlike=(
            "What day would work for our next appointment?",
            "What time would work for you?",
        ),
    ),
    Intervention(
        "Motivational interviewing",
        "motivational",
        _P,
        (
            "On a scale of zero to ten, how important is it to you to make this change?",
            "How confident are you that you could do it, from zero to ten?",
            "Why that number and not a lower one?",
            "What would it take to move you one point up the scale?",
            "It sounds like part of you wants to change and part of you doesn't.",
            "What are your own reasons for wanting to change?",
        ),
        unlike=(
            "How would you rate your mood this week, from zero to ten?",
            "How strong is the urge, out of ten?",
            "How bad was the pain on a scale of one to ten?",
        ),
    ),
    Intervention(
        "Decisional balance",
        "motivational",
        _P,
        (
            "What do you get out of it, and what does it cost you?",
            "Let's look at the pros and cons of carrying on versus changing.",
            "What are the good things about it, and what are the less good things?",
            "What would you gain, and what would you lose?",
        ),
    ),
    Intervention(
        "Psychoeducation",
        "education",
        _P,
        (
            "Let me explain a little about how this works.",
            "When you're anxious your body releases adrenaline, which is why your heart races.",
            "Depression drains motivation, so we do less, and doing less makes the mood worse.",
            "What you're describing is called a panic attack; it feels dangerous but it can't "
            "harm you.",
            "This is a very common reaction after a trauma; the brain is trying to protect you.",
            "Alcohol helps you fall asleep but breaks up your sleep later in the night.",
            "Studies show that people who get support are much more likely to succeed.",
        ),
        cues=(
            r"\b(?:is|are) (?:sometimes |often )?called\b|\bwhat (?:we|people|doctors) (?:would )?"
            r"call\b|\bwe call (?:it|this|that)\b|\bthe idea is\b|\bthat is what \w+ does\b|"
            r"\b(?:research|studies|the evidence) (?:shows?|suggests?)\b|\b(?:times|much|far) "
            r"more likely\b|\b(?:the|your|our) (?:brain|body|nervous system) (?:is|goes|does|"
            r"releases|gets|learns|builds|treats|tries|can|will|has|needs)\b|\bthe (?:brain|body)"
            r" (?:is|goes)\b|\b(?:a lot of|many|most) people (?:find|experience|get|notice|feel|"
            r"start|wake)\b|\bwith (?:depression|anxiety|trauma|panic|anger|grief|ptsd), "
            r"(?:we|you|people)\b|\b(?:is|are) (?:a )?(?:very )?(?:common|normal) "
            r"(?:reaction|response|after|when|with|in)\b"
        ),
    ),
    Intervention(
        "Validation",
        "relational",
        _P,
        (
            "That makes complete sense given what you've been through.",
            "That sounds really painful and hard.",
            "Thank you for telling me; I know that wasn't easy to say.",
            "Anyone in your position would feel that way.",
            "It's understandable that you feel so hurt.",
        ),
        unlike=(
            "How did that make you feel?",
            "How are you feeling right now?",
            "That's helpful to know.",
        ),
        cues=(
            r"\bthank you for (?:telling|sharing|saying|being (?:so )?(?:honest|open|brave))\b|"
            r"\b(?:that|it|this) (?:sounds|must (?:be|have been)|seems) "
            r"(?:like it (?:was|is|felt) )?"
            r"(?:really |so |very |incredibly |pretty |quite |a bit |a little )?(?:hard|painful|"
            r"difficult|frightening|scary|exhausting|lonely|overwhelming|upsetting|hurtful|"
            r"humiliating|unfair|awful|heavy|tough|distressing|exposing|stung|horrible)\b|"
            r"\b(?:that|it) makes (?:a lot of |complete |total |perfect )?sense\b|"
            r"\b(?:not|is not) easy (?:to say|for you)\b|\bthat took (?:real )?courage\b|"
            r"\byou (?:are|were) (?:being )?(?:very |really |so )?brave\b|"
            r"\bof course you (?:feel|felt|would)\b|\banyone would (?:feel|be)\b|"
            r"\b(?:is|are) (?:completely |totally |perfectly )?(?:understandable|valid)\b|"
            r"\bis heavy to carry\b"
        ),
    ),
    Intervention(
        "Relapse prevention",
        "maintenance",
        _P,
        (
            "Let's write down your early warning signs and what you'll do if they come back.",
            "What situations might be high risk for you over the coming months, and how will you "
            "handle them?",
            "As we finish therapy, let's make a plan for staying well and catching setbacks early.",
        ),
        unlike=(
            "What are the warning signs that a suicidal crisis is building?",
            "Who could you call if the thoughts of ending your life get stronger tonight?",
        ),
    ),
    Intervention(
        "Problem solving",
        "cognitive",
        _P,
        (
            "Let's break the problem down and list the possible options.",
            "What could you do instead? What are the possible solutions?",
            "Which option seems most workable, and what would the first step be?",
            "Let's brainstorm some ways round this, then pick the one most likely to work.",
        ),
    ),
    Intervention(
        "Sleep hygiene",
        "behavioral",
        _I,
        (
            "Get up at the same time every day, even at weekends.",
            "Avoid caffeine after midday and keep screens out of the bedroom.",
            "If you can't sleep after twenty minutes, get up and do something quiet until you "
            "feel sleepy.",
            "Keep the bed for sleep and avoid long naps during the day.",
        ),
    ),
    Intervention(
        "Progressive muscle relaxation",
        "relaxation",
        _P,
        (
            "Tense the muscles in your hands, hold for a few seconds, and then let them relax.",
            "Work through each muscle group, tensing and releasing, and notice the difference.",
        ),
    ),
    Intervention(
        "Mindfulness",
        "mindfulness",
        _I,
        (
            "Just notice what's around you, the sounds and sensations, without judging them.",
            "Bring your attention to the present moment, and when your mind wanders, gently "
            "bring it back.",
            "Notice your breath and the sensations in your body, and let the thoughts pass like "
            "clouds.",
        ),
    ),
    Intervention(
        "Thought record",
        "cognitive",
        _I,
        (
            "When you notice an upsetting thought, write down the situation, the thought, how "
            "you felt and a more balanced thought.",
            "Keep a written record of the negative thoughts and the evidence for and against them.",
        ),
    ),
    Intervention(
        "Journaling",
        "reflection",
        _I,
        (
            "Write about your feelings in a journal each evening.",
            "Spend ten minutes writing freely about what's on your mind before bed.",
        ),
        unlike=(
            "Keep a log of your mood and rate it each day.",
            "Keep filling in the diary with the ratings.",
        ),
    ),
    Intervention(
        "Assertive communication",
        "interpersonal",
        _P,
        (
            "Try saying: I feel this when that happens, and I need this.",
            "Tell them what you need calmly, without blaming or attacking.",
            "Let's practise what you'd say to her; I'll play the other person.",
            "Use I-statements to say how it affects you.",
        ),
    ),
    Intervention(
        "Self-monitoring",
        "behavioral",
        _I,
        (
            "Keep a diary of how you feel each day and rate it from zero to ten.",
            "Track each time it happens: what triggered it, how strong it was and what you did.",
            "Write down how many drinks you have each day.",
            "Log your sleep every night: when you went to bed and when you woke up.",
        ),
        unlike=(
            "How many drinks would you say you have in a week?",
            "How has your mood been this week?",
        ),
    ),
)

DESCRIPTIONS = {intervention.name: intervention for intervention in INTERVENTIONS}
DEFAULT_STATUS = {intervention.name: intervention.default for intervention in INTERVENTIONS}
_CUES = {
    intervention.name: re.compile(intervention.cues, re.IGNORECASE)
    for intervention in INTERVENTIONS
    if intervention.cues
}

# Tuned on the development part of bench/extraction/corpus (sessions only).
STRONG = 0.60  # one therapist unit this close to an example is the intervention
NEAR = 0.52  # …or NEAR_UNITS sentences this close (or in its typical wording)
NEAR_UNITS = 2
# Techniques the model tells apart poorly ("let's try box breathing" reads as paced breathing):
# where one of the kind is named, it is the one used.
NAMED_KIND_WINS = frozenset({"breathing"})
MIN_WORDS = 3  # shorter sentences ("Breathing.", "A four is something.") are read in their turn
_CONTEXT_LENGTH = 200


def find_interventions(sentences: Sentences, vectors: np.ndarray | None = None) -> list[Strategy]:
    """Strategies and interventions of the session: the lexicon's (strategies.py) and those a
    therapist's words come close to in meaning; one entry per name and status, in order of first
    appearance. `vectors`: the session's sentence vectors (session_vectors), if already made."""
    found = [
        (_first_row(strategy, sentences), strategy)
        for strategy in find_strategies(sentences, DEFAULT_STATUS)
    ]
    named = {strategy.name for _, strategy in found}
    named_kinds = {strategy.category for _, strategy in found} & NAMED_KIND_WINS
    for intervention, row in by_meaning(sentences, vectors):
        if intervention.name in named or intervention.category in named_kinds:
            continue
        sentence = sentences.all[row]
        status = strategy_status(sentence)
        if status in (None, StrategyStatus.reviewed):
            status = intervention.default
        strategy = Strategy(
            name=intervention.name,
            category=intervention.category,
            status=status,
            context=sentence.text[:_CONTEXT_LENGTH],
        )
        found.append((row, strategy))
    return [strategy for _, strategy in sorted(found, key=lambda item: item[0])]


def by_meaning(
    sentences: Sentences, vectors: np.ndarray | None = None
) -> list[tuple[Intervention, int]]:
    """Each intervention the therapist's words come close to, with the row (in `sentences.all`)
    of the sentence that shows it best."""
    units = _therapist_units(sentences)
    if not units:
        return []
    if vectors is None:
        vectors = sentence_vectors(sentences)
    names, owner, examples = _examples()
    count = len(INTERVENTIONS)
    sentence_scores = best_per_label(vectors @ examples.T, owner, len(names))[:, :count]
    scores = best_per_label(window_vectors(vectors, units) @ examples.T, owner, len(names))
    own = scores[:, :count]
    unlike = np.full_like(own, -1.0)  # an intervention without counter-examples has none near
    for column, intervention in enumerate(INTERVENTIONS):
        if intervention.unlike:
            unlike[:, column] = scores[:, names.index(f"unlike {intervention.name}")]
    # A unit speaks for the intervention it is closest to, if closer to it than to its
    # counter-examples.
    speaks = (own > unlike) & (own >= own.max(axis=1, keepdims=True))
    found = []
    for column, intervention in enumerate(INTERVENTIONS):
        mine = np.where(speaks[:, column], own[:, column], -1.0)
        best = int(mine.argmax())
        near = {
            _best_row(units[u], sentence_scores, column, sentences)
            for u in np.flatnonzero(mine >= NEAR)
        }
        cue = _CUES.get(intervention.name)
        if cue is not None:
            near |= {
                row for row in _therapist_rows(sentences) if cue.search(sentences.all[row].norm)
            }
        if mine[best] >= STRONG:
            found.append((intervention, _best_row(units[best], sentence_scores, column, sentences)))
        elif len(near) >= NEAR_UNITS:
            found.append((intervention, min(near)))
    return found


def _examples() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Labels: the interventions in order, then "unlike <name>" for those with
    counter-examples."""
    described = {i.name: i.examples for i in INTERVENTIONS}
    described |= {f"unlike {i.name}": i.unlike for i in INTERVENTIONS if i.unlike}
    return label_vectors(described)


def _best_row(
    unit: list[int], sentence_scores: np.ndarray, column: int, sentences: Sentences
) -> int:
    """The therapist's sentence of `unit` closest to the intervention."""
    rows = [row for row in unit if sentences.all[row].speaker is Speaker.therapist]
    return max(rows, key=lambda row: sentence_scores[row, column])


def _therapist_rows(sentences: Sentences) -> list[int]:
    return [row for row, s in enumerate(sentences.all) if s.speaker is Speaker.therapist]


def _therapist_units(sentences: Sentences) -> list[list[int]]:
    """Rows of the therapist's sentences of at least MIN_WORDS words, one unit each; each
    therapist turn of several sentences as one unit more; and each therapist turn read with the
    turn it answers (a unit of its own, "would you let her keep them?" after "my tablets")."""
    units: list[list[int]] = []
    turns: dict[int, list[int]] = {}
    for row, sentence in enumerate(sentences.all):
        turns.setdefault(sentence.segment_index, []).append(row)
    therapists = set(_therapist_rows(sentences))
    for row in sorted(therapists):
        if len(sentences.all[row].text.split()) >= MIN_WORDS:
            units.append([row])
    ordered = list(turns.values())
    for index, rows in enumerate(ordered):
        if rows[0] not in therapists:
            continue
        if len(rows) > 1:
            units.append(rows)
        if index and ordered[index - 1][0] not in therapists:
            units.append([*ordered[index - 1], *rows])
    return units


def _first_row(strategy: Strategy, sentences: Sentences) -> int:
    for row, sentence in enumerate(sentences.all):
        if sentence.text.startswith(strategy.context):
            return row
    return len(sentences.all)
