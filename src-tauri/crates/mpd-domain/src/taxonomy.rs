//! Dati specifici di riscossione and the pagoPA taxonomy code.
//!
//! MyPay checks the column with a loose regex (`[0129]/\S{3,138}`, which also admits the old
//! RPT-era forms `0/…`, `1/…`, `2/…`) and the secondary beneficiary's value with
//! `9/\d{2}\d{2}\d{3}\w{2}/\S{0,129}` plus a lookup of the code. Our strict rule wants a real
//! taxonomy code `<6|7|8|9>/<ente 2><macro-area 2><service 3><IM|TS|SP|SA|AP>/` (optionally
//! followed by more text, as MyPay appends the IUV), and looks it up in the shipped table. The
//! table may be older than MyPay's, so an unknown code is a warning, not an error.
//! The regexes are written by hand: one pass over the bytes, no allocation.
//!
//! The code's prefix also decides SEPA Request To Pay (RTP): since 1 March 2026 pagoPA sends a
//! debt whose code starts with `9/` to the debtor's bank app once it sits on pagoPA's central
//! registry of debts, and `6/`, `7/`, `8/` opt out. [`PREFISSI`] says what each prefix means,
//! as data, with what is inferred marked so; [`avviso_prefisso`] says when a payment type's
//! prefix looks unintended.

use chrono::NaiveDate;

use crate::lookup;

/// Java's `\s`: space, tab, newline, vertical tab, form feed, carriage return.
fn java_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}

/// MyPay's `[0129]{1}\/\S{3,138}` (whole string).
pub fn mypay_dati_riscossione_ok(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !matches!(b[0], b'0' | b'1' | b'2' | b'9') || b[1] != b'/' {
        return false;
    }
    let rest = &s[2..];
    let n = rest.chars().count();
    (3..=138).contains(&n) && !rest.chars().any(java_space)
}

/// `\d{7}` followed by two `\w` characters (ASCII word characters).
fn core_mypay(b: &[u8]) -> bool {
    b.len() == 9
        && b[..7].iter().all(u8::is_ascii_digit)
        && b[7..9]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// MyPay's check of `datiSpecificiRiscossioneEnteSecondario`: regex
/// `9\/\d{2}\d{2}\d{3}\w{2}\/\S{0,129}`, then the prefix up to the last `/` must be a code of
/// the `tassonomia` table.
pub fn mypay_dati_riscossione_secondario_ok(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 12
        || !s.is_char_boundary(12)
        || b[0] != b'9'
        || b[1] != b'/'
        || !core_mypay(&b[2..11])
        || b[11] != b'/'
    {
        return false;
    }
    let tail = &s[12..];
    if tail.chars().count() > 129 || tail.chars().any(java_space) {
        return false;
    }
    let prefix = &s[..=s.rfind('/').unwrap_or(11)];
    lookup::tassonomia(prefix).is_some()
}

/// `<d7><IM|TS|SP|SA|AP>` exactly (9 bytes).
fn core_strict(b: &[u8]) -> bool {
    b.len() == 9
        && b[..7].iter().all(u8::is_ascii_digit)
        && matches!(&b[7..9], b"IM" | b"TS" | b"SP" | b"SA" | b"AP")
}

/// `9/` + strict core + `/` (12 bytes), as in the shipped table.
pub(crate) fn is_taxonomy_core(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 12 && b[0] == b'9' && b[1] == b'/' && core_strict(&b[2..11]) && b[11] == b'/'
}

/// Why a value is not a pagoPA taxonomy code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaxonomyError {
    /// An old RPT-era form (`0/`, `1/`, `2/`), not a taxonomy code.
    LegacyForm,
    /// Not `<6-9>/<7 digits><IM|TS|SP|SA|AP>/`.
    Format,
}

impl TaxonomyError {
    /// Italian explanation, without the field name.
    pub fn message_it(&self) -> String {
        match self {
            TaxonomyError::LegacyForm => "non è un codice della tassonomia pagoPA (formato 9/0101100IM/): è una vecchia forma che pagoPA non usa più; indicare il codice tassonomico del tipo dovuto".to_string(),
            TaxonomyError::Format => "deve essere un codice della tassonomia pagoPA nel formato 9/ + 7 cifre + motivo (IM, TS, SP, SA o AP) + /, ad esempio 9/0101100IM/".to_string(),
        }
    }
}

/// What the shipped table says of a well-formed code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaxonomyStatus {
    /// In the table and valid on the given date.
    Valid,
    /// In the table, but not valid on the given date.
    OutOfValidity,
    /// Not in the table (which may be older than MyPay's).
    Unknown,
}

/// Strict check: the taxonomy format, then the table (validity checked on `on`).
pub fn check_taxonomy(s: &str, on: NaiveDate) -> Result<TaxonomyStatus, TaxonomyError> {
    let b = s.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'0' | b'1' | b'2') && b[1] == b'/' {
        return Err(TaxonomyError::LegacyForm);
    }
    if b.len() < 12
        || !matches!(b[0], b'6'..=b'9')
        || b[1] != b'/'
        || !core_strict(&b[2..11])
        || b[11] != b'/'
    {
        return Err(TaxonomyError::Format);
    }
    if s[12..].chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(TaxonomyError::Format);
    }
    // The table lists the `9/` form; the 6/7/8 prefixes (SEPA Request-to-Pay) share the codes.
    let mut key = [0u8; 12];
    key.copy_from_slice(&b[..12]);
    key[0] = b'9';
    let key = std::str::from_utf8(&key).unwrap_or_default();
    Ok(match lookup::tassonomia(key) {
        None => TaxonomyStatus::Unknown,
        Some(v) if v.iter().any(|p| p.inizio <= on && on <= p.fine) => TaxonomyStatus::Valid,
        Some(_) => TaxonomyStatus::OutOfValidity,
    })
}

// ---------------------------------------------------------------------------------------------
// The prefix and SEPA Request To Pay
// ---------------------------------------------------------------------------------------------

/// The day pagoPA starts sending debts to the debtor's bank app (spec `adesione-e-contributo.md`
/// §4.1, source S16).
pub fn rtp_dal() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default()
}

/// What pagoPA does with a debt, by its code's prefix, as to SEPA Request To Pay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvioRtp {
    /// Sent to the debtor's bank app as a request to pay once on pagoPA's central registry.
    Inviato,
    /// Not sent: the Ente opted out with this prefix.
    Escluso,
    /// Not a taxonomy code: the sources read say nothing of it.
    NonDocumentato,
}

/// One prefix of the field that carries the taxonomy code, and what it means for the clerk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrefissoTassonomia {
    /// `9/`.
    pub prefisso: &'static str,
    pub invio_rtp: InvioRtp,
    /// Italian, for the clerk: what a debt of this prefix does.
    pub significato: &'static str,
    /// MyPay's import check (`[0129]/…`, read in its code of December 2024) takes the prefix.
    /// This app checks a payment type's code the same way, so a prefix MyPay refuses cannot be
    /// saved in the profile.
    pub accettato_da_mypay: bool,
    /// Italian, for the clerk: what is still to verify, the part of the meaning that is
    /// inferred or unverified rather than read in a source (a front end puts it after
    /// «Da verificare:»); `None` when all of it was read.
    pub dedotto: Option<&'static str>,
}

const ESCLUSO: &str = "pagoPA non invia il dovuto all'app della banca del debitore: l'Ente lo esclude dalla richiesta di pagamento (SEPA Request To Pay)";
const ESCLUSO_DEDOTTO: &str = "in che cosa 6/, 7/ e 8/ differiscano (le fonti lette non lo dicono) e se MyPay li accetta: il suo codice letto (dicembre 2024) accetta solo 9/ e le vecchie forme 0/, 1/, 2/, quindi prima di usarli va chiesto alla Regione";
const VECCHIA_FORMA_DEDOTTO: &str = "se pagoPA invii come richiesta di pagamento i dovuti senza codice tassonomico (le fonti lette non lo dicono)";

/// Every prefix the field can start with, in the order a list shows them.
///
/// Read (spec `adesione-e-contributo.md` §4.1 and §4.2): `9/` is the taxonomy code, sent by RTP
/// from 1 March 2026; `6/`, `7/`, `8/` opt out; `0/`, `1/`, `2/` are the RPT-era forms MyPay
/// still accepts. Inferred or unverified: what tells 6/, 7/ and 8/ apart, whether MyPay takes
/// them, whether MyPay passes the prefix on to pagoPA's registry (towards it MyPay's code of
/// 2024 sends only the code's core, §4.2), and what RTP does with the old forms.
pub const PREFISSI: [PrefissoTassonomia; 7] = [
    PrefissoTassonomia {
        prefisso: "9/",
        invio_rtp: InvioRtp::Inviato,
        significato: "dal 1° marzo 2026 pagoPA invia il dovuto all'app della banca del debitore come richiesta di pagamento (SEPA Request To Pay), quando il dovuto è nell'archivio centrale dei debiti di pagoPA",
        accettato_da_mypay: true,
        dedotto: Some(
            "se MyPay trasmette il prefisso all'archivio centrale di pagoPA (il suo codice letto, del dicembre 2024, trasmette solo la parte centrale del codice)",
        ),
    },
    PrefissoTassonomia {
        prefisso: "6/",
        invio_rtp: InvioRtp::Escluso,
        significato: ESCLUSO,
        accettato_da_mypay: false,
        dedotto: Some(ESCLUSO_DEDOTTO),
    },
    PrefissoTassonomia {
        prefisso: "7/",
        invio_rtp: InvioRtp::Escluso,
        significato: ESCLUSO,
        accettato_da_mypay: false,
        dedotto: Some(ESCLUSO_DEDOTTO),
    },
    PrefissoTassonomia {
        prefisso: "8/",
        invio_rtp: InvioRtp::Escluso,
        significato: ESCLUSO,
        accettato_da_mypay: false,
        dedotto: Some(ESCLUSO_DEDOTTO),
    },
    PrefissoTassonomia {
        prefisso: "0/",
        invio_rtp: InvioRtp::NonDocumentato,
        significato: "vecchia forma dei dati specifici di riscossione (capitolo del bilancio dello Stato), non un codice della tassonomia pagoPA",
        accettato_da_mypay: true,
        dedotto: Some(VECCHIA_FORMA_DEDOTTO),
    },
    PrefissoTassonomia {
        prefisso: "1/",
        invio_rtp: InvioRtp::NonDocumentato,
        significato: "vecchia forma dei dati specifici di riscossione (numero di contabilità speciale), non un codice della tassonomia pagoPA",
        accettato_da_mypay: true,
        dedotto: Some(VECCHIA_FORMA_DEDOTTO),
    },
    PrefissoTassonomia {
        prefisso: "2/",
        invio_rtp: InvioRtp::NonDocumentato,
        significato: "vecchia forma dei dati specifici di riscossione (codice SIOPE), non un codice della tassonomia pagoPA",
        accettato_da_mypay: true,
        dedotto: Some(VECCHIA_FORMA_DEDOTTO),
    },
];

/// The prefix of a value of the field (leading and trailing spaces ignored), if it is one of
/// [`PREFISSI`].
pub fn prefisso(valore: &str) -> Option<&'static PrefissoTassonomia> {
    let v = valore.trim();
    PREFISSI.iter().find(|p| v.starts_with(p.prefisso))
}

/// How a payment type is used, as far as the prefix heuristics look at it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UsoTipo {
    /// The type's adhesion mode is *iniziato presso l'Ente*: the payment starts at the Ente's
    /// desk or portal and is paid there and then (MyPay Desk's Sportello works this way).
    pub iniziato_presso_ente: bool,
    /// The type's mode is *per flussi*: debts prepared in bulk by the Ente's software.
    pub per_flussi: bool,
    /// Every debt of the type has a due date.
    pub scadenza_obbligatoria: bool,
}

/// A payment type's prefix that looks unintended: what the clerk reads, and why the app thinks so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvvisoPrefisso {
    /// Italian: what looks wrong and what to do.
    pub messaggio: String,
    /// Italian: the heuristic, said plainly.
    pub perche: &'static str,
}

/// Why a prefix may be unintended, from how the type is used. Two heuristics, both guesses
/// (nothing in the sources says which types should opt out):
///
/// * `9/` on a type paid at once at the Ente (mode *iniziato presso l'Ente*) without a
///   mandatory due date: the citizen pays at the desk or on the portal there and then, and a
///   request to pay in their bank app would at best duplicate the payment just made;
/// * `6/`, `7/` or `8/` on a type whose debts are prepared in bulk (*per flussi*) or always have
///   a due date: these are the periodic debts (TARI, school meals, instalments) that a request
///   to pay in the bank app helps collect, and the opt-out takes that away.
pub fn avviso_prefisso(valore: &str, uso: UsoTipo) -> Option<AvvisoPrefisso> {
    let p = prefisso(valore)?;
    match p.invio_rtp {
        InvioRtp::Inviato if uso.iniziato_presso_ente && !uso.scadenza_obbligatoria => {
            Some(AvvisoPrefisso {
                messaggio: format!(
                    "il codice inizia con {}: dal 1° marzo 2026 pagoPA può inviare questi dovuti anche all'app della banca del debitore, ma il tipo si paga subito presso l'Ente; se la richiesta di pagamento non serve, chieda alla Regione se MyPay accetta il prefisso 6/, 7/ o 8/ che la esclude",
                    p.prefisso
                ),
                perche: "un dovuto pagato sul momento allo sportello o sul portale dell'Ente non ha bisogno di una richiesta di pagamento nell'app della banca: il cittadino la riceverebbe per un debito già pagato o in pagamento",
            })
        }
        InvioRtp::Escluso if uso.per_flussi || uso.scadenza_obbligatoria => Some(AvvisoPrefisso {
            messaggio: format!(
                "il codice inizia con {}: pagoPA non invierà questi dovuti all'app della banca del debitore, ma il tipo ha dovuti con scadenza o preparati per flussi; se l'esclusione non è voluta, usi il prefisso 9/",
                p.prefisso
            ),
            perche: "i dovuti periodici o con scadenza sono quelli che la richiesta di pagamento nell'app della banca aiuta a incassare: escluderli è una scelta da fare apposta",
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
    }

    #[test]
    fn mypay_regex() {
        assert!(mypay_dati_riscossione_ok("9/0101100IM/"));
        assert!(mypay_dati_riscossione_ok("2/abc"));
        assert!(mypay_dati_riscossione_ok("1/xyz"));
        assert!(!mypay_dati_riscossione_ok("9/ab"));
        assert!(!mypay_dati_riscossione_ok("9/0101 100IM/"));
        assert!(!mypay_dati_riscossione_ok("3/0101100IM/"));
        assert!(!mypay_dati_riscossione_ok("8/0101100IM/"));
        assert!(!mypay_dati_riscossione_ok(&format!(
            "9/{}",
            "a".repeat(139)
        )));
        assert!(mypay_dati_riscossione_ok(&format!("9/{}", "a".repeat(138))));
    }

    #[test]
    fn mypay_secondary() {
        assert!(mypay_dati_riscossione_secondario_ok("9/0101100IM/"));
        assert!(mypay_dati_riscossione_secondario_ok("9/0101100IM/extra"));
        assert!(!mypay_dati_riscossione_secondario_ok("9/9999999IM/"));
        assert!(!mypay_dati_riscossione_secondario_ok("9/0101100IM"));
        assert!(!mypay_dati_riscossione_secondario_ok("2/0101100IM/"));
        assert!(!mypay_dati_riscossione_secondario_ok("9/0101100IM/a/b"));
    }

    #[test]
    fn strict() {
        assert_eq!(
            check_taxonomy("9/0101100IM/", today()),
            Ok(TaxonomyStatus::Valid)
        );
        assert_eq!(
            check_taxonomy("6/0101100IM/", today()),
            Ok(TaxonomyStatus::Valid)
        );
        assert_eq!(
            check_taxonomy("9/0101100IM/12345", today()),
            Ok(TaxonomyStatus::Valid)
        );
        assert_eq!(
            check_taxonomy("9/0101999IM/", today()),
            Ok(TaxonomyStatus::Unknown)
        );
        assert_eq!(
            check_taxonomy("9/0101100XX/", today()),
            Err(TaxonomyError::Format)
        );
        assert_eq!(
            check_taxonomy("9/0101100im/", today()),
            Err(TaxonomyError::Format)
        );
        assert_eq!(
            check_taxonomy("5/0101100IM/", today()),
            Err(TaxonomyError::Format)
        );
        assert_eq!(
            check_taxonomy("2/abc", today()),
            Err(TaxonomyError::LegacyForm)
        );
        assert_eq!(
            check_taxonomy("9/0101100IM/", NaiveDate::from_ymd_opt(1800, 1, 1).unwrap()),
            Ok(TaxonomyStatus::OutOfValidity)
        );
        assert_eq!(
            check_taxonomy("9/0101100IMà", today()),
            Err(TaxonomyError::Format)
        );
    }

    #[test]
    fn every_prefix_has_a_meaning_and_what_is_inferred() {
        let codes: Vec<&str> = PREFISSI.iter().map(|p| p.prefisso).collect();
        assert_eq!(codes, ["9/", "6/", "7/", "8/", "0/", "1/", "2/"]);
        for p in PREFISSI {
            assert!(
                !p.significato.is_empty() && p.dedotto.is_some(),
                "{}",
                p.prefisso
            );
            // What MyPay accepts is exactly its own regex's first character.
            let esempio = format!("{}0101100IM/", p.prefisso);
            assert_eq!(
                p.accettato_da_mypay,
                mypay_dati_riscossione_ok(&esempio),
                "{}",
                p.prefisso
            );
        }
        let rtp = |c: &str| prefisso(c).map(|p| p.invio_rtp);
        assert_eq!(rtp("9/0101100IM/"), Some(InvioRtp::Inviato));
        assert_eq!(rtp(" 6/0101100IM/ "), Some(InvioRtp::Escluso));
        assert_eq!(rtp("7/0101100IM/"), Some(InvioRtp::Escluso));
        assert_eq!(rtp("8/0101100IM/"), Some(InvioRtp::Escluso));
        assert_eq!(rtp("2/abc"), Some(InvioRtp::NonDocumentato));
        assert_eq!(rtp("5/0101100IM/"), None);
        assert_eq!(rtp("0101100IM"), None);
        assert_eq!(rtp(""), None);
        assert!(
            prefisso("9/0101100IM/")
                .unwrap()
                .significato
                .contains("1° marzo 2026")
        );
        assert_eq!(rtp_dal().to_string(), "2026-03-01");
    }

    #[test]
    fn a_counter_type_with_9_is_warned() {
        let sportello = UsoTipo {
            iniziato_presso_ente: true,
            ..Default::default()
        };
        let a = avviso_prefisso("9/0103100TS/", sportello).unwrap();
        assert!(
            a.messaggio.starts_with("il codice inizia con 9/"),
            "{}",
            a.messaggio
        );
        assert!(a.messaggio.contains("6/, 7/ o 8/"));
        // With a due date it is a real debt: the request to pay can help.
        let con_scadenza = UsoTipo {
            scadenza_obbligatoria: true,
            ..sportello
        };
        assert_eq!(avviso_prefisso("9/0103100TS/", con_scadenza), None);
        // Opting out at the counter is what the prefix is for.
        assert_eq!(avviso_prefisso("6/0103100TS/", sportello), None);
        // A type sent in bulk keeps 9/ quietly.
        let flussi = UsoTipo {
            per_flussi: true,
            ..Default::default()
        };
        assert_eq!(avviso_prefisso("9/0101101IM/", flussi), None);
        assert_eq!(avviso_prefisso("9/0101101IM/", UsoTipo::default()), None);
    }

    #[test]
    fn a_periodic_type_that_opts_out_is_warned() {
        let flussi = UsoTipo {
            per_flussi: true,
            ..Default::default()
        };
        for c in ["6/0101101IM/", "7/0101101IM/", "8/0101101IM/"] {
            let a = avviso_prefisso(c, flussi).unwrap();
            assert!(a.messaggio.contains(&c[..2]), "{}", a.messaggio);
            assert!(a.messaggio.contains("usi il prefisso 9/"));
        }
        let scadenza = UsoTipo {
            scadenza_obbligatoria: true,
            ..Default::default()
        };
        assert!(avviso_prefisso("8/0107101TS/", scadenza).is_some());
        // Neither periodic nor at the counter: no guess either way.
        assert_eq!(avviso_prefisso("8/0107101TS/", UsoTipo::default()), None);
        // The old forms and values with no known prefix are left to the format check.
        assert_eq!(avviso_prefisso("2/abc", flussi), None);
        assert_eq!(avviso_prefisso("x", flussi), None);
    }
}
