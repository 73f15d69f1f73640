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
