//! 商机排名: the home page's two monthly top tens and 「更多排名」 (month, dimension, metric,
//! province or one city).

use crate::model::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// 「更多排名」's choices as the address carries them (empty: the defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankingAddress {
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub dimension: String,
    #[serde(default)]
    pub metric: String,
    /// A city's id, or empty for the province.
    #[serde(default)]
    pub city: String,
}

/// One ranked group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankRow {
    pub rank: u32,
    pub label: String,
    /// A person's city (or 省公司).
    pub city: Option<String>,
    /// A count, or an amount in fen.
    pub value: i64,
    /// The value as shown (an amount in 元 with two decimals).
    pub shown: String,
}

/// A ranking as computed, with the choices that made it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankingView {
    pub month: String,
    pub metric: String,
    pub dimension: String,
    pub city: String,
    /// The cities the viewer may narrow to.
    pub cities: Vec<(i64, String)>,
    pub rows: Vec<RankRow>,
}

/// The home page's 商机排名: this month's top ten people by each metric.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeRankings {
    pub month: String,
    pub filed: Vec<RankRow>,
    pub signed: Vec<RankRow>,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait RankingService: Send + Sync {
    async fn ranking(
        &self,
        viewer: &crate::model::CurrentUser,
        address: &RankingAddress,
    ) -> Result<RankingView, AppError>;

    async fn home_rankings(
        &self,
        viewer: &crate::model::CurrentUser,
    ) -> Result<HomeRankings, AppError>;
}

#[server(endpoint = "rankings")]
pub async fn load_ranking(address: RankingAddress) -> Result<RankingView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn RankingService>()?
        .ranking(&viewer, &address)
        .await;
    super::with_status(result)
}
