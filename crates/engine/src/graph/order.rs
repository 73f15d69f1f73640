//! The order instances run in, and the cycle that prevents one.

use petgraph::graph::{DiGraph, NodeIndex};

use super::Instance;

/// Kahn's algorithm, always taking the lowest index ready: the order follows the manifest.
pub(super) fn stable_topo(instances: &[Instance]) -> Option<Vec<usize>> {
    let n = instances.len();
    let mut indegree: Vec<usize> = instances.iter().map(|i| i.deps.len()).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, inst) in instances.iter().enumerate() {
        for &d in &inst.deps {
            children[d].push(i);
        }
    }
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<usize>> = (0..n)
        .filter(|&i| indegree[i] == 0)
        .map(std::cmp::Reverse)
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(std::cmp::Reverse(i)) = ready.pop() {
        order.push(i);
        for &c in &children[i] {
            indegree[c] -= 1;
            if indegree[c] == 0 {
                ready.push(std::cmp::Reverse(c));
            }
        }
    }
    (order.len() == n).then_some(order)
}

/// One cycle, as instance indices, found inside a strongly connected component.
pub(super) fn find_cycle(dag: &DiGraph<usize, ()>) -> Vec<usize> {
    for scc in petgraph::algo::kosaraju_scc(dag) {
        let self_loop = scc.len() == 1 && dag.contains_edge(scc[0], scc[0]);
        if scc.len() < 2 && !self_loop {
            continue;
        }
        let members: std::collections::HashSet<NodeIndex> = scc.iter().copied().collect();
        let start = *scc.iter().min().unwrap();
        // DFS inside the component back to `start`.
        let mut path = vec![start];
        let mut visited = std::collections::HashSet::new();
        fn dfs(
            dag: &DiGraph<usize, ()>,
            at: NodeIndex,
            start: NodeIndex,
            members: &std::collections::HashSet<NodeIndex>,
            visited: &mut std::collections::HashSet<NodeIndex>,
            path: &mut Vec<NodeIndex>,
        ) -> bool {
            let mut next: Vec<NodeIndex> =
                dag.neighbors(at).filter(|n| members.contains(n)).collect();
            next.sort();
            for n in next {
                if n == start {
                    return true;
                }
                if visited.insert(n) {
                    path.push(n);
                    if dfs(dag, n, start, members, visited, path) {
                        return true;
                    }
                    path.pop();
                }
            }
            false
        }
        if dfs(dag, start, start, &members, &mut visited, &mut path) {
            return path.iter().map(|n| n.index()).collect();
        }
    }
    Vec::new()
}
