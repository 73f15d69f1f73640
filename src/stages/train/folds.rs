//! Rolling-origin folds with purge.
//!
//! Fold k validates on the k-th cutoff and trains on the earlier cutoffs whose label window has
//! closed by it: a row whose window ends after the validation cutoff has seen purchases from the
//! validation period, so it leaves that fold (and only that fold). With cutoffs closer together
//! than the label window (quarterly cutoffs, 6-month labels) the first cutoffs have nothing
//! trainable before them (no rows, or rows of one class; or no buyer to measure on): they still
//! train the later folds and the final model, and are never validated on.

use chrono::NaiveDate;

use super::data::Stacked;

pub struct Folds {
    /// (training rows, validation rows) per fold.
    pub folds: Vec<(Vec<usize>, Vec<usize>)>,
    /// The index of the cutoff each fold validates on.
    pub fold_cut: Vec<usize>,
    /// Training rows each fold's purge removed.
    pub purged: Vec<usize>,
    /// Cutoffs trained on but never validated on.
    pub unvalidated: Vec<String>,
    /// No fold is left, but some had training rows (of one class): the division has too few
    /// buyers to validate (the caller skips it), not cutoffs too close together.
    pub one_class_only: bool,
}

fn window_end(d: &Stacked, j: usize) -> NaiveDate {
    crate::stages::history::add_months(d.cutoffs[j], d.window_months as i32)
}

/// The cutoffs the fold validating on cutoff `k` trains on.
pub fn trained_on(d: &Stacked, k: usize) -> Vec<String> {
    (0..k)
        .filter(|&j| window_end(d, j) <= d.cutoffs[k])
        .map(|j| d.cutoffs[j].to_string())
        .collect()
}

impl Folds {
    pub fn of(d: &Stacked, division: &str) -> Result<Folds, String> {
        let n_cut = d.cutoffs.len();
        let mut f = Folds {
            folds: Vec::new(),
            fold_cut: Vec::new(),
            purged: Vec::new(),
            unvalidated: Vec::new(),
            one_class_only: false,
        };
        for k in 1..n_cut {
            let before: Vec<usize> = (0..d.y.len()).filter(|&i| d.cutoff_of[i] < k).collect();
            let train: Vec<usize> = before
                .iter()
                .copied()
                .filter(|&i| window_end(d, d.cutoff_of[i]) <= d.cutoffs[k])
                .collect();
            let valid: Vec<usize> = (0..d.y.len()).filter(|&i| d.cutoff_of[i] == k).collect();
            // A leading fold with nothing to learn from or to measure on (no rows, or one
            // class: the first cutoffs of a rare division may hold no buyer) is not validated.
            let one_class = |rows: &[usize]| rows.iter().all(|&i| d.y[i] == d.y[rows[0]]);
            if f.folds.is_empty() && (train.is_empty() || one_class(&train) || one_class(&valid)) {
                f.unvalidated.push(d.cutoffs[k].to_string());
                f.one_class_only |= !train.is_empty();
                continue;
            }
            f.purged.push(before.len() - train.len());
            f.fold_cut.push(k);
            f.folds.push((train, valid));
        }
        if f.folds.is_empty() && !f.one_class_only {
            return Err(format!(
                "{division}: no fold has training rows (of both classes) once purged: every cutoff's {}-month label window reaches past the last cutoff {}; space the cutoffs at least `window_months` apart, or add earlier ones",
                d.window_months,
                d.cutoffs[n_cut - 1]
            ));
        }
        Ok(f)
    }
}
