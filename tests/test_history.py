"""The quarterly history: idempotent reruns, refusal on changed data, audit, crash safety."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ehalsa_analys import store
from ehalsa_analys.store import HistoryConflictError


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
    first = store.append_history(_rows(["2026Q1", "2026Q2"], [5.0, 6.0]), directory=tmp_path)
    assert len(first.added) == 2 and first.replaced.empty
    data = first.path.read_bytes()
    again = store.append_history(_rows(["2026Q1", "2026Q2"], [5.0, 6.0]), directory=tmp_path)
    assert again.added.empty and again.unchanged == 2
    assert first.path.read_bytes() == data  # byte-identical, not even rewritten
    more = store.append_history(_rows(["2026Q2", "2026Q3"], [6.0, 7.5]), directory=tmp_path)
    assert more.added["period"].astype(str).tolist() == ["2026Q3"] and more.unchanged == 1
    history = store.read_history(tmp_path)
    assert history["value"].tolist() == [5.0, 6.0, 7.5]
    assert history["period"].dtype == "period[Q-DEC]"


def test_changed_quarter_is_refused_with_the_differences(tmp_path):
    store.append_history(_rows(["2026Q1", "2026Q2"], [5.0, 6.0]), directory=tmp_path)
    before = (tmp_path / "monitoring" / "history.parquet").read_bytes()
    with pytest.raises(HistoryConflictError) as err:
        store.append_history(_rows(["2026Q2", "2026Q3"], [6.5, 7.0]), directory=tmp_path)
    text = str(err.value)
    assert "1 row(s) differ" in text and "1880 2026Q2 digital_besok_andel: value 6.0 -> 6.5" in text
    assert "--replace" in text
    assert (tmp_path / "monitoring" / "history.parquet").read_bytes() == before  # nothing written


def test_replace_keeps_the_old_rows_in_the_audit(tmp_path):
    store.append_history(_rows(["2026Q1", "2026Q2"], [5.0, 6.0]), directory=tmp_path)
    result = store.append_history(_rows(["2026Q2"], [6.5]), directory=tmp_path, replace=True)
    assert result.replaced["value"].tolist() == [6.0]
    assert store.read_history(tmp_path)["value"].tolist() == [5.0, 6.5]
    store.append_history(_rows(["2026Q2"], [6.8]), directory=tmp_path, replace=True)
    audit = pd.read_parquet(tmp_path / "monitoring" / "audit.parquet")
    assert audit["value"].tolist() == [6.0, 6.5] and audit["replacement_run"].tolist() == [1, 2]


def test_a_crash_while_writing_leaves_the_previous_history(tmp_path, monkeypatch):
    store.append_history(_rows(["2026Q1"], [5.0]), directory=tmp_path)
    path = tmp_path / "monitoring" / "history.parquet"
    before = path.read_bytes()
    real_write = Path.write_bytes

    def half_then_crash(self, data):
        real_write(self, data[: len(data) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_bytes", half_then_crash)
    with pytest.raises(OSError, match="disk full"):
        store.append_history(_rows(["2026Q2"], [6.0]), directory=tmp_path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["history.parquet"]  # no temp left
    assert store.read_history(tmp_path)["value"].tolist() == [5.0]


def test_missing_values_compare_equal(tmp_path):
    rows = _rows(["2026Q1"], [np.nan]).assign(status="suppressed")
    store.append_history(rows, directory=tmp_path)
    assert store.append_history(rows, directory=tmp_path).unchanged == 1
