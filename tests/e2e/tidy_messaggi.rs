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
    let t = tokens(src);
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
        if let Token::Str(line, s) = &t[k] {
            out.push((*line, s.clone()));
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
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut test_files: HashSet<PathBuf> = HashSet::new();
    let mut scanned = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let (lits, test_mods) = literals(&text);
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
        for (line, s) in lits {
            if let Some(what) = names_the_cli(&s) {
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
