"""Safe names and spreadsheet cells: data cannot escape the output folder or run as a formula."""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from ehalsa_analys import store
from ehalsa_analys.errors import EhalsaError
from ehalsa_analys.safe import UnsafeNameError, inside, neutralise, slug

HOSTILE_NAMES = [
    "../../etc/passwd",
    "/etc/passwd",
    "a\x00b",
    "C:\\Windows\\system32",
    "CON",
    "nul.txt",
    "COM1",
    "LPT9",
    "~/.ssh",
    "a/../../b",
    "\\\\server\\share",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_slug__hostile_names_stay_inside(name, tmp_path):
    path = inside(tmp_path, name)
    assert path.parent == tmp_path
    assert re.fullmatch(r"_?[A-Za-z0-9][A-Za-z0-9_-]*", path.name), path.name
    assert path.name.lower() not in {"con", "nul", "com1", "lpt9"}


def test_slug__hand_checked():
    assert slug("Digitala besök, andel %") == "Digitala_besok_andel"
    assert slug("Örebro län") == "Orebro_lan"
    assert slug("2026Q3") == "2026Q3"
    assert slug("CON") == "_CON" and slug("nul.txt") == "nul_txt" and slug("nul") == "_nul"
    assert slug("x" * 200, max_length=10) == "x" * 10


@pytest.mark.parametrize("name", ["", "..", "../", "///", "\x00", "…"])
def test_slug__nothing_left_is_an_error(name):
    with pytest.raises(UnsafeNameError, match="no letter or digit") as err:
        slug(name)
    assert isinstance(err.value, EhalsaError)


@given(st.text())
def test_slug__any_text_gives_a_plain_name_or_an_error(text):
    try:
        out = slug(text)
    except UnsafeNameError:
        return
    assert re.fullmatch(r"[A-Za-z0-9_-]+", out) and len(out) <= 81
    assert not out.startswith(("-", ".")) and "/" not in out


@given(st.lists(st.text(min_size=1), min_size=1, max_size=3))
def test_inside__never_leaves_the_base(tmp_path_factory, names):
    base = tmp_path_factory.mktemp("out")
    try:
        path = inside(base, *names)
    except UnsafeNameError:
        return
    assert base.resolve() in path.resolve().parents


@pytest.mark.parametrize(
    "text", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx", "＝1+1"]
)
def test_neutralise__formula_starts_get_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Örebro", "", "12 345,6", "–", -3, 2.5, None])
def test_neutralise__other_cells_unchanged(value):
    assert neutralise(value) == value


def test_report_table__no_formula_reaches_csv_or_xlsx(tmp_path):
    hostile = '=HYPERLINK("http://evil.example","klicka")'
    data = pd.DataFrame(
        {
            "mått": [hostile, "+cmd|' /C calc'!A0", "Digitala besök"],
            "=rubrik": ["@SUM(A1)", "-1+2", "ok"],
            "värde": [-3.5, 2.0, 1.0],
        }
    )
    csv, xlsx = store.write_report_table(data, "../../utanför", tmp_path)
    assert csv.parent == tmp_path and xlsx.parent == tmp_path
    assert csv.name == "utanfor.csv"  # "../../utanför" slugged
    text = csv.read_bytes().decode("utf-8-sig")
    for line in text.splitlines():
        for field in line.split(";"):
            assert not field.lstrip('"').startswith(("=", "+", "@", "\t")), field
    assert "'=HYPERLINK" in text and "'=rubrik" in text and "-3,5" in text
    book = load_workbook(xlsx)
    values = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert values[0] == ["Mått", "'=rubrik", "värde"]  # "mått" has its report heading
    assert values[1] == ["'" + hostile, "'@SUM(A1)", -3.5]  # numbers stay numbers
    # the data dictionary sheet names the original columns, neutralised too
    columns = [[c.value for c in row] for row in book["Kolumner"].iter_rows()]
    assert ["'=rubrik", "", "'=rubrik"] in [[v or "" for v in row] for row in columns]
    with zipfile.ZipFile(io.BytesIO(xlsx.read_bytes())) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 2
        assert all(b"<f>" not in z.read(name) for name in sheets)


def test_outputs_figure__name_is_slugged(tmp_path):
    import matplotlib.pyplot as plt

    fig, _ = plt.subplots()
    paths = store.Outputs(tmp_path).figure(fig, "../monitor_Besök")
    plt.close(fig)
    assert {p.name for p in paths} == {
        "monitor_Besok.png",
        "monitor_Besok.svg",
        "monitor_Besok.json",
    }
    assert all(p.parent == tmp_path for p in paths)


def test_svg_text_stays_escaped(tmp_path, axes):
    from ehalsa_analys import plots

    ax = axes()
    ax.set_title('--><script>alert(1)</script><!-- =HYPERLINK("x")')
    paths = plots.save(ax.figure, tmp_path / "hostile")
    svg = next(p for p in paths if p.suffix == ".svg").read_bytes()
    assert b"<script" not in svg and b"&lt;script&gt;" in svg  # kept, escaped
    assert svg.count(b"-->") == svg.count(b"<!--")  # the title cannot close its comment
