//! A generator of realistic synthetic debts, for demos, tests and benchmarks.
//!
//! Deterministic for a seed: the same seed gives the same rows, so a benchmark or a failing
//! test can be replayed. Payers get valid codici fiscali (real Belfiore codes, correct check
//! character, some omocodic), about one in ten is a company with a valid partita IVA, amounts
//! and due dates look like a comune's TARI, school canteen and COSAP lists.

use chrono::{Datelike, Duration, NaiveDate};
use mpd_domain::{Column, Ente, RawRow, TipoDovuto, Version};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const NOMI: &[&str] = &[
    "MARIO",
    "GIUSEPPE",
    "ANNA",
    "MARIA",
    "LUCA",
    "GIULIA",
    "FRANCESCO",
    "CHIARA",
    "PAOLO",
    "ELENA",
    "MARCO",
    "SARA",
    "ANDREA",
    "LAURA",
    "STEFANO",
    "FRANCESCA",
    "ALESSANDRO",
    "SILVIA",
    "ROBERTO",
    "VALENTINA",
];
const COGNOMI: &[&str] = &[
    "ROSSI", "RUSSO", "FERRARI", "ESPOSITO", "BIANCHI", "ROMANO", "COLOMBO", "RICCI", "MARINO",
    "GRECO", "BRUNO", "GALLO", "CONTI", "DE LUCA", "MANCINI", "COSTA", "GIORDANO", "RIZZO",
    "LOMBARDI", "MORETTI",
];
const VIE: &[&str] = &[
    "Via Roma",
    "Via Garibaldi",
    "Piazza della Chiesa",
    "Via Dante",
    "Via Manzoni",
    "Via dei Mille",
];
const LUOGHI: &[(&str, &str, &str)] = &[
    ("F205", "MILANO", "MI"),
    ("B157", "BRESCIA", "BS"),
    ("A794", "BERGAMO", "BG"),
    ("D869", "GALLARATE", "VA"),
    ("E514", "LEGNANO", "MI"),
    ("H501", "ROMA", "RM"),
    ("L219", "TORINO", "TO"),
];
const SOCIETA: &[&str] = &[
    "EDILIZIA LOMBARDA SRL",
    "BAR CENTRALE SNC",
    "AGRITURISMO IL NOCE SAS",
    "FERRAMENTA ROSSI SRL",
];
const MESI: &[u8] = b"ABCDEHLMPRST";

/// Payment types used when the Ente has none (demo data).
pub fn tipi_demo() -> Vec<TipoDovuto> {
    let t =
        |codice: &str, descrizione: &str, dsr: &str, anonimo: bool, scadenza: bool| TipoDovuto {
            codice: codice.into(),
            descrizione: descrizione.into(),
            dati_specifici_riscossione: dsr.into(),
            attivo: true,
            cf_anonimo: anonimo,
            scadenza_obbligatoria: scadenza,
            stampa_data_scadenza: scadenza,
            causale_predefinita: None,
            importo_predefinito: None,
            scadenza_predefinita: None,
            posizioni: Default::default(),
        };
    vec![
        t("TARI", "Tassa rifiuti", "9/0101101IM/", false, true),
        t("MENSA", "Mensa scolastica", "9/0107101TS/", false, false),
        t(
            "COSAP",
            "Canone occupazione suolo pubblico",
            "9/0101108TS/",
            false,
            false,
        ),
        t(
            "SANZIONI",
            "Sanzioni amministrative",
            "9/0101106SA/",
            true,
            false,
        ),
    ]
}

/// Generates `count` debts for the Ente, valid under MyPay's and our rules for `version`.
pub struct Generator {
    rng: StdRng,
    tipi: Vec<TipoDovuto>,
    today: NaiveDate,
    next: u64,
    prefix: String,
}

impl Generator {
    pub fn new(seed: u64, ente: &Ente, tipi: &[TipoDovuto], today: NaiveDate) -> Generator {
        let tipi: Vec<TipoDovuto> = tipi.iter().filter(|t| t.attivo).cloned().collect();
        let tipi = if tipi.is_empty() { tipi_demo() } else { tipi };
        Generator {
            rng: StdRng::seed_from_u64(seed),
            tipi,
            today,
            next: 0,
            prefix: format!("{}S{seed}", ente.codice_ipa.to_uppercase().replace('_', "")),
        }
    }

    /// The next debt, as a tracciato row with azione `I`.
    pub fn next_row(&mut self, version: Version) -> RawRow {
        self.next += 1;
        let rng = &mut self.rng;
        let tipo = &self.tipi[rng.random_range(0..self.tipi.len())];
        let mut row = RawRow::default();
        row.set(Column::Iud, format!("{}-{:09}", self.prefix, self.next));
        let (luogo_cf, localita, provincia) = LUOGHI[rng.random_range(0..LUOGHI.len())];
        if rng.random_range(0..10) == 0 {
            row.set(Column::TipoIdentificativoUnivoco, "G");
            row.set(Column::CodiceIdentificativoUnivoco, partita_iva(rng));
            row.set(
                Column::AnagraficaPagatore,
                SOCIETA[rng.random_range(0..SOCIETA.len())],
            );
        } else {
            let nome = NOMI[rng.random_range(0..NOMI.len())];
            let cognome = COGNOMI[rng.random_range(0..COGNOMI.len())];
            row.set(Column::TipoIdentificativoUnivoco, "F");
            row.set(
                Column::CodiceIdentificativoUnivoco,
                codice_fiscale(rng, nome, cognome, luogo_cf),
            );
            row.set(Column::AnagraficaPagatore, format!("{cognome} {nome}"));
        }
        row.set(
            Column::IndirizzoPagatore,
            VIE[rng.random_range(0..VIE.len())],
        );
        row.set(Column::CivicoPagatore, rng.random_range(1..200).to_string());
        row.set(
            Column::CapPagatore,
            format!("{:05}", rng.random_range(20010..25100)),
        );
        row.set(Column::LocalitaPagatore, localita);
        row.set(Column::ProvinciaPagatore, provincia);
        row.set(Column::NazionePagatore, "IT");
        if rng.random_range(0..3) == 0 {
            row.set(
                Column::EmailPagatore,
                format!("contribuente{}@example.it", self.next),
            );
        }
        let due = self.today + Duration::days(rng.random_range(15..365));
        row.set(
            Column::DataScadenzaPagamento,
            due.format("%Y-%m-%d").to_string(),
        );
        let cents: i64 = match tipo.codice.as_str() {
            "MENSA" => rng.random_range(20..90) * 250,
            "COSAP" => rng.random_range(3_000..60_000),
            _ => rng.random_range(4_000..95_000),
        };
        row.set(
            Column::ImportoDovuto,
            format!("{}.{:02}", cents / 100, cents % 100),
        );
        row.set(Column::TipoDovuto, tipo.codice.clone());
        row.set(
            Column::CausaleVersamento,
            format!(
                "{} {} - posizione {}",
                tipo.descrizione,
                due.year(),
                self.next
            ),
        );
        row.set(
            Column::DatiSpecificiRiscossione,
            tipo.dati_specifici_riscossione.clone(),
        );
        if version >= Version::V1_3 {
            row.set(Column::FlagGeneraIuv, "true");
        }
        row.set(Column::Azione, "I");
        row
    }
}

fn codice_fiscale(rng: &mut StdRng, nome: &str, cognome: &str, belfiore: &str) -> String {
    fn letters(s: &str, take_name_rule: bool) -> String {
        let cons: Vec<char> = s
            .chars()
            .filter(|c| c.is_ascii_alphabetic() && !"AEIOU".contains(*c))
            .collect();
        let voc: Vec<char> = s.chars().filter(|c| "AEIOU".contains(*c)).collect();
        let mut picked: Vec<char> = if take_name_rule && cons.len() >= 4 {
            vec![cons[0], cons[2], cons[3]]
        } else {
            cons.into_iter().chain(voc).take(3).collect()
        };
        while picked.len() < 3 {
            picked.push('X');
        }
        picked.into_iter().collect()
    }
    let female = rng.random_bool(0.5);
    let day = rng.random_range(1..=28) + if female { 40 } else { 0 };
    let mut code = format!(
        "{}{}{:02}{}{:02}{}",
        letters(cognome, false),
        letters(nome, true),
        rng.random_range(30..99),
        MESI[rng.random_range(0..12)] as char,
        day,
        belfiore
    );
    // One in fifty is omocodic: the last digit replaced by its letter.
    if rng.random_range(0..50) == 0 {
        let last = code.pop().and_then(|c| c.to_digit(10)).unwrap_or(0) as usize;
        code.push(b"LMNPQRSTUV"[last] as char);
    }
    let check = mpd_domain::cf::check_char(code.as_bytes()).expect("15 valid characters");
    code.push(check);
    code
}

fn partita_iva(rng: &mut StdRng) -> String {
    let mut digits: Vec<u32> = (0..10).map(|_| rng.random_range(0..10)).collect();
    digits[0] = rng.random_range(1..10);
    let mut sum = 0;
    for (i, d) in digits.iter().enumerate() {
        if i % 2 == 0 {
            sum += d;
        } else {
            let x = d * 2;
            sum += if x > 9 { x - 9 } else { x };
        }
    }
    digits.push((10 - sum % 10) % 10);
    digits
        .into_iter()
        .map(|d| char::from_digit(d, 10).expect("digit"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ente() -> Ente {
        Ente {
            codice_ipa: "c_x123".into(),
            codice_fiscale: "00123456789".into(),
            denominazione: "Comune di Esempio".into(),
            codice_segregazione: "12".into(),
        }
    }

    #[test]
    fn generated_codes_are_valid_and_seed_is_reproducible() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let mut a = Generator::new(7, &ente(), &[], today);
        let mut b = Generator::new(7, &ente(), &[], today);
        for _ in 0..2000 {
            let row = a.next_row(Version::V1_4);
            assert_eq!(row, b.next_row(Version::V1_4));
            let code = row.get(Column::CodiceIdentificativoUnivoco);
            match row.get(Column::TipoIdentificativoUnivoco) {
                "F" => assert!(mpd_domain::cf::check_cf16(code).is_ok(), "{code}"),
                _ => assert!(mpd_domain::piva::check_piva_strict(code).is_ok(), "{code}"),
            }
        }
    }
}

/// A payment of a debt, as MyPay's export would describe it.
#[derive(Debug, Clone)]
pub struct Payment<'a> {
    pub ente: &'a Ente,
    /// The debt as sent (IUD, payer, causale, tipo…).
    pub row: &'a RawRow,
    pub iuf: &'a str,
    pub num_riga: usize,
    pub iuv: &'a str,
    pub iur: &'a str,
    /// Amount paid, `0.00`.
    pub importo: &'a str,
    pub paid_on: NaiveDate,
    pub psp: (&'a str, &'a str),
    /// Base64 of the RT XML, for exports with `ricevuta`.
    pub rt_base64: Option<&'a str>,
}

/// The fields of one export row for `layout` (names as in `mpd_tracciato::export`).
pub fn export_fields(layout: mpd_tracciato::export::ExportLayout, p: &Payment<'_>) -> Vec<String> {
    let r = p.row;
    let day = p.paid_on.format("%Y-%m-%d").to_string();
    layout
        .columns()
        .into_iter()
        .map(|c| {
            let v: String = match c {
                "iuf" => p.iuf.into(),
                "numRigaFlusso" => p.num_riga.to_string(),
                "codIud" => r.get(Column::Iud).into(),
                "codIuv" | "identificativoUnivocoVersamento" => p.iuv.into(),
                "versioneOggetto" => "6.2.0".into(),
                "identificativoDominio" | "enteBenefCodiceIdentificativoUnivoco" => {
                    p.ente.codice_fiscale.clone()
                }
                "identificativoStazioneRichiedente" => "0007580279_03".into(),
                "identificativoMessaggioRicevuta" => format!("RT-{}", p.iur),
                "dataOraMessaggioRicevuta" => format!("{day}T10:15:00"),
                "riferimentoMessaggioRichiesta" => format!("RPT-{}", p.iuv),
                "riferimentoDataRichiesta" => day.clone(),
                "tipoIdentificativoUnivoco" => "B".into(),
                "codiceIdentificativoUnivoco" => p.psp.0.into(),
                "denominazioneAttestante" => p.psp.1.into(),
                "enteBenefTipoIdentificativoUnivoco" => "G".into(),
                "denominazioneBeneficiario" => p.ente.denominazione.clone(),
                "soggVersTipoIdentificativoUnivoco" | "soggPagTipoIdentificativoUnivoco" => {
                    r.get(Column::TipoIdentificativoUnivoco).into()
                }
                "soggVersCodiceIdentificativoUnivoco" | "soggPagCodiceIdentificativoUnivoco" => {
                    r.get(Column::CodiceIdentificativoUnivoco).into()
                }
                "anagraficaVersante" | "anagraficaPagatore" => {
                    r.get(Column::AnagraficaPagatore).into()
                }
                "indirizzoPagatore" => r.get(Column::IndirizzoPagatore).into(),
                "civicoPagatore" => r.get(Column::CivicoPagatore).into(),
                "capPagatore" => r.get(Column::CapPagatore).into(),
                "localitaPagatore" => r.get(Column::LocalitaPagatore).into(),
                "provinciaPagatore" => r.get(Column::ProvinciaPagatore).into(),
                "nazionePagatore" => r.get(Column::NazionePagatore).into(),
                "emailPagatore" => r.get(Column::EmailPagatore).into(),
                "codiceEsitoPagamento" => "0".into(),
                "importoTotalePagato" | "singoloImportoPagato" => p.importo.into(),
                "codiceContestoPagamento" => "n/a".into(),
                "esitoSingoloPagamento" => "ESEGUITO".into(),
                "dataEsitoSingoloPagamento" => day.clone(),
                "identificativoUnivocoRiscoss" => p.iur.into(),
                "causaleVersamento" => r.get(Column::CausaleVersamento).into(),
                "datiSpecificiRiscossione" => r.get(Column::DatiSpecificiRiscossione).into(),
                "tipoDovuto" => r.get(Column::TipoDovuto).into(),
                "tipoFirma" => String::new(),
                "rt" => p.rt_base64.unwrap_or("").into(),
                "indiceDatiSingoloPagamento" => "1".into(),
                "numRtDatiPagDatiSingPagCommissioniApplicatePsp" => "0.00".into(),
                "codRtDatiPagDatiSingPagAllegatoRicevutaTipo" => "ES".into(),
                "bilancio" => r.get(Column::Bilancio).into(),
                _ => String::new(),
            };
            v
        })
        .collect()
}
