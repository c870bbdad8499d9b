"""The quarterly rerun of effect monitoring behind ``ehalsa monitor``: history, charts, summary.

Example
-------
>>> # monitor_quarter(Path("data/raw/monitoring"), echo=print)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .. import plots, reference, store
from .._atomic import write_bytes
from ..errors import EhalsaError, UnknownMunicipalityError
from ..paths import figures_dir, project_root, raw_dir
from ..safe import inside, slug

__all__ = ["monitor_quarter"]


def _county(value: str) -> str:
    try:
        return reference.resolve_county(value)
    except UnknownMunicipalityError as err:
        raise EhalsaError(
            f"Unknown county {value!r}",
            column="--county",
            value=value,
            hint="give a county code such as 18 (Örebro län) or the county's name",
        ) from err


def monitor_quarter(
    input_path: Path,
    *,
    root: Path | None = None,
    quarter: str | None = None,
    replace: bool = False,
    county_code: str | None = None,
    lang: str = "sv",
    allow_future: bool = False,
    echo: Callable[[str], None] = lambda _text: None,
) -> dict[str, Path]:
    """The quarterly rerun behind ``ehalsa monitor``: history, charts, summary, manifest.

    Adds ``input_path`` to the history in data/processed
    (:func:`ehalsa_analys.history.append_history`: a rerun with the same data changes nothing),
    recomputes every chart from the whole history, and writes one figure per metric, the quarter's
    summary (CSV/xlsx with small counts masked, and ``sammanfattning.txt``) and a manifest to
    ``figures/<county>/<quarter>/``.

    Parameters
    ----------
    input_path : Path
        A file or folder of quarterly measurements (:func:`ehalsa_analys.load.monitoring`).
    root : Path, optional
        Project folder (default :func:`~ehalsa_analys.paths.project_root`).
    quarter : str, optional
        The quarter to summarise, e.g. "2026Q3" (default: the latest in the history).
    replace : bool, default False
        Overwrite stored quarters that the new data change (the old rows go to
        ``audit.parquet``); without it such data stop the run with
        :class:`~ehalsa_analys.history.HistoryConflictError`.
    county_code : str, optional
        Names the output folder (default: the municipalities' county when there is one, else
        "monitor").
    lang : {"sv", "en"}, default "sv"
    allow_future : bool, default False
        Accept quarters after today's; by default they stop the run before anything is
        written (``ehalsa monitor --allow-future``).
    echo : callable
        Receives progress lines and the summary (``print`` on the command line).

    Returns
    -------
    dict
        "figures" (the output folder), "history" (the history file) and "manifest".

    Example
    -------
    >>> # monitor_quarter(Path("data/raw/monitoring"), echo=print)
    """
    import matplotlib.pyplot as plt

    from .. import history as history_store
    from .. import load, monitoring, notebook
    from ..paths import processed_dir

    root = Path(root) if root is not None else project_root()
    # Everything the user typed is checked before anything is written.
    asked = load.parse_quarter([quarter], column="--quarter").iloc[0] if quarter else None
    if county_code is not None:
        county_code = _county(county_code)
    own = raw_dir(root) / "monitoring" / "metrics.csv"  # the project's own catalogue, if any
    catalogue = load.metric_catalogue(own if own.is_file() else None)
    data = load.monitoring(input_path, catalogue=catalogue, allow_future=allow_future)
    result = history_store.append_history(
        data, directory=processed_dir(root), replace=replace, allow_future=allow_future
    )
    echo(
        f"Historik {result.path}: {len(result.added)} nya rader, {result.unchanged} oförändrade"
        + (
            f", {len(result.replaced)} ersatta (sparade i audit.parquet)"
            if len(result.replaced)
            else ""
        )
        + "."
    )
    history = history_store.read_history(processed_dir(root))
    charts = monitoring.charts_for(history, catalogue)
    period = asked if asked is not None else history["period"].max()
    counties = history["municipality_code"].str[:2].unique()
    county = county_code or (counties[0] if len(counties) == 1 else "monitor")
    out = inside(figures_dir(root), county, str(period))
    names = reference.municipalities().set_index("municipality_code")["municipality"]
    titles = catalogue.set_index("metric_id")["title_sv"]
    source = "Kommunernas effektuppföljning" if lang == "sv" else "The municipalities' monitoring"
    written: list[Path] = []
    # The notebook's figures: small counts hidden, the metric's title as heading.
    shown = monitoring.hide_small_counts(charts, data=history, catalogue=catalogue)
    with plots.house_style(context="paper"):
        figures = notebook.spc_figures(
            shown[shown["x"] <= period],
            titles=notebook.titles(catalogue, key="metric_id", lang=lang),
            lang=lang,
            source=source,
        )
        for metric, fig in figures.items():
            written += plots.save(fig, out / slug(f"monitor_{metric}"))
            plt.close(fig)
    summary = monitoring.quarter_summary(charts, quarter=period)
    # The same table, with the same cells hidden, as notebook 04's.
    table = monitoring.quarter_table(
        charts,
        data=history,
        catalogue=catalogue,
        quarter=period,
        names=names,
        titles=titles,
        lang=lang,
    )
    written += store.write_report_table(table, "monitor_kvartal", out)
    lines = monitoring.summary_lines(summary, names=names, titles=titles, lang=lang)
    text = ("\n".join(lines) + "\n").encode("utf-8")
    written.append(write_bytes(out / "sammanfattning.txt", text))
    entry = store.manifest_entry(
        inputs=sorted({Path(f) for f in data["file"]} | {Path(catalogue.attrs["file"])}),
        outputs=written,
        root=root,
        parameters={"quarter": str(period), "replace": replace, "county": county, "lang": lang},
    )
    manifest = store.write_manifest(entry, out / "manifest.json")
    for line in lines:
        echo(line)
    echo(f"Figurer, tabell och sammanfattning: {out}")
    return {"figures": out, "history": result.path, "manifest": manifest}
