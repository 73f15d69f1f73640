//! The web UI: served by the binary itself ([`server`]: a thread pool with timeouts), offline (inline CSS and SVG, no script,
//! no CDN), bound to localhost by default. It only reads: engine state and the files the
//! manifest's nodes write, found through it per request ([`outputs`]); no request can name a
//! file. Pages: Overview, Scores, Whitespace,
//! Models, Data quality, Audit. Unknown query parameters, path tricks and oversized pages are
//! refused with 400 or 404.

mod cache;
mod charts;
mod customer;
mod files;
mod format;
mod html;
mod listing;
mod models;
mod oracle;
mod outputs;
pub mod pages;
mod quality;
mod server;
mod status;

use std::collections::BTreeMap;

use crate::engine::workspace::Workspace;

/// Decoded query parameters.
pub struct Query(BTreeMap<String, String>);

impl Query {
    pub fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).map(String::as_str)
    }
}

/// A response: status, content type, body, optional download file name.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub filename: Option<String>,
}

impl Reply {
    pub fn html(s: String) -> Reply {
        Reply {
            status: 200,
            content_type: "text/html; charset=utf-8",
            body: s.into_bytes(),
            filename: None,
        }
    }
    pub fn csv(body: Vec<u8>, name: &str) -> Reply {
        Reply {
            status: 200,
            content_type: "text/csv; charset=utf-8",
            body,
            filename: Some(name.to_string()),
        }
    }
    pub fn bad(msg: &str) -> Reply {
        Reply {
            status: 400,
            content_type: "text/plain; charset=utf-8",
            body: format!("bad request: {msg}\n").into_bytes(),
            filename: None,
        }
    }
    /// A file behind the request cannot be read whole: 500, with why.
    pub fn unreadable(msg: &str) -> Reply {
        Reply {
            status: 500,
            content_type: "text/plain; charset=utf-8",
            body: format!("cannot serve: {msg}\n").into_bytes(),
            filename: None,
        }
    }
    pub fn missing(msg: &str) -> Reply {
        Reply {
            status: 404,
            content_type: "text/plain; charset=utf-8",
            body: format!("not found: {msg}\n").into_bytes(),
            filename: None,
        }
    }
    fn not_found(path: &str) -> Reply {
        Reply {
            status: 404,
            content_type: "text/plain; charset=utf-8",
            body: format!("no page `{path}`\n").into_bytes(),
            filename: None,
        }
    }
}

/// The longest query value accepted, in bytes: far above any customer id or search a person
/// types, yet a bound. A longer id is shown without a link (see `listing::cells`), so every link
/// the UI prints opens.
pub const MAX_VALUE: usize = 4096;

fn parse_query(raw: &str) -> Result<Query, Reply> {
    let mut m = BTreeMap::new();
    for part in raw.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        // Composed (NFC), as every cell is stored: a name pasted decomposed (`u` + U+0308, as
        // macOS file names hold `ü`) matched nothing.
        let dec = |s: &str| {
            use unicode_normalization::UnicodeNormalization;
            percent_encoding::percent_decode_str(&s.replace('+', " "))
                .decode_utf8()
                .map(|c| c.nfc().collect::<String>())
        };
        let (k, v) = (
            dec(k).map_err(|_| Reply::bad("query is not UTF-8"))?,
            dec(v).map_err(|_| Reply::bad("query is not UTF-8"))?,
        );
        if v.len() > MAX_VALUE {
            return Err(Reply::bad(&format!(
                "`{k}` is too long ({} bytes; at most {MAX_VALUE})",
                v.len()
            )));
        }
        if m.contains_key(&k) {
            return Err(Reply::bad(&format!("`{k}` is given more than once")));
        }
        m.insert(k, v);
    }
    Ok(Query(m))
}

/// Routes one request (GET path with query) to a page.
pub fn handle(ws: &Workspace, url: &str) -> Reply {
    cache::new_request();
    let (path, raw) = url.split_once('?').unwrap_or((url, ""));
    let query = match parse_query(raw) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let allowed: &[&str] = match path {
        "/" | "/quality" | "/audit" => &[],
        "/models" => &["division"],
        "/customer" => &["id"],
        "/scores" => &["division", "icp_grade"],
        "/whitespace" => &["division"],
        _ => return Reply::not_found(path),
    };
    let mut allowed = allowed.to_vec();
    if matches!(path, "/scores" | "/whitespace") {
        allowed.extend_from_slice(listing::PARAMS);
    }
    if let Some(k) = query.0.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Reply::bad(&if allowed.is_empty() {
            format!("unknown query parameter `{k}`: {path} takes none")
        } else {
            format!(
                "unknown query parameter `{k}` for {path} (accepted: {})",
                allowed.join(", ")
            )
        });
    }
    match path {
        "/" => pages::overview(ws),
        "/scores" => pages::scores(ws, &query),
        "/whitespace" => pages::whitespace(ws, &query),
        "/models" => models::page_for(ws, &query),
        "/customer" => customer::page_for(ws, &query),
        "/quality" => quality::quality(ws),
        _ => pages::audit(ws),
    }
}

/// Serves until the process is stopped. Prints the address it listens on (port 0 picks one).
pub fn serve(ws: Workspace, host: &str, port: u16) -> Result<(), crate::Error> {
    let listener = std::net::TcpListener::bind((host, port)).map_err(|e| {
        let hint = (e.kind() == std::io::ErrorKind::AddrInUse).then(|| {
            format!("another program (another `gosales ui`?) holds port {port}: pass `--port` with another, or `--port 0` for any free one")
        });
        crate::Error::usage(format!("cannot listen on {host}:{port}: {e}"), hint)
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| crate::Error::usage(format!("cannot listen on {host}:{port}: {e}"), None))?;
    eprintln!("gosales ui: listening on http://{addr}/ (Ctrl-C to stop)");
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: the UI has no authentication: anyone who can reach {addr} can read every score, customer name and QA report"
        );
    }
    server::run(ws, listener);
    Ok(())
}
