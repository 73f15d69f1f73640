use super::{load, session, workspace};
use crate::diagnostic::ErrorKind;
use crate::Error;

const UP: &str =
    "nodes:\n  a:\n    stage: make\n  b:\n    stage: make\n  other:\n    stage: make\n";

#[test]
fn needs_entries_get_their_roles() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        // A list names the roles' default nodes.
        ("[a, b]", &[("left", "a"), ("right", "b")]),
        // Optional roles may stay empty; other entries keep their node's name.
        ("[a, other]", &[("left", "a"), ("other", "other")]),
        // A map binds roles to any node.
        (
            "{left: other, right: a}",
            &[("left", "other"), ("right", "a")],
        ),
    ];
    for (needs, expected) in cases {
        let (_d, s) = session(&format!("{UP}  j:\n    stage: join\n    needs: {needs}\n"));
        let j = &s.graph.instances[s.graph.index["j"]];
        let got: Vec<(String, String)> = j
            .needs
            .iter()
            .map(|(role, v)| (role.clone(), s.graph.instances[v[0]].id.clone()))
            .collect();
        let want: Vec<(String, String)> = expected
            .iter()
            .map(|(r, n)| (r.to_string(), n.to_string()))
            .collect();
        assert_eq!(got, want, "needs: {needs}");
    }
}

#[test]
fn roles_that_cannot_be_bound_fail_at_load() {
    let cases: &[(&str, &str, usize)] = &[
        ("[other]", "reads role `left`", 10),
        ("{lef: a}", "has no role `lef`", 10),
    ];
    for (needs, message, line) in cases {
        let dir = workspace(&format!("{UP}  j:\n    stage: join\n    needs: {needs}\n"));
        match load(dir.path()) {
            Err(Error::Manifest(m)) => {
                assert!(m.message.contains(message), "{needs}: {}", m.message);
                assert!(
                    m.location.contains(&format!("pipeline.yaml:{line}:")),
                    "{needs}: {}",
                    m.location
                );
                assert!(matches!(
                    m.kind,
                    ErrorKind::UnboundRole { .. } | ErrorKind::UnknownRole { .. }
                ));
            }
            Err(e) => panic!("{needs}: {e}"),
            Ok(_) => panic!("{needs}: loaded"),
        }
    }
}

#[test]
fn a_role_filled_by_a_node_of_another_stage_fails_at_load() {
    // `left` reads a `make` node's outputs; a `join` node there is the wrong kind (a tester
    // swapped a train node's `labels` and `features`: it loaded, and failed mid-run).
    let manifest = "nodes:\n  a:\n    stage: make\n  b:\n    stage: join\n    needs: [a]\n  c:\n    stage: join\n    needs: {left: b}\n";
    let dir = workspace(manifest);
    match load(dir.path()) {
        Err(Error::Manifest(m)) => {
            assert!(
                matches!(&m.kind, ErrorKind::RoleStage { role, target, .. } if role == "left" && target == "b"),
                "{:?}",
                m.kind
            );
            assert!(m.location.ends_with(":9:19"), "{}", m.location);
        }
        Err(e) => panic!("not a manifest error: {e}"),
        Ok(_) => panic!("loaded"),
    }
    // A `cmd` node fills any role.
    let manifest = "nodes:\n  a:\n    cmd: echo > {out.o}\n    outputs: {o: outputs/a.txt}\n  c:\n    stage: join\n    needs: {left: a}\n";
    assert!(load(workspace(manifest).path()).is_ok());
}
