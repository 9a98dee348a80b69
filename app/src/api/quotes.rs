//! 报价: the versions on an opportunity page, and one version's page (its lines, and what the
//! viewer may do with it).

use crate::model::customer::FieldError;
use crate::model::quote::QuoteForm;
use crate::model::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A version as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteSummary {
    pub id: i64,
    pub version_no: i64,
    pub total_fen: i64,
    /// 已发送 on this day.
    pub sent_on: Option<String>,
    pub creator: String,
    pub created_at: String,
    pub newest: bool,
}

/// The 报价 panel of an opportunity page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotePanel {
    pub rows: Vec<QuoteSummary>,
    /// Whether the viewer may make a (new) version.
    pub can_quote: bool,
}

/// One line as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLineView {
    pub item: String,
    /// As typed: 「2.5」.
    pub quantity: String,
    pub unit_price_fen: i64,
    /// 折扣 % as typed, empty for none.
    pub discount: String,
    pub total_fen: i64,
}

/// A version's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteView {
    pub summary: QuoteSummary,
    pub opportunity_id: i64,
    pub opportunity_name: String,
    pub customers: Vec<String>,
    /// The province company's name, for the print view.
    pub province: String,
    pub revision: i64,
    pub lines: Vec<QuoteLineView>,
    /// The newest version, not sent, and the viewer may quote: its lines are a form.
    pub editable: bool,
    /// The viewer may quote on the opportunity (新版本, 标记已发送).
    pub can_quote: bool,
    /// The viewer may set the opportunity's 预计金额 to this total.
    pub can_apply: bool,
    pub expected_amount_fen: Option<i64>,
    pub versions: Vec<QuoteSummary>,
}

/// A refused 报价 form, with what was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedQuote {
    pub form: QuoteForm,
    pub errors: Vec<FieldError>,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait QuoteService: Send + Sync {
    /// Version `id`, if the viewer may see its opportunity.
    async fn quote(
        &self,
        viewer: &crate::model::CurrentUser,
        id: i64,
    ) -> Result<QuoteView, AppError>;
}

#[server(endpoint = "quote")]
pub async fn load_quote(id: i64) -> Result<QuoteView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn QuoteService>()?
        .quote(&viewer, id)
        .await;
    super::with_status(result)
}
