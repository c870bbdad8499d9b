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
