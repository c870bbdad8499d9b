"""LIKA maturity: 290 municipalities x 3 rounds x 100 indicators (87 000 answers).

"load + ..." reads the answers from one combined long CSV (cp1252, ``;``, as
a county's compilation would be) with ``load.lika`` and then runs the
pipeline below; its peer reads the same file with ``pandas.read_csv`` and
maps the statuses with a dict, without any of the loader's checks.

Ours: for each round, ``maturity.scores`` (bootstrap interval, 1000
replicates), ``maturity.gaps`` to the county, and ``maturity.development_areas``
with an instrument. The issue asks for load + scores + gaps + development
areas under 2 s in total.

Peers compute only the scores, so the ratios flatter them:

- "naive": ``groupby().apply()`` with a Python loop over the bootstrap
  replicates of each group, which is what a notebook would do first;
- "per-group numpy": ``groupby().apply()`` drawing each group's replicates
  as one numpy array, a careful notebook's version.
"""

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ehalsa_analys import load, maturity, reference
from ehalsa_analys.schemas import AREAS, DIMENSIONS

N_INDICATORS = 100
ROUNDS = (pd.Timestamp("2022-03-01"), pd.Timestamp("2023-03-01"), pd.Timestamp("2024-03-01"))
LEVELS = {0.0: "Ej planerad", 0.25: "Planerad", 0.5: "Påbörjad", 0.75: "Nästan där", 1.0: "Uppnådd"}
N_BOOT = 1000


def setup():
    """Synthetic lika_responses for every municipality and three rounds, plus an instrument."""
    rng = np.random.default_rng(2024)
    codes = reference.municipalities()["municipality_code"].to_numpy()
    ids = np.array([f"LIKA-{i:03d}" for i in range(N_INDICATORS)])
    areas = np.array([AREAS[i % 4] for i in range(N_INDICATORS)])
    dims = np.array([DIMENSIONS[(i // 4) % 4] for i in range(N_INDICATORS)])
    level = rng.normal(1.5, 0.6, codes.size)  # each municipality's own level
    frames = []
    for step, date in enumerate(ROUNDS):
        n = codes.size * N_INDICATORS
        raw = np.repeat(level, N_INDICATORS) + 0.3 * step + rng.normal(0, 1.1, n)
        score = np.clip(np.round(raw), 0, 4) / 4
        not_relevant = rng.random(n) < 0.05
        response = pd.Series(score).map(LEVELS).to_numpy(dtype=object)
        response[not_relevant] = "Ej relevant"
        score[not_relevant] = np.nan
        frames.append(
            pd.DataFrame(
                {
                    "municipality_code": np.repeat(codes, N_INDICATORS),
                    "assessed_on": date,
                    "area": np.tile(areas, codes.size),
                    "dimension": np.tile(dims, codes.size),
                    "indicator_id": np.tile(ids, codes.size),
                    "indicator": np.tile([f"Indikator {i}" for i in ids], codes.size),
                    "response": response,
                    "score": score,
                }
            )
        )
    responses = pd.concat(frames, ignore_index=True)
    instrument = pd.DataFrame(
        {
            "indicator_id": ids,
            "area": areas,
            "dimension": dims,
            "text": [f"Målbild {i}" for i in ids],
            "suggested_activity": [f"Aktivitet {i}" for i in ids],
            "weight": rng.integers(1, 4, N_INDICATORS).astype(float),
        }
    )
    return responses, instrument


def ours(data):
    responses, instrument = data
    return _pipeline(responses, instrument)


def setup_files():
    """The same answers written as one long cp1252 CSV, with the instrument beside it."""
    responses, instrument = setup()
    folder = Path(tempfile.mkdtemp(prefix="bench_lika_"))
    table = responses.assign(assessed_on=responses["assessed_on"].dt.strftime("%Y-%m-%d"))
    table = table.rename(
        columns={
            "municipality_code": "Kommunkod",
            "assessed_on": "Datum",
            "area": "Område",
            "dimension": "Del",
            "indicator_id": "Indikator-id",
            "indicator": "Indikator",
            "response": "Status",
        }
    ).drop(columns="score")
    table.to_csv(folder / "lika_alla.csv", sep=";", index=False, encoding="cp1252")
    instrument.to_csv(folder / "instrument.csv", sep=";", index=False, encoding="utf-8")
    return folder


def _pipeline(responses, instrument):
    out = []
    for date in ROUNDS:
        one = responses[responses["assessed_on"] == date]
        s = maturity.scores(one, weights=instrument, n_boot=N_BOOT, seed=0)
        out.append((s, maturity.gaps(s), maturity.development_areas(one, instrument=instrument)))
    return out


def ours_from_files(folder):
    responses = load.lika(folder / "lika_alla.csv", instrument=folder / "instrument.csv")
    return _pipeline(responses, load.lika_instrument(folder / "instrument.csv"))


def peer_from_files(folder):
    scores = {v: k for k, v in LEVELS.items()}
    raw = pd.read_csv(folder / "lika_alla.csv", sep=";", encoding="cp1252", dtype=str)
    responses = pd.DataFrame(
        {
            "municipality_code": raw["Kommunkod"],
            "assessed_on": pd.to_datetime(raw["Datum"]),
            "area": raw["Område"],
            "dimension": raw["Del"],
            "indicator_id": raw["Indikator-id"],
            "indicator": raw["Indikator"],
            "response": raw["Status"],
            "score": raw["Status"].map(scores).astype(float),
        }
    )
    instrument = pd.read_csv(folder / "instrument.csv", sep=";")
    return _pipeline(responses, instrument)


def _naive_group(group, weights, rng):
    scored = group[group["score"].notna()]
    s = scored["score"].to_numpy()
    w = scored["indicator_id"].map(weights).to_numpy()
    boot = []
    if len(s) >= 2:
        for _ in range(N_BOOT):
            pick = rng.integers(0, len(s), len(s))
            boot.append((s[pick] * w[pick]).sum() / w[pick].sum())
    low, high = np.quantile(boot, [0.025, 0.975]) if boot else (np.nan, np.nan)
    return pd.Series(
        {
            "score": np.average(s, weights=w) if len(s) else np.nan,
            "ci_low": low,
            "ci_high": high,
            "n_scored": len(s),
            "n_unscored": len(group) - len(s),
        }
    )


def _numpy_group(group, weights, rng):
    scored = group[group["score"].notna()]
    s = scored["score"].to_numpy()
    w = scored["indicator_id"].map(weights).to_numpy()
    low = high = np.nan
    if len(s) >= 2:
        pick = rng.integers(0, len(s), (N_BOOT, len(s)))
        boot = (s[pick] * w[pick]).sum(axis=1) / w[pick].sum(axis=1)
        low, high = np.quantile(boot, [0.025, 0.975])
    return pd.Series(
        {
            "score": np.average(s, weights=w) if len(s) else np.nan,
            "ci_low": low,
            "ci_high": high,
            "n_scored": len(s),
            "n_unscored": len(group) - len(s),
        }
    )


def _peer(per_group):
    def run(data):
        responses, instrument = data
        weights = instrument.set_index("indicator_id")["weight"]
        rng = np.random.default_rng(0)
        out = []
        for date in ROUNDS:
            one = responses[responses["assessed_on"] == date]
            out.append(
                one.groupby(["municipality_code", "dimension"])[["indicator_id", "score"]]
                .apply(per_group, weights, rng)
                .reset_index()
            )
        return out

    return run


CASES = [
    {
        "name": "load + scores+gaps+dev. areas, 87 000 answers",
        "setup": setup_files,
        "ours": ours_from_files,
        "peer_name": "pandas.read_csv + dict mapping, no checks, same pipeline",
        "peer": peer_from_files,
    },
    {
        "name": "scores+gaps+dev. areas, 3 x 29 000 answers",
        "setup": setup,
        "ours": ours,
        "peer_name": "groupby.apply, Python loop over replicates (scores only)",
        "peer": _peer(_naive_group),
        "warmup": False,  # the peer takes minutes; nothing here reads a file
    },
    {
        "name": "scores+gaps+dev. areas, 3 x 29 000 answers",
        "setup": setup,
        "ours": ours,
        "peer_name": "groupby.apply, numpy replicates per group (scores only)",
        "peer": _peer(_numpy_group),
        "warmup": False,
    },
]
