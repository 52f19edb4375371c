//! The processes around the window under test: the `mypay-desk` binary (CLI seeding and the
//! window), the MyPay emulator (`mypay-desk sim`), tauri-driver, and where screenshots go.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::wd::{Driver, Session, read_json};

/// Paths given by the environment (`.ci/test` sets them).
pub struct Setup {
    /// The built `mypay-desk` (`MYPAY_DESK_BIN`).
    pub bin: PathBuf,
    /// tauri-driver (`TAURI_DRIVER`, else found on `PATH`).
    pub tauri_driver: PathBuf,
    /// Where screenshots and failure dumps go (`MPD_E2E_SCREENSHOTS`, else
    /// `target/e2e-screenshots`).
    pub shots: PathBuf,
}

impl Setup {
    pub fn from_env() -> Result<Setup> {
        let bin = std::env::var_os("MYPAY_DESK_BIN")
            .map(PathBuf::from)
            .context("MYPAY_DESK_BIN must point at the built mypay-desk binary (see .ci/test)")?;
        // `cargo test` runs this in tests/: a relative path is taken from the workspace root.
        let bin = if bin.is_relative() && !bin.is_file() {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(bin)
        } else {
            bin
        };
        if !bin.is_file() {
            bail!(
                "{} does not exist: build it with `cargo build -p mypay-desk`",
                bin.display()
            );
        }
        let bin = std::fs::canonicalize(&bin)?;
        let tauri_driver = match std::env::var_os("TAURI_DRIVER") {
            Some(p) => PathBuf::from(p),
            None => which("tauri-driver").context(
                "tauri-driver not found on PATH: run .ci/setup (it installs it into target/tools/bin) \
                 or set TAURI_DRIVER",
            )?,
        };
        which("WebKitWebDriver").context(
            "WebKitWebDriver not found: apt-get install webkit2gtk-driver (.ci/setup does)",
        )?;
        if std::env::var_os("DISPLAY").is_none() {
            bail!("no display: run under xvfb-run (see .ci/test)");
        }
        let shots = match std::env::var_os("MPD_E2E_SCREENSHOTS") {
            Some(p) => PathBuf::from(p),
            None => {
                let target = std::env::var_os("CARGO_TARGET_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
                target.join("e2e-screenshots")
            }
        };
        std::fs::create_dir_all(&shots).with_context(|| format!("create {}", shots.display()))?;
        Ok(Setup {
            bin,
            tauri_driver,
            shots: std::fs::canonicalize(&shots)?,
        })
    }
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// A private data folder: the app's database, XDG folders for WebKit, and files the test writes.
pub struct Workspace {
    pub dir: tempfile::TempDir,
    bin: PathBuf,
}

impl Workspace {
    pub fn new(setup: &Setup) -> Result<Workspace> {
        Ok(Workspace {
            dir: tempfile::Builder::new()
                .prefix("mpd-webdriver-")
                .tempdir()?,
            bin: setup.bin.clone(),
        })
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn db(&self) -> PathBuf {
        self.path("desk.sqlite")
    }

    /// XDG folders inside the workspace (WebKit writes there even with `MYPAY_DESK_DB`).
    /// The XDG folders of the workspace, and the archive's key (this machine has no keyring).
    pub fn xdg_env(&self) -> Vec<(String, String)> {
        ["DATA", "CACHE", "CONFIG"]
            .iter()
            .map(|k| {
                (
                    format!("XDG_{k}_HOME"),
                    self.path(&k.to_lowercase()).display().to_string(),
                )
            })
            .chain([(
                mpd_core::ENV_FRASE_ARCHIVIO.to_string(),
                mpd_core::testing::CHIAVE_DI_PROVA.to_string(),
            )])
            .collect()
    }

    /// The environment of the window: its database, XDG folders, and `extra`.
    pub fn app_env(&self, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut env = self.xdg_env();
        env.push(("MYPAY_DESK_DB".into(), self.db().display().to_string()));
        env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        env
    }

    /// Runs the CLI on the workspace's database; fails on a non-zero exit, with its output.
    pub fn cli(&self, args: &[&str]) -> Result<String> {
        self.cli_env(args, &[])
    }

    /// [`Workspace::cli`] with `extra` in its environment (the password, for a sync).
    pub fn cli_env(&self, args: &[&str], extra: &[(&str, &str)]) -> Result<String> {
        let out = Command::new(&self.bin)
            .arg("--db")
            .arg(self.db())
            .args(args)
            .envs(self.xdg_env())
            .envs(extra.iter().copied())
            .output()
            .context("run mypay-desk")?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if !out.status.success() {
            bail!(
                "`mypay-desk {}` failed ({}):\n{text}",
                args.join(" "),
                out.status
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// The profile `profile` as the Ente, and a custom environment at `url` as the connection.
    pub fn ente_and_connection(&self, profile: &Path, url: &str) -> Result<()> {
        self.cli(&["ente", "set", profile.to_str().context("path")?])?;
        self.cli(&["--env", "custom", "--base-url", url, "connection", "set"])?;
        Ok(())
    }

    /// Runs the CLI with `--json` (no `--db`: for `sim pay`).
    pub fn cli_json_nodb(&self, args: &[&str]) -> Result<Value> {
        let out = Command::new(&self.bin)
            .arg("--json")
            .args(args)
            .envs(self.xdg_env())
            .output()
            .context("run mypay-desk")?;
        if !out.status.success() {
            bail!(
                "`mypay-desk {}` failed ({}):\n{}{}",
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        serde_json::from_slice(&out.stdout).context("not JSON")
    }

    /// Starts tauri-driver with the window's environment and opens a session on the binary.
    pub fn open(&self, setup: &Setup, extra_env: &[(&str, &str)]) -> Result<(Driver, Session)> {
        let log = self.path("tauri-driver.log");
        let driver = Driver::start(&setup.tauri_driver, &self.app_env(extra_env), &log)?;
        let session = driver.session(&setup.bin, &[])?;
        Ok((driver, session))
    }
}

/// `mypay-desk sim` as an external process on a free loopback port; stopped when dropped.
pub struct Emulator {
    child: Child,
    pub url: String,
}

impl Emulator {
    pub fn start(ws: &Workspace, profile: &Path) -> Result<Emulator> {
        Emulator::start_on(ws, profile, 0)
    }

    /// Starts the emulator on `port` (0: a free one). Its data stay in the workspace, so an
    /// emulator stopped and started again on the same port is the same MyPay, back online.
    pub fn start_on(ws: &Workspace, profile: &Path, port: u16) -> Result<Emulator> {
        Emulator::start_with(ws, profile, port, &[])
    }

    /// Like [`Emulator::start_on`], with more `sim` arguments (`--platform pu`).
    pub fn start_with(
        ws: &Workspace,
        profile: &Path,
        port: u16,
        extra: &[&str],
    ) -> Result<Emulator> {
        let mut child = Command::new(&ws.bin)
            .args([
                "--json",
                "sim",
                "--port",
                &port.to_string(),
                "--batch-ms",
                "300",
                "--data",
            ])
            .arg(ws.path("emulatore"))
            .arg("--config")
            .arg(profile)
            .args(extra)
            .envs(ws.xdg_env())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(ws.path("emulatore.log"))?,
            ))
            .spawn()
            .context("start mypay-desk sim")?;
        let stdout = child.stdout.take().context("emulator stdout")?;
        let v = read_json(stdout).context("the emulator did not start")?;
        let url = v["url"]
            .as_str()
            .context("no url in the emulator's answer")?
            .trim_end_matches('/')
            .to_string();
        let emu = Emulator { child, url };
        // It answers once the listener is up (it is, before printing); check the WSDL anyway.
        let http = reqwest::blocking::Client::new();
        crate::wd::wait_for("the emulator's WSDL", Duration::from_secs(30), || {
            Ok(http
                .get(format!(
                    "{}/ws/pa/PagamentiTelematiciDovutiPagati.wsdl",
                    emu.url
                ))
                .send()
                .ok()
                .filter(|r| r.status().is_success())
                .map(|_| ()))
        })?;
        Ok(emu)
    }

    /// The loopback port it listens on.
    pub fn port(&self) -> Result<u16> {
        self.url
            .rsplit(':')
            .next()
            .and_then(|p| p.trim_end_matches('/').parse().ok())
            .with_context(|| format!("no port in {}", self.url))
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Screenshots of the steps, numbered in order, each after the page settled.
pub struct Shots {
    dir: PathBuf,
    n: u32,
}

impl Shots {
    pub fn new(dir: &Path) -> Shots {
        Shots {
            dir: dir.to_path_buf(),
            n: 0,
        }
    }

    /// Waits ~500 ms (a WebDriver screenshot right after a DOM update can show the previous
    /// frame), then saves `NN-name.png`.
    pub fn take(&mut self, s: &Session, name: &str) -> Result<PathBuf> {
        std::thread::sleep(Duration::from_millis(500));
        self.n += 1;
        let path = self.dir.join(format!("{:02}-{name}.png", self.n));
        s.screenshot(&path)?;
        println!("    screenshot {}", path.display());
        Ok(path)
    }

    /// On failure: a screenshot and the page source, both next to the steps' screenshots.
    pub fn dump_failure(&self, s: &Session, step: &str) -> String {
        let slug: String = step
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let png = self.dir.join(format!("FAILED-{slug}.png"));
        let html = self.dir.join(format!("FAILED-{slug}.html"));
        let _ = s.screenshot(&png);
        let source = s
            .source()
            .unwrap_or_else(|e| format!("(page source unavailable: {e:#})"));
        let _ = std::fs::write(&html, &source);
        format!(
            "screenshot: {}\npage source: {}\n--- page source ---\n{}",
            png.display(),
            html.display(),
            source
        )
    }
}
