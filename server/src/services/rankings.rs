//! 商机排名: the home page's monthly top tens and 「更多排名」. Months are China's; anyone may
//! see the province's ranking, and narrow it to a city within their reach (province staff: any
//! city; city staff: their own).

use super::people::city_of;
use super::Services;
use crate::db::rankings::{RankingQuery, RankingRow};
use crate::db::DictKind;
use app::api::rankings::{HomeRankings, RankRow, RankingAddress, RankingService, RankingView};
use app::model::opportunity::Fen;
use app::model::ranking::{ranks, Dimension, Metric, Month};
use app::model::{AppError, CurrentUser};
use std::collections::HashMap;

/// The rows 「更多排名」 shows (and exports).
const MORE_ROWS: u32 = 100;
/// The home widget's rows.
const TOP: u32 = 10;

/// How a value is shown: a count as is, an amount in 元.
fn shown(metric: Metric, value: i64) -> String {
    match metric {
        Metric::Filed => value.to_string(),
        Metric::Signed => Fen(value).to_yuan(),
    }
}

impl Services {
    /// The cities `viewer` may narrow a ranking to.
    async fn ranking_cities(&self, viewer: &CurrentUser) -> Result<Vec<(i64, String)>, AppError> {
        let mut cities = self.cities(viewer).await?;
        cities.retain(|(id, _)| viewer.city_id.is_none() || viewer.city_id == Some(*id));
        Ok(cities)
    }

    /// Ranks `found`, naming each group.
    async fn ranked(
        &self,
        metric: Metric,
        dimension: Dimension,
        found: Vec<RankingRow>,
    ) -> Result<Vec<RankRow>, AppError> {
        let directory = self.people().await?;
        let units = &directory.units;
        let unit_name = |id: Option<i64>| match id.and_then(|id| units.iter().find(|u| u.id == id))
        {
            Some(u) => u.name.clone(),
            None => units
                .iter()
                .find(|u| u.parent_id.is_none())
                .map(|u| u.name.clone())
                .unwrap_or_default(),
        };
        let mut people: HashMap<i64, (String, i64)> = HashMap::new();
        if dimension == Dimension::Person {
            // Only the ranked people (a disabled one still holds their figures), not the
            // province's thousands of users on every home page.
            let ids: Vec<i64> = found.iter().filter_map(|r| r.k).collect();
            for u in self.store.user_briefs(&ids).await? {
                people.insert(u.id, (u.name, u.org_unit_id));
            }
        }
        let dictionary = match dimension {
            Dimension::Industry => directory.dictionary_pairs(DictKind::Industry),
            Dimension::BusinessType => directory.dictionary_pairs(DictKind::BusinessType),
            _ => Vec::new(),
        };
        let values: Vec<i64> = found.iter().map(|r| r.v).collect();
        Ok(found
            .into_iter()
            .zip(ranks(&values))
            .map(|(row, rank)| {
                let (label, city) = match dimension {
                    Dimension::Person => {
                        let (name, unit) = people
                            .get(&row.k.unwrap_or_default())
                            .cloned()
                            .unwrap_or_default();
                        (name, Some(unit_name(city_of(units, unit))))
                    }
                    Dimension::City => (unit_name(row.k), None),
                    _ => (
                        dictionary
                            .iter()
                            .find(|(id, _)| Some(*id) == row.k)
                            .map(|(_, l)| l.clone())
                            .unwrap_or_default(),
                        None,
                    ),
                };
                RankRow {
                    rank,
                    label,
                    city,
                    value: row.v,
                    shown: shown(metric, row.v),
                }
            })
            .collect())
    }
}

#[async_trait::async_trait]
impl RankingService for Services {
    async fn ranking(
        &self,
        viewer: &CurrentUser,
        address: &RankingAddress,
    ) -> Result<RankingView, AppError> {
        let month = Month::parse(&address.month).unwrap_or(Month::of(self.today()));
        let metric = Metric::from_code(&address.metric).unwrap_or(Metric::Filed);
        let dimension = Dimension::from_code(&address.dimension).unwrap_or(Dimension::Person);
        let cities = self.ranking_cities(viewer).await?;
        // A city outside the viewer's reach is not a choice: the province is shown instead.
        let city = address
            .city
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|c| cities.iter().any(|(id, _)| id == c));
        let found = self
            .store
            .ranking(&RankingQuery::for_month(
                metric, dimension, month, city, MORE_ROWS,
            ))
            .await?;
        Ok(RankingView {
            month: month.to_string(),
            metric: metric.code().to_owned(),
            dimension: dimension.code().to_owned(),
            city: city.map(|c| c.to_string()).unwrap_or_default(),
            cities,
            rows: self.ranked(metric, dimension, found).await?,
        })
    }

    async fn home_rankings(&self, _viewer: &CurrentUser) -> Result<HomeRankings, AppError> {
        let month = Month::of(self.today());
        let key = month.to_string();
        self.rankings
            .get_or_compute(&key, || async {
                let mut lists = Vec::new();
                for metric in [Metric::Filed, Metric::Signed] {
                    let found = self
                        .store
                        .ranking(&RankingQuery::for_month(
                            metric,
                            Dimension::Person,
                            month,
                            None,
                            TOP,
                        ))
                        .await?;
                    lists.push(self.ranked(metric, Dimension::Person, found).await?);
                }
                let signed = lists.pop().unwrap_or_default();
                let filed = lists.pop().unwrap_or_default();
                Ok(HomeRankings {
                    month: key.clone(),
                    filed,
                    signed,
                })
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_china_month_starts_at_four_in_the_afternoon_utc_the_day_before() {
        let m = Month::parse("2026-12").unwrap();
        let q = RankingQuery::for_month(Metric::Filed, Dimension::Person, m, None, 10);
        assert_eq!(q.from.to_rfc3339(), "2026-11-30T16:00:00+00:00");
        assert_eq!(q.to.to_rfc3339(), "2026-12-31T16:00:00+00:00");
        assert_eq!(shown(Metric::Signed, 123_456_789), "1,234,567.89");
    }
}
