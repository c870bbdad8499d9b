"""The report runner: notebooks in, figures/tables/report.html/manifest out, safely."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from ehalsa_analys import report, store
from ehalsa_analys.errors import EhalsaError
from ehalsa_analys.report import ReportError, runner

PARAMETERS = """county_code = "18"
data_dir = None
figures_dir = None
tables_dir = None
lang = "sv"
seed = 1
synthetic = None"""

GOOD = """import matplotlib.pyplot as plt
import pandas as pd
from pathlib import Path
from ehalsa_analys.store import Outputs
out = Outputs(figures_dir, tables_dir)
n = len(list(Path(data_dir).iterdir()))
fig, ax = plt.subplots()
ax.plot([1, 2, 3], [n, 2, 1])
out.figure(fig, "lika_test", caption=f"{n} filer.", source="testdata")
out.table(pd.DataFrame({"andel": [0.5]}), "lika_tabell")"""


def _notebook(path: Path, body: str) -> None:
    cells = [new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}), new_code_cell(body)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


@pytest.fixture
def project(tmp_path):
    """A project with its own small notebooks and user data for LIKA only."""
    _notebook(tmp_path / "notebooks" / "01_lika_mognad.ipynb", GOOD)
    _notebook(tmp_path / "notebooks" / "03_landsbygd_avstand.ipynb", GOOD)
    (tmp_path / "data" / "raw" / "lika").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "lika" / "a.csv").write_text("x", encoding="utf-8")
    return tmp_path


def test_report__collects_figures_tables_html_and_skips_parts_without_data(project):
    lines = []
    paths = report.run(root=project, county_code="Örebro län", year=2024, echo=lines.append)
    figures = project / "figures" / "18" / "2024"
    assert paths["figures"] == figures
    assert (figures / "lika_test.png").is_file() and (figures / "lika_test.svg").is_file()
    assert (figures / "tabeller" / "lika_tabell.csv").read_bytes().decode("utf-8-sig") == (
        "andel\r\n0,5\r\n"
    )
    assert (figures / "tabeller" / "lika_tabell.xlsx").is_file()
    assert (project / "reports" / "18" / "2024" / "01_lika_mognad.ipynb").is_file()
    html = paths["html"].read_text(encoding="utf-8")
    assert "1 filer." in html and "Källa" not in html.split("<body>")[0]
    assert html.count("<figure") == 1 and "data:image/png;base64," in html
    assert "Ingår inte i rapporten: inga data i" in html  # access: notebook but no data
    assert "Ingår inte i rapporten: notebooken 04_effektuppfoljning.ipynb finns inte" in html
    assert "SYNTETISKA" not in html  # user data, not the demo
    assert any("hoppar över Avstånd till service" in line for line in lines)
    assert any(line.startswith("[1/5] kör 01_lika_mognad.ipynb") for line in lines)
    assert any("rapport:" in line and "report.html" in line for line in lines)
    manifest = json.loads(paths["manifest"].read_text(encoding="utf-8"))
    assert manifest["parameters"]["parts_run"] == ["lika"]
    assert "data/raw/lika/a.csv" in manifest["inputs"]
    assert "lika_test.png" in manifest["outputs"] and "report.html" in manifest["outputs"]
    # No build folders are left behind.
    assert not list((project / "figures" / "18").glob(".*"))


def test_report__english_console_and_reasons(project):
    """--lang en: what the command prints and why a part is left out are English too."""
    lines = []
    paths = report.run(root=project, year=2024, lang="en", echo=lines.append)
    html = paths["html"].read_text(encoding="utf-8")
    assert "Not included: no data in" in html
    assert "Not included: the notebook 04_effektuppfoljning.ipynb does not exist" in html
    assert "inga data" not in html and "finns inte" not in html
    assert lines[0].startswith("Report for Örebro län (18), period 2024")
    assert any(line.startswith("[1/5] running 01_lika_mognad.ipynb") for line in lines)
    assert any(line.startswith("[3/5] skipping Distance to service: no data in") for line in lines)
    assert any(line.startswith("      done in ") and line.endswith(" figures") for line in lines)
    assert any(line.startswith("Done in ") and "." in line for line in lines)
    assert not any("klar" in line.lower() or "hoppar" in line for line in lines)
    with pytest.raises(ValueError, match="lang"):
        report.run(root=project, lang="de")


def test_report__failing_notebook_keeps_the_previous_report(project):
    first = report.run(root=project, year=2024)
    before = {p: p.read_bytes() for p in first["figures"].rglob("*") if p.is_file()}
    html_before = first["html"].read_bytes()
    _notebook(project / "notebooks" / "01_lika_mognad.ipynb", 'raise ValueError("trasig fil")')
    with pytest.raises(ReportError) as err:
        report.run(root=project, year=2024)
    text = str(err.value)
    assert "01_lika_mognad.ipynb failed in cell" in text and "ValueError: trasig fil" in text
    assert ".2024.building" in text  # the executed notebook, kept for inspection
    assert {p: p.read_bytes() for p in first["figures"].rglob("*") if p.is_file()} == before
    assert first["html"].read_bytes() == html_before


def test_report__part_without_data_for_the_county_is_left_out(project):
    _notebook(
        project / "notebooks" / "01_lika_mognad.ipynb",
        "from ehalsa_analys.errors import NoDataError\n"
        "raise NoDataError(f'Inga LIKA-värderingar för län {county_code}', file=data_dir)",
    )
    lines = []
    paths = report.run(root=project, county_code="22", echo=lines.append)
    assert any(
        "hoppar över" in line and "Inga LIKA-värderingar för län 22" in line for line in lines
    )
    assert not (paths["report"] / "01_lika_mognad.ipynb").exists()  # no failed notebook kept
    html = paths["html"].read_text(encoding="utf-8")
    assert "Ingår inte i rapporten: Inga LIKA-värderingar för län 22 (file " in html
    assert ".." not in html.split("Inga LIKA-värderingar")[1].split("<")[0]
    manifest = json.loads(paths["manifest"].read_text(encoding="utf-8"))
    assert "lika" in manifest["parameters"]["parts_skipped"]


def test_report__unknown_county(project):
    with pytest.raises(EhalsaError, match="Unknown county 'Narnia län'"):
        report.run(root=project, county_code="Narnia län")


def test_report__demo_twice_byte_identical(demo_report):
    """The real notebooks on the demo data, first through the command: same bytes twice."""
    tmp_path, printed = demo_report
    assert "[1/5] kör 01_lika_mognad.ipynb" in printed and "report.html" in printed
    assert "SYNTETISKA demodata" in printed
    first = {
        "figures": tmp_path / "figures" / "18" / "latest",
        "html": tmp_path / "reports" / "18" / "latest" / "report.html",
    }
    outputs = sorted(p for p in first["figures"].rglob("*") if p.is_file()) + [first["html"]]
    assert {"lika_heatmap.png", "manifest.json"} <= {p.name for p in outputs}
    before = {p: p.read_bytes() for p in outputs}
    html = first["html"].read_text(encoding="utf-8")
    assert "SYNTETISKA DEMODATA" in html
    for name in ("lika_heatmap", "lika_utvecklingsomraden", "lika_karta"):
        assert f'<figure id="{name}">' in html  # every figure is in the report
    assert (
        "SYNTETISKA DEMODATA"
        in json.loads((first["figures"] / "lika_heatmap.json").read_text(encoding="utf-8"))[
            "source"
        ]
    )
    # No figure is shown twice (the issue found the summary repeating two): every figure of
    # the report embeds an image of its own.
    shown = re.findall(r'<figure id="([^"]+)">.*?src="(data:[^"]+)"', html, re.S)
    assert len(shown) == html.count("<figure id=") > 20
    images = {}
    for name, uri in shown:
        images.setdefault(hashlib.sha256(uri.encode()).hexdigest(), []).append(name)
    assert [names for names in images.values() if len(names) > 1] == []
    report.run(root=tmp_path)
    after = {p: p.read_bytes() for p in outputs}
    assert [p.name for p, data in before.items() if after[p] != data] == []


def test_report__notebooks_fall_back_to_the_repository(tmp_path):
    repository = Path(__file__).resolve().parents[2]
    assert runner._notebooks_dir(tmp_path) == repository / "notebooks"
    assert (runner._notebooks_dir(tmp_path) / report.PARTS[0].notebook).is_file()
    (tmp_path / "notebooks").mkdir()
    assert runner._notebooks_dir(tmp_path) == tmp_path / "notebooks"


def test_report__swap_replaces_the_old_folder_by_renames(tmp_path):
    final, built = tmp_path / "2024", tmp_path / ".2024.building"
    final.mkdir()
    (final / "old.txt").write_text("gammal", encoding="utf-8")
    built.mkdir()
    (built / "new.txt").write_text("ny", encoding="utf-8")
    runner._swap(built, final)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024"]
    assert [p.name for p in final.iterdir()] == ["new.txt"]


def test_report__public_names():
    assert report.run is runner.run and report.ReportError is runner.ReportError
    assert issubclass(report.ReportError, EhalsaError)
    assert [p.key for p in report.PARTS] == ["summary", "lika", "survey", "access", "monitoring"]
    assert sorted(report.RUN_ORDER) == sorted(p.key for p in report.PARTS)
    assert callable(report.write_html) and callable(report.monitor_quarter)


# --- The figures and the report folder change together (issue 14) --------------------------

_KILLED_RUN = """
import os, sys
from pathlib import Path
from ehalsa_analys import report

root = Path(sys.argv[2])
county = {root / "figures" / "18", root / "reports" / "18"}
real, calls = os.replace, [0]

def replace(src, dst):
    if Path(dst).parent in county:  # the journal and the swaps, not the files inside a build
        calls[0] += 1
        if calls[0] == int(sys.argv[1]):
            os._exit(9)
    real(src, dst)

os.replace = replace
report.run(root=root, year=2024)
"""


def _same_run(project: Path) -> str:
    """The caption of the figure, after checking figures and report come from the same run."""
    figures, reports = project / "figures" / "18" / "2024", project / "reports" / "18" / "2024"
    manifest = json.loads((figures / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"]["report.html"] == store.file_hash(reports / "report.html")
    caption = json.loads((figures / "lika_test.json").read_text(encoding="utf-8"))["caption"]
    assert caption in (reports / "report.html").read_text(encoding="utf-8")
    return caption


def _leftovers(project: Path) -> list[str]:
    return sorted(
        p.name
        for folder in (project / "figures" / "18", project / "reports" / "18")
        for p in folder.iterdir()
        if p.name != "2024"
    )


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    """A project whose report for 2024 was built from one input file."""
    root = tmp_path_factory.mktemp("reported")
    _notebook(root / "notebooks" / "01_lika_mognad.ipynb", GOOD)
    (root / "data" / "raw" / "lika").mkdir(parents=True)
    (root / "data" / "raw" / "lika" / "a.csv").write_text("x", encoding="utf-8")
    report.run(root=root, year=2024)
    return root


@pytest.mark.parametrize("step", range(1, 7))
def test_report__a_kill_at_any_step_leaves_figures_and_report_together(reported, tmp_path, step):
    """Kill the run before its n-th rename beside the targets (journal, four swaps) or never.

    The killed run (two input files) replaces a report built from one file. After the kill is
    repaired, and after the next run, figures and report come from the same run.
    """
    project = tmp_path / "project"
    shutil.copytree(reported, project)
    assert _same_run(project) == "1 filer."
    (project / "data" / "raw" / "lika" / "b.csv").write_text("y", encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", _KILLED_RUN, str(step), str(project)])
    assert killed.returncode == (9 if step < 6 else 0)
    journal = project / "reports" / "18" / ".2024.swap.json"
    assert journal.is_file() == (1 < step < 6)
    recovered = runner._recover_swap(journal)
    assert (recovered is not None) == (1 < step < 6)
    # Before the journal nothing changed; from the journal on the new run is completed.
    assert _same_run(project) == ("1 filer." if step == 1 else "2 filer.")
    assert not any(name.endswith(".old") for name in _leftovers(project))
    lines = []
    report.run(root=project, year=2024, echo=lines.append)
    assert _same_run(project) == "2 filer."
    assert _leftovers(project) == []
    assert not any("avbröts" in line for line in lines)  # already repaired above


def test_report__the_next_run_completes_a_swap_and_says_so(reported, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(reported, project)
    (project / "data" / "raw" / "lika" / "b.csv").write_text("y", encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", _KILLED_RUN, "3", str(project)])
    assert killed.returncode == 9
    _notebook(project / "notebooks" / "01_lika_mognad.ipynb", 'raise ValueError("trasig")')
    lines = []
    with pytest.raises(ReportError):
        report.run(root=project, year=2024, echo=lines.append)
    assert any("avbröts mitt i bytet" in line and "samma körning" in line for line in lines)
    assert _same_run(project) == "2 filer."  # completed before the failing notebook ran
    assert not (project / "reports" / "18" / ".2024.swap.json").exists()


def test_report__a_failed_rename_is_reported_truthfully(project, monkeypatch):
    report.run(root=project, year=2024)
    monkeypatch.setattr(runner, "_roll_forward", _second_pair_fails(runner._roll_forward))
    with pytest.raises(ReportError) as err:
        report.run(root=project, year=2024)
    text = str(err.value)
    assert "only partly moved into place" in text and "different runs" in text
    assert ".2024.swap.json" in text and "run `ehalsa report` again" in text
    monkeypatch.undo()
    lines = []
    report.run(root=project, year=2024, echo=lines.append)
    assert any("avbröts mitt i bytet" in line for line in lines)
    assert not list((project / "figures" / "18").glob(".*"))
    assert not list((project / "reports" / "18").glob(".*"))


def _second_pair_fails(real):
    def roll_forward(pairs):
        real(pairs[:1])
        raise PermissionError(13, "Permission denied", str(pairs[1][1]))

    return roll_forward


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"quarter": "../../etc"}, "is not a quarter"),
        ({"quarter": "2026Q5"}, "is not a quarter"),
        ({"year": 19}, "is not a year"),
    ],
)
def test_report__period_is_checked_before_anything_is_written(project, options, match):
    with pytest.raises(EhalsaError, match=match):
        report.run(root=project, **options)
    assert not (project / "figures").exists() and not (project / "reports").exists()


def test_report__profiles_pdfs_and_front_page_from_real_lika_data(project, monkeypatch):
    """With readable LIKA data the report gets findings, tables and a profile per municipality
    with data (HTML and PDF, names through safe.slug), all in the manifest; rapport.toml fills
    the front page; the run date is SOURCE_DATE_EPOCH's."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")  # 2025-12-02
    lika = project / "data" / "raw" / "lika"
    (lika / "a.csv").unlink()
    shutil.copy(Path(__file__).parents[1] / "fixtures" / "lika" / "long.csv", lika / "long.csv")
    (project / "data" / "raw" / "rapport.toml").write_text(
        'agare = "Region Örebro län"\nkontakt = "ehalsa@example.se"\n', encoding="utf-8"
    )
    paths = report.run(root=project, county_code="18", year=2024)
    html = paths["html"].read_text(encoding="utf-8")
    assert "<dd>Region Örebro län</dd>" in html and "<dd>ehalsa@example.se</dd>" in html
    assert "<dd>2025-12-02</dd>" in html and "<dd>värderingar 2022</dd>" in html
    assert "Kompetens" in html and 'id="lika_poang"' in html  # the LIKA chapter's table
    kommuner = paths["report"] / "kommuner"
    assert sorted(p.name for p in kommuner.iterdir()) == [
        "1860_Laxa.html",
        "1860_Laxa.pdf",
        "1880_Orebro.html",
        "1880_Orebro.pdf",
    ]
    assert (paths["report"] / "report.pdf").read_bytes()[:5] == b"%PDF-"
    manifest = json.loads(paths["manifest"].read_text(encoding="utf-8"))
    assert "kommuner/1860_Laxa.pdf" in manifest["outputs"] and "report.pdf" in manifest["outputs"]


def test_report__console_times_are_written_the_swedish_way(project):
    lines = []
    report.run(root=project, year=2024, echo=lines.append)
    timed = [line for line in lines if "klar" in line.lower()]
    assert timed and all(re.search(r"\d,\d s", line) for line in timed), timed
    assert not any(re.search(r"\d\.\d s", line) for line in lines)
