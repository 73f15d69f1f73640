use super::session;
use crate::select::{matches, select};
use crate::Error;

const M: &str = "nodes:
  a:
    stage: make
    foreach: {d: [X, Y], c: ['1', '2']}
  b:
    stage: make
    foreach: {d: [X, Y]}
    needs: ['a@{d}']
  c:
    stage: make
    needs: [b]
";

#[test]
fn targets_select_what_they_name_and_everything_upstream() {
    let (_d, s) = session(M);
    let cases: &[(&[&str], bool, &[&str])] = &[
        (&["a@X@1"], false, &["a@X@1"]),
        (&["b@Y"], false, &["a@Y@1", "a@Y@2", "b@Y"]),
        (&["a@*@2"], false, &["a@X@2", "a@Y@2"]),
        // Downstream of `a@X@1` reaches `c`, and `c` needs every `b`, so everything.
        (
            &["a@X@1"],
            true,
            &["a@X@1", "a@X@2", "a@Y@1", "a@Y@2", "b@X", "b@Y", "c"],
        ),
        (
            &["b@X"],
            true,
            &["a@X@1", "a@X@2", "a@Y@1", "a@Y@2", "b@X", "b@Y", "c"],
        ),
        (
            &["c"],
            false,
            &["a@X@1", "a@X@2", "a@Y@1", "a@Y@2", "b@X", "b@Y", "c"],
        ),
    ];
    for (targets, downstream, expected) in cases {
        let t: Vec<String> = targets.iter().map(|t| t.to_string()).collect();
        let mut got = super::ids(&s, &select(&s.graph, &t, *downstream).unwrap());
        got.sort();
        assert_eq!(got, *expected, "{targets:?} downstream={downstream}");
    }
    // No target: the whole graph.
    assert_eq!(select(&s.graph, &[], false).unwrap().len(), 7);
}

#[test]
fn unknown_targets_say_what_exists() {
    let (_d, s) = session(M);
    let cases = [
        ("bb", "no node `bb`", "did you mean `b`?"),
        (
            "a@Z",
            "no instance of `a` matches",
            "instances of `a` include: a@X@1",
        ),
    ];
    for (target, message, suggestion) in cases {
        match matches(&s.graph, target) {
            Err(Error::UnknownTarget {
                message: m,
                suggestion: Some(h),
            }) => {
                assert!(m.contains(message), "{target}: {m}");
                assert!(h.contains(suggestion), "{target}: {h}");
            }
            other => panic!("{target}: {other:?}"),
        }
    }
}
