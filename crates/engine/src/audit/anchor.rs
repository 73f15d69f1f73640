//! The chain's head, and heads kept from earlier audits.
//!
//! No key signs the run log: whoever can write the workspace can edit a record and recompute
//! every hash after it, and the chain is whole again. What such a rewrite cannot do is keep the
//! hash of a record it changed, or of any record after one it changed, since each hash covers
//! the one before it. So a head copied out of the workspace (a commit message, a ticket, a CI
//! artefact), as a git commit hash anchors a history, turns "the log agrees with itself" into
//! "the log up to that head is the one that existed then".

use serde::Serialize;

use super::Problem;
use crate::runlog::{ChainProblem, LogLine};

/// The last record: the value to keep outside the workspace.
#[derive(Debug, Clone, Serialize)]
pub struct Head {
    pub hash: String,
    /// Its sequence number: how many records the chain holds up to it.
    pub record: u64,
}

/// A head given to the audit, found as a record of this chain with everything before it intact.
#[derive(Debug, Clone, Serialize)]
pub struct Anchor {
    pub hash: String,
    pub record: u64,
    /// The record's line in `cache/runlog.jsonl`.
    pub line: usize,
}

/// The last record's hash and number, whatever the chain's state (the verdict says whether it
/// can be trusted).
pub fn head(records: &[LogLine]) -> Option<Head> {
    records.last().map(|(_, rec, _)| Head {
        hash: rec.hash.clone(),
        record: rec.seq,
    })
}

/// A head as written by a user: the 64 hex digits `gosales audit` prints, any case. Whole: a
/// prefix would let a rewrite search for a record whose hash merely starts the same way.
pub fn parse_head(s: &str) -> Result<String, String> {
    let h = s.trim().to_ascii_lowercase();
    if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(h)
    } else {
        Err(format!(
            "`{s}` is no head: a head is the 64 hex digits `{}` prints after `head`",
            crate::advice::audit()
        ))
    }
}

/// Checks each head in `heads` against the chain: found, and every line up to it verified.
pub(super) fn check(
    records: &[LogLine],
    chain: &[ChainProblem],
    heads: &[String],
    problems: &mut Vec<Problem>,
) -> Vec<Anchor> {
    let mut anchors = Vec::new();
    for given in heads {
        let hash = match parse_head(given) {
            Ok(h) => h,
            Err(e) => {
                problems.push(Problem {
                    what: "--head".into(),
                    detail: e,
                });
                continue;
            }
        };
        let what = format!("head {}", &hash[..16]);
        let Some((line, rec, _)) = records.iter().find(|(_, r, _)| r.hash == hash) else {
            problems.push(Problem {
                what,
                detail: format!(
                    "no record of cache/runlog.jsonl has this hash: the history up to this head was rewritten (even with every hash recomputed) or cut (the log holds {} records now)",
                    records.len()
                ),
            });
            continue;
        };
        // The found record vouches for those before it only if each links to the next.
        if let Some(p) = chain.iter().find(|p| p.line <= *line) {
            problems.push(Problem {
                what,
                detail: format!(
                    "is record {} (cache/runlog.jsonl:{line}), but the chain before it is broken at line {}: {}",
                    rec.seq, p.line, p.message
                ),
            });
            continue;
        }
        anchors.push(Anchor {
            hash,
            record: rec.seq,
            line: *line,
        });
    }
    anchors
}
