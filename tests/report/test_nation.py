"""``ehalsa report --county all``: the nation read once, each county drawn from its own inputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ehalsa_analys import cli, load
from ehalsa_analys.demo import lika as demo_lika
from ehalsa_analys.report import ReportError, nation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HEADER = "Kommun;Datum;Område;Del;Indikator-id;Status;Kommentar"


def _lika_csv(path: Path, rows) -> Path:
    """A combined LIKA file in the long format (one line per answer)."""
    lines = [HEADER] + [
        f"{r.municipality};{r.assessed_on};{r.area};{r.dimension};{r.indicator_id};"
        f"{r.status};{r.comment}"
        for r in rows.itertuples()
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _answers(code: str, name: str, like: str = "1880"):
    """The demo's drawn answers of municipality ``like``, both rounds, as ``code``/``name``."""
    answers = demo_lika.statuses(1)
    rows = answers[answers["municipality_code"] == like].copy()
    rows["municipality_code"], rows["municipality"] = code, name
    return rows


@pytest.fixture
def gotland(tmp_path) -> Path:
    """Two rounds of LIKA for Gotland (09), the one county of a single municipality."""
    data = tmp_path / "data" / "raw"
    (data / "lika").mkdir(parents=True)
    shutil.copy(load.lika_instrument().attrs["file"], data / "lika" / "instrument.csv")
    _lika_csv(data / "lika" / "gotland.csv", _answers("0980", "Gotland"))
    return data


def test_county_inputs__each_county_links_only_its_own_lika_files(gotland, tmp_path):
    lika = gotland / "lika"
    _lika_csv(lika / "2022" / "laxa.csv", _answers("1860", "Laxå", like="1860"))
    first = pd.concat([_answers("0980", "Gotland")[:5], _answers("1860", "Laxå", like="1860")[:5]])
    _lika_csv(lika / "2016" / "blandat.csv", first.assign(assessed_on="2016-04-01"))
    _lika_csv(lika / "tom.csv", first.iloc[:0])  # a header without rows: nobody's
    (gotland / "monitoring").mkdir()
    shutil.copy(FIXTURES / "monitoring" / "long.csv", gotland / "monitoring" / "uppfoljning.csv")
    (gotland / "LÄS_MIG.txt").write_text("anteckning\n", encoding="utf-8")
    lines = []
    folders = nation.county_inputs(
        gotland, ["01", "09", "18"], tmp_path / "per_county", echo=lines.append
    )
    listed = {
        code: sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        for code, folder in folders.items()
    }
    assert listed["09"] == [
        "LÄS_MIG.txt",
        "lika/2016/blandat.csv",
        "lika/gotland.csv",
        "lika/instrument.csv",
        "lika/tom.csv",
    ]
    assert listed["18"] == [
        "LÄS_MIG.txt",
        "lika/2016/blandat.csv",
        "lika/2022/laxa.csv",
        "lika/instrument.csv",
        "lika/tom.csv",
        "monitoring/uppfoljning.csv",
    ]
    assert listed["01"] == ["LÄS_MIG.txt"]  # no rows in any source: no source folder
    link = folders["09"] / "lika" / "gotland.csv"
    assert link.resolve() == (lika / "gotland.csv").resolve()
    assert lines[0].startswith("läste lika för hela riket på ")
    assert lines[0].endswith(": data för 2 av 3 län")
    assert lines[1].startswith("läste monitoring ") and lines[1].endswith(": data för 1 av 3 län")
    # A county's kernel reads its own files (a shared one whole: the notebooks keep the county).
    read = load.lika(folders["09"] / "lika")
    assert read.groupby("municipality_code").size().to_dict() == {"0980": 2 * 48 + 5, "1860": 5}


def test_report_all__gotland_and_every_county_from_one_reading(gotland, tmp_path, capfd):
    # Karlshamn alone for Blekinge län: two counties, so two worker processes.
    _lika_csv(gotland / "lika" / "karlshamn.csv", _answers("1082", "Karlshamn"))
    root = tmp_path
    status = cli.main(
        ["report", "--county", "all", "--data", str(gotland), "--root", str(root), "--jobs", "2"]
    )
    out, err = capfd.readouterr()
    assert status == 0, err
    lines = out.splitlines()
    # Gotland (one municipality) gets its LIKA part: one peer group, no error.
    html = (root / "reports" / "09" / "latest" / "report.html").read_text(encoding="utf-8")
    assert "Digital mognad (LIKA)" in html
    executed = (root / "reports" / "09" / "latest" / "01_lika_mognad.ipynb").read_text("utf-8")
    assert "En grupp: för få kommuner för att dela in i grupper." in executed
    # The manifest names the original files, not the links of data/processed/nation.
    manifest = json.loads((root / "figures" / "09" / "latest" / "manifest.json").read_text())
    assert list(manifest["inputs"]) == ["data/raw/lika/gotland.csv", "data/raw/lika/instrument.csv"]
    assert manifest["parameters"]["parts_skipped"]["survey"] == (
        f"inga rader för länet i {gotland / 'socialstyrelsen'}"
    )
    # Counties without any data are named and left out; the two with data are drawn.
    assert sorted(p.name for p in (root / "reports").iterdir()) == ["09", "10"]
    assert any(line == "hoppar över Stockholms län (01): inga data för länet" for line in lines)
    # Per-part time and peak memory at the end; no kernel chatter, no doubled full stops.
    summary = lines[lines.index(next(x for x in lines if x.startswith("Klart: 21 län"))) :]
    assert any(x.split()[:4] == ["Digital", "mognad", "(LIKA)", "2"] for x in summary), summary
    assert any(x.split()[:2] == ["Effektuppföljning", "0"] for x in summary), summary
    assert summary[-1].strip().startswith("Toppminne:") and "största arbetsprocessen" in summary[-1]
    assert len([x for x in lines if x.startswith("[10] ")]) > 5  # a worker's lines come through
    assert "IPKernelApp" not in out + err and "without encryption" not in out + err
    assert not [x for x in lines if x.rstrip().endswith("..")]


def test_report_all__bad_jobs_refused_before_anything_runs(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.main(["report", "--county", "all", "--jobs", "0", "--root", str(tmp_path)])
    assert "at least 1" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()


def test_report_all__a_failing_county_is_named_others_finish(gotland, tmp_path, monkeypatch):
    _lika_csv(gotland / "lika" / "laxa.csv", _answers("1860", "Laxå", like="1860"))
    drawn = []

    def fake_run(*, county_code, data_dir, no_data, **_kwargs):
        drawn.append((county_code, sorted(no_data)))
        if county_code == "09":
            raise ReportError("Notebook 01_lika_mognad.ipynb failed in cell 3: ValueError: x.")
        return {"html": data_dir / "report.html"}

    monkeypatch.setattr(nation, "run", fake_run)
    lines = []
    with pytest.raises(ReportError) as caught:
        nation.run_all(root=tmp_path, data_dir=gotland, jobs=1, echo=lines.append)
    assert sorted(drawn) == [
        ("09", ["access", "monitoring", "survey"]),
        ("18", ["access", "monitoring", "survey"]),
    ]
    message = str(caught.value)
    assert message.startswith(
        "The reports of 1 of 21 counties failed (09); the first, 09: Notebook "
        "01_lika_mognad.ipynb failed in cell 3: ValueError: x."
    )
    assert ".." not in message and "ehalsa report --county 09" in message
    assert sum(line.startswith("hoppar över ") for line in lines) == 19
    assert lines[-1].strip().startswith("Toppminne:")


def test_county_inputs__a_source_it_cannot_read_goes_whole_to_every_county(
    gotland, tmp_path, monkeypatch
):
    monkeypatch.setattr(nation, "_read_source", lambda _name, _folder: None)
    folders = nation.county_inputs(gotland, ["01", "09"], tmp_path / "per_county")
    for code in ("01", "09"):
        listed = sorted(p.name for p in (folders[code] / "lika").iterdir())
        assert listed == ["gotland.csv", "instrument.csv"]


def test_summary__swedish_and_english_columns_line_up():
    from ehalsa_analys.report import nation

    meter = nation._Meter()
    meter.seconds = {"lika": [10.25, 20.5], nation.REPORT_STEP: [3.0]}
    meter.peak_part = {"lika": 300 * 2**20, nation.WORKER: 500 * 2**20}
    meter.peak_main, meter.peak_total = 200 * 2**20, 900 * 2**20
    sv = nation._summary(meter, 12.0, 100 * 2**20, 21, 100.0, 180.5, 2, "sv")
    en = nation._summary(meter, 12.0, 100 * 2**20, 21, 100.0, 180.5, 2, "en")
    assert sv[0] == "Klart: 21 län på 100,0 s (2 åt gången), CPU-tid 180,5 s."
    assert en[0] == "Done: 21 counties in 100.0 s (2 at a time), CPU time 180.5 s."
    assert en[-1].startswith("  Peak memory: 900 MB") and "500 MB in the largest worker" in en[-1]
    for lines, total, longest, values in (
        (sv, "tid sammanlagt", "längst", ("30,8 s", "20,5 s")),
        (en, "time in all", "longest", ("30.8 s", "20.5 s")),
    ):
        header, row = lines[1], lines[3]  # row: Digital mognad (LIKA) / Digital maturity (LIKA)
        assert row.split()[3] == "2" and row.endswith(" 300 MB")
        # each time ends where its heading ends
        assert header.index(total) + len(total) == row.index(values[0]) + len(values[0])
        assert header.index(longest) + len(longest) == row.index(values[1]) + len(values[1])
