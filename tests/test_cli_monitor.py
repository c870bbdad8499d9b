"""`ehalsa monitor` end to end on the demo: append, rerun, refuse, replace, next quarter."""

from __future__ import annotations

import pandas as pd

from ehalsa_analys import cli
from ehalsa_analys import history as hist
from ehalsa_analys.demo import monitoring as demo_monitoring


def test_monitor_command_quarterly_cycle(tmp_path, capsys):
    demo_monitoring.write(tmp_path / "in", seed=20261123)
    folder = tmp_path / "in" / "monitoring"
    root = ["--root", str(tmp_path)]

    assert cli.main(["monitor", "--input", str(folder), *root]) == 0
    out = capsys.readouterr().out
    assert "380 nya rader" in out and "Kvartal 2026 K3." in out
    figures = tmp_path / "figures" / "18" / "2026Q3"
    assert (figures / "monitor_digital_besok_andel.png").is_file()
    assert (
        (figures / "sammanfattning.txt").read_text(encoding="utf-8").startswith("Kvartal 2026 K3.")
    )
    table = pd.read_csv(figures / "monitor_kvartal.csv", sep=";", decimal=",", encoding="utf-8-sig")
    small = table[table["metric_id"] == "lakemedel_avvikelser"]
    assert small["value"].isna().any()  # small counts masked in the report table
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
