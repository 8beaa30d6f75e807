"""The bench's own arithmetic: percentiles, the scale, the chart (no database, milliseconds)."""

from bench import chart, fill, load


def test_percentiles_of_a_known_distribution():
    values = sorted(float(v) for v in range(1, 101))
    assert load.percentile(values, 50) == 50
    assert load.percentile(values, 90) == 90
    assert load.percentile(values, 99) == 99
    assert load.percentile(values, 100) == 100
    assert load.percentile([], 50) == 0.0


def test_summary_counts_errors_and_rate():
    result = load.summary([0.01, 0.02, 0.03, 0.5], 2.0, {200: 3, 502: 1})
    assert (result["requests"], result["rps"], result["errors"]) == (4, 2.0, 1)
    assert result["p50_ms"] == 20.0


def test_scale_from_the_environment(monkeypatch):
    monkeypatch.setenv("BENCH_SCALE", "small")
    monkeypatch.setenv("BENCH_CUSTOMERS", "50")
    scale = fill.scale_from_env()
    assert (scale.customers, scale.orders, scale.stats_rows) == (50, 10_000, 100_000)
    assert scale.pageviews + scale.profiling == scale.stats_rows


def test_heavy_customer_gets_its_orders_and_customer_two_exactly_one():
    import random

    scale = fill.Scale("t", 100, 20_000, 0)
    owners = [fill.order_owner(i, scale, random.Random(1)) for i in range(1, scale.orders + 1)]
    assert owners.count(1) == fill.HEAVY_ORDERS
    assert owners.count(2) == 1


def test_chart_is_an_svg_with_one_line_per_series():
    svg = chart.latency_svg({"a": [1.0, 2.0, 3.0], "b <x>": [10.0, 20.0]})
    assert svg.startswith("<svg") and svg.count("<polyline") == 2
    assert "b &lt;x&gt;" in svg


def test_the_heaviest_customer_gets_at_least_its_profiling_rows_at_every_scale():
    for scale in fill.SCALES.values():
        stride = fill.heavy_profiling_stride(scale.profiling)
        assert scale.profiling // stride >= fill.HEAVY_PROFILING
    assert fill.heavy_profiling_stride(9_000_000) == 200  # one in 200 at full scale: 45,000 rows


def test_percentile_bars_chart_has_a_bar_per_page():
    rows = {
        "minimal view": {"p50_ms": 2.0, "p90_ms": 3.0, "p99_ms": 5.0},
        "my <data>": {"p50_ms": 4, "p90_ms": 9, "p99_ms": 30},
    }
    svg = chart.percentile_bars_svg(rows, title="t")
    assert svg.startswith("<svg") and svg.count('stroke="#d62728"') == 2
    assert "my &lt;data&gt;" in svg
