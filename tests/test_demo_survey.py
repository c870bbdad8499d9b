from ehalsa_analys import demo


def test_demo__says_it_is_synthetic(tmp_path):
    readme, csv = demo.write_demo(tmp_path, parts=["socialstyrelsen"])
    assert "SYNTETISKA DEMODATA" in readme.read_text(encoding="utf-8")
    text = csv.read_bytes().decode("cp1252")
    assert "SYNTETISKA DEMODATA" in text.splitlines()[1]
    assert "syntetiska demodata" in text.splitlines()[-2]


def test_demo__real_export_quirks_and_calibrated_shares(tmp_path):
    _, csv = demo.write_demo(tmp_path, parts=["socialstyrelsen"])
    raw = csv.read_bytes()
    raw.decode("cp1252")
    assert b"\r\n" in raw and "ä".encode("cp1252") in raw
    rows = [line.split(";") for line in raw.decode("cp1252").splitlines()[4:-3]]
    assert len(rows) == 290
    codes = [r[0] for r in rows]
    assert "180" in codes and "0180" not in codes  # Excel stripped the zero
    answered = [r for r in rows if r[3] != ".."]
    assert 280 <= len(answered) < 290  # about 1 % did not answer
    night = sum(r[3] == "Ja" for r in answered) / len(answered)
    assert abs(night - 0.78) < 0.06
    assert any(r[6] == "x" for r in answered)  # small counts suppressed
    assert all("," in r[7] for r in answered)  # decimal comma
