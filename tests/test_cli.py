import shutil
import subprocess
import sys

import pytest

from ehalsa_analys import __version__, cli


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("report", "demo", "resolve"):
        assert command in out


def test_version(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert capsys.readouterr().out.strip() == f"ehalsa_analys {__version__}"


def test_console_script_is_installed():
    exe = shutil.which("ehalsa") or str(
        __import__("pathlib").Path(sys.executable).with_name("ehalsa")
    )
    result = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True)
    assert __version__ in result.stdout


def test_resolve_command(capsys):
    assert cli.main(["resolve", "Lindesbergs kommun", "180"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Lindesbergs kommun\t1885\tLindesberg",
        "180\t0180\tStockholm",
    ]


def test_errors_are_one_message_and_exit_2(capsys):
    assert cli.main(["resolve", "Narnia"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ehalsa: 'Narnia' is not a Swedish municipality")
    assert "Traceback" not in err


def test_demo_command_writes_into_demo_folder_only(tmp_path, capsys):
    (tmp_path / "data" / "raw").mkdir(parents=True)
    assert cli.main(["demo", "--root", str(tmp_path)]) == 0
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert all(name.startswith("data/raw/demo/") for name in written)
    assert "data/raw/demo/LÄS_MIG.txt" in written
    assert {name.split("/")[3] for name in written} >= {"LÄS_MIG.txt", "lika", "socialstyrelsen"}
    assert "synthetic" in capsys.readouterr().out


def test_commands_import_what_they_run_only_when_they_run():
    heavy = ("ehalsa_analys.report", "matplotlib", "jinja2", "papermill")
    code = (
        "import sys\n"
        "from ehalsa_analys import cli\n"
        "cli.build_parser()\n"
        f"print(sorted(m for m in sys.modules if m.startswith({heavy!r})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_personal_number_in_any_argument_is_refused_and_never_echoed(capsys):
    for argv in (
        ["resolve", "19121212-1212"],
        ["resolve", "Örebro", "811228 9874"],
        ["report", "--county", "121212-1212"],
        ["monitor", "--input", "brukare_19121212-1212.csv"],
    ):
        assert cli.main(argv) == 2
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert "PersonalDataError" not in text and "personal identity number" in text
        for digits in ("1212-1212", "1212 1212", "9874"):
            assert digits not in text
