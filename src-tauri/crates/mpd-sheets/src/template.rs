//! The Excel template of `debts template`: the columns our reader maps without help.
//!
//! Headers are Italian and each is one of the synonyms of [`crate::mapping`], so a filled
//! template imports with no `--mapping`. Code columns (codice fiscale, CAP, civico) are
//! formatted as text so Excel keeps leading zeros; amounts, dates, the payer type and the
//! payment type carry data validation; every header has a comment saying what to write; row 2
//! is a filled example (valid, so the template imports back with zero errors: the clerk
//! overwrites it).
//!
//! The amount and due date are the rata unica's; [`RATE`] instalments follow at the end of
//! the sheet («Importo 1ª rata €», «Scadenza 1ª rata»…), the wide shape of issue 14: a row
//! with instalments is a debt position (rata unica optional), a row without is one debt as
//! before. More instalments (up to 12) are more columns with the same names.

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, Note, Workbook, XlsxError};

use crate::SheetError;

/// A payment type offered in the drop-down.
#[derive(Clone, Debug)]
pub struct TemplateTipo {
    pub codice: String,
    pub descrizione: String,
}

/// How many instalments the template offers.
pub const RATE: usize = 3;

/// The template's columns: header, comment, width.
pub const COLUMNS: [(&str, &str, f64); 14 + 2 * RATE] = [
    (
        "Codice fiscale / P.IVA",
        "Codice fiscale (16 caratteri) della persona o partita IVA (11 cifre) della ditta. Colonna in formato Testo: gli zeri iniziali restano.",
        22.0,
    ),
    (
        "Tipo pagatore",
        "F = persona fisica, G = persona giuridica (ditta, ente). Se vuoto si deduce dal codice.",
        14.0,
    ),
    (
        "Cognome e nome / Ragione sociale",
        "Come deve comparire sull'avviso, al massimo 70 caratteri.",
        32.0,
    ),
    (
        "Importo rata unica €",
        "Importo in euro da pagare in unica soluzione, maggiore di zero, con al massimo due decimali (es. 120,50). Se il dovuto non è rateizzato scriva solo questo e lasci vuote le rate; con le rate può restare vuoto (solo rate).",
        14.0,
    ),
    (
        "Scadenza rata unica",
        "Data di scadenza del pagamento in unica soluzione (gg/mm/aaaa).",
        12.0,
    ),
    (
        "Tipo dovuto",
        "Codice del tipo dovuto dell'Ente (lo scelga dall'elenco). Se vuoto si usa quello indicato al momento dell'importazione.",
        16.0,
    ),
    (
        "Causale",
        "Motivo del pagamento; se vuota si usa la causale predefinita del tipo dovuto.",
        36.0,
    ),
    (
        "Email",
        "Indirizzo e-mail del pagatore (facoltativo).",
        26.0,
    ),
    ("Indirizzo", "Via o piazza (facoltativo).", 24.0),
    ("Civico", "Numero civico (facoltativo).", 8.0),
    (
        "CAP",
        "Codice di avviamento postale, 5 cifre (formato Testo).",
        8.0,
    ),
    ("Comune", "Comune di residenza (facoltativo).", 18.0),
    (
        "Provincia",
        "Sigla della provincia, 2 lettere (es. MI).",
        10.0,
    ),
    ("Nazione", "Sigla della nazione, 2 lettere (es. IT).", 9.0),
    (
        "Importo 1ª rata €",
        "Importo della prima rata (facoltativo: lasci vuote le rate se il dovuto non è rateizzato). Le rate devono sommare la rata unica, salvo lo sconto previsto dal tipo dovuto.",
        12.0,
    ),
    (
        "Scadenza 1ª rata",
        "Data di scadenza della prima rata (gg/mm/aaaa).",
        12.0,
    ),
    (
        "Importo 2ª rata €",
        "Importo della seconda rata (facoltativo).",
        12.0,
    ),
    (
        "Scadenza 2ª rata",
        "Data di scadenza della seconda rata, dopo quella della prima (gg/mm/aaaa).",
        12.0,
    ),
    (
        "Importo 3ª rata €",
        "Importo della terza rata (facoltativo).",
        12.0,
    ),
    (
        "Scadenza 3ª rata",
        "Data di scadenza della terza rata, dopo quella della seconda (gg/mm/aaaa).",
        12.0,
    ),
];

/// The template's amount columns (the rata unica's, then each instalment's).
const AMOUNT_COLUMNS: [u16; 1 + RATE] = [3, 14, 16, 18];
/// The template's due-date columns.
const DATE_COLUMNS: [u16; 1 + RATE] = [4, 15, 17, 19];

fn xerr(path: &Path) -> impl Fn(XlsxError) -> SheetError + '_ {
    move |e| {
        SheetError::Write {
        path: path.display().to_string(),
        detail: "controlli che il file non sia aperto in un altro programma e che la cartella sia scrivibile".into(),
        causa: e.to_string(),
    }
    }
}

/// Writes the template to `path`. `tipi` fill the payment-type drop-down (none: free text);
/// `example_due` is the example row's due date.
pub fn write_template(
    path: &Path,
    tipi: &[TemplateTipo],
    example_due: NaiveDate,
) -> Result<(), SheetError> {
    let e = xerr(path);
    let mut wb = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(0xD9E1F2)
        .set_text_wrap();
    let text = Format::new().set_num_format("@");
    let money = Format::new().set_num_format("#,##0.00");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet();
    ws.set_name("Dovuti").map_err(&e)?;
    for (i, (name, comment, width)) in COLUMNS.iter().enumerate() {
        let col = i as u16;
        ws.write_string_with_format(0, col, *name, &header)
            .map_err(&e)?;
        ws.insert_note(0, col, &Note::new(*comment).set_author("MyPay Desk"))
            .map_err(&e)?;
        ws.set_column_width(col, *width).map_err(&e)?;
    }
    for col in [0u16, 1, 9, 10, 12, 13] {
        ws.set_column_format(col, &text).map_err(&e)?;
    }
    for col in AMOUNT_COLUMNS {
        ws.set_column_format(col, &money).map_err(&e)?;
    }
    for col in DATE_COLUMNS {
        ws.set_column_format(col, &date).map_err(&e)?;
    }
    ws.set_freeze_panes(1, 0).map_err(&e)?;

    const LAST: u32 = 1_048_575;
    let payer = DataValidation::new()
        .allow_list_strings(&["F", "G"])
        .map_err(&e)?
        .set_error_title("Tipo pagatore")
        .map_err(&e)?
        .set_error_message("Scriva F (persona fisica) o G (persona giuridica).")
        .map_err(&e)?;
    ws.add_data_validation(1, 1, LAST, 1, &payer).map_err(&e)?;
    let amount = DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(0.01, 999_999_999.99))
        .set_error_title("Importo")
        .map_err(&e)?
        .set_error_message("L'importo deve essere maggiore di zero e al massimo 999.999.999,99.")
        .map_err(&e)?;
    for col in AMOUNT_COLUMNS {
        ws.add_data_validation(1, col, LAST, col, &amount)
            .map_err(&e)?;
    }
    let from = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let to = NaiveDate::from_ymd_opt(2099, 12, 31).unwrap_or_default();
    let due = DataValidation::new()
        .allow_date(DataValidationRule::Between(from, to))
        .set_error_title("Scadenza")
        .map_err(&e)?
        .set_error_message("Scriva una data valida, gg/mm/aaaa.")
        .map_err(&e)?;
    for col in DATE_COLUMNS {
        ws.add_data_validation(1, col, LAST, col, &due)
            .map_err(&e)?;
    }
    if !tipi.is_empty() {
        let codes: Vec<&str> = tipi.iter().map(|t| t.codice.as_str()).collect();
        // Excel limits an inline list to 255 characters; longer lists go through a sheet.
        let joined: usize = codes.iter().map(|c| c.len() + 1).sum();
        let list = if joined <= 255 {
            DataValidation::new()
                .allow_list_strings(&codes)
                .map_err(&e)?
        } else {
            DataValidation::new()
                .allow_list_formula(format!("=Tipi!$A$2:$A${}", tipi.len() + 1).as_str().into())
        };
        let list = list
            .set_error_title("Tipo dovuto")
            .map_err(&e)?
            .set_error_message("Scelga uno dei tipi dovuto dell'Ente.")
            .map_err(&e)?;
        ws.add_data_validation(1, 5, LAST, 5, &list).map_err(&e)?;
    }
    // The example row: a rata unica of 120,50 € and three instalments adding up to it.
    let tipo = tipi.first().map(|t| t.codice.as_str()).unwrap_or("TARI");
    let example_amounts = [120.5, 40.0, 40.0, 40.5];
    let example_dates = [
        example_due,
        example_due,
        example_due + chrono::Duration::days(61),
        example_due + chrono::Duration::days(122),
    ];
    let example: [&str; 14] = [
        "RSSMRA80A01H501U",
        "F",
        "Rossi Mario",
        "",
        "",
        tipo,
        "Esempio: sostituisca questa riga",
        "mario.rossi@example.it",
        "Via Roma",
        "1",
        "20121",
        "Milano",
        "MI",
        "IT",
    ];
    for (i, v) in example.iter().enumerate() {
        let col = i as u16;
        match i {
            3 | 4 => {}
            0 | 1 | 9 | 10 | 12 | 13 => {
                ws.write_string_with_format(1, col, *v, &text).map_err(&e)?;
            }
            _ => {
                ws.write_string(1, col, *v).map_err(&e)?;
            }
        }
    }
    for (i, col) in AMOUNT_COLUMNS.iter().enumerate() {
        ws.write_number_with_format(1, *col, example_amounts[i], &money)
            .map_err(&e)?;
    }
    for (i, col) in DATE_COLUMNS.iter().enumerate() {
        ws.write_date_with_format(1, *col, example_dates[i], &date)
            .map_err(&e)?;
    }
    let sheet = wb.add_worksheet();
    sheet.set_name("Tipi").map_err(&e)?;
    sheet
        .write_string_with_format(0, 0, "Tipo dovuto", &header)
        .map_err(&e)?;
    sheet
        .write_string_with_format(0, 1, "Descrizione", &header)
        .map_err(&e)?;
    sheet.set_column_width(0, 18.0).map_err(&e)?;
    sheet.set_column_width(1, 40.0).map_err(&e)?;
    for (i, t) in tipi.iter().enumerate() {
        sheet.write_string(i as u32 + 1, 0, &t.codice).map_err(&e)?;
        sheet
            .write_string(i as u32 + 1, 1, &t.descrizione)
            .map_err(&e)?;
    }
    wb.save(path).map_err(&e)?;
    Ok(())
}
