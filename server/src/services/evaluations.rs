//! 商机评估: everyone who sees an opportunity sees its evaluation; its owner and 协作 users
//! answer it while it is open (as they log activities). The score and suggestion are computed
//! here from the answers, never taken from the form.

use super::{stale_or_internal, Services};
use crate::db::evaluations::{EvaluationRow, NewEvaluation};
use crate::db::Actor;
use crate::policy::rights::may_log_activity;
use app::api::evaluations::{EvaluationService, EvaluationSummary, EvaluationView};
use app::model::evaluation::{self, Answer, Evaluation, Suggestion, QUESTIONS};
use app::model::{AppError, CurrentUser};

/// The stored answers, as the model reads them.
fn stored(json: &str) -> Evaluation {
    let rows: Vec<(String, Option<String>, String)> =
        serde_json::from_str(json).unwrap_or_default();
    Evaluation {
        answers: rows
            .into_iter()
            .map(|(q, a, n)| (q, a.as_deref().and_then(Answer::from_code), n))
            .collect(),
    }
}

/// The score and suggestion kept with an evaluation.
fn summary_of(row: &EvaluationRow) -> Option<EvaluationSummary> {
    Suggestion::from_code(&row.suggestion).map(|suggestion| EvaluationSummary {
        score: row.score,
        suggestion,
    })
}

impl Services {
    /// An opportunity's score and suggestion, if it has been evaluated.
    pub(crate) async fn evaluation_summary(
        &self,
        opportunity_id: i64,
    ) -> Result<Option<EvaluationSummary>, AppError> {
        Ok(self
            .store
            .evaluation(opportunity_id)
            .await?
            .as_ref()
            .and_then(summary_of))
    }

    /// 保存 of an evaluation, on the revision read (empty: the first one).
    pub async fn save_evaluation(
        &self,
        viewer: &CurrentUser,
        opportunity_id: i64,
        pairs: &[(String, String)],
    ) -> Result<String, AppError> {
        let o = self
            .seen_opportunity(viewer, opportunity_id, |_| true)
            .await?;
        let collaborates = self.collaborates(viewer, o.id).await?;
        if !may_log_activity(&o, viewer.id, collaborates) {
            return Err(AppError::Forbidden);
        }
        let parsed = evaluation::parse(pairs).map_err(AppError::Invalid)?;
        let revision = pairs
            .iter()
            .find(|(k, _)| k == "version")
            .and_then(|(_, v)| v.trim().parse::<i64>().ok());
        let answers: Vec<(String, Option<&str>, String)> = parsed
            .answers
            .iter()
            .map(|(q, a, n)| (q.clone(), a.map(Answer::code), n.clone()))
            .collect();
        let new = NewEvaluation {
            answers: serde_json::to_string(&answers).unwrap_or_default(),
            score: parsed.score(),
            suggestion: parsed.suggestion().code(),
        };
        self.store
            .save_evaluation(
                &Actor::user(viewer.id, self.clock.now()),
                o.id,
                revision,
                &new,
            )
            .await
            .map_err(stale_or_internal)?;
        self.announce(o.id).await;
        Ok(format!(
            "{}?saved=1",
            app::paths::OPPORTUNITY_EVALUATION.of(o.id)
        ))
    }
}

#[async_trait::async_trait]
impl EvaluationService for Services {
    async fn evaluation(
        &self,
        viewer: &CurrentUser,
        opportunity_id: i64,
    ) -> Result<EvaluationView, AppError> {
        let o = self
            .seen_opportunity(viewer, opportunity_id, |_| true)
            .await?;
        let collaborates = self.collaborates(viewer, o.id).await?;
        let row = self.store.evaluation(o.id).await?;
        let kept = row.as_ref().map(|r| stored(&r.answers));
        let answers = QUESTIONS
            .iter()
            .map(|(code, _)| {
                let (answer, note) = kept
                    .as_ref()
                    .map(|e| e.answer(code))
                    .unwrap_or((None, String::new()));
                (
                    (*code).to_owned(),
                    answer.map(|a| a.code().to_owned()).unwrap_or_default(),
                    note,
                )
            })
            .collect();
        Ok(EvaluationView {
            opportunity_id: o.id,
            opportunity_name: o.fields.name.clone(),
            answers,
            summary: row.as_ref().and_then(summary_of),
            revision: row.as_ref().map(|r| r.revision),
            updated: row.map(|r| {
                (
                    r.updated_by_name,
                    super::opportunities::minutes(r.updated_at),
                )
            }),
            can_edit: may_log_activity(&o, viewer.id, collaborates),
        })
    }
}
