"""The quarterly history: idempotent reruns, refusal on changed data, audit, crash safety."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import history as hist
from ehalsa_analys.history import HistoryConflictError


def _rows(quarters, values, code="1880"):
    return pd.DataFrame(
        {
            "municipality_code": code,
            "period": pd.PeriodIndex(quarters, freq="Q"),
            "metric_id": "digital_besok_andel",
            "numerator": np.nan,
            "denominator": np.nan,
            "value": values,
            "status": "",
        }
    )


def test_append_then_rerun_changes_nothing(tmp_path):
    first = hist.append_history(_rows(["2026Q1", "2026Q2"], [5.0, 6.0]), directory=tmp_path)
    assert len(first.added) == 2 and first.replaced.empty
    data = first.path.read_bytes()
    again = hist.append_history(_rows(["2026Q1", "2026Q2"], [5.0, 6.0]), directory=tmp_path)
    assert again.added.empty and again.unchanged == 2
    assert first.path.read_bytes() == data  # byte-identical, not even rewritten
    more = hist.append_history(_rows(["2026Q2", "2026Q3"], [6.0, 7.5]), directory=tmp_path)
    assert more.added["period"].astype(str).tolist() == ["2026Q3"] and more.unchanged == 1
    history = hist.read_history(tmp_path)
    assert history["value"].tolist() == [5.0, 6.0, 7.5]
    assert history["period"].dtype == "period[Q-DEC]"


def test_changed_quarter_is_refused_with_the_differences(tmp_path):
    hist.append_history(_rows(["2026Q1", "2026Q2"], [5.0, 6.0]), directory=tmp_path)
    before = (tmp_path / "monitoring" / "history.parquet").read_bytes()
    with pytest.raises(HistoryConflictError) as err:
        hist.append_history(_rows(["2026Q2", "2026Q3"], [6.5, 7.0]), directory=tmp_path)
    text = str(err.value)
    assert "1 row(s) differ" in text and "1880 2026Q2 digital_besok_andel: value 6.0 -> 6.5" in text
    assert "--replace" in text
    assert (tmp_path / "monitoring" / "history.parquet").read_bytes() == before  # nothing written


def test_replace_keeps_the_old_rows_in_the_audit(tmp_path):
    hist.append_history(_rows(["2026Q1", "2026Q2"], [5.0, 6.0]), directory=tmp_path)
    result = hist.append_history(_rows(["2026Q2"], [6.5]), directory=tmp_path, replace=True)
    assert result.replaced["value"].tolist() == [6.0]
    assert hist.read_history(tmp_path)["value"].tolist() == [5.0, 6.5]
    hist.append_history(_rows(["2026Q2"], [6.8]), directory=tmp_path, replace=True)
    audit = pd.read_parquet(tmp_path / "monitoring" / "audit.parquet")
    assert audit["value"].tolist() == [6.0, 6.5] and audit["replacement_run"].tolist() == [1, 2]


def test_a_crash_while_writing_leaves_the_previous_history(tmp_path, monkeypatch):
    hist.append_history(_rows(["2026Q1"], [5.0]), directory=tmp_path)
    path = tmp_path / "monitoring" / "history.parquet"
    before = path.read_bytes()
    real_write = Path.write_bytes

    def half_then_crash(self, data):
        real_write(self, data[: len(data) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_bytes", half_then_crash)
    with pytest.raises(OSError, match="disk full"):
        hist.append_history(_rows(["2026Q2"], [6.0]), directory=tmp_path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["history.parquet"]  # no temp left
    assert hist.read_history(tmp_path)["value"].tolist() == [5.0]


def test_missing_values_compare_equal(tmp_path):
    rows = _rows(["2026Q1"], [np.nan]).assign(status="suppressed")
    hist.append_history(rows, directory=tmp_path)
    assert hist.append_history(rows, directory=tmp_path).unchanged == 1


# --------------------------------------------------------------------------- concurrency and kills

import subprocess  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402

_PRELUDE = textwrap.dedent(
    """
    import sys, numpy as np, pandas as pd
    from ehalsa_analys import history as hist

    def rows(quarter, value):
        return pd.DataFrame({"municipality_code": "1880",
            "period": pd.PeriodIndex([quarter], freq="Q"), "metric_id": "digital_besok_andel",
            "numerator": np.nan, "denominator": np.nan, "value": [value], "status": ""})
    """
)


def _python(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _PRELUDE + textwrap.dedent(code), *args])


def test_two_runs_at_once_keep_both_quarters(tmp_path):
    """Each run reads the history slowly; without the lock the later write loses a quarter."""
    hist.append_history(_rows(["2026Q1"], [5.0]), directory=tmp_path)
    slow = """
        import time
        real = hist._read
        def slow_read(path):
            out = real(path)
            time.sleep(0.7)
            return out
        hist._read = slow_read
        hist.append_history(rows(sys.argv[1], float(sys.argv[2])), directory=sys.argv[3])
    """
    runs = [_python(slow, q, v, str(tmp_path)) for q, v in [("2026Q2", "6"), ("2026Q3", "7")]]
    assert [p.wait(timeout=120) for p in runs] == [0, 0]
    stored = hist.read_history(tmp_path)
    assert stored["period"].astype(str).tolist() == ["2026Q1", "2026Q2", "2026Q3"]


def test_a_run_that_waits_too_long_is_refused(tmp_path):
    from filelock import FileLock

    with FileLock(tmp_path / ".monitoring.lock"):
        with pytest.raises(hist.HistoryLockedError, match="Another run") as err:
            hist.append_history(_rows(["2026Q1"], [5.0]), directory=tmp_path, timeout=0.2)
    assert "history.parquet" in str(err.value) and "Fix:" in str(err.value)
    assert hist.read_history(tmp_path).empty


@pytest.mark.parametrize("step", range(1, 9))
def test_a_kill_at_any_step_leaves_history_and_audit_together(tmp_path, step):
    """Kill the process before its n-th rename (staging, journal, each file) or not at all.

    Afterwards the state is the old one or the new one, and running the same change
    again ends in one replacement in the audit, never a phantom or a duplicate.
    """
    hist.append_history(_rows(["2026Q1", "2026Q2"], [5.0, 6.0]), directory=tmp_path)
    killed = """
        import os
        real, calls = os.replace, [0]
        def replace(src, dst):
            calls[0] += 1
            if calls[0] == int(sys.argv[1]):
                os._exit(9)
            real(src, dst)
        os.replace = replace
        hist.append_history(rows("2026Q2", 6.5), directory=sys.argv[2], replace=True)
    """
    code = _python(killed, str(step), str(tmp_path)).wait(timeout=120)
    assert code in (0, 9)
    stored = hist.read_history(tmp_path)["value"].tolist()
    audit_path = tmp_path / "monitoring" / "audit.parquet"
    audit = pd.read_parquet(audit_path)["value"].tolist() if audit_path.is_file() else []
    assert (stored, audit) in [([5.0, 6.0], []), ([5.0, 6.5], [6.0])], (step, stored, audit)
    hist.append_history(_rows(["2026Q2"], [6.5]), directory=tmp_path, replace=True)
    audit = pd.read_parquet(audit_path)
    assert hist.read_history(tmp_path)["value"].tolist() == [5.0, 6.5]
    assert audit["value"].tolist() == [6.0] and audit["replacement_run"].tolist() == [1]
    leftovers = {p.name for p in (tmp_path / "monitoring").iterdir()}
    assert leftovers == {"history.parquet", "history.previous.parquet", "audit.parquet"}


def test_a_damaged_history_names_the_file_and_the_previous_generation(tmp_path):
    hist.append_history(_rows(["2026Q1"], [5.0]), directory=tmp_path)
    hist.append_history(_rows(["2026Q2"], [6.0]), directory=tmp_path)
    path = tmp_path / "monitoring" / "history.parquet"
    path.write_bytes(b"PAR1 not really")
    with pytest.raises(hist.HistoryDamagedError) as err:
        hist.append_history(_rows(["2026Q3"], [7.0]), directory=tmp_path)
    text = str(err.value)
    assert str(path) in text and "history.previous.parquet" in text
    previous = pd.read_parquet(path.with_name("history.previous.parquet"))
    assert previous["value"].tolist() == [5.0]  # the generation before the last change


def test_two_copies_of_a_project_in_different_folders_keep_identical_histories(tmp_path):
    """The history records its metric catalogue relative to the project, never where the
    project lies; with the shipped catalogue, relative to the package."""
    import pyarrow.parquet as pq

    from ehalsa_analys import load
    from ehalsa_analys.report import quarterly

    catalogue = load.metric_catalogue().drop(columns=["baseline_end"])
    source = tmp_path / "uppfoljning.csv"
    source.write_text(
        "Kommun;Kvartal;Mått;Värde\nÖrebro;2024 K1;nattillsyn_brukare;12\n"
        "Örebro;2024 K2;nattillsyn_brukare;14\n",
        encoding="utf-8",
    )
    histories = []
    for name in ("a", "b/deeper"):
        root = tmp_path / name
        own = root / "data" / "raw" / "monitoring"
        own.mkdir(parents=True)
        catalogue.to_csv(own / "metrics.csv", sep=";", index=False)
        quarterly.monitor_quarter(source, root=root)
        histories.append(root / "data" / "processed" / "monitoring" / "history.parquet")
    assert histories[0].read_bytes() == histories[1].read_bytes()
    stored = pq.read_schema(histories[0]).metadata[b"PANDAS_ATTRS"].decode()
    assert '"catalogue": "data/raw/monitoring/metrics.csv"' in stored
    assert str(tmp_path) not in stored

    # Without a project catalogue: the shipped one, named inside the package.
    d = _rows(["2024Q1"], [3.0])
    d.attrs = {"catalogue": str(load._monitoring._shipped_catalogue()), "unknown_metrics": []}
    for name in ("c", "d"):
        hist.append_history(d, directory=tmp_path / name, root=tmp_path / name)
    c, e = (tmp_path / n / "monitoring" / "history.parquet" for n in ("c", "d"))
    assert c.read_bytes() == e.read_bytes()
    assert b'"catalogue": "ehalsa_analys/data/catalogues/monitoring_metrics.csv"' in c.read_bytes()
