"""Small charts drawn as inline SVG, so a PDF needs no plotting service and fetches nothing.

Every chart returns markup that is safe to insert into a template (labels are escaped here),
or None when there is nothing to draw; the templates then print "Not recorded".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from core.documents.formatting import INSTRUMENT_LABELS
from core.enums import Instrument
from core.extracted_notes import MoodLevel

WIDTH, HEIGHT = 640, 210
LEFT, RIGHT, TOP, BOTTOM = 92, 24, 14, 34  # plot margins: room for the axis labels
MAX_DATE_LABELS = 7

INK, GRID, MUTED = "#1f2933", "#d9dee3", "#616e7c"
SERIES_COLOURS = ("#2f6f8f", "#b0643a")
PROGRESS_COLOUR, WORSE_COLOUR, TRACK_COLOUR = "#3f7f6e", "#b4533c", "#e6ebee"

MOOD_SCALE = {
    MoodLevel.very_low: 1,
    MoodLevel.low: 2,
    MoodLevel.neutral: 3,
    MoodLevel.positive: 4,
    MoodLevel.very_positive: 5,
}
# PHQ-9 and GAD-7 both use 10 as the cut-off for moderate symptoms.
MODERATE_CUTOFF = 10


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[date, float]]


def mood_chart(points: Sequence[tuple[date, MoodLevel | None]]) -> Markup | None:
    """Session mood over time; sessions without a recorded mood are left out."""
    known = [(day, float(MOOD_SCALE[mood])) for day, mood in points if mood is not None]
    if not known:
        return None
    ticks = [(float(v), level.replace("_", " ").capitalize()) for level, v in MOOD_SCALE.items()]
    return line_chart(
        [Series("Session mood", known)],
        y_range=(1, 5),
        y_ticks=ticks,
        description="Line chart of session mood, from very low to very positive, by date",
    )


def measures_chart(readings: Sequence[tuple[Instrument, date, int]]) -> Markup | None:
    """PHQ-9 and GAD-7 totals over time, with the moderate-symptoms cut-off marked."""
    series = []
    for instrument, label in INSTRUMENT_LABELS.items():
        points = sorted((day, float(total)) for kind, day, total in readings if kind == instrument)
        if points:
            series.append(Series(label, points))
    if not series:
        return None
    return line_chart(
        series,
        y_range=(0, 27),
        y_ticks=[(float(v), str(v)) for v in (0, 5, 10, 15, 20, 27)],
        description="Line chart of questionnaire totals by date",
        reference=(MODERATE_CUTOFF, "moderate"),
    )


def progress_bar(percentage: float | None, width: int = 120, height: int = 10) -> Markup | None:
    """A goal's progress: filled share of the bar; worsening is drawn in a warning colour."""
    if percentage is None:
        return None
    share = min(abs(percentage), 100.0) / 100
    colour = WORSE_COLOUR if percentage < 0 else PROGRESS_COLOUR
    return Markup(
        '<svg class="progress-bar" xmlns="http://www.w3.org/2000/svg" role="img" '
        'width="{w}" height="{h}" viewBox="0 0 {w} {h}"><title>Progress {p:.0f} percent</title>'
        '<rect width="{w}" height="{h}" rx="2" fill="{track}"/>'
        '<rect width="{fill:.1f}" height="{h}" rx="2" fill="{colour}"/></svg>'
    ).format(w=width, h=height, p=percentage, track=TRACK_COLOUR, fill=share * width, colour=colour)


def line_chart(
    series: Sequence[Series],
    *,
    y_range: tuple[float, float],
    y_ticks: Sequence[tuple[float, str]],
    description: str,
    reference: tuple[float, str] | None = None,
) -> Markup:
    days = sorted({day for s in series for day, _ in s.points})
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    low, high = y_range

    def x(day: date) -> float:
        if first == last:
            return LEFT + plot_w / 2
        return LEFT + (day - first).days / span * plot_w

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot_h

    parts = [
        Markup(
            '<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
            'viewBox="0 0 {} {}" width="100%" font-family="sans-serif" font-size="10">'
            "<title>{}</title>"
        ).format(WIDTH, HEIGHT, description)
    ]
    for value, label in y_ticks:
        parts.append(_line(LEFT, y(value), WIDTH - RIGHT, y(value), GRID))
        parts.append(_text(LEFT - 6, y(value) + 3, label, anchor="end"))
    if reference is not None:
        value, label = reference
        parts.append(_line(LEFT, y(value), WIDTH - RIGHT, y(value), MUTED, dashed=True))
        parts.append(_text(LEFT + 4, y(value) - 3, label, anchor="start"))
    for day in _spread(days, MAX_DATE_LABELS):
        parts.append(_text(x(day), HEIGHT - BOTTOM + 14, f"{day:%b} {day.day}", anchor="middle"))
    years = str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
    parts.append(_text(x(first), HEIGHT - BOTTOM + 26, years, anchor="middle"))
    for index, one in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        coords = " ".join(f"{x(day):.1f},{y(value):.1f}" for day, value in one.points)
        parts.append(
            Markup('<polyline points="{}" fill="none" stroke="{}" stroke-width="1.6"/>').format(
                coords, colour
            )
        )
        for day, value in one.points:
            parts.append(
                Markup('<circle cx="{:.1f}" cy="{:.1f}" r="2.6" fill="{}"/>').format(
                    x(day), y(value), colour
                )
            )
        if len(series) > 1:
            legend_x = LEFT + 8 + index * 90
            parts.append(
                Markup('<rect x="{}" y="{}" width="10" height="3" fill="{}"/>').format(
                    legend_x, TOP, colour
                )
            )
            parts.append(_text(legend_x + 14, TOP + 4, one.label, anchor="start"))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _spread(days: Sequence[date], count: int) -> list[date]:
    """At most `count` evenly spaced days, always the first and the last."""
    if len(days) <= count:
        return list(days)
    step = (len(days) - 1) / (count - 1)
    return [days[round(i * step)] for i in range(count)]


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, dashed: bool = False) -> Markup:
    return Markup(
        '<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="0.8"{}/>'
    ).format(x1, y1, x2, y2, colour, Markup(' stroke-dasharray="4 3"') if dashed else "")


def _text(x: float, y: float, text: str, anchor: str) -> Markup:
    return Markup('<text x="{:.1f}" y="{:.1f}" fill="{}" text-anchor="{}">{}</text>').format(
        x, y, INK, anchor, text
    )
