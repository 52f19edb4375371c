//! Flussi: building flows, submitting them to MyPay, their timeline and rejected rows.
//!
//! Building and submitting run on a blocking thread with a desk of their own
//! ([`super::connessione::in_background`]); submission reports each persisted step and the
//! upload progress over a [`Channel`] and stops between steps when `flussi_annulla` is called
//! (the flow resumes from where it stopped on the next submission).

use std::sync::atomic::Ordering;

use mpd_client::sync::submit::FlowOutcome;
use mpd_client::{Event, SyncError};
use mpd_core::FlussoRecord;
use mpd_core::flows::BuildReport;
use mpd_store::AuditEntry;
use serde::Serialize;
use tauri::ipc::Channel;

use super::connessione::{self, StatoConnessione};
use super::{DeskState, ErroreUi, with_desk};

/// Versions of the tracciato a flow can be built in.
const VERSIONI: [&str; 5] = ["1_0", "1_1", "1_2", "1_3", "1_4"];
/// Most flows one submission may name.
const MAX_FLUSSI: usize = 1000;

/// A flow as the list shows it.
#[derive(Serialize)]
pub struct FlussoRiga {
    pub id: i64,
    pub nome: String,
    /// FlussoStato code: built authorised uploaded processing done aborted.
    pub stato: &'static str,
    pub etichetta: &'static str,
    pub versione: String,
    pub righe: i64,
    pub caricate: i64,
    pub scartate: i64,
    pub creato_at: String,
    pub aggiornato_at: String,
    /// File-level refusal explained in Italian.
    pub esito_messaggio: Option<String>,
    /// The state MyPay last reported (LOAD_IMPORT, IMPORT_IN_ELAB…).
    pub stato_mypay: Option<String>,
    /// The last failed step (network, MyPay down) and how many times it failed.
    pub ultimo_errore: Option<String>,
    pub tentativi: i64,
}

fn riga(desk: &mpd_core::Desk, f: FlussoRecord) -> Result<FlussoRiga, ErroreUi> {
    let inv = desk
        .store()
        .invio(f.id)
        .map_err(|e| ErroreUi::from(mpd_core::CoreError::from(e)))?;
    Ok(FlussoRiga {
        id: f.id,
        nome: f.nome,
        stato: f.stato.as_str(),
        etichetta: f.stato.label_it(),
        versione: f.versione,
        righe: f.righe,
        caricate: f.righe_caricate,
        scartate: f.righe_scartate,
        creato_at: f.creato_at,
        aggiornato_at: f.aggiornato_at,
        esito_messaggio: f.esito_messaggio,
        stato_mypay: inv.stato_mypay,
        ultimo_errore: inv.ultimo_errore,
        tentativi: inv.tentativi,
    })
}

/// Every flow, newest first.
#[tauri::command]
pub fn flussi_elenco(state: tauri::State<'_, DeskState>) -> Result<Vec<FlussoRiga>, ErroreUi> {
    with_desk(&state, |desk| {
        let flows = desk.flows()?;
        flows.into_iter().map(|f| riga(desk, f)).collect()
    })
}

/// A rejected row: the clerk's source row, MyPay's code and the Italian explanation.
#[derive(Serialize)]
pub struct Scarto {
    /// Row of the flow file.
    pub riga: i64,
    pub iud: String,
    /// Row of the clerk's sheet the debt came from, if imported.
    pub sorgente_riga: Option<i64>,
    pub codice: Option<String>,
    pub spiegazione: String,
    /// The debt's state now (rejected until fixed; ready once corrected).
    pub stato_dovuto: Option<&'static str>,
}

/// A flow with its recorded steps (for the timeline) and its rejected rows.
#[derive(Serialize)]
pub struct DettaglioFlusso {
    pub flusso: FlussoRiga,
    /// Audit entries of the flow, oldest first (`flusso.autorizzato`, `flusso.caricato`,
    /// `flusso.in_elaborazione`, `flusso.esito`, `flusso.rifiutato`).
    pub eventi: Vec<AuditEntry>,
    pub scarti: Vec<Scarto>,
}

/// One flow: its timeline events and its rejected rows with their explanation.
#[tauri::command]
pub fn flussi_dettaglio(
    state: tauri::State<'_, DeskState>,
    id: i64,
) -> Result<DettaglioFlusso, ErroreUi> {
    if id <= 0 {
        return Err(ErroreUi::argomento("identificativo di flusso non valido"));
    }
    with_desk(&state, |desk| {
        let store_err = |e: mpd_store::StoreError| ErroreUi::from(mpd_core::CoreError::from(e));
        let f = desk
            .store()
            .flusso(&id.to_string())
            .map_err(store_err)?
            .ok_or_else(|| ErroreUi::argomento(format!("nessun flusso con id {id}")))?;
        let eventi = desk.store().audit_flusso(id).map_err(store_err)?;
        let mut scarti = Vec::new();
        for r in desk
            .store()
            .righe_flusso(id)
            .map_err(store_err)?
            .into_iter()
            .filter(|r| r.esito == "scartato")
        {
            let d = desk.store().dovuto(&r.iud).map_err(store_err)?;
            let spiegazione = d
                .as_ref()
                .and_then(|d| d.rifiuto_messaggio.clone())
                .or_else(|| r.de_rifiuto.clone())
                .unwrap_or_default();
            scarti.push(Scarto {
                riga: r.riga,
                iud: r.iud,
                sorgente_riga: r.sorgente_riga,
                codice: r.cod_rifiuto,
                spiegazione,
                stato_dovuto: d.map(|d| d.stato.as_str()),
            });
        }
        Ok(DettaglioFlusso {
            flusso: riga(desk, f)?,
            eventi,
            scarti,
        })
    })
}

fn versione(v: Option<&str>) -> Result<mpd_domain::Version, ErroreUi> {
    let v = v.unwrap_or("1_4");
    if !VERSIONI.contains(&v) {
        return Err(ErroreUi::argomento(format!(
            "versione del tracciato «{v}» sconosciuta: usa 1_0, 1_1, 1_2, 1_3 o 1_4"
        )));
    }
    mpd_domain::Version::parse(v)
        .ok_or_else(|| ErroreUi::argomento(format!("versione del tracciato «{v}» sconosciuta")))
}

/// "Prepara i flussi": one flow zip per batch of ready debts (and pending changes and
/// cancellations). No network: runs off the UI thread because a large batch takes a while.
#[tauri::command]
pub async fn flussi_prepara<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    versione: Option<String>,
) -> Result<BuildReport, ErroreUi> {
    use tauri::Manager;
    let version = self::versione(versione.as_deref())?;
    tauri::async_runtime::spawn_blocking(move || {
        let mut desk = connessione::desk_di_lavoro(&app.state::<DeskState>())?;
        Ok(desk.build_flows(version, None)?)
    })
    .await
    .map_err(|e| ErroreUi {
        codice: "stato",
        messaggio: format!("preparazione interrotta: {e}"),
    })?
}

/// What the window receives while a submission runs.
#[derive(Clone, Serialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Avanzamento {
    /// Flow `indice` (from 1) of `totale` starts.
    Flusso {
        indice: usize,
        totale: usize,
        nome: String,
    },
    /// An engine event (step persisted, transfer progress, retry, waiting for MyPay).
    Evento { evento: Event },
}

/// The outcome of a submission.
#[derive(Serialize)]
pub struct EsitoInvio {
    pub flussi_preparati: usize,
    pub flussi: Vec<FlowOutcome>,
    pub errori: Vec<String>,
    /// The clerk cancelled: what was done is saved, the rest resumes next time.
    pub annullato: bool,
}

/// "Invia a MyPay": submits the given flows (default: every unfinished one, oldest first) to
/// their outcome; with `prepara`, builds flows from ready debts first (the "re-send" of
/// corrected rows). Progress goes to `avanzamento`; `flussi_annulla` stops it between steps.
#[tauri::command]
pub async fn flussi_invia<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    stato: tauri::State<'_, StatoConnessione>,
    ids: Option<Vec<i64>>,
    prepara: Option<bool>,
    avanzamento: Channel<Avanzamento>,
) -> Result<EsitoInvio, ErroreUi> {
    if let Some(ids) = &ids
        && (ids.len() > MAX_FLUSSI || ids.iter().any(|&i| i <= 0))
    {
        return Err(ErroreUi::argomento("elenco di flussi non valido"));
    }
    let cancel = connessione::flag_azzerato(&stato.annulla_flussi);
    connessione::in_background(app, true, move |desk, conn| {
        let mut esito = EsitoInvio {
            flussi_preparati: 0,
            flussi: Vec::new(),
            errori: Vec::new(),
            annullato: false,
        };
        if prepara.unwrap_or(false) {
            esito.flussi_preparati = desk
                .build_flows(mpd_domain::Version::V1_4, None)?
                .flussi
                .len();
        }
        let da_inviare: Vec<FlussoRecord> = match &ids {
            Some(ids) => {
                let mut v = Vec::new();
                for id in ids {
                    match desk.store().flusso(&id.to_string()) {
                        Ok(Some(f)) => v.push(f),
                        Ok(None) => esito.errori.push(format!("nessun flusso con id {id}")),
                        Err(e) => esito.errori.push(e.to_string()),
                    }
                }
                v
            }
            None => desk
                .store()
                .flussi_in_corso()
                .map_err(|e| ErroreUi::from(mpd_core::CoreError::from(e)))?,
        };
        let totale = da_inviare.len();
        let canale = avanzamento.clone();
        let mut on_event = move |e: &Event| {
            let _ = canale.send(Avanzamento::Evento { evento: e.clone() });
        };
        let mut engine = conn.engine(desk, &mut on_event).with_cancel(cancel.clone());
        for (i, f) in da_inviare.iter().enumerate() {
            if cancel.load(Ordering::SeqCst) {
                esito.annullato = true;
                break;
            }
            let _ = avanzamento.send(Avanzamento::Flusso {
                indice: i + 1,
                totale,
                nome: f.nome.clone(),
            });
            match engine.submit_flow(f.id) {
                Ok(o) => esito.flussi.push(o),
                Err(SyncError::Annullato) => {
                    esito.annullato = true;
                    break;
                }
                Err(e) => esito.errori.push(format!("flusso {}: {e}", f.nome)),
            }
        }
        Ok(esito)
    })
    .await
}

/// Stops the running submission at the next safe point.
#[tauri::command]
pub fn flussi_annulla(stato: tauri::State<'_, StatoConnessione>) {
    stato.annulla_flussi.store(true, Ordering::SeqCst);
}

/// The window's MyPay path through the real IPC (MockRuntime) against the embedded demo
/// emulator: build, submit with a progress channel, timeline, simulated payments, receipts,
/// Home's last sync, the counter; and the connection dropped and reopened.
#[cfg(test)]
mod ipc {
    use serde_json::json;
    use tauri::Manager;
    use tauri::WebviewWindow;
    use tauri::test::MockRuntime;

    use crate::commands::DeskState;
    use crate::commands::connessione::{StatoConnessione, invalida};
    use crate::commands::prova_ipc::chiama_json as call;

    fn finestra(db: &std::path::Path) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
        crate::commands::prova_ipc::finestra(db, 12)
    }

    #[test]
    fn build_submit_pay_download_and_counter_through_the_ipc() {
        let dir = tempfile::tempdir().unwrap();
        let (app, w) = finestra(&dir.path().join("desk.sqlite"));
        // setup_demo leaves drafts and ready debts: mark them all ready.
        {
            let state = app.state::<DeskState>();
            let mut g = state.0.lock().unwrap();
            g.as_mut().unwrap().mark_ready(&[]).unwrap();
        }

        let info = call(&w, "connessione_info", json!({})).unwrap();
        assert_eq!(info["ambiente"], "demo");
        assert_eq!(info["password_da"], "password dell'ambiente dimostrativo");

        let built = call(&w, "flussi_prepara", json!({})).unwrap();
        assert_eq!(built["flussi"].as_array().unwrap().len(), 1, "{built}");
        assert!(call(&w, "flussi_prepara", json!({ "versione": "9_9" })).is_err());

        let sent = call(
            &w,
            "flussi_invia",
            json!({ "avanzamento": "__CHANNEL__:1" }),
        )
        .unwrap();
        assert_eq!(sent["annullato"], false, "{sent}");
        assert_eq!(sent["errori"], json!([]), "{sent}");
        assert_eq!(sent["flussi"][0]["stato"], "done", "{sent}");

        let list = call(&w, "flussi_elenco", json!({})).unwrap();
        let f = &list[0];
        assert_eq!(f["stato"], "done");
        let d = call(&w, "flussi_dettaglio", json!({ "id": f["id"] })).unwrap();
        let azioni: Vec<&str> = d["eventi"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["azione"].as_str().unwrap())
            .collect();
        assert!(azioni.contains(&"flusso.autorizzato"), "{azioni:?}");
        assert!(azioni.contains(&"flusso.caricato"), "{azioni:?}");
        assert!(azioni.contains(&"flusso.esito"), "{azioni:?}");

        let paid = call(&w, "demo_simula_pagamenti", json!({ "quota": 0.5 })).unwrap();
        assert!(paid["pagati"].as_u64().unwrap() > 0, "{paid}");
        assert!(call(&w, "demo_simula_pagamenti", json!({ "quota": 2.0 })).is_err());

        let home = call(&w, "panoramica", json!({})).unwrap();
        assert!(home["ultima_sincronizzazione"].is_null());
        let got = call(
            &w,
            "ricevute_scarica",
            json!({ "avanzamento": "__CHANNEL__:2" }),
        )
        .unwrap();
        assert_eq!(got["esito"]["riepilogo"]["nuove"], paid["pagati"], "{got}");
        let receipts = call(&w, "ricevute_elenco", json!({})).unwrap();
        let receipts = receipts.as_array().unwrap();
        assert_eq!(Some(receipts.len() as u64), paid["pagati"].as_u64());
        assert!(receipts.iter().all(|r| r["esito"] == "pagato"));
        let detail = call(&w, "ricevute_dettaglio", json!({ "id": receipts[0]["id"] })).unwrap();
        assert!(
            detail["rt_base64"].as_str().is_some_and(|s| !s.is_empty()),
            "{detail}"
        );
        let home = call(&w, "panoramica", json!({})).unwrap();
        assert!(
            home["ultima_sincronizzazione"]
                .as_str()
                .is_some_and(|s| s.contains('/'))
        );

        let xlsx = dir.path().join("ricevute.xlsx");
        let n = call(&w, "ricevute_esporta", json!({ "percorso": xlsx })).unwrap();
        assert_eq!(Some(n.as_u64().unwrap()), paid["pagati"].as_u64());
        assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
        assert!(
            call(
                &w,
                "ricevute_esporta",
                json!({ "percorso": "relativo.xlsx" })
            )
            .is_err()
        );

        // The counter: created with its IUV and notice, found by CF, changed, cancelled.
        let scadenza = (chrono::Local::now().date_naive() + chrono::Days::new(30))
            .format("%d/%m/%Y")
            .to_string();
        let c = call(
            &w,
            "sportello_crea",
            json!({ "dovuto": {
                "codice_pagatore": "RSSMRA80A01H501U", "anagrafica": "Mario Rossi",
                "importo": "12,50", "tipo": "TARI", "causale": "TARI allo sportello",
                "scadenza": scadenza } }),
        )
        .unwrap();
        assert_eq!(c["iuv"].as_str().unwrap().len(), 17, "{c}");
        assert!(
            c["pdf"]
                .as_str()
                .is_some_and(|p| std::path::Path::new(p).exists()),
            "{c}"
        );
        let bad = call(
            &w,
            "sportello_crea",
            json!({ "dovuto": { "codice_pagatore": "RSSMRA80A01H501X", "anagrafica": "X", "importo": "1,00", "tipo": "TARI" } }),
        )
        .unwrap_err();
        assert_eq!(bad["codice"], "non_valido", "{bad}");
        let found = call(
            &w,
            "sportello_cerca",
            json!({ "codice": "rssmra80a01h501u" }),
        )
        .unwrap();
        assert!(
            found["aperte"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["iud"] == c["iud"]),
            "{found}"
        );
        assert_eq!(found["pagamenti_mypay"]["pagamenti"], json!([]), "{found}");
        assert!(
            found["pagamenti_mypay"]["controllati"].as_u64().unwrap() >= 1,
            "{found}"
        );
        let m = call(
            &w,
            "sportello_modifica",
            json!({ "iud": c["iud"], "dovuto": { "importo": "20,00" } }),
        )
        .unwrap();
        assert_eq!(m["iuv"], c["iuv"]);
        call(&w, "sportello_annulla", json!({ "iud": c["iud"] })).unwrap();
        assert!(call(&w, "sportello_cerca", json!({ "codice": "RSSMRA" })).is_err());

        // Dropped (as Impostazioni does after a change) and reopened on the next command.
        invalida(&app.state::<StatoConnessione>());
        let info = call(&w, "connessione_info", json!({})).unwrap();
        assert_eq!(info["demo"], true);
    }
}
