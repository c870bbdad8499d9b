import pytest

from ehalsa_analys import demo


def test_demo__byte_identical_for_the_same_seed(tmp_path):
    first = demo.write_demo(tmp_path / "a")
    second = demo.write_demo(tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    other = demo.write_demo(tmp_path / "c", seed=1)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in first]


def test_demo__parts_checked(tmp_path):
    written = demo.write_demo(tmp_path, parts=[])
    assert [p.name for p in written] == ["LÄS_MIG.txt"]
    with pytest.raises(ValueError, match="`parts` must be one of"):
        demo.write_demo(tmp_path, parts=["lkia"])


def test_has_user_data(tmp_path):
    assert not demo.has_user_data(tmp_path)
    demo.ensure_demo(tmp_path)
    assert (tmp_path / "data" / "raw" / "demo" / "LÄS_MIG.txt").exists()
    assert not demo.has_user_data(tmp_path)
    (tmp_path / "data" / "raw" / ".gitkeep").touch()
    assert not demo.has_user_data(tmp_path)
    (tmp_path / "data" / "raw" / "lika").mkdir()
    (tmp_path / "data" / "raw" / "lika" / "1880.xlsx").write_bytes(b"x")
    assert demo.has_user_data(tmp_path)
    assert demo.ensure_demo(tmp_path) is None


def test_demo__stale_or_other_seed_parts_are_written_anew(tmp_path):
    folder = demo.path("monitoring", tmp_path)
    stamp = folder / ".demo"
    assert demo.is_current(folder.parent, "monitoring")
    first = sorted(p.name for p in folder.iterdir())
    (folder / "left_over_from_an_old_version.csv").write_text("x")
    assert demo.path("monitoring", tmp_path) == folder  # current: kept as it is
    assert (folder / "left_over_from_an_old_version.csv").exists()
    stamp.write_text(stamp.read_text().replace("revision=", "revision=0"))
    demo.path("monitoring", tmp_path)  # an older revision: emptied and written anew
    assert sorted(p.name for p in folder.iterdir()) == first
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix == ".csv"}
    demo.path("monitoring", tmp_path, seed=7)
    assert demo.is_current(folder.parent, "monitoring", seed=7)
    assert not demo.is_current(folder.parent, "monitoring")
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix == ".csv"}
    assert after.keys() == before.keys() and after != before
