//! What one opportunity counts for in 统计分析: its [`Fact`], worked out from its record, and
//! the cells the fact adds to. Pure, so the fold can subtract an old fact exactly as it was
//! added.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The period of the cells that sum every period (the figures' default): a page for all time
/// reads a few thousand cells, not one per month.
pub const ALL_TIME: &str = "*";

/// The funnel's stages in order: 识别商机 → 方案制定 → 商务谈判 → 签约.
pub const FUNNEL: [&str; 4] = ["identify", "proposal", "negotiation", "signing"];

/// How an opportunity ended, for 竞争分析.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Still going (or its filing not yet settled).
    Open,
    /// 已签约.
    Won,
    /// 已终止 for 输给竞争对手: lost to `lost_to`.
    Lost,
    /// 已终止 for another reason.
    Ended,
}

/// An opportunity as 统计分析 counts it. Only filed opportunities have one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// 0 for an opportunity of the province company itself.
    pub city: i64,
    pub industry: i64,
    pub business_type: i64,
    /// The primary customer (0 when none).
    pub customer: i64,
    /// The month its filing was approved, China time ('YYYY-MM').
    pub filed: String,
    /// Its funnel stage (an index into [`FUNNEL`]) while active; `None` once ended.
    pub stage: Option<u8>,
    /// The furthest funnel stage it ever reached.
    pub furthest: u8,
    /// 预计金额 in fen (0 when not given).
    pub amount: i64,
    /// 预计金额 × 赢单概率, in fen, while active and dated.
    pub weighted: i64,
    /// The month of its 预计签约日期 while active ('YYYY-MM').
    pub expected: Option<String>,
    /// 签约日期 ('YYYY-MM-DD') and 签约金额 in fen, once the signing is approved.
    pub signed: Option<(String, i64)>,
    pub outcome: Outcome,
    /// The competitors named on it, and the one it was lost to (also when not named).
    pub competitors: Vec<i64>,
    pub lost_to: Option<i64>,
}

/// An opportunity's record, as the fold reads it.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub status: String,
    pub stage: String,
    pub city: Option<i64>,
    pub industry: i64,
    pub business_type: i64,
    pub customer: Option<i64>,
    pub filed_at: Option<DateTime<Utc>>,
    pub amount: Option<i64>,
    pub probability: Option<i64>,
    pub expected_sign_date: Option<String>,
    pub signing: Option<(String, i64)>,
    /// The termination's reason code and the competitor it names.
    pub termination: Option<(Option<String>, Option<i64>)>,
    /// Every stage it was moved to.
    pub stages_reached: Vec<String>,
    /// Whether a 签约 was ever submitted for it.
    pub signing_started: bool,
    pub competitors: Vec<i64>,
}

fn stage_index(code: &str) -> Option<u8> {
    FUNNEL.iter().position(|s| *s == code).map(|i| i as u8)
}

/// The month ('YYYY-MM') of a date typed as 'YYYY-MM-DD', if it is one.
fn month_of_date(date: &str) -> Option<String> {
    chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .ok()
        .map(|d| d.format("%Y-%m").to_string())
}

impl Fact {
    /// The fact of a record; `None` while it has not been filed (drafts and first filings
    /// count for nothing).
    pub fn of(r: &Record) -> Option<Fact> {
        let filed_at = r.filed_at?;
        let china = FixedOffset::east_opt(8 * 3600)?;
        let filed = filed_at.with_timezone(&china).format("%Y-%m").to_string();
        let current = stage_index(&r.stage).unwrap_or(0);
        let stage = match r.status.as_str() {
            "active" | "terminate_pending" => Some(current),
            "sign_pending" => Some(3),
            _ => None,
        };
        let signed = match (r.status.as_str(), &r.signing) {
            ("signed", Some(s)) => Some(s.clone()),
            _ => None,
        };
        let furthest = r
            .stages_reached
            .iter()
            .filter_map(|s| stage_index(s))
            .chain([current])
            .chain(stage)
            .chain((r.signing_started || signed.is_some()).then_some(3))
            .max()
            .unwrap_or(0);
        let lost = |code: &Option<String>| code.as_deref() == Some("lost_to_competitor");
        let (outcome, lost_to) = match (r.status.as_str(), &r.termination) {
            ("signed", _) => (Outcome::Won, None),
            ("terminated", Some((code, competitor))) if lost(code) => (Outcome::Lost, *competitor),
            ("terminated", _) => (Outcome::Ended, None),
            _ => (Outcome::Open, None),
        };
        let amount = r.amount.unwrap_or(0).max(0);
        let expected = stage
            .and(r.expected_sign_date.as_deref())
            .and_then(month_of_date);
        let weighted = match expected {
            Some(_) => {
                let p = r.probability.unwrap_or(0).clamp(0, 100);
                // Rounded half up to the fen, once per opportunity.
                (amount.saturating_mul(p) + 50) / 100
            }
            None => 0,
        };
        let mut competitors = r.competitors.clone();
        competitors.sort_unstable();
        competitors.dedup();
        Some(Fact {
            city: r.city.unwrap_or(0),
            industry: r.industry,
            business_type: r.business_type,
            customer: r.customer.unwrap_or(0),
            filed,
            stage,
            furthest,
            amount,
            weighted,
            expected,
            signed,
            outcome,
            competitors,
            lost_to,
        })
    }

    /// The cells this fact adds to, with what it adds (n, v1, v2).
    pub fn cells(&self) -> Vec<(Cell, [i64; 3])> {
        let cell = |figure: &'static str, month: &str, k: &str, r: i64, bt: i64| Cell {
            figure,
            month: month.to_owned(),
            city: self.city,
            industry: self.industry,
            business_type: bt,
            k: k.to_owned(),
            r,
        };
        let bt = self.business_type;
        let mut out = Vec::new();
        // 销售漏斗: where it stands now (k, empty once ended) and how far it went (ref).
        let now = self
            .stage
            .and_then(|s| FUNNEL.get(s as usize).copied())
            .unwrap_or("");
        for period in [self.filed.as_str(), ALL_TIME] {
            out.push((
                cell("funnel", period, now, self.furthest as i64, bt),
                [1, self.amount, 0],
            ));
        }
        // 销售预测: expected, weighted by 赢单概率, by the month it should be signed in.
        if let Some(month) = &self.expected {
            out.push((
                cell("forecast", month, "", 0, bt),
                [1, self.amount, self.weighted],
            ));
        }
        // … next to what was signed, by 签约日期.
        if let Some((date, amount)) = &self.signed {
            if let Some(month) = date.get(..7) {
                out.push((cell("signed", month, "", 0, bt), [1, *amount, 0]));
            }
            // 客户价值金字塔: signed amounts per customer, by year and for all years: within the
            // city and industry (for industries), and one cell a customer for the whole
            // province and for its city (ranked by an index).
            if let (Some(year), true) = (date.get(..4), self.customer != 0) {
                for period in [year, ALL_TIME] {
                    out.push((
                        cell("customer", period, "", self.customer, 0),
                        [1, *amount, 0],
                    ));
                    let mut whole = cell("customer_total", period, "", self.customer, 0);
                    (whole.city, whole.industry) = (0, 0);
                    out.push((whole, [1, *amount, 0]));
                    let mut city = cell("customer_city", period, "", self.customer, 0);
                    city.industry = 0;
                    out.push((city, [1, *amount, 0]));
                }
            }
        }
        // 竞争分析: once per competitor named, or that it was lost to.
        let signed_amount = self.signed.as_ref().map(|s| s.1).unwrap_or(0);
        let mut against = self.competitors.clone();
        if let Some(c) = self.lost_to.filter(|c| !against.contains(c)) {
            against.push(c);
        }
        for c in against {
            let outcome = match self.outcome {
                Outcome::Lost if self.lost_to == Some(c) => "lost",
                Outcome::Lost | Outcome::Ended => "ended",
                Outcome::Won => "won",
                Outcome::Open => "open",
            };
            for period in [self.filed.as_str(), ALL_TIME] {
                out.push((
                    cell("competitor", period, outcome, c, bt),
                    [1, self.amount, signed_amount],
                ));
            }
        }
        out
    }
}

/// One cell of `analysis_cells`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cell {
    pub figure: &'static str,
    pub month: String,
    pub city: i64,
    pub industry: i64,
    pub business_type: i64,
    pub k: String,
    pub r: i64,
}

/// What replacing the facts `old` by `new` changes in the cells (unchanged cells left out).
pub fn deltas<'a>(
    old: impl IntoIterator<Item = &'a Fact>,
    new: impl IntoIterator<Item = &'a Fact>,
) -> HashMap<Cell, [i64; 3]> {
    let mut out: HashMap<Cell, [i64; 3]> = HashMap::new();
    let mut add = |fact: &Fact, sign: i64| {
        for (cell, v) in fact.cells() {
            let sum = out.entry(cell).or_default();
            for i in 0..3 {
                sum[i] += sign * v[i];
            }
        }
    };
    for f in old {
        add(f, -1);
    }
    for f in new {
        add(f, 1);
    }
    out.retain(|_, v| *v != [0, 0, 0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn record() -> Record {
        Record {
            status: "active".into(),
            stage: "proposal".into(),
            city: Some(2),
            industry: 10,
            business_type: 20,
            customer: Some(5),
            // 2026-03-31 20:00 UTC is 1 April in China.
            filed_at: Some(Utc.with_ymd_and_hms(2026, 3, 31, 20, 0, 0).unwrap()),
            amount: Some(100_001),
            probability: Some(35),
            expected_sign_date: Some("2026-06-15".into()),
            stages_reached: vec!["proposal".into()],
            competitors: vec![7, 7, 3],
            ..Record::default()
        }
    }

    #[test]
    fn an_unfiled_opportunity_counts_for_nothing() {
        let mut r = record();
        r.filed_at = None;
        assert_eq!(Fact::of(&r), None);
    }

    #[test]
    fn an_active_opportunity_is_in_its_stage_and_forecast_by_month() {
        let f = Fact::of(&record()).unwrap();
        assert_eq!(f.filed, "2026-04");
        assert_eq!(f.stage, Some(1));
        assert_eq!(f.furthest, 1);
        assert_eq!(f.expected.as_deref(), Some("2026-06"));
        // 1000.01 元 × 35 % = 350.0035 元, rounded to 350.00.
        assert_eq!(f.weighted, 35_000);
        assert_eq!(f.competitors, vec![3, 7]);
        let cells = f.cells();
        // The funnel and two competitors, each by month and for all time; the forecast.
        assert_eq!(cells.len(), 7);
        assert!(cells
            .iter()
            .any(|(c, v)| c.figure == "forecast" && c.month == "2026-06" && v[2] == 35_000));
    }

    #[test]
    fn a_stage_moved_back_keeps_how_far_it_went() {
        let mut r = record();
        r.stage = "identify".into();
        r.stages_reached = vec!["proposal".into(), "negotiation".into(), "identify".into()];
        let f = Fact::of(&r).unwrap();
        assert_eq!((f.stage, f.furthest), (Some(0), 2));
    }

    #[test]
    fn a_signing_counts_once_approved_and_the_funnel_remembers_it() {
        let mut r = record();
        r.status = "sign_pending".into();
        r.signing = Some(("2026-07-02".into(), 90_000));
        let pending = Fact::of(&r).unwrap();
        assert_eq!(
            (pending.stage, pending.furthest, &pending.signed),
            (Some(3), 3, &None)
        );
        r.status = "signed".into();
        let signed = Fact::of(&r).unwrap();
        assert_eq!((signed.stage, signed.furthest), (None, 3));
        assert_eq!(signed.expected, None);
        assert_eq!(signed.outcome, Outcome::Won);
        let cells = signed.cells();
        assert!(cells.iter().any(|(c, v)| c.figure == "customer"
            && c.month == "2026"
            && c.r == 5
            && v[1] == 90_000));
        assert!(cells
            .iter()
            .any(|(c, v)| c.figure == "competitor" && c.k == "won" && v[2] == 90_000));
    }

    #[test]
    fn a_returned_signing_is_still_reached_but_not_signed() {
        let mut r = record();
        r.signing_started = true;
        r.signing = Some(("2026-07-02".into(), 90_000));
        let f = Fact::of(&r).unwrap();
        assert_eq!((f.stage, f.furthest, f.signed.clone()), (Some(1), 3, None));
    }

    #[test]
    fn lost_counts_against_the_competitor_named_in_the_termination_only() {
        let mut r = record();
        r.status = "terminated".into();
        r.termination = Some((Some("lost_to_competitor".into()), Some(9)));
        let f = Fact::of(&r).unwrap();
        let outcomes: Vec<(i64, String)> = f
            .cells()
            .into_iter()
            .filter(|(c, _)| c.figure == "competitor" && c.month != ALL_TIME)
            .map(|(c, _)| (c.r, c.k))
            .collect();
        assert_eq!(
            outcomes,
            vec![(3, "ended".into()), (7, "ended".into()), (9, "lost".into())]
        );
    }

    #[test]
    fn replacing_a_fact_moves_it_between_cells() {
        let before = Fact::of(&record()).unwrap();
        let mut r = record();
        r.stage = "negotiation".into();
        let after = Fact::of(&r).unwrap();
        let d = deltas([&before], [&after]);
        let funnel: Vec<_> = d
            .iter()
            .filter(|(c, _)| c.figure == "funnel" && c.month != ALL_TIME)
            .collect();
        assert_eq!(funnel.len(), 2);
        assert!(funnel
            .iter()
            .any(|(c, v)| c.k == "proposal" && c.r == 1 && **v == [-1, -100_001, 0]));
        assert!(funnel
            .iter()
            .any(|(c, v)| c.k == "negotiation" && c.r == 2 && **v == [1, 100_001, 0]));
        // The forecast and competitor cells did not move (the funnel's all-time ones did).
        assert_eq!(d.len(), 4);
    }
}
