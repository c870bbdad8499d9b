"""report.html from the Jinja2 template: the same bytes as before, and text always escaped."""

from __future__ import annotations

import fnmatch
import json
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from ehalsa_analys import __version__, report
from ehalsa_analys.report import render

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "report"

#: Caption files of the golden reports; PNG bytes are fake (write_html only embeds them).
METAS = [
    {
        "name": "lika_b",
        "caption": "Spridningen <b>fet</b> & \"citat\" 'apostrof'",
        "source": "LIKA <2024>",
        "order": 2,
    },
    {"name": "lika_a", "caption": "Utvecklingsområden", "order": 1},
    {"name": "survey_tom", "caption": "", "source": ""},
    {"name": "survey_utan_png", "caption": "Ingen bild"},
    {
        "name": "access_<script>",
        "caption": "<script>alert('x')</script>",
        "source": "Källa & <i>x</i>",
    },
]
CASES = {
    "report_sv.html": {
        "ran": {
            "lika": ["lika_b", "lika_a"],
            "survey": ["survey_tom", "survey_utan_png"],
            "access": ["access_<script>"],
        },
        "skipped": {"monitoring": "inga data i /data/<raw>", "summary": "ingen & annan del"},
        "county": "Örebro län",
        "period": "2024",
        "synthetic": True,
        "lang": "sv",
    },
    "report_en.html": {
        "ran": {"lika": ["lika_a"], "summary": []},
        "skipped": {"access": "no data"},
        "county": "Örebro <län>",
        "period": "latest",
        "synthetic": False,
        "lang": "en",
    },
}


@pytest.fixture
def figures(tmp_path):
    folder = tmp_path / "figures"
    folder.mkdir()
    for i, meta in enumerate(METAS):
        text = json.dumps(meta, ensure_ascii=False)
        (folder / f"{meta['name']}.json").write_text(text, encoding="utf-8")
        if meta["name"] != "survey_utan_png":
            (folder / f"{meta['name']}.png").write_bytes(bytes([0x89]) + b"PNG fake %d" % i)
    return folder


@pytest.mark.parametrize("name", sorted(CASES))
def test_write_html__byte_identical_to_the_inline_renderer(figures, tmp_path, name):
    """The fixtures were written by write_html before it used a template (version masked)."""
    path = report.write_html(figures, tmp_path / name, **CASES[name])
    expected = (FIXTURES / name).read_bytes().replace(b"{VERSION}", __version__.encode())
    assert path.read_bytes() == expected
    again = report.write_html(figures, tmp_path / f"again_{name}", **CASES[name])
    assert again.read_bytes() == path.read_bytes()


def test_write_html__text_is_escaped_everywhere(figures, tmp_path):
    html = report.write_html(figures, tmp_path / "r.html", **CASES["report_sv.html"]).read_text(
        encoding="utf-8"
    )
    assert "<script>" not in html and "<b>fet" not in html and "<i>" not in html
    # caption (in the alt text and the figure caption), figure name, source, reason
    assert html.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") == 2
    assert '<figure id="access_&lt;script&gt;">' in html
    assert '<span class="source">Källa &amp; &lt;i&gt;x&lt;/i&gt;</span>' in html
    assert "Spridningen &lt;b&gt;fet&lt;/b&gt; &amp; &quot;citat&quot; &#x27;apostrof&#x27;" in html
    assert "Ingår inte i rapporten: inga data i /data/&lt;raw&gt;." in html
    english = report.write_html(figures, tmp_path / "e.html", **CASES["report_en.html"])
    title = "<title>E-health and welfare technology in Örebro &lt;län&gt; – latest available data"
    assert title in english.read_text(encoding="utf-8")


def test_write_html__figures_numbered_in_caption_order_across_parts(figures, tmp_path):
    html = report.write_html(figures, tmp_path / "r.html", **CASES["report_sv.html"]).read_text(
        encoding="utf-8"
    )
    ids = [chunk.split('"')[0] for chunk in html.split('<figure id="')[1:]]
    assert ids == ["lika_a", "lika_b", "survey_tom", "access_&lt;script&gt;"]  # no PNG: left out
    assert [f"<b>Figur {n}.</b>" in html for n in (1, 2, 3, 4, 5)] == [True] * 4 + [False]
    assert "Ingen bild" not in html
    assert html.count('<p class="synthetic">') == 2  # at the top and under "Om underlaget"


def test_write_html__bad_lang_names_the_argument(figures, tmp_path):
    with pytest.raises(ValueError, match=r"`lang` must be one of \['sv', 'en'\], but 'de'"):
        report.write_html(figures, tmp_path / "r.html", **{**CASES["report_en.html"], "lang": "de"})
    assert not (tmp_path / "r.html").exists()


def test_template__autoescaped_strict_and_html_escape_entities():
    env = render._environment()
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x="<b>'\"&") == "&lt;b&gt;&#x27;&quot;&amp;"
    with pytest.raises(Exception, match="undefined"):
        env.from_string("{{ nothing.here }}").render()


def test_template__is_package_data():
    """An installed wheel has the template: pyproject's package-data covers every template."""
    template = resources.files("ehalsa_analys.report") / "templates" / render.TEMPLATE
    assert template.is_file()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["ehalsa_analys"]
    package = ROOT / "src" / "ehalsa_analys"
    templates = sorted((package / "report" / "templates").iterdir())
    assert templates
    for path in templates:
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative
