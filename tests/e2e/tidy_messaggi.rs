//! House rule of issue 12: the library crates' messages fit both front ends, so no string
//! literal in their code names a `mypay-desk` subcommand or a long command-line flag. The hint
//! (a command for the CLI, a screen for the window) is added by each front end from the error's
//! code. Tests (`#[cfg(test)]` items, `*_tests.rs` files, modules declared under
//! `#[cfg(test)]`) and comments are not scanned.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Crates that are front ends or tools, free to name their own flags.
const NOT_LIBRARIES: [&str; 3] = ["mpd-cli", "mpd-emulator", "mpd-bench"];

#[derive(Debug, PartialEq)]
enum Token {
    /// A string literal's content (escapes left as written) and the line it starts on.
    Str(usize, String),
    Ident(String),
    Punct(char),
}

/// The tokens of a Rust source that matter here: comments (doc comments too) dropped, string
/// literals (plain, raw, byte, C) whole, char literals and lifetimes skipped.
fn tokens(src: &str) -> Vec<Token> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0usize, 1usize);
    let count = |s: &[char]| s.iter().filter(|&&ch| ch == '\n').count();
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && c.get(i + 1) == Some(&'/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && c.get(i + 1) == Some(&'*') {
            let (start, mut depth) = (i, 0usize);
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            line += count(&c[start..i.min(c.len())]);
        } else if ch == '"' {
            let start = i + 1;
            i += 1;
            while i < c.len() && c[i] != '"' {
                i += if c[i] == '\\' { 2 } else { 1 };
            }
            out.push(Token::Str(line, c[start..i.min(c.len())].iter().collect()));
            line += count(&c[start..i.min(c.len())]);
            i += 1;
        } else if ch == '\'' {
            // A char literal ('x', '\n', '"') or a lifetime ('a).
            if c.get(i + 1) == Some(&'\\') {
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if ch.is_alphanumeric() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            let raw = matches!(word.as_str(), "r" | "br" | "cr");
            if raw && matches!(c.get(i), Some('#') | Some('"')) {
                let mut hashes = 0;
                while c.get(i) == Some(&'#') {
                    hashes += 1;
                    i += 1;
                }
                if c.get(i) != Some(&'"') {
                    // `r#ident`: a raw identifier.
                    out.push(Token::Ident(word));
                    continue;
                }
                i += 1;
                let start = i;
                let end = loop {
                    if i >= c.len() {
                        break c.len();
                    }
                    if c[i] == '"' && (0..hashes).all(|h| c.get(i + 1 + h) == Some(&'#')) {
                        break i;
                    }
                    i += 1;
                };
                out.push(Token::Str(line, c[start..end].iter().collect()));
                line += count(&c[start..end]);
                i = end + 1 + hashes;
            } else if matches!(word.as_str(), "b" | "c") && c.get(i) == Some(&'"') {
                // b"…", c"…": the string itself is read on the next turn.
            } else if word == "b" && c.get(i) == Some(&'\'') {
                // b'x': the char literal is skipped on the next turn.
            } else {
                out.push(Token::Ident(word));
            }
        } else {
            out.push(Token::Punct(ch));
            i += 1;
        }
    }
    out
}

/// The string literals outside `#[cfg(test)]` items, and the names of the modules declared as
/// `#[cfg(test)] mod name;` (their files are skipped).
fn literals(src: &str) -> (Vec<(usize, String)>, Vec<String>) {
    let (lits, mods) = literals_in_calls(src);
    (lits.into_iter().map(|(l, s, _)| (l, s)).collect(), mods)
}

/// A string literal: its line, its content and the call it is an argument of.
type Letterale = (usize, String, Option<String>);

/// As [`literals`], each literal with the name of the call or macro it is an argument of
/// (`warn!`, `expect`, `format!`…), if any.
fn literals_in_calls(src: &str) -> (Vec<Letterale>, Vec<String>) {
    let t = tokens(src);
    // The open brackets, each with the call it opened (if any).
    let mut calls: Vec<Option<String>> = Vec::new();
    let is = |k: usize, p: char| matches!(t.get(k), Some(Token::Punct(q)) if *q == p);
    let ident = |k: usize, w: &str| matches!(t.get(k), Some(Token::Ident(x)) if x == w);
    let (mut out, mut test_mods) = (Vec::new(), Vec::new());
    let mut k = 0;
    while k < t.len() {
        let cfg_test = is(k, '#')
            && is(k + 1, '[')
            && ident(k + 2, "cfg")
            && is(k + 3, '(')
            && ident(k + 4, "test")
            && is(k + 5, ')')
            && is(k + 6, ']');
        if cfg_test {
            // Skip the item: up to its `;` or through its `{ … }` block.
            k += 7;
            let mut last_ident = None;
            while k < t.len() && !is(k, '{') && !is(k, ';') {
                if let Token::Ident(w) = &t[k] {
                    last_ident = Some(w.clone());
                }
                k += 1;
            }
            if is(k, ';') {
                if let Some(name) = last_ident {
                    test_mods.push(name);
                }
                k += 1;
                continue;
            }
            let mut depth = 0usize;
            while k < t.len() {
                if is(k, '{') {
                    depth += 1;
                } else if is(k, '}') {
                    depth -= 1;
                    if depth == 0 {
                        k += 1;
                        break;
                    }
                }
                k += 1;
            }
            continue;
        }
        match &t[k] {
            Token::Str(line, s) => {
                let call = calls.iter().rev().find_map(|c| c.clone());
                out.push((*line, s.clone(), call));
            }
            Token::Punct('(' | '[' | '{') => {
                let name = match (
                    k.checked_sub(1).map(|j| &t[j]),
                    k.checked_sub(2).map(|j| &t[j]),
                ) {
                    (Some(Token::Punct('!')), Some(Token::Ident(m))) => Some(format!("{m}!")),
                    (Some(Token::Ident(f)), _) if is(k, '(') => Some(f.clone()),
                    _ => None,
                };
                calls.push(name);
            }
            Token::Punct(')' | ']' | '}') => {
                calls.pop();
            }
            _ => {}
        }
        k += 1;
    }
    (out, test_mods)
}

/// The long flag or the subcommand a literal names, if any.
fn names_the_cli(s: &str) -> Option<String> {
    if let Some(at) = s.find("mypay-desk ") {
        return Some(s[at..].chars().take(40).collect());
    }
    let b = s.as_bytes();
    (0..b.len().saturating_sub(2))
        .find(|&i| b[i] == b'-' && b[i + 1] == b'-' && b[i + 2].is_ascii_lowercase())
        .map(|i| s[i..].chars().take(40).collect())
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The folder holding the files of the modules `file` declares.
fn child_dir(file: &Path) -> PathBuf {
    let parent = file.parent().unwrap().to_path_buf();
    match file.file_stem().and_then(|s| s.to_str()) {
        Some("lib" | "main" | "mod") => parent,
        Some(stem) => parent.join(stem),
        None => parent,
    }
}

/// `file:line: «…»` for every offending literal under `src` (a crate's `src/` folder).
fn offences(src: &Path) -> Vec<String> {
    offences_by(src, |s, _| names_the_cli(s))
}

/// What a literal shows the clerk that the clerk must never read (issue 13 item 17): a code of
/// MyPay, the upload service's name, TOML syntax, an environment variable, a process's exit
/// status, a value's debug form. `call` is the call or macro the literal is an argument of:
/// logs, assertions and panics may show anything.
fn shows_a_technicality(s: &str, call: Option<&str>) -> Option<String> {
    const FREE: [&str; 14] = [
        "trace!",
        "debug!",
        "info!",
        "warn!",
        "error!",
        "event!",
        "assert!",
        "assert_eq!",
        "assert_ne!",
        "debug_assert!",
        "panic!",
        "unreachable!",
        "expect",
        "todo!",
    ];
    if call.is_some_and(|c| FREE.contains(&c)) {
        return None;
    }
    let frase = s.contains(' ');
    let trovato = |what: &str| {
        Some(format!(
            "{what} in «{}»",
            s.chars().take(60).collect::<String>()
        ))
    };
    if frase && s.contains("PAA_") {
        return trovato("a MyPay code");
    }
    if s.contains("MyBox") {
        return trovato("MyBox");
    }
    if s.contains("[[") || (frase && names_a_toml_section(s)) {
        return trovato("TOML syntax");
    }
    if frase && s.contains("MYPAY_") {
        return trovato("an environment variable");
    }
    if s.contains("ExitStatus") {
        return trovato("an exit status");
    }
    if s.contains(":?}") || s.contains(":#?}") {
        return trovato("a debug form");
    }
    None
}

/// `[ente]`, `[adesione]`: a TOML section's header inside a sentence.
fn names_a_toml_section(s: &str) -> bool {
    s.split('[').skip(1).any(|after| {
        after.split_once(']').is_some_and(|(name, _)| {
            name.len() >= 3 && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        })
    })
}

fn offences_by(src: &Path, check: impl Fn(&str, Option<&str>) -> Option<String>) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut test_files: HashSet<PathBuf> = HashSet::new();
    let mut scanned = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let (lits, test_mods) = literals_in_calls(&text);
        for m in test_mods {
            let dir = child_dir(f);
            test_files.insert(dir.join(format!("{m}.rs")));
            test_files.insert(dir.join(&m).join("mod.rs"));
        }
        scanned.push((f.clone(), lits));
    }
    let mut out = Vec::new();
    for (f, lits) in scanned {
        let name = f.file_name().unwrap().to_string_lossy();
        if name.ends_with("_tests.rs") || test_files.iter().any(|t| f.starts_with(t)) {
            continue;
        }
        // A whole folder of test modules (`#[cfg(test)] mod tests;` with tests/mod.rs).
        if test_files
            .iter()
            .any(|t| t.ends_with("mod.rs") && f.starts_with(t.parent().unwrap()))
        {
            continue;
        }
        for (line, s, call) in lits {
            if let Some(what) = check(&s, call.as_deref()) {
                out.push(format!("{}:{line}: «{what}»", f.display()));
            }
        }
    }
    out
}

#[test]
fn library_messages_name_no_cli_flag_and_no_subcommand() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let crates = root.join("src-tauri/crates");
    let mut found = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&crates)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("src").is_dir())
        .filter(|p| !NOT_LIBRARIES.iter().any(|n| p.ends_with(n)))
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 8, "library crates not found in {crates:?}");
    for dir in dirs {
        found.extend(offences(&dir.join("src")));
    }
    assert!(
        found.is_empty(),
        "library messages name a CLI flag or a `mypay-desk` subcommand; say what is wrong and \
         what to do in words that fit both front ends, and let the CLI add its hint from the \
         error's code (mpd-cli/src/suggerimenti.rs):\n{}",
        found.join("\n")
    );
}

#[test]
fn messages_show_no_code_no_env_var_no_toml_no_debug_form() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let crates = root.join("src-tauri/crates");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&crates)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("src").is_dir())
        .filter(|p| !NOT_LIBRARIES.iter().any(|n| p.ends_with(n)))
        .map(|p| p.join("src"))
        .collect();
    // The window's shell builds messages too (a file the system could not open).
    dirs.push(root.join("src-tauri/src"));
    dirs.sort();
    let mut found = Vec::new();
    for dir in dirs {
        found.extend(offences_by(&dir, shows_a_technicality));
    }
    assert!(
        found.is_empty(),
        "messages a clerk may read show a technicality; say what happened and what to do in \
         Italian, and send the detail to the log (tracing):\n{}",
        found.join("\n")
    );
}

/// The informal address ("tu") the product no longer uses (ui/WRITING.md: the clerk is
/// addressed as "Lei"): words that can only be a second person singular.
const INFORMALE: [&str; 42] = [
    "tuo",
    "tua",
    "tuoi",
    "tue",
    "puoi",
    "devi",
    "vuoi",
    "hai",
    "correggi",
    "scrivi",
    "riprova",
    "attendi",
    "scegli",
    "modificalo",
    "annullala",
    "annullalo",
    "creane",
    "invialo",
    "salvalo",
    "aprilo",
    "togli",
    "chiedi",
    "segnala",
    "premi",
    "inserisci",
    "fai",
    "trascina",
    "clicca",
    "vedi",
    "controllalo",
    "scrivila",
    "scrivilo",
    "compilalo",
    "importalo",
    "caricalo",
    "indicalo",
    "modificale",
    "ricaricale",
    "aggiungila",
    "correggila",
    "correggilo",
    "correggile",
];

/// The first informal word of a literal that is a sentence (a name such as the audit's
/// `dovuti.inserisci` is not), if any.
fn speaks_informally(s: &str) -> Option<String> {
    if !s.contains(' ') {
        return None;
    }
    s.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .find(|w| INFORMALE.contains(&w.as_str()))
        .map(|w| format!("«{w}» in «{}»", s.chars().take(60).collect::<String>()))
}

#[test]
fn messages_address_the_clerk_as_lei() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let crates = root.join("src-tauri/crates");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&crates)
        .unwrap()
        .map(|e| e.unwrap().path().join("src"))
        .filter(|p| p.is_dir())
        .filter(|p| {
            !p.starts_with(crates.join("mpd-emulator")) && !p.starts_with(crates.join("mpd-bench"))
        })
        .collect();
    dirs.push(root.join("src-tauri/src"));
    dirs.sort();
    let mut found = Vec::new();
    for dir in dirs {
        found.extend(offences_by(&dir, |s, call| {
            // Logs and assertions are for developers.
            let free =
                call.is_some_and(|c| c.ends_with('!') && c != "format!" && !c.starts_with("write"));
            if free { None } else { speaks_informally(s) }
        }));
    }
    assert!(
        found.is_empty(),
        "a message speaks to the clerk with «tu»; the product uses «Lei» (ui/WRITING.md):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_register_check_catches_the_informal_forms() {
    assert!(speaks_informally("non è un importo: scrivi solo cifre").is_some());
    assert!(speaks_informally("non caricato su MyPay: modificalo nell'elenco").is_some());
    assert!(speaks_informally("Configura il tuo Ente").is_some());
    assert!(speaks_informally("non è un importo: scriva solo cifre").is_none());
    assert!(speaks_informally("il modulo indica su quali conti").is_none());
    assert!(speaks_informally("dovuti.inserisci").is_none());
}

/// A literal that pastes an error's own text (`{e}`, `{err}`) into what it builds.
fn pastes_an_error(s: &str, call: Option<&str>) -> Option<String> {
    let libero =
        call.is_some_and(|c| c.ends_with('!') && c != "format!" && !c.starts_with("write"));
    let incolla = ["{e}", "{e:", "{err}", "{err:", "{error}"]
        .iter()
        .any(|p| s.contains(p));
    (incolla && !libero).then(|| format!("«{s}»"))
}

/// The window's shell turns a failure of the system (an opener, a dialog, a file) into an
/// Italian sentence through mpd-app (`Errore::apertura`, `Errore::scrittura`), logging the
/// detail: it never pastes the error's own text into a message (issue 13 item 17, «Launcher gio
/// … ExitStatus(…)»).
#[test]
fn the_shell_pastes_no_error_text_into_a_message() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let found = offences_by(&root.join("src-tauri/src"), pastes_an_error);
    assert!(
        found.is_empty(),
        "the shell builds a message from an error's own text; use mpd_app::Errore::apertura or \
         scrittura (the detail goes to the log):\n{}",
        found.join("\n")
    );
    let src = r#"
fn f() {
    let _a = format!("impossibile aprire l'avviso: {e}");
    tracing::warn!("apertura non riuscita: {e}");
}
"#;
    let (lits, _) = literals_in_calls(src);
    let bad: Vec<usize> = lits
        .iter()
        .filter(|(_, s, call)| pastes_an_error(s, call.as_deref()).is_some())
        .map(|(l, _, _)| *l)
        .collect();
    assert_eq!(bad, vec![3]);
}

#[test]
fn the_technicality_check_catches_each_pattern() {
    let src = r##"
fn f() {
    let _a = format!("MyPay ha rifiutato: {code} PAA_IMPORT_NO_CSV");
    let _b = "PAA_ENTE_NON_VALIDO";
    let _c = "caricato su MyBox";
    let _d = "manca una sezione [[conti]]";
    let _e = "imposti la variabile MYPAY_DESK_PASSWORD";
    let _f = std::env::var("MYPAY_DESK_PASSWORD");
    let _g = format!("non aperto: {e:?}");
    tracing::warn!("dettaglio {e:?}");
    let _h = x.expect("never {:?}");
    let _i = format!("Launcher gio ExitStatus(1)");
    let _j = "il campo [ente] password è ignorato";
    let _k = format!("{} [{code}]", x);
}
"##;
    let (lits, _) = literals_in_calls(src);
    let bad: Vec<usize> = lits
        .iter()
        .filter(|(_, s, call)| shows_a_technicality(s, call.as_deref()).is_some())
        .map(|(l, _, _)| *l)
        .collect();
    assert_eq!(bad, vec![3, 5, 6, 7, 9, 12, 13]);
}

#[test]
fn the_scanner_sees_literals_and_skips_comments_and_tests() {
    let src = r##"
//! Doc: `mypay-desk sync` and --db are fine here.
/// Also here: --valid-only.
fn f() -> &'static str {
    let _c = '"';
    let _r = r#"raw --sheet NOME"#;
    /* block «mypay-desk ente set» */
    "usa --db PATH"
}
#[cfg(test)]
mod tests {
    fn g() { let _ = "mypay-desk sync"; let _ = format!("{}", "x"); }
}
#[cfg(test)]
mod more_tests;
fn h() { let _ = "ok - -- no flag"; }
"##;
    let (lits, mods) = literals(src);
    let bad: Vec<(usize, Option<String>)> = lits
        .iter()
        .map(|(l, s)| (*l, names_the_cli(s)))
        .filter(|(_, w)| w.is_some())
        .collect();
    assert_eq!(
        bad,
        vec![
            (6, Some("--sheet NOME".to_string())),
            (8, Some("--db PATH".to_string()))
        ]
    );
    assert_eq!(mods, vec!["more_tests".to_string()]);
    assert_eq!(
        names_the_cli("vedi «mypay-desk flow build»").unwrap(),
        "mypay-desk flow build»"
    );
}
