//! Customer ids and product names that a person would call the same though they are written
//! differently: what `init` warns of, since the ETL keeps each as written.

pub(crate) use crate::stages::etl::ids::twins;

/// An id with case and a number's leading zeros set aside: what a person would call the same.
pub(crate) fn id_key(id: &str) -> String {
    match crate::stages::etl::ids::unpadded(id) {
        Some(t) => t.to_string(),
        None => id.to_lowercase(),
    }
}
