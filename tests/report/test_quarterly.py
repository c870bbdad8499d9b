"""`ehalsa monitor` end to end on the demo: append, rerun, refuse, replace, next quarter."""

from __future__ import annotations

import pandas as pd
import pytest

from ehalsa_analys import cli
from ehalsa_analys import history as hist
from ehalsa_analys.demo import monitoring as demo_monitoring
from ehalsa_analys.errors import EhalsaError


def test_monitor_command_quarterly_cycle(tmp_path, capsys):
    demo_monitoring.write(tmp_path / "in", seed=20261123)
    folder = tmp_path / "in" / "monitoring"
    root = ["--root", str(tmp_path)]

    assert cli.main(["monitor", "--input", str(folder), *root]) == 0
    out = capsys.readouterr().out
    assert "380 nya rader" in out and "Kvartal 2026 K3." in out
    figures = tmp_path / "figures" / "18" / "2026Q3"
    assert (figures / "monitor_digital_besok_andel.png").is_file()
    assert not list(figures.glob("*.svg"))  # SVG only on request (--svg)
    assert (
        (figures / "sammanfattning.txt").read_text(encoding="utf-8").startswith("Kvartal 2026 K3.")
    )
    table = pd.read_csv(figures / "monitor_kvartal.csv", sep=";", decimal=",", encoding="utf-8-sig")
    small = table[table["Mått-id"] == "lakemedel_avvikelser"]
    assert small["Värde"].isna().any()  # small counts masked in the report table
    # shares in percent, rounded, as the figures and "Senaste värde" show them (were 0–1 and
    # unrounded: 0.018117765475591345)
    shares = table.loc[table["Mått-id"] == "digital_besok_andel", "Värde"].dropna()
    assert len(shares) and (shares > 1).all() and (shares.round(1) == shares).all()
    assert (figures / "manifest.json").is_file()
    history = tmp_path / "data" / "processed" / "monitoring" / "history.parquet"
    before = history.read_bytes()

    # Rerunning the same quarter with the same data changes nothing.
    assert cli.main(["monitor", "--input", str(folder), *root]) == 0
    assert "0 nya rader, 380 oförändrade" in capsys.readouterr().out
    assert history.read_bytes() == before

    # Changed data for a stored quarter: refused, with the difference shown.
    changed = tmp_path / "changed.csv"
    changed.write_text(
        "Kommun;Kvartal;Mått;Värde\nÖrebro;2026 K3;nattillsyn_brukare;999\n", encoding="utf-8"
    )
    assert cli.main(["monitor", "--input", str(changed), *root]) == 2
    err = capsys.readouterr().err
    assert "1880 2026Q3 nattillsyn_brukare: value" in err and "-> 999.0" in err
    assert history.read_bytes() == before

    # --replace overwrites and keeps the old row in the audit file.
    assert cli.main(["monitor", "--input", str(changed), "--replace", *root]) == 0
    assert "1 ersatta" in capsys.readouterr().out
    audit = pd.read_parquet(history.parent / "audit.parquet")
    assert audit["metric_id"].tolist() == ["nattillsyn_brukare"]
    assert hist.read_history(tmp_path / "data" / "processed")["value"].max() == 999

    # The next quarter is added.
    assert cli.main(["monitor", "--input", str(folder / "nasta_kvartal"), *root]) == 0
    assert "Kvartal 2026 K4." in capsys.readouterr().out
    assert (tmp_path / "figures" / "18" / "2026Q4" / "monitor_kvartal.xlsx").is_file()


def test_monitor_checks_quarter_and_county_before_writing(tmp_path, capsys):
    demo_monitoring.write(tmp_path / "in", seed=20261123)
    folder = tmp_path / "in" / "monitoring"
    root = ["--root", str(tmp_path)]
    for bad in (["--quarter", "2026Q5"], ["--county", "Atlantis"], ["--county", "../.."]):
        assert cli.main(["monitor", "--input", str(folder), *bad, *root]) == 2
        err = capsys.readouterr().err
        assert ("--quarter" in err) or ("--county" in err), err
        assert not (tmp_path / "data" / "processed").exists()  # nothing written
        assert not (tmp_path / "figures").exists()
    assert cli.main(["monitor", "--input", str(folder), "--quarter", "2026 kv 2", *root]) == 0
    assert (tmp_path / "figures" / "18" / "2026Q2" / "monitor_kvartal.csv").is_file()


def test_monitor_uses_the_projects_own_catalogue_and_keeps_paths_inside(tmp_path, capsys):
    own = tmp_path / "data" / "raw" / "monitoring"
    own.mkdir(parents=True)
    (own / "metrics.csv").write_text(
        "metric_id;title_sv;unit;kind;higher_is_better;target;baseline_end\n"
        "../../utanfor;Eget mått;antal;count;true;;2025Q2\n",
        encoding="utf-8",
    )
    data = tmp_path / "in.csv"
    rows = [f"Örebro;2025 K{q};../../utanfor;{10 + q}" for q in (1, 2, 3, 4)]
    data.write_text("Kommun;Kvartal;Mått;Värde\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert cli.main(["monitor", "--input", str(data), "--root", str(tmp_path)]) == 0, (
        capsys.readouterr().err
    )
    out = tmp_path / "figures" / "18" / "2025Q4"
    assert (out / "monitor_utanfor.png").is_file()
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert "data/raw/monitoring/metrics.csv" in manifest  # the project's catalogue was read
    written = {p.resolve() for p in tmp_path.rglob("*") if p.is_file()}
    assert all(tmp_path.resolve() in p.parents for p in written)


def test_a_future_quarter_never_enters_the_history(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: 2026Q1 is "now"
    data = tmp_path / "in.csv"
    data.write_text(
        "Kommun;Kvartal;Mått;Värde\nÖrebro;2025 K4;nattillsyn_brukare;40\n"
        "Örebro;2062 K1;nattillsyn_brukare;41\n",
        encoding="utf-8",
    )
    root = ["--root", str(tmp_path)]
    assert cli.main(["monitor", "--input", str(data), *root]) == 2
    err = capsys.readouterr().err
    assert "2062Q1 lies after today (2026-01-01)" in err and "row 3" in err
    assert "--allow-future" in err
    assert not (tmp_path / "data" / "processed" / "monitoring").exists()
    assert cli.main(["monitor", "--input", str(data), "--allow-future", *root]) == 0
    periods = hist.read_history(tmp_path / "data" / "processed")["period"].astype(str)
    assert periods.tolist() == ["2025Q4", "2062Q1"]


def test_the_history_itself_refuses_a_future_quarter(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    rows = pd.DataFrame(
        {
            "municipality_code": ["1880"],
            "period": pd.PeriodIndex(["2026Q2"], freq="Q"),
            "metric_id": ["m"],
            "numerator": [float("nan")],
            "denominator": [float("nan")],
            "value": [1.0],
            "status": [""],
        }
    )
    with pytest.raises(EhalsaError, match="after the current quarter 2026Q1"):
        hist.append_history(rows, directory=tmp_path)
    assert hist.read_history(tmp_path).empty


def test_progress_bars_and_peak_memory_change_no_output(tmp_path, capsys, monkeypatch):
    from ehalsa_analys.report import quarterly

    demo_monitoring.write(tmp_path / "in", seed=20261123)
    folder = tmp_path / "in" / "monitoring"
    outputs = {}
    for progress in (True, False):
        root = tmp_path / f"progress_{progress}"
        lines: list[str] = []
        # with the bars, the figures are drawn in worker processes (Linux), without in this one
        monkeypatch.setattr(quarterly, "MIN_PARALLEL", 1 if progress else 1000)
        result = quarterly.monitor_quarter(folder, root=root, echo=lines.append, progress=progress)
        err = capsys.readouterr().err
        assert ("Figurer" in err and "figur" in err) is progress, err  # the bar, on stderr only
        assert lines[0].startswith("Historik") and "Kvartal 2026 K3." in lines
        assert lines[-1].startswith("Största minnesanvändning: ") and lines[-1].endswith(" MB.")
        assert not any("Figurer:" in line and "%" in line for line in lines)  # no bar in echo
        outputs[progress] = {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and "figures" in p.relative_to(root).parts
        }
        assert result["figures"] == root / "figures" / "18" / "2026Q3"
    assert outputs[True].keys() == outputs[False].keys()
    assert sum(name.endswith(".png") for name in outputs[True]) >= 4  # the figures are in it
    assert outputs[True] == outputs[False]  # byte-identical with and without bars and workers


def test_figures_show_the_county_asked_and_several_counties_need_one(tmp_path, monkeypatch):
    from ehalsa_analys.report import quarterly

    rows = [
        f"{kommun};2025 K{q};nattillsyn_brukare;{10 + q}"
        for kommun in ("Örebro", "Kumla", "Uppsala")
        for q in (1, 2, 3, 4)
    ]
    data = tmp_path / "in.csv"
    data.write_text("Kommun;Kvartal;Mått;Värde\n" + "\n".join(rows) + "\n", encoding="utf-8")
    drawn = []
    monkeypatch.setattr(
        quarterly, "_figure_jobs", lambda charts, *a, **k: drawn.append(charts) or []
    )
    lines: list[str] = []
    quarterly.monitor_quarter(data, root=tmp_path / "a", county_code="18", echo=lines.append)
    assert sorted(drawn[-1]["municipality_code"].unique()) == ["1880", "1881"]
    table = tmp_path / "a" / "figures" / "18" / "2025Q4" / "monitor_kvartal.csv"
    assert "0380" in table.read_text(encoding="utf-8-sig")  # the table keeps every municipality
    quarterly.monitor_quarter(data, root=tmp_path / "b", echo=lines.append)
    assert sorted(drawn[-1]["municipality_code"].unique()) == ["0380", "1880", "1881"]
    monkeypatch.setattr(quarterly, "MAX_PANELS", 2)
    count = len(drawn)
    quarterly.monitor_quarter(data, root=tmp_path / "c", echo=lines.append)
    assert len(drawn) == count and any("ange --county" in line for line in lines)
    quarterly.monitor_quarter(data, root=tmp_path / "d", county_code="01", echo=lines.append)
    assert len(drawn) == count and "Inga figurer: data saknas för kommunerna i län 01." in lines


def test_the_bar_shows_on_a_terminal_unless_quiet(tmp_path, capsys, monkeypatch):
    from ehalsa_analys.report import quarterly

    demo_monitoring.write(tmp_path / "in", seed=20261123)
    folder = tmp_path / "in" / "monitoring"
    monkeypatch.setattr(quarterly, "MIN_PARALLEL", 1000)  # drawn here: quicker for a test
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    for name, quiet in (("a", []), ("b", ["--quiet"])):
        args = ["monitor", "--input", str(folder), "--root", str(tmp_path / name), *quiet]
        assert cli.main(args) == 0
        err = capsys.readouterr().err
        assert ("Figurer" in err) is not bool(quiet), err


def test_svg_figures_on_request(tmp_path, monkeypatch):
    from ehalsa_analys.report import quarterly

    demo_monitoring.write(tmp_path / "in", seed=20261123)
    folder = tmp_path / "in" / "monitoring"
    monkeypatch.setattr(quarterly, "MIN_PARALLEL", 1000)  # drawn here: quicker for a test
    args = ["monitor", "--input", str(folder), "--root", str(tmp_path), "--svg", "--quiet"]
    assert cli.main(args) == 0
    figures = tmp_path / "figures" / "18" / "2026Q3"
    pngs = {p.stem for p in figures.glob("monitor_*.png")}
    svgs = {p.stem for p in figures.glob("monitor_*.svg")}
    assert pngs and svgs == pngs
    svg = (figures / "monitor_digital_besok_andel.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    manifest = (figures / "manifest.json").read_text(encoding="utf-8")
    assert '"svg": true' in manifest and "monitor_digital_besok_andel.svg" in manifest


def test_monitor_in_english_prints_english(tmp_path, monkeypatch):
    from ehalsa_analys.report import quarterly

    demo_monitoring.write(tmp_path / "in", seed=20261123)
    monkeypatch.setattr(quarterly, "MIN_PARALLEL", 1000)  # drawn here: quicker for a test
    lines: list[str] = []
    quarterly.monitor_quarter(
        tmp_path / "in" / "monitoring", root=tmp_path, lang="en", echo=lines.append
    )
    assert lines[0].startswith("History ") and lines[0].endswith(" new rows, 0 unchanged.")
    assert lines[-2].startswith("Figures, table and summary: ")
    assert lines[-1].startswith("Peak memory: ") and lines[-1].endswith(" MB.")
    assert not any("Historik" in line or "Figurer" in line for line in lines)
    with pytest.raises(ValueError, match="lang"):
        quarterly.monitor_quarter(tmp_path / "in" / "monitoring", root=tmp_path, lang="de")
