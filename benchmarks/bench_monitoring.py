"""Effect monitoring: 290 municipalities x 20 metrics x 40 quarters (232 000 measurements).

Ours: ``monitoring.run_charts`` and ``monitoring.control_charts`` (Laney p′
with denominators) over the whole table, every group at once. The issue asks
for all run charts and control charts in under 3 s.

Peer: the same charts one series at a time with ``groupby().apply()`` calling
the single-series ``run_chart`` and ``control_chart`` — how a notebook loops
over municipalities and metrics, and how qicharts2 is called per series.
"""

import numpy as np
import pandas as pd

from ehalsa_analys import monitoring, reference

QUARTERS = pd.period_range("2017Q1", periods=40, freq="Q")
METRICS = [f"m{i:02d}" for i in range(20)]


def setup():
    rng = np.random.default_rng(2026)
    codes = reference.municipalities()["municipality_code"].to_numpy()
    n = codes.size * len(METRICS) * QUARTERS.size
    denominator = rng.integers(200, 5000, n).astype(float)
    share = np.clip(rng.normal(0.05, 0.01, n), 0.001, 0.999)
    return pd.DataFrame(
        {
            "municipality_code": np.repeat(codes, len(METRICS) * QUARTERS.size),
            "metric_id": np.tile(np.repeat(METRICS, QUARTERS.size), codes.size),
            "period": np.tile(QUARTERS, codes.size * len(METRICS)),
            "value": rng.binomial(denominator.astype(int), share) / denominator,
            "denominator": denominator,
        }
    )


def ours(data):
    return (
        monitoring.run_charts(data, baseline_end="2020Q4"),
        monitoring.control_charts(data, chart="pp", baseline_end="2020Q4"),
    )


def peer(data):
    def both(group):
        series = group.set_index("period")
        return (
            monitoring.run_chart(series["value"], baseline_end="2020Q4"),
            monitoring.control_chart(
                series["value"], series["denominator"], chart="pp", baseline_end="2020Q4"
            ),
        )

    return data.groupby(["municipality_code", "metric_id"])[
        ["period", "value", "denominator"]
    ].apply(both)


CASES = [
    {
        "name": "run + p′ charts, 5 800 series x 40 quarters",
        "setup": setup,
        "ours": ours,
        "peer_name": "groupby.apply of the single-series functions",
        "peer": peer,
        "repeat": 1,
        "warmup": False,  # the per-series peer takes long; nothing of ours is cold here
    }
]
