//! The UI's HTTP server: a fixed pool of threads over `std::net`, with read and write timeouts
//! on every connection, so one slow or stalled client holds one thread for at most the timeout
//! and never the whole UI.
//!
//! Why not tiny_http (used before): it serves requests one at a time from its iterator and
//! exposes no socket timeouts, so a client that asked for a 10 MB CSV and never read it froze
//! every page. Why not axum: the UI needs GET and HEAD of small pages on localhost; a tokio
//! stack would add minutes of build time for nothing the thread pool does not do. The request
//! line and headers are read (up to 64 KB), the body ignored (GET and HEAD have none), and each
//! reply carries `Content-Length` and `Connection: close`.
//!
//! The timeouts are deadlines for the whole request and the whole reply, not per read or write:
//! a socket timeout alone restarts on every byte taken, so a client that read a little now and
//! then (or a large reply written in many calls) held a thread for many times the timeout.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use super::{handle, Reply};
use crate::engine::workspace::Workspace;

/// Requests served at once; more wait in the accept queue.
const THREADS: usize = 8;
/// Connections accepted but not yet served; beyond this a client gets 503 at once.
const QUEUE: usize = 64;
/// A client must send its whole request within this, and take the whole reply within this.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The request line and headers: room for a query of several 4 KB values percent-encoded.
const MAX_HEAD: u64 = 64 * 1024;
/// A reply is written in pieces of this size, each with the time left before the deadline.
const CHUNK: usize = 64 * 1024;

/// Serves until the process is stopped.
pub fn run(ws: Workspace, listener: TcpListener) {
    let ws = Arc::new(ws);
    let loopback = listener
        .local_addr()
        .map(|a| a.ip().is_loopback())
        .unwrap_or(true);
    let (tx, rx) = mpsc::sync_channel::<TcpStream>(QUEUE);
    let rx = Arc::new(Mutex::new(rx));
    for _ in 0..THREADS {
        let rx = Arc::clone(&rx);
        let ws = Arc::clone(&ws);
        std::thread::spawn(move || loop {
            let next = rx.lock().map(|r| r.recv());
            match next {
                Ok(Ok(stream)) => serve_one(&ws, stream, loopback),
                _ => return,
            }
        });
    }
    for stream in listener.incoming().flatten() {
        if let Err(mpsc::TrySendError::Full(mut s)) = tx.try_send(stream) {
            let _ = s.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = write_reply(
                &mut s,
                &text(503, "busy: try again\n"),
                false,
                Instant::now() + Duration::from_secs(1),
            );
        }
    }
}

fn text(status: u16, body: &str) -> Reply {
    Reply {
        status,
        content_type: "text/plain; charset=utf-8",
        body: body.as_bytes().to_vec(),
        filename: None,
    }
}

/// Time left before `deadline`, or `None` when it has passed.
fn left(deadline: Instant) -> Option<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
}

/// Reads one line (through its `\n`) into `buf` by `deadline`: the bytes read, 0 at the end of
/// the stream, on an error, or when the deadline passes first. Every read gets only the time
/// left: `read_until` retries inside one call, so under one socket timeout a client sending a
/// byte a second kept its thread until the line was done (a tester's 8 such clients froze the
/// UI for as long as they liked, until 2026-12-07).
fn read_line_by(
    reader: &mut BufReader<std::io::Take<TcpStream>>,
    stream: &TcpStream,
    deadline: Instant,
    buf: &mut Vec<u8>,
) -> usize {
    let start = buf.len();
    loop {
        let Some(t) = left(deadline) else {
            return 0;
        };
        let _ = stream.set_read_timeout(Some(t));
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return 0,
        };
        if available.is_empty() {
            return buf.len() - start;
        }
        match available.iter().position(|&b| b == b'\n') {
            Some(i) => {
                buf.extend_from_slice(&available[..=i]);
                reader.consume(i + 1);
                return buf.len() - start;
            }
            None => {
                let n = available.len();
                buf.extend_from_slice(available);
                reader.consume(n);
            }
        }
    }
}

/// Whether a request's `Host` names this server as a browser on this machine reaches it: on a
/// loopback address only `localhost` (and a name under it, `app.localhost`, which browsers
/// resolve to loopback themselves), `127.0.0.1` and `[::1]`, with any port and a trailing dot
/// or not. A page on
/// another site can make a browser send requests here under its own name (DNS rebinding), and
/// the UI has no authentication; such requests get 403. Bound elsewhere (`--host`), every name.
fn host_allowed(loopback: bool, host: Option<&str>) -> bool {
    let Some(host) = host else {
        return true;
    };
    if !loopback {
        return true;
    }
    let host = host.trim().to_ascii_lowercase();
    let name = match host.strip_prefix('[') {
        Some(v6) => v6
            .split(']')
            .next()
            .map(|h| format!("[{h}]"))
            .unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default().to_string(),
    };
    let name = name.trim_end_matches('.');
    matches!(name, "localhost" | "127.0.0.1" | "[::1]") || name.ends_with(".localhost")
}

fn serve_one(ws: &Workspace, mut stream: TcpStream, loopback: bool) {
    let deadline = Instant::now() + TIMEOUT;
    let _ = stream.set_write_timeout(Some(TIMEOUT));
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(clone.take(MAX_HEAD));
    let mut line = Vec::new();
    if read_line_by(&mut reader, &stream, deadline, &mut line) == 0 {
        return;
    }
    // Read the headers up to the blank line, keeping only `Host`.
    let mut complete = false;
    let mut host: Option<String> = None;
    loop {
        let mut h = Vec::new();
        match read_line_by(&mut reader, &stream, deadline, &mut h) {
            0 => break,
            _ if h.iter().all(u8::is_ascii_whitespace) => {
                complete = true;
                break;
            }
            _ => {
                let h = String::from_utf8_lossy(&h);
                if let Some((k, v)) = h.split_once(':') {
                    if k.trim().eq_ignore_ascii_case("host") {
                        host = Some(v.trim().to_string());
                    }
                }
            }
        }
    }
    let line = std::str::from_utf8(&line);
    let mut parts = line.unwrap_or("").split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let head = method == "HEAD";
    let reply = if !complete {
        text(400, "bad request: incomplete or oversized request head\n")
    } else if line.is_err() {
        text(
            400,
            "bad request: the request line is not UTF-8 (percent-encode the query)\n",
        )
    } else if method != "GET" && !head {
        text(405, "only GET and HEAD\n")
    } else if !target.starts_with('/') {
        text(400, "bad request: the target must be a path\n")
    } else if !host_allowed(loopback, host.as_deref()) {
        text(
            403,
            "forbidden: this UI answers requests for localhost, 127.0.0.1 or [::1] only (a page of another site may be asking through your browser); open it at http://localhost:PORT/ (through an SSH tunnel too). `--host` binds it off loopback, to every name, with no authentication\n",
        )
    } else {
        handle(ws, target)
    };
    let _ = write_reply(&mut stream, &reply, head, Instant::now() + TIMEOUT);
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

/// Writes the reply by `deadline`, or gives up (a client that does not read holds its thread
/// for the timeout at most, however large the reply).
fn write_reply(
    s: &mut TcpStream,
    r: &Reply,
    head_only: bool,
    deadline: Instant,
) -> std::io::Result<()> {
    let mut h = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len()
    );
    if r.status == 405 {
        h.push_str("Allow: GET, HEAD\r\n");
    }
    if let Some(name) = &r.filename {
        h.push_str(&format!(
            "Content-Disposition: attachment; filename=\"{name}\"\r\n"
        ));
    }
    h.push_str("\r\n");
    let body: &[u8] = if head_only { &[] } else { &r.body };
    for piece in h.as_bytes().chunks(CHUNK).chain(body.chunks(CHUNK)) {
        let mut piece = piece;
        while !piece.is_empty() {
            let t = left(deadline).ok_or(std::io::ErrorKind::TimedOut)?;
            s.set_write_timeout(Some(t))?;
            match s.write(piece) {
                Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
                Ok(n) => piece = &piece[n..],
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
    s.flush()
}
