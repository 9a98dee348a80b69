//! Dates typed by users or carried in addresses. Each is read as `YYYY-MM-DD` within a
//! plausible window, so that no later arithmetic on it (the day after, the month's start in
//! China time) can overflow: chrono accepts `+262142-12-31`, and adding a day to its last
//! date panics.

use chrono::NaiveDate;

/// The first and last years a date may have (anything outside is a typing error).
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2199;

/// Whether `year` lies in the plausible window.
pub fn plausible_year(year: i32) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&year)
}

/// `raw` (trimmed) as a day: exactly four-digit year, month and day, within the window.
pub fn parse_day(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    let digits_at = |range: std::ops::Range<usize>| {
        raw.get(range)
            .is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit()))
    };
    let shaped = raw.len() == 10
        && digits_at(0..4)
        && raw.as_bytes()[4] == b'-'
        && digits_at(5..7)
        && raw.as_bytes()[7] == b'-'
        && digits_at(8..10);
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .filter(|d| plausible_year(chrono::Datelike::year(d)))
}

/// An optional day field: empty is `None`, anything else must be a day (`field.invalid_date`).
pub fn parse_optional_day(raw: &str) -> Result<Option<NaiveDate>, &'static str> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse_day(raw).map(Some).ok_or("field.invalid_date")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ordinary_day_is_read() {
        assert_eq!(
            parse_day(" 2026-11-30 "),
            NaiveDate::from_ymd_opt(2026, 11, 30)
        );
    }

    #[test]
    fn days_outside_the_window_or_oddly_written_are_refused() {
        for raw in [
            "+262142-12-31",
            "262142-12-31",
            "-0001-01-01",
            "1899-12-31",
            "2200-01-01",
            "2026-2-3",
            "2026-02-30",
            "2026-11-30T00:00",
            "２０２６-11-30",
            "",
        ] {
            assert_eq!(parse_day(raw), None, "{raw}");
        }
        assert!(parse_day("1900-01-01").is_some() && parse_day("2199-12-31").is_some());
    }

    #[test]
    fn an_empty_optional_day_is_none_and_a_bad_one_is_refused() {
        assert_eq!(parse_optional_day("  "), Ok(None));
        assert_eq!(parse_optional_day("9999-01-01"), Err("field.invalid_date"));
    }
}
