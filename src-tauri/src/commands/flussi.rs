//! Flussi: building flows, submitting them to MyPay, their timeline and rejected rows
//! (`mpd_app::flussi`). Building and submitting run off the window's thread; submission reports
//! over a [`Channel`] and stops between steps when `flussi_annulla` is called.

use mpd_app::flussi::{
    self, Avanzamento, DaInviare, DettaglioFlusso, EsitoInvio, FlussoRiga, Preparazione,
    RichiestaInvio,
};
use mpd_app::{Lavoro, Risultato};
use tauri::State;
use tauri::ipc::Channel;

use super::StatoApp;
use super::connessione::{StatoConnessione, flag_azzerato, lavoro};

#[tauri::command]
pub fn flussi_elenco(app: State<'_, StatoApp>) -> Risultato<Vec<FlussoRiga>> {
    flussi::elenco(&app)
}

#[tauri::command]
pub fn flussi_dettaglio(app: State<'_, StatoApp>, id: i64) -> Risultato<DettaglioFlusso> {
    flussi::dettaglio(&app, &id.to_string())
}

#[tauri::command]
pub fn flussi_da_inviare(app: State<'_, StatoApp>) -> Risultato<DaInviare> {
    flussi::da_inviare(&app)
}

#[tauri::command]
pub async fn flussi_prepara(
    app: State<'_, StatoApp>,
    versione: Option<String>,
    tipo: Option<String>,
) -> Risultato<Preparazione> {
    lavoro(&app, move |a| {
        flussi::prepara(a, versione.as_deref(), None, tipo.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn flussi_invia(
    app: State<'_, StatoApp>,
    stato: State<'_, StatoConnessione>,
    richiesta: RichiestaInvio,
    avanzamento: Channel<Avanzamento>,
) -> Risultato<EsitoInvio> {
    let annulla = flag_azzerato(&stato.annulla_flussi);
    lavoro(&app, move |a| {
        let l = Lavoro::new(|e| drop(avanzamento.send(e)), annulla);
        flussi::invia(a, &richiesta, &l)
    })
    .await
}

/// Stops the running submission at the next safe point.
#[tauri::command]
pub fn flussi_annulla(stato: State<'_, StatoConnessione>) {
    stato
        .annulla_flussi
        .store(true, std::sync::atomic::Ordering::SeqCst);
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
        mpd_core::Desk::open(
            Some(&dir.path().join("desk.sqlite")),
            &mpd_core::testing::chiave(),
        )
        .unwrap()
        .mark_ready(&[])
        .unwrap();

        let info = call(&w, "connessione_info", json!({})).unwrap();
        assert_eq!(info["ambiente"], "demo");
        assert_eq!(info["password_da"], "password dell'ambiente dimostrativo");

        let built = call(&w, "flussi_prepara", json!({})).unwrap();
        assert_eq!(built["flussi"].as_array().unwrap().len(), 1, "{built}");
        assert!(call(&w, "flussi_prepara", json!({ "versione": "9_9" })).is_err());

        let sent = call(
            &w,
            "flussi_invia",
            json!({ "richiesta": {}, "avanzamento": "__CHANNEL__:1" }),
        )
        .unwrap();
        assert_eq!(sent["annullato"], false, "{sent}");
        assert_eq!(sent["riepilogo"]["livello"], "successo", "{sent}");
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
                "scadenza": scadenza }, "ancheSeDuplicato": false }),
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
            json!({ "dovuto": { "codice_pagatore": "RSSMRA80A01H501X", "anagrafica": "X", "importo": "1,00", "tipo": "TARI" }, "ancheSeDuplicato": false }),
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

    /// Runs the CLI on the same database and returns (exit code, stdout, stderr).
    fn cli(db: &std::path::Path, args: &[&str]) -> (i32, String, String) {
        let mut argv = vec!["mypay-desk", "--db", db.to_str().unwrap()];
        argv.extend_from_slice(args);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = mpd_cli::run_con_frase_archivio(
            argv.iter().map(Into::into).collect(),
            &mut out,
            &mut err,
            Some(mpd_core::testing::CHIAVE_DI_PROVA.into()),
        );
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    /// Issue 12: a flow's rejected rows fell back to MyPay's own text only in the window, so
    /// once the clerk corrected a rejected debt the CLI showed the row with no explanation.
    /// Both now read the same operation.
    #[test]
    fn the_cli_and_the_window_explain_a_corrected_rejected_row_alike() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.sqlite");
        let (_app, w) = crate::commands::prova_ipc::finestra(&db, 0);
        // The demo emulator learns the Ente's payment types when it starts, here.
        call(&w, "connessione_info", json!({})).unwrap();
        // A payment type added locally afterwards is unknown to MyPay: its row is rejected.
        {
            let mut desk = mpd_core::Desk::open(Some(&db), &mpd_core::testing::chiave()).unwrap();
            let ente = desk.require_ente().unwrap();
            let mut tipi = mpd_core::synth::tipi_demo();
            let mut ignoto = tipi[0].clone();
            ignoto.codice = "IGNOTO_A_MYPAY".into();
            tipi.push(ignoto);
            let now = desk.now();
            desk.store_mut().save_ente(&ente, "{}", &tipi, now).unwrap();
        }
        let scadenza = (chrono::Local::now().date_naive() + chrono::Days::new(30))
            .format("%d/%m/%Y")
            .to_string();
        let (code, out, err) = cli(
            &db,
            &[
                "--json",
                "debts",
                "add",
                "--cf",
                "RSSMRA80A01H501U",
                "--nome",
                "Mario Rossi",
                "--importo",
                "12,50",
                "--tipo",
                "IGNOTO_A_MYPAY",
                "--causale",
                "Prova",
                "--scadenza",
                &scadenza,
            ],
        );
        assert_eq!(code, 0, "{out}{err}");
        fn iud(v: &serde_json::Value) -> Option<String> {
            match v {
                serde_json::Value::Object(m) => m
                    .get("iud")
                    .and_then(|i| i.as_str().map(String::from))
                    .or_else(|| m.values().find_map(iud)),
                _ => None,
            }
        }
        let iud = iud(&serde_json::from_str(&out).unwrap()).expect(&out);
        let sent = call(
            &w,
            "flussi_invia",
            json!({ "richiesta": { "prepara": true }, "avanzamento": "__CHANNEL__:1" }),
        )
        .unwrap();
        assert_eq!(sent["flussi"][0]["scartate"], 1, "{sent}");
        assert_eq!(sent["riepilogo"]["livello"], "avviso", "{sent}");
        let id = sent["flussi"][0]["id"].as_i64().unwrap();

        // The clerk corrects the debt: our explanation is cleared, MyPay's text remains.
        let (code, out, err) = cli(&db, &["debts", "edit", &iud, "--tipo", "TARI"]);
        assert_eq!(code, 0, "{out}{err}");

        let finestra = call(&w, "flussi_dettaglio", json!({ "id": id })).unwrap();
        let spiegazione = finestra["scarti"][0]["spiegazione"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(!spiegazione.is_empty(), "{finestra}");
        let (code, out, err) = cli(&db, &["--json", "flow", "status", &id.to_string()]);
        assert_eq!(code, 0, "{out}{err}");
        let riga = serde_json::from_str::<serde_json::Value>(&out).unwrap();
        assert_eq!(riga[0]["scarti"], finestra["scarti"], "{out}");
        let (_, testo, _) = cli(&db, &["flow", "status", &id.to_string()]);
        assert!(testo.contains(&spiegazione), "{testo}");
    }
}
