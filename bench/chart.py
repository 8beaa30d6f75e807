"""A hand-made SVG of latency distributions: one line per series, latency (log scale) against percentile."""

import math
from html import escape

from bench.load import percentile

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"]
PERCENTILES = [p / 2 for p in range(0, 199)] + [99.5, 99.9, 100]


def latency_svg(series: dict[str, list[float]], width: int = 760, height: int = 420) -> str:
    series = {k: sorted(v) for k, v in series.items() if v}
    left, right, top, bottom = 60, 220, 30, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    low = max(0.1, min(v[0] for v in series.values())) if series else 0.1
    high = max(v[-1] for v in series.values()) if series else 1.0
    lo_exp, hi_exp = math.floor(math.log10(low)), math.ceil(math.log10(max(high, low * 10)))

    def y(ms: float) -> float:
        ms = max(ms, 10**lo_exp)
        return top + plot_h - (math.log10(ms) - lo_exp) / (hi_exp - lo_exp) * plot_h

    def x(p: float) -> float:
        return left + p / 100 * plot_w

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="18" font-size="13">Latency distribution (ms, log scale) by percentile</text>',
    ]
    for e in range(lo_exp, hi_exp + 1):
        yy = y(10**e)
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{10**e:g}</text>')
    for p in (0, 25, 50, 75, 90, 99, 100):
        xx = x(p)
        out.append(f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{top}" y2="{top + plot_h}" stroke="#eee"/>')
        out.append(f'<text x="{xx:.1f}" y="{top + plot_h + 16}" text-anchor="middle">p{p}</text>')
    out.append(f'<text x="{left + plot_w / 2}" y="{height - 10}" text-anchor="middle">percentile</text>')
    for index, (name, values) in enumerate(series.items()):
        colour = COLOURS[index % len(COLOURS)]
        points = " ".join(f"{x(p):.1f},{y(percentile(values, p)):.1f}" for p in PERCENTILES)
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.6" points="{points}"/>')
        ly = top + 14 + index * 18
        out.append(
            f'<line x1="{left + plot_w + 12}" x2="{left + plot_w + 32}" y1="{ly - 4}" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="3"/>'
        )
        label = f"{name} (p50 {percentile(values, 50):.1f})"
        out.append(f'<text x="{left + plot_w + 36}" y="{ly}">{escape(label)}</text>')
    out.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#333"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def percentile_bars_svg(rows: dict[str, dict], *, title: str, width: int = 860) -> str:
    """One row per page: a bar to its p50, a thinner one to its p90 and a tick at its p99 (ms, log scale)."""
    rows = {k: v for k, v in rows.items() if v.get("p99_ms")}
    left, right, top, row_h = 300, 30, 40, 18
    plot_w = width - left - right
    height = top + row_h * len(rows) + 40
    values = [v[p] for v in rows.values() for p in ("p50_ms", "p90_ms", "p99_ms") if v.get(p)]
    lo_exp = math.floor(math.log10(max(0.1, min(values)))) if values else 0
    hi_exp = math.ceil(math.log10(max(values))) if values else 1
    hi_exp = max(hi_exp, lo_exp + 1)

    def x(ms: float) -> float:
        ms = max(ms, 10**lo_exp)
        return left + (math.log10(ms) - lo_exp) / (hi_exp - lo_exp) * plot_w

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="18" font-size="13">{escape(title)}: p50 (bar), p90 (thin bar), p99 (tick), '
        "ms, log scale</text>",
    ]
    bottom = top + row_h * len(rows)
    for e in range(lo_exp, hi_exp + 1):
        xx = x(10**e)
        out.append(f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{top - 6}" y2="{bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{xx:.1f}" y="{bottom + 14}" text-anchor="middle">{10**e:g}</text>')
    for index, (name, v) in enumerate(rows.items()):
        y = top + index * row_h
        colour = COLOURS[0] if index else "#7f7f7f"
        out.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{escape(name)}</text>')
        out.append(
            f'<rect x="{left}" y="{y + 7}" width="{x(v["p90_ms"]) - left:.1f}" height="4" fill="{colour}" '
            'opacity="0.45"/>'
        )
        out.append(f'<rect x="{left}" y="{y + 3}" width="{x(v["p50_ms"]) - left:.1f}" height="12" fill="{colour}"/>')
        px = x(v["p99_ms"])
        out.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{y + 1}" y2="{y + 17}" stroke="#d62728" stroke-width="2"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
