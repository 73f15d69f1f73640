//! The commands the engine's messages advise, as the front end spells them
//! ([`crate::set_commands`]).

fn with(words: &[&str]) -> String {
    words
        .iter()
        .filter(|w| !w.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `gosales run`.
pub(crate) fn run() -> String {
    let c = crate::commands();
    with(&[&c.program, &c.run])
}

/// `gosales run --target ID`.
pub(crate) fn run_target(id: &str) -> String {
    let c = crate::commands();
    with(&[&c.program, &c.run, &c.target, &shell_word(id)])
}

/// `gosales run --force A --force B`: each instance or node forced.
pub(crate) fn run_force<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    let c = crate::commands();
    let mut words = vec![c.program.clone(), c.run.clone()];
    for id in ids {
        words.push(c.force.clone());
        words.push(shell_word(id));
    }
    with(&words.iter().map(String::as_str).collect::<Vec<_>>())
}

/// `gosales explain ID`.
pub(crate) fn explain(id: &str) -> String {
    let c = crate::commands();
    with(&[&c.program, &c.explain, &shell_word(id)])
}

/// `gosales audit`.
pub(crate) fn audit() -> String {
    let c = crate::commands();
    with(&[&c.program, &c.audit])
}

/// `gosales audit --head HASH`.
pub(crate) fn audit_head(hash: &str) -> String {
    let c = crate::commands();
    with(&[&c.program, &c.audit, &c.head, hash])
}

/// `s` as one shell word: bare when it is plainly safe, else single-quoted.
pub(crate) fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.@/".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
