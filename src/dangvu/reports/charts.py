"""Charts for reports (PNG) and the web UI (SVG), with matplotlib.

Figures are drawn on `matplotlib.figure.Figure` directly, never through pyplot, so no display
or GUI backend is involved and concurrent requests do not share a current figure; PNG is
rasterised by the Agg renderer. Labels are Vietnamese, numbers have a dot for thousands.
"""

import datetime as dt
import functools
import io
import math
from collections.abc import Callable, Sequence

import matplotlib
from matplotlib import font_manager, ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

from dangvu.core.formatting import format_date, format_number

matplotlib.use("Agg")  # no display on servers, whatever MPLBACKEND says

# Preferred faces, first found with the Vietnamese letters wins. DejaVu Sans ships with
# matplotlib, so there is always one.
FONT_CANDIDATES = ("Times New Roman", "Liberation Serif", "DejaVu Sans")
_VIETNAMESE_SAMPLE = "ĂÂĐÊÔƠƯăâđêôơư ẢẠẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
_QUARTER_ENDS = {(3, 31): 1, (6, 30): 2, (9, 30): 3, (12, 31): 4}
_MAX_TICKS = 12

BAR_COLOUR = "#b71c1c"
LINE_COLOUR = "#0d47a1"
TARGET_COLOUR = "#f9a825"


def members_over_time(points: Sequence[tuple[dt.date, int]], title: str) -> bytes:
    """A line chart of a stock (members at each date), as PNG."""
    return _png(functools.partial(_draw_members, points=points, title=title))


def members_over_time_svg(points: Sequence[tuple[dt.date, int]], title: str) -> str:
    return _svg(functools.partial(_draw_members, points=points, title=title))


def admissions_against_target(
    quarters: Sequence[tuple[str, int]], target: int | None, title: str
) -> bytes:
    """Admissions per quarter as bars, their running total as a line, the target as a dashed
    line, as PNG. `quarters` are (label, count): ("Q1/2021", 39)."""
    return _png(functools.partial(_draw_admissions, quarters=quarters, target=target, title=title))


def admissions_against_target_svg(
    quarters: Sequence[tuple[str, int]], target: int | None, title: str
) -> str:
    return _svg(functools.partial(_draw_admissions, quarters=quarters, target=target, title=title))


def quarter_label(day: dt.date) -> str | None:
    """ "Q1/2021" for 31/03/2021, None for a day that ends no quarter."""
    quarter = _QUARTER_ENDS.get((day.month, day.day))
    return f"Q{quarter}/{day.year}" if quarter else None


@functools.cache
def chart_font() -> str:
    """The first candidate family whose regular and bold faces both have every Vietnamese
    letter. Both weights are checked as matplotlib resolves them: where two packages install
    the same family (fonts-liberation 1.x without Vietnamese, fonts-liberation2 with it) the
    regular face may come from one and the bold from the other."""
    for family in FONT_CANDIDATES:
        if all(_covers_vietnamese(family, weight) for weight in ("normal", "bold")):
            return family
    return "DejaVu Sans"


def _covers_vietnamese(family: str, weight: str) -> bool:
    properties = font_manager.FontProperties(family=family, weight=weight)
    try:
        path = font_manager.findfont(properties, fallback_to_default=False)
    except ValueError:
        return False
    if font_manager.FontProperties(fname=path).get_name() != family:
        return False
    charmap = FT2Font(path).get_charmap()
    return all(ord(letter) in charmap for letter in _VIETNAMESE_SAMPLE if not letter.isspace())


# Drawing


def _draw_members(fig: Figure, *, points: Sequence[tuple[dt.date, int]], title: str) -> None:
    ax = fig.subplots()
    _decorate(ax, title, ylabel="Số đảng viên")
    points = sorted(points)
    if not points:
        _no_data(ax)
        return
    days = [day for day, _ in points]
    values = [value for _, value in points]
    ax.plot(days, values, color=LINE_COLOUR, marker="o", linewidth=2)
    labels = [quarter_label(day) for day in days]
    if not all(labels):
        labels = [format_date(day) for day in days]
    step = math.ceil(len(days) / _MAX_TICKS)
    ax.set_xticks(days[::step], labels[::step], rotation=30 if len(days) > 6 else 0)
    if len(points) <= _MAX_TICKS:
        for day, value in points:
            ax.annotate(
                format_number(value),
                (day, value),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=8,
            )
    low, high = min(values), max(values)
    margin = max((high - low) * 0.15, high * 0.01, 1)
    ax.set_ylim(max(low - margin, 0), high + margin)


def _draw_admissions(
    fig: Figure, *, quarters: Sequence[tuple[str, int]], target: int | None, title: str
) -> None:
    ax = fig.subplots()
    _decorate(ax, title, ylabel="Số quần chúng được kết nạp")
    if not quarters:
        _no_data(ax)
        return
    labels = [label for label, _ in quarters]
    counts = [count for _, count in quarters]
    cumulative = [sum(counts[: i + 1]) for i in range(len(counts))]
    positions = list(range(len(quarters)))
    bars = ax.bar(positions, counts, color=BAR_COLOUR, width=0.6, label="Kết nạp trong quý")
    ax.bar_label(
        bars, labels=[format_number(c) for c in counts], label_type="center", color="white"
    )
    if len(quarters) > 1:
        ax.plot(positions, cumulative, color=LINE_COLOUR, marker="o", label="Lũy kế")
    if target is not None:
        ax.axhline(
            target,
            color=TARGET_COLOUR,
            linestyle="--",
            linewidth=2,
            label=f"Chỉ tiêu ({format_number(target)})",
        )
    ax.set_xticks(positions, labels)
    ax.set_ylim(0, max([*cumulative, target or 0, 1]) * 1.18)
    ax.legend(loc="upper left", fontsize=8, frameon=False)


def _decorate(ax: Axes, title: str, *, ylabel: str) -> None:
    ax.set_title(title, fontsize=11, fontweight="bold")
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: format_number(value)))
    ax.grid(axis="y", color="#dddddd")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _no_data(ax: Axes) -> None:
    ax.text(0.5, 0.5, "Chưa có số liệu", transform=ax.transAxes, ha="center", va="center")
    ax.set_xticks([])
    ax.set_yticks([])


# Output


def _figure(draw: Callable[[Figure], None], save: Callable[[Figure], None]) -> None:
    rc = {"font.family": [chart_font()], "font.size": 9, "svg.hashsalt": "dangvu"}
    with matplotlib.rc_context(rc):
        # 16 x 9 cm, the size it is printed at, so that 10 pt on the chart is 10 pt on paper
        fig = Figure(figsize=(16 / 2.54, 9 / 2.54), layout="constrained")
        draw(fig)
        save(fig)


def _png(draw: Callable[[Figure], None]) -> bytes:
    buffer = io.BytesIO()
    _figure(draw, lambda fig: fig.savefig(buffer, format="png", dpi=200))
    return buffer.getvalue()


def _svg(draw: Callable[[Figure], None]) -> str:
    buffer = io.StringIO()
    _figure(draw, lambda fig: fig.savefig(buffer, format="svg", metadata={"Date": None}))
    return buffer.getvalue()
