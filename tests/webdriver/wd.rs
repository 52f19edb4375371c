//! A small blocking W3C WebDriver client, enough to drive MyPay Desk through tauri-driver:
//! sessions, elements by CSS selector, clicks, keys, attributes, scripts, screenshots.
//!
//! tauri-driver (`cargo install tauri-driver`) sits in front of WebKitWebDriver and starts the
//! app named in the `tauri:options` capability; environment variables of the tauri-driver
//! process reach the app.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine as _;
use serde_json::{Value, json};

/// The W3C key of an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A free loopback port (bound, read, released: good enough for a test's own processes).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free loopback port")
}

/// Scrolls the page to the top at once: the stylesheet's smooth scrolling would leave a
/// screenshot or the next click mid-way.
pub const IN_CIMA: &str = "const h = document.documentElement; const b = h.style.scrollBehavior; \
     h.style.scrollBehavior = 'auto'; window.scrollTo(0, 0); h.style.scrollBehavior = b;";

/// Polls `f` every 200 ms until it returns `Some`, or fails after `timeout` saying what it
/// waited for.
pub fn wait_for<T>(
    what: &str,
    timeout: Duration,
    mut f: impl FnMut() -> Result<Option<T>>,
) -> Result<T> {
    let start = Instant::now();
    let mut last_err = None;
    loop {
        match f() {
            Ok(Some(v)) => return Ok(v),
            Ok(None) => {}
            Err(e) => last_err = Some(e),
        }
        if start.elapsed() > timeout {
            let detail = last_err
                .map(|e| format!(" (last error: {e:#})"))
                .unwrap_or_default();
            bail!(
                "timed out after {:.0} s waiting for {what}{detail}",
                timeout.as_secs_f64()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A running tauri-driver on fresh ports (its own WebKitWebDriver on a fresh native port, so a
/// stray driver of an earlier run can never answer). Stopped with SIGTERM when dropped.
pub struct Driver {
    child: Child,
    pub url: String,
    log: PathBuf,
}

impl Driver {
    /// Starts `tauri_driver` with the given environment for the app (on top of ours).
    pub fn start(tauri_driver: &Path, env: &[(String, String)], log: &Path) -> Result<Driver> {
        let port = free_port();
        let native = loop {
            let p = free_port();
            if p != port {
                break p;
            }
        };
        let log_file =
            std::fs::File::create(log).with_context(|| format!("create {}", log.display()))?;
        let mut cmd = Command::new(tauri_driver);
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .stdout(Stdio::from(log_file.try_clone()?))
        .stderr(Stdio::from(log_file));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd
            .spawn()
            .with_context(|| format!("start {} (see .ci/setup)", tauri_driver.display()))?;
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log: log.to_path_buf(),
        };
        let http = http_client()?;
        // Ready when WebKitWebDriver behind it answers /status.
        wait_for(
            "tauri-driver and WebKitWebDriver to answer /status",
            Duration::from_secs(60),
            || {
                let r = http.get(format!("{}/status", driver.url)).send();
                Ok(match r {
                    Ok(r) if r.status().is_success() => Some(()),
                    _ => None,
                })
            },
        )
        .map_err(|e| anyhow!("{e}\n--- tauri-driver log ---\n{}", driver.log_text()))?;
        Ok(driver)
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Opens a session: WebKitWebDriver starts `application` with `args`.
    pub fn session(&self, application: &Path, args: &[String]) -> Result<Session> {
        let http = http_client()?;
        let caps = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "wry",
                "tauri:options": { "application": application, "args": args },
            }}
        });
        let v = send(
            &http,
            reqwest::Method::POST,
            &format!("{}/session", self.url),
            Some(caps),
        )
        .map_err(|e| {
            anyhow!(
                "new session: {e:#}\n--- tauri-driver log ---\n{}",
                self.log_text()
            )
        })?;
        let id = v["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow!("no sessionId in {v}"))?
            .to_string();
        Ok(Session {
            http,
            base: format!("{}/session/{id}", self.url),
            closed: false,
        })
    }

    /// The process id of tauri-driver (the app is a grandchild: tauri-driver → WebKitWebDriver →
    /// app).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGTERM lets tauri-driver stop WebKitWebDriver; SIGKILL would orphan it.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn http_client() -> Result<reqwest::blocking::Client> {
    Ok(reqwest::blocking::Client::builder()
        // A debug WebKit on a busy machine can take long to start a session.
        .timeout(Duration::from_secs(180))
        .build()?)
}

/// One WebDriver command; W3C errors become `Err` with the driver's message.
fn send(
    http: &reqwest::blocking::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<Value>,
) -> Result<Value> {
    let mut req = http.request(method.clone(), url);
    if let Some(b) = body {
        req = req.json(&b);
    } else if method == reqwest::Method::POST {
        req = req.json(&json!({}));
    }
    let resp = req.send().with_context(|| format!("{method} {url}"))?;
    let status = resp.status();
    let v: Value = resp
        .json()
        .with_context(|| format!("{method} {url}: not JSON"))?;
    let value = v.get("value").cloned().unwrap_or(Value::Null);
    if !status.is_success() {
        let err = value["error"].as_str().unwrap_or("unknown error");
        let msg = value["message"].as_str().unwrap_or("");
        return Err(WdError {
            error: err.to_string(),
            message: format!("{method} {url}: {err}: {msg}"),
        }
        .into());
    }
    Ok(value)
}

/// A WebDriver error (`error` is the W3C code, e.g. `no such element`).
#[derive(Debug)]
pub struct WdError {
    pub error: String,
    message: String,
}

impl std::fmt::Display for WdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for WdError {}

fn is_wd_error(e: &anyhow::Error, code: &str) -> bool {
    e.downcast_ref::<WdError>().is_some_and(|w| w.error == code)
}

/// An element reference.
#[derive(Debug, Clone)]
pub struct Elem(String);

/// A WebDriver session: the app's window.
pub struct Session {
    http: reqwest::blocking::Client,
    base: String,
    closed: bool,
}

impl Session {
    fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value> {
        send(&self.http, method, &format!("{}{path}", self.base), body)
    }

    fn get(&self, path: &str) -> Result<Value> {
        self.cmd(reqwest::Method::GET, path, None)
    }

    fn post(&self, path: &str, body: Value) -> Result<Value> {
        self.cmd(reqwest::Method::POST, path, Some(body))
    }

    /// Ends the session (WebKitWebDriver closes the app).
    pub fn close(mut self) -> Result<()> {
        self.closed = true;
        self.cmd(reqwest::Method::DELETE, "", None).map(|_| ())
    }

    /// All elements matching a CSS selector (possibly none).
    pub fn all(&self, css: &str) -> Result<Vec<Elem>> {
        let v = self.post(
            "/elements",
            json!({ "using": "css selector", "value": css }),
        )?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str().map(|s| Elem(s.to_string())))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The first element matching a CSS selector, if any.
    pub fn find(&self, css: &str) -> Result<Option<Elem>> {
        Ok(self.all(css)?.into_iter().next())
    }

    /// Waits for an element to be present.
    pub fn wait(&self, css: &str, timeout: Duration) -> Result<Elem> {
        wait_for(&format!("element `{css}`"), timeout, || self.find(css))
    }

    /// Waits for an element to be present and displayed.
    pub fn wait_visible(&self, css: &str, timeout: Duration) -> Result<Elem> {
        wait_for(&format!("visible element `{css}`"), timeout, || {
            for e in self.all(css)? {
                if self.displayed(&e).unwrap_or(false) {
                    return Ok(Some(e));
                }
            }
            Ok(None)
        })
    }

    /// Waits until at least `n` elements match.
    pub fn wait_count(&self, css: &str, n: usize, timeout: Duration) -> Result<Vec<Elem>> {
        wait_for(&format!("at least {n} × `{css}`"), timeout, || {
            let v = self.all(css)?;
            Ok((v.len() >= n).then_some(v))
        })
    }

    /// Waits until a test id is present.
    pub fn testid(&self, id: &str, timeout: Duration) -> Result<Elem> {
        self.wait(&tid(id), timeout)
    }

    pub fn displayed(&self, e: &Elem) -> Result<bool> {
        Ok(self.get(&format!("/element/{}/displayed", e.0))?.as_bool() == Some(true))
    }

    pub fn enabled(&self, e: &Elem) -> Result<bool> {
        Ok(self.get(&format!("/element/{}/enabled", e.0))?.as_bool() == Some(true))
    }

    /// Clicks an element: scrolled into view first; a click the page intercepts (an overlay
    /// still fading) is retried for a few seconds, then done from script.
    /// Waits (up to 2 s) until the element stops moving. The UI's stylesheet scrolls smoothly
    /// (Bootstrap's `scroll-behavior: smooth`, e.g. after the skip link): a click whose point
    /// is taken mid-scroll lands on the neighbour that has moved under it.
    fn fermo(&self, e: &Elem) {
        let mut prima: Option<Value> = None;
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(2) {
            let Ok(ora) = self.script(
                "const r = arguments[0].getBoundingClientRect(); \
                 return [r.left, r.top, window.scrollX, window.scrollY]",
                vec![e.json()],
            ) else {
                return;
            };
            if prima.as_ref() == Some(&ora) {
                return;
            }
            prima = Some(ora);
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    pub fn click(&self, e: &Elem) -> Result<()> {
        let _ = self.script(
            "arguments[0].scrollIntoView({block: 'nearest'})",
            vec![e.json()],
        );
        self.fermo(e);
        let start = Instant::now();
        loop {
            match self.post(&format!("/element/{}/click", e.0), json!({})) {
                Ok(_) => return Ok(()),
                Err(err)
                    if (is_wd_error(&err, "element click intercepted")
                        || is_wd_error(&err, "element not interactable"))
                        && start.elapsed() < Duration::from_secs(5) =>
                {
                    std::thread::sleep(Duration::from_millis(250));
                }
                Err(err)
                    if is_wd_error(&err, "element click intercepted")
                        || is_wd_error(&err, "element not interactable") =>
                {
                    self.script("arguments[0].click()", vec![e.json()])?;
                    return Ok(());
                }
                Err(err) => return Err(err),
            }
        }
    }

    /// Waits for an enabled element with this test id and clicks it.
    pub fn click_testid(&self, id: &str, timeout: Duration) -> Result<()> {
        let e = wait_for(&format!("enabled `{}`", tid(id)), timeout, || {
            for e in self.all(&tid(id))? {
                if self.enabled(&e)? {
                    return Ok(Some(e));
                }
            }
            Ok(None)
        })?;
        self.click(&e)
    }

    /// Types text into an element (W3C "element send keys"; for a file input, a path).
    pub fn send_keys(&self, e: &Elem, text: &str) -> Result<()> {
        self.post(&format!("/element/{}/value", e.0), json!({ "text": text }))
            .map(|_| ())
    }

    /// Replaces an input's value as a clerk would, with keys only (select all, Backspace, type):
    /// W3C "element clear" empties the DOM value without the input event React listens to.
    /// Checked through the DOM property afterwards.
    pub fn fill(&self, e: &Elem, text: &str) -> Result<()> {
        let old = self.property(e, "value")?;
        if !old.is_empty() {
            // Ctrl+A (\u{E009} presses and, with \u{E000}, releases Control), then Backspace.
            self.send_keys(e, "\u{E009}a\u{E000}\u{E003}")?;
            let left = self.property(e, "value")?;
            if !left.is_empty() {
                // No select-all here: End, then one Backspace per character.
                let keys: String = std::iter::once('\u{E010}')
                    .chain(std::iter::repeat_n('\u{E003}', left.chars().count()))
                    .collect();
                self.send_keys(e, &keys)?;
            }
        }
        if !text.is_empty() {
            self.send_keys(e, text)?;
        }
        let now = self.property(e, "value")?;
        if now != text {
            bail!("input holds {now:?} after typing {text:?}");
        }
        Ok(())
    }

    pub fn attr(&self, e: &Elem, name: &str) -> Result<Option<String>> {
        let v = self.get(&format!("/element/{}/attribute/{name}", e.0))?;
        Ok(v.as_str().map(str::to_string))
    }

    pub fn property(&self, e: &Elem, name: &str) -> Result<String> {
        let v = self.get(&format!("/element/{}/property/{name}", e.0))?;
        Ok(match v {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        })
    }

    pub fn text(&self, e: &Elem) -> Result<String> {
        Ok(self
            .get(&format!("/element/{}/text", e.0))?
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// Elements matching `css` inside `e`.
    pub fn within(&self, e: &Elem, css: &str) -> Result<Vec<Elem>> {
        let v = self.post(
            &format!("/element/{}/elements", e.0),
            json!({ "using": "css selector", "value": css }),
        )?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str().map(|s| Elem(s.to_string())))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Runs a synchronous script in the page.
    pub fn script(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
    }

    /// Runs an asynchronous script: its last argument is the callback that ends it.
    pub fn script_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.post("/execute/async", json!({ "script": script, "args": args }))
    }

    /// How long a script may run.
    pub fn set_script_timeout(&self, t: Duration) -> Result<()> {
        self.post("/timeouts", json!({ "script": t.as_millis() as u64 }))
            .map(|_| ())
    }

    /// Picks an option of a `<select>` by value, firing the events React listens to.
    pub fn select_value(&self, e: &Elem, value: &str) -> Result<()> {
        // WebKitWebDriver cannot click <option>s of a native select reliably: set the value
        // through the native setter (so React's tracker sees the change) and dispatch `change`.
        self.script(
            "const s = arguments[0]; \
             const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set; \
             set.call(s, arguments[1]); \
             s.dispatchEvent(new Event('change', { bubbles: true })); \
             return s.value",
            vec![e.json(), json!(value)],
        )?;
        let now = self.property(e, "value")?;
        if now != value {
            bail!("select holds {now:?}, wanted {value:?} (no such option?)");
        }
        Ok(())
    }

    pub fn source(&self) -> Result<String> {
        Ok(self
            .get("/source")?
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// Resizes the window to `width`×`height` CSS pixels (W3C Set Window Rect) and returns the
    /// page's inner size as the page sees it (`[innerWidth, innerHeight]`), which may differ by
    /// the window decorations.
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<(u64, u64)> {
        self.post("/window/rect", json!({ "width": width, "height": height }))?;
        let v = self.script("return [window.innerWidth, window.innerHeight]", vec![])?;
        let w = v[0].as_u64().context("innerWidth")?;
        let h = v[1].as_u64().context("innerHeight")?;
        Ok((w, h))
    }

    /// Saves a PNG of the window (see [`NUDGE`]).
    pub fn screenshot(&self, path: &Path) -> Result<()> {
        // WebKitWebDriver waits for the page's next frame; without GPU compositing (the app's
        // default on Linux) an idle page draws none and the request would hang, so a 1-pixel,
        // invisible element blinks for 2 s meanwhile (best effort: a broken page still gets
        // its screenshot).
        let _ = self.script(NUDGE, vec![]);
        let v = self.get("/screenshot")?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .context("screenshot is not base64")?;
        std::fs::write(path, png).with_context(|| format!("write {}", path.display()))
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if !self.closed {
            let _ = self.cmd(reqwest::Method::DELETE, "", None);
        }
    }
}

impl Elem {
    /// The element as a script argument.
    pub fn json(&self) -> Value {
        json!({ ELEMENT_KEY: self.0 })
    }
}

/// The CSS selector of a `data-testid`.
pub fn tid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

/// Reads a child's stdout line by line until the lines so far parse as one JSON value.
pub fn read_json(out: impl std::io::Read + Send + 'static) -> Result<Value> {
    let mut buf = String::new();
    let mut lines = BufReader::new(out).lines();
    while let Some(line) = lines.next() {
        buf.push_str(&line?);
        buf.push('\n');
        if let Ok(v) = serde_json::from_str::<Value>(&buf) {
            // Keep draining so the child never blocks on a full pipe.
            std::thread::spawn(move || for _ in lines.by_ref() {});
            return Ok(v);
        }
    }
    bail!("the process ended before printing JSON: {buf}")
}

/// Makes the page draw a few frames over the next 2 s (a 1-pixel, nearly transparent element
/// in a corner), so that a WebDriver screenshot requested now gets the frame it waits for.
const NUDGE: &str = "const el = document.createElement('div'); \
    el.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;opacity:0'; \
    document.body.appendChild(el); let n = 0; \
    const t = setInterval(() => { el.style.opacity = n % 2 ? '0' : '0.01'; \
      if (++n > 20) { clearInterval(t); el.remove(); } }, 100);";
