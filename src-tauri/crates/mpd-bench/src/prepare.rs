//! Input files of the benchmarks, built once and cached in the data folder (never timed).
//!
//! * `debts-1_4-<N>.csv`: a tracciato 1_4 of `N` synthetic debts (`mpd_core::synth::Generator`
//!   through `Desk::generate_debts_csv`, seed 1, clock pinned to [`bench_now`] so the file and
//!   the validation agree on "today" whenever the cache is reused).
//! * `store-<N>.sqlite`: a store holding those debts, the starting point of the export
//!   scenarios (each run works on a fresh copy, so a run never sees the receipts of another).
//! * `export[-rt]-<N>/…-1_3.csv`: an export 1.3 of paid positions, without or with `ricevuta`,
//!   for the first `N` debts of the CSV; 7 rows in 10 carry the IUD of a stored debt, the others
//!   an IUD and IUV the store does not know (paid on debts created elsewhere).
//! * `sheet-<N>.xlsx` / `sheet-<N>.csv`: a clerk's own spreadsheet of `N` synthetic debts (the
//!   same `Generator`, seed 1), columns «Codice fiscale», «Nominativo», «Importo», «Scadenza»,
//!   «Causale»; the xlsx has numbers and dates as typed cells (written with `rust_xlsxwriter` in
//!   constant-memory mode), the CSV is `;`-separated with amounts like `1.234,56` and dates
//!   `dd/mm/yyyy`.
//!
//! A file is written under a temporary name and renamed at the end, so an interrupted
//! preparation never leaves a truncated file that a later run would trust.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use mpd_core::Desk;
use mpd_core::synth::{Payment, export_fields};
use mpd_domain::{Column, Version};
use mpd_store::{DovutoStato, NewDovuto, Store};
use mpd_tracciato::export::{ExportLayout, ExportVersion, ExportWriter};
use mpd_tracciato::import::ImportReader;

/// The key of the benchmarks' databases: a fixed one (the data is synthetic), so that a cached
/// template opens in the next run; encrypted as the app's are (SQLCipher, a raw 256-bit key).
/// Under `mpd-bench cifratura`'s plain variant ([`crate::cifratura::ENV_IN_CHIARO`] set), no
/// key: the databases stay plain, to measure what the encryption costs.
pub fn chiave() -> mpd_core::Chiave {
    if std::env::var_os(crate::cifratura::ENV_IN_CHIARO).is_some() {
        return mpd_store::Chiave::nessuna();
    }
    mpd_core::Chiave::grezza([0xB3; 32])
}

/// The instant every benchmark pretends it is (the date of BENCHMARKS.md).
pub fn bench_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .expect("a valid instant")
}

/// "Today" as `Desk::today` computes it from [`bench_now`].
pub fn bench_today() -> NaiveDate {
    Desk::in_memory()
        .map(|d| d.with_now(bench_now()).today())
        .unwrap_or_else(|_| bench_now().date_naive())
}

/// Seed of the synthetic debts.
const SEED: u64 = 1;

pub fn debts_csv(dir: &Path, rows: usize) -> PathBuf {
    dir.join(format!("debts-1_4-{rows}.csv"))
}

pub fn store_template(dir: &Path, rows: usize) -> PathBuf {
    dir.join(format!("store-{rows}.sqlite"))
}

/// The export file; its name follows MyPay's pattern so that the reader knows the version.
pub fn export_file(dir: &Path, rows: usize, ricevuta: bool) -> PathBuf {
    let sub = if ricevuta { "export-rt" } else { "export" };
    dir.join(format!("{sub}-{rows}"))
        .join("c_demo-1_ESTRAZIONE_DOVUTI_20261127101500-1_3.csv")
}

/// Writes `path` through `write` unless it exists already.
fn cached(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let partial = path.with_extension("partial");
    eprintln!("preparing {} …", path.display());
    write(&partial).with_context(|| format!("preparing {}", path.display()))?;
    std::fs::rename(&partial, path)?;
    Ok(())
}

/// The debts CSV of `rows` rows.
pub fn ensure_debts(dir: &Path, rows: usize) -> Result<PathBuf> {
    let path = debts_csv(dir, rows);
    cached(&path, |tmp| {
        let desk = Desk::in_memory()?.with_now(bench_now());
        desk.generate_debts_csv(tmp, Version::V1_4, rows, SEED)?;
        Ok(())
    })?;
    Ok(path)
}

/// Streams the debts CSV as debts to insert, the way `debts import` does on its second pass.
pub fn debts_from_csv(
    csv: &Path,
) -> Result<impl Iterator<Item = std::result::Result<NewDovuto, String>>> {
    let file = File::open(csv).with_context(|| format!("opening {}", csv.display()))?;
    let reader = ImportReader::new(BufReader::with_capacity(1 << 20, file), Version::V1_4)?;
    Ok(reader.map(|record| {
        let record = record.map_err(|e| e.to_string())?;
        let mut row = record.fields.map_err(|e| e.to_string())?;
        let importo_cents = mpd_core::input::cents(row.get(Column::ImportoDovuto))
            .ok_or_else(|| format!("riga {}: importo illeggibile", record.line))?;
        let commissione_cents = mpd_core::input::cents(row.get(Column::CommissioneCaricoPa));
        // What `debts import` stores: codes upper-cased.
        let code = row.get(Column::CodiceIdentificativoUnivoco).to_uppercase();
        row.set(Column::CodiceIdentificativoUnivoco, code);
        Ok(NewDovuto {
            row,
            importo_cents,
            commissione_cents,
            stato: DovutoStato::Ready,
            sorgente: None,
            posizione: None,
        })
    }))
}

/// A store holding the `rows` debts (for the export scenarios).
pub fn ensure_store(dir: &Path, rows: usize) -> Result<PathBuf> {
    let csv = ensure_debts(dir, rows)?;
    let path = store_template(dir, rows);
    cached(&path, |tmp| {
        let mut store = Store::open(tmp, &chiave())?;
        store.insert_dovuti_from(debts_from_csv(&csv)?, bench_now())?;
        // The indexes a bulk load leaves to the upkeep, as the window would build them.
        while !store
            .passo_manutenzione(mpd_store::ricerca::PASSO_RIGHE)?
            .completa()
        {}
        // Fold the WAL into the main file so that a plain copy is the whole database.
        drop(store);
        Ok(())
    })?;
    Ok(path)
}

/// An export 1.3 of `rows` payments of the first `rows` debts of the `store_rows` CSV.
pub fn ensure_export(
    dir: &Path,
    rows: usize,
    store_rows: usize,
    ricevuta: bool,
) -> Result<PathBuf> {
    let csv = ensure_debts(dir, store_rows)?;
    let path = export_file(dir, rows, ricevuta);
    cached(&path, |tmp| {
        let ente = mpd_core::debts::demo_ente();
        let layout = ExportLayout::new(ExportVersion::V1_3, ricevuta);
        let file = File::create(tmp)?;
        let mut writer = ExportWriter::new(BufWriter::with_capacity(1 << 20, file), layout)?;
        let file = File::open(&csv)?;
        let reader = ImportReader::new(BufReader::with_capacity(1 << 20, file), Version::V1_4)?;
        let paid_on = NaiveDate::from_ymd_opt(2026, 11, 20).expect("a valid date");
        for (i, record) in reader.take(rows).enumerate() {
            let mut row = record?.fields?;
            // 7 in 10 match a stored debt by IUD; the others are unknown to the store.
            let matches = i % 10 < 7;
            if !matches {
                let iud = row.get(Column::Iud).replace("S1-", "X9-");
                row.set(Column::Iud, iud);
            }
            let iuv = format!("12{:015}", i + 1);
            let iur = format!("IUR{:012}", i + 1);
            let importo = row.get(Column::ImportoDovuto).to_string();
            let rt = ricevuta.then(|| {
                base64(synthetic_rt(&ente.codice_fiscale, &row, &iuv, &iur, i).as_bytes())
            });
            let payment = Payment {
                ente: &ente,
                row: &row,
                iuf: "2026-11-20ABI03069-S0001",
                num_riga: i + 1,
                iuv: &iuv,
                iur: &iur,
                importo: &importo,
                paid_on,
                psp: ("ABI03069", "Intesa Sanpaolo S.p.A."),
                rt_base64: rt.as_deref(),
            };
            writer.write_fields(export_fields(layout, &payment))?;
        }
        writer.finish()?.flush()?;
        Ok(())
    })?;
    Ok(path)
}

/// A receipt (RT) XML of pagoPA's shape, 2.5–3.7 KB, so that its base64 is ~3.3–5 KB.
fn synthetic_rt(cf_ente: &str, row: &mpd_domain::RawRow, iuv: &str, iur: &str, i: usize) -> String {
    let get = |c: Column| row.get(c);
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><RT xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/"><versioneOggetto>6.2.0</versioneOggetto><dominio><identificativoDominio>{cf_ente}</identificativoDominio><identificativoStazioneRichiedente>0007580279_03</identificativoStazioneRichiedente></dominio><identificativoMessaggioRicevuta>RT-{iur}</identificativoMessaggioRicevuta><dataOraMessaggioRicevuta>2026-11-20T10:15:00</dataOraMessaggioRicevuta><riferimentoMessaggioRichiesta>RPT-{iuv}</riferimentoMessaggioRichiesta><riferimentoDataRichiesta>2026-11-20</riferimentoDataRichiesta><istitutoAttestante><identificativoUnivocoAttestante><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>ABI03069</codiceIdentificativoUnivoco></identificativoUnivocoAttestante><denominazioneAttestante>Intesa Sanpaolo S.p.A.</denominazioneAttestante></istitutoAttestante><enteBeneficiario><identificativoUnivocoBeneficiario><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>{cf_ente}</codiceIdentificativoUnivoco></identificativoUnivocoBeneficiario><denominazioneBeneficiario>Comune Dimostrativo</denominazioneBeneficiario></enteBeneficiario><soggettoPagatore><identificativoUnivocoPagatore><tipoIdentificativoUnivoco>{}</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>{}</codiceIdentificativoUnivoco></identificativoUnivocoPagatore><anagraficaPagatore>{}</anagraficaPagatore><indirizzoPagatore>{}</indirizzoPagatore><civicoPagatore>{}</civicoPagatore><capPagatore>{}</capPagatore><localitaPagatore>{}</localitaPagatore><provinciaPagatore>{}</provinciaPagatore><nazionePagatore>IT</nazionePagatore></soggettoPagatore><datiPagamento><codiceEsitoPagamento>0</codiceEsitoPagamento><importoTotalePagato>{}</importoTotalePagato><identificativoUnivocoVersamento>{iuv}</identificativoUnivocoVersamento><CodiceContestoPagamento>n/a</CodiceContestoPagamento><datiSingoloPagamento><singoloImportoPagato>{}</singoloImportoPagato><esitoSingoloPagamento>ESEGUITO</esitoSingoloPagamento><dataEsitoSingoloPagamento>2026-11-20</dataEsitoSingoloPagamento><identificativoUnivocoRiscossione>{iur}</identificativoUnivocoRiscossione><causaleVersamento>{}</causaleVersamento><datiSpecificiRiscossione>{}</datiSpecificiRiscossione><commissioniApplicatePSP>0.00</commissioniApplicatePSP>"#,
        get(Column::TipoIdentificativoUnivoco),
        get(Column::CodiceIdentificativoUnivoco),
        get(Column::AnagraficaPagatore),
        get(Column::IndirizzoPagatore),
        get(Column::CivicoPagatore),
        get(Column::CapPagatore),
        get(Column::LocalitaPagatore),
        get(Column::ProvinciaPagatore),
        get(Column::ImportoDovuto),
        get(Column::ImportoDovuto),
        get(Column::CausaleVersamento),
        get(Column::DatiSpecificiRiscossione),
    );
    // The attached signed receipt varies in size from one PSP to another.
    xml.push_str(
        "<allegatoRicevuta><tipoAllegatoRicevuta>ES</tipoAllegatoRicevuta><testoAllegato>",
    );
    let pad = 700 + (i * 7919) % 1200;
    let mut x = i as u64 * 6364136223846793005 + 1442695040888963407;
    for _ in 0..pad {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        xml.push(char::from(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[(x >> 33) as usize % 36],
        ));
    }
    xml.push_str("</testoAllegato></allegatoRicevuta></datiSingoloPagamento></datiPagamento></RT>");
    xml
}

/// Standard base64 with padding (the export's `rt` column).
fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (k, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> shift) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Headers of the clerk's spreadsheets (the sheets scenarios).
pub const SHEET_HEADERS: [&str; 5] = [
    "Codice fiscale",
    "Nominativo",
    "Importo",
    "Scadenza",
    "Causale",
];

pub fn sheet_file(dir: &Path, rows: usize, ext: &str) -> PathBuf {
    dir.join(format!("sheet-{rows}.{ext}"))
}

/// One synthetic debt as the clerk's columns: code, name, cents, due date, causale.
struct SheetDebt {
    code: String,
    name: String,
    cents: i64,
    due: NaiveDate,
    causale: String,
}

/// `rows` synthetic debts (the sheets' content), all valid under the TARI payment type.
fn sheet_debts(rows: usize) -> impl Iterator<Item = SheetDebt> {
    let ente = mpd_core::debts::demo_ente();
    let tipi = mpd_core::synth::tipi_demo();
    let today = bench_today();
    let mut generator = mpd_core::synth::Generator::new(SEED, &ente, &tipi, today);
    (0..rows).map(move |i| {
        let row = generator.next_row(Version::V1_4);
        let due = NaiveDate::parse_from_str(row.get(Column::DataScadenzaPagamento), "%Y-%m-%d")
            .unwrap_or_else(|_| today + chrono::Days::new(30 + (i % 300) as u64));
        SheetDebt {
            code: row.get(Column::CodiceIdentificativoUnivoco).to_string(),
            name: row.get(Column::AnagraficaPagatore).to_string(),
            cents: mpd_core::input::cents(row.get(Column::ImportoDovuto)).unwrap_or(10_000),
            due,
            causale: row.get(Column::CausaleVersamento).to_string(),
        }
    })
}

/// Italian amount: `1.234,56`.
fn italian_amount(cents: i64) -> String {
    let euros = (cents / 100).to_string();
    let mut grouped = String::with_capacity(euros.len() + euros.len() / 3);
    for (i, c) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{grouped},{:02}", cents % 100)
}

/// The clerk's `.xlsx` of `rows` debts.
pub fn ensure_sheet_xlsx(dir: &Path, rows: usize) -> Result<PathBuf> {
    use rust_xlsxwriter::{Format, Workbook};
    let path = sheet_file(dir, rows, "xlsx");
    cached(&path, |tmp| {
        let mut workbook = Workbook::new();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let money = Format::new().set_num_format("#,##0.00");
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("Dovuti")?;
        for (c, h) in SHEET_HEADERS.iter().enumerate() {
            sheet.write_string(0, c as u16, *h)?;
        }
        for (i, d) in sheet_debts(rows).enumerate() {
            let r = i as u32 + 1;
            sheet.write_string(r, 0, &d.code)?;
            sheet.write_string(r, 1, &d.name)?;
            sheet.write_number_with_format(r, 2, d.cents as f64 / 100.0, &money)?;
            sheet.write_date_with_format(r, 3, d.due, &date)?;
            sheet.write_string(r, 4, &d.causale)?;
        }
        workbook.save(tmp)?;
        Ok(())
    })?;
    Ok(path)
}

/// The clerk's free-form CSV of `rows` debts.
pub fn ensure_sheet_csv(dir: &Path, rows: usize) -> Result<PathBuf> {
    let path = sheet_file(dir, rows, "csv");
    cached(&path, |tmp| {
        let mut out = BufWriter::with_capacity(1 << 20, File::create(tmp)?);
        writeln!(out, "{}", SHEET_HEADERS.join(";"))?;
        for d in sheet_debts(rows) {
            writeln!(
                out,
                "{};{};{};{};{}",
                d.code,
                d.name,
                italian_amount(d.cents),
                d.due.format("%d/%m/%Y"),
                d.causale.replace(';', ",")
            )?;
        }
        out.flush()?;
        Ok(())
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_the_rfc_examples() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
        ] {
            assert_eq!(super::base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn italian_amounts_group_thousands() {
        assert_eq!(super::italian_amount(5), "0,05");
        assert_eq!(super::italian_amount(123_456), "1.234,56");
        assert_eq!(super::italian_amount(123_456_789), "1.234.567,89");
    }
}
