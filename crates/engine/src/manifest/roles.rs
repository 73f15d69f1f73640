//! `needs` entries and the roles they fill (see [`Need`]).

use super::*;

/// One `needs` entry: a target (`node` or `node@pattern`) and the role it fills for the node.
///
/// `needs` is a list (`[features, "labels@{division}"]`) or a map from role to target
/// (`{features: features_score, train: train}`). A built-in stage declares the roles it reads
/// ([`crate::Role`]); a list entry fills a role when it names the role's default node, and
/// every other entry's role is its node's name. A stage's required role that nothing fills, or a
/// map key that is not one of its roles, is a load error pointing at the line.
#[derive(Debug, Clone)]
pub struct Need {
    pub target: Located,
    /// The role (stages read upstream outputs by it; `{in.ROLE}` in a `cmd`).
    pub role: String,
    /// Where the role was written, when `needs` is a map.
    pub role_pos: Option<Pos>,
}

impl Manifest {
    /// Gives every `needs` entry its role (see [`Need`]), checking each stage's roles.
    pub(super) fn bind_roles(&mut self, catalog: &dyn StageCatalog) -> Result<(), ManifestError> {
        let node_of = |n: &Need| n.target.text.split('@').next().unwrap_or("").to_string();
        for i in 0..self.nodes.len() {
            let def = &self.nodes[i];
            let roles = match &def.action {
                Action::Stage { name, .. } => catalog.roles(name),
                Action::Cmd { .. } => Vec::new(),
            };
            let stage = match &def.action {
                Action::Stage { name, .. } => name.clone(),
                Action::Cmd { .. } => String::new(),
            };
            let mut bound: Vec<String> = def.needs.iter().map(|n| n.role.clone()).collect();
            if let Action::Stage { .. } = &def.action {
                for n in &def.needs {
                    if let Some(pos) = n.role_pos {
                        if !roles.iter().any(|r| r.name == n.role) {
                            let known: Vec<&str> = roles.iter().map(|r| r.name).collect();
                            return Err(self.file.error(
                                pos,
                                ErrorKind::UnknownRole {
                                    node: def.name.clone(),
                                    stage: stage.clone(),
                                    role: n.role.clone(),
                                    suggestion: suggest(&n.role, known.iter().copied()),
                                    known: known.join(", "),
                                },
                            ));
                        }
                    }
                }
            }
            for role in &roles {
                if bound.iter().any(|b| b == role.name) {
                    continue;
                }
                let by_name = def
                    .needs
                    .iter()
                    .position(|n| n.role_pos.is_none() && node_of(n) == role.default_node);
                match by_name {
                    Some(k) if bound[k].is_empty() => bound[k] = role.name.to_string(),
                    _ if role.required => {
                        return Err(self.file.error(
                            def.needs.first().map(|n| n.target.pos).unwrap_or(def.pos),
                            ErrorKind::UnboundRole {
                                node: def.name.clone(),
                                stage: stage.clone(),
                                role: role.name.to_string(),
                                about: role.about.to_string(),
                                default_node: role.default_node.to_string(),
                            },
                        ));
                    }
                    _ => {}
                }
            }
            // Each role filled by a node of a stage that writes what it reads.
            for (n, b) in def.needs.iter().zip(&bound) {
                let Some(role) = roles.iter().find(|r| r.name == b && !r.stages.is_empty()) else {
                    continue;
                };
                let target = node_of(n);
                let target_stage =
                    self.nodes
                        .iter()
                        .find(|d| d.name == target)
                        .and_then(|d| match &d.action {
                            Action::Stage { name, .. } => Some(name.clone()),
                            Action::Cmd { .. } => None,
                        });
                if let Some(target_stage) =
                    target_stage.filter(|t| !role.stages.contains(&t.as_str()))
                {
                    return Err(self.file.error(
                        n.target.pos,
                        ErrorKind::RoleStage {
                            node: def.name.clone(),
                            role: role.name.to_string(),
                            target,
                            target_stage,
                            expected: role.stages.join("` or `"),
                        },
                    ));
                }
            }
            let def = &mut self.nodes[i];
            for (n, role) in def.needs.iter_mut().zip(bound) {
                n.role = if role.is_empty() { node_of(n) } else { role };
            }
        }
        Ok(())
    }
}
