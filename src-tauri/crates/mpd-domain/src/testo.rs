//! The words of the sentences a clerk reads (ui/WRITING.md): counts with the Italian thousands
//! separator (`1.200`, never `1200`) and the right singular or plural (`1 dovuto`, `2 dovuti`),
//! and the cause of a failed file operation in Italian instead of the operating system's English
//! text (which goes to the log).

/// An integer a sentence counts (`usize`, `u64`, `i64`…).
pub trait Intero: Copy {
    fn intero(self) -> i128;
}

macro_rules! intero {
    ($($t:ty),*) => {$(
        impl Intero for $t {
            fn intero(self) -> i128 {
                // Every type listed fits in an i128.
                self as i128
            }
        }
    )*};
}
intero!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize, i128);

/// `1200` → `1.200`, `-1234567` → `-1.234.567`: the thousands separator always, 4 digits too.
pub fn numero(n: impl Intero) -> String {
    let n = n.intero();
    let cifre = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(cifre.len() + cifre.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in cifre.chars().enumerate() {
        if i > 0 && (cifre.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A count and its noun: `conta(1, "dovuto", "dovuti")` → `1 dovuto`, `conta(1200, …)` →
/// `1.200 dovuti`, `conta(0, …)` → `0 dovuti`.
pub fn conta(n: impl Intero, uno: &str, molti: &str) -> String {
    let n = n.intero();
    format!("{} {}", numero(n), if n == 1 { uno } else { molti })
}

/// Only the noun that goes with a count: `parola(1, "è", "sono")`.
pub fn parola<'a>(n: impl Intero, uno: &'a str, molti: &'a str) -> &'a str {
    if n.intero() == 1 { uno } else { molti }
}

/// Why a file could not be read or written, in the clerk's words and with what to do; the
/// operating system's own text (English, with its error number) is for the log only.
pub fn causa_io(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "il file o la cartella non esiste (controllare il percorso)",
        K::PermissionDenied => {
            "mancano i permessi (il file può essere aperto in un altro programma, o la cartella \
             protetta): chiuderlo o scegliere un'altra cartella"
        }
        K::AlreadyExists => "esiste già un file con questo nome: sceglierne un altro",
        K::StorageFull | K::QuotaExceeded => "il disco è pieno: liberare spazio e riprovare",
        K::ReadOnlyFilesystem => "il disco è di sola lettura: scegliere un'altra cartella",
        K::InvalidData | K::UnexpectedEof => "il contenuto del file è danneggiato o incompleto",
        K::IsADirectory => "il percorso indica una cartella, non un file",
        K::NotADirectory => "una parte del percorso non è una cartella",
        K::InvalidFilename => "il nome del file non è valido: sceglierne un altro",
        K::ResourceBusy | K::ExecutableFileBusy => {
            "il file è in uso da un altro programma: chiuderlo e riprovare"
        }
        K::Interrupted | K::TimedOut | K::WouldBlock => {
            "l'operazione è stata interrotta: riprovare"
        }
        _ => "il sistema ha rifiutato l'operazione: riprovare o scegliere un'altra cartella",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_from_four_digits() {
        assert_eq!(numero(0), "0");
        assert_eq!(numero(999), "999");
        assert_eq!(numero(1200), "1.200");
        assert_eq!(numero(-1234567), "-1.234.567");
        assert_eq!(numero(999_999_999u32), "999.999.999");
        assert_eq!(numero(u64::MAX), "18.446.744.073.709.551.615");
    }

    #[test]
    fn counts_take_the_singular_only_for_one() {
        assert_eq!(conta(1, "dovuto", "dovuti"), "1 dovuto");
        assert_eq!(conta(0, "dovuto", "dovuti"), "0 dovuti");
        assert_eq!(conta(2usize, "riga", "righe"), "2 righe");
        assert_eq!(conta(1500, "flusso", "flussi"), "1.500 flussi");
        assert_eq!(parola(1, "è", "sono"), "è");
        assert_eq!(parola(3, "è", "sono"), "sono");
    }

    #[test]
    fn io_causes_are_italian_and_carry_no_os_text() {
        for kind in [
            std::io::ErrorKind::NotFound,
            std::io::ErrorKind::PermissionDenied,
            std::io::ErrorKind::Other,
        ] {
            let e = std::io::Error::new(kind, "Permission denied (os error 13)");
            let c = causa_io(&e);
            assert!(!c.contains("os error") && !c.contains("denied"), "{c}");
        }
        let e = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(causa_io(&e).contains("permessi"));
    }
}

/// Longest message shown whole (characters): a value quoted from a file (a 5 MB cell) is cut.
pub const MAX_MESSAGGIO: usize = 1000;

/// `testo` as it may be shown to the clerk, in the window or on a terminal: control characters
/// (an escape sequence from a cell or a server's answer) become `�` — new lines and tabs stay —
/// and past [`MAX_MESSAGGIO`] characters it is cut with "…" (issue 17 item 8).
pub fn mostrabile(testo: &str) -> std::borrow::Cow<'_, str> {
    let pulito = |c: char| c == '\n' || c == '\t' || !c.is_control();
    if testo.chars().all(pulito) && testo.len() <= MAX_MESSAGGIO {
        return std::borrow::Cow::Borrowed(testo);
    }
    let mut out: String = testo
        .chars()
        .take(MAX_MESSAGGIO)
        .map(|c| if pulito(c) { c } else { '\u{FFFD}' })
        .collect();
    if testo.chars().nth(MAX_MESSAGGIO).is_some() {
        out.push_str(" …");
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod test_mostrabile {
    use super::*;

    #[test]
    fn controls_are_replaced_and_long_text_cut() {
        assert_eq!(mostrabile("riga 1\n\triga 2"), "riga 1\n\triga 2");
        assert_eq!(
            mostrabile("ROSSI \u{1b}[2J\u{9b}1m\r"),
            "ROSSI \u{FFFD}[2J\u{FFFD}1m\u{FFFD}"
        );
        let lungo = "è".repeat(MAX_MESSAGGIO * 5);
        let m = mostrabile(&lungo);
        assert_eq!(m.chars().count(), MAX_MESSAGGIO + 2);
        assert!(m.ends_with(" …"));
    }
}
