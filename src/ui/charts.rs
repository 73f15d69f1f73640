//! Inline SVG charts (no script, no network).

use super::html::esc;

/// A vertical bar chart of labelled values.
pub fn bars(id: &str, title: &str, labels: &[String], values: &[f64]) -> String {
    let (w, h, pad) = (420.0, 180.0, 24.0);
    let max = values.iter().copied().fold(0.0_f64, f64::max).max(1e-9);
    let n = values.len().max(1) as f64;
    let bw = (w - 2.0 * pad) / n;
    let mut s = format!("<figure><svg id=\"{id}\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\"><title>{}</title>", esc(title));
    for (i, (l, v)) in labels.iter().zip(values).enumerate() {
        let bh = (h - 2.0 * pad) * v.max(0.0) / max;
        let x = pad + i as f64 * bw;
        s.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#4c78a8\"><title>{}: {:.3}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
            x + 2.0,
            h - pad - bh,
            bw - 4.0,
            bh,
            esc(l),
            v,
            x + bw / 2.0,
            h - 8.0,
            esc(l)
        ));
    }
    s.push_str(&format!(
        "</svg><figcaption>{}</figcaption></figure>",
        esc(title)
    ));
    s
}

/// A reliability diagram: mean predicted probability (x) against the observed rate (y) per bin,
/// with the diagonal a perfectly calibrated model would follow. Points are (x, y, rows).
pub fn calibration(id: &str, title: &str, points: &[(f64, f64, usize)]) -> String {
    let (w, h, pad) = (320.0, 320.0, 36.0);
    let max = points
        .iter()
        .flat_map(|p| [p.0, p.1])
        .fold(0.0_f64, f64::max)
        .max(1e-6)
        * 1.05;
    let sx = |v: f64| pad + (w - 2.0 * pad) * v / max;
    let sy = |v: f64| h - pad - (h - 2.0 * pad) * v / max;
    let mut s = format!("<figure><svg id=\"{id}\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\"><title>{}</title>", esc(title));
    s.push_str(&format!(
        "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\
         <line x1=\"{pad}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#333\"/>\
         <line x1=\"{pad}\" y1=\"{pad}\" x2=\"{pad}\" y2=\"{:.1}\" stroke=\"#333\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">predicted (0 to {max:.3})</text>\
         <text x=\"10\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" transform=\"rotate(-90 10 {:.1})\">observed</text>",
        sx(0.0),
        sy(0.0),
        sx(max),
        sy(max),
        h - pad,
        w - pad,
        h - pad,
        h - pad,
        w / 2.0,
        h - 10.0,
        h / 2.0,
        h / 2.0,
    ));
    let path: Vec<String> = points
        .iter()
        .map(|p| format!("{:.1},{:.1}", sx(p.0), sy(p.1)))
        .collect();
    s.push_str(&format!(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#4c78a8\"/>",
        path.join(" ")
    ));
    for (x, y, n) in points {
        s.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"#4c78a8\"><title>predicted {x:.3}, observed {y:.3}, {n} rows</title></circle>",
            sx(*x),
            sy(*y)
        ));
    }
    s.push_str(&format!(
        "</svg><figcaption>{}</figcaption></figure>",
        esc(title)
    ));
    s
}
