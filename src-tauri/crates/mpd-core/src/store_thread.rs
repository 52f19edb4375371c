//! A bulk write on its own thread: SQLite inserts while this thread reads and converts the
//! next items (the imports of debts and of receipts).
//!
//! A leaf: it uses no sibling module.

use std::sync::mpsc;

use mpd_store::Store;

/// Runs `consume` on a new thread with the store and the items `produce` sends from this
/// thread (`send` returns `false` once `consume` has stopped listening). The items of a bulk
/// operation are read and converted while SQLite writes the previous ones. `produce` returns
/// before `consume` sees the end of the items, so anything it records (a read error) is
/// visible to `consume` at the end.
pub(crate) fn with_store_thread<T: Send, R: Send>(
    store: &mut Store,
    consume: impl FnOnce(&mut Store, Batched<T>) -> R + Send,
    produce: impl FnOnce(&mut dyn FnMut(T) -> bool),
) -> R {
    // Items travel in batches: one wake-up of the other thread per item cost more than the
    // reading it saved.
    const BATCH: usize = 512;
    let (tx, rx) = mpsc::sync_channel::<Vec<T>>(8);
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || consume(store, rx.into_iter().flatten()));
        let mut batch = Vec::with_capacity(BATCH);
        let mut open = true;
        produce(&mut |item| {
            batch.push(item);
            if batch.len() == BATCH {
                open = tx
                    .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                    .is_ok();
            }
            open
        });
        if open && !batch.is_empty() {
            let _ = tx.send(batch);
        }
        drop(tx);
        match worker.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// The items of [`with_store_thread`], one at a time.
pub(crate) type Batched<T> = std::iter::Flatten<mpsc::IntoIter<Vec<T>>>;
