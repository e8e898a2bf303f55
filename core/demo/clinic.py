"""The demo clinic: two therapists, six patients, and their sessions as AnnoMI conversations.

Each patient's sessions are conversations that fit one story (several are parts of one
recorded series with the same client), held weekly up to the demo's today. What a therapist
wrote before signing a note (`Review`) follows what was said in that conversation. The names
the dataset's people use for the client and the counsellor become the demo patient's and
therapist's (see data/annomi/README.md for the dataset and its citation).
"""

from __future__ import annotations

from datetime import date, time

from core.demo.model import Amendment, DemoExport, Patient, Review, Therapist, Visit, bullets
from core.enums import ExportFormat, ExportType
from core.treatment.plans import TreatmentPlanFields

MAYA = Therapist("Dr. Maya Rivera", "Maya", "Rivera", "maya.rivera", "LCSW 48213")
DANIEL = Therapist("Dr. Daniel Okafor", "Daniel", "Okafor", "daniel.okafor", "PsyD 77102")
THERAPISTS = (MAYA, DANIEL)

CLIENT = "{first}"

# Alex attends a family-violence prevention service: his notes say so, not "no concerns".
VIOLENCE_HISTORY = (
    "No statements of intent to harm anyone in this session. History of family violence; "
    "attending a prevention programme."
)

# A teenager drinking at parties; her importance ruler rises from 5 to 6 to 8 (the extractor
# reads the ratings), and drinking turns out to be linked to contraception.
JORDAN = Patient(
    "Jordan Ellis",
    "jordan.ellis",
    date(2009, 4, 12),
    MAYA,
    time(9, 0),
    (
        Visit(
            21,
            21,
            {"Laura": CLIENT},
            Review(
                (
                    "Motivational interviewing (open questions, reflections, importance ruler)",
                    "Refusal skills (holding a non-alcoholic drink at parties)",
                ),
                (
                    "Tell her closest friends about her plan to stop drinking",
                    "Keep a non-alcoholic drink in hand at parties",
                ),
                ("How her friends respond to the plan", "Stumbling blocks at parties"),
            ),
            phq9=(2, 2, 1, 2, 1, 2, 1, 1, 0),
        ),
        Visit(
            68,
            14,
            {"Andrea": CLIENT},
            Review(
                (
                    "Motivational interviewing (importance and confidence rulers)",
                    "Developing discrepancy (drinking against her grades and plan to study "
                    "medicine)",
                ),
                ("Plan activities with friends that do not involve alcohol",),
                ("Activities tried without alcohol", "Her confidence once she decides"),
                impression="Engaged and reflective. Rates the importance of cutting down at 6/10 "
                "and sees drinking as at odds with her grades and her plan to study medicine. "
                "Wants to stay in control of what she does when drinking at parties.",
                concerns="Staying in control of what she does when drinking at parties.",
            ),
            Amendment(
                {
                    "plan": {
                        "homework": bullets(
                            (
                                "Plan activities with friends that do not involve alcohol",
                                "When alcohol is involved, drink less than she usually does",
                            )
                        )
                    }
                },
                "Homework completed after listening to the recording again: the goal agreed "
                "in session also covers drinking less when alcohol is involved.",
            ),
            phq9=(2, 1, 1, 2, 1, 1, 1, 1, 0),
        ),
        Visit(
            82,
            7,
            review=Review(
                (
                    "Motivational interviewing (importance and confidence rulers)",
                    "Linking behaviours (missed contraception and drinking)",
                ),
                ("Follow the alcohol plan made in session", "Use birth control every time"),
                ("The alcohol plan", "Birth control when she has been drinking"),
            ),
            phq9=(1, 1, 1, 1, 1, 1, 1, 0, 0),
        ),
        Visit(104, 0, phq9=(1, 1, 0, 1, 1, 1, 0, 0, 0)),
    ),
    TreatmentPlanFields(
        treatment_type="Motivational interviewing",
        presenting_complaints=["Drinking at parties with friends", "Missed contraception"],
        diagnoses=["F10.10 Alcohol use disorder, mild"],
        prognosis="Good",
    ),
)

# A mother of a teenager with asthma and emphysema, moving from reasons to quit smoking to
# self-monitoring (the last two conversations are one counsellor's consecutive visits).
PRIYA = Patient(
    "Priya Natarajan",
    "priya.natarajan",
    date(1979, 9, 3),
    DANIEL,
    time(10, 0),
    (
        Visit(
            28,
            21,
            {"Carrie": CLIENT},
            Review(
                (
                    "Motivational interviewing (reasons to quit: her daughter, asthma, chronic "
                    "bronchitis)",
                    "Reflective listening (the social cost of smoking)",
                ),
                (),
                ("Past quit attempts", "Quit medication (Chantix)"),
            ),
            gad7=(2, 2, 1, 2, 1, 2, 1),
        ),
        Visit(
            39,
            14,
            review=Review(
                (
                    "Motivational interviewing (her own ideas: meditation, yoga, breathing)",
                    "Information on nicotine and quit aids (Wellbutrin, Chantix, nicotine gum)",
                ),
                ("Consider which of the quit aids discussed she would like to try",),
                ("Cost of smoking", "Emphysema", "Choosing a quit aid"),
                impression="Engaged. Smokes for its calming effect; her emphysema, her daughter "
                "and the cost motivate quitting. Has her own ideas (meditation, yoga, breathing) "
                "and is open to quit aids.",
                concerns="Whether hypnosis would work for her; unsure what some quit aids are.",
            ),
            gad7=(2, 1, 1, 2, 1, 2, 1),
        ),
        Visit(
            91,
            7,
            {"Jean": CLIENT, "Dr. Selby": "Dr. {therapist_last}"},
            Review(
                (
                    "Motivational interviewing (pros and cons of smoking; readiness 40%, 45% "
                    "with support)",
                    "Self-monitoring (a card for cigarettes and urges)",
                ),
                (
                    "Record each cigarette and urge on the card, delaying when an urge comes",
                    "Bring the card next week",
                ),
                ("Review the monitoring card",),
            ),
            gad7=(1, 1, 1, 2, 1, 1, 1),
        ),
        Visit(80, 0, {"Jean": CLIENT}, gad7=(1, 1, 1, 1, 1, 1, 0)),
    ),
    TreatmentPlanFields(
        treatment_type="Motivational interviewing for smoking cessation",
        presenting_complaints=["Cigarette smoking", "Emphysema", "Asthma, chronic bronchitis"],
        diagnoses=["F17.210 Nicotine dependence, cigarettes, uncomplicated", "J43.9 Emphysema"],
        prognosis="Fair",
    ),
)

# Back to the gym: one recorded client's first conversation and his follow-up.
SAMUEL = Patient(
    "Samuel Brooks",
    "samuel.brooks",
    date(1975, 1, 27),
    DANIEL,
    time(16, 0),
    (
        Visit(
            54,
            10,
            {"Scott": CLIENT},
            Review(
                ("Advice (exercise before work)", "Action planning (reasons to get back)"),
                (
                    "Get up an hour earlier to go to the gym",
                    "List his reasons to get back to the gym",
                ),
                ("Whether the earlier start worked",),
            ),
        ),
        Visit(
            105,
            3,
            review=Review(
                (
                    "Affirmation (two gym visits in a hectic week)",
                    "Motivational interviewing (benefits: clothes fit, less back pain)",
                ),
                ("Keep to his gym days", "Notice the second thought before junk food"),
                ("Building up to more gym visits", "Diet"),
                impression="Pleased with his progress: two gym visits in a busy week, clothes "
                "fit better, less back pain, fewer snacks. Wants to build up gradually.",
                concerns="Feels self-conscious next to younger men at the gym.",
                triggers="",
            ),
        ),
    ),
)

# One recorded client's three sessions at a family-violence prevention service.
ALEX = Patient(
    "Alex Moreno",
    "alex.moreno",
    date(1991, 6, 30),
    DANIEL,
    time(15, 0),
    (
        Visit(
            83,
            15,
            {"Rick": CLIENT},
            Review(
                (
                    "Motivational interviewing (reasons for change: his children)",
                    "Confidence ruler (higher with his whānau's support)",
                ),
                ("Talk with his mum and family about supporting him through the programme",),
                ("Family support", "His plan of action"),
                risk=VIOLENCE_HISTORY,
                impression="Back at the prevention service after past offending; motivated by "
                "his children and wants to be a father they can look up to. His confidence would "
                "be high with his whānau's support.",
                concerns="Whether to tell his employer about the programme.",
                triggers="",
            ),
        ),
        Visit(
            37,
            8,
            {"Ricky": CLIENT},
            Review(
                (
                    "Review of his plan of action",
                    "Affirmation (talked with his mum; booked Stopping Violence)",
                    "Motivational interviewing (rebuilding trust with his partner)",
                ),
                (
                    "Attend the Stopping Violence appointment",
                    "See through the steps he has started",
                ),
                ("Where he lives and who with", "Reconnecting with his children"),
                risk=VIOLENCE_HISTORY,
            ),
        ),
        Visit(16, 1, {"Rick": CLIENT}),
    ),
)

# One recorded client after a stroke, from rehab to home (a series with the same client).
GRACE = Patient(
    "Grace Whitfield",
    "grace.whitfield",
    date(1946, 11, 8),
    MAYA,
    time(14, 0),
    (
        Visit(
            77,
            16,
            {"Mrs. Smith": "Mrs. {last}"},
            Review(
                (
                    "Motivational interviewing",
                    "Information (tai chi lowers the risk of falls; it can start seated)",
                ),
                ("Try a tai chi class at the senior center, starting in a chair",),
                ("Rehab progress and pain", "How tai chi went"),
            ),
        ),
        Visit(
            61,
            9,
            {"Mrs. Smith": "Mrs. {last}", "Terri": "{therapist_first}"},
            Review(
                (
                    "Motivational interviewing (feeling self-conscious at tai chi)",
                    "Linking balance work to her goal of going home",
                ),
                ("Go to tai chi a second time (the rehab center is called to arrange it)",),
                ("How the second class went",),
                impression="Went to tai chi once; self-conscious in her walker and not yet "
                "seeing the balance gains she hoped for. Strongly motivated to go home to her "
                "dog and her garden.",
                triggers="Feeling self-conscious at the tai chi class in her walker.",
            ),
        ),
        Visit(
            56,
            2,
            {"Mrs. Smith": "Mrs. {last}", "Denise": "{therapist_first}"},
            Review(
                (
                    "Motivational interviewing (a near fall; her fear of falling)",
                    "Affirmation (her persistence)",
                    "Case management referral (home safety)",
                ),
                (
                    "Start moving again: tai chi, the senior center",
                    "A caseworker visits to refresh home safety",
                ),
                ("Fear of falling", "Support at home"),
                "No risk statements in this session. A near fall at home was reported; case "
                "management arranged for home safety.",
            ),
        ),
    ),
)

# A teenager bullied at school, then withdrawn, who today discloses cutting and suicidal
# thoughts: the clinic's one risk-flagged session, its note waiting for review.
LENA = Patient(
    "Lena Kowalski",
    "lena.kowalski",
    date(2010, 2, 14),
    MAYA,
    time(11, 30),
    (
        Visit(
            116,
            14,
            {"Molly": CLIENT},
            Review(
                (
                    "Supportive counselling (reflections)",
                    "Affirmation (walking away from a conflict)",
                    "Exploring supports (her mum, swimming)",
                ),
                ("Notice the times she leaves it be or walks away, and what helped",),
                ("Bullying and rumours at school", "Other ways of dealing with them"),
            ),
            phq9=(2, 1, 2, 1, 1, 2, 1, 1, 0),
            gad7=(1, 2, 1, 1, 1, 2, 1),
        ),
        Visit(
            47,
            7,
            {"Mary": CLIENT},
            Review(
                (
                    "Brief check-in (yelling at home)",
                    "Respecting her choice not to talk; concern and availability expressed",
                ),
                (),
                ("Her mood", "What is happening at home"),
                "No risk statements in this session; withdrawn and in low mood. Check in again "
                "soon.",
            ),
            phq9=(2, 2, 2, 2, 1, 2, 1, 2, 0),
            gad7=(2, 2, 1, 2, 1, 2, 1),
        ),
        Visit(
            95, 0, {"Ruth": CLIENT}, phq9=(3, 2, 2, 2, 2, 3, 1, 1, 2), gad7=(2, 2, 2, 2, 1, 2, 2)
        ),
    ),
    TreatmentPlanFields(
        treatment_type="Supportive counselling",
        presenting_complaints=["Bullying at school", "Low mood", "Self-harm (cutting)"],
        diagnoses=["F32.1 Major depressive disorder, single episode, moderate"],
        prognosis="Guarded",
    ),
)

PATIENTS = (JORDAN, PRIYA, SAMUEL, ALEX, GRACE, LENA)

# Rendered at seeding: a DOCX, which needs no PDF render workers in the starting process. The
# PDF is left to the worker, which renders it moments after `tb dev` starts.
EXPORTS = (
    DemoExport(MAYA, JORDAN, ExportType.progress_report, ExportFormat.docx, render_now=True),
    DemoExport(DANIEL, PRIYA, ExportType.treatment_summary, ExportFormat.pdf, render_now=False),
)
