//! What a `cmd` reads of its upstreams: the output files its fingerprint holds
//! ([`Instance::partial_reads`]).

use std::collections::BTreeMap;

use super::{Graph, Instance, InstanceAction};
use crate::manifest::Manifest;

impl Instance {
    /// Of upstream instance `d`'s outputs (path to hash), the ones this instance reads: all of
    /// them unless it is a `cmd` that reads `d` in part ([`Instance::partial_reads`]).
    pub fn reads_of(
        &self,
        d: usize,
        outputs: &BTreeMap<String, String>,
    ) -> Option<BTreeMap<String, String>> {
        let paths = self.partial_reads.get(&d)?;
        let read = |k: &str| {
            paths
                .iter()
                .any(|p| k == p || (k.starts_with(p.as_str()) && k[p.len()..].starts_with('/')))
        };
        outputs.keys().any(|k| !read(k)).then(|| {
            outputs
                .iter()
                .filter(|(k, _)| read(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
    }
}

impl Graph {
    /// Renders each `cmd` once ([`Instance::command`]). A command that names a path beside an
    /// upstream's outputs it does not declare (its other output by its literal path,
    /// `outputs/up/*.csv`) then reads that upstream whole: with only its declared files in the
    /// fingerprint, such a command stayed fresh on a changed output it reads. Its own inputs and
    /// outputs are taken out of the text first. (A path it computes, `$(dirname
    /// {in.t})/top.csv`, is not seen: declare what it reads.)
    pub(super) fn render_commands(&mut self, m: &Manifest) {
        for i in 0..self.instances.len() {
            let inst = &self.instances[i];
            let InstanceAction::Cmd { template } = &inst.action else {
                continue;
            };
            let Ok(rendered) =
                crate::executor::render_cmd(m, self, inst, template, &|o| o.path.clone())
            else {
                continue;
            };
            self.instances[i].command = Some(rendered.clone());
            let inst = &self.instances[i];
            if inst.partial_reads.is_empty() {
                continue;
            }
            let mut text = rendered;
            for p in inst.declared_paths() {
                text = text.replace(p, " ");
            }
            let names = |root: &str| {
                let dir = root.rsplit_once('/').map_or("", |(d, _)| d);
                text.contains(root) || (!dir.is_empty() && text.contains(&format!("{dir}/")))
            };
            let whole: Vec<usize> = inst
                .partial_reads
                .keys()
                .copied()
                .filter(|&d| self.instances[d].outputs.iter().any(|o| names(&o.path)))
                .collect();
            for d in whole {
                self.instances[i].partial_reads.remove(&d);
            }
        }
    }
}
