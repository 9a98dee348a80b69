//! A job's page and its error report: only the user who started the job reads them.

use super::Services;
use crate::auth::login::china_time;
use crate::db::jobs::JobError;
use app::api::jobs::JobService;
use app::model::batch::{JobErrorView, JobView};
use app::model::{AppError, CurrentUser};

/// Refused rows the page shows; the report has them all.
const SHOWN_ERRORS: i64 = 200;

/// The message key of a field an import names (`""`: the row as a whole).
fn field_key(field: &str) -> String {
    match field {
        "" => String::new(),
        f if f.contains('.') => f.to_owned(),
        f => format!("customer.{f}"),
    }
}

pub(crate) fn error_view(e: JobError) -> JobErrorView {
    JobErrorView {
        row_no: e.row_no,
        label: e.label,
        field_key: field_key(&e.field),
        reason_key: e.reason,
    }
}

impl Services {
    /// Ends job `id` as its work came out: done, or failed (logged).
    pub(crate) async fn finish_job(&self, id: i64, outcome: Result<(), AppError>) {
        let status = match outcome {
            Ok(()) => crate::db::jobs::DONE,
            Err(e) => {
                tracing::error!(error = ?e, job = id, "job failed");
                crate::db::jobs::FAILED
            }
        };
        if let Err(e) = self.store.finish_job(id, status, self.clock.now()).await {
            tracing::error!(error = ?e, job = id, "job could not be finished");
        }
    }

    /// The job `id` if it is the viewer's; `NotFound` otherwise (someone else's says nothing).
    pub(crate) async fn own_job(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<crate::db::jobs::Job, AppError> {
        self.store
            .job(viewer.id, id)
            .await?
            .ok_or(AppError::NotFound)
    }
}

#[async_trait::async_trait]
impl JobService for Services {
    async fn job(&self, viewer: &CurrentUser, id: i64) -> Result<JobView, AppError> {
        let job = self.own_job(viewer, id).await?;
        let errors = self.store.job_errors(id, 0, SHOWN_ERRORS).await?;
        let back = match job.kind.split('.').next() {
            Some("opportunities") => app::paths::OPPORTUNITIES.path(),
            Some("import") => app::paths::CUSTOMER_IMPORT.path(),
            _ => app::paths::CUSTOMERS.path(),
        };
        Ok(JobView {
            id: job.id,
            title_key: format!("job.{}", job.kind),
            target: job.target,
            status: job.status,
            total: job.total,
            processed: job.processed,
            succeeded: job.succeeded,
            failed: job.failed,
            started: china_time(job.created_at),
            errors: errors.into_iter().map(error_view).collect(),
            back: back.to_owned(),
        })
    }
}
