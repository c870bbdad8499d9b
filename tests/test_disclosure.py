"""Small-count suppression: primary and secondary, hand-checked."""

import numpy as np
import pandas as pd
import pytest

from ehalsa_analys.disclosure import suppress


def _grid():
    # municipality x quarter, with totals published per quarter and per municipality
    return pd.DataFrame(
        {
            "kommun": ["A", "A", "B", "B", "C", "C"],
            "kvartal": ["K1", "K2"] * 3,
            "antal": [3.0, 10, 12, 8, 40, 20],
            "andel": [0.5, 1.0, 2.0, 1.5, 4.0, 2.0],
        }
    )


def test_primary_only_without_totals():
    out = suppress(_grid(), counts=["antal"], mask_with=["andel"])
    assert out["suppression"].tolist() == ["primary", "", "", "", "", ""]
    assert np.isnan(out.loc[0, "antal"]) and np.isnan(out.loc[0, "andel"])
    assert out["status"].tolist()[:2] == ["suppressed", ""]


def test_secondary_across_two_groupings_until_stable():
    out = suppress(_grid(), counts=["antal"], groups=[["kvartal"], ["kommun"]])
    assert out["suppression"].tolist() == [
        "primary",  # A K1 = 3
        "secondary",  # A K2: else A's total reveals A K1
        "secondary",  # B K1 = 12: the smallest other count of K1
        "secondary",  # B K2: else B's total reveals B K1
        "",
        "",
    ]
    assert out["antal"].isna().sum() == 4 and out["antal"].tolist()[4:] == [40, 20]


def test_zero_is_not_suppressed_and_limit_is_a_parameter():
    t = pd.DataFrame({"n": [0.0, 4, 5, np.nan]})
    assert suppress(t, counts=["n"])["suppression"].tolist() == ["", "primary", "", ""]
    assert suppress(t, counts=["n"], limit=6)["suppression"].tolist() == [
        "",
        "primary",
        "primary",
        "",
    ]
    with pytest.raises(ValueError, match="`limit` must be at least 1"):
        suppress(t, counts=["n"], limit=0)


def test_no_candidate_left_for_secondary():
    t = pd.DataFrame({"g": ["x", "x"], "n": [2.0, np.nan]})
    out = suppress(t, counts=["n"], groups=[["g"]])
    assert out["suppression"].tolist() == ["primary", ""]
