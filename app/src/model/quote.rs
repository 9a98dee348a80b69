//! 报价 as typed and its arithmetic: the same in the browser and on the server.
//!
//! Amounts are integers: 数量 in hundredths, 单价 in fen, 折扣 in hundredths of a percent. A
//! line's total is 数量 × 单价 × (100 % − 折扣), rounded half up to the fen, once per line; the
//! quote's total is the sum of its lines' totals (so the lines shown add up to it).

use super::customer::FieldError;
use super::opportunity::Fen;
use serde::{Deserialize, Serialize};

/// The most lines a quote holds.
pub const MAX_LINES: usize = 200;

/// 数量 at most (in hundredths): a hundred million.
const MAX_QUANTITY: i64 = 10_000_000_000;

/// The 报价 form: one entry per row in each list (blank rows are skipped).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuoteForm {
    pub item: Vec<String>,
    pub quantity: Vec<String>,
    pub unit_price: Vec<String>,
    pub discount: Vec<String>,
}

/// One line, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineAmounts {
    /// 数量 × 100.
    pub quantity_centi: i64,
    pub unit_price_fen: i64,
    /// 折扣 % × 100 (33.3 % is 3330).
    pub discount_bp: i64,
}

impl LineAmounts {
    /// 小计, rounded half up to the fen.
    pub fn total_fen(self) -> i64 {
        let numerator = i128::from(self.quantity_centi)
            * i128::from(self.unit_price_fen)
            * i128::from(10_000 - self.discount_bp);
        // Hundredths of quantity × hundredths of a percent: 100 × 10,000.
        const SCALE: i128 = 1_000_000;
        // Inputs are range-checked: the result fits an i64.
        i64::try_from((numerator + SCALE / 2) / SCALE).unwrap_or(i64::MAX)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedLine {
    pub item: String,
    pub amounts: LineAmounts,
}

/// A number with at most two decimals, scaled by 100 (`"33.3"` → 3330); full-width digits
/// and separators are accepted.
pub fn parse_centi(raw: &str) -> Option<i64> {
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .map(|c| match c {
            '．' => '.',
            c @ '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    let (whole, frac) = cleaned.split_once('.').unwrap_or((cleaned.as_str(), ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty())
        || !digits(whole)
        || !digits(frac)
        || frac.len() > 2
        || whole.len() > 12
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    Some(whole * 100 + frac)
}

/// A scaled number as typed back: 3330 → 「33.3」, 100 → 「1」.
pub fn show_centi(v: i64) -> String {
    let text = format!("{}.{:02}", v / 100, v % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The field name of row `row`'s `field`, as a refusal names it.
pub fn line_field(row: usize, field: &str) -> String {
    format!("line{row}.{field}")
}

impl QuoteForm {
    /// The rows as typed (the longest list decides how many), blanks included.
    pub fn rows(&self) -> Vec<[String; 4]> {
        let n = [
            self.item.len(),
            self.quantity.len(),
            self.unit_price.len(),
            self.discount.len(),
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        let at = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
        (0..n)
            .map(|i| {
                [
                    at(&self.item, i),
                    at(&self.quantity, i),
                    at(&self.unit_price, i),
                    at(&self.discount, i),
                ]
            })
            .collect()
    }

    /// Checks every row that is not blank and reports all refusals at once, each beside its
    /// cell (`line{row}.{field}`); at least one line is required.
    pub fn parse(&self) -> Result<Vec<ParsedLine>, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut lines = Vec::new();
        for (row, [item, quantity, price, discount]) in self.rows().into_iter().enumerate() {
            if [&item, &quantity, &price, &discount]
                .iter()
                .all(|v| v.trim().is_empty())
            {
                continue;
            }
            let mut refuse = |field: &str, key: &str| {
                errors.push(FieldError::new(&line_field(row, field), key));
            };
            let item = item.trim().to_owned();
            if item.is_empty() {
                refuse("item", "field.required");
            } else if item.chars().count() > 200 {
                refuse("item", "field.too_long");
            }
            let quantity = match quantity.trim() {
                "" => {
                    refuse("quantity", "field.required");
                    None
                }
                raw => parse_centi(raw)
                    .filter(|q| *q > 0 && *q <= MAX_QUANTITY)
                    .or_else(|| {
                        refuse("quantity", "quote.invalid_quantity");
                        None
                    }),
            };
            let price = match price.trim() {
                "" => {
                    refuse("unit_price", "field.required");
                    None
                }
                raw => parse_centi(raw)
                    .filter(|p| *p <= Fen::MAX.0 / 1_000)
                    .or_else(|| {
                        refuse("unit_price", "field.invalid_amount");
                        None
                    }),
            };
            let discount = match discount.trim() {
                "" => Some(0),
                raw => parse_centi(raw).filter(|d| *d <= 10_000).or_else(|| {
                    refuse("discount", "quote.invalid_discount");
                    None
                }),
            };
            if let (Some(quantity_centi), Some(unit_price_fen), Some(discount_bp)) =
                (quantity, price, discount)
            {
                let amounts = LineAmounts {
                    quantity_centi,
                    unit_price_fen,
                    discount_bp,
                };
                // Each line at most a trillion 元, so that the 200 lines' sum stays an integer.
                if amounts.total_fen() > Fen::MAX.0 {
                    refuse("unit_price", "quote.line_too_large");
                } else {
                    lines.push(ParsedLine { item, amounts });
                }
            }
        }
        if lines.is_empty() && errors.is_empty() {
            errors.push(FieldError::new(&line_field(0, "item"), "quote.no_lines"));
        }
        if lines.len() > MAX_LINES {
            errors.push(FieldError::new("", "quote.too_many_lines"));
        }
        if errors.is_empty() {
            Ok(lines)
        } else {
            Err(errors)
        }
    }
}

/// 合计 of lines.
pub fn total_fen(lines: &[ParsedLine]) -> i64 {
    lines.iter().map(|l| l.amounts.total_fen()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(quantity: &str, price: &str, discount: &str) -> QuoteForm {
        QuoteForm {
            item: vec!["专线".into()],
            quantity: vec![quantity.into()],
            unit_price: vec![price.into()],
            discount: vec![discount.into()],
        }
    }

    fn total(form: &QuoteForm) -> i64 {
        total_fen(&form.parse().unwrap())
    }

    #[test]
    fn three_lines_of_a_tenth_of_a_yuan_sum_to_thirty_fen() {
        let form = QuoteForm {
            item: vec!["a".into(), "b".into(), "c".into()],
            quantity: vec!["1".into(); 3],
            unit_price: vec!["0.1".into(); 3],
            discount: vec![String::new(); 3],
        };
        assert_eq!(total(&form), 30);
        assert_eq!(Fen(total(&form)).to_yuan(), "0.30");
    }

    #[test]
    fn a_discount_of_33_3_percent_rounds_half_up_per_line() {
        // 1.00 元 less 33.3 % is 66.7 fen: 67.
        assert_eq!(total(&line("1", "1", "33.3")), 67);
        // 0.15 元 less 50 % is 7.5 fen: 8 (half up).
        assert_eq!(total(&line("1", "0.15", "50")), 8);
        // 3 × 0.33 元 less 33.3 % = 66.033 fen: 66.
        assert_eq!(total(&line("3", "0.33", "33.3")), 66);
        // Rounded per line: two such lines are 2 × 8, not 15.
        let two = QuoteForm {
            item: vec!["a".into(), "b".into()],
            quantity: vec!["1".into(); 2],
            unit_price: vec!["0.15".into(); 2],
            discount: vec!["50".into(); 2],
        };
        assert_eq!(total(&two), 16);
    }

    #[test]
    fn fractions_of_a_quantity_and_full_discounts_are_exact() {
        assert_eq!(total(&line("2.5", "1,000.10", "")), 250_025);
        assert_eq!(total(&line("１０", "９.９９", "100")), 0);
    }

    #[test]
    fn each_bad_cell_is_refused_beside_it_and_blank_rows_are_skipped() {
        let form = QuoteForm {
            item: vec!["".into(), "".into(), "宽带".into()],
            quantity: vec!["0".into(), "".into(), "1.005".into()],
            unit_price: vec!["abc".into(), "".into(), "1".into()],
            discount: vec!["101".into(), "".into(), "".into()],
        };
        let errors = form.parse().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "line0.item",
                "line0.quantity",
                "line0.unit_price",
                "line0.discount",
                "line2.quantity"
            ]
        );
        assert_eq!(
            QuoteForm::default().parse().unwrap_err()[0].key,
            "quote.no_lines"
        );
    }

    #[test]
    fn a_line_over_a_trillion_yuan_is_refused_beside_its_price() {
        let errors = line("100000000", "100000000", "").parse().unwrap_err();
        assert_eq!(errors[0].field, "line0.unit_price");
        assert_eq!(errors[0].key, "quote.line_too_large");
        // The largest values each cell takes do not overflow the arithmetic.
        let most = LineAmounts {
            quantity_centi: MAX_QUANTITY,
            unit_price_fen: Fen::MAX.0 / 1_000,
            discount_bp: 0,
        };
        assert_eq!(most.total_fen(), i64::MAX);
    }

    #[test]
    fn scaled_numbers_show_as_typed() {
        assert_eq!(show_centi(3330), "33.3");
        assert_eq!(show_centi(100), "1");
        assert_eq!(show_centi(5), "0.05");
        assert_eq!(parse_centi(".5"), Some(50));
        assert_eq!(parse_centi("-1"), None);
    }
}
