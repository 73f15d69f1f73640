//! Numbers and counts as the pages print them.

/// `x` to `digits` significant digits.
fn significant(x: f64, digits: usize) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x:.*}", digits.saturating_sub(1));
    }
    let magnitude = x.abs().log10().floor() as i64;
    let decimals = (digits as i64 - 1 - magnitude).max(0) as usize;
    format!("{x:.decimals$}")
}

/// Values compared side by side (the Briers that chose a calibration), each to the same number
/// of significant digits: at least four, more until unequal values print unequally (to three
/// decimals, 0.03112, 0.03108 and 0.03119 all printed 0.031 and read as a tie).
pub(super) fn distinct(values: &[f64]) -> Vec<String> {
    let print =
        |digits: usize| -> Vec<String> { values.iter().map(|&x| significant(x, digits)).collect() };
    for digits in 4..12 {
        let shown = print(digits);
        let confused = values.iter().enumerate().any(|(i, a)| {
            values[..i]
                .iter()
                .enumerate()
                .any(|(j, b)| a != b && shown[i] == shown[j])
        });
        if !confused {
            return shown;
        }
    }
    print(12)
}

/// `n` and the noun, singular or plural as `n` asks.
pub(super) fn count(n: u64, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_values_get_the_digits_that_tell_them_apart() {
        assert_eq!(
            distinct(&[0.031123, 0.031081, 0.031187]),
            ["0.03112", "0.03108", "0.03119"]
        );
        assert_eq!(distinct(&[0.0311234, 0.0311238]), ["0.031123", "0.031124"]);
        // Equal values may print alike; four digits are the least.
        assert_eq!(
            distinct(&[0.05, 0.05, 0.04]),
            ["0.05000", "0.05000", "0.04000"]
        );
        assert_eq!(distinct(&[12.5]), ["12.50"]);
        assert_eq!(count(1, "buyer", "buyers"), "1 buyer");
        assert_eq!(count(0, "buyer", "buyers"), "0 buyers");
    }
}
