"""access.choose_sites (spopt MCLP and p-median): solved by hand, and against brute force."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import access
from ehalsa_analys.errors import SchemaError


def _case(cost_matrix, weights, bound=None):
    """demand, candidates, long costs (pairs within ``bound`` only) from a dense matrix."""
    n, m = cost_matrix.shape
    demand = pd.DataFrame({"cell_id": [f"c{i}" for i in range(n)],
                           "population": np.asarray(weights, float)})
    sites = pd.DataFrame({"service_id": [f"s{j}" for j in range(m)],
                          "kind": ["bibliotek", "kommunhus", "by"] * (m // 3) + ["by"] * (m % 3)})
    i, j = np.nonzero(cost_matrix <= (np.inf if bound is None else bound))
    costs = pd.DataFrame({"origin": demand["cell_id"].to_numpy()[i],
                          "dest": sites["service_id"].to_numpy()[j],
                          "cost_s": cost_matrix[i, j].astype(float)})
    return demand, sites, costs


def test_mclp_solved_by_hand():
    # Clients a..d (10, 20, 30, 5); X covers a, b; Y covers d; Z covers b, c (within 600 s).
    cost = np.array([[300, 9e3, 9e3], [300, 9e3, 300], [9e3, 9e3, 300], [9e3, 300, 9e3]])
    demand, sites, costs = _case(cost, [10, 20, 30, 5])
    choice = access.choose_sites(demand, sites, costs, k=[1, 2, 3], max_cost_s=600)
    assert choice.curve["covered"].tolist() == [50.0, 60.0, 65.0]
    assert choice.curve["sites"].tolist() == ["s2", "s0;s2", "s0;s1;s2"]
    assert choice.curve["added"].tolist() == [50.0, 10.0, 5.0]
    assert choice.nested and choice.base == 0 and choice.total == 65
    assert choice.chosen.loc[choice.chosen["k"] == 1, ["site_id", "kind"]].values.tolist() == [
        ["s2", "by"]]


def test_mclp_existing_services_cover_first():
    cost = np.array([[300, 9e3, 9e3], [300, 9e3, 300], [9e3, 9e3, 300], [9e3, 300, 9e3]])
    demand, sites, costs = _case(cost, [10, 20, 30, 5])
    # A real service already within 600 s of c (30 people): now X covers most that is left.
    existing = pd.DataFrame({"cell_id": ["c0", "c1", "c2", "c3"],
                             "distance": [5e3, 5e3, 100.0, 5e3]})
    choice = access.choose_sites(demand, sites, costs, k=1, max_cost_s=600, existing=existing)
    assert choice.base == 30 and choice.curve["covered"].item() == 60.0
    assert choice.curve["sites"].item() == "s0"


def test_pmedian_solved_by_hand():
    # Clients on a line at 0, 1, 2, 10 km; candidates at 0, 2, 10 km; cost = |x - c| (as s).
    x, c = np.array([0, 1, 2, 10.0]), np.array([0, 2, 10.0])
    demand, sites, costs = _case(np.abs(x[:, None] - c[None, :]), [1, 1, 1, 1])
    choice = access.choose_sites(demand, sites, costs, k=[1, 2], model="pmedian")
    assert choice.curve["sites"].iloc[0] == "s1"  # 2 + 1 + 0 + 8 = 11, the least
    assert choice.curve["mean_cost"].tolist() == pytest.approx([11 / 4, 3 / 4])


def _brute_cover(cover, w, k, covered_before):
    best = 0.0
    for combo in combinations(range(cover.shape[1]), k):
        reach = covered_before | cover[:, list(combo)].any(axis=1)
        best = max(best, float(w[reach].sum()))
    return best


def _brute_median(cost, w, k, near):
    best = np.inf
    for combo in combinations(range(cost.shape[1]), k):
        reach = np.minimum(cost[:, list(combo)].min(axis=1), near)
        best = min(best, float((w * reach).sum()))
    return best


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mclp_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    demand_xy, site_xy = rng.uniform(0, 20, (25, 2)), rng.uniform(0, 20, (8, 2))
    cost = np.hypot(*(demand_xy[:, None, :] - site_xy[None, :, :]).transpose(2, 0, 1)) * 60
    w = rng.integers(0, 50, 25).astype(float)
    near = np.where(rng.random(25) < 0.2, 100.0, np.inf)
    demand, sites, costs = _case(cost, w, bound=2000)
    existing = pd.DataFrame({"cell_id": demand["cell_id"], "distance": near})
    choice = access.choose_sites(demand, sites, costs, k=range(1, 5), max_cost_s=360,
                                 existing=existing)
    for kk, got in zip(range(1, 5), choice.curve["covered"], strict=True):
        assert got == pytest.approx(_brute_cover(cost <= 360, w, kk, near <= 360))
    # the chosen sites really reach what the curve says
    for kk, names in zip(range(1, 5), choice.curve["sites"], strict=True):
        chosen = [int(s[1:]) for s in names.split(";")]
        reach = (near <= 360) | (cost[:, chosen] <= 360).any(axis=1)
        assert float(w[reach].sum()) == pytest.approx(choice.curve["covered"].iloc[kk - 1])


@pytest.mark.parametrize("seed", [4, 5])
def test_pmedian_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    demand_xy, site_xy = rng.uniform(0, 20, (15, 2)), rng.uniform(0, 20, (7, 2))
    cost = np.hypot(*(demand_xy[:, None, :] - site_xy[None, :, :]).transpose(2, 0, 1)) * 60
    w = rng.integers(1, 30, 15).astype(float)
    near = np.where(rng.random(15) < 0.3, 200.0, np.inf)
    demand, sites, costs = _case(cost, w)
    existing = pd.DataFrame({"cell_id": demand["cell_id"], "distance": near})
    choice = access.choose_sites(demand, sites, costs, k=[1, 2, 3], model="pmedian",
                                 existing=existing)
    for kk, got in zip([1, 2, 3], choice.curve["mean_cost"], strict=True):
        assert got * w.sum() == pytest.approx(_brute_median(cost, w, kk, near))


def test_weight_70plus_changes_the_choice():
    cost = np.array([[300, 9e3], [9e3, 300]])
    demand, sites, costs = _case(cost, [100, 10])
    demand["population_70plus"] = [5.0, 9.0]
    all_people = access.choose_sites(demand, sites, costs, k=1, max_cost_s=600)
    old = access.choose_sites(demand, sites, costs, k=1, max_cost_s=600,
                              weight="population_70plus")
    assert (all_people.curve["sites"].item(), old.curve["sites"].item()) == ("s0", "s1")


def test_more_sites_than_useful_candidates():
    cost = np.array([[300, 9e3, 9e3]])
    demand, sites, costs = _case(cost, [7])
    choice = access.choose_sites(demand, sites, costs, k=[1, 3], max_cost_s=600, )
    assert choice.curve["covered"].tolist() == [7.0, 7.0]
    assert len(choice.curve["sites"].iloc[1].split(";")) == 3


def test_errors():
    demand, sites, costs = _case(np.array([[300.0]]), [1])
    with pytest.raises(ValueError, match="max_cost_s"):
        access.choose_sites(demand, sites, costs)
    with pytest.raises(ValueError, match="pass max_cost_s"):
        access.choose_sites(demand, sites, costs, max_cost_m=600)
    with pytest.raises(ValueError, match="model"):
        access.choose_sites(demand, sites, costs, max_cost_s=600, model="greedy")
    bad = costs.assign(dest="nowhere")
    with pytest.raises(SchemaError, match="'nowhere'"):
        access.choose_sites(demand, sites, bad, max_cost_s=600)
    with pytest.raises(ValueError, match="k"):
        access.choose_sites(demand, sites, costs, max_cost_s=600, k=0)
