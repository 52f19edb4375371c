//! The upkeep a very large load leaves behind: the debts' secondary indexes and their search
//! index, built in small steps (see `mpd_store::ricerca`). The window runs it on a thread of
//! its own after an import and at start; the CLI at the end of `debts import`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use mpd_store::{Manutenzione, ricerca::PASSO_RIGHE};

use crate::{Desk, Result};

/// How long a step waits for the database when another connection holds the write lock (a
/// clerk's import of a million rows holds it for several seconds), and how often it tries.
const ATTESA: Duration = Duration::from_millis(500);
const TENTATIVI: u32 = 120;

impl Desk {
    /// What the upkeep still has to do.
    pub fn manutenzione(&self) -> Result<Manutenzione> {
        Ok(self.store.manutenzione()?)
    }

    /// Runs the upkeep step by step until nothing is left or `cancel` is set, calling
    /// `progress` after each step. A step that finds the database busy waits and tries again;
    /// everything done so far is kept, so a cancelled or interrupted upkeep resumes later.
    pub fn completa_manutenzione(
        &mut self,
        cancel: Option<&AtomicBool>,
        mut progress: impl FnMut(&Manutenzione),
    ) -> Result<Manutenzione> {
        let mut stato = self.store.manutenzione()?;
        let dovuta = !stato.completa();
        let mut tentativi = 0;
        while !stato.completa() && !cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            match self.store.passo_manutenzione(PASSO_RIGHE) {
                Ok(s) => {
                    stato = s;
                    tentativi = 0;
                    progress(&stato);
                }
                Err(e) if e.occupato() && tentativi < TENTATIVI => {
                    tentativi += 1;
                    std::thread::sleep(ATTESA);
                }
                Err(e) => return Err(e.into()),
            }
        }
        if dovuta && stato.completa() {
            // The data changed a lot: the query planner's statistics follow it.
            self.store.analizza()?;
        }
        Ok(stato)
    }
}

/// Runs the upkeep on a thread of its own, one run at a time, on a connection of its own (the
/// window's). A request while a run is going makes it go round once more, so an import that
/// ends during a run is never left out.
#[derive(Clone, Default)]
pub struct Manutentore {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    in_corso: AtomicBool,
    ancora: AtomicBool,
    sospesa: AtomicBool,
    db: Mutex<Option<(PathBuf, crate::Chiave)>>,
    ultimo_errore: Mutex<Option<String>>,
}

impl Manutentore {
    /// Asks for the upkeep of the database at `db`, encrypted with `chiave`. Returns the new
    /// thread, or `None` when a run is already going (it will go round once more, on this `db`).
    pub fn richiedi(&self, db: PathBuf, chiave: crate::Chiave) -> Option<JoinHandle<()>> {
        *lock(&self.inner.db) = Some((db, chiave));
        self.inner.ancora.store(true, Ordering::SeqCst);
        if self.inner.in_corso.swap(true, Ordering::SeqCst) {
            return None;
        }
        let inner = Arc::clone(&self.inner);
        Some(std::thread::spawn(move || {
            loop {
                while inner.ancora.swap(false, Ordering::SeqCst) {
                    inner.giro();
                }
                inner.in_corso.store(false, Ordering::SeqCst);
                // A request made after the last swap saw a run going and returned: take it.
                if !inner.ancora.load(Ordering::SeqCst)
                    || inner.in_corso.swap(true, Ordering::SeqCst)
                {
                    break;
                }
            }
        }))
    }

    /// Stops a run between two steps and waits for it (within about a second: one step),
    /// and keeps runs from starting until the guard is dropped. For work that replaces the
    /// database file (restoring a backup).
    pub fn sospendi(&self) -> Sospensione<'_> {
        self.inner.sospesa.store(true, Ordering::SeqCst);
        while self.inner.in_corso.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(20));
        }
        Sospensione(self)
    }

    /// Whether a run is going.
    pub fn in_corso(&self) -> bool {
        self.inner.in_corso.load(Ordering::SeqCst)
    }

    /// The error that stopped the last run, if it failed (it is tried again at the next
    /// request; the search stays complete meanwhile, only slower).
    pub fn ultimo_errore(&self) -> Option<String> {
        lock(&self.inner.ultimo_errore).clone()
    }
}

/// Keeps the upkeep stopped while it lives ([`Manutentore::sospendi`]).
pub struct Sospensione<'a>(&'a Manutentore);

impl Drop for Sospensione<'_> {
    fn drop(&mut self) {
        self.0.inner.sospesa.store(false, Ordering::SeqCst);
    }
}

impl Inner {
    fn giro(&self) {
        let Some((db, chiave)) = lock(&self.db).clone() else {
            return;
        };
        if self.sospesa.load(Ordering::SeqCst) {
            return;
        }
        let esito = Desk::open(Some(&db), &chiave).and_then(|mut desk| {
            let start = std::time::Instant::now();
            let fatto = desk.completa_manutenzione(Some(&self.sospesa), |m| {
                tracing::debug!(?m, "upkeep step");
            })?;
            tracing::info!(?fatto, secs = start.elapsed().as_secs_f64(), "upkeep done");
            // Once a day, the app's old files (crate::conservazione).
            desk.conservazione_periodica()?;
            Ok(())
        });
        *lock(&self.ultimo_errore) = esito.err().map(|e| {
            tracing::warn!(error = %e, "upkeep failed");
            e.to_string()
        });
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpd_domain::{Column, RawRow};
    use mpd_store::{DovutoStato, NewDovuto};

    fn load(desk: &mut Desk, prefix: &str, n: usize) {
        let rows = (0..n).map(|i| {
            let mut row = RawRow::default();
            row.set(Column::Iud, format!("{prefix}{i:06}"));
            row.set(Column::AnagraficaPagatore, format!("ROSSI {i}"));
            row.set(Column::CausaleVersamento, "TARI 2026");
            Ok(NewDovuto {
                row,
                importo_cents: 100,
                commissione_cents: None,
                stato: DovutoStato::Ready,
                sorgente: None,
                posizione: None,
            })
        });
        let now = desk.now();
        desk.store_mut().insert_dovuti_from(rows, now).unwrap();
    }

    #[test]
    fn upkeep_runs_to_the_end_waits_for_a_busy_database_and_stops_when_cancelled() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.sqlite");
        let mut desk = Desk::open(Some(&db), &mpd_store::testing::chiave()).unwrap();
        load(&mut desk, "M", 60_000);
        let owed = desk.manutenzione().unwrap();
        assert!(
            owed.da_indicizzare == 60_000 && owed.indici_da_ricostruire > 0,
            "{owed:?}"
        );

        let stop = AtomicBool::new(true);
        let left = desk.completa_manutenzione(Some(&stop), |_| {}).unwrap();
        assert_eq!(left, owed, "cancelled before the first step");
        assert!(!desk.store().ha_statistiche().unwrap());

        // Another connection holding the write lock past the store's 5 s busy timeout (as a
        // million-row import does) only delays the upkeep: the step is tried again.
        let lock = mpd_store::testing::BloccoScrittura::prendi(&db, &mpd_store::testing::chiave())
            .unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(5600));
            drop(lock);
        });
        let mut seen = Vec::new();
        let done = desk.completa_manutenzione(None, |m| seen.push(*m)).unwrap();
        release.join().unwrap();
        assert!(done.completa(), "{done:?}");
        assert!(
            desk.store().ha_statistiche().unwrap(),
            "a finished upkeep ends with ANALYZE"
        );
        assert_eq!(
            seen.len(),
            owed.indici_da_ricostruire as usize + 3,
            "{seen:?}"
        );
        assert!(
            seen.windows(2)
                .all(|w| w[1].da_indicizzare <= w[0].da_indicizzare)
        );
        assert_eq!(
            desk.debts_count(&mpd_store::DovutoFilter {
                testo: Some("rossi 5999".into()),
                ..Default::default()
            })
            .unwrap(),
            // Each word anywhere: "5999" in the IUD M0x5999 (6 debts) or the name ROSSI 5999x (10).
            16
        );
    }

    #[test]
    fn the_keeper_runs_once_at_a_time_on_its_own_thread() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.sqlite");
        let mut desk = Desk::open(Some(&db), &mpd_store::testing::chiave()).unwrap();
        load(&mut desk, "K", 55_000);
        let keeper = Manutentore::default();
        let run = keeper
            .richiedi(db.clone(), mpd_store::testing::chiave())
            .expect("a new run");
        assert!(
            keeper
                .richiedi(db.clone(), mpd_store::testing::chiave())
                .is_none(),
            "one run at a time"
        );
        run.join().unwrap();
        assert!(!keeper.in_corso());
        assert_eq!(keeper.ultimo_errore(), None);
        assert!(desk.manutenzione().unwrap().completa());

        // Suspended: a request does nothing until the guard goes; a run stops between steps.
        load(&mut desk, "L", 55_000);
        {
            let _pausa = keeper.sospendi();
            keeper
                .richiedi(db.clone(), mpd_store::testing::chiave())
                .expect("a new run")
                .join()
                .unwrap();
            assert_eq!(desk.manutenzione().unwrap().da_indicizzare, 55_000);
        }
        let run = keeper
            .richiedi(db.clone(), mpd_store::testing::chiave())
            .expect("a new run");
        while desk.manutenzione().unwrap().indici_da_ricostruire > 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
        drop(keeper.sospendi());
        assert!(!keeper.in_corso(), "sospendi waits for the run to stop");
        run.join().unwrap();
        assert!(
            !desk.manutenzione().unwrap().completa(),
            "stopped before the end"
        );
        keeper
            .richiedi(db.clone(), mpd_store::testing::chiave())
            .expect("a new run")
            .join()
            .unwrap();
        assert!(desk.manutenzione().unwrap().completa());

        // A database that cannot be opened is reported, and the next request runs again.
        let bad = dir.path().join("cartella");
        std::fs::create_dir(&bad).unwrap();
        keeper
            .richiedi(bad, mpd_store::testing::chiave())
            .expect("a new run")
            .join()
            .unwrap();
        assert!(keeper.ultimo_errore().is_some());
        keeper
            .richiedi(db, mpd_store::testing::chiave())
            .expect("a new run")
            .join()
            .unwrap();
        assert_eq!(keeper.ultimo_errore(), None);
    }
}
