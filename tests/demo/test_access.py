"""The distance demo: deterministic, inside the counties, with an unreachable island."""

from __future__ import annotations

import numpy as np

from ehalsa_analys import access, load, reference
from ehalsa_analys.demo import access as demo_access


def test_distance_demo_is_deterministic_and_synthetic(tmp_path):
    first = demo_access.write(tmp_path / "a", seed=4)
    second = demo_access.write(tmp_path / "b", seed=4)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert "SYNTETISKA DEMODATA" in first[0].read_text(encoding="utf-8")
    assert "SYNTETISKA DEMODATA" in first[1].read_bytes().decode("cp1252").splitlines()[0]


def test_distance_demo_shape(tmp_path):
    paths = demo_access.write(tmp_path, seed=20261123)
    cells = load.population(paths[1])
    assert set(cells["municipality_code"].str[:2]) == set(demo_access.COUNTIES)
    people = reference.population().set_index("municipality_code")["population"]
    total = cells.groupby("municipality_code")["population"].sum()
    assert np.allclose(total / people.reindex(total.index), 1, atol=0.05)
    services = load.services(paths[2])
    assert {"dagligvaror", "apotek", "vårdcentral", "hemtjänst"} <= set(services["kind"])
    assert services.loc[services["kind"] == "hemtjänst", "capacity"].gt(0).all()
    graph = load.roads(paths[3])
    grocery = access.nearest(cells, services, kind="dagligvaror", method="network", network=graph)
    island = grocery["distance"].isna()
    assert island.any() and grocery.attrs["unreachable"]["dagligvaror"] == island.sum()
    assert set(grocery.loc[island, "municipality_code"]) == {demo_access.ISLAND_MUNICIPALITY}
    pipos = load.pipos(paths[4])
    assert set(pipos["kind"]) == {"dagligvaror"} and pipos["unit"].eq("min").all()


def test_national_scale_shape():
    cells, services, graph = demo_access.national(cells=5_000, services=100, side=100)
    assert len(cells) == 5_000 and services["kind"].nunique() == 5
    assert graph.n_nodes == 10_000 and graph.time is not None
