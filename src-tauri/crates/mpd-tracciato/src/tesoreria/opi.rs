//! The OPI / SIOPE+ *flusso giornale di cassa* XML (MyPivot type O, spec §3.3), versions 1.4,
//! 1.6.1, 1.7.1 and 1.8: their essentials, which every version shares.
//!
//! | element | field |
//! |---|---|
//! | `identificativo_flusso_BT`, `pagina` | [`super::Giornale::identita`] `opi:<id>:<pagina>` |
//! | `esercizio` | [`super::Movimento::anno`] |
//! | `…/movimento_conto_evidenza` | one movement |
//! | `tipo_movimento`, `tipo_documento`, `tipo_operazione` | kept: `ENTRATA` + `SOSPESO ENTRATA` + `ESEGUITO`; `STORNATO` reverses; the rest left out |
//! | `numero_bolletta_quietanza` (else `numero_documento`) | [`super::Movimento::bolletta`] |
//! | `importo`, `data_movimento`, `data_valuta_ente` | amount, data contabile, data valuta (else data contabile) |
//! | `cliente/anagrafica_cliente`, `causale` | ordinante, causale (IUF/IUV from it) |
//! | `sospeso_da_regolarizzare/{data_effettiva_sospeso, codice_gestionale_provvisorio}` | [`super::Sospeso`] |
//!
//! Elements are matched by local name (namespaces and prefixes ignored, as MyPivot strips
//! them); the XML is read with the same caps as the FdR (depth, element count, no DOCTYPE).
//! The XSD is not validated: a version's extra elements are skipped.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{
    ErroreTesoreria, Formato, Giornale, Ignorata, Movimento, Problemi, Sospeso, data, importo,
    impronta, riferimenti, taglia,
};
use crate::fdr::{MAX_DEPTH, MAX_ELEMENTS, line_of, local, resolve_ref};

#[derive(Default)]
struct InCorso {
    riga: usize,
    esercizio: Option<String>,
    tipo_movimento: String,
    tipo_documento: String,
    tipo_operazione: String,
    numero_documento: String,
    bolletta: String,
    importo: String,
    data_movimento: String,
    data_valuta: String,
    cliente: String,
    causale: String,
    sospeso_data: String,
    sospeso_codice: String,
}

/// Reads an OPI giornale di cassa.
pub fn leggi(bytes: &[u8]) -> Result<Giornale, ErroreTesoreria> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ErroreTesoreria::file("il file non è un XML in UTF-8"))?;
    let mut reader = Reader::from_str(text);
    let mut percorso: Vec<String> = Vec::new();
    let mut valore = String::new();
    let mut elementi = 0usize;
    let mut id_flusso = String::new();
    let mut pagina = String::new();
    let mut esercizio = String::new();
    let mut versione = String::new();
    let mut mov: Option<InCorso> = None;
    let mut letti: Vec<InCorso> = Vec::new();
    loop {
        let pos = reader.buffer_position() as usize;
        let evento = reader.read_event().map_err(|e| {
            ErroreTesoreria::file(format!(
                "XML non ben formato alla riga {} ({e})",
                line_of(text, reader.buffer_position() as usize)
            ))
        })?;
        match evento {
            Event::Start(ref e) | Event::Empty(ref e) => {
                elementi += 1;
                if elementi > MAX_ELEMENTS {
                    return Err(ErroreTesoreria::file("XML con troppi elementi"));
                }
                if percorso.len() >= MAX_DEPTH {
                    return Err(ErroreTesoreria::file("XML troppo annidato"));
                }
                let nome = local(e.name().into_inner()).to_string();
                if percorso.is_empty() {
                    if nome != "flusso_giornale_di_cassa" {
                        return Err(ErroreTesoreria::file(format!(
                            "non è un giornale di cassa OPI: l'elemento principale è «{nome}» invece di «flusso_giornale_di_cassa»"
                        )));
                    }
                    for a in e.attributes().flatten() {
                        if local(a.key.into_inner()).eq_ignore_ascii_case("versione") {
                            versione = a.value.to_string();
                        }
                    }
                }
                if nome == "movimento_conto_evidenza" {
                    mov = Some(InCorso {
                        riga: line_of(text, pos),
                        ..Default::default()
                    });
                }
                valore.clear();
                percorso.push(nome);
                if matches!(evento, Event::Empty(_)) {
                    percorso.pop();
                }
            }
            Event::End(_) => {
                let v = valore.trim().to_string();
                valore.clear();
                let nome = percorso.pop().unwrap_or_default();
                let padre = percorso.last().map_or("", String::as_str);
                match (padre, nome.as_str()) {
                    ("flusso_giornale_di_cassa", "identificativo_flusso_BT") => id_flusso = v,
                    ("flusso_giornale_di_cassa", "pagina") => pagina = v,
                    ("flusso_giornale_di_cassa", "esercizio") => esercizio = v,
                    (_, "movimento_conto_evidenza") => {
                        if let Some(m) = mov.take() {
                            letti.push(m);
                        }
                    }
                    ("movimento_conto_evidenza", campo) => {
                        if let Some(m) = mov.as_mut() {
                            match campo {
                                "tipo_movimento" => m.tipo_movimento = v,
                                "tipo_documento" => m.tipo_documento = v,
                                "tipo_operazione" => m.tipo_operazione = v,
                                "numero_documento" => m.numero_documento = v,
                                "numero_bolletta_quietanza" => m.bolletta = v,
                                "importo" => m.importo = v,
                                "data_movimento" => m.data_movimento = v,
                                "data_valuta_ente" => m.data_valuta = v,
                                "causale" => m.causale = v,
                                "esercizio" => m.esercizio = Some(v),
                                _ => {}
                            }
                        }
                    }
                    ("cliente", "anagrafica_cliente") => {
                        if let Some(m) = mov.as_mut() {
                            m.cliente = v;
                        }
                    }
                    ("sospeso_da_regolarizzare", campo) => {
                        if let Some(m) = mov.as_mut() {
                            match campo {
                                "data_effettiva_sospeso" => m.sospeso_data = v,
                                "codice_gestionale_provvisorio" => m.sospeso_codice = v,
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => valore.push_str(&t),
            Event::CData(t) => valore.push_str(&t),
            Event::GeneralRef(r) => {
                let nome: &str = &r;
                match resolve_ref(nome) {
                    Some(c) => valore.push(c),
                    None => {
                        return Err(ErroreTesoreria::file(format!(
                            "entità XML sconosciuta «{nome}»"
                        )));
                    }
                }
            }
            Event::DocType(_) => return Err(ErroreTesoreria::file("XML con DOCTYPE rifiutato")),
            Event::Eof => break,
            _ => {}
        }
    }
    if !percorso.is_empty() {
        return Err(ErroreTesoreria::file(
            "XML troncato: il file finisce prima della chiusura dei suoi elementi",
        ));
    }
    if id_flusso.is_empty() {
        return Err(ErroreTesoreria::file(
            "manca «identificativo_flusso_BT»: non è un giornale di cassa OPI completo",
        ));
    }
    let mut problemi = Problemi::default();
    let mut movimenti = Vec::new();
    let mut ignorate = Vec::new();
    for m in letti {
        let riga = m.riga;
        let entrata = m.tipo_movimento.eq_ignore_ascii_case("ENTRATA")
            && m.tipo_documento.eq_ignore_ascii_case("SOSPESO ENTRATA");
        let storno = m.tipo_operazione.eq_ignore_ascii_case("STORNATO");
        if !entrata || !(storno || m.tipo_operazione.eq_ignore_ascii_case("ESEGUITO")) {
            ignorate.push(Ignorata {
                riga,
                motivo: format!(
                    "{} {} {}: non è un sospeso di entrata eseguito",
                    m.tipo_movimento, m.tipo_documento, m.tipo_operazione
                )
                .trim()
                .to_string(),
            });
            continue;
        }
        let es = m.esercizio.as_deref().unwrap_or(&esercizio);
        let anno = es.parse::<i32>().ok().filter(|a| (1900..=9999).contains(a));
        if anno.is_none() {
            problemi.push(riga, "esercizio", format!("«{es}» non è un anno"));
        }
        let bolletta = if m.bolletta.is_empty() {
            m.numero_documento.clone()
        } else {
            m.bolletta.clone()
        };
        if bolletta.is_empty() {
            problemi.push(
                riga,
                "numero_bolletta_quietanza",
                "manca il numero della bolletta",
            );
        }
        let dc = data(&m.data_movimento)
            .map_err(|e| problemi.push(riga, "data_movimento", e))
            .ok();
        let dv = if m.data_valuta.is_empty() {
            dc
        } else {
            data(&m.data_valuta)
                .map_err(|e| problemi.push(riga, "data_valuta_ente", e))
                .ok()
        };
        let imp = importo(&m.importo)
            .map_err(|e| problemi.push(riga, "importo", e))
            .ok();
        if problemi.pieno() {
            break;
        }
        let (Some(anno), Some(dc), Some(dv), Some(imp), false) =
            (anno, dc, dv, imp, bolletta.is_empty())
        else {
            continue;
        };
        let (iuf, iuv, lettura) = riferimenti(&m.causale);
        let sospeso =
            (!m.sospeso_codice.is_empty() || !m.sospeso_data.is_empty()).then(|| Sospeso {
                data: data(&m.sospeso_data).ok(),
                codice: m.sospeso_codice.clone(),
            });
        movimenti.push(Movimento {
            formato: Formato::Opi,
            riga,
            anno,
            bolletta,
            data_contabile: dc,
            data_valuta: dv,
            importo: imp,
            ordinante: taglia(&m.cliente, 140),
            causale: taglia(&m.causale, 2000),
            iuf,
            iuv,
            lettura,
            sospeso,
            storno,
        });
    }
    let movimenti = problemi.esito(movimenti)?;
    let mut note = Vec::new();
    if !versione.is_empty() {
        note.push(format!("versione {versione}"));
    }
    Ok(Giornale {
        formato: Formato::Opi,
        identita: format!(
            "opi:{id_flusso}:{}",
            if pagina.is_empty() { "1" } else { &pagina }
        ),
        impronta: impronta(&movimenti),
        movimenti,
        ignorate,
        note,
    })
}
