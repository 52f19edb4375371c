//! A debt as the clerk types it, turned into a tracciato row.
//!
//! The clerk writes amounts the Italian way (`1.234,56`, `€ 12,00`), dates as `31/12/2026`,
//! codes with stray spaces; the tracciato wants `1234.56`, `2026-12-31` and clean upper-case
//! codes. Conversion errors name the field in Italian; the row is then checked by the full
//! validation (MyPay's rules and ours) before it is stored.

use chrono::NaiveDate;
use mpd_domain::{Column, RawRow, TipoDovuto, money};
use rust_decimal::Decimal;

/// The fields a clerk may give; `None` = not given (keep the current value when editing).
#[derive(Debug, Clone, Default)]
pub struct DebtInput {
    pub iud: Option<String>,
    pub codice: Option<String>,
    pub tipo_pagatore: Option<String>,
    pub anagrafica: Option<String>,
    pub importo: Option<String>,
    pub scadenza: Option<String>,
    pub tipo_dovuto: Option<String>,
    pub causale: Option<String>,
    pub email: Option<String>,
    pub indirizzo: Option<String>,
    pub civico: Option<String>,
    pub cap: Option<String>,
    pub localita: Option<String>,
    pub provincia: Option<String>,
    pub nazione: Option<String>,
    pub iuv: Option<String>,
}

/// A field the clerk got wrong, in Italian.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputError {
    pub campo: &'static str,
    pub messaggio: String,
}

/// Removes what spreadsheets and copy-paste leave in codes: spaces of every kind and
/// zero-width characters; upper-cases.
pub fn clean_code(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
                )
        })
        .flat_map(char::to_uppercase)
        .collect()
}

/// Collapses runs of whitespace (including non-breaking spaces) and trims.
pub fn clean_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses an amount as a clerk writes it, into the tracciato's `1234.50`.
pub fn amount_text(s: &str) -> Result<(String, Decimal), String> {
    let d = money::parse_it(s).map_err(|e| format!("«{s}» {}", e.message_it()))?;
    if d.scale() > 2 && d.normalize().scale() > 2 {
        return Err(format!(
            "«{s}» ha più di due decimali: arrotonda ai centesimi"
        ));
    }
    let d = d.round_dp(2);
    Ok((money::format_tracciato(d), d))
}

/// Parses a date as `dd/mm/yyyy` or `yyyy-mm-dd`, into the tracciato's `yyyy-mm-dd`.
pub fn date_text(s: &str) -> Result<String, String> {
    let s = s.trim();
    let parsed = if s.len() == 10 && s.as_bytes()[4] == b'-' {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    } else {
        mpd_domain::dates::parse_it(s).ok()
    };
    parsed
        .map(|d| d.format("%Y-%m-%d").to_string())
        .ok_or_else(|| {
            format!("«{s}» non è una data valida: la scriva come gg/mm/aaaa, ad esempio 31/12/2026")
        })
}

/// Applies `input` over `base` (an empty row for a new debt, the stored row for an edit).
///
/// Missing IUD, payer type, causale and taxonomy are filled from `tipi` and the code itself.
/// Returns every conversion error, not just the first.
pub fn apply(
    input: &DebtInput,
    base: &RawRow,
    tipi: &[TipoDovuto],
    new_iud: impl FnOnce() -> String,
) -> Result<RawRow, Vec<InputError>> {
    let mut row = base.clone();
    let mut errors = Vec::new();
    let set_text = |row: &mut RawRow, col: Column, v: &Option<String>| {
        if let Some(v) = v {
            row.set(col, clean_text(v));
        }
    };
    set_text(&mut row, Column::AnagraficaPagatore, &input.anagrafica);
    set_text(&mut row, Column::CausaleVersamento, &input.causale);
    set_text(&mut row, Column::IndirizzoPagatore, &input.indirizzo);
    set_text(&mut row, Column::CivicoPagatore, &input.civico);
    set_text(&mut row, Column::LocalitaPagatore, &input.localita);
    set_text(&mut row, Column::EmailPagatore, &input.email);
    for (col, v) in [
        (Column::CapPagatore, &input.cap),
        (Column::ProvinciaPagatore, &input.provincia),
        (Column::NazionePagatore, &input.nazione),
        (Column::CodIuv, &input.iuv),
    ] {
        if let Some(v) = v {
            row.set(col, clean_code(v));
        }
    }
    if let Some(iud) = &input.iud {
        row.set(Column::Iud, iud.trim());
    }
    if row.get(Column::Iud).is_empty() {
        row.set(Column::Iud, new_iud());
    }
    if let Some(code) = &input.codice {
        row.set(Column::CodiceIdentificativoUnivoco, clean_code(code));
    }
    match &input.tipo_pagatore {
        Some(t) => row.set(Column::TipoIdentificativoUnivoco, clean_code(t)),
        None if input.codice.is_some() || row.get(Column::TipoIdentificativoUnivoco).is_empty() => {
            let code = row.get(Column::CodiceIdentificativoUnivoco);
            // An 11-digit code is usually a company; a sole trader can pass --tipo-pagatore F.
            let tipo = if code.len() == 11 && code.bytes().all(|b| b.is_ascii_digit()) {
                "G"
            } else {
                "F"
            };
            row.set(Column::TipoIdentificativoUnivoco, tipo);
        }
        None => {}
    }
    if let Some(importo) = &input.importo {
        match amount_text(importo) {
            Ok((text, _)) => row.set(Column::ImportoDovuto, text),
            Err(m) => errors.push(InputError {
                campo: "importo",
                messaggio: m,
            }),
        }
    }
    if let Some(scadenza) = &input.scadenza {
        if scadenza.trim().is_empty() {
            row.set(Column::DataScadenzaPagamento, "");
        } else {
            match date_text(scadenza) {
                Ok(text) => row.set(Column::DataScadenzaPagamento, text),
                Err(m) => errors.push(InputError {
                    campo: "scadenza",
                    messaggio: m,
                }),
            }
        }
    }
    if let Some(tipo) = &input.tipo_dovuto {
        row.set(Column::TipoDovuto, tipo.trim());
    }
    if row.get(Column::TipoDovuto).is_empty() {
        let attivi: Vec<&TipoDovuto> = tipi.iter().filter(|t| t.attivo).collect();
        match attivi.as_slice() {
            [only] => row.set(Column::TipoDovuto, only.codice.clone()),
            [] => errors.push(InputError {
                campo: "tipo",
                messaggio:
                    "l'Ente non ha tipi dovuto attivi: vanno caricati con il profilo dell'Ente"
                        .into(),
            }),
            many => errors.push(InputError {
                campo: "tipo",
                messaggio: format!(
                    "manca il tipo dovuto: indicarne uno tra {}",
                    many.iter()
                        .map(|t| t.codice.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }
    if let Some(tipo) = tipi
        .iter()
        .find(|t| t.codice == row.get(Column::TipoDovuto))
    {
        row.set(
            Column::DatiSpecificiRiscossione,
            tipo.dati_specifici_riscossione.clone(),
        );
        if row.get(Column::CausaleVersamento).is_empty() {
            row.set(Column::CausaleVersamento, tipo.descrizione.clone());
        }
    }
    // Without an IUV of its own the debt asks MyPay to generate one (and its notice). A debt
    // whose IUV MyPay generated keeps the flag: MyPay accepts its own `<seg>00…` IUVs on M and
    // A rows only with `flagGeneraIuv=true` (spec §4.6).
    let generated = base.get(Column::FlagGeneraIuv).eq_ignore_ascii_case("true");
    row.set(
        Column::FlagGeneraIuv,
        if row.get(Column::CodIuv).is_empty() || generated {
            "true"
        } else {
            ""
        },
    );
    if row.get(Column::Azione).is_empty() {
        row.set(Column::Azione, "I");
    }
    if errors.is_empty() {
        Ok(row)
    } else {
        Err(errors)
    }
}

/// Cents of a tracciato amount already checked by validation (`1234.50` ⇒ 123450).
pub fn cents(text: &str) -> Option<i64> {
    let d: Decimal = text.trim().parse().ok()?;
    let c = (d * Decimal::ONE_HUNDRED).round_dp(0);
    i64::try_from(c).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tari() -> TipoDovuto {
        TipoDovuto {
            codice: "TARI".into(),
            descrizione: "Tassa rifiuti".into(),
            dati_specifici_riscossione: "9/0101101TS/".into(),
            attivo: true,
            cf_anonimo: false,
            scadenza_obbligatoria: true,
            stampa_data_scadenza: true,
            causale_predefinita: None,
            importo_predefinito: None,
            scadenza_predefinita: None,
            posizioni: Default::default(),
        }
    }

    #[test]
    fn clerk_values_become_tracciato_values() {
        let input = DebtInput {
            codice: Some(" rssmra80a01h501u\u{a0}\u{200b}".into()),
            anagrafica: Some("  Mario   Rossi ".into()),
            importo: Some("€ 1.234,56".into()),
            scadenza: Some("31/12/2026".into()),
            ..Default::default()
        };
        let row = apply(&input, &RawRow::default(), &[tari()], || "X1".into()).unwrap();
        assert_eq!(row.get(Column::Iud), "X1");
        assert_eq!(
            row.get(Column::CodiceIdentificativoUnivoco),
            "RSSMRA80A01H501U"
        );
        assert_eq!(row.get(Column::TipoIdentificativoUnivoco), "F");
        assert_eq!(row.get(Column::AnagraficaPagatore), "Mario Rossi");
        assert_eq!(row.get(Column::ImportoDovuto), "1234.56");
        assert_eq!(row.get(Column::DataScadenzaPagamento), "2026-12-31");
        assert_eq!(row.get(Column::TipoDovuto), "TARI");
        assert_eq!(row.get(Column::CausaleVersamento), "Tassa rifiuti");
        assert_eq!(row.get(Column::DatiSpecificiRiscossione), "9/0101101TS/");
        assert_eq!(row.get(Column::FlagGeneraIuv), "true");
        assert_eq!(row.get(Column::Azione), "I");
        assert_eq!(cents(row.get(Column::ImportoDovuto)), Some(123456));
    }

    #[test]
    fn every_bad_field_is_reported_by_name() {
        let input = DebtInput {
            importo: Some("dodici".into()),
            scadenza: Some("31/02/2026".into()),
            ..Default::default()
        };
        let errs = apply(&input, &RawRow::default(), &[], || "X".into()).unwrap_err();
        let campi: Vec<_> = errs.iter().map(|e| e.campo).collect();
        assert_eq!(campi, vec!["importo", "scadenza", "tipo"]);
        assert!(errs[1].messaggio.contains("gg/mm/aaaa"));
    }

    #[test]
    fn eleven_digits_default_to_legal_person() {
        let input = DebtInput {
            codice: Some("02342520158".into()),
            ..Default::default()
        };
        let row = apply(&input, &RawRow::default(), &[tari()], || "X".into()).unwrap();
        assert_eq!(row.get(Column::TipoIdentificativoUnivoco), "G");
    }
}
