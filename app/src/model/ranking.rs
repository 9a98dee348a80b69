//! 商机排名: what is ranked, by what, and over which month.

use super::opportunity::coded;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

coded! {
    /// What a ranking counts.
    Metric {
        /// 报备数量: approved filings, by the month of first submission.
        Filed = "filed",
        /// 签约金额: approved signed amounts, by the 签约日期 month.
        Signed = "signed",
    } keys "ranking.metric"
}

coded! {
    /// What a ranking groups by.
    Dimension {
        Person = "person",
        City = "city",
        Industry = "industry",
        BusinessType = "business_type",
    } keys "ranking.dimension"
}

/// A calendar month (China time) within the plausible years of [`super::date`], so its first
/// day and the next month's always exist. Made only by [`Month::of`] and [`Month::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// `2026-11` as an `<input type=month>` posts it, in the plausible years.
    pub fn parse(raw: &str) -> Option<Self> {
        let (y, m) = raw.trim().split_once('-')?;
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        if !super::date::plausible_year(year) {
            return None;
        }
        NaiveDate::from_ymd_opt(year, month, 1).map(|_| Self { year, month })
    }

    /// The month `months` later (earlier when negative), if it is a plausible one.
    pub fn offset(self, months: i32) -> Option<Self> {
        let index = self.year.checked_mul(12)? + self.month as i32 - 1 + months;
        let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
        super::date::plausible_year(year).then_some(Self { year, month })
    }

    /// How many months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Month) -> i32 {
        (later.year - self.year) * 12 + later.month as i32 - self.month as i32
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }

    /// The first day of the month after.
    pub fn next_first_day(self) -> NaiveDate {
        let (year, month) = if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        NaiveDate::from_ymd_opt(year, month, 1).expect("a valid month")
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Competition ranks of values already sorted from the highest: equal values share a rank,
/// and the next rank counts those before it (1, 2, 2, 4).
pub fn ranks(values: &[i64]) -> Vec<u32> {
    let mut out = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        let rank = if i > 0 && values[i - 1] == *v {
            out[i - 1]
        } else {
            i as u32 + 1
        };
        out.push(rank);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_parses_from_its_input_and_knows_its_bounds() {
        let m = Month::parse("2026-12").unwrap();
        assert_eq!(m.to_string(), "2026-12");
        assert_eq!(m.first_day(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(
            m.next_first_day(),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(Month::parse("abc"), None);
    }

    #[test]
    fn equal_values_share_a_rank_and_the_next_skips() {
        assert_eq!(ranks(&[9, 7, 7, 3, 3, 1]), vec![1, 2, 2, 4, 4, 6]);
        assert!(ranks(&[]).is_empty());
    }
}
