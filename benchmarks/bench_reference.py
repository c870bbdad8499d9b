"""Municipality resolution: one million mixed codes and names (Excel-stripped
codes, floats, names with "kommun", no diacritics, historical codes).

Peer: the naive way, resolving each value on its own (``Series.map`` over the
same per-value resolver), which is what a loop in a notebook would do.
The issue asks for well under 2 s for ours.
"""

import numpy as np
import pandas as pd

from ehalsa_analys import reference

MIXED = np.array(
    [
        "0180",
        "180",
        180,
        180.0,
        "Stockholm",
        "stockholms kommun",
        "Örebro kommun",
        "Lindesbergs kommun",
        "Region Gotland",
        "Orebro",
        "Malung Sälen",
        "Upplands Bro",
        " 1980 ",
        1917,
        "Falu kommun",
        None,
    ],
    dtype=object,
)


def setup():
    reference.resolve_municipality("0180")  # build the index once, as in a session
    names = reference.municipalities()["municipality"].to_numpy(dtype=object)
    pool = np.concatenate([MIXED, names, names + " kommun"])
    return pd.Series(np.random.default_rng(1).choice(pool, 1_000_000))


def naive(values):
    index = reference._index()
    return values.map(lambda v: None if reference._is_missing(v) else index.resolve(v))


CASES = [
    {
        "name": "resolve_municipality, 1e6 mixed values",
        "setup": setup,
        "ours": reference.resolve_municipality,
        "peer_name": "per-value Series.map (naive)",
        "peer": naive,
    },
]
