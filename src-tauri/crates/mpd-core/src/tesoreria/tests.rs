//! A treasury journal into the store and the states that follow: imported, again, corrected,
//! a storno with and without its entry, a bad row; the example FdR cashed.

use std::path::PathBuf;

use mpd_domain::incasso::EsitoMovimento;
use mpd_domain::riconciliazione::Stato;
use mpd_store::NewRicevuta;
use mpd_store::tesoreria::EsitoGiornale;

use super::*;

const IUF: &str = "2024-05-14BCITITMM-S240514000123";

fn fdr() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../mpd-tracciato/testdata/fdr/fdr-esempio.xml")
}

fn desk(giorno: u32) -> Desk {
    let mut desk = Desk::in_memory().unwrap().with_now(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2024, 5, giorno, 9, 0, 0).unwrap(),
    );
    let now = desk.now();
    let r = |iuv: &str, iur: &str, cents: i64| NewRicevuta {
        iuv: iuv.into(),
        iur: iur.into(),
        importo_cents: cents,
        data_esito: "2024-05-13".into(),
        esito: "0".into(),
        ..Default::default()
    };
    desk.store
        .upsert_ricevute(
            [
                r("01240000000012345", "BCITITMM240513A0000001", 15000),
                r("01240000000012346", "BCITITMM240513A0000002", 4850),
                r("01240000000099999", "X1", 8000),
            ],
            now,
        )
        .unwrap();
    desk.importa_fdr(&[fdr()]).unwrap();
    desk
}

fn scrivi(dir: &Path, nome: &str, testo: &str) -> PathBuf {
    let p = dir.join(nome);
    std::fs::write(&p, testo).unwrap();
    p
}

const CSV: &str = "anno;numero;data_contabile;ordinante;causale;importo;data_valuta\n\
2024;1523;2024-05-15;BANCA ESEMPIO SPA;/PUR/LGPE-RIVERSAMENTO/URI/2024-05- 14BCITITMM-S240514000123;223.50;2024-05-15\n\
2024;1524;2024-05-15;ROSSI MARIO;/RFB/01240000000099999/80.00/TXT/TARI 2024;80.00;2024-05-15\n\
2024;1525;2024-05-15;VERDI SRL;BONIFICO FATTURA 12;1200.00;2024-05-15\n";

#[test]
fn csv_imported_again_and_corrected_then_everything_cashed() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(20);
    let f = scrivi(dir.path(), "giornale.csv", CSV);
    let e = desk.importa_tesoreria(&f, None, &[]).unwrap();
    assert_eq!(
        (
            e.formato,
            e.riconosciuto,
            e.movimenti,
            e.salvataggio.aggiunti
        ),
        (Formato::Csv, true, 3, 3)
    );
    let e = desk.importa_tesoreria(&f, Some(Formato::Csv), &[]).unwrap();
    assert_eq!(
        (e.salvataggio.esito, e.salvataggio.aggiunti),
        (EsitoGiornale::GiaPresente, 0)
    );
    let r = desk.riconcilia().unwrap();
    let stati: Vec<(String, Stato)> = r
        .pagamenti
        .iter()
        .map(|p| {
            (
                p.ricevuta
                    .as_ref()
                    .map_or_else(|| p.righe[0].iuv.clone(), |r| r.iuv.clone()),
                p.stato,
            )
        })
        .collect();
    assert_eq!(
        stati,
        [
            ("01240000000099999".to_string(), Stato::Incassato),
            ("01240000000012346".to_string(), Stato::Incassato),
            ("01240000000012345".to_string(), Stato::Incassato),
            ("01240000000012347".to_string(), Stato::Incassato),
        ]
    );
    assert_eq!(r.pagamenti[2].movimenti[0].bolletta, "1523");
    assert_eq!(r.flussi[0].incasso.importo_tesoreria_cents, Some(22350));
    let esiti: Vec<EsitoMovimento> = r.movimenti.iter().map(|m| m.esito).collect();
    assert_eq!(
        esiti,
        [
            EsitoMovimento::Abbinato,
            EsitoMovimento::Abbinato,
            EsitoMovimento::SenzaRiferimento
        ]
    );
    assert_eq!(r.movimenti[0].iuf_abbinato.as_deref(), Some(IUF));
    assert!(
        r.movimenti[0]
            .movimento
            .lettura
            .contains("spazio nella data rimosso")
    );
    // The bank corrects the day: 223.00 instead of 223.50, the unrelated transfer gone.
    let corretto = scrivi(
        dir.path(),
        "giornale-corretto.csv",
        &CSV.replace(";223.50;", ";223.00;")
            .lines()
            .take(3)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let e = desk.importa_tesoreria(&corretto, None, &[]).unwrap();
    assert_eq!(
        (
            e.salvataggio.esito,
            e.salvataggio.sostituiti,
            e.salvataggio.rimossi
        ),
        (EsitoGiornale::Sostituito, 1, 1)
    );
    let r = desk.riconcilia().unwrap();
    assert_eq!(r.pagamenti[2].stato, Stato::IncassoDiverso);
    assert!(
        r.pagamenti[2]
            .motivo
            .contains("la tesoreria ha incassato 223,00 €"),
        "{}",
        r.pagamenti[2].motivo
    );
    assert_eq!(r.movimenti.len(), 2);
}

#[test]
fn not_cashed_after_the_days_and_the_days_are_settings() {
    let desk = desk(30);
    let r = desk.riconcilia().unwrap();
    assert!(
        r.pagamenti
            .iter()
            .all(|p| matches!(p.stato, Stato::NonIncassato | Stato::NonRendicontato)),
        "{:?}",
        r.pagamenti.iter().map(|p| p.stato).collect::<Vec<_>>()
    );
    let mut desk = desk;
    let mut regole = desk.regole_incasso().unwrap();
    assert_eq!(regole.giorni_incasso, 10);
    regole.giorni_incasso = 30;
    regole.giorni_rendicontazione = 30;
    desk.imposta_regole_incasso(regole).unwrap();
    assert_eq!(desk.regole_incasso().unwrap(), regole);
    let r = desk.riconcilia().unwrap();
    assert_eq!(r.pagamenti[0].stato, Stato::Pagato);
    regole.giorni_incasso = -1;
    assert!(desk.imposta_regole_incasso(regole).is_err());
}

#[test]
fn opi_storno_with_and_without_its_entry() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(20);
    let mov = |op: &str, bolletta: &str, causale: &str| {
        format!(
            "<movimento_conto_evidenza><tipo_movimento>ENTRATA</tipo_movimento><tipo_documento>SOSPESO ENTRATA</tipo_documento>\
<tipo_operazione>{op}</tipo_operazione><importo>223.50</importo><numero_bolletta_quietanza>{bolletta}</numero_bolletta_quietanza>\
<data_movimento>2024-05-15</data_movimento><cliente><anagrafica_cliente>BANCA</anagrafica_cliente></cliente><causale>{causale}</causale>\
</movimento_conto_evidenza>"
        )
    };
    let opi = |id: &str, movimenti: &str| {
        format!(
            "<flusso_giornale_di_cassa><identificativo_flusso_BT>{id}</identificativo_flusso_BT><esercizio>2024</esercizio>\
<informazioni_conto_evidenza>{movimenti}</informazioni_conto_evidenza></flusso_giornale_di_cassa>"
        )
    };
    let primo = scrivi(
        dir.path(),
        "gdc1.xml",
        &opi(
            "GDC1",
            &mov(
                "ESEGUITO",
                "301",
                &format!("/PUR/LGPE-RIVERSAMENTO/URI/{IUF}"),
            ),
        ),
    );
    desk.importa_tesoreria(&primo, None, &[]).unwrap();
    assert_eq!(
        desk.riconcilia().unwrap().pagamenti[2].stato,
        Stato::Incassato
    );
    let storno = scrivi(
        dir.path(),
        "gdc2.xml",
        &opi(
            "GDC2",
            &[
                mov("STORNATO", "301", "STORNO"),
                mov("STORNATO", "999", "STORNO"),
            ]
            .concat(),
        ),
    );
    let e = desk
        .importa_tesoreria(&storno, Some(Formato::Opi), &[])
        .unwrap();
    assert_eq!((e.storni, e.salvataggio.stornati), (2, 1));
    assert_eq!(e.salvataggio.storni_mancanti[0].bolletta, "999");
    let r = desk.riconcilia().unwrap();
    assert!(r.movimenti.is_empty());
    assert_eq!(r.pagamenti[2].stato, Stato::Rendicontato);
}

#[test]
fn a_bad_row_stores_nothing_and_formats_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(20);
    let f = scrivi(
        dir.path(),
        "rotto.csv",
        &CSV.replace(";80.00;", ";ottanta;"),
    );
    let e = desk.importa_tesoreria(&f, None, &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "rotto.csv: riga 3, «importo»: «ottanta» non è un importo: si aspetta ad esempio 1.234,56 oppure 1234.56. Nessun movimento è stato importato"
    );
    assert!(desk.riconcilia().unwrap().movimenti.is_empty());
    let f = scrivi(dir.path(), "g.csv", CSV);
    let e = desk
        .importa_tesoreria(&f, Some(Formato::Xls), &[])
        .unwrap_err();
    assert!(e.to_string().contains("non è un file Excel"), "{e}");
    let e = desk
        .importa_tesoreria(&f, Some(Formato::Opi), &[])
        .unwrap_err();
    assert!(
        e.to_string().contains("non è un giornale di cassa OPI") || e.to_string().contains("XML"),
        "{e}"
    );
    let e = desk
        .importa_tesoreria(
            &scrivi(dir.path(), "x.xml", "<a/>"),
            None,
            &["importo=F".into()],
        )
        .unwrap_err();
    assert!(
        e.to_string().contains("solo per il giornale di cassa CSV"),
        "{e}"
    );
}

#[test]
fn bank_workbook_through_mpd_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(20);
    let path = dir.path().join("movimenti.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("MOVIMENTI").unwrap();
    let intest = [
        "ABI",
        "CAB",
        "CONTO",
        "DIVISA",
        "DATA_CONTABILE",
        "DATA_VALUTA",
        "IMPORTO",
        "SEGNO",
        "CAUSALE",
        "NUM__ASSEGNO",
        "RIF__BANCA",
        "RIF__CLIENTE",
        "DESCRIZIONE",
        "DESCRIZIONE_ESTESA",
    ];
    for (c, h) in intest.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let data = chrono::NaiveDate::from_ymd_opt(2024, 5, 15).unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    ws.write_date_with_format(1, 4, data, &fmt).unwrap();
    ws.write_number(1, 6, 223.5).unwrap();
    ws.write_string(1, 7, "+").unwrap();
    ws.write_string(1, 13, format!("Descrizione Ordinante: BANCA ESEMPIO SPA :RI3:/PUR/LGPE-RIVERSAMENTO/URI/{IUF} :SEC:CASH")).unwrap();
    ws.write_date_with_format(2, 4, data, &fmt).unwrap();
    ws.write_number(2, 6, 5.0).unwrap();
    ws.write_string(2, 7, "-").unwrap();
    wb.save(&path).unwrap();
    let e = desk.importa_tesoreria(&path, None, &[]).unwrap();
    assert_eq!(
        (e.formato, e.movimenti, e.ignorate.len()),
        (Formato::Xls, 1, 1)
    );
    let r = desk.riconcilia().unwrap();
    assert_eq!(r.pagamenti[2].stato, Stato::Incassato);
    assert_eq!(r.movimenti[0].movimento.data_contabile, "2024-05-15");
}
