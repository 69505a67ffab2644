"""Exports for researchers: columns, cells, codebook, formula neutralisation, SPSS labels."""

import csv
import io
import json
import math
import zipfile
from datetime import UTC, date, datetime

import openpyxl
import pyreadstat
import pytest

from surveys.campaigns import create_campaign
from surveys.db import db
from surveys.definition import load_definition
from surveys.definition.publish import publish_definition
from surveys.exports.columns import spss_names, truncate_bytes
from surveys.exports.table import ExportError, load_table
from surveys.exports.writers import codebook_path, download, neutralise, write_export
from surveys.models import Answer, Invitation, Organisation, Response, ResponseStatus


def _t(nl: str) -> dict[str, str]:
    return {"nl": nl, "en": f"EN {nl}"}


DEFINITION = {
    "key": "export_test",
    "title": _t("Exporttest"),
    "languages": ["nl", "en"],
    "respondent_groups": [{"key": "deelnemer", "label": _t("Deelnemend bedrijf")}],
    "domains": [{"key": "werkwijze", "title": _t("Werkwijze")}],
    "sections": [
        {
            "key": "alles",
            "title": _t("Alles"),
            "items": [
                {"key": "sector", "type": "single_choice", "other": True, "text": _t("Sector?"),
                 "choices": [{"value": "zorg", "label": _t("Zorg")},
                             {"value": "ict", "label": _t("ICT")}]},
                {"key": "saldo", "type": "number", "min": -100, "max": 100, "text": _t("Saldo?")},
                {"key": "thema", "type": "multiple_choice", "other": True, "text": _t("Thema?"),
                 "choices": [{"value": "werving", "label": _t("Werving")},
                             {"value": "behoud", "label": _t("Behoud")}]},
                {"key": "uitleg", "type": "note", "text": _t("Nu de sprint.")},
                {"key": "doel", "type": "likert5", "domain": "werkwijze",
                 "text": _t("Ik verwacht het doel te bereiken."),
                 "text_followup": _t("Wij hebben het doel bereikt.")},
                {"key": "werkwijze", "type": "matrix", "scale": "maturity", "text": _t("Hoe?"),
                 "rows": [{"key": "focus", "domain": "werkwijze", "text": _t("Focus op een doel")},
                          {"key": "tijd_verspild", "domain": "werkwijze", "reverse": True,
                           "text": _t("Tijd verspild")}]},
                {"key": "aanbevelen", "type": "nps", "text": _t("Aanbevelen?")},
                {"key": "ingevoerd", "type": "yes_no", "text": _t("Ingevoerd?")},
                {"key": "toelichting", "type": "long_text", "text": _t("Toelichting?")},
            ],
        }
    ],
}  # fmt: skip

ITEM_COLUMNS = [
    "sector", "sector_other", "saldo", "thema__werving", "thema__behoud", "thema__anders",
    "thema_other", "doel", "focus", "tijd_verspild", "aanbevelen", "ingevoerd", "toelichting",
]  # fmt: skip
RESPONSE_COLUMNS = [
    "response_id", "respondent_group", "wave", "year", "submitted_on", "org_sector",
    "org_region", "org_size_class", "panel_key",
]  # fmt: skip
CONTACT_COLUMNS = ["organisation_name", "contact_name", "contact_email"]

PAYLOADS = [
    "=HYPERLINK(\"http://evil.example\",\"klik\")", "+31 6 1234", "-2+3", "@SUM(A1:A9)",
    "\t=1+1", "\r=1+1", "  =cmd|' /C calc'!A0",
]  # fmt: skip


def make_campaign():
    """A personal campaign (slug sprint-2024) of an instrument with every item type."""
    version = publish_definition(load_definition(DEFINITION)).version
    campaign = create_campaign(
        version, title="Sprintevaluatie 2024", year=2024, wave=0, opens_on=date(2024, 1, 1),
        closes_on=date(2024, 12, 31), mode="personal", slug="sprint-2024",
    )  # fmt: skip
    db.session.commit()
    return campaign


@pytest.fixture
def campaign(app):
    return make_campaign()


def respond(campaign, answers, *, status=ResponseStatus.SUBMITTED, organisation=None, **kw):
    """A response with stored answers (values as the engine stores them)."""
    response = Response(
        campaign_id=campaign.id,
        status=status,
        respondent_group="deelnemer",
        organisation_id=organisation.id if organisation else None,
        submitted_at=datetime(2024, 3, 1, 23, 30, tzinfo=UTC)
        if status == ResponseStatus.SUBMITTED
        else None,
        **kw,
    )
    db.session.add(response)
    db.session.flush()
    db.session.add_all(
        Answer(response_id=response.id, item_key=k, value=v) for k, v in answers.items()
    )
    db.session.commit()
    return response


FULL = {
    "sector": "anders", "sector_other": "Kunst", "saldo": "-5",
    "thema": json.dumps(["behoud", "anders"]), "thema_other": "Vitaliteit", "doel": "4",
    "focus": "nvt", "tijd_verspild": "1",
    "aanbevelen": "9", "ingevoerd": "ja", "toelichting": "Een nieuw inwerkprogramma.",
}  # fmt: skip


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_columns_are_response_columns_then_items_in_questionnaire_order(campaign):
    table = load_table(campaign.id)
    assert [c.name for c in table.columns] == RESPONSE_COLUMNS + ITEM_COLUMNS
    with_contacts = load_table(campaign.id, with_contacts=True)
    assert [c.name for c in with_contacts.columns] == (
        RESPONSE_COLUMNS + CONTACT_COLUMNS + ITEM_COLUMNS
    )


def test_csv_has_one_row_per_submitted_response_with_numbers_codes_and_option_columns(
    campaign, tmp_path
):
    first = respond(campaign, FULL, panel_key="p" * 64)
    respond(campaign, {"doel": "1"}, status=ResponseStatus.IN_PROGRESS)
    second = respond(campaign, {"doel": "weet_niet", "sector": "ict", "thema": '["werving"]'})
    write_export(load_table(campaign.id), "csv", tmp_path / "sprint.csv")
    rows = read_csv(tmp_path / "sprint.csv")
    assert [r["response_id"] for r in rows] == [str(first.id), str(second.id)]
    one, two = rows
    assert (one["wave"], one["year"], one["respondent_group"]) == ("0", "2024", "deelnemer")
    assert one["submitted_on"] == "2024-03-02"  # 23:30 UTC is the next day in the Netherlands
    assert one["panel_key"] == "p" * 64
    assert (one["doel"], one["focus"], one["tijd_verspild"], one["aanbevelen"]) == (
        "4",
        "nvt",
        "1",
        "9",
    )
    assert (two["doel"], two["focus"]) == ("weet_niet", "")  # a missing code is not an empty cell
    assert (one["sector"], one["sector_other"], one["ingevoerd"]) == ("anders", "Kunst", "ja")
    assert (one["thema__werving"], one["thema__behoud"], one["thema__anders"]) == ("0", "1", "1")
    assert one["thema_other"] == "Vitaliteit"
    assert (two["thema__werving"], two["thema__behoud"], two["thema__anders"]) == ("1", "0", "0")


def test_an_unanswered_multiple_choice_is_empty_not_zero(campaign, tmp_path):
    respond(campaign, {"doel": "3"})
    write_export(load_table(campaign.id), "csv", tmp_path / "x.csv")
    row = read_csv(tmp_path / "x.csv")[0]
    assert (row["thema__werving"], row["thema__behoud"], row["thema__anders"]) == ("", "", "")


def test_a_followup_wave_labels_items_with_the_followup_wording(campaign, tmp_path):
    follow = create_campaign(
        campaign.instrument_version, title="Vervolg", year=2025, wave=1,
        opens_on=date(2025, 1, 1), closes_on=date(2025, 2, 1), mode="open",
    )  # fmt: skip
    db.session.commit()
    labels = {c.name: c.label for c in load_table(follow.id).columns}
    assert labels["doel"] == "Wij hebben het doel bereikt."
    assert {c.name: c.label for c in load_table(campaign.id).columns}["doel"] == (
        "Ik verwacht het doel te bereiken."
    )


def test_contact_data_is_only_in_exports_that_ask_for_it(campaign, tmp_path):
    org = Organisation(name="Maasdal Zorg BV", sector="zorg en welzijn", region="Zuid-Limburg",
                       size_class="10-49")  # fmt: skip
    db.session.add(org)
    invitation = Invitation(campaign_id=campaign.id, token_hash="h" * 64, token_salt="s" * 32,
                            email="an@maasdal.example", name="An de Vries")  # fmt: skip
    db.session.add(invitation)
    db.session.commit()
    respond(campaign, FULL, organisation=org, invitation_id=invitation.id)

    plain = write_export(load_table(campaign.id), "csv", tmp_path / "plain.csv")
    text = "".join(path.read_text(encoding="utf-8") for path in plain)
    assert "an@maasdal.example" not in text and "An de Vries" not in text
    assert "Maasdal Zorg BV" not in text
    assert read_csv(plain[0])[0]["org_sector"] == "zorg en welzijn"

    write_export(load_table(campaign.id, with_contacts=True), "csv", tmp_path / "full.csv")
    row = read_csv(tmp_path / "full.csv")[0]
    assert (row["organisation_name"], row["contact_name"], row["contact_email"]) == (
        "Maasdal Zorg BV", "An de Vries", "an@maasdal.example",
    )  # fmt: skip


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralise_prefixes_formula_triggers_with_a_single_quote(payload):
    assert neutralise(payload) == "'" + payload


def test_neutralise_leaves_harmless_texts_and_numbers_alone():
    assert neutralise("Goed bezig - echt") == "Goed bezig - echt"
    assert neutralise(-5) == -5 and neutralise(-2.5) == -2.5 and neutralise(None) is None
    assert neutralise("") == ""


def _payload_campaign(campaign):
    for i, payload in enumerate(PAYLOADS):
        org = Organisation(name=payload, sector="ICT")
        db.session.add(org)
        db.session.flush()
        respond(campaign, {"toelichting": payload, "sector": "anders", "sector_other": payload,
                           "saldo": str(-i - 1)}, organisation=org)  # fmt: skip


def test_csv_neutralises_formulas_in_open_answers_and_organisation_names(campaign, tmp_path):
    _payload_campaign(campaign)
    write_export(load_table(campaign.id, with_contacts=True), "csv", tmp_path / "x.csv")
    rows = read_csv(tmp_path / "x.csv")
    for row, payload in zip(rows, PAYLOADS, strict=True):
        for name in ("toelichting", "sector_other", "organisation_name"):
            assert row[name] == "'" + payload
    assert [row["saldo"] for row in rows] == [str(-i - 1) for i in range(len(PAYLOADS))]


def test_xlsx_neutralises_formulas_and_keeps_negative_numbers_numeric(campaign, tmp_path):
    _payload_campaign(campaign)
    write_export(load_table(campaign.id, with_contacts=True), "xlsx", tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["data"]
    header = [cell.value for cell in sheet[1]]
    for row, payload in zip(sheet.iter_rows(min_row=2), PAYLOADS, strict=True):
        cells = dict(zip(header, row, strict=True))
        for name in ("toelichting", "sector_other", "organisation_name"):
            assert cells[name].data_type == "s"  # a string, never a formula
            # (XML reads a carriage return back as a line feed)
            assert cells[name].value == "'" + payload.replace("\r", "\n")
        assert cells["saldo"].data_type == "n" and cells["saldo"].value < 0
        assert cells["response_id"].data_type == "n"


def test_xlsx_drops_control_characters_it_cannot_hold(campaign, tmp_path):
    respond(campaign, {"toelichting": "a\x01b\x0b=c"})
    write_export(load_table(campaign.id), "xlsx", tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["data"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, header.index("toelichting") + 1).value == "ab=c"


def test_xlsx_has_the_data_numbers_and_a_codebook_sheet(campaign, tmp_path):
    respond(campaign, FULL)
    files = write_export(load_table(campaign.id), "xlsx", tmp_path / "sprint.xlsx")
    assert files == [tmp_path / "sprint.xlsx"]  # the codebook is inside
    book = openpyxl.load_workbook(tmp_path / "sprint.xlsx")
    assert book.sheetnames == ["data", "codebook"]
    data = list(book["data"].iter_rows(values_only=True))
    row = dict(zip(data[0], data[1], strict=True))
    assert row["doel"] == 4 and row["focus"] == "nvt" and row["saldo"] == -5
    assert row["submitted_on"].date() == date(2024, 3, 2)
    codebook = list(book["codebook"].iter_rows(values_only=True))
    entries = {r[0]: dict(zip(codebook[0], r, strict=True)) for r in codebook[1:]}
    assert entries["tijd_verspild"]["reverse_coded"] == "ja"
    assert entries["tijd_verspild"]["domain"] == "werkwijze"
    assert entries["focus"]["missing_codes"] == "nvt = N.v.t. (SPSS 99)"


def test_csv_codebook_describes_every_column(campaign, tmp_path):
    files = write_export(load_table(campaign.id), "csv", tmp_path / "sprint.csv")
    assert files == [tmp_path / "sprint.csv", tmp_path / "sprint_codebook.csv"]
    assert codebook_path(tmp_path / "data.sav") == tmp_path / "data_codebook.csv"
    entries = {row["variable"]: row for row in read_csv(files[1])}
    assert list(entries) == RESPONSE_COLUMNS + ITEM_COLUMNS
    doel = entries["doel"]
    assert (doel["item_key"], doel["text"], doel["type"], doel["domain"]) == (
        "doel", "Ik verwacht het doel te bereiken.", "likert5", "werkwijze",
    )  # fmt: skip
    assert doel["values"].startswith("1 = Helemaal oneens; 2 = Oneens;")
    assert doel["missing_codes"] == "weet_niet = Weet niet (SPSS 98)"
    assert doel["reverse_coded"] == "nee"
    assert entries["sector"]["values"] == "zorg = Zorg; ict = ICT; anders = Anders, namelijk"
    assert entries["sector"]["spss_codes"] == "1 = zorg; 2 = ict; 3 = anders"
    assert entries["ingevoerd"]["spss_codes"] == "1 = ja; 0 = nee"
    assert entries["thema__behoud"]["text"] == "Thema? – Behoud"
    assert entries["thema__behoud"]["item_key"] == "thema"
    assert entries["thema_other"]["type"] == "other_text"
    assert entries["respondent_group"]["values"] == "deelnemer = Deelnemend bedrijf"


def test_sav_has_variable_and_value_labels_and_user_missing_codes(campaign, tmp_path):
    respond(campaign, FULL)
    respond(campaign, {"doel": "weet_niet", "focus": "2", "ingevoerd": "nee", "sector": "zorg"})
    files = write_export(load_table(campaign.id), "sav", tmp_path / "sprint.sav")
    assert files == [tmp_path / "sprint.sav", tmp_path / "sprint_codebook.csv"]
    data, meta = pyreadstat.read_sav(tmp_path / "sprint.sav", user_missing=True)
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["doel"] == "Ik verwacht het doel te bereiken."
    assert labels["thema__behoud"] == "Thema? – Behoud"
    assert meta.variable_value_labels["doel"] == {
        1: "Helemaal oneens", 2: "Oneens", 3: "Neutraal", 4: "Eens", 5: "Helemaal eens",
        98: "Weet niet",
    }  # fmt: skip
    assert meta.variable_value_labels["focus"][99] == "N.v.t."
    assert meta.variable_value_labels["sector"] == {1: "Zorg", 2: "ICT", 3: "Anders, namelijk"}
    assert meta.variable_value_labels["ingevoerd"] == {1: "Ja", 0: "Nee"}
    assert meta.missing_ranges["doel"] == [{"lo": 98, "hi": 98}, {"lo": 99, "hi": 99}]
    assert list(data["doel"]) == [4, 98] and list(data["focus"]) == [99, 2]
    assert list(data["sector"]) == [3, 1] and list(data["ingevoerd"]) == [1, 0]
    assert list(data["thema__behoud"][:1]) == [1] and math.isnan(data["thema__behoud"][1])
    assert data["toelichting"][0] == "Een nieuw inwerkprogramma."
    assert data["submitted_on"][0] == date(2024, 3, 2)
    plain, _ = pyreadstat.read_sav(tmp_path / "sprint.sav")  # user-missing becomes missing
    assert plain["doel"].mean() == 4.0 and plain["focus"].mean() == 2.0


def test_sav_variable_labels_are_cut_to_spss_limits(campaign, tmp_path):
    long = dict(DEFINITION, key="lang", domains=[])
    long["sections"] = [dict(DEFINITION["sections"][0], items=[
        {"key": "lang", "type": "likert5", "text": _t("Een heel lange vraag " * 30)},
    ])]  # fmt: skip
    version = publish_definition(load_definition(long)).version
    other = create_campaign(version, title="Lang", year=2024, wave=0, opens_on=date(2024, 1, 1),
                            closes_on=date(2024, 2, 1), mode="open")  # fmt: skip
    db.session.commit()
    respond(other, {"lang": "3"})
    write_export(load_table(other.id), "sav", tmp_path / "lang.sav")
    _, meta = pyreadstat.read_sav(tmp_path / "lang.sav", metadataonly=True)
    label = dict(zip(meta.column_names, meta.column_labels, strict=True))["lang"]
    assert label.endswith("…") and len(label.encode("utf-8")) <= 256
    assert ("Een heel lange vraag " * 30).startswith(label[:-1] + " ")  # cut between words


def test_truncate_bytes_cuts_at_a_word_within_the_byte_limit():
    assert truncate_bytes("kort", 120) == "kort"
    cut = truncate_bytes("één twee drie vier vijf zes", 16)
    assert cut == "één twee…" and len(cut.encode()) <= 16
    assert truncate_bytes("regel\nmet  spaties", 120) == "regel met spaties"


def test_spss_names_are_valid_unique_and_at_most_64_bytes():
    names = spss_names(
        ["to", "1abc", "a" * 80, "a" * 80, "Zorg", "zorg", "thema__ICT & data", "é", "_x_"]
    )
    assert names[:2] == ["to_v", "v_1abc"]
    assert names[2] == "a" * 64 and names[3] == "a" * 62 + "_2"
    assert names[4:6] == ["Zorg", "zorg_2"]  # SPSS names ignore case
    assert names[6] == "thema__ICT___data" and names[7] == "v" and names[8] == "x"
    for name in names:
        assert len(name.encode()) <= 64 and name[0].isalpha() and name.isascii()
    assert len({n.lower() for n in names}) == len(names)


def test_a_campaign_without_responses_gives_headers_only_and_a_message(campaign, tmp_path):
    table = load_table(campaign.id)
    assert table.records == () and "no submitted responses" in table.message
    write_export(table, "csv", tmp_path / "x.csv")
    assert (tmp_path / "x.csv").read_text().splitlines() == [
        ",".join(RESPONSE_COLUMNS + ITEM_COLUMNS)
    ]
    write_export(table, "xlsx", tmp_path / "x.xlsx")
    assert openpyxl.load_workbook(tmp_path / "x.xlsx")["data"].max_row == 1
    write_export(table, "sav", tmp_path / "x.sav")
    data, meta = pyreadstat.read_sav(tmp_path / "x.sav")
    assert data.shape == (0, len(RESPONSE_COLUMNS + ITEM_COLUMNS))
    assert meta.variable_value_labels["doel"][98] == "Weet niet"


def test_unknown_campaigns_formats_and_unwritable_paths_raise_clear_errors(campaign, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(ExportError, match="campaign 99 does not exist"):
        load_table(99)
    table = load_table(campaign.id)
    with pytest.raises(ExportError, match="unknown format 'pdf'"):
        write_export(table, "pdf", tmp_path / "x.pdf")
    with pytest.raises(ExportError, match="does not exist"):
        write_export(table, "csv", tmp_path / "nowhere" / "x.csv")
    (tmp_path / "file").write_text("")
    with pytest.raises(ExportError, match="is not a directory"):
        write_export(table, "csv", tmp_path / "file" / "x.csv")
    with pytest.raises(ExportError, match="is a directory"):
        write_export(table, "csv", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # nothing half-written


def test_a_failed_write_keeps_the_previous_file(campaign, tmp_path, monkeypatch):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / "x.csv"
    out.write_text("older export")

    def broken(table, path):
        path.write_text("half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("surveys.exports.writers.write_csv", broken)
    with pytest.raises(ExportError, match="No space left on device"):
        write_export(load_table(campaign.id), "csv", out)
    assert out.read_text() == "older export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]


def test_a_csv_download_is_a_zip_with_data_and_codebook(campaign):
    respond(campaign, FULL)
    file = download(load_table(campaign.id), "csv")
    assert (file.filename, file.mimetype) == ("sprint-2024.zip", "application/zip")
    with zipfile.ZipFile(io.BytesIO(file.data)) as archive:
        assert sorted(archive.namelist()) == ["sprint-2024.csv", "sprint-2024_codebook.csv"]
    marked = download(load_table(campaign.id, with_contacts=True), "sav")
    assert marked.filename == "sprint-2024_met_contactgegevens.sav"
    assert marked.data[:4] == b"$FL2"
