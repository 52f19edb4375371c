//! The codes a notice carries, as text: the QR payload, Poste's Data Matrix payload, and the
//! Italian formats of codes, amounts and dates.
//!
//! * QR (spec `avviso-pagamento.md` §2.3, `pagopa-domain.md` §4.3):
//!   `PAGOPA|002|<notice 18>|<Ente CF 11>|<cents>`, the amount as plain cents written with at
//!   least two digits (1 cent is `01`), as pagoPA's generator and MyPay write it.
//! * Data Matrix (§2.4 / §4.4): 256 ASCII characters at fixed offsets; free text is upper
//!   case, accents dropped, other characters outside Poste's set become spaces, and each field
//!   is cut and padded to its width (the notice prints the full text elsewhere).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::modello::{Avviso, ContoPostale, Pagamento};

/// `3010 0000 0000 0001 44`: 18 digits in groups of 4 (22 characters).
pub fn codice_a_gruppi(codice: &str) -> String {
    mpd_domain::iuv::format_notice(codice)
}

/// `1.234,56 €`.
pub fn importo_it(centesimi: u64) -> String {
    mpd_domain::money::format_it(Decimal::from_i128_with_scale(i128::from(centesimi), 2))
}

/// `1.234,56` (without the euro sign, for the payment blocks that print "Euro" apart).
pub fn importo_it_cifre(centesimi: u64) -> String {
    importo_it(centesimi).trim_end_matches(" €").to_string()
}

/// `31/01/2027`.
pub fn data_it(d: NaiveDate) -> String {
    mpd_domain::dates::format_it(d)
}

/// The pagoPA QR payload of one option.
pub fn qr_payload(codice: &str, cf_ente: &str, centesimi: u64) -> String {
    format!("PAGOPA|002|{codice}|{cf_ente}|{centesimi:02}")
}

/// The QR payload of `pagamento` on `avviso`.
pub fn qr_di(avviso: &Avviso, pagamento: &Pagamento) -> String {
    qr_payload(
        &pagamento.codice,
        &avviso.ente.codice_fiscale,
        pagamento.importo_centesimi,
    )
}

/// Upper case, Italian accents to their letter, anything outside Poste's set
/// (`0-9 A-Z space & ' , - . : _`) to a space.
fn testo_poste(s: &str) -> String {
    s.chars()
        .flat_map(char::to_uppercase)
        .map(|c| match c {
            'À' | 'Á' | 'Â' | 'Ä' | 'Ã' => 'A',
            'È' | 'É' | 'Ê' | 'Ë' => 'E',
            'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
            'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => 'O',
            'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
            'Ç' => 'C',
            'Ñ' => 'N',
            '’' | '‘' => '\'',
            '–' | '—' => '-',
            c if c.is_ascii_alphanumeric() || " &',-.:_".contains(c) => c,
            _ => ' ',
        })
        .collect()
}

/// Left-aligned in `width` characters: cut or padded with spaces (ASCII only here).
fn campo(s: &str, width: usize) -> String {
    let mut out: String = s.chars().take(width).collect();
    while out.len() < width {
        out.push(' ');
    }
    out
}

/// Poste's 256-character Data Matrix payload of one option (document type 896).
pub fn datamatrix_payload(avviso: &Avviso, conto: &ContoPostale, pagamento: &Pagamento) -> String {
    let cf_debitore = avviso
        .destinatario
        .codice_fiscale
        .as_deref()
        .unwrap_or("")
        .trim()
        .to_uppercase();
    let mut s = String::with_capacity(256);
    s.push_str("codfase=NBPA;");
    s.push_str("18");
    s.push_str(&format!("{:0>18}", pagamento.codice));
    s.push_str("12");
    s.push_str(&format!("{:0>12}", conto.numero));
    s.push_str("10");
    s.push_str(&format!("{:010}", pagamento.importo_centesimi));
    s.push('3');
    s.push_str("896");
    s.push_str("1P1");
    s.push_str(&campo(&avviso.ente.codice_fiscale, 11));
    s.push_str(&campo(&testo_poste(&cf_debitore), 16));
    s.push_str(&campo(&testo_poste(&avviso.destinatario.nome), 40));
    s.push_str(&campo(&testo_poste(&avviso.oggetto), 110));
    s.push_str(&" ".repeat(12));
    s.push('A');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modello::{Destinatario, EnteAvviso, Lingua};

    // Worked examples of pagopa-domain.md §1.3/§4.3/§4.4 (pagopa-domain-verify.py).
    #[test]
    fn qr_payload_of_the_spec() {
        assert_eq!(
            qr_payload("301000000000000144", "01199250158", 15000),
            "PAGOPA|002|301000000000000144|01199250158|15000"
        );
        assert_eq!(
            qr_payload("301000000000000144", "01199250158", 1),
            "PAGOPA|002|301000000000000144|01199250158|01"
        );
        assert_eq!(
            codice_a_gruppi("301000000000000144"),
            "3010 0000 0000 0001 44"
        );
        assert_eq!(importo_it(123_456), "1.234,56 €");
        assert_eq!(importo_it(1), "0,01 €");
        assert_eq!(importo_it_cifre(99_999_999_999), "999.999.999,99");
    }

    #[test]
    fn datamatrix_payload_of_the_spec() {
        let avviso = Avviso {
            ente: EnteAvviso {
                nome: "Comune di Milano".into(),
                codice_fiscale: "01199250158".into(),
                ..EnteAvviso::default()
            },
            destinatario: Destinatario {
                codice_fiscale: Some("RSSMRA80A01H501U".into()),
                nome: "Mario Rossi".into(),
                indirizzo: vec![],
            },
            oggetto: "TARI 2021".into(),
            rata_unica: None,
            rate: vec![],
            poste: None,
            lingua: Lingua::It,
        };
        let conto = ContoPostale {
            numero: "123456".into(),
            intestatario: "Comune".into(),
            autorizzazione: "AUT. X".into(),
        };
        let p = Pagamento {
            codice: "301000000000000144".into(),
            importo_centesimi: 15000,
            scadenza: None,
        };
        let dm = datamatrix_payload(&avviso, &conto, &p);
        assert_eq!(dm.len(), 256);
        assert_eq!(&dm[..13], "codfase=NBPA;");
        assert_eq!(&dm[15..33], "301000000000000144");
        assert_eq!(&dm[35..47], "000000123456");
        assert_eq!(&dm[49..59], "0000015000");
        assert_eq!(&dm[59..66], "38961P1");
        assert_eq!(&dm[66..77], "01199250158");
        assert_eq!(&dm[77..93], "RSSMRA80A01H501U");
        assert_eq!(dm[93..133].trim_end(), "MARIO ROSSI");
        assert_eq!(dm[133..243].trim_end(), "TARI 2021");
        assert_eq!(&dm[243..], "            A");
        // The verify script's own string, byte for byte.
        let expected = format!(
            "codfase=NBPA;183010000000000001441200000012345610000001500038961P101199250158RSSMRA80A01H501U{:<40}{:<110}{}A",
            "MARIO ROSSI",
            "TARI 2021",
            " ".repeat(12)
        );
        assert_eq!(dm, expected);
    }

    #[test]
    fn poste_text_is_ascii_upper_case_and_cut_to_width() {
        assert_eq!(
            testo_poste("Niccolò D’Amico – via Già"),
            "NICCOLO D'AMICO - VIA GIA"
        );
        assert_eq!(testo_poste("a/b#c"), "A B C");
        assert_eq!(campo("ABCDEFGHIJ", 4), "ABCD");
        assert_eq!(campo("AB", 4), "AB  ");
    }
}
