//! Progress of remote work on the CLI: the engine's [`Event`]s as an `indicatif` progress bar
//! when standard error is a terminal, as plain lines otherwise (a log file, a pipe, a scheduled
//! task, the tests), and nothing with `--json` (standard output stays one JSON document).
//!
//! [`set_terminal`] is called once by `run_from_args` with whether the process's standard
//! error is a terminal; [`crate::run`] called from a test with buffers never draws a bar.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mpd_client::Event;

static TERMINAL: AtomicBool = AtomicBool::new(false);

/// Says whether the process's standard error is a terminal (bars drawn) or not (lines).
pub fn set_terminal(yes: bool) {
    TERMINAL.store(yes, Ordering::Relaxed);
}

/// The renderer of the engine's events on `err`.
pub fn printer<'a>(err: &'a mut dyn Write, json: bool) -> Box<dyn FnMut(&Event) + 'a> {
    if json {
        return Box::new(|_: &Event| {});
    }
    if TERMINAL.load(Ordering::Relaxed) {
        let mut bars = Bars::new(ProgressDrawTarget::stderr_with_hz(10));
        return Box::new(move |e: &Event| bars.event(e));
    }
    Box::new(move |e: &Event| {
        let _ = plain_line(err, e);
    })
}

/// A line of text for an event that is not a bar (steps, retries).
fn text_of(e: &Event) -> Option<String> {
    match e {
        Event::Step { oggetto, passo } => Some(format!("  {oggetto}: {passo}")),
        Event::Retry {
            operazione,
            tentativo,
            errore,
            attesa_ms,
        } => Some(format!(
            "  {operazione}: tentativo {tentativo} non riuscito ({errore}); riprovo tra {attesa_ms} ms"
        )),
        _ => None,
    }
}

/// The plain form: one line per step, retry and progress report, with a text bar for bytes.
fn plain_line(err: &mut dyn Write, e: &Event) -> std::io::Result<()> {
    if let Some(line) = text_of(e) {
        return writeln!(err, "{line}");
    }
    match e {
        Event::Progress {
            fase,
            byte,
            totale: Some(t),
            ..
        } if *t > 0 => {
            let filled = (((*byte as f64 / *t as f64) * 30.0).round() as usize).min(30);
            writeln!(
                err,
                "  {fase} [{}{}] {} / {} byte",
                "#".repeat(filled),
                "-".repeat(30 - filled),
                byte,
                t
            )
        }
        Event::Progress { fase, righe, .. } if *righe > 0 => {
            writeln!(
                err,
                "  {fase}: {}",
                mpd_domain::testo::conta(*righe, "riga", "righe")
            )
        }
        _ => Ok(()),
    }
}

/// The terminal form: one bar for the current transfer (bytes) or reading (rows); steps and
/// retries printed above it.
struct Bars {
    target: Option<ProgressDrawTarget>,
    bar: Option<(&'static str, ProgressBar)>,
}

impl Bars {
    fn new(target: ProgressDrawTarget) -> Bars {
        Bars {
            target: Some(target),
            bar: None,
        }
    }

    fn draw_target(&mut self) -> ProgressDrawTarget {
        // The first bar takes the given target (tests pass a hidden one); later bars a new
        // target of the same kind.
        match self.target.take() {
            Some(t) => t,
            None if TERMINAL.load(Ordering::Relaxed) => ProgressDrawTarget::stderr_with_hz(10),
            None => ProgressDrawTarget::hidden(),
        }
    }

    /// The bar of `fase`, replacing the previous one when the phase changes.
    fn bar(&mut self, fase: &'static str, bytes: Option<u64>) -> &ProgressBar {
        let same = self
            .bar
            .as_ref()
            .is_some_and(|(f, b)| *f == fase && b.length() == bytes);
        if !same {
            if let Some((_, old)) = self.bar.take() {
                old.finish();
            }
            let target = self.draw_target();
            let bar = match bytes {
                Some(len) => ProgressBar::with_draw_target(Some(len), target).with_style(
                    ProgressStyle::with_template(
                        "  {msg:12} [{bar:30.cyan/blue}] {bytes}/{total_bytes} ({binary_bytes_per_sec}, {eta})",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                ),
                None => ProgressBar::with_draw_target(None, target).with_style(
                    ProgressStyle::with_template("  {spinner} {msg}: {human_pos} righe ({per_sec})")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                ),
            };
            bar.set_message(fase);
            self.bar = Some((fase, bar));
        }
        &self.bar.as_ref().expect("just set").1
    }

    fn event(&mut self, e: &Event) {
        if let Some(line) = text_of(e) {
            match &self.bar {
                Some((_, b)) if !b.is_finished() => b.println(line),
                _ => eprintln!("{line}"),
            }
            return;
        }
        match e {
            Event::Progress {
                fase,
                byte,
                totale: Some(t),
                ..
            } if *t > 0 => {
                let b = self.bar(fase, Some(*t));
                b.set_position(*byte);
                if byte >= t {
                    b.finish();
                }
            }
            Event::Progress { fase, righe, .. } if *righe > 0 => {
                let b = self.bar(fase, None);
                b.set_position(*righe);
            }
            Event::Waiting { oggetto, stato } => {
                if let Some((_, b)) = &self.bar
                    && !b.is_finished()
                {
                    b.set_message(format!("{oggetto}: {stato}"));
                }
            }
            _ => {}
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        if let Some((_, b)) = self.bar.take() {
            b.finish();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events() -> Vec<Event> {
        vec![
            Event::Step {
                oggetto: "ENTE-1-1_4".into(),
                passo: "caricamento iniziato",
            },
            Event::Progress {
                fase: "caricamento",
                byte: 0,
                totale: Some(2048),
                righe: 0,
            },
            Event::Progress {
                fase: "caricamento",
                byte: 1024,
                totale: Some(2048),
                righe: 0,
            },
            Event::Progress {
                fase: "ricevute",
                byte: 0,
                totale: None,
                righe: 7000,
            },
        ]
    }

    #[test]
    fn plain_lines_when_not_a_terminal() {
        let mut buf = Vec::new();
        {
            let mut p = printer(&mut buf, false);
            for e in events() {
                p(&e);
            }
        }
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "  ENTE-1-1_4: caricamento iniziato\n  caricamento [------------------------------] 0 / 2048 byte\n  \
             caricamento [###############---------------] 1024 / 2048 byte\n  ricevute: 7.000 righe\n"
        );
        let mut buf = Vec::new();
        {
            let mut p = printer(&mut buf, true);
            for e in events() {
                p(&e);
            }
        }
        assert!(
            buf.is_empty(),
            "--json keeps standard error free of progress"
        );
    }

    #[test]
    fn bars_follow_bytes_then_rows() {
        let mut bars = Bars::new(ProgressDrawTarget::hidden());
        let ev = events();
        bars.event(&ev[1]);
        bars.event(&ev[2]);
        {
            let (fase, b) = bars.bar.as_ref().unwrap();
            assert_eq!(
                (*fase, b.position(), b.length()),
                ("caricamento", 1024, Some(2048))
            );
        }
        bars.event(&ev[3]);
        let (fase, b) = bars.bar.as_ref().unwrap();
        assert_eq!((*fase, b.position(), b.length()), ("ricevute", 7000, None));
    }
}
