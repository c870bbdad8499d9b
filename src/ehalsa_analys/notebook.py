"""What every notebook does first: county, data folder, language, source line, outputs.

The five notebooks in ``notebooks/`` start alike. :func:`setup` does it once
and returns a :class:`Notebook`, a small frozen record the cells read from:

* the county (:func:`ehalsa_analys.reference.resolve_county`: 18, "18" and
  "Örebro län" all work) and its name;
* the data folder: ``data_dir`` when given, else the synthetic demo of the
  notebook's source (:func:`ehalsa_analys.demo.path`, written on first use);
* whether the data are synthetic (by default: when no ``data_dir`` is given);
* the source line under every figure, Swedish or English, saying so when the
  data are synthetic;
* the :class:`ehalsa_analys.store.Outputs` the figures and tables are saved
  through, and the municipalities' names.

:meth:`Notebook.in_county` keeps a tidy table's rows of the county and raises
:class:`~ehalsa_analys.errors.NoDataError` naming the folder when there are
none: ``ehalsa report`` then leaves that part out with the message.

The summary notebook reads several sources from one folder with a subfolder
per source: ``setup(None, ...)``, then :meth:`Notebook.read` for each.

Example
-------
>>> nb = setup("lika", county_code="Örebro", data_dir="tests/fixtures/lika")
>>> nb.county_code, nb.county, nb.synthetic
('18', 'Örebro län', False)
>>> nb.source
'LIKA Socialtjänst, kommunernas självskattningar'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import demo, reference
from .errors import EhalsaError, InputFileError, NoDataError, check_choice
from .paths import demo_dir
from .schemas import require_columns
from .store import Outputs

__all__ = [
    "LANGUAGES",
    "SOURCES",
    "Notebook",
    "setup",
    "titles",
    "units",
    "UNIT_LABELS",
    "AssessmentRounds",
    "assessment_rounds",
    "index_order",
    "lika_gaps",
    "peer_table",
    "survey_years",
    "survey_indicators",
    "survey_levels",
    "largest_size_group",
    "indicator_in",
    "AccessInputs",
    "access_inputs",
    "service_kinds",
    "map_kind",
    "access_period",
    "broadband_period",
    "pipos_comparison",
    "home_care_bases",
    "home_care_clients",
    "chosen_quarter",
    "events",
    "MONITOR_FIGURES",
    "monitor_figure_names",
    "spc_figure",
    "spc_figures",
]

#: Languages of figures, captions and source lines.
LANGUAGES = ("sv", "en")

#: Each source's folder (as the demo and ``ehalsa report`` name it): its source line, the
#: short name used before "SYNTHETIC DEMO DATA", and what its rows are (for "no rows" errors).
SOURCES = {
    "lika": {
        "sv": (
            "LIKA Socialtjänst, kommunernas självskattningar",
            "LIKA Socialtjänst",
            "LIKA-värderingar",
        ),
        "en": (
            "LIKA Socialtjänst, the municipalities' self-assessments",
            "LIKA Socialtjänst",
            "LIKA assessments",
        ),
    },
    "socialstyrelsen": {
        "sv": (
            "Socialstyrelsen, E-hälsa och välfärdsteknik i kommunerna",
            "Socialstyrelsens enkät",
            "enkätsvar",
        ),
        "en": (
            "Socialstyrelsen, E-health and welfare technology in the municipalities",
            "Socialstyrelsen's survey",
            "survey answers",
        ),
    },
    "avstand": {
        "sv": (
            "Befolkningsrutor, servicepunkter och vägnät",
            "Befolkning, service och vägar",
            "befolkningsrutor",
        ),
        "en": (
            "Population grid, service points and road network",
            "Population, services and roads",
            "population cells",
        ),
    },
    "monitoring": {
        "sv": ("Kommunernas effektuppföljning", "Kommunernas uppföljning", "mätvärden"),
        "en": ("The municipalities' effect monitoring", "Municipal monitoring", "measurements"),
    },
}
_SYNTHETIC = {
    "sv": "SYNTETISKA DEMODATA från ehalsa_analys, inte statistik",
    "en": "SYNTHETIC DEMO DATA from ehalsa_analys, not statistics",
}
_NO_ROWS = {
    "sv": (
        "Inga {what} för län {code} ({county})",
        "kontrollera county_code, eller ge en datamapp med länets kommuner",
    ),
    "en": (
        "No {what} for county {code} ({county})",
        "check county_code, or give a data folder holding the county's municipalities",
    ),
}


def _source_line(part: str | None, lang: str, synthetic: bool) -> str:
    if part is None:
        return _SYNTHETIC[lang] if synthetic else ""
    full, short, _what = SOURCES[part][lang]
    return f"{short} – {_SYNTHETIC[lang]}" if synthetic else full


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(
        p.is_file() and not p.name.startswith(".") for p in folder.rglob("*")
    )


@dataclass(frozen=True, eq=False)
class Notebook:
    """What a notebook's cells read after :func:`setup`.

    Attributes
    ----------
    part : str or None
        The source (a key of :data:`SOURCES`), or None for a folder holding
        one subfolder per source.
    county_code, county : str
        "18" and "Örebro län".
    data_dir : Path
        The folder read.
    synthetic : bool
        The data are the synthetic demo.
    lang : {"sv", "en"}
    seed : int
        Seed of the demo data and of bootstrap intervals.
    source : str
        The source line for figures ("" for ``part=None`` with real data;
        :meth:`source_of` gives each part's).
    outputs : ehalsa_analys.store.Outputs
        Saves figures and tables (nothing when its folders are None).
    names : Series
        Municipality name by code, for all of Sweden's municipalities.
    """

    part: str | None
    county_code: str
    county: str
    data_dir: Path
    synthetic: bool
    lang: str
    seed: int
    source: str
    outputs: Outputs
    names: pd.Series

    def source_of(self, part: str) -> str:
        """The source line of one ``part`` (e.g. "lika"), in the notebook's language.

        Example
        -------
        >>> setup(None, county_code="18", data_dir=".", synthetic=True).source_of("lika")
        'LIKA Socialtjänst – SYNTETISKA DEMODATA från ehalsa_analys, inte statistik'
        """
        check_choice("part", list(SOURCES), part)
        return _source_line(part, self.lang, self.synthetic)

    def folder(self, part: str) -> Path | None:
        """``data_dir / part`` when it holds a file, else None (``part=None`` notebooks).

        Example
        -------
        >>> nb = setup(None, county_code="18", data_dir="tests/fixtures")
        >>> nb.folder("lika").name, nb.folder("avstand")
        ('lika', None)
        """
        check_choice("part", list(SOURCES), part)
        folder = self.data_dir / part
        return folder if _has_files(folder) else None

    def in_county(self, data: pd.DataFrame, **selections: Any) -> pd.DataFrame:
        """The rows of ``data`` in the county (and among ``selections``), with a fresh index.

        Parameters
        ----------
        data : DataFrame
            A tidy table with a municipality_code column (a GeoDataFrame stays one).
        **selections : list or None
            ``column=values`` keeps only rows whose column is one of the
            values; None or an empty list keeps all (a notebook parameter
            left at its default), e.g. ``metric_id=metrics``.

        Returns
        -------
        DataFrame
            Same columns and ``attrs`` as ``data``.

        Raises
        ------
        NoDataError
            No row is left; the message names the county and the folder.

        Example
        -------
        >>> import pandas as pd
        >>> nb = setup("monitoring", county_code="18", data_dir="data")
        >>> d = pd.DataFrame({"municipality_code": ["1880", "1814", "2281"], "metric_id": "m"})
        >>> nb.in_county(d)["municipality_code"].tolist()
        ['1880', '1814']
        >>> nb.in_county(d, municipality_code=["1814"], metric_id=None)["metric_id"].tolist()
        ['m']
        >>> try:
        ...     nb.in_county(d, metric_id=["x"])
        ... except NoDataError as err:
        ...     print(err.message)
        Inga mätvärden för län 18 (Örebro län) med metric_id ['x']
        >>> nb.in_county(d, municipality_code=["0180"])
        Traceback (most recent call last):
        ...
        ehalsa_analys.errors.EhalsaError: 0180 ligger inte i Örebro län (18) (column ...
        """
        require_columns(data, "data", ["municipality_code", *selections])
        keep = data["municipality_code"].astype("str").str[:2] == self.county_code
        chosen = {column: list(values) for column, values in selections.items() if values}
        elsewhere = [
            str(code)
            for code in chosen.get("municipality_code", [])
            if str(code)[:2] != self.county_code
        ]
        if elsewhere:  # asked for by name, so an error rather than a silent empty panel
            raise EhalsaError(
                f"{', '.join(elsewhere)} "
                + ("ligger inte i" if self.lang == "sv" else "is not in")
                + f" {self.county} ({self.county_code})",
                column="municipalities",
                value=elsewhere,
                hint="choose municipalities of the county, or run the notebook for their county",
            )
        for column, values in chosen.items():
            keep &= data[column].isin(values)
        if not keep.any():
            message, hint = _NO_ROWS[self.lang]
            what = (
                SOURCES[self.part][self.lang][2]
                if self.part
                else ("rader" if self.lang == "sv" else "rows")
            )
            text = message.format(what=what, code=self.county_code, county=self.county)
            if chosen:
                joiner = " med " if self.lang == "sv" else " with "
                text += joiner + ", ".join(f"{c} {v}" for c, v in chosen.items())
            raise NoDataError(text, file=str(self.data_dir), hint=hint)
        out = data[keep.to_numpy()].reset_index(drop=True)
        out.attrs = dict(data.attrs)
        return out

    def read(
        self, part: str, loader: Callable[..., pd.DataFrame], *, county: bool = True, **kwargs
    ) -> pd.DataFrame | None:
        """``loader(data_dir / part, **kwargs)``, or None when there is nothing for the county.

        For the summary notebook, whose sections are shown only when their
        source has data: None when the part's folder holds no file or (with
        ``county=True``) none of the county's rows; else the table, limited to
        the county with ``county=True``.

        Example
        -------
        >>> from ehalsa_analys import load
        >>> nb = setup(None, county_code="18", data_dir="tests/fixtures")
        >>> nb.read("lika", load.lika)["municipality_code"].unique().tolist()
        ['1860', '1880']
        >>> nb.read("avstand", load.population) is None
        True
        """
        folder = self.folder(part)
        if folder is None:
            return None
        data = loader(folder, **kwargs)
        if not county:
            return data
        try:
            return self.in_county(data)
        except NoDataError:
            return None

    def with_names(
        self, data: pd.DataFrame, *, titles: pd.Series | dict | None = None
    ) -> pd.DataFrame:
        """A copy of ``data`` with the municipality's name added as a last column "kommun".

        With ``titles`` (title by metric_id) a column "mått" follows with
        the metric's title. Codes and ids without a name are kept as they are.

        Example
        -------
        >>> import pandas as pd
        >>> nb = setup("lika", county_code="18", data_dir=".")
        >>> t = nb.with_names(pd.DataFrame({"municipality_code": ["1880"], "metric_id": ["m"]}),
        ...                   titles={"m": "Digitala besök"})
        >>> t.values.tolist()
        [['1880', 'm', 'Örebro', 'Digitala besök']]
        """
        require_columns(data, "data", ["municipality_code"])
        codes = data["municipality_code"]
        out = data.assign(kommun=codes.map(self.names).fillna(codes))
        if titles is not None:
            require_columns(data, "data", ["metric_id"])
            ids = data["metric_id"]
            out["mått"] = ids.map(dict(titles)).fillna(ids)
        return out

    def save_figures(
        self,
        figures: Mapping[str, Any],
        *,
        names: Mapping[str, str],
        captions: Mapping[str, str],
    ) -> list[Path]:
        """Save several figures through :attr:`outputs`: ``figures[key]`` as ``names[key]``.

        Each figure gets ``captions[key]`` and the notebook's source line;
        keys are taken in order. Returns the files written (none when
        :attr:`outputs` has no folder).

        Example
        -------
        >>> import matplotlib.pyplot as plt, tempfile
        >>> nb = setup("monitoring", county_code="18", data_dir=".", figures_dir=tempfile.mkdtemp())
        >>> paths = nb.save_figures({"m": plt.figure()}, names={"m": "monitor_m"},
        ...                         captions={"m": "En bildtext."})
        >>> [p.name for p in paths]
        ['monitor_m.png', 'monitor_m.svg', 'monitor_m.json']
        """
        missing = [key for key in figures if key not in names or key not in captions]
        if missing:
            raise ValueError(f"No name or caption for the figure(s) {missing}.")
        written: list[Path] = []
        for key, fig in figures.items():
            written += self.outputs.figure(
                fig, names[key], caption=captions[key], source=self.source
            )
        return written


def setup(
    part: str | None,
    *,
    county_code: Any,
    data_dir: str | os.PathLike | None = None,
    synthetic: bool | None = None,
    lang: str = "sv",
    seed: int = demo.DEFAULT_SEED,
    figures_dir: str | os.PathLike | None = None,
    tables_dir: str | os.PathLike | None = None,
) -> Notebook:
    """Resolve a notebook's parameters into a :class:`Notebook`.

    Parameters
    ----------
    part : {"lika", "socialstyrelsen", "avstand", "monitoring"} or None
        The notebook's source; None for a folder with a subfolder per source
        (the summary notebook).
    county_code : str or int
        County code or name.
    data_dir : str or PathLike, optional
        The data folder; None: the synthetic demo, written under
        data/raw/demo when missing (all parts for ``part=None``).
    synthetic : bool, optional
        Whether the data are the demo; default: when ``data_dir`` is None.
    lang : {"sv", "en"}, default "sv"
    seed : int
        Seed of the demo data.
    figures_dir, tables_dir : str or PathLike, optional
        Where :attr:`Notebook.outputs` saves figures and tables (tables
        beside the figures when ``tables_dir`` is None; nothing is saved when
        both are None).

    Returns
    -------
    Notebook

    Raises
    ------
    UnknownMunicipalityError
        ``county_code`` is no county.
    ValueError
        ``part`` or ``lang`` is not one of the choices.

    Example
    -------
    >>> nb = setup("avstand", county_code=22, data_dir="x", synthetic=True, lang="en")
    >>> nb.county, nb.data_dir.name
    ('Västernorrlands län', 'x')
    >>> nb.source
    'Population, services and roads – SYNTHETIC DEMO DATA from ehalsa_analys, not statistics'
    """
    check_choice("part", [*SOURCES, None], part)
    check_choice("lang", list(LANGUAGES), lang)
    code = reference.resolve_county(county_code)
    synthetic = data_dir is None if synthetic is None else bool(synthetic)
    if data_dir is not None:
        folder = Path(data_dir)
    elif part is not None:
        folder = demo.path(part, seed=seed)
    else:
        for each in SOURCES:
            demo.path(each, seed=seed)
        folder = demo_dir()
    municipalities = reference.municipalities()
    return Notebook(
        part=part,
        county_code=code,
        county=reference.counties().set_index("county_code").loc[code, "county"],
        data_dir=folder,
        synthetic=synthetic,
        lang=lang,
        seed=int(seed),
        source=_source_line(part, lang, synthetic),
        outputs=Outputs(figures_dir, tables_dir, lang=lang),
        names=municipalities.set_index("municipality_code")["municipality"],
    )


#: Axis labels of a catalogue's units, by language ("%" is a share in percent).
UNIT_LABELS = {
    "sv": {"%": "Andel, %", "antal": "Antal", "minuter": "Minuter", "ja/nej": "Ja/nej"},
    "en": {"%": "Share, %", "antal": "Number", "minuter": "Minutes", "ja/nej": "Yes/no"},
}


def units(catalogue: pd.DataFrame, *, key: str, lang: str = "sv") -> pd.Series:
    """Axis label by id from a catalogue's ``unit`` column: "Andel, %", "Antal", "Minuter".

    Units not in :data:`UNIT_LABELS` are shown as they are written, first letter capitalised.

    Example
    -------
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"metric_id": ["a", "b", "c"], "unit": ["%", "antal", "kr"]})
    >>> units(cat, key="metric_id").to_dict(), units(cat, key="metric_id", lang="en")["b"]
    ({'a': 'Andel, %', 'b': 'Antal', 'c': 'Kr'}, 'Number')
    """
    check_choice("lang", list(LANGUAGES), lang)
    require_columns(catalogue, "catalogue", [key, "unit"])
    table = catalogue.set_index(key)["unit"].astype(str)
    known = UNIT_LABELS[lang]
    return table.map(lambda u: known.get(u.strip().lower(), u[:1].upper() + u[1:])).rename("unit")


def titles(catalogue: pd.DataFrame, *, key: str, lang: str = "sv") -> pd.Series:
    """Title by id from a catalogue: ``title_en`` in English when it has one, else ``title_sv``.

    Example
    -------
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"metric_id": ["a", "b"], "title_sv": ["Ett", "Två"],
    ...                     "title_en": ["One", None]})
    >>> titles(cat, key="metric_id", lang="en").to_dict()
    {'a': 'One', 'b': 'Två'}
    """
    check_choice("lang", list(LANGUAGES), lang)
    require_columns(catalogue, "catalogue", [key, "title_sv"])
    table = catalogue.set_index(key)
    if lang == "en" and "title_en" in table:
        return table["title_en"].fillna(table["title_sv"]).rename("title")
    return table["title_sv"].rename("title")


# --------------------------------------------------------------------------- LIKA (notebook 01)


@dataclass(frozen=True, eq=False)
class AssessmentRounds:
    """The LIKA rounds a notebook compares (:func:`assessment_rounds`).

    Attributes
    ----------
    first, latest : DataFrame
        The responses of the first and the latest round compared.
    rounds : tuple of int
        The years compared, in order.
    years : tuple of int
        Every year in the data.
    """

    first: pd.DataFrame
    latest: pd.DataFrame
    rounds: tuple[int, ...]
    years: tuple[int, ...]

    @property
    def several(self) -> bool:
        """True when at least two rounds are compared (so there is a change to show)."""
        return len(self.rounds) >= 2

    @property
    def labels(self) -> tuple[str, str]:
        """The first and latest year as text, as :func:`plots.change_dumbbell` takes them."""
        return str(self.rounds[0]), str(self.rounds[-1])


def assessment_rounds(responses: pd.DataFrame, *, rounds=None) -> AssessmentRounds:
    """Split LIKA responses into the first and the latest of the rounds (years) compared.

    Parameters
    ----------
    responses : DataFrame
        A ``lika_responses`` table (assessed_on).
    rounds : list of int, optional
        The years to compare; default every year in the data.

    Raises
    ------
    NoDataError
        A year of ``rounds`` has no assessments (the message lists those there are).

    Example
    -------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"municipality_code": ["1880", "1880", "1814"],
    ...     "assessed_on": pd.to_datetime(["2018-05-01", "2022-05-01", "2020-01-10"])})
    >>> a = assessment_rounds(r)
    >>> a.rounds, a.years, len(a.first), len(a.latest), a.several
    ((2018, 2022), (2018, 2020, 2022), 1, 1, True)
    >>> assessment_rounds(r, rounds=[2020]).labels
    ('2020', '2020')
    """
    require_columns(responses, "responses", ["assessed_on"])
    year = responses["assessed_on"].dt.year
    years = tuple(int(y) for y in sorted(year.dropna().unique()))
    if not years:
        raise NoDataError("`responses` holds no assessment", column="assessed_on")
    chosen = years if not rounds else tuple(sorted(int(y) for y in rounds))
    missing = sorted(set(chosen) - set(years))
    if missing:
        raise NoDataError(
            f"No LIKA assessments in {missing}; the data hold {list(years)}",
            column="assessed_on",
            value=missing,
            hint="choose rounds among the years in the data, or leave `rounds` empty",
        )
    return AssessmentRounds(
        first=responses[year == chosen[0]].reset_index(drop=True),
        latest=responses[year == chosen[-1]].reset_index(drop=True),
        rounds=(chosen[0], chosen[-1]) if len(chosen) > 1 else (chosen[0],),
        years=years,
    )


def index_order(index: pd.DataFrame) -> list[str]:
    """Municipality codes by maturity index, highest first (ties: the lowest code).

    Example
    -------
    >>> import pandas as pd
    >>> index_order(pd.DataFrame({"municipality_code": ["1880", "1814", "1860"],
    ...                           "index": [0.5, 0.7, 0.5]}))
    ['1814', '1860', '1880']
    """
    require_columns(index, "index", ["municipality_code", "index"])
    ordered = index.sort_values(["index", "municipality_code"], ascending=[False, True])
    return ordered["municipality_code"].tolist()


def lika_gaps(scores: pd.DataFrame, *, reference: str = "county", target: float = 0.75):
    """:func:`maturity.gaps` with ``target`` passed only for ``reference="target"`` (notebook 01).

    A county of one municipality (Gotland) is compared with ``target``: against its own mean
    or its best municipality every gap would be zero.

    Example
    -------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"municipality_code": ["1880", "1814"], "dimension": "Ledning",
    ...                   "score": [0.8, 0.4]})
    >>> lika_gaps(s, reference="county", target=0.9)["gap"].round(2).tolist()
    [-0.2, 0.2]
    >>> lika_gaps(s, reference="target", target=0.9)["gap"].round(2).tolist()
    [-0.5, -0.1]
    >>> lika_gaps(s.iloc[:1], reference="county", target=0.9)["reference"].tolist()
    ['target']
    """
    from . import maturity

    if reference in ("county", "best") and scores["municipality_code"].nunique() < 2:
        reference = "target"
    return maturity.gaps(
        scores, reference=reference, target=target if reference == "target" else None
    )


def peer_table(peers: pd.DataFrame, names: pd.Series | dict) -> pd.DataFrame:
    """Peer groups with names: peer_group, kommun, narmaste (the nearest peers' names).

    Example
    -------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"municipality_code": ["1880", "1814"], "peer_group": [1, 1],
    ...                   "nearest_peers": [("1814",), ("1880", "9999")]})
    >>> peer_table(p, {"1880": "Örebro", "1814": "Lekeberg"}).values.tolist()
    [[1, 'Lekeberg', 'Örebro, 9999'], [1, 'Örebro', 'Lekeberg']]
    """
    require_columns(peers, "peers", ["municipality_code", "peer_group", "nearest_peers"])
    names = dict(names)
    table = pd.DataFrame(
        {
            "peer_group": peers["peer_group"].to_numpy(),
            "kommun": [names.get(c, c) for c in peers["municipality_code"]],
            "narmaste": [
                ", ".join(names.get(c, c) for c in codes) for codes in peers["nearest_peers"]
            ],
        }
    )
    return table.sort_values(["peer_group", "kommun"], ignore_index=True)


# --------------------------------------------------------------------------- survey (notebook 02)


def survey_years(obs: pd.DataFrame, *, year: int | None = None) -> tuple[int, int]:
    """The first year in the data and the year compared (``year``, default the latest).

    Example
    -------
    >>> import pandas as pd
    >>> o = pd.DataFrame({"period": [2014, 2019, 2024]})
    >>> survey_years(o), survey_years(o, year=2019)
    ((2014, 2024), (2014, 2019))
    """
    require_columns(obs, "obs", ["period"])
    first, last = int(obs["period"].min()), int(obs["period"].max())
    return first, int(year) if year else last


def survey_indicators(obs: pd.DataFrame, catalogue: pd.DataFrame, *, indicators=None) -> list[str]:
    """The indicators to compare: those asked for, default every Ja/Nej indicator, if in the data.

    Example
    -------
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"indicator_id": ["a", "b", "c"], "unit": ["ja/nej", "%", "ja/nej"]})
    >>> o = pd.DataFrame({"indicator_id": ["a", "b"]})
    >>> survey_indicators(o, cat), survey_indicators(o, cat, indicators=["b", "c"])
    (['a'], ['b'])
    """
    require_columns(obs, "obs", ["indicator_id"])
    require_columns(catalogue, "catalogue", ["indicator_id", "unit"])
    wanted = indicators or catalogue.loc[catalogue["unit"] == "ja/nej", "indicator_id"].tolist()
    present = set(obs["indicator_id"])
    return [i for i in wanted if i in present]


def survey_levels(obs: pd.DataFrame, *, weighted: bool = False) -> pd.DataFrame:
    """County, national and size-class levels (:func:`compare.reference_levels`).

    Groups are Socialstyrelsen's size classes (:func:`compare.size_classes`);
    with ``weighted=True`` every level is weighted by the population.
    """
    from . import compare

    population = reference.population() if weighted else None
    return compare.reference_levels(obs, groups=compare.size_classes(), population=population)


def largest_size_group(county_code: str) -> str:
    """The size class of the county's most populous municipality.

    Example
    -------
    >>> largest_size_group("18")
    'över 100 000'
    """
    from . import compare

    code = reference.resolve_county(county_code)
    sizes = compare.size_classes()
    mine = sizes[sizes["municipality_code"].str[:2] == code]
    biggest = mine.sort_values(["population", "municipality_code"], ascending=[False, True])
    return str(biggest["group"].iloc[0])


def indicator_in(obs: pd.DataFrame, indicator: str) -> str | None:
    """``indicator`` when the observations hold it, else None (to show its figure or not).

    Example
    -------
    >>> import pandas as pd
    >>> o = pd.DataFrame({"indicator_id": ["a"]})
    >>> indicator_in(o, "a"), indicator_in(o, "b")
    ('a', None)
    """
    require_columns(obs, "obs", ["indicator_id"])
    return indicator if (obs["indicator_id"] == indicator).any() else None


# --------------------------------------------------------------------------- access (notebook 03)


@dataclass(frozen=True, eq=False)
class AccessInputs:
    """The distance-to-service inputs of a folder (:func:`access_inputs`).

    Attributes
    ----------
    cells, services : GeoDataFrame
        Population cells (all of them; limit them with :meth:`Notebook.in_county`)
        and service points.
    roads : RoadGraph or None
        The road network (``method="network"`` only).
    method : {"network", "euclidean"}
    weight : {"time", "length"}
        Travel time on the network, straight-line length otherwise.
    """

    cells: Any
    services: Any
    roads: Any
    method: str
    weight: str

    @property
    def by_time(self) -> bool:
        """True when distances are travel times (minutes in summaries), else lengths (km)."""
        return self.weight == "time"


def _one(folder: Path, pattern: str, what: str, hint: str) -> Path:
    found = sorted(p for p in folder.glob(pattern) if p.is_file())
    if not found:
        raise InputFileError(f"The folder holds no {what} ({pattern})", file=str(folder), hint=hint)
    return found[0]


def access_inputs(folder: str | os.PathLike, *, method: str = "network") -> AccessInputs:
    """Read a distance-to-service folder: population grid, services and (for the network) roads.

    The folder holds ``befolkning_*`` (a grid of 1 km squares, or 250 m when
    the name says "250m"), ``service*`` and, for ``method="network"``,
    ``vagar*``; the first in name order of each is read.

    Raises
    ------
    InputFileError
        A file is missing; the message names the folder and the pattern.

    Example
    -------
    >>> import pathlib, shutil, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = shutil.copy("tests/fixtures/rural/population.csv", d / "befolkning_1km.csv")
    >>> _ = shutil.copy("tests/fixtures/rural/services.csv", d / "service.csv")
    >>> inputs = access_inputs(d, method="euclidean")
    >>> inputs.cells["population"].sum(), inputs.weight, inputs.roads is None
    (np.float64(40.0), 'length', True)
    """
    from . import load

    check_choice("method", ["network", "euclidean"], method)
    folder = Path(folder)
    grid = _one(folder, "befolkning_*", "population grid", "name the grid befolkning_1km.csv")
    services = _one(folder, "service*", "service points", "name the file service.csv")
    roads = None
    if method == "network":
        roads = load.roads(
            _one(folder, "vagar*", "road network", 'add vagar.parquet, or use method="euclidean"')
        )
    return AccessInputs(
        cells=load.population(grid, cell_size=250 if "250m" in grid.name else 1000),
        services=load.services(services),
        roads=roads,
        method=method,
        weight="time" if method == "network" else "length",
    )


_PERIOD_WORD = {"sv": "befolkning {year}", "en": "population {year}"}


def access_period(
    folder: str | os.PathLike, *, synthetic: bool = False, lang: str = "sv"
) -> str | None:
    """The period of a distance folder's population grid, for figure titles ("befolkning 2024").

    The year is read from the grid's file name (``befolkning_2024_1km.csv``); the synthetic
    demo, spread over the municipalities' population of 31 December 2025
    (:func:`ehalsa_analys.reference.population`), gives that year. None when neither says
    (the titles then name no period rather than a guessed one).

    Example
    -------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "befolkning_2024_1km.csv").write_text("")
    >>> access_period(d), access_period(d, lang="en")
    ('befolkning 2024', 'population 2024')
    >>> access_period(tempfile.mkdtemp()), access_period(tempfile.mkdtemp(), synthetic=True)
    (None, 'befolkning 2025')
    """
    check_choice("lang", list(LANGUAGES), lang)
    year = access_year(folder, synthetic=synthetic)
    return None if year is None else _PERIOD_WORD[lang].format(year=year)


def access_year(folder: str | os.PathLike | None, *, synthetic: bool = False) -> int | None:
    """The year of a distance folder's population grid (:func:`access_period`), or None.

    Example
    -------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "befolkning_2024_1km.csv").write_text("")
    >>> access_year(d), access_year(None), access_year(None, synthetic=True)
    (2024, None, 2025)
    """
    import re

    if folder is not None:
        for grid in sorted(p for p in Path(folder).glob("befolkning_*") if p.is_file()):
            found = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", grid.stem)
            if found:
                return int(found.group(0))
    if synthetic:
        return int(reference.population()["year"].max())
    return None


_BROADBAND_WORD = {"sv": "bredband {year}", "en": "broadband {year}"}


def broadband_period(period: str | None, shares=None, *, lang: str = "sv") -> str | None:
    """The period of the digital-reach figures: the population's and the broadband data's year.

    ``period`` is :func:`access_period`; ``shares`` is PTS' table (``load.broadband``), whose
    latest year the classes use. Either may be missing; None when both are.

    Example
    -------
    >>> import pandas as pd
    >>> broadband_period("befolkning 2025", pd.DataFrame({"year": [2023, 2024]}))
    'befolkning 2025, bredband 2024'
    >>> broadband_period(None, None, lang="en") is None
    True
    """
    check_choice("lang", list(LANGUAGES), lang)
    parts = [period] if period else []
    year = broadband_year(shares)
    if year is not None:
        parts.append(_BROADBAND_WORD[lang].format(year=year))
    return ", ".join(parts) or None


def broadband_year(shares) -> int | None:
    """The latest year of PTS' table (``load.broadband``), which the reach classes use.

    Example
    -------
    >>> import pandas as pd
    >>> broadband_year(pd.DataFrame({"year": [2023, 2024]})), broadband_year(None)
    (2024, None)
    """
    if shares is None or "year" not in shares:
        return None
    years = pd.to_numeric(shares["year"], errors="coerce").dropna()
    return int(years.max()) if len(years) else None


def service_kinds(services, *, kinds=None) -> list[str]:
    """The kinds of service to measure: those asked for, default every kind in ``services``.

    Example
    -------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"kind": ["apotek", "dagligvaror", "apotek"]})
    >>> service_kinds(s), service_kinds(s, kinds=["apotek"])
    (['apotek', 'dagligvaror'], ['apotek'])
    """
    require_columns(services, "services", ["kind"])
    return list(kinds) if kinds else sorted(services["kind"].unique())


def map_kind(kinds, *, preferred: str = "dagligvaror") -> str:
    """The kind the map and classes show: ``preferred`` when measured, else the first.

    Example
    -------
    >>> map_kind(["apotek", "dagligvaror"]), map_kind(["apotek", "vårdcentral"])
    ('dagligvaror', 'apotek')
    """
    kinds = list(kinds)
    if not kinds:
        raise ValueError("`kinds` is empty; measure at least one kind of service.")
    return preferred if preferred in kinds else kinds[0]


def pipos_comparison(classes: pd.DataFrame, folder: str | os.PathLike) -> pd.DataFrame | None:
    """Our distance classes beside a Pipos table of the folder (``pipos_*``), or None.

    Returns
    -------
    DataFrame or None
        ``classes`` merged on municipality_code, kind, lower and unit with
        the Pipos table's population as ``population_pipos``; None when the
        folder holds no Pipos table.
    """
    from . import load

    found = sorted(p for p in Path(folder).glob("pipos_*") if p.is_file())
    if not found:
        return None
    pipos = load.pipos(found[0])
    return classes.merge(
        pipos, on=["municipality_code", "kind", "lower", "unit"], suffixes=("", "_pipos")
    )


def home_care_bases(services, *, kind: str = "hemtjänst"):
    """The home-care bases among ``services`` (kind "hemtjänst"), or None when there are none.

    Example
    -------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"kind": ["apotek", "hemtjänst"], "service_id": ["a", "h"]})
    >>> home_care_bases(s)["service_id"].tolist(), home_care_bases(s.iloc[:1])
    (['h'], None)
    """
    require_columns(services, "services", ["kind"])
    bases = services[services["kind"] == kind]
    return bases if len(bases) else None


def home_care_clients(cells, *, people_per_client: float = 10.0, visits_per_month: float = 30.0):
    """Home-care clients per cell, as notebook 03's scenario assumes them.

    One client per ``people_per_client`` inhabitants aged 70 and over (of
    all inhabitants when the grid has no ``population_70plus``), each with
    ``visits_per_month`` visits.

    Example
    -------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"population": [100.0, 50.0], "population_70plus": [20.0, 40.0]})
    >>> home_care_clients(c)[["population", "visits_per_month"]].values.tolist()
    [[2.0, 30.0], [4.0, 30.0]]
    """
    require_columns(cells, "cells", ["population"])
    people = cells["population_70plus"] if "population_70plus" in cells else cells["population"]
    return cells.assign(
        population=people / people_per_client, visits_per_month=float(visits_per_month)
    )


# ------------------------------------------------------------------------- monitoring (notebook 04)


def chosen_quarter(data: pd.DataFrame, *, quarter=None) -> pd.Period:
    """The quarter summarised: ``quarter`` ("2026Q3"), default the latest in the data.

    Example
    -------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"period": pd.PeriodIndex(["2026Q2", "2026Q3"], freq="Q")})
    >>> str(chosen_quarter(d)), str(chosen_quarter(d, quarter="2026Q2"))
    ('2026Q3', '2026Q2')
    """
    require_columns(data, "data", ["period"])
    return pd.Period(quarter, freq="Q") if quarter else data["period"].max()


def events(folder: str | os.PathLike) -> pd.DataFrame | None:
    """The log of changes ``events.csv`` of a monitoring folder, or None when it has none."""
    from . import load

    log = Path(folder) / "events.csv"
    return load.events(log) if log.is_file() else None


#: File names of notebook 04's control-chart figures by metric (others: ``monitor_<metric_id>``).
MONITOR_FIGURES = {
    "digital_besok_andel": "monitor_digitala_besok",
    "nattillsyn_brukare": "monitor_nattillsyn",
    "larm_insatstid": "monitor_insatstid",
    "lakemedel_avvikelser": "monitor_lakemedel",
}


def monitor_figure_names(metrics) -> dict[str, str]:
    """The figure name of each metric (:data:`MONITOR_FIGURES`, else ``monitor_<metric_id>``).

    Example
    -------
    >>> monitor_figure_names(["larm_insatstid", "fall"])
    {'larm_insatstid': 'monitor_insatstid', 'fall': 'monitor_fall'}
    """
    return {m: MONITOR_FIGURES.get(m, f"monitor_{m}") for m in metrics}


def _quarter_span(periods, lang: str) -> str:
    """ "2022 K1–2026 K3": the first and last quarter of ``periods``."""
    from .formatting import quarter_label

    values = sorted(pd.unique(pd.Series(periods).dropna()))
    if not values:
        return ""
    first, last = quarter_label(values[0], lang), quarter_label(values[-1], lang)
    return first if first == last else f"{first}–{last}"


def spc_figure(
    charts: pd.DataFrame,
    *,
    metric_id: str,
    title: str | None = None,
    unit: str | None = None,
    events: pd.DataFrame | None = None,
    lang: str = "sv",
    source: str | None = None,
):
    """One metric's control charts, a panel per municipality (:func:`plots.spc_small_multiples`).

    The target, direction and percent scale are read from the chart rows
    (:func:`monitoring.charts_for`); with ``title`` the figure gets it as its
    heading, followed by the quarters shown ("…, 2022 K1–2026 K3"), and ``unit``
    labels the y axis. Counts (c charts) of municipalities of different sizes get
    a y scale each; other charts share one. The rows must have been through
    :func:`monitoring.hide_small_counts` (a ``suppressed`` column): a figure is
    published, so small counts stay hidden.

    Example
    -------
    >>> import pandas as pd
    >>> from ehalsa_analys import monitoring
    >>> cat = pd.DataFrame({"metric_id": ["m"], "kind": ["count"], "higher_is_better": [True]})
    >>> d = pd.DataFrame({"municipality_code": "1880", "metric_id": "m",
    ...     "period": pd.period_range("2024Q1", periods=4, freq="Q"), "value": [4.0, 6, 5, 5]})
    >>> charts = monitoring.hide_small_counts(monitoring.charts_for(d, cat), data=d, catalogue=cat)
    >>> fig = spc_figure(charts, metric_id="m", title="Brukare", unit="Antal")
    >>> fig.get_suptitle(), [ax.get_title() for ax in fig.axes if ax.get_title()]
    ('Brukare, 2024 K1–2024 K4', ['Örebro'])
    >>> fig.axes[0].get_ylabel()
    'Antal (egen skala per kommun)'
    """
    from . import plots

    # A figure leaves the package: only charts that went through the small-count guard.
    require_columns(charts, "charts", ["metric_id", "chart", "higher_is_better", "suppressed"])
    shown = charts[charts["metric_id"] == metric_id]
    if shown.empty:
        raise ValueError(f"`charts` has no rows for the metric {metric_id!r}.")
    first = shown.iloc[0]
    target = first["target"] if "target" in shown and pd.notna(first["target"]) else None
    heading = None
    if title:
        span = _quarter_span(shown["x"], lang) if "x" in shown else ""
        heading = f"{title}, {span}" if span else title
    return plots.spc_small_multiples(
        shown,
        target=target,
        higher_is_better=bool(first["higher_is_better"]),
        percent=first["chart"] in ("p", "pp"),
        lang=lang,
        source=source,
        events=events,
        sharey=first["chart"] != "c",
        unit=unit,
        title=heading,
    )


def spc_figures(
    charts: pd.DataFrame,
    *,
    titles: pd.Series | dict | None = None,
    units: pd.Series | dict | None = None,
    events: pd.DataFrame | None = None,
    lang: str = "sv",
    source: str | None = None,
) -> dict[str, Any]:
    """:func:`spc_figure` of every metric in ``charts``, by metric_id in id order.

    Each figure is headed by the metric's title (``titles``, else its id) and its
    y axis labelled by its unit (``units``, e.g. :func:`units`).
    """
    require_columns(charts, "charts", ["metric_id"])
    titles = dict(titles) if titles is not None else {}
    units = dict(units) if units is not None else {}
    return {
        metric: spc_figure(
            charts,
            metric_id=metric,
            title=titles.get(metric, metric),
            unit=units.get(metric),
            events=events,
            lang=lang,
            source=source,
        )
        for metric in sorted(charts["metric_id"].unique())
    }
