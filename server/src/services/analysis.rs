//! 统计分析: who may see it (the menu's roles, with a reach wider than their own records), the
//! slice of the cells their scope and choices allow, and each figure's chart and table.

use super::Services;
use crate::db::analysis::fact::{ALL_TIME, FUNNEL};
use crate::db::analysis::{CellSum, Cuts, Slice};
use crate::db::DictKind;
use crate::policy::scope::{Reach, Scope};
use app::api::analysis::{
    AnalysisAddress, AnalysisService, AnalysisView, Chart, ChartPoint, Choices, Figure, Table,
    Value,
};
use app::model::customer::FieldError;
use app::model::menu::MenuItem;
use app::model::opportunity::Fen;
use app::model::ranking::Month;
use app::model::{AppError, CurrentUser};
use chrono::Datelike;

/// Marked opportunities folded per batch, and the batches a page waits for at most (a larger
/// backlog, after an upgrade, is folded by the background loop).
const FOLD_BATCH: i64 = 2000;
const FOLD_ON_READ: usize = 5;
/// A tier's customers listed per page.
const MEMBERS_PAGE: i64 = 50;
/// The most customers an export of a tier writes.
const MEMBERS_EXPORT: i64 = 200_000;
/// The longest 销售预测, in months.
const LONGEST_FORECAST: i32 = 36;

/// The pyramid's default tiers: top 5 %, next 15 %, next 30 %, the rest.
const DEFAULT_TIERS: [i64; 3] = [5, 15, 30];

fn permille(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 1000 + whole / 2) / whole)
}

/// Tier sizes typed as `5,15,30` (percent of the customers, the rest is the fourth tier) as
/// cumulative cuts.
pub fn parse_tiers(raw: &str) -> Result<[i64; 3], ()> {
    if raw.trim().is_empty() {
        return Ok(DEFAULT_TIERS);
    }
    let sizes: Vec<i64> = raw
        .split([',', '，', ' ', '/'])
        .filter(|s| !s.is_empty())
        .map(|s| s.trim().parse::<i64>().map_err(|_| ()))
        .collect::<Result<_, _>>()?;
    match sizes.as_slice() {
        [a, b, c] if [a, b, c].iter().all(|s| (1..=97).contains(*s)) && a + b + c < 100 => {
            Ok([*a, *b, *c])
        }
        _ => Err(()),
    }
}

fn cumulative(sizes: [i64; 3]) -> Cuts {
    [
        sizes[0],
        sizes[0] + sizes[1],
        sizes[0] + sizes[1] + sizes[2],
    ]
}

fn year_of(raw: &str) -> Option<i32> {
    let y = raw.trim();
    (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        .then(|| y.parse().ok())
        .flatten()
        .filter(|y| app::model::date::plausible_year(*y))
}

impl Services {
    /// The viewer's reach for 统计分析, or `Forbidden` (客户经理, and a role with no city or
    /// industries to see).
    fn analysis_reach(viewer: &CurrentUser) -> Result<Reach, AppError> {
        let reach = Scope::of(viewer).reach;
        if !MenuItem::Analysis.visible_to(viewer) || reach == Reach::Own {
            return Err(AppError::Forbidden);
        }
        Ok(reach)
    }

    /// Folds what changed since the last figure was read, so a figure shows every change
    /// committed before it was asked for.
    pub(crate) async fn fold_analysis(&self, batches: usize) -> Result<(), AppError> {
        // A read first: a fold takes the write lock, which a figure should not for nothing.
        if !self.store.analysis_pending().await? {
            return Ok(());
        }
        for _ in 0..batches {
            if (self.store.fold_analysis(FOLD_BATCH).await? as i64) < FOLD_BATCH {
                break;
            }
        }
        Ok(())
    }

    /// Folds every marked opportunity (the background loop's turn); failures are logged and
    /// the next turn tries again.
    pub async fn fold_pending_analysis(&self) {
        if let Err(e) = self.fold_analysis(usize::MAX).await {
            tracing::warn!(error = ?e, "folding 统计分析 failed");
        }
    }

    /// The choices the viewer may make, and the slice of cells they make.
    async fn analysis_slice(
        &self,
        viewer: &CurrentUser,
        reach: &Reach,
        figure: Figure,
        address: &AnalysisAddress,
    ) -> Result<(Slice, Choices), AppError> {
        let directory = self.people().await?;
        let mut cities = directory.cities();
        if let Reach::City(c) = reach {
            cities.retain(|(id, _)| id == c);
        }
        let mut industries = directory.dictionary_pairs(DictKind::Industry);
        if let Reach::Industries(mine) = reach {
            industries.retain(|(id, _)| mine.contains(id));
        }
        let business_types = directory.dictionary_pairs(DictKind::BusinessType);
        let chosen = |raw: &str, among: &[(i64, String)]| {
            raw.trim()
                .parse::<i64>()
                .ok()
                .filter(|id| among.iter().any(|(a, _)| a == id))
        };
        let city = match reach {
            Reach::City(c) => Some(*c),
            _ => chosen(&address.city, &cities),
        };
        let industry = chosen(&address.industry, &industries);
        let industry_ids = match (industry, reach) {
            (Some(i), _) => Some(vec![i]),
            (None, Reach::Industries(mine)) => Some(mine.clone()),
            _ => None,
        };
        let mut errors = Vec::new();
        let (from, to) = self.analysis_period(figure, address, &mut errors);
        // Cells of every period have their own key: all time reads a few thousand of them.
        let all = || ALL_TIME.to_owned();
        let (from_key, to_key) = match (figure, from.is_empty(), to.is_empty()) {
            (Figure::Pyramid, true, _) | (_, true, true) => (all(), all()),
            (Figure::Pyramid, false, _) => (from.clone(), from.clone()),
            (_, true, false) => ("0000-00".into(), to.clone()),
            (_, false, true) => (from.clone(), "9999-99".into()),
            (_, false, false) => (from.clone(), to.clone()),
        };
        let slice = Slice {
            city,
            industries: industry_ids,
            business_type: chosen(&address.business_type, &business_types),
            from: from_key,
            to: to_key,
        };
        let choices = Choices {
            address: address.clone(),
            from,
            to,
            cities,
            industries,
            business_types,
            years: (0..10)
                .map(|back| format!("{:04}", self.today().year() - back))
                .collect(),
            errors,
        };
        let _ = viewer;
        Ok((slice, choices))
    }

    /// The period used: what was typed when it reads, else the figure's default (with the
    /// reason beside the field). Funnel and competition default to all time (empty).
    fn analysis_period(
        &self,
        figure: Figure,
        address: &AnalysisAddress,
        errors: &mut Vec<FieldError>,
    ) -> (String, String) {
        let today = Month::of(self.today());
        if figure == Figure::Pyramid {
            // One year (this one unless chosen), or every year ('all', shown as empty).
            let this_year = today.to_string()[..4].to_owned();
            let raw = address.from.trim();
            let year = match raw {
                "" => this_year,
                "all" => String::new(),
                raw => match year_of(raw) {
                    Some(y) => format!("{y:04}"),
                    None => {
                        errors.push(FieldError::new("from", "analysis.bad_year"));
                        this_year
                    }
                },
            };
            return (year.clone(), year);
        }
        let default = match figure {
            Figure::Forecast => (today.offset(-5), today.offset(6)),
            _ => (None, None),
        };
        let mut month = |field: &str, raw: &str, fallback: Option<Month>| -> Option<Month> {
            if raw.trim().is_empty() {
                return fallback;
            }
            match Month::parse(raw) {
                Some(m) => Some(m),
                None => {
                    errors.push(FieldError::new(field, "analysis.bad_month"));
                    fallback
                }
            }
        };
        let mut from = month("from", &address.from, default.0);
        let mut to = month("to", &address.to, default.1);
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                errors.push(FieldError::new("to", "analysis.period_reversed"));
                (from, to) = default;
            } else if figure == Figure::Forecast && f.months_until(t) >= LONGEST_FORECAST {
                errors.push(FieldError::new("to", "analysis.period_too_long"));
                (from, to) = default;
            }
        }
        let text = |m: Option<Month>| m.map(|m| m.to_string()).unwrap_or_default();
        (text(from), text(to))
    }

    /// The figure and its table; `members_limit` caps the pyramid tier's list (a page on
    /// screen, all of it in an export).
    pub(crate) async fn figure(
        &self,
        viewer: &CurrentUser,
        figure: Figure,
        address: &AnalysisAddress,
        members_limit: i64,
    ) -> Result<AnalysisView, AppError> {
        let reach = Self::analysis_reach(viewer)?;
        self.fold_analysis(FOLD_ON_READ).await?;
        let (slice, mut choices) = self.analysis_slice(viewer, &reach, figure, address).await?;
        let mut members = None;
        let (chart, table) = match figure {
            Figure::Funnel => funnel(&self.store.cell_sums(&["funnel"], &slice, false).await?),
            Figure::Forecast => forecast(
                &self
                    .store
                    .cell_sums(&["forecast", "signed"], &slice, true)
                    .await?,
                &choices.from,
                &choices.to,
            ),
            Figure::Competition => {
                let names = self.people().await?.dictionary_pairs(DictKind::Competitor);
                competition(
                    &self.store.cell_sums(&["competitor"], &slice, false).await?,
                    &names,
                )
            }
            Figure::Pyramid => {
                let sizes = parse_tiers(&address.tiers).unwrap_or_else(|_| {
                    choices
                        .errors
                        .push(FieldError::new("tiers", "analysis.bad_tiers"));
                    DEFAULT_TIERS
                });
                let cuts = cumulative(sizes);
                let tiers = self.store.pyramid(&slice, cuts).await?;
                if let Ok(tier @ 1..=4) = address.tier.trim().parse::<i64>() {
                    let page = address
                        .page
                        .trim()
                        .parse::<i64>()
                        .unwrap_or(1)
                        .clamp(1, 100_000);
                    let offset = (page - 1) * members_limit;
                    let found = self
                        .store
                        .pyramid_members(&slice, cuts, tier, offset, members_limit + 1)
                        .await?;
                    let more = found.len() as i64 > members_limit;
                    let rows = found
                        .into_iter()
                        .take(members_limit as usize)
                        .map(|m| {
                            vec![
                                Value::Count(m.rank),
                                Value::Link(m.name, format!("/customers/{}", m.customer_id)),
                                Value::Fen(m.amount),
                                Value::Count(m.deals),
                            ]
                        })
                        .collect();
                    let heads = [
                        "analysis.rank",
                        "analysis.customer",
                        "analysis.signed_amount",
                        "analysis.signed_count",
                    ];
                    members = Some((
                        tier,
                        Table {
                            heads: heads.iter().map(|h| h.to_string()).collect(),
                            rows,
                        },
                        more,
                    ));
                }
                pyramid(&tiers, sizes, address)
            }
        };
        Ok(AnalysisView {
            figure,
            choices,
            chart,
            table,
            members,
        })
    }
}

#[async_trait::async_trait]
impl AnalysisService for Services {
    async fn analysis(
        &self,
        viewer: &CurrentUser,
        figure: Figure,
        address: &AnalysisAddress,
    ) -> Result<AnalysisView, AppError> {
        self.figure(viewer, figure, address, MEMBERS_PAGE).await
    }
}

impl Services {
    /// The table an export writes: the listed tier's customers (all of them), else the
    /// figure's own table.
    pub(crate) async fn analysis_export(
        &self,
        viewer: &CurrentUser,
        figure: Figure,
        address: &AnalysisAddress,
    ) -> Result<Table, AppError> {
        let mut whole = address.clone();
        whole.page = String::new();
        let view = self.figure(viewer, figure, &whole, MEMBERS_EXPORT).await?;
        Ok(match view.members {
            Some((_, table, _)) => table,
            None => view.table,
        })
    }
}

fn heads(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

fn stage_key(i: usize) -> String {
    match FUNNEL[i] {
        "signing" => "analysis.stage_signing".into(),
        code => format!("stage.{code}"),
    }
}

/// 销售漏斗: the active opportunities at each stage, and how many ever reached it (the
/// conversion to the next stage is of those that reached this one).
fn funnel(cells: &[CellSum]) -> (Chart, Table) {
    let mut count = [0i64; 4];
    let mut amount = [0i64; 4];
    let mut reached = [0i64; 4];
    for c in cells {
        if let Some(s) = FUNNEL.iter().position(|s| *s == c.k) {
            count[s] += c.n;
            amount[s] += c.v1;
        }
        for (s, r) in reached.iter_mut().enumerate() {
            if c.r >= s as i64 {
                *r += c.n;
            }
        }
    }
    let mut chart = Chart {
        series: heads(&["analysis.count"]),
        points: Vec::new(),
    };
    let mut table = Table {
        heads: heads(&[
            "analysis.stage",
            "analysis.count",
            "analysis.amount",
            "analysis.reached",
            "analysis.conversion",
        ]),
        rows: Vec::new(),
    };
    for s in 0..4 {
        chart.points.push(ChartPoint {
            label: stage_key(s),
            values: vec![count[s]],
            shown: vec![format!("{} · {}", count[s], Fen(amount[s]).to_yuan())],
        });
        table.rows.push(vec![
            Value::Key(stage_key(s)),
            Value::Count(count[s]),
            Value::Fen(amount[s]),
            Value::Count(reached[s]),
            Value::Share(if s < 3 {
                permille(reached[s + 1], reached[s])
            } else {
                None
            }),
        ]);
    }
    (chart, table)
}

/// 销售预测: per month, the active opportunities expected then (weighted by 赢单概率) next to
/// what was signed.
fn forecast(cells: &[CellSum], from: &str, to: &str) -> (Chart, Table) {
    let (Some(first), Some(last)) = (Month::parse(from), Month::parse(to)) else {
        return (Chart::default(), Table::default());
    };
    let mut chart = Chart {
        series: heads(&["analysis.weighted", "analysis.signed_amount"]),
        points: Vec::new(),
    };
    let mut table = Table {
        heads: heads(&[
            "analysis.month",
            "analysis.expected_count",
            "analysis.amount",
            "analysis.weighted",
            "analysis.signed_count",
            "analysis.signed_amount",
        ]),
        rows: Vec::new(),
    };
    for i in 0..=first.months_until(last) {
        let Some(month) = first.offset(i).map(|m| m.to_string()) else {
            continue;
        };
        let sum = |figure: &str| {
            cells
                .iter()
                .filter(|c| c.figure == figure && c.month == month)
                .fold([0i64; 3], |a, c| [a[0] + c.n, a[1] + c.v1, a[2] + c.v2])
        };
        let (expected, signed) = (sum("forecast"), sum("signed"));
        chart.points.push(ChartPoint {
            label: month.clone(),
            values: vec![expected[2], signed[1]],
            shown: vec![Fen(expected[2]).to_yuan(), Fen(signed[1]).to_yuan()],
        });
        table.rows.push(vec![
            Value::Text(month),
            Value::Count(expected[0]),
            Value::Fen(expected[1]),
            Value::Fen(expected[2]),
            Value::Count(signed[0]),
            Value::Fen(signed[1]),
        ]);
    }
    (chart, table)
}

/// 竞争分析: per competitor, the opportunities it was named on (or lost to), how they went.
fn competition(cells: &[CellSum], names: &[(i64, String)]) -> (Chart, Table) {
    let mut ids: Vec<i64> = cells.iter().map(|c| c.r).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut chart = Chart {
        series: heads(&["analysis.won", "analysis.lost"]),
        points: Vec::new(),
    };
    let mut table = Table {
        heads: heads(&[
            "analysis.competitor",
            "analysis.appeared",
            "analysis.open",
            "analysis.won",
            "analysis.won_amount",
            "analysis.lost",
            "analysis.lost_amount",
            "analysis.ended",
            "analysis.win_rate",
        ]),
        rows: Vec::new(),
    };
    let mut rows: Vec<(i64, String, [[i64; 3]; 4])> = ids
        .into_iter()
        .map(|id| {
            let name = names
                .iter()
                .find(|(n, _)| *n == id)
                .map(|(_, l)| l.clone())
                .unwrap_or_else(|| format!("#{id}"));
            let mut by = [[0i64; 3]; 4];
            for c in cells.iter().filter(|c| c.r == id) {
                let i = match c.k.as_str() {
                    "open" => 0,
                    "won" => 1,
                    "lost" => 2,
                    _ => 3,
                };
                by[i] = [by[i][0] + c.n, by[i][1] + c.v1, by[i][2] + c.v2];
            }
            (id, name, by)
        })
        .collect();
    // The competitor met most often first.
    rows.sort_by_key(|(id, _, by)| (-(by.iter().map(|b| b[0]).sum::<i64>()), *id));
    for (_, name, [open, won, lost, ended]) in rows {
        let appeared = open[0] + won[0] + lost[0] + ended[0];
        chart.points.push(ChartPoint {
            label: name.clone(),
            values: vec![won[0], lost[0]],
            shown: vec![won[0].to_string(), lost[0].to_string()],
        });
        table.rows.push(vec![
            Value::Text(name),
            Value::Count(appeared),
            Value::Count(open[0]),
            Value::Count(won[0]),
            Value::Fen(won[2]),
            Value::Count(lost[0]),
            Value::Fen(lost[1]),
            Value::Count(ended[0]),
            Value::Share(permille(won[0], won[0] + lost[0])),
        ]);
    }
    (chart, table)
}

/// 客户价值金字塔: per tier, its customers and signed amounts, each tier linking to its list.
fn pyramid(
    tiers: &[crate::db::analysis::TierSum],
    sizes: [i64; 3],
    address: &AnalysisAddress,
) -> (Chart, Table) {
    let total: i64 = tiers.iter().map(|t| t.amount).sum();
    let mut chart = Chart {
        series: heads(&["analysis.customers"]),
        points: Vec::new(),
    };
    let mut table = Table {
        heads: heads(&[
            "analysis.tier",
            "analysis.tier_share",
            "analysis.customers",
            "analysis.signed_amount",
            "analysis.amount_share",
            "analysis.signed_count",
        ]),
        rows: Vec::new(),
    };
    let rest = 100 - sizes.iter().sum::<i64>();
    for tier in 1..=4i64 {
        let t = tiers.iter().find(|t| t.tier == tier);
        let (customers, amount, deals) = t
            .map(|t| (t.customers, t.amount, t.deals))
            .unwrap_or_default();
        let key = format!("analysis.tier{tier}");
        let mut list = address.clone();
        list.tier = tier.to_string();
        list.page = String::new();
        let href = list.href(Figure::Pyramid.path());
        chart.points.push(ChartPoint {
            label: key.clone(),
            values: vec![customers],
            shown: vec![format!("{customers} · {}", Fen(amount).to_yuan())],
        });
        let share = sizes.get(tier as usize - 1).copied().unwrap_or(rest);
        table.rows.push(vec![
            Value::KeyLink(key, href),
            Value::Text(format!("{share}%")),
            Value::Count(customers),
            Value::Fen(amount),
            Value::Share(permille(amount, total)),
            Value::Count(deals),
        ]);
    }
    (chart, table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_are_three_sizes_leaving_a_rest() {
        assert_eq!(parse_tiers(""), Ok([5, 15, 30]));
        assert_eq!(parse_tiers("10，20，30"), Ok([10, 20, 30]));
        assert_eq!(cumulative([10, 20, 30]), [10, 30, 60]);
        assert!(parse_tiers("50,30,20").is_err());
        assert!(parse_tiers("5,15").is_err());
        assert!(parse_tiers("0,15,30").is_err());
        assert!(parse_tiers("a,b,c").is_err());
    }

    #[test]
    fn the_funnel_converts_by_how_far_opportunities_went() {
        let cell = |k: &str, r: i64, n: i64| CellSum {
            figure: "funnel".into(),
            month: String::new(),
            k: k.into(),
            r,
            n,
            v1: n * 100,
            v2: 0,
        };
        // 4 still identifying, 2 at proposal, 1 ended after negotiation, 1 signed.
        let (_, table) = funnel(&[
            cell("identify", 0, 4),
            cell("proposal", 1, 2),
            cell("", 2, 1),
            cell("", 3, 1),
        ]);
        let reached: Vec<_> = table.rows.iter().map(|r| r[3].clone()).collect();
        assert_eq!(
            reached,
            vec![
                Value::Count(8),
                Value::Count(4),
                Value::Count(2),
                Value::Count(1)
            ]
        );
        assert_eq!(table.rows[0][4], Value::Share(Some(500)));
        assert_eq!(table.rows[2][4], Value::Share(Some(500)));
        assert_eq!(table.rows[3][4], Value::Share(None));
        assert_eq!(table.rows[1][2], Value::Fen(200));
    }
}
