//! 商机评估: an opportunity's checklists, their answers, score and suggestion.

use crate::model::customer::FieldError;
use crate::model::evaluation::Suggestion;
use crate::model::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What an opportunity page says of its evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationSummary {
    pub score: i64,
    pub suggestion: Suggestion,
}

/// The evaluation page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationView {
    pub opportunity_id: i64,
    pub opportunity_name: String,
    /// (question, answer code or empty, note) in the manual's order.
    pub answers: Vec<(String, String, String)>,
    pub summary: Option<EvaluationSummary>,
    /// The revision read, when there is an evaluation.
    pub revision: Option<i64>,
    /// Who saved it last, and when.
    pub updated: Option<(String, String)>,
    /// Whether the viewer may answer (its owner and 协作 users, while it is open).
    pub can_edit: bool,
}

/// A refused evaluation, with what was chosen and typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedEvaluation {
    pub pairs: Vec<(String, String)>,
    pub errors: Vec<FieldError>,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait EvaluationService: Send + Sync {
    async fn evaluation(
        &self,
        viewer: &crate::model::CurrentUser,
        opportunity_id: i64,
    ) -> Result<EvaluationView, AppError>;
}

#[server(endpoint = "evaluation")]
pub async fn load_evaluation(opportunity_id: i64) -> Result<EvaluationView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn EvaluationService>()?
        .evaluation(&viewer, opportunity_id)
        .await;
    super::with_status(result)
}
