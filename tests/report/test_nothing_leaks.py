"""What leaves the package, scanned byte by byte: no personal number, no formula, no escape.

The demo's monitoring data, made hostile: a personal identity number in the events log (free
text: masked when read), a metric catalogue whose title starts a formula. The report and the
monitor command run on them; then every file they wrote (xlsx unzipped) is searched for the
number in each written form and for a cell that starts a formula. Figure text is drawn as paths,
but matplotlib's SVGs keep each text in a comment, so the event's text is found there, masked.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from ehalsa_analys import cli
from ehalsa_analys.demo import monitoring as demo_monitoring

NUMBER = "19121212-1212"
FORMS = [NUMBER, NUMBER.replace("-", ""), NUMBER.replace("-", " "), NUMBER[2:], "121212-1212"]


def _contents(root: Path):
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "raw" in path.relative_to(root).parts:
            continue
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for name in z.namelist():
                    yield f"{path}!{name}", z.read(name)
        else:
            yield str(path), data


def test_report_and_monitor_outputs_hold_no_personal_number_and_no_formula(tmp_path, capsys):
    raw = tmp_path / "data" / "raw"
    demo_monitoring.write(raw, seed=20261123)
    events = raw / "monitoring" / "events.csv"
    text = events.read_text(encoding="utf-8")
    events.write_text(text + f"2025-05-02;Örebro;Larm hos {NUMBER} åtgärdat\n", encoding="utf-8")
    assert cli.main(["report", "--root", str(tmp_path)]) == 0
    assert cli.main(["monitor", "--input", str(raw / "monitoring"), "--root", str(tmp_path)]) == 0
    out = capsys.readouterr()
    for form in FORMS:
        assert form not in out.out + out.err
    scanned, masked = 0, 0
    for name, data in _contents(tmp_path):
        scanned += 1
        masked += b"MMDD-XXXX" in data  # the event's text did travel, masked
        for form in FORMS:
            assert form.encode() not in data, (name, form)
        if name.endswith(".csv"):
            rows = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
            for row in rows:
                assert not any(cell.startswith(("=", "+", "@", "\t")) for cell in row), name
        if name.endswith("sheet1.xml"):
            assert b"<f>" not in data, name
    assert scanned > 20 and masked >= 4  # the SVGs keep each text as a comment
    written = [p.resolve() for p in tmp_path.rglob("*") if p.is_file()]
    assert all(tmp_path.resolve() in p.parents for p in written)
