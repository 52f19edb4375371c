//! The completeness check of the adhesion profile (`mypay-desk ente check`).
//!
//! It collects every problem rather than stopping at the first (the clerk fixes the file once),
//! and each problem says why it matters: what the Region, MyPay or the contribution needs the
//! value for. Errors stop the documents; warnings are printed in them as things to verify.
//! The Ente's fiscal code is checked with the full check digit here, although `ente set`
//! only warns: a document signed and sent to the Region must not carry a wrong code.

use chrono::NaiveDate;
use serde::Serialize;

use crate::profilo::{Modalita, Profilo, TipoConto, is_postal_iban};
use crate::{Gravita, Problema};

/// The outcome of the check.
#[derive(Clone, Debug, Serialize)]
pub struct Verifica {
    pub completo: bool,
    pub problemi: Vec<Problema>,
}

impl Verifica {
    pub fn errori(&self) -> impl Iterator<Item = &Problema> {
        self.problemi
            .iter()
            .filter(|p| p.gravita == Gravita::Errore)
    }
}

struct Collector(Vec<Problema>);

impl Collector {
    fn push(&mut self, gravita: Gravita, campo: &str, messaggio: impl Into<String>, perche: &str) {
        self.0.push(Problema {
            campo: campo.to_string(),
            gravita,
            messaggio: messaggio.into(),
            perche: perche.to_string(),
        });
    }
    fn err(&mut self, campo: &str, messaggio: impl Into<String>, perche: &str) {
        self.push(Gravita::Errore, campo, messaggio, perche);
    }
    fn warn(&mut self, campo: &str, messaggio: impl Into<String>, perche: &str) {
        self.push(Gravita::Avviso, campo, messaggio, perche);
    }
}

const WHY_ATTO: &str =
    "compare nell'Atto di adesione e nel modulo informativa inviati alla Regione";
const WHY_POP: &str =
    "la popolazione decide se il comune rientra nelle soglie del contributo regionale";

/// Checks the profile; `oggi` dates the taxonomy look-up.
pub fn verifica(p: &Profilo, oggi: NaiveDate) -> Verifica {
    let mut c = Collector(p.letture.clone());
    let e = &p.ente;
    if let Err(err) = mpd_domain::piva::check_piva_strict(&e.codice_fiscale) {
        c.err(
            "ente.codice_fiscale",
            format!("«{}»: {}", e.codice_fiscale, err.message_it()),
            "MyPay registra l'Ente col codice fiscale e ne verifica la cifra di controllo; un codice errato nell'Atto blocca l'adesione",
        );
    }
    match p.pec.as_deref() {
        None => c.err("ente.pec", "manca la PEC dell'Ente", "la Regione risponde alla PEC da cui arriva l'adesione ed è il recapito ufficiale nell'Atto"),
        Some(pec) if !looks_like_email(pec) => c.err("ente.pec", format!("«{pec}» non è un indirizzo di posta valido"), "la Regione risponde a questo indirizzo"),
        Some(_) => {}
    }
    if p.indirizzo.is_none() {
        c.warn("ente.indirizzo", "manca la sede dell'Ente", WHY_ATTO);
    }
    match p.tipo_ente {
        None if !p.letture.iter().any(|x| x.campo.ends_with("tipo_ente")) => c.err(
            "adesione.tipo_ente",
            "manca il tipo di ente (comune, comune-montano, unione-comuni, comunita-montana, area-protetta, natura-2000, altro)",
            "il tipo di ente decide la percentuale del contributo regionale",
        ),
        _ => {}
    }
    let comune = p.tipo_ente.is_some_and(|t| t.is_comune());
    match p.codice_istat.as_deref() {
        None if comune => c.err("adesione.codice_istat", "manca il codice ISTAT del comune", "identifica il comune e la sua popolazione nelle tabelle ISTAT"),
        None => c.warn("adesione.codice_istat", "manca il codice ISTAT", "identifica l'ente nelle tabelle ISTAT, se ne ha uno"),
        Some(code) if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) => c.err(
            "adesione.codice_istat",
            format!("«{code}»: il codice ISTAT di un comune ha 6 cifre (es. \"013075\"; tra virgolette per non perdere lo zero iniziale)"),
            "identifica il comune e la sua popolazione nelle tabelle ISTAT",
        ),
        Some(_) => {}
    }
    match p.popolazione {
        None if comune && !p.letture.iter().any(|x| x.campo.ends_with("popolazione")) => c.err(
            "adesione.popolazione",
            "manca la popolazione residente",
            WHY_POP,
        ),
        _ => {}
    }
    if p.popolazione.is_some() {
        if p.popolazione_data.is_none()
            && !p
                .letture
                .iter()
                .any(|x| x.campo.ends_with("popolazione_data"))
        {
            c.err(
                "adesione.popolazione_data",
                "la popolazione non ha una data di riferimento (es. popolazione_data = \"31/12/2025\")",
                "le soglie valgono per un dato ufficiale a una data precisa (di norma l'ultimo dato ISTAT): senza la data il calcolo resta provvisorio",
            );
        }
        if p.popolazione_fonte.is_none() {
            c.warn(
                "adesione.popolazione_fonte",
                "manca la fonte della popolazione (es. \"ISTAT, bilancio demografico\")",
                "la Regione può chiedere da dove viene il dato usato per la soglia",
            );
        }
    }
    if p.modalita.is_empty() && !p.letture.iter().any(|x| x.campo.ends_with("modalita")) {
        c.err(
            "adesione.modalita",
            "manca la modalità di adesione (base, per-flussi, presso-ente)",
            "l'Atto dichiara la modalità scelta; il contributo spetta solo per «per flussi» o «iniziato presso l'Ente»",
        );
    }
    if p.legale_rappresentante.is_none() {
        c.err(
            "adesione.legale_rappresentante",
            "manca il legale rappresentante che firma l'Atto",
            "l'Atto di adesione va firmato digitalmente dal legale rappresentante",
        );
    }
    referente(
        &mut c,
        p.referente_amministrativo.as_ref(),
        "amministrativo",
        true,
    );
    let avanzata = p.modalita.iter().any(|m| *m != Modalita::Base);
    referente(&mut c, p.referente_tecnico.as_ref(), "tecnico", avanzata);
    if p.conti.is_empty() {
        c.err("conti", "nessun conto di accredito: ne aggiunga almeno uno, con IBAN e tipo", "il modulo informativa indica su quali conti la Regione deve far accreditare gli incassi");
    }
    for (i, conto) in p.conti.iter().enumerate() {
        let campo = format!("conti[{}].iban", i + 1);
        check_iban(&mut c, &campo, &conto.iban);
        if conto.tipo == TipoConto::Tesoreria && is_postal_iban(&conto.iban) {
            c.warn(&campo, format!("«{}» è un IBAN di Poste Italiane (ABI 07601) ma il conto è indicato come tesoreria", conto.iban), "MyPay usa l'IBAN postale per i pagamenti con Poste e quello di tesoreria per gli altri PSP");
        }
    }
    if p.tipi.is_empty() {
        c.err(
            "tipi_dovuto",
            "nessun tipo dovuto attivo",
            "il modulo informativa elenca i tipi dovuto da attivare con la loro modalità",
        );
    }
    for t in &p.tipi {
        let f = |k: &str| format!("tipi_dovuto «{}».{k}", t.tipo.codice);
        match mpd_domain::taxonomy::check_taxonomy(&t.tipo.dati_specifici_riscossione, oggi) {
            Err(err) => c.err(&f("dati_specifici_riscossione"), format!("«{}»: {}", t.tipo.dati_specifici_riscossione, err.message_it()), "MyPay chiede il codice tassonomico di ogni tipo dovuto"),
            Ok(mpd_domain::taxonomy::TaxonomyStatus::Unknown) => c.warn(
                &f("dati_specifici_riscossione"),
                format!("«{}» non è nell'elenco della tassonomia pagoPA fornito con l'app", t.tipo.dati_specifici_riscossione),
                "va scelto dall'elenco ufficiale; se il codice è più recente dell'elenco, verificarlo sul sito di PagoPA",
            ),
            Ok(mpd_domain::taxonomy::TaxonomyStatus::OutOfValidity) => c.err(
                &f("dati_specifici_riscossione"),
                format!("«{}» non è più valido secondo la tassonomia pagoPA", t.tipo.dati_specifici_riscossione),
                "pagoPA rifiuta i codici scaduti: sceglierne uno valido",
            ),
            Ok(_) => {}
        }
        let modalita = p.modalita_del_tipo(t);
        let uso = mpd_domain::taxonomy::UsoTipo {
            iniziato_presso_ente: modalita == Modalita::PressoEnte,
            per_flussi: modalita == Modalita::PerFlussi,
            scadenza_obbligatoria: t.tipo.scadenza_obbligatoria,
        };
        if let Some(a) =
            mpd_domain::taxonomy::avviso_prefisso(&t.tipo.dati_specifici_riscossione, uso)
        {
            c.warn(&f("dati_specifici_riscossione"), a.messaggio, a.perche);
        }
        match t.iban.as_deref() {
            Some(iban) => check_iban(&mut c, &f("iban"), iban),
            None if p.conti.iter().any(|c| c.tipo == TipoConto::Tesoreria) => {}
            None => c.err(
                &f("iban"),
                "nessun IBAN per il tipo dovuto e nessun conto di tesoreria da usare",
                "ogni tipo dovuto deve dire su quale conto arriva il denaro",
            ),
        }
        if p.modalita_del_tipo(t) == Modalita::Base && t.capitolo.is_none() {
            c.warn(&f("capitolo"), "manca il capitolo di bilancio", "per i dovuti in modalità base il modulo informativa chiede il capitolo contabile (negli altri casi lo manda il gestionale dell'Ente)");
        }
    }
    let problemi = c.0;
    Verifica {
        completo: !problemi.iter().any(|p| p.gravita == Gravita::Errore),
        problemi,
    }
}

fn check_iban(c: &mut Collector, campo: &str, iban: &str) {
    if iban.is_empty() {
        c.err(
            campo,
            "manca l'IBAN",
            "senza IBAN la Regione non sa dove accreditare gli incassi",
        );
    } else if let Err(err) = mpd_domain::iban::check_iban(iban) {
        c.err(
            campo,
            format!("«{iban}»: {}", err.message_it()),
            "un IBAN errato fa fallire l'accredito dei pagamenti",
        );
    }
}

fn referente(
    c: &mut Collector,
    r: Option<&crate::profilo::Referente>,
    which: &str,
    required: bool,
) {
    let why = if which == "amministrativo" {
        "l'Atto nomina il referente dei pagamenti: la Regione lo abilita come operatore e lo contatta"
    } else {
        "con le modalità per flussi o iniziato presso l'Ente la Regione concorda col referente tecnico l'integrazione e il collaudo"
    };
    let campo = format!("referenti.{which}");
    let push = |c: &mut Collector, campo: &str, m: String| {
        if required {
            c.err(campo, m, why)
        } else {
            c.warn(campo, m, why)
        }
    };
    let Some(r) = r else {
        push(
            c,
            &campo,
            format!("manca il referente {which} ([referenti.{which}] con nome ed email)"),
        );
        return;
    };
    if r.nome.is_none() {
        push(c, &format!("{campo}.nome"), "manca il nome".into());
    }
    match r.email.as_deref() {
        None => push(c, &format!("{campo}.email"), "manca l'email".into()),
        Some(m) if !looks_like_email(m) => c.err(
            &format!("{campo}.email"),
            format!("«{m}» non è un indirizzo di posta valido"),
            why,
        ),
        Some(_) => {}
    }
    if let Some(cf) = r.codice_fiscale.as_deref()
        && let Err(err) = mpd_domain::cf::check_cf16(&cf.to_ascii_uppercase())
    {
        c.err(
            &format!("{campo}.codice_fiscale"),
            format!("«{cf}»: {}", err.message_it()),
            "serve per abilitare la persona come operatore MyPay (accesso con SPID/CIE)",
        );
    }
}

/// A plausible e-mail or PEC address (one `@`, a dotted domain, no spaces).
pub fn looks_like_email(s: &str) -> bool {
    let mut parts = s.split('@');
    matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None)
        if !a.is_empty() && b.contains('.') && !b.starts_with('.') && !b.ends_with('.') && !s.contains(char::is_whitespace))
}
