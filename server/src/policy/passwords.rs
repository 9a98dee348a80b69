//! Whether a password is among the 10,000 most common (`common_passwords.txt`: the first
//! 10,000 of Django's `common-passwords.txt`, Royce Williams' 2017 list, lower-cased, BSD).
//! On the server only: the list would add 80 KB to the browser's bundle.

use std::collections::HashSet;
use std::sync::LazyLock;

static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common_passwords.txt").lines().collect());

/// Compared without case: `Password123` is as guessable as `password123`.
pub fn is_common(password: &str) -> bool {
    COMMON.contains(password.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::is_common;

    #[test]
    fn the_list_holds_ten_thousand_and_is_read_without_case() {
        assert_eq!(super::COMMON.len(), 10_000);
        assert!(is_common("password"));
        assert!(is_common("QWERTYUIOP"));
        assert!(is_common("1234567890"));
        assert!(!is_common("Corr3ct-Horse-Battery"));
    }
}
