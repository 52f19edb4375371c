//! The shapes every other crate talks in.
//!
//! * [`Version`] and [`Column`]: the columns of MyPay's import tracciato, per version (spec §4.3).
//! * [`RawRow`]: one data row of an import flow exactly as text, column by column. Readers and
//!   writers of the tracciato only ever see `RawRow`; validation turns text into findings.
//!   Keeping the text (not parsed numbers or dates) is what lets `flow check` judge a file
//!   "exactly as MyPay would" and lets a rejected row be shown to the clerk as they typed it.
//! * [`Ente`] and [`TipoDovuto`]: the Ente profile and its payment types.
//! * [`Finding`]: one problem found in a row, with a code, the field and an Italian message.

use serde::{Deserialize, Serialize};

/// Version of MyPay's import tracciato (the `<versione>` part of the zip name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Version {
    #[serde(rename = "1_0")]
    V1_0,
    #[serde(rename = "1_1")]
    V1_1,
    #[serde(rename = "1_2")]
    V1_2,
    #[serde(rename = "1_3")]
    V1_3,
    #[serde(rename = "1_4")]
    V1_4,
}

impl Version {
    pub const ALL: [Version; 5] = [
        Version::V1_0,
        Version::V1_1,
        Version::V1_2,
        Version::V1_3,
        Version::V1_4,
    ];

    /// The version as written in file names: `1_0` … `1_4`.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1_0 => "1_0",
            Version::V1_1 => "1_1",
            Version::V1_2 => "1_2",
            Version::V1_3 => "1_3",
            Version::V1_4 => "1_4",
        }
    }

    /// Parses `1_0` … `1_4`, case-insensitively as MyPay does (spec §4.1). `1.4` is accepted too.
    pub fn parse(s: &str) -> Option<Version> {
        match s.trim().to_ascii_lowercase().replace('.', "_").as_str() {
            "1_0" => Some(Version::V1_0),
            "1_1" => Some(Version::V1_1),
            "1_2" => Some(Version::V1_2),
            "1_3" => Some(Version::V1_3),
            "1_4" => Some(Version::V1_4),
            _ => None,
        }
    }

    /// The columns of this version, in file order (the last one is always `azione`).
    pub fn columns(self) -> &'static [Column] {
        use Column::*;
        // The 19 columns every version starts with: the first ones of the full 1_4 layout.
        const BASE: [Column; 19] = prefix::<19>(&Version::V1_4_COLUMNS);
        const V10: [Column; 20] = concat_cols::<19, 20>(BASE, &[Azione]);
        const V12: [Column; 21] = concat_cols::<19, 21>(BASE, &[Bilancio, Azione]);
        const V13: [Column; 22] = concat_cols::<19, 22>(BASE, &[Bilancio, FlagGeneraIuv, Azione]);
        match self {
            Version::V1_0 | Version::V1_1 => &V10,
            Version::V1_2 => &V12,
            Version::V1_3 => &V13,
            Version::V1_4 => &Version::V1_4_COLUMNS,
        }
    }

    /// Number of columns of a data row: 20, 20, 21, 22, 35.
    pub fn column_count(self) -> usize {
        self.columns().len()
    }

    /// The header line MyPay's documentation gives for this version (column names joined by `;`).
    pub fn header(self) -> String {
        self.columns()
            .iter()
            .map(|c| c.name())
            .collect::<Vec<_>>()
            .join(";")
    }

    pub fn has(self, column: Column) -> bool {
        self.columns().contains(&column)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

const fn prefix<const N: usize>(all: &[Column; COLUMN_COUNT]) -> [Column; N] {
    let mut out = [Column::Azione; N];
    let mut i = 0;
    while i < N {
        out[i] = all[i];
        i += 1;
    }
    out
}

const fn concat_cols<const A: usize, const N: usize>(
    base: [Column; A],
    tail: &[Column],
) -> [Column; N] {
    let mut out = [Column::Azione; N];
    let mut i = 0;
    while i < A {
        out[i] = base[i];
        i += 1;
    }
    let mut j = 0;
    while j < tail.len() {
        out[A + j] = tail[j];
        j += 1;
    }
    out
}

/// Every column of the import tracciato across versions, in the canonical order of spec §4.3.
/// The discriminant is the index of the field in [`RawRow::fields`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Column {
    Iud = 0,
    CodIuv,
    TipoIdentificativoUnivoco,
    CodiceIdentificativoUnivoco,
    AnagraficaPagatore,
    IndirizzoPagatore,
    CivicoPagatore,
    CapPagatore,
    LocalitaPagatore,
    ProvinciaPagatore,
    NazionePagatore,
    EmailPagatore,
    DataScadenzaPagamento,
    ImportoDovuto,
    CommissioneCaricoPa,
    TipoDovuto,
    TipoVersamento,
    CausaleVersamento,
    DatiSpecificiRiscossione,
    Bilancio,
    FlagGeneraIuv,
    FlagMultiBeneficiario,
    CodiceFiscaleEnteSecondario,
    DenominazioneEnteSecondario,
    IbanAccreditoEnteSecondario,
    IndirizzoEnteSecondario,
    CivicoEnteSecondario,
    CapEnteSecondario,
    LocalitaEnteSecondario,
    ProvinciaEnteSecondario,
    NazioneEnteSecondario,
    DatiSpecificiRiscossioneEnteSecondario,
    CausaleVersamentoEnteSecondario,
    ImportoVersamentoEnteSecondario,
    Azione,
}

/// Number of distinct columns (the 1_4 layout).
pub const COLUMN_COUNT: usize = 35;

impl Column {
    pub const ALL: [Column; COLUMN_COUNT] = Version::V1_4_COLUMNS;

    /// Header name as in MyPay's Talend schemas and `ImportFlussoTo` (spec §4.3).
    pub fn name(self) -> &'static str {
        use Column::*;
        match self {
            Iud => "IUD",
            CodIuv => "codIuv",
            TipoIdentificativoUnivoco => "tipoIdentificativoUnivoco",
            CodiceIdentificativoUnivoco => "codiceIdentificativoUnivoco",
            AnagraficaPagatore => "anagraficaPagatore",
            IndirizzoPagatore => "indirizzoPagatore",
            CivicoPagatore => "civicoPagatore",
            CapPagatore => "capPagatore",
            LocalitaPagatore => "localitaPagatore",
            ProvinciaPagatore => "provinciaPagatore",
            NazionePagatore => "nazionePagatore",
            EmailPagatore => "emailPagatore",
            DataScadenzaPagamento => "dataScadenzaPagamento",
            ImportoDovuto => "importoDovuto",
            CommissioneCaricoPa => "commissioneCaricoPa",
            TipoDovuto => "tipoDovuto",
            TipoVersamento => "tipoVersamento",
            CausaleVersamento => "causaleVersamento",
            DatiSpecificiRiscossione => "datiSpecificiRiscossione",
            Bilancio => "bilancio",
            FlagGeneraIuv => "flagGeneraIuv",
            FlagMultiBeneficiario => "flagMultiBeneficiario",
            CodiceFiscaleEnteSecondario => "codiceFiscaleEnteSecondario",
            DenominazioneEnteSecondario => "denominazioneEnteSecondario",
            IbanAccreditoEnteSecondario => "ibanAccreditoEnteSecondario",
            IndirizzoEnteSecondario => "indirizzoEnteSecondario",
            CivicoEnteSecondario => "civicoEnteSecondario",
            CapEnteSecondario => "capEnteSecondario",
            LocalitaEnteSecondario => "localitaEnteSecondario",
            ProvinciaEnteSecondario => "provinciaEnteSecondario",
            NazioneEnteSecondario => "nazioneEnteSecondario",
            DatiSpecificiRiscossioneEnteSecondario => "datiSpecificiRiscossioneEnteSecondario",
            CausaleVersamentoEnteSecondario => "causaleVersamentoEnteSecondario",
            ImportoVersamentoEnteSecondario => "importoVersamentoEnteSecondario",
            Azione => "azione",
        }
    }

    /// The label a clerk understands, in Italian.
    pub fn label_it(self) -> &'static str {
        use Column::*;
        match self {
            Iud => "IUD (identificativo del dovuto)",
            CodIuv => "IUV",
            TipoIdentificativoUnivoco => "tipo pagatore (F/G)",
            CodiceIdentificativoUnivoco => "codice fiscale / partita IVA del pagatore",
            AnagraficaPagatore => "nome e cognome / ragione sociale del pagatore",
            IndirizzoPagatore => "indirizzo del pagatore",
            CivicoPagatore => "numero civico del pagatore",
            CapPagatore => "CAP del pagatore",
            LocalitaPagatore => "località del pagatore",
            ProvinciaPagatore => "provincia del pagatore",
            NazionePagatore => "nazione del pagatore",
            EmailPagatore => "e-mail del pagatore",
            DataScadenzaPagamento => "data di scadenza",
            ImportoDovuto => "importo",
            CommissioneCaricoPa => "commissione a carico dell'Ente",
            TipoDovuto => "tipo dovuto",
            TipoVersamento => "tipo versamento",
            CausaleVersamento => "causale",
            DatiSpecificiRiscossione => "dati specifici di riscossione (tassonomia)",
            Bilancio => "bilancio",
            FlagGeneraIuv => "genera IUV",
            FlagMultiBeneficiario => "multibeneficiario",
            CodiceFiscaleEnteSecondario => "codice fiscale dell'ente secondario",
            DenominazioneEnteSecondario => "denominazione dell'ente secondario",
            IbanAccreditoEnteSecondario => "IBAN dell'ente secondario",
            IndirizzoEnteSecondario => "indirizzo dell'ente secondario",
            CivicoEnteSecondario => "civico dell'ente secondario",
            CapEnteSecondario => "CAP dell'ente secondario",
            LocalitaEnteSecondario => "località dell'ente secondario",
            ProvinciaEnteSecondario => "provincia dell'ente secondario",
            NazioneEnteSecondario => "nazione dell'ente secondario",
            DatiSpecificiRiscossioneEnteSecondario => "tassonomia dell'ente secondario",
            CausaleVersamentoEnteSecondario => "causale dell'ente secondario",
            ImportoVersamentoEnteSecondario => "importo dell'ente secondario",
            Azione => "azione (I/M/A)",
        }
    }

    /// Maximum length MyPay accepts for this column (spec §4.3), in characters.
    pub fn max_len(self, version: Version) -> usize {
        use Column::*;
        match self {
            Iud
            | CodIuv
            | CodiceIdentificativoUnivoco
            | LocalitaPagatore
            | IbanAccreditoEnteSecondario
            | LocalitaEnteSecondario
            | ProvinciaEnteSecondario => 35,
            TipoIdentificativoUnivoco | Azione => 1,
            AnagraficaPagatore
            | IndirizzoPagatore
            | DenominazioneEnteSecondario
            | IndirizzoEnteSecondario => 70,
            CivicoPagatore | CapPagatore | CivicoEnteSecondario | CapEnteSecondario => 16,
            ProvinciaPagatore | NazionePagatore | NazioneEnteSecondario => 2,
            EmailPagatore => 256,
            DataScadenzaPagamento => 10,
            ImportoDovuto | CommissioneCaricoPa | ImportoVersamentoEnteSecondario => 15,
            TipoDovuto => 64,
            TipoVersamento => 32,
            CausaleVersamento => {
                if version == Version::V1_0 {
                    140
                } else {
                    1024
                }
            }
            DatiSpecificiRiscossione | DatiSpecificiRiscossioneEnteSecondario => 140,
            Bilancio => 4096,
            FlagGeneraIuv | FlagMultiBeneficiario => 5,
            CodiceFiscaleEnteSecondario => 11,
            CausaleVersamentoEnteSecondario => 1024,
        }
    }

    /// Finds a column by its header name (case-insensitive).
    pub fn from_name(name: &str) -> Option<Column> {
        let name = name.trim();
        Column::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name))
    }
}

impl Version {
    const V1_4_COLUMNS: [Column; COLUMN_COUNT] = {
        use Column::*;
        [
            Iud,
            CodIuv,
            TipoIdentificativoUnivoco,
            CodiceIdentificativoUnivoco,
            AnagraficaPagatore,
            IndirizzoPagatore,
            CivicoPagatore,
            CapPagatore,
            LocalitaPagatore,
            ProvinciaPagatore,
            NazionePagatore,
            EmailPagatore,
            DataScadenzaPagamento,
            ImportoDovuto,
            CommissioneCaricoPa,
            TipoDovuto,
            TipoVersamento,
            CausaleVersamento,
            DatiSpecificiRiscossione,
            Bilancio,
            FlagGeneraIuv,
            FlagMultiBeneficiario,
            CodiceFiscaleEnteSecondario,
            DenominazioneEnteSecondario,
            IbanAccreditoEnteSecondario,
            IndirizzoEnteSecondario,
            CivicoEnteSecondario,
            CapEnteSecondario,
            LocalitaEnteSecondario,
            ProvinciaEnteSecondario,
            NazioneEnteSecondario,
            DatiSpecificiRiscossioneEnteSecondario,
            CausaleVersamentoEnteSecondario,
            ImportoVersamentoEnteSecondario,
            Azione,
        ]
    };
}

/// One data row of an import flow, as text. Empty string = field absent.
///
/// Fields are indexed by [`Column`] regardless of version; columns a version does not have stay
/// empty. This is the unit the tracciato reader produces and the writer consumes.
///
/// In JSON a row is an object of the non-empty fields keyed by column name
/// (`{"IUD": "…", "importoDovuto": "12.50", …}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRow {
    pub fields: [String; COLUMN_COUNT],
}

impl Default for RawRow {
    fn default() -> Self {
        RawRow {
            fields: std::array::from_fn(|_| String::new()),
        }
    }
}

impl Serialize for RawRow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for c in Column::ALL {
            let v = self.get(c);
            if !v.is_empty() {
                map.serialize_entry(c.name(), v)?;
            }
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for RawRow {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<String, String>::deserialize(deserializer)?;
        let mut row = RawRow::default();
        for (k, v) in map {
            let c = Column::from_name(&k)
                .ok_or_else(|| serde::de::Error::custom(format!("colonna sconosciuta «{k}»")))?;
            row.set(c, v);
        }
        Ok(row)
    }
}

impl RawRow {
    pub fn get(&self, column: Column) -> &str {
        &self.fields[column as usize]
    }
    pub fn set(&mut self, column: Column, value: impl Into<String>) {
        self.fields[column as usize] = value.into();
    }
    /// The values of `version`'s columns, in file order.
    pub fn values(&self, version: Version) -> impl Iterator<Item = &str> {
        version.columns().iter().map(move |c| self.get(*c))
    }
}

/// `azione` of an import row (spec §4.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Azione {
    /// `I`: insert a new debt.
    #[serde(rename = "I")]
    Inserimento,
    /// `M`: full replacement of a debt still "da pagare".
    #[serde(rename = "M")]
    Modifica,
    /// `A`: cancel a debt still "da pagare".
    #[serde(rename = "A")]
    Annullamento,
}

impl Azione {
    pub fn as_str(self) -> &'static str {
        match self {
            Azione::Inserimento => "I",
            Azione::Modifica => "M",
            Azione::Annullamento => "A",
        }
    }
    /// Case-sensitive, as MyPay (spec §4.3).
    pub fn parse(s: &str) -> Option<Azione> {
        match s {
            "I" => Some(Azione::Inserimento),
            "M" => Some(Azione::Modifica),
            "A" => Some(Azione::Annullamento),
            _ => None,
        }
    }
}

/// The Ente profile as far as debts and flows need it. Richer adhesion data lives elsewhere.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ente {
    /// IPA code, e.g. `c_x123`. Must not contain `-` (it separates the parts of a flow name).
    pub codice_ipa: String,
    /// 11-digit fiscal code of the Ente.
    pub codice_fiscale: String,
    pub denominazione: String,
    /// Two digits, the prefix of the Ente's IUV17 (MyPay's "application code").
    pub codice_segregazione: String,
}

/// A payment type of the Ente (`mygov_ente_tipo_dovuto`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TipoDovuto {
    pub codice: String,
    pub descrizione: String,
    /// Taxonomy / accounting code, e.g. `9/0101100IM/`.
    pub dati_specifici_riscossione: String,
    pub attivo: bool,
    /// `ANONIMO` is accepted as payer code.
    pub cf_anonimo: bool,
    /// The due date is mandatory and must not be in the past.
    pub scadenza_obbligatoria: bool,
    /// The due date is printed on the notice (MyPay's DB then also requires it).
    #[serde(default)]
    pub stampa_data_scadenza: bool,
    /// Causale for imported rows without one. `{anno}`, `{anagrafica}`, `{codice}` and
    /// `{scadenza}` are replaced by the row's values (see mpd-core `sheets`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causale_predefinita: Option<String>,
    /// Amount for imported rows without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importo_predefinito: Option<rust_decimal::Decimal>,
    /// Due date for imported rows without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scadenza_predefinita: Option<chrono::NaiveDate>,
    /// Rules for positions of this type (rata unica and instalments).
    #[serde(default)]
    pub posizioni: crate::posizione::RegolePosizioni,
}

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth telling, does not stop the row (e.g. unknown Belfiore code).
    Warning,
    /// The row cannot be sent.
    Error,
}

/// Who would reject the row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rule {
    /// MyPay itself would reject the row (code is MyPay's `cod_rifiuto`).
    MyPay,
    /// Our stricter rule (code starts with `MPD_`).
    Strict,
}

/// One problem found in a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// MyPay's `cod_rifiuto` (e.g. `PAA_IMPORT_SINTASSI_CSV_IUD`) or ours (`MPD_…`).
    pub code: String,
    /// The column concerned, if any.
    pub column: Option<Column>,
    /// Italian message saying what is wrong and how to fix it.
    pub message: String,
    pub severity: Severity,
    pub rule: Rule,
}

impl Finding {
    pub fn mypay(
        code: impl Into<String>,
        column: Option<Column>,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            code: code.into(),
            column,
            message: message.into(),
            severity: Severity::Error,
            rule: Rule::MyPay,
        }
    }
    pub fn strict(
        code: impl Into<String>,
        column: Option<Column>,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            code: code.into(),
            column,
            message: message.into(),
            severity: Severity::Error,
            rule: Rule::Strict,
        }
    }
    pub fn warning(
        code: impl Into<String>,
        column: Option<Column>,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            code: code.into(),
            column,
            message: message.into(),
            severity: Severity::Warning,
            rule: Rule::Strict,
        }
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_counts_and_order_follow_the_spec() {
        let counts: Vec<usize> = Version::ALL.iter().map(|v| v.column_count()).collect();
        assert_eq!(counts, vec![20, 20, 21, 22, 35]);
        for v in Version::ALL {
            let cols = v.columns();
            assert_eq!(
                cols[..19],
                Version::V1_4_COLUMNS[..19],
                "{v}: the 19 common columns first"
            );
            assert_eq!(*cols.last().unwrap(), Column::Azione, "{v}: azione last");
        }
        assert_eq!(
            Version::V1_3.columns()[19..],
            [Column::Bilancio, Column::FlagGeneraIuv, Column::Azione]
        );
        assert!(
            Version::V1_4
                .header()
                .starts_with("IUD;codIuv;tipoIdentificativoUnivoco;")
        );
        for (i, c) in Column::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i, "discriminant is the field index");
        }
    }
}
