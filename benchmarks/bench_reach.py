"""Digital reach, service points and closures (issue 17) on synthetic national and county data.

Data: ``ehalsa_analys.demo.access.national`` (seed 2024: 600 000 cells of
Sweden's 250 m grid's size, 6 000 services, a 1.1 M-node road graph) and a
"county" cut from it: the cells, services and roads in a 150 × 150 km box
(about 9 000 cells, 70 services and 27 000 road nodes, the size of a
Norrland county's 250 m squares in 1 km form), with 500 typed candidate
sites drawn among its cells.

Cases (ours against the plain way, same process, best of ``repeat``):

- Four classes for the national grid after the distances (issue: under
  2 s): ``access.digital_reach`` on the road times to one kind with the
  municipal broadband shares as probabilities, 3 thresholds (1.8 M rows),
  then ``access.reach_counts`` per municipality (all and 70+), against a
  pandas merge of the shares, ``numpy.select`` per threshold and a groupby.
- MCLP with 500 candidates, k = 1…10, one county (issue: under 30 s):
  ``access.choose_sites`` (spopt's MCLP after exact reductions, built once
  and re-solved per k) against spopt's MCLP as its documentation builds it
  (``MCLP.from_cost_matrix`` on the dense squares × candidates matrix, one
  model per k), timed for k = 1 only (one model of the ten).
- Closure impact for one service on the county (issue: under 1 s):
  ``access.closure_impact`` with the nearest table already computed,
  against recomputing both nearest tables and a pandas groupby.

CBC runs as a subprocess: the notes give each case's wall time and its CPU
time, our process and its children (the solver) separately; the machine is
shared, so CPU time is the steadier figure.
"""

from __future__ import annotations

import functools
import resource
import time

import geopandas as gpd
import numpy as np
import pandas as pd

from ehalsa_analys import access
from ehalsa_analys.demo.access import national
from ehalsa_analys.load import RoadGraph

BOX = (500_000.0, 6_800_000.0, 150_000.0)  # x0, y0, side (m)
KIND = "vårdcentral"


@functools.cache
def _national():
    return national(2024, side=1_050)


def _inside(x, y, margin=0.0):
    x0, y0, side = BOX
    return (x >= x0 - margin) & (x < x0 + side + margin) & (y >= y0 - margin) & (
        y < y0 + side + margin)


@functools.cache
def _county():
    cells, services, graph = _national()
    ids = np.flatnonzero(_inside(graph.x, graph.y, 5_000))
    roads = RoadGraph(x=graph.x[ids], y=graph.y[ids], length=graph.length.tocsr()[ids][:, ids],
                      time=graph.time.tocsr()[ids][:, ids])
    c = cells[_inside(cells.geometry.x.to_numpy(), cells.geometry.y.to_numpy())]
    s = services[_inside(services.geometry.x.to_numpy(), services.geometry.y.to_numpy())]
    c, s = c.reset_index(drop=True), s.reset_index(drop=True)
    rng = np.random.default_rng(17)
    pick = rng.choice(len(c), 500, replace=False)
    candidates = gpd.GeoDataFrame(
        {"service_id": [f"kandidat {i}" for i in range(500)],
         "kind": rng.choice(["bibliotek", "kommunhus", "by"], 500, p=[0.2, 0.1, 0.7])},
        geometry=c.geometry.iloc[pick].to_numpy(), crs=3006)
    return c, s, roads, candidates


def _shares(codes) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    codes = sorted(set(codes))
    return pd.DataFrame({"municipality_code": codes, "year": 2024, "subject": "households",
                         "speed_mbit": 100, "share": rng.uniform(0.8, 1.0, len(codes))})


@functools.cache
def _reach_setup():
    cells, services, graph = _national()
    distances = access.nearest(cells, services, kind=KIND, method="network", network=graph,
                               weight="time")
    return distances, _shares(cells["municipality_code"])


def reach(data):
    distances, shares = data
    return access.reach_counts(access.digital_reach(distances, broadband=shares))


def reach_pandas(data):
    distances, shares = data
    merged = distances.merge(shares[["municipality_code", "share"]], on="municipality_code",
                             how="left")
    p = merged["share"].to_numpy()
    people = merged["population"].to_numpy()
    frames = []
    for t in (5.0, 10.0, 30.0):
        far = ~(merged["distance"].to_numpy() / 60 < t)
        frames.append(merged.assign(
            threshold=t,
            reach=np.select([~far, np.isnan(p), p >= 0.5],
                            ["near", "unknown", "far_connected"], "far_unconnected"),
            near=people * ~far, far_connected=people * far * np.nan_to_num(p),
            far_unconnected=people * far * np.where(np.isnan(p), 0, 1 - p),
            unknown=people * far * np.isnan(p)))
    classes = ["near", "far_connected", "far_unconnected", "unknown"]
    return pd.concat(frames, ignore_index=True).groupby(["municipality_code", "threshold"])[
        classes].sum()


@functools.cache
def _sites_setup():
    cells, services, roads, candidates = _county()
    costs = access.site_costs(cells, candidates, within_min=30, method="network", network=roads,
                              weight="time")
    existing = access.nearest(cells, services, kind=KIND, method="network", network=roads,
                              weight="time")
    return cells, candidates, costs, existing


def sites(data):
    cells, candidates, costs, existing = data
    return access.choose_sites(cells, candidates, costs, k=range(1, 11), existing=existing)


def spopt_dense_k1(data):
    """spopt's MCLP as documented: the dense matrix, the existing service as a predefined site."""
    import pulp
    from spopt.locate import MCLP

    cells, candidates, costs, existing = data
    rows = pd.Index(cells["cell_id"]).get_indexer(costs["origin"])
    cols = pd.Index(candidates["service_id"]).get_indexer(costs["dest"])
    matrix = np.full((len(cells), len(candidates) + 1), np.inf)
    matrix[rows, cols] = costs["cost_s"].to_numpy()
    matrix[:, -1] = existing["distance"].to_numpy()  # the real services as one site
    predefined = np.r_[np.zeros(len(candidates)), 1].astype(int)
    model = MCLP.from_cost_matrix(matrix, cells["population"].to_numpy(), service_radius=1800,
                                  p_facilities=2, predefined_facilities_arr=predefined)
    return model.solve(pulp.PULP_CBC_CMD(msg=False, threads=1), results=False)


@functools.cache
def _closure_setup():
    cells, services, roads, _ = _county()
    before = access.nearest(cells, services, kind=KIND, method="network", network=roads,
                            weight="time")
    closed = access.served_by(before, kind=KIND, order="remote")["service_id"].iloc[0]
    return cells, services, roads, before, closed


def closure(data):
    cells, services, roads, before, closed = data
    return access.closure_impact(cells, services, closed=closed, before=before,
                                 method="network", network=roads, weight="time")


def closure_plain(data):
    cells, services, roads, _, closed = data
    kind = services[services["kind"] == KIND]
    a = access.nearest(cells, kind, method="network", network=roads, weight="time")
    b = access.nearest(cells, kind[kind["service_id"] != closed], method="network",
                       network=roads, weight="time")
    frame = pd.DataFrame({"m": cells["municipality_code"], "p": cells["population"],
                          "a": a["distance"] / 60, "b": b["distance"] / 60})
    out = {}
    for t in (5, 10, 30):
        out[t] = frame.assign(x=frame["p"] * ~(frame["b"] < t) - frame["p"] * ~(frame["a"] < t)
                              ).groupby("m")["x"].sum()
    return out


def _timed(fn, data) -> str:
    start, cpu = time.perf_counter(), time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    fn(data)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    return (f"one run: {time.perf_counter() - start:.2f} s wall, "
            f"{time.process_time() - cpu:.2f} s CPU here, {child:.2f} s CPU in the solver")


def reach_note(data):
    distances, _ = data
    return f"{len(distances):,} cells x 3 thresholds; " + _timed(reach, data)


def sites_note(data):
    cells, candidates, costs, _ = data
    choice = sites(data)
    return (f"{len(cells):,} cells, {len(candidates)} candidates, {len(costs):,} pairs within "
            f"30 min; nested: {choice.nested}; " + _timed(sites, data)
            + "; the peer builds 1 of the 10 models")


def closure_note(data):
    return f"{len(data[0]):,} cells; " + _timed(closure, data)


CASES = [
    {"name": "four classes, national grid, 3 thresholds", "setup": _reach_setup,
     "ours": reach, "peer_name": "pandas merge + numpy.select", "peer": reach_pandas,
     "note": reach_note},
    {"name": "MCLP 500 candidates, k=1..10, county", "setup": _sites_setup, "ours": sites,
     "peer_name": "spopt dense MCLP, k=1 only", "peer": spopt_dense_k1, "repeat": 1,
     "note": sites_note},
    {"name": "closure impact, one service, county", "setup": _closure_setup, "ours": closure,
     "peer_name": "two nearest + pandas groupby", "peer": closure_plain, "note": closure_note},
]
