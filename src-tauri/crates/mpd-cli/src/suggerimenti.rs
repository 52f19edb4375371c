//! The CLI's own hint after an error: the command or flag that does what the message asks.
//!
//! The library's messages (mpd-app and below) say what is wrong and what to do in words that fit
//! both front ends; the command that does it is named here, chosen by the error's
//! [`Codice`]. The window has its own hints (a screen, a button) in `ui/src/suggerimenti.ts`.

use mpd_app::{Codice, Errore};

use crate::Cli;

/// The hint for a code, if the CLI has a command for it. `AMBIENTE` stands for the
/// environment (filled in by [`suggerimento`] when `--env` was given).
pub fn suggerimento_cli(codice: Codice) -> Option<&'static str> {
    Some(match codice {
        Codice::EnteMancante => "«mypay-desk ente set <file.toml>» carica il profilo dell'Ente",
        Codice::ProfiloEnte => {
            "«mypay-desk ente set <file.toml>» carica il profilo corretto; «mypay-desk ente check» dice cosa manca"
        }
        Codice::DovutoDuplicato => {
            "«mypay-desk counter new … --anche-se-duplicato» crea comunque un altro dovuto"
        }
        Codice::CartellaDati => "«--db PATH» indica il file del database",
        Codice::Impostazioni => {
            "«mypay-desk connection set --env AMBIENTE --base-url URL --platform mypay|aria|pu» imposta \
             l'ambiente, il suo indirizzo e la piattaforma (o, per un solo comando, «--env AMBIENTE \
             --base-url URL --platform …»)"
        }
        Codice::PasswordMancante => {
            "«mypay-desk credentials set» salva la password (la legge dallo standard input); \
             per l'automazione c'è la variabile MYPAY_DESK_PASSWORD"
        }
        Codice::Portachiavi => {
            "senza portachiavi, «mypay-desk credentials set» non può salvare la password: la fornisce \
             la variabile d'ambiente MYPAY_DESK_PASSWORD (per l'automazione); MYPAY_DESK_LOG=warn \
             mostra il dettaglio dell'errore"
        }
        Codice::ChiaveArchivio => {
            "la variabile d'ambiente MYPAY_DESK_DB_PASSPHRASE fornisce la frase segreta dell'archivio \
             o la sua chiave di ripristino (quella che «mypay-desk archive key» stampa sul computer \
             dove l'archivio è stato cifrato)"
        }
        Codice::PortachiaviArchivio => {
            "senza portachiavi, la frase segreta dell'archivio va data nella variabile d'ambiente \
             MYPAY_DESK_DB_PASSPHRASE (almeno 12 caratteri; la stessa a ogni comando); \
             «mypay-desk archive show» dice come è protetto l'archivio"
        }
        Codice::CredenzialiPu => {
            "«mypay-desk connection set --platform pu --client-id ID» imposta l'identificativo del client, \
             «mypay-desk credentials set» salva il segreto (per l'automazione: MYPAY_DESK_CLIENT_ID e \
             MYPAY_DESK_CLIENT_SECRET)"
        }
        Codice::PasswordRifiutata => {
            "«mypay-desk credentials set» reimposta la password; «mypay-desk ente show» mostra il codice IPA"
        }
        Codice::MypayNonRaggiunto => "«mypay-desk sync» riprende il lavoro in coda",
        Codice::EsitoIncerto => {
            "«mypay-desk counter lookup CODICE_FISCALE» mostra le posizioni del pagatore su MyPay"
        }
        Codice::Rinviato => "«mypay-desk sync» invia la modifica a MyPay",
        Codice::FileGiaImportato => {
            "«mypay-desk debts list --cerca CODICE_FISCALE» mostra i dovuti già in archivio; \
             se sono davvero altri dovuti, «mypay-desk debts import FILE --anche-duplicati» li importa"
        }
        _ => return None,
    })
}

/// The hint for a problem of an imported row, by the problem's code (the messages of the
/// findings name no flag either).
pub fn suggerimento_problema(codice: &str) -> Option<&'static str> {
    Some(match codice {
        "MPD_COLONNA_MANCANTE" => {
            "«--mapping CAMPO=COLONNA» indica la colonna di un campo (es. importo=C); \
             «--tipo CODICE» il tipo dovuto di tutte le righe"
        }
        "MPD_DUPLICATO_NEL_FILE" | "MPD_DUPLICATO_IN_ARCHIVIO" => {
            "se le righe uguali sono davvero altri dovuti, «--anche-duplicati» le importa come pronte"
        }
        "MPD_AZIONE_NON_IMPORTABILE" => {
            "«mypay-desk debts edit IUD» modifica un dovuto già presente, «mypay-desk debts cancel IUD» lo annulla"
        }
        _ => return None,
    })
}

/// The hint for a code, with the environment given on the command line filled in.
pub fn suggerimento(cli: &Cli, codice: Codice) -> Option<String> {
    let testo = suggerimento_cli(codice)?;
    Some(match cli.remote.env.as_deref().map(str::trim) {
        Some(env) if !env.is_empty() => testo.replace("AMBIENTE", env),
        _ => testo.to_string(),
    })
}

/// The coded error `e` carries, when it is one of the library's errors (an [`Errore`], or an
/// error of the layers below, converted as mpd-app converts it). Takes `e`: the caller prints
/// its message (with its context) first.
pub fn errore_codificato(e: anyhow::Error) -> Option<Errore> {
    macro_rules! prova {
        ($e:ident, $t:ty) => {
            match $e.downcast::<$t>() {
                Ok(x) => return Some(Errore::from(x)),
                Err(altro) => altro,
            }
        };
    }
    let e = prova!(e, Errore);
    let e = prova!(e, mpd_core::CoreError);
    let e = prova!(e, mpd_client::SyncError);
    let e = prova!(e, mpd_client::ApiError);
    let e = prova!(e, mpd_client::credentials::CredentialError);
    let _ = prova!(e, mpd_client::config::ConfigError);
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_errors_get_the_hint_of_their_code() {
        let e = anyhow::Error::new(mpd_core::CoreError::NoEnte).context("lettura del profilo");
        let errore = errore_codificato(e).unwrap();
        assert_eq!(errore.codice, Codice::EnteMancante);
        assert!(
            suggerimento_cli(errore.codice)
                .unwrap()
                .contains("ente set")
        );
        let e = anyhow::Error::new(Errore::new(Codice::Rinviato, "x"));
        assert_eq!(errore_codificato(e).unwrap().codice, Codice::Rinviato);
        assert!(errore_codificato(anyhow::anyhow!("altro")).is_none());
        assert!(
            suggerimento_cli(Codice::PasswordMancante)
                .unwrap()
                .contains("MYPAY_DESK_PASSWORD")
        );
    }

    #[test]
    fn the_environment_given_is_filled_in() {
        use clap::Parser;
        let cli = Cli::parse_from(["mypay-desk", "--env", "collaudo", "sync"]);
        let s = suggerimento(&cli, Codice::Impostazioni).unwrap();
        assert!(
            s.contains("connection set --env collaudo --base-url URL"),
            "{s}"
        );
        let cli = Cli::parse_from(["mypay-desk", "sync"]);
        let s = suggerimento(&cli, Codice::Impostazioni).unwrap();
        assert!(s.contains("--env AMBIENTE"), "{s}");
    }

    #[test]
    fn no_hint_names_the_window() {
        for c in Codice::TUTTI {
            if let Some(s) = suggerimento_cli(c) {
                assert!(s.contains("«mypay-desk ") || s.contains("«--"), "{c}: {s}");
                assert!(
                    !s.contains("schermata") && !s.contains("pulsante"),
                    "{c}: {s}"
                );
            }
        }
    }
}
