//! 统计分析: 销售漏斗, 客户价值金字塔, 销售预测 and 竞争分析, each a chart and its table (the
//! table also as XLSX), within the viewer's scope and the page's choices.

use crate::model::customer::FieldError;
use crate::model::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The figures, with their addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Figure {
    Funnel,
    Pyramid,
    Forecast,
    Competition,
}

impl Figure {
    pub const ALL: [Figure; 4] = [
        Figure::Funnel,
        Figure::Pyramid,
        Figure::Forecast,
        Figure::Competition,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Figure::Funnel => "funnel",
            Figure::Pyramid => "pyramid",
            Figure::Forecast => "forecast",
            Figure::Competition => "competition",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn path(self) -> &'static str {
        match self {
            Figure::Funnel => "/analysis",
            Figure::Pyramid => "/analysis/pyramid",
            Figure::Forecast => "/analysis/forecast",
            Figure::Competition => "/analysis/competition",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Figure::Funnel => "analysis.funnel",
            Figure::Pyramid => "analysis.pyramid",
            Figure::Forecast => "analysis.forecast",
            Figure::Competition => "analysis.competition",
        }
    }
}

/// A figure's choices as the address carries them (empty: the default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalysisAddress {
    /// Months ('YYYY-MM'); for the pyramid `from` is the year ('YYYY', or 'all').
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub business_type: String,
    /// The pyramid's cumulative shares in percent, e.g. `5,20,50`.
    #[serde(default)]
    pub tiers: String,
    /// The pyramid's tier whose customers are listed (1–4), and the page of that list.
    #[serde(default)]
    pub tier: String,
    #[serde(default)]
    pub page: String,
}

impl AnalysisAddress {
    /// `path` with these choices (the empty ones left out).
    pub fn href(&self, path: &str) -> String {
        crate::pages::address(
            path,
            &[
                ("from", &self.from),
                ("to", &self.to),
                ("city", &self.city),
                ("industry", &self.industry),
                ("business_type", &self.business_type),
                ("tiers", &self.tiers),
                ("tier", &self.tier),
                ("page", &self.page),
            ],
        )
    }
}

/// One value of a table: as shown, and as a spreadsheet keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Text(String),
    /// A translation key.
    Key(String),
    /// A label linking to a page.
    Link(String, String),
    /// A translation key linking to a page.
    KeyLink(String, String),
    Count(i64),
    /// An amount in fen, shown in 元.
    Fen(i64),
    /// A ratio in per mille, shown as a percentage with one decimal; `None`: nothing to divide.
    Share(Option<i64>),
}

/// A table as the page shows it and the export writes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Translation keys of the column heads.
    pub heads: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// What the chart draws: one bar (or layer) per point, one value per series.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    /// Translation keys of the series.
    pub series: Vec<String>,
    pub points: Vec<ChartPoint>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartPoint {
    pub label: String,
    pub values: Vec<i64>,
    /// The values as written beside the bars.
    pub shown: Vec<String>,
}

/// The page's choices and what they may be.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choices {
    pub address: AnalysisAddress,
    /// The period as used (the defaults filled in).
    pub from: String,
    pub to: String,
    pub cities: Vec<(i64, String)>,
    pub industries: Vec<(i64, String)>,
    pub business_types: Vec<(i64, String)>,
    /// The years the pyramid offers (this one first).
    pub years: Vec<String>,
    /// A choice the server could not take, next to its field.
    pub errors: Vec<FieldError>,
}

/// A figure as computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisView {
    pub figure: Figure,
    pub choices: Choices,
    pub chart: Chart,
    pub table: Table,
    /// The pyramid's listed tier: its number, its customers (a page), and whether more follow.
    pub members: Option<(i64, Table, bool)>,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait AnalysisService: Send + Sync {
    async fn analysis(
        &self,
        viewer: &crate::model::CurrentUser,
        figure: Figure,
        address: &AnalysisAddress,
    ) -> Result<AnalysisView, AppError>;
}

#[server(endpoint = "analysis")]
pub async fn load_analysis(
    figure: Figure,
    address: AnalysisAddress,
) -> Result<AnalysisView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn AnalysisService>()?
        .analysis(&viewer, figure, &address)
        .await;
    super::with_status(result)
}
