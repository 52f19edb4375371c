//! Row validation: MyPay's own checks, our stricter ones, and MyPay's `_SCARTI` texts.
//!
//! * [`mypay_findings`] reproduces MyPay's per-row pipeline (spec §4.4 steps 1, 3, 4 and the DB
//!   due-date rule of §4.5): step 1 (syntax) stops the row, then `azione`, then every semantic
//!   check of §4.8 accumulated. Findings carry MyPay's `cod_rifiuto` but a message a clerk
//!   understands; [`render_rifiuto`] turns them back into MyPay's exact strings for the emulator.
//! * [`strict_findings`] adds our `MPD_…` rules for what MyPay lets through and pagoPA or the
//!   clerk would regret (wrong check digits, impossible dates, amounts with three decimals…).
//! * [`validate_row`] = both, without repeating a problem on a column MyPay already flags.
//! * [`IudTracker`]: IUD repeated within one file (step 2).
//!
//! Performance: a million rows must validate in well under a second, so the happy path does no
//! allocation (a `Vec` allocates only when a finding is pushed) and all checks are hand-written
//! byte loops or hash look-ups in tables parsed once.
//!
//! Texts of MyPay marked "[INFERRED]" in the code are not in the spec verbatim; the rest is.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::BuildHasher;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::bilancio;
use crate::cf::{self, BelfioreStatus};
use crate::dates;
use crate::iban;
use crate::iuv::{self, MyPayIuvContext};
use crate::lookup;
use crate::model::{
    Azione, COLUMN_COUNT, Column, Ente, Finding, RawRow, Severity, TipoDovuto, Version,
};
use crate::money;
use crate::piva::{self, PivaError};
use crate::taxonomy::{self, TaxonomyError, TaxonomyStatus};

/// The `cod_rifiuto` codes MyPay uses, and ours.
pub mod codes {
    pub const SINTASSI_CSV: &str = "PAA_IMPORT_SINTASSI_CSV";
    pub const IUD_DUPLICATO: &str = "PAA_IMPORT_IUD_DUPLICATO";
    pub const AZIONE: &str = "PAA_IMPORT_SINTASSI_CSV_AZIONE";
    pub const IUD: &str = "PAA_IMPORT_SINTASSI_CSV_IUD";
    pub const IUV: &str = "PAA_IMPORT_SINTASSI_CSV_IUV";
    pub const TIPO_DOVUTO_INESISTENTE: &str = "PAA_IMPORT_SINTASSI_CSV_TIPO_DOVUTO_INESISTENTE";
    pub const TIPO_DOVUTO_MARCA_DA_BOLLO: &str =
        "PAA_IMPORT_SINTASSI_CSV_TIPO_DOVUTO_NON_VALIDO_MARCA_DA_BOLLO";
    pub const COD_FISC: &str = "PAA_IMPORT_SINTASSI_CSV_COD_FISC";
    pub const P_IVA: &str = "PAA_IMPORT_SINTASSI_CSV_P_IVA";
    pub const ID_UNIV_FG: &str = "PAA_IMPORT_SINTASSI_CSV_ID_UNIV_FG";
    pub const CIVICO: &str = "PAA_IMPORT_SINTASSI_CSV_CIVICO";
    pub const NAZ: &str = "PAA_IMPORT_SINTASSI_CSV_NAZ";
    pub const PROV: &str = "PAA_IMPORT_SINTASSI_CSV_PROV";
    pub const CAP: &str = "PAA_IMPORT_SINTASSI_CSV_CAP";
    pub const EMAIL: &str = "PAA_IMPORT_SINTASSI_CSV_EMAIL";
    pub const DATA_SCADENZA_NON_PRESENTE: &str =
        "PAA_IMPORT_SINTASSI_CSV_DATA_SCADENZA_PAGAMENTO_NON_PRESENTE";
    pub const IMPORTO: &str = "PAA_IMPORT_SINTASSI_CSV_IMPORTO";
    pub const COMMISSIONI_PA: &str = "PAA_IMPORT_SINTASSI_CSV_COMMISSIONI_PA";
    pub const TIPO_VERS: &str = "PAA_IMPORT_SINTASSI_CSV_TIPO_VERS";
    pub const DATI_RISCOSS: &str = "PAA_IMPORT_SINTASSI_CSV_DATI_RISCOSS";
    pub const BILANCIO: &str = "PAA_IMPORT_SINTASSI_CSV_BILANCIO";
    pub const COD_FISC_ENTE_SECONDARIO: &str = "PAA_IMPORT_SINTASSI_CSV_COD_FISC_ENTE_SECONDARIO";
    pub const IBAN_ENTE_SECONDARIO: &str = "PAA_IMPORT_SINTASSI_CSV_IBAN_ACCREDITO_ENTE_SECONDARIO";
    pub const CIVICO_ENTE_SECONDARIO: &str = "PAA_IMPORT_SINTASSI_CSV_CIVICO_ENTE_SECONDARIO";
    pub const NAZ_ENTE_SECONDARIO: &str = "PAA_IMPORT_SINTASSI_CSV_NAZ_ENTE_SECONDARIO";
    pub const PROV_ENTE_SECONDARIO: &str = "PAA_IMPORT_SINTASSI_CSV_PROV_ENTE_SECONDARIO";
    pub const CAP_ENTE_SECONDARIO: &str = "PAA_IMPORT_SINTASSI_CSV_CAP_ENTE_SECONDARIO";
    pub const DATI_RISCOSS_ENTE_SECONDARIO: &str =
        "PAA_IMPORT_SINTASSI_CSV_DATI_RISCOSS_ENTE_SECONDARIO";
    pub const IMPORTO_VERS_ENTE_SECONDARIO: &str =
        "PAA_IMPORT_SINTASSI_CSV_IMPORTO_VERS_ENTE_SECONDARIO";
    /// DB function `insert_mygov_dovuto` / `modify_mygov_dovuto`.
    pub const DATA_SCADENZA_OBBLIGATORIA: &str = "PAA_IMPORT_DATA_SCADENZA_PAGAMENTO_OBBLIGATORIA";

    pub const MPD_CARATTERI_NON_AMMESSI: &str = "MPD_CARATTERI_NON_AMMESSI";
    pub const MPD_PUNTO_E_VIRGOLA: &str = "MPD_PUNTO_E_VIRGOLA";
    pub const MPD_IUD_GIA_PRESENTE: &str = "MPD_IUD_GIA_PRESENTE";
    pub const MPD_IUV_NON_VALIDO: &str = "MPD_IUV_NON_VALIDO";
    pub const MPD_CF_NUMERICO_NON_VALIDO: &str = "MPD_CF_NUMERICO_NON_VALIDO";
    pub const MPD_CF_COMUNE_SCONOSCIUTO: &str = "MPD_CF_COMUNE_SCONOSCIUTO";
    pub const MPD_PIVA_NON_VALIDA: &str = "MPD_PIVA_NON_VALIDA";
    pub const MPD_ANONIMO_NON_AMMESSO: &str = "MPD_ANONIMO_NON_AMMESSO";
    pub const MPD_NAZIONE_SCONOSCIUTA: &str = "MPD_NAZIONE_SCONOSCIUTA";
    pub const MPD_PROVINCIA_SCONOSCIUTA: &str = "MPD_PROVINCIA_SCONOSCIUTA";
    pub const MPD_CAP_NON_VALIDO: &str = "MPD_CAP_NON_VALIDO";
    pub const MPD_EMAIL_NON_VALIDA: &str = "MPD_EMAIL_NON_VALIDA";
    pub const MPD_DATA_NON_VALIDA: &str = "MPD_DATA_NON_VALIDA";
    pub const MPD_DATA_SCADENZA_PASSATA: &str = "MPD_DATA_SCADENZA_PASSATA";
    pub const MPD_IMPORTO_NON_VALIDO: &str = "MPD_IMPORTO_NON_VALIDO";
    pub const MPD_COMMISSIONE_NON_VALIDA: &str = "MPD_COMMISSIONE_NON_VALIDA";
    pub const MPD_TASSONOMIA_NON_VALIDA: &str = "MPD_TASSONOMIA_NON_VALIDA";
    pub const MPD_TASSONOMIA_FORMATO_VECCHIO: &str = "MPD_TASSONOMIA_FORMATO_VECCHIO";
    pub const MPD_TASSONOMIA_SCONOSCIUTA: &str = "MPD_TASSONOMIA_SCONOSCIUTA";
    pub const MPD_TASSONOMIA_FUORI_VALIDITA: &str = "MPD_TASSONOMIA_FUORI_VALIDITA";
    pub const MPD_BILANCIO_NON_VALIDO: &str = "MPD_BILANCIO_NON_VALIDO";
    pub const MPD_CF_ENTE_SECONDARIO_NON_VALIDO: &str = "MPD_CF_ENTE_SECONDARIO_NON_VALIDO";
    pub const MPD_IBAN_NON_VALIDO: &str = "MPD_IBAN_NON_VALIDO";
    pub const MPD_IMPORTO_ENTE_SECONDARIO_NON_VALIDO: &str =
        "MPD_IMPORTO_ENTE_SECONDARIO_NON_VALIDO";
    pub const MPD_IMPORTO_ENTE_SECONDARIO_ECCEDENTE: &str = "MPD_IMPORTO_ENTE_SECONDARIO_ECCEDENTE";
}

/// MyPay's reserved tipo dovuto, refused in import flows.
pub const MARCA_BOLLO_DIGITALE: &str = "MARCA_BOLLO_DIGITALE";

/// `pa.dataLimiteNuoviIuv15` of MyPay's shipped properties: 30/04/2024.
pub const IUV15_LIMIT_DEFAULT: NaiveDate = match NaiveDate::from_ymd_opt(2024, 4, 30) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// How validation finds the Ente's tipi dovuto by code (inactive ones included: validation
/// decides what inactive means).
pub trait TipiDovuto {
    fn find(&self, codice: &str) -> Option<&TipoDovuto>;
}

impl TipiDovuto for Vec<TipoDovuto> {
    fn find(&self, codice: &str) -> Option<&TipoDovuto> {
        self.iter().find(|t| t.codice == codice)
    }
}

impl TipiDovuto for &[TipoDovuto] {
    fn find(&self, codice: &str) -> Option<&TipoDovuto> {
        self.iter().find(|t| t.codice == codice)
    }
}

impl<S: BuildHasher> TipiDovuto for HashMap<String, TipoDovuto, S> {
    fn find(&self, codice: &str) -> Option<&TipoDovuto> {
        self.get(codice)
    }
}

impl TipiDovuto for BTreeMap<String, TipoDovuto> {
    fn find(&self, codice: &str) -> Option<&TipoDovuto> {
        self.get(codice)
    }
}

/// Everything a row is judged against besides itself. `today` is passed in: validation never
/// reads the clock.
#[derive(Clone, Copy)]
pub struct RowContext<'a> {
    pub ente: &'a Ente,
    pub tipi: &'a dyn TipiDovuto,
    pub version: Version,
    pub today: NaiveDate,
    /// Last day on which MyPay accepts new 15-digit IUVs (exclusive): [`IUV15_LIMIT_DEFAULT`].
    pub iuv15_limit: NaiveDate,
}

impl<'a> RowContext<'a> {
    /// A context with MyPay's shipped 15-digit IUV limit date.
    pub fn new(
        ente: &'a Ente,
        tipi: &'a dyn TipiDovuto,
        version: Version,
        today: NaiveDate,
    ) -> Self {
        RowContext {
            ente,
            tipi,
            version,
            today,
            iuv15_limit: IUV15_LIMIT_DEFAULT,
        }
    }

    /// The tipo dovuto with this code, if it exists and is active (MyPay filters inactive ones).
    fn tipo_attivo(&self, codice: &str) -> Option<&'a TipoDovuto> {
        self.tipi.find(codice).filter(|t| t.attivo)
    }
}

impl std::fmt::Debug for RowContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowContext")
            .field("ente", &self.ente.codice_ipa)
            .field("version", &self.version)
            .field("today", &self.today)
            .field("iuv15_limit", &self.iuv15_limit)
            .finish()
    }
}

// ------------------------------------------------------------------------------------------
// Field access

/// Whether `version` has `column` (without the linear search of `Version::has`).
fn has(version: Version, column: Column) -> bool {
    match column {
        Column::Azione => true,
        Column::Bilancio => version >= Version::V1_2,
        Column::FlagGeneraIuv => version >= Version::V1_3,
        c if (c as usize) <= Column::DatiSpecificiRiscossione as usize => true,
        _ => version == Version::V1_4,
    }
}

/// Java's `String.trim`: strips every char `<= ' '`. Done on bytes, which is exact in UTF-8
/// (every byte `<= 0x20` is a whole character) and much faster than decoding chars.
fn java_trim(s: &str) -> &str {
    let b = s.as_bytes();
    match b.iter().position(|&c| c > b' ') {
        None => "",
        Some(start) => {
            let end = b.iter().rposition(|&c| c > b' ').map_or(start, |i| i + 1);
            // Both ends are next to an ASCII byte, hence on char boundaries.
            &s[start..end]
        }
    }
}

/// The field as MyPay sees it: trimmed, and empty for columns the version does not have.
fn val(row: &RawRow, version: Version, column: Column) -> &str {
    if has(version, column) {
        java_trim(row.get(column))
    } else {
        ""
    }
}

/// The row as MyPay sees it, each field trimmed once ([`val`] of every column): validation
/// reads a field several times, and trimming it each time was a fifth of its cost.
struct Fields<'a> {
    row: &'a RawRow,
    version: Version,
    values: [&'a str; COLUMN_COUNT],
    /// `flagMultiBeneficiario` is on (1_4 only, valid `true`).
    multi: bool,
}

impl<'a> Fields<'a> {
    fn new(row: &'a RawRow, version: Version) -> Fields<'a> {
        let mut values = [""; COLUMN_COUNT];
        for &c in version.columns() {
            values[c as usize] = java_trim(row.get(c));
        }
        let multi = parse_flag(values[Column::FlagMultiBeneficiario as usize]) == Some(true);
        Fields {
            row,
            version,
            values,
            multi,
        }
    }

    /// Same as [`val`]: columns the version does not have are empty.
    fn get(&self, column: Column) -> &'a str {
        self.values[column as usize]
    }
}

/// Length as Java counts it (UTF-16 units), without allocating.
fn java_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

fn parse_flag(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// `flagMultiBeneficiario` is on (1_4 only, valid `true`).
fn multi_on(row: &RawRow, version: Version) -> bool {
    parse_flag(val(row, version, Column::FlagMultiBeneficiario)) == Some(true)
}

const SECONDARY_MANDATORY: [Column; 5] = [
    Column::CodiceFiscaleEnteSecondario,
    Column::DenominazioneEnteSecondario,
    Column::IbanAccreditoEnteSecondario,
    Column::DatiSpecificiRiscossioneEnteSecondario,
    Column::ImportoVersamentoEnteSecondario,
];

fn is_secondary(column: Column) -> bool {
    (column as usize) >= Column::CodiceFiscaleEnteSecondario as usize && column != Column::Azione
}

fn mandatory(column: Column, version: Version, multi: bool) -> bool {
    use Column::*;
    match column {
        Iud
        | TipoIdentificativoUnivoco
        | CodiceIdentificativoUnivoco
        | AnagraficaPagatore
        | ImportoDovuto
        | TipoDovuto
        | CausaleVersamento
        | DatiSpecificiRiscossione
        | Azione => true,
        DataScadenzaPagamento => version <= Version::V1_1,
        c => multi && SECONDARY_MANDATORY.contains(&c),
    }
}

/// `Label: text`, with the label capitalised.
fn msg(column: Column, text: &str) -> String {
    let label = column.label_it();
    let mut out = String::with_capacity(label.len() + text.len() + 2);
    let mut chars = label.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
    out.push_str(": ");
    out.push_str(text);
    out
}

// ------------------------------------------------------------------------------------------
// Step 1: syntax

/// Kind of a step-1 problem of one column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SyntaxKind {
    Missing,
    TooLong,
    NotConforming,
}

fn syntax_kind(row: &RawRow, version: Version, column: Column, multi: bool) -> Option<SyntaxKind> {
    syntax_kind_of(val(row, version, column), version, column, multi)
}

/// [`syntax_kind`] of the trimmed value `v` of `column`.
fn syntax_kind_of(v: &str, version: Version, column: Column, multi: bool) -> Option<SyntaxKind> {
    if !has(version, column) || (is_secondary(column) && !multi) {
        return None;
    }
    if v.is_empty() {
        return mandatory(column, version, multi).then_some(SyntaxKind::Missing);
    }
    if java_len(v) > column.max_len(version) {
        return Some(SyntaxKind::TooLong);
    }
    let conforming = match column {
        Column::DataScadenzaPagamento => dates::mypay_parse_date(v).is_some(),
        Column::ImportoDovuto
        | Column::CommissioneCaricoPa
        | Column::ImportoVersamentoEnteSecondario => money::mypay_parse_amount(v).is_some(),
        Column::FlagGeneraIuv | Column::FlagMultiBeneficiario => parse_flag(v).is_some(),
        _ => true,
    };
    (!conforming).then_some(SyntaxKind::NotConforming)
}

/// `anagraficaPagatore` → `ANAGRAFICA_PAGATORE`, as in MyPay's syntax messages.
fn upper_snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 6);
    let b = name.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 && b[i - 1].is_ascii_lowercase() {
            out.push('_');
        }
        out.push(char::from(c.to_ascii_uppercase()));
    }
    out
}

/// MyPay's own text of a step-1 problem.
fn syntax_text_mypay(column: Column, kind: SyntaxKind, value: &str) -> String {
    let name = upper_snake(column.name());
    match (kind, column) {
        (SyntaxKind::Missing, _) => format!("{name} NON PRESENTE"),
        (SyntaxKind::TooLong, _) => format!("{name} TROPPO GRANDE"),
        (SyntaxKind::NotConforming, Column::DataScadenzaPagamento) => {
            "dataScadenzaPagamento:wrong DATE pattern or wrong DATE data".to_string()
        }
        // "CONFROME" (sic) is MyPay's typo for importoDovuto; [INFERRED] the same text pattern
        // for the other amounts.
        (
            SyntaxKind::NotConforming,
            Column::ImportoDovuto
            | Column::CommissioneCaricoPa
            | Column::ImportoVersamentoEnteSecondario,
        ) => {
            format!("{name} NON CONFROME: {value}")
        }
        (SyntaxKind::NotConforming, _) => format!("{name} NON CONFORME"),
    }
}

fn syntax_text_clerk(column: Column, kind: SyntaxKind, version: Version, multi: bool) -> String {
    match kind {
        SyntaxKind::Missing if is_secondary(column) && multi => msg(
            column,
            "è obbligatorio quando il dovuto è multibeneficiario; compilarlo o togliere il flag multibeneficiario",
        ),
        SyntaxKind::Missing => msg(column, "è obbligatorio; compilarlo"),
        SyntaxKind::TooLong => msg(
            column,
            &format!(
                "è troppo lungo: al massimo {} caratteri; accorciarlo",
                crate::testo::numero(column.max_len(version))
            ),
        ),
        SyntaxKind::NotConforming => match column {
            Column::DataScadenzaPagamento => msg(
                column,
                "non è una data nel formato aaaa-mm-gg (ad esempio 2025-03-31)",
            ),
            Column::FlagGeneraIuv | Column::FlagMultiBeneficiario => {
                msg(column, "deve essere true oppure false (o vuoto)")
            }
            _ => msg(
                column,
                "non è un numero: usare il punto per i decimali e nessun separatore delle migliaia, ad esempio 1234.50",
            ),
        },
    }
}

/// Clerk message of the "Too many columns" syntax finding (see [`mypay_column_count_finding`]).
const TOO_MANY_COLUMNS_IT: &str = "La riga ha più colonne di quelle previste dal tracciato: probabilmente un ';' non racchiuso tra virgolette in un campo di testo";
const TOO_FEW_COLUMNS_IT: &str = "La riga ha meno colonne di quelle previste dal tracciato: mancano dei ';' o la riga è spezzata su più righe";

/// The step-1 finding for a line with the wrong number of columns (the tracciato reader knows
/// the count; a [`RawRow`] cannot express it). MyPay: "Too many columns", or for too few
/// "ERRORE GENERICO NELLA LETTURA DELLA RIGA DEL CSV".
pub fn mypay_column_count_finding(found: usize, version: Version) -> Option<Finding> {
    let expected = version.column_count();
    if found == expected {
        return None;
    }
    let text = if found > expected {
        TOO_MANY_COLUMNS_IT
    } else {
        TOO_FEW_COLUMNS_IT
    };
    Some(Finding::mypay(
        codes::SINTASSI_CSV,
        None,
        format!("{text} (trovate {found}, attese {expected})."),
    ))
}

fn step1(f: &Fields<'_>, out: &mut Vec<Finding>) {
    let (version, multi) = (f.version, f.multi);
    for &c in version.columns() {
        if let Some(kind) = syntax_kind_of(f.get(c), version, c, multi) {
            out.push(Finding::mypay(
                codes::SINTASSI_CSV,
                Some(c),
                syntax_text_clerk(c, kind, version, multi),
            ));
        }
    }
}

// ------------------------------------------------------------------------------------------
// Step 4: semantic checks (validaElabora)

/// `Constants.EMAIL_PATTERN`: local part of `A-Za-z0-9 _!#$%&'*+/=?{}~^.-|\``, `@`,
/// domain of `[a-zA-Z0-9.-]+`, whole string.
fn mypay_email_ok(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"_!#$%&'*+/=?{}~^.-|`".contains(&c));
    let domain_ok = !domain.is_empty()
        && domain
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-');
    local_ok && domain_ok
}

fn mypay_cap_ok(s: &str) -> bool {
    (1..=16).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_alphanumeric())
}

fn ascii_printable(s: &str) -> bool {
    s.bytes().all(|c| (32..=126).contains(&c))
}

fn mypay_tipo_versamento_ok(s: &str) -> bool {
    if s.is_empty() || s.eq_ignore_ascii_case("ALL") {
        return true;
    }
    s.split('|').all(|t| {
        ["BBT", "BP", "AD", "CP", "PO", "OBEP"]
            .iter()
            .any(|k| t.eq_ignore_ascii_case(k))
    })
}

/// The debt amount as MyPay stores it (`numeric(12,2)`), when it parses.
fn mypay_importo_decimal(v: f64) -> Option<Decimal> {
    Decimal::try_from(v)
        .ok()
        .map(|d| d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
}

/// MyPay's payer identifier check (`isValidCodIdUnivocoConAnonimo`). For `F`, an 11-character
/// code is only required to be numeric ([INFERRED] from the brief: MyPay does not run the
/// check digit on it; our strict rule does).
fn mypay_payer_code_ok(tipo: u8, code: &str, tipo_dovuto: Option<&TipoDovuto>) -> bool {
    match tipo {
        b'F' => {
            if code.eq_ignore_ascii_case("ANONIMO") {
                tipo_dovuto.is_some_and(|t| t.cf_anonimo)
            } else if code.len() == 11 {
                code.bytes().all(|b| b.is_ascii_digit())
            } else {
                cf::check_cf16(code).is_ok()
            }
        }
        _ => piva::is_valid_piva(code),
    }
}

fn payer_code_message(
    tipo: u8,
    code: &str,
    tipo_dovuto: Option<&TipoDovuto>,
    tipo_code: &str,
) -> String {
    let col = Column::CodiceIdentificativoUnivoco;
    if code.eq_ignore_ascii_case("ANONIMO") {
        return if tipo == b'G' {
            msg(
                col,
                "ANONIMO non è ammesso per una persona giuridica (G): indicare la partita IVA",
            )
        } else if tipo_dovuto.is_none() {
            msg(
                col,
                "ANONIMO è ammesso solo per tipi dovuto che lo prevedono, e il tipo dovuto indicato non è attivo",
            )
        } else {
            msg(
                col,
                &format!(
                    "il tipo dovuto {tipo_code} non ammette pagatori ANONIMO: indicare il codice fiscale del pagatore"
                ),
            )
        };
    }
    let upper = code.to_ascii_uppercase();
    if tipo == b'G' {
        let e = piva::check_piva(&upper)
            .err()
            .unwrap_or(PivaError::NotDigits);
        return msg(
            col,
            &format!(
                "per una persona giuridica (G) serve la partita IVA di 11 cifre; {}",
                e.message_it()
            ),
        );
    }
    match cf::check_cf(&upper) {
        Err(e) => msg(
            col,
            &format!("codice fiscale non valido: {}", e.message_it()),
        ),
        Ok(_) => msg(col, "codice fiscale non valido"),
    }
}

fn step4(f: &Fields<'_>, ctx: &RowContext<'_>, azione: Option<Azione>, out: &mut Vec<Finding>) {
    let v = ctx.version;
    let get = |c: Column| f.get(c);

    // IUD
    let iud = get(Column::Iud);
    if iud.is_empty() || iud.starts_with("000") {
        out.push(Finding::mypay(
            codes::IUD,
            Some(Column::Iud),
            msg(Column::Iud, "non può iniziare con 000 (prefisso riservato agli IUD generati da MyPay): cambiare l'identificativo"),
        ));
    }

    // IUV
    let flag_genera = parse_flag(get(Column::FlagGeneraIuv)) == Some(true);
    let iuv_value = get(Column::CodIuv);
    let iuv_ctx = MyPayIuvContext {
        segregazione: &ctx.ente.codice_segregazione,
        flag_genera_iuv: flag_genera,
        azione,
        today: ctx.today,
        iuv15_limit: ctx.iuv15_limit,
    };
    if !iuv::mypay_iuv_ok(iuv_value, &iuv_ctx) {
        let len = iuv_value.chars().count();
        let text = match len {
            15 if iuv_value.starts_with("00") => "uno IUV di 15 caratteri non può iniziare con 00".to_string(),
            15 => "dal 30/04/2024 MyPay non accetta nuovi IUV di 15 caratteri: usare uno IUV di 17 cifre o lasciarlo vuoto".to_string(),
            17 => format!(
                "uno IUV di 17 cifre deve iniziare con il codice di segregazione dell'Ente ({}) e le cifre 3-4 non possono essere 00 (riservate a MyPay); oppure lasciarlo vuoto e impostare genera IUV",
                ctx.ente.codice_segregazione
            ),
            25 => "uno IUV di 25 caratteri che finisce con 0000 deve avere 99 alle posizioni 7-8".to_string(),
            _ => format!("deve essere lungo 15, 17 o 25 caratteri, oppure vuoto; ne ha {len}"),
        };
        out.push(Finding::mypay(
            codes::IUV,
            Some(Column::CodIuv),
            msg(Column::CodIuv, &text),
        ));
    }

    // Tipo dovuto
    let tipo_code = get(Column::TipoDovuto);
    let tipo = ctx.tipo_attivo(tipo_code);
    if tipo_code == MARCA_BOLLO_DIGITALE {
        out.push(Finding::mypay(
            codes::TIPO_DOVUTO_MARCA_DA_BOLLO,
            Some(Column::TipoDovuto),
            msg(
                Column::TipoDovuto,
                "la marca da bollo digitale non si può caricare con un flusso di dovuti",
            ),
        ));
    } else if tipo.is_none() {
        let text = match ctx.tipi.find(tipo_code) {
            Some(_) => format!(
                "il tipo dovuto {tipo_code} non è attivo per l'Ente: attivarlo su MyPay o usare un altro tipo"
            ),
            None => format!(
                "il tipo dovuto {tipo_code} non esiste per l'Ente: controllare il codice (maiuscole comprese)"
            ),
        };
        out.push(Finding::mypay(
            codes::TIPO_DOVUTO_INESISTENTE,
            Some(Column::TipoDovuto),
            msg(Column::TipoDovuto, &text),
        ));
    }

    // Payer identifier
    let tipo_id = get(Column::TipoIdentificativoUnivoco).as_bytes();
    let code = get(Column::CodiceIdentificativoUnivoco);
    match tipo_id {
        [t] if matches!(t.to_ascii_uppercase(), b'F' | b'G') => {
            let t = t.to_ascii_uppercase();
            let upper_ok = mypay_payer_code_ok(t, &ascii_upper_small(code), tipo);
            if !upper_ok {
                let c = if t == b'F' {
                    codes::COD_FISC
                } else {
                    codes::P_IVA
                };
                out.push(Finding::mypay(
                    c,
                    Some(Column::CodiceIdentificativoUnivoco),
                    payer_code_message(t, code, tipo, tipo_code),
                ));
            }
        }
        _ => out.push(Finding::mypay(
            codes::ID_UNIV_FG,
            Some(Column::TipoIdentificativoUnivoco),
            msg(
                Column::TipoIdentificativoUnivoco,
                "deve essere F (persona fisica) o G (persona giuridica)",
            ),
        )),
    }

    // Address
    address_checks(f, false, out);

    // Due date (1_2+: mandatory when the tipo requires it)
    let data = get(Column::DataScadenzaPagamento);
    if v >= Version::V1_2 && data.is_empty() && tipo.is_some_and(|t| t.scadenza_obbligatoria) {
        out.push(Finding::mypay(
            codes::DATA_SCADENZA_NON_PRESENTE,
            Some(Column::DataScadenzaPagamento),
            msg(Column::DataScadenzaPagamento, &format!("è obbligatoria per il tipo dovuto {tipo_code}; indicarla nel formato aaaa-mm-gg")),
        ));
    }

    // Amounts
    let importo = money::mypay_parse_amount(get(Column::ImportoDovuto));
    if let Some(x) = importo
        && !money::mypay_amount_ok(x)
    {
        out.push(Finding::mypay(
            codes::IMPORTO,
            Some(Column::ImportoDovuto),
            msg(
                Column::ImportoDovuto,
                "deve essere diverso da zero e al massimo 999999999.99",
            ),
        ));
    }
    if let Some(x) = money::mypay_parse_amount(get(Column::CommissioneCaricoPa))
        && !money::mypay_commissione_ok(x)
    {
        out.push(Finding::mypay(
            codes::COMMISSIONI_PA,
            Some(Column::CommissioneCaricoPa),
            msg(
                Column::CommissioneCaricoPa,
                "supera l'importo massimo di 999999999.99",
            ),
        ));
    }

    // Tipo versamento
    if !mypay_tipo_versamento_ok(get(Column::TipoVersamento)) {
        out.push(Finding::mypay(
            codes::TIPO_VERS,
            Some(Column::TipoVersamento),
            msg(Column::TipoVersamento, "valori ammessi: ALL (o vuoto), oppure uno o più tra BBT, BP, AD, CP, PO, OBEP separati da |"),
        ));
    }

    // Dati specifici di riscossione
    if !taxonomy::mypay_dati_riscossione_ok(get(Column::DatiSpecificiRiscossione)) {
        out.push(Finding::mypay(
            codes::DATI_RISCOSS,
            Some(Column::DatiSpecificiRiscossione),
            msg(
                Column::DatiSpecificiRiscossione,
                "deve avere la forma 9/codice-tassonomia/ (ad esempio 9/0101100IM/), senza spazi",
            ),
        ));
    }

    // Bilancio
    let bil = get(Column::Bilancio);
    if !bil.is_empty() {
        let problem = match bilancio::parse_bilancio(bil) {
            Err(e) => Some(format!("l'XML non è valido ({})", e.0)),
            Ok(b) => match (b.total(), importo.and_then(mypay_importo_decimal)) {
                (Some(t), Some(i)) if t == i => None,
                (Some(t), _) => Some(format!(
                    "la somma degli importi degli accertamenti ({}) deve essere uguale all'importo del dovuto",
                    money::format_tracciato(t)
                )),
                (None, _) => Some("un importo di accertamento non è un numero".to_string()),
            },
        };
        if let Some(p) = problem {
            out.push(Finding::mypay(
                codes::BILANCIO,
                Some(Column::Bilancio),
                msg(Column::Bilancio, &p),
            ));
        }
    }

    // Secondary beneficiary (1_4, flag on)
    if f.multi {
        let cf2 = get(Column::CodiceFiscaleEnteSecondario).to_ascii_uppercase();
        if !(piva::is_valid_piva(&cf2) || cf::check_cf16(&cf2).is_ok()) {
            let why = piva::check_piva(&cf2)
                .err()
                .map(|e| e.message_it())
                .unwrap_or_default();
            out.push(Finding::mypay(
                codes::COD_FISC_ENTE_SECONDARIO,
                Some(Column::CodiceFiscaleEnteSecondario),
                msg(
                    Column::CodiceFiscaleEnteSecondario,
                    &format!("codice fiscale non valido: {why}"),
                ),
            ));
        }
        let ib = get(Column::IbanAccreditoEnteSecondario);
        if !iban::mypay_iban_ok(ib) {
            out.push(Finding::mypay(
                codes::IBAN_ENTE_SECONDARIO,
                Some(Column::IbanAccreditoEnteSecondario),
                msg(
                    Column::IbanAccreditoEnteSecondario,
                    &format!(
                        "deve essere lungo esattamente 27 caratteri, senza spazi; ne ha {}",
                        ib.chars().count()
                    ),
                ),
            ));
        }
        address_checks(f, true, out);
        if !taxonomy::mypay_dati_riscossione_secondario_ok(get(
            Column::DatiSpecificiRiscossioneEnteSecondario,
        )) {
            out.push(Finding::mypay(
                codes::DATI_RISCOSS_ENTE_SECONDARIO,
                Some(Column::DatiSpecificiRiscossioneEnteSecondario),
                msg(
                    Column::DatiSpecificiRiscossioneEnteSecondario,
                    "deve essere un codice della tassonomia pagoPA esistente, nella forma 9/0101100IM/",
                ),
            ));
        }
        if let Some(x) = money::mypay_parse_amount(get(Column::ImportoVersamentoEnteSecondario))
            && !money::mypay_amount_ok(x)
        {
            out.push(Finding::mypay(
                codes::IMPORTO_VERS_ENTE_SECONDARIO,
                Some(Column::ImportoVersamentoEnteSecondario),
                msg(
                    Column::ImportoVersamentoEnteSecondario,
                    "deve essere diverso da zero e al massimo 999999999.99",
                ),
            ));
        }
    }
}

/// Upper-cases short codes on the stack-friendly path (codes are at most 35 chars).
fn ascii_upper_small(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_lowercase()) {
        std::borrow::Cow::Owned(s.to_ascii_uppercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Civico, nazione, provincia, CAP, e-mail of the payer or of the secondary Ente.
fn address_checks(f: &Fields<'_>, secondary: bool, out: &mut Vec<Finding>) {
    let (civ, naz, prov, cap) = if secondary {
        (
            (Column::CivicoEnteSecondario, codes::CIVICO_ENTE_SECONDARIO),
            (Column::NazioneEnteSecondario, codes::NAZ_ENTE_SECONDARIO),
            (Column::ProvinciaEnteSecondario, codes::PROV_ENTE_SECONDARIO),
            (Column::CapEnteSecondario, codes::CAP_ENTE_SECONDARIO),
        )
    } else {
        (
            (Column::CivicoPagatore, codes::CIVICO),
            (Column::NazionePagatore, codes::NAZ),
            (Column::ProvinciaPagatore, codes::PROV),
            (Column::CapPagatore, codes::CAP),
        )
    };
    let civico = f.get(civ.0);
    if !ascii_printable(civico) {
        out.push(Finding::mypay(
            civ.1,
            Some(civ.0),
            msg(civ.0, "contiene caratteri non ammessi (lettere accentate o simboli speciali): usare solo lettere, cifre, spazi, / e -"),
        ));
    }
    let nazione = f.get(naz.0);
    if !nazione.is_empty() && lookup::nazione(nazione).is_none() {
        out.push(Finding::mypay(
            naz.1,
            Some(naz.0),
            msg(
                naz.0,
                "non è un codice nazione ISO di 2 lettere riconosciuto (ad esempio IT, FR, DE)",
            ),
        ));
    }
    let provincia = f.get(prov.0);
    // The payer's nazione is compared ignoring case; the secondary Ente's case-sensitively (§4.3).
    let italy = if secondary {
        nazione == "IT"
    } else {
        nazione.eq_ignore_ascii_case("IT")
    };
    if italy && !provincia.is_empty() && lookup::provincia(provincia).is_none() {
        out.push(Finding::mypay(
            prov.1,
            Some(prov.0),
            msg(
                prov.0,
                "non è la sigla di una provincia italiana (ad esempio MI, BG, VR)",
            ),
        ));
    }
    let cap_v = f.get(cap.0);
    if !cap_v.is_empty() && !mypay_cap_ok(cap_v) {
        out.push(Finding::mypay(
            cap.1,
            Some(cap.0),
            msg(cap.0, "può contenere solo lettere e cifre, senza spazi"),
        ));
    }
    if !secondary {
        let email = f.get(Column::EmailPagatore);
        if !email.is_empty() && !mypay_email_ok(email) {
            out.push(Finding::mypay(
                codes::EMAIL,
                Some(Column::EmailPagatore),
                msg(Column::EmailPagatore, "non è un indirizzo e-mail valido (nome@dominio.it, un solo indirizzo, senza spazi)"),
            ));
        }
    }
}

/// The rule of the DB function: a tipo with `flg_stampa_data_scadenza` or
/// `flg_scadenza_obbligatoria` needs a due date, and with `flg_scadenza_obbligatoria` it must
/// not be in the past. Applied to inserts and modifications ([INFERRED] for M).
fn db_due_date(
    f: &Fields<'_>,
    ctx: &RowContext<'_>,
    azione: Option<Azione>,
    out: &mut Vec<Finding>,
) {
    if !matches!(azione, Some(Azione::Inserimento | Azione::Modifica)) {
        return;
    }
    let Some(tipo) = ctx.tipo_attivo(f.get(Column::TipoDovuto)) else {
        return;
    };
    if !(tipo.scadenza_obbligatoria || tipo.stampa_data_scadenza) {
        return;
    }
    let col = Column::DataScadenzaPagamento;
    let data = dates::mypay_parse_date(f.get(col));
    let text = match data {
        None => Some(format!(
            "è obbligatoria per il tipo dovuto {}: indicarla nel formato aaaa-mm-gg",
            tipo.codice
        )),
        Some(d) if tipo.scadenza_obbligatoria && d < ctx.today => Some(format!(
            "è già passata ({}) e il tipo dovuto {} non accetta scadenze nel passato: indicare una data da oggi in poi",
            dates::format_it(d),
            tipo.codice
        )),
        Some(_) => None,
    };
    if let Some(t) = text {
        out.push(Finding::mypay(
            codes::DATA_SCADENZA_OBBLIGATORIA,
            Some(col),
            msg(col, &t),
        ));
    }
}

/// MyPay's verdict on one row, as findings with MyPay's codes and Italian messages for clerks:
/// step 1 (syntax, stops the row), step 3 (`azione`, stops the row), step 4 (all semantic
/// checks), and the DB due-date rule when nothing else failed. IUD duplicates within the file
/// are the [`IudTracker`]'s job (step 2), across the store the caller's.
pub fn mypay_findings(row: &RawRow, ctx: &RowContext<'_>) -> Vec<Finding> {
    mypay_findings_of(&Fields::new(row, ctx.version), ctx)
}

fn mypay_findings_of(f: &Fields<'_>, ctx: &RowContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    step1(f, &mut out);
    if !out.is_empty() {
        return out;
    }
    let azione = Azione::parse(f.get(Column::Azione));
    if azione.is_none() {
        out.push(Finding::mypay(
            codes::AZIONE,
            Some(Column::Azione),
            msg(
                Column::Azione,
                "deve essere I (inserimento), M (modifica) o A (annullamento), in maiuscolo",
            ),
        ));
        return out;
    }
    step4(f, ctx, azione, &mut out);
    if out.is_empty() {
        db_due_date(f, ctx, azione, &mut out);
    }
    out
}

// ------------------------------------------------------------------------------------------
// Step 2: IUD duplicated within the file

/// IUDs of the rows of one file that MyPay loaded. MyPay only counts rows loaded successfully:
/// a second row with the IUD of a *rejected* row is not a duplicate.
#[derive(Clone, Debug, Default)]
pub struct IudTracker {
    loaded: HashSet<String>,
}

impl IudTracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// `PAA_IMPORT_IUD_DUPLICATO` if a previously loaded row had this IUD.
    pub fn check(&self, iud: &str) -> Option<Finding> {
        let iud = java_trim(iud);
        self.loaded.contains(iud).then(|| {
            Finding::mypay(
                codes::IUD_DUPLICATO,
                Some(Column::Iud),
                msg(Column::Iud, &format!("{iud} compare già in una riga precedente dello stesso file: ogni dovuto deve avere un IUD diverso")),
            )
        })
    }

    /// Records the IUD of a row that was loaded.
    pub fn mark_loaded(&mut self, iud: &str) {
        self.loaded.insert(java_trim(iud).to_string());
    }

    /// Check, then record the IUD if the row is otherwise valid and not a duplicate: the usual
    /// loop over a file's rows, in order.
    pub fn observe(&mut self, iud: &str, row_ok: bool) -> Option<Finding> {
        let dup = self.check(iud);
        if dup.is_none() && row_ok {
            self.mark_loaded(iud);
        }
        dup
    }

    pub fn len(&self) -> usize {
        self.loaded.len()
    }

    pub fn is_empty(&self) -> bool {
        self.loaded.is_empty()
    }
}

/// Our finding for an IUD already used by this Ente in the store (MyPay refuses it forever,
/// even after cancellation). Built here so every caller shows the same text.
pub fn iud_gia_presente(iud: &str) -> Finding {
    Finding::strict(
        codes::MPD_IUD_GIA_PRESENTE,
        Some(Column::Iud),
        msg(
            Column::Iud,
            &format!(
                "{iud} è già stato usato per un altro dovuto dell'Ente; MyPay non accetta mai lo stesso IUD due volte, neanche dopo un annullamento: assegnare un IUD nuovo (per modificare il dovuto esistente usare l'azione M)"
            ),
        ),
    )
}

/// MyPay's DB-level duplicate (IUD already registered for the Ente), for the emulator.
pub fn mypay_iud_duplicato_db(iud: &str) -> Finding {
    Finding::mypay(
        codes::IUD_DUPLICATO,
        None,
        msg(
            Column::Iud,
            &format!("{iud} è già presente su MyPay per questo Ente: assegnare un IUD nuovo"),
        ),
    )
}

// ------------------------------------------------------------------------------------------
// Strict rules

/// Any character that would break MyPay's line-based reader or that no clerk means to send.
fn bad_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// High bit of each byte of `w` equal to `needle` (exact).
fn byte_eq_mask(w: u64, needle: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = w ^ (u64::from(needle) * 0x0101_0101_0101_0101);
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// 1 to 8 bytes as one word holding every one of them (some twice, and `A` for filler):
/// enough for yes/no questions about the bytes, without a byte loop.
fn short_word(b: &[u8]) -> u64 {
    const FILL: u64 = 0x4141_4141_4141_4141;
    let n = b.len();
    let u16_at = |i: usize| u64::from(u16::from_le_bytes([b[i], b[i + 1]]));
    let u32_at = |i: usize| u64::from(u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]));
    match n {
        0 => FILL,
        1 => (FILL << 8) | u64::from(b[0]),
        2 | 3 => (FILL << 32) | (u16_at(n - 2) << 16) | u16_at(0),
        4..=7 => (u32_at(n - 4) << 32) | u32_at(0),
        _ => u64::from_le_bytes(b[n - 8..].try_into().expect("8 bytes")),
    }
}

/// One pass over the bytes, eight at a time: (has a control character, has a `;`). This runs
/// on every field of every row, so it avoids a per-byte loop.
fn scan_chars(s: &str) -> (bool, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let (mut ctrl_acc, mut semi_acc, mut high_acc) = (0u64, 0u64, 0u64);
    let mut scan = |w: u64| {
        // Some byte < 0x20 (exact as a yes/no: a borrow only runs above a byte that is < 0x20,
        // and bytes >= 0x80 are masked out by `!w`), or equal to DEL.
        ctrl_acc |= (w.wrapping_sub(0x20 * ONES) & !w & HIGH) | byte_eq_mask(w, 0x7f);
        semi_acc |= byte_eq_mask(w, b';');
        high_acc |= w & HIGH;
    };
    let bytes = s.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        scan(u64::from_le_bytes(c.try_into().expect("8 bytes")));
    }
    if !chunks.remainder().is_empty() {
        // The last bytes, overlapping what was scanned: harmless for yes/no answers.
        scan(short_word(&bytes[bytes.len().saturating_sub(8)..]));
    }
    let (mut ctrl, semi, non_ascii) = (ctrl_acc != 0, semi_acc != 0, high_acc != 0);
    if non_ascii && !ctrl {
        ctrl = s.chars().any(bad_char);
    }
    (ctrl, semi)
}

/// Our e-mail sanity: one `@`, a local part without leading/trailing/double dots, a domain of
/// at least two labels of letters/digits/hyphens, a top-level domain of 2+ letters.
pub fn email_sane(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    if local.is_empty()
        || local.len() > 64
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return false;
    }
    if !local
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"_!#$%&'*+/=?{}~^.-|`".contains(&c))
    {
        return false;
    }
    let mut labels = 0;
    let mut last = "";
    for label in domain.split('.') {
        let b = label.as_bytes();
        if b.is_empty() || b.len() > 63 || b[0] == b'-' || b[b.len() - 1] == b'-' {
            return false;
        }
        if !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-') {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2 && last.len() >= 2 && last.bytes().all(|c| c.is_ascii_alphabetic())
}

fn strict_taxonomy(column: Column, value: &str, today: NaiveDate, out: &mut Vec<Finding>) {
    if value.is_empty() {
        return;
    }
    match taxonomy::check_taxonomy(value, today) {
        Ok(TaxonomyStatus::Valid) => {}
        Ok(TaxonomyStatus::Unknown) => out.push(Finding::warning(
            codes::MPD_TASSONOMIA_SCONOSCIUTA,
            Some(column),
            msg(column, "il codice tassonomico non è nella tabella della tassonomia pagoPA in dotazione (potrebbe essere più vecchia di quella di MyPay): verificarlo sul sito di pagoPA"),
        )),
        Ok(TaxonomyStatus::OutOfValidity) => out.push(Finding::warning(
            codes::MPD_TASSONOMIA_FUORI_VALIDITA,
            Some(column),
            msg(column, "il codice tassonomico non è in vigore alla data di oggi: usare il codice che lo sostituisce"),
        )),
        Err(e @ TaxonomyError::LegacyForm) => {
            out.push(Finding::warning(codes::MPD_TASSONOMIA_FORMATO_VECCHIO, Some(column), msg(column, &e.message_it())));
        }
        Err(e @ TaxonomyError::Format) => {
            out.push(Finding::strict(codes::MPD_TASSONOMIA_NON_VALIDA, Some(column), msg(column, &e.message_it())));
        }
    }
}

/// Nazione, provincia and CAP against the tables, for Italy (or no nazione, which means Italy).
fn strict_address(f: &Fields<'_>, cols: [Column; 3], out: &mut Vec<Finding>) {
    let [naz, prov, cap] = cols;
    let nazione = f.get(naz);
    if !nazione.is_empty() && lookup::nazione(nazione).is_none() {
        out.push(Finding::strict(
            codes::MPD_NAZIONE_SCONOSCIUTA,
            Some(naz),
            msg(
                naz,
                "non è un codice nazione ISO di 2 lettere riconosciuto (ad esempio IT, FR, DE)",
            ),
        ));
    }
    let italy = nazione.is_empty() || nazione.eq_ignore_ascii_case("IT");
    let provincia = f.get(prov);
    if italy && !provincia.is_empty() && lookup::provincia(provincia).is_none() {
        out.push(Finding::strict(
            codes::MPD_PROVINCIA_SCONOSCIUTA,
            Some(prov),
            msg(
                prov,
                "non è la sigla di una provincia italiana (ad esempio MI, BG, VR)",
            ),
        ));
    }
    let c = f.get(cap);
    if italy && !c.is_empty() && !(c.len() == 5 && c.bytes().all(|b| b.is_ascii_digit())) {
        out.push(Finding::strict(
            codes::MPD_CAP_NON_VALIDO,
            Some(cap),
            msg(cap, "un CAP italiano è fatto di 5 cifre (ad esempio 20121); se l'indirizzo è all'estero indicare la nazione"),
        ));
    }
}

/// Our stricter rules (`MPD_…`, [`crate::model::Rule::Strict`]): what MyPay lets through but
/// pagoPA, the bank or the clerk would regret. Warnings do not block the row.
pub fn strict_findings(row: &RawRow, ctx: &RowContext<'_>) -> Vec<Finding> {
    strict_findings_of(&Fields::new(row, ctx.version), ctx)
}

fn strict_findings_of(f: &Fields<'_>, ctx: &RowContext<'_>) -> Vec<Finding> {
    let v = ctx.version;
    let get = |c: Column| f.get(c);
    let row = f.row;
    let mut out = Vec::new();
    let multi = f.multi;

    // Characters that break MyPay's line reader, and ';' that breaks its _IUV.csv rewrite.
    for &c in v.columns() {
        if is_secondary(c) && !multi {
            continue;
        }
        let raw = row.get(c);
        if raw.is_empty() {
            continue;
        }
        let (ctrl, semi) = scan_chars(raw);
        if ctrl {
            out.push(Finding::strict(
                codes::MPD_CARATTERI_NON_AMMESSI,
                Some(c),
                msg(c, "contiene a capo, tabulazioni o altri caratteri di controllo, che spezzano la riga del file: toglierli"),
            ));
        } else if semi && c != Column::Bilancio {
            out.push(Finding::warning(
                codes::MPD_PUNTO_E_VIRGOLA,
                Some(c),
                msg(c, "contiene un punto e virgola: MyPay lo accetta ma il file dei dovuti caricati (_IUV.csv) che restituisce risulterà sfasato; meglio sostituirlo con una virgola"),
            ));
        }
    }

    // IUV supplied by the Ente
    let iuv_value = get(Column::CodIuv);
    if !iuv_value.is_empty()
        && let Err(e) = iuv::check_supplied_iuv(iuv_value, &ctx.ente.codice_segregazione)
    {
        out.push(Finding::strict(
            codes::MPD_IUV_NON_VALIDO,
            Some(Column::CodIuv),
            msg(Column::CodIuv, &e.message_it()),
        ));
    }

    // Payer identifier
    let tipo_code = get(Column::TipoDovuto);
    let tipo = ctx.tipo_attivo(tipo_code);
    let code = ascii_upper_small(get(Column::CodiceIdentificativoUnivoco));
    let col = Column::CodiceIdentificativoUnivoco;
    let tipo_id = match get(Column::TipoIdentificativoUnivoco).as_bytes() {
        [b'F' | b'f'] => "F",
        [b'G' | b'g'] => "G",
        _ => "",
    };
    if code.as_ref() == "ANONIMO" {
        if tipo_id == "G" || !tipo.is_some_and(|t| t.cf_anonimo) {
            out.push(Finding::strict(
                codes::MPD_ANONIMO_NON_AMMESSO,
                Some(col),
                msg(col, "ANONIMO è ammesso solo per persone fisiche e per i tipi dovuto che lo prevedono: indicare il codice fiscale"),
            ));
        }
    } else if tipo_id == "F" && code.len() == 16 {
        if cf::belfiore_status(&code) == Some(BelfioreStatus::Sconosciuto) {
            out.push(Finding::warning(
                codes::MPD_CF_COMUNE_SCONOSCIUTO,
                Some(col),
                msg(col, "il codice del comune di nascita (caratteri 12-15) non è nella tabella dei comuni: controllare il codice fiscale"),
            ));
        }
    } else if (tipo_id == "F" || tipo_id == "G")
        && let Err(e) = piva::check_piva_strict(&code)
    {
        let c = if tipo_id == "F" {
            codes::MPD_CF_NUMERICO_NON_VALIDO
        } else {
            codes::MPD_PIVA_NON_VALIDA
        };
        out.push(Finding::strict(
            c,
            Some(col),
            msg(
                col,
                &format!("codice numerico non valido: {}", e.message_it()),
            ),
        ));
    }

    // Address
    strict_address(
        f,
        [
            Column::NazionePagatore,
            Column::ProvinciaPagatore,
            Column::CapPagatore,
        ],
        &mut out,
    );
    let email = get(Column::EmailPagatore);
    if !email.is_empty() && !email_sane(email) {
        out.push(Finding::strict(
            codes::MPD_EMAIL_NON_VALIDA,
            Some(Column::EmailPagatore),
            msg(
                Column::EmailPagatore,
                "non sembra un indirizzo e-mail valido (ad esempio mario.rossi@esempio.it)",
            ),
        ));
    }

    // Due date: a real calendar date; in the past is worth a warning.
    let data = get(Column::DataScadenzaPagamento);
    if !data.is_empty() {
        match dates::parse_date_strict(data) {
            Err(e) => {
                let extra = match dates::mypay_parse_date(data) {
                    Some(d) if e == dates::DateError::NotARealDate => {
                        format!(" (MyPay la trasformerebbe nel {})", dates::format_it(d))
                    }
                    _ => String::new(),
                };
                out.push(Finding::strict(
                    codes::MPD_DATA_NON_VALIDA,
                    Some(Column::DataScadenzaPagamento),
                    msg(
                        Column::DataScadenzaPagamento,
                        &format!("{}{extra}; scrivere aaaa-mm-gg", e.message_it("aaaa-mm-gg")),
                    ),
                ));
            }
            Ok(d)
                if d < ctx.today
                    && Azione::parse(get(Column::Azione)) != Some(Azione::Annullamento) =>
            {
                out.push(Finding::warning(
                    codes::MPD_DATA_SCADENZA_PASSATA,
                    Some(Column::DataScadenzaPagamento),
                    msg(
                        Column::DataScadenzaPagamento,
                        &format!(
                            "la scadenza {} è già passata: verificare che sia voluto",
                            dates::format_it(d)
                        ),
                    ),
                ));
            }
            Ok(_) => {}
        }
    }

    // Amounts
    let importo = money::check_amount_strict(get(Column::ImportoDovuto));
    if let Err(e) = importo {
        out.push(Finding::strict(
            codes::MPD_IMPORTO_NON_VALIDO,
            Some(Column::ImportoDovuto),
            msg(Column::ImportoDovuto, &e.message_it()),
        ));
    }
    let comm = get(Column::CommissioneCaricoPa);
    if !comm.is_empty()
        && let Err(e) = money::parse_tracciato_amount(comm)
    {
        out.push(Finding::strict(
            codes::MPD_COMMISSIONE_NON_VALIDA,
            Some(Column::CommissioneCaricoPa),
            msg(Column::CommissioneCaricoPa, &e.message_it()),
        ));
    }

    // Taxonomy
    strict_taxonomy(
        Column::DatiSpecificiRiscossione,
        get(Column::DatiSpecificiRiscossione),
        ctx.today,
        &mut out,
    );

    // Bilancio: every amount positive with at most 2 decimals, sum equal to the debt.
    let bil = get(Column::Bilancio);
    if !bil.is_empty() {
        let problem = match bilancio::parse_bilancio(bil) {
            Err(e) => Some(format!("l'XML non è valido: {}", e.0)),
            Ok(b) => {
                if b.capitoli
                    .iter()
                    .any(|c| c.cod_capitolo.is_empty() || c.cod_capitolo.chars().count() > 64)
                {
                    Some(
                        "ogni <codCapitolo> deve essere compilato (al massimo 64 caratteri)"
                            .to_string(),
                    )
                } else if let Some(bad) =
                    b.importi().find(|i| money::check_amount_strict(i).is_err())
                {
                    Some(format!(
                        "l'importo di accertamento {bad} non è valido: serve un importo maggiore di zero con il punto e al massimo due decimali"
                    ))
                } else {
                    match (b.total(), &importo) {
                        (Some(t), Ok(i)) if t != *i => Some(format!(
                            "la somma degli accertamenti è {} ma l'importo del dovuto è {}: correggere gli importi",
                            money::format_it(t),
                            money::format_it(*i)
                        )),
                        _ => None,
                    }
                }
            }
        };
        if let Some(p) = problem {
            out.push(Finding::strict(
                codes::MPD_BILANCIO_NON_VALIDO,
                Some(Column::Bilancio),
                msg(Column::Bilancio, &p),
            ));
        }
    }

    // Secondary beneficiary
    if multi {
        let c = Column::CodiceFiscaleEnteSecondario;
        if let Err(e) = piva::check_piva_strict(&ascii_upper_small(get(c))) {
            out.push(Finding::strict(
                codes::MPD_CF_ENTE_SECONDARIO_NON_VALIDO,
                Some(c),
                msg(c, &e.message_it()),
            ));
        }
        let c = Column::IbanAccreditoEnteSecondario;
        if let Err(e) = iban::check_iban(get(c)) {
            out.push(Finding::strict(
                codes::MPD_IBAN_NON_VALIDO,
                Some(c),
                msg(c, &e.message_it()),
            ));
        }
        strict_address(
            f,
            [
                Column::NazioneEnteSecondario,
                Column::ProvinciaEnteSecondario,
                Column::CapEnteSecondario,
            ],
            &mut out,
        );
        strict_taxonomy(
            Column::DatiSpecificiRiscossioneEnteSecondario,
            get(Column::DatiSpecificiRiscossioneEnteSecondario),
            ctx.today,
            &mut out,
        );
        let c = Column::ImportoVersamentoEnteSecondario;
        match money::check_amount_strict(get(c)) {
            Err(e) => out.push(Finding::strict(
                codes::MPD_IMPORTO_ENTE_SECONDARIO_NON_VALIDO,
                Some(c),
                msg(c, &e.message_it()),
            )),
            Ok(sec) => {
                if let Ok(tot) = importo
                    && sec >= tot
                {
                    out.push(Finding::strict(
                        codes::MPD_IMPORTO_ENTE_SECONDARIO_ECCEDENTE,
                        Some(c),
                        msg(c, &format!("({}) deve essere minore dell'importo totale del dovuto ({}): all'Ente principale deve restare una quota", money::format_it(sec), money::format_it(tot))),
                    ));
                }
            }
        }
    }
    out
}

/// MyPay's findings first, then ours, leaving out our findings on a column MyPay already flags
/// (a column with a MyPay problem needs fixing anyway; one message is enough).
pub fn validate_row(row: &RawRow, ctx: &RowContext<'_>) -> Vec<Finding> {
    let fields = Fields::new(row, ctx.version);
    let mut out = mypay_findings_of(&fields, ctx);
    let strict = strict_findings_of(&fields, ctx);
    if out.is_empty() {
        return strict;
    }
    let n = out.len();
    for f in strict {
        let covered = f.column.is_some() && out[..n].iter().any(|m| m.column == f.column);
        if !covered {
            out.push(f);
        }
    }
    out
}

/// `true` if none of `findings` is an error.
pub fn is_acceptable(findings: &[Finding]) -> bool {
    !findings.iter().any(|f| f.severity == Severity::Error)
}

// ------------------------------------------------------------------------------------------
// MyPay's _SCARTI texts

/// The two last columns of a rejected row in MyPay's `_SCARTI.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rifiuto {
    pub cod_rifiuto: String,
    pub de_rifiuto: String,
}

const MANUALE: &str = ". Per maggiori informazioni fare riferimento al manuale 'Integrazione Ente'";

/// MyPay's description of a semantic code: "Errore sintassi CSV campo <campo>. Per maggiori
/// informazioni…". The texts for IUD and azione are MyPay's; for the other codes the field name
/// is [INFERRED] as the column's header name.
fn mypay_description(code: &str, column: Option<Column>) -> String {
    match code {
        codes::IUD_DUPLICATO if column.is_some() => {
            "Errore IUD duplicato all''interno dello stesso flusso".to_string()
        }
        codes::IUD_DUPLICATO => {
            "IUD attivo presente nel database, non si accettano dovuti duplicati".to_string()
        }
        // [INFERRED] DB message.
        codes::DATA_SCADENZA_OBBLIGATORIA => "Data scadenza pagamento obbligatoria".to_string(),
        _ => {
            let field = column.map_or("", Column::name);
            format!("Errore sintassi CSV campo {field}{MANUALE}")
        }
    }
}

/// Renders MyPay's `cod_rifiuto` and `de_rifiuto` for the MyPay findings of a row, exactly as the
/// `_SCARTI` file has them (spec §4.4, §4.8): syntax problems as one `PAA_IMPORT_SINTASSI_CSV`
/// with `|MSG|MSG…`; semantic codes each prefixed by `|` except `COD_FISC` and the secondary
/// IBAN (no pipe), with the `IMPORTO` description starting with a space; DB codes appended with
/// `|`. Strict findings are ignored. `None` when there is no MyPay finding.
pub fn render_rifiuto(findings: &[Finding], row: &RawRow, version: Version) -> Option<Rifiuto> {
    let mypay: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == crate::model::Rule::MyPay)
        .collect();
    if mypay.is_empty() {
        return None;
    }
    let syntax: Vec<&&Finding> = mypay
        .iter()
        .filter(|f| f.code == codes::SINTASSI_CSV)
        .collect();
    if !syntax.is_empty() {
        let multi = multi_on(row, version);
        let mut de = String::new();
        for f in syntax {
            de.push('|');
            match f.column {
                Some(c) => {
                    let kind =
                        syntax_kind(row, version, c, multi).unwrap_or(SyntaxKind::NotConforming);
                    de.push_str(&syntax_text_mypay(c, kind, val(row, version, c)));
                }
                None if f.message.starts_with(TOO_MANY_COLUMNS_IT) => {
                    de.push_str("Too many columns")
                }
                None => de.push_str("ERRORE GENERICO NELLA LETTURA DELLA RIGA DEL CSV"),
            }
        }
        return Some(Rifiuto {
            cod_rifiuto: codes::SINTASSI_CSV.to_string(),
            de_rifiuto: de,
        });
    }
    // Steps 2 and 3 stop the row with a single, pipe-less code.
    for f in &mypay {
        let whole_row =
            (f.code == codes::IUD_DUPLICATO && f.column.is_some()) || f.code == codes::AZIONE;
        if whole_row {
            let de = if f.code == codes::AZIONE {
                format!("Errore sintassi CSV campo azione{MANUALE}")
            } else {
                mypay_description(&f.code, f.column)
            };
            return Some(Rifiuto {
                cod_rifiuto: f.code.clone(),
                de_rifiuto: de,
            });
        }
    }
    let mut cod = String::new();
    let mut de = String::new();
    for f in mypay {
        let no_pipe = f.code == codes::COD_FISC || f.code == codes::IBAN_ENTE_SECONDARIO;
        if !no_pipe {
            cod.push('|');
        }
        cod.push_str(&f.code);
        if f.code == codes::IMPORTO {
            de.push(' ');
        } else if !no_pipe {
            de.push('|');
        }
        de.push_str(&mypay_description(&f.code, f.column));
    }
    Some(Rifiuto {
        cod_rifiuto: cod,
        de_rifiuto: de,
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod scan_tests {
    /// The eight-bytes-at-a-time scan agrees with the obvious byte loop.
    #[test]
    fn scan_chars_matches_a_byte_loop() {
        let naive = |s: &str| {
            let b = s.as_bytes();
            let ctrl = b.iter().any(|&c| c < 0x20 || c == 0x7f) || s.chars().any(super::bad_char);
            (ctrl, b.contains(&b';'))
        };
        let samples = [
            "",
            "a",
            "ROSSI MARIO",
            "via Roma; 3",
            "x\u{7f}",
            "tab\there",
            "0123456789abcdef;",
            "città",
            "perché\u{2028}",
            "\u{feff}x",
            "é;",
            "\u{1f}",
            "abcdefg\n",
            "!\"#$%&'()*+,-./:",
            "\u{80}\u{9f}",
            "aaaaaaaaaaaaaaaaaaaaaaa\r",
            "€€€€€€€€€€€€€€€",
        ];
        for s in samples {
            assert_eq!(super::scan_chars(s), naive(s), "{s:?}");
        }
        for b in 0u8..=0x7f {
            for len in 1..=17 {
                for pos in 0..len {
                    let mut v = vec![b'a'; len];
                    v[pos] = b;
                    let s = String::from_utf8(v).unwrap();
                    assert_eq!(super::scan_chars(&s), naive(&s), "{s:?}");
                }
            }
        }
    }
}
