//! Batch actions on the 客户管理 and 商机管理 lists: the form is checked at once (an action, rows,
//! and for 分配 / 共享 a person the viewer may name), then a job does the rows in the background
//! in chunks of up to 1,000, one transaction each. Every row is checked against the viewer's
//! scope and rights; a row refused says why on the job page, and one the viewer cannot see says
//! nothing of itself.

use super::lookup::look_up;
use super::Services;
use crate::db::batch::{BatchOf, BatchOp, BatchRow};
use crate::db::Actor;
use crate::events::Event;
use crate::policy::rights::{is_manager, may_share_customer, may_share_opportunity};
use crate::policy::scope::Scope;
use app::api::customers::CustomerListQuery;
use app::api::opportunities::OpportunityListQuery;
use app::model::batch::{BatchAction, BatchForm, Selection, SubmittedBatch};
use app::model::customer::FieldError;
use app::model::live::NoteKind;
use app::model::lookup::PersonLookup;
use app::model::posted::FormBody;
use app::model::{AppError, CurrentUser};

/// Rows per transaction.
pub const CHUNK: usize = 1000;

/// Why a row was refused before the store saw it.
const NOT_VISIBLE: &str = "batch.not_visible";
const NO_RIGHT: &str = "batch.no_right";

/// What a checked batch form starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchStart {
    /// A job doing the rows: its page.
    Job(i64),
    /// 导出 of the rows: the export's address.
    Export(String),
}

impl BatchOf {
    fn code(self) -> &'static str {
        match self {
            BatchOf::Customers => "customers",
            BatchOf::Opportunities => "opportunities",
        }
    }

    /// The list's export address.
    fn export_path(self) -> &'static str {
        match self {
            BatchOf::Customers => app::paths::CUSTOMER_EXPORT.path(),
            BatchOf::Opportunities => app::paths::OPPORTUNITY_EXPORT.path(),
        }
    }
}

/// The address of 导出 of `selection` of the list's query `query`, as `format`.
fn export_address(of: BatchOf, format: &str, query: &str, selection: &Selection) -> String {
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _): &(String, String)| {
                !matches!(k.as_str(), "format" | "id" | "after_id" | "after_key")
            })
            .collect();
    pairs.insert(0, ("format".into(), format.into()));
    if let Selection::Ids(ids) = selection {
        pairs.extend(ids.iter().map(|id| ("id".to_owned(), id.to_string())));
    }
    let body = FormBody::from_pairs(&pairs);
    format!("{}?{}", of.export_path(), body.as_str())
}

impl Services {
    /// Checks a batch form and starts it: a job, or the export's address; or the form again
    /// with why it was refused.
    pub async fn start_batch(
        &self,
        viewer: &CurrentUser,
        of: BatchOf,
        form: &BatchForm,
    ) -> Result<BatchStart, SubmittedBatch> {
        let refused = |errors: Vec<FieldError>, person: PersonLookup| SubmittedBatch {
            form: form.clone(),
            person,
            errors,
        };
        let typed = PersonLookup {
            text: form.to.clone(),
            ..PersonLookup::default()
        };
        let (action, selection) = form.parse().map_err(|e| refused(e, typed.clone()))?;
        let allowed = match of {
            BatchOf::Customers => &BatchAction::CUSTOMERS[..],
            BatchOf::Opportunities => &BatchAction::OPPORTUNITIES[..],
        };
        if !allowed.contains(&action) {
            let error = FieldError::new("action", "batch.choose_action");
            return Err(refused(vec![error], typed));
        }
        let op = match action {
            BatchAction::ExportCsv | BatchAction::ExportXlsx => {
                let format = if action == BatchAction::ExportCsv {
                    "csv"
                } else {
                    "xlsx"
                };
                return Ok(BatchStart::Export(export_address(
                    of,
                    format,
                    &form.query,
                    &selection,
                )));
            }
            BatchAction::Convert => BatchOp::Convert,
            BatchAction::Delete => BatchOp::Delete,
            BatchAction::Assign | BatchAction::Share => {
                let person = self.batch_person(viewer, action, form).await.map_err(|_| {
                    refused(vec![FieldError::new("", "error.internal")], typed.clone())
                })?;
                let Some(to) = person.chosen.filter(|_| person.error.is_none()) else {
                    let key = person.error.clone().unwrap_or("field.required".into());
                    return Err(refused(vec![FieldError::new("to", &key)], person));
                };
                let people = self.people().await.map_err(|_| {
                    refused(vec![FieldError::new("", "error.internal")], typed.clone())
                })?;
                let Some((user, routing)) = people.users_with_persons().find(|(u, _)| u.id == to)
                else {
                    return Err(refused(
                        vec![FieldError::new("to", "field.invalid")],
                        person,
                    ));
                };
                if action == BatchAction::Assign {
                    BatchOp::Assign {
                        to,
                        to_unit: user.org_unit_id,
                        city_id: routing.city_id,
                    }
                } else {
                    BatchOp::Share {
                        user_id: to,
                        editable: form.access == "edit",
                    }
                }
            }
        };
        let target = match &op {
            BatchOp::Assign { to, .. } | BatchOp::Share { user_id: to, .. } => self
                .people()
                .await
                .ok()
                .and_then(|p| p.names.get(to).cloned())
                .unwrap_or_default(),
            _ => String::new(),
        };
        let kind = format!("{}.{}", of.code(), action.code());
        let total = match &selection {
            Selection::Ids(ids) => ids.len() as i64,
            Selection::All => 0,
        };
        let job = self
            .store
            .create_job(viewer.id, &kind, &target, total, self.clock.now())
            .await
            .map_err(|_| refused(vec![FieldError::new("", "error.internal")], typed.clone()))?;
        let this = self.clone();
        let viewer = viewer.clone();
        let query = form.query.clone();
        tokio::spawn(async move {
            let outcome = this
                .run_batch(&viewer, job, of, &op, selection, &query)
                .await;
            this.finish_job(job, outcome).await;
        });
        Ok(BatchStart::Job(job))
    }

    /// Whom 分配给 / 共享给 names: for 分配 someone within the viewer's reach (the 负责人 an edit
    /// could choose), for 共享 any active user but the viewer.
    async fn batch_person(
        &self,
        viewer: &CurrentUser,
        action: BatchAction,
        form: &BatchForm,
    ) -> Result<PersonLookup, AppError> {
        let people = self.people().await?;
        let reach;
        let pool: Vec<_> = if action == BatchAction::Assign {
            reach = self.reachable(viewer).await?;
            reach.users.iter().collect()
        } else {
            people.users.iter().filter(|u| u.id != viewer.id).collect()
        };
        let mut found = look_up(&people, &pool, form.to_id.trim().parse().ok(), &form.to);
        // An id posted with no text must still be one of the pool.
        if found
            .chosen
            .is_some_and(|id| !pool.iter().any(|u| u.id == id))
        {
            found.chosen = None;
            found.error = Some("field.invalid".into());
        }
        if found.chosen.is_none() && found.error.is_none() {
            found.error = Some("field.required".into());
        }
        Ok(found)
    }

    /// Does the rows, a chunk per transaction.
    async fn run_batch(
        &self,
        viewer: &CurrentUser,
        job: i64,
        of: BatchOf,
        op: &BatchOp,
        selection: Selection,
        query: &str,
    ) -> Result<(), AppError> {
        let ids = match selection {
            Selection::Ids(ids) => ids,
            Selection::All => {
                let body = FormBody::new(query);
                let ids = match of {
                    BatchOf::Customers => {
                        let q: CustomerListQuery = body.read();
                        self.customer_query_ids(viewer, &q).await?
                    }
                    BatchOf::Opportunities => {
                        let q: OpportunityListQuery = body.read();
                        self.opportunity_query_ids(viewer, &q).await?
                    }
                };
                self.store.set_job_total(job, ids.len() as i64).await?;
                ids
            }
        };
        let mut done = 0;
        for chunk in ids.chunks(CHUNK) {
            let rows = self.batch_rows(viewer, of, op, chunk).await?;
            let actor = Actor::user(viewer.id, self.clock.now());
            done += self
                .store
                .apply_batch(&actor, job, of, op, &rows)
                .await?
                .len();
        }
        if done > 0 {
            self.batch_done(viewer, op).await;
        }
        Ok(())
    }

    /// A chunk's rows, each checked: seen in the viewer's scope, and theirs to act on.
    async fn batch_rows(
        &self,
        viewer: &CurrentUser,
        of: BatchOf,
        op: &BatchOp,
        ids: &[i64],
    ) -> Result<Vec<BatchRow>, AppError> {
        let scope = Scope::of(viewer);
        let mut rows = Vec::with_capacity(ids.len());
        for &id in ids {
            let (label, refused) = match of {
                BatchOf::Customers => match self.store.customer(&scope, id).await? {
                    None => (format!("#{id}"), Some(NOT_VISIBLE)),
                    Some(c) => {
                        let allowed = match op {
                            BatchOp::Convert => self.may_edit_customer(viewer, &c).await?,
                            _ => may_share_customer(viewer, &c),
                        };
                        (c.name, (!allowed).then_some(NO_RIGHT))
                    }
                },
                BatchOf::Opportunities => match self.store.opportunity(&scope, id).await? {
                    None => (format!("#{id}"), Some(NOT_VISIBLE)),
                    Some(o) => {
                        let allowed = match op {
                            BatchOp::Share { .. } => may_share_opportunity(viewer, &o),
                            _ => o.owner_id == viewer.id || is_manager(viewer),
                        };
                        (o.fields.name, (!allowed).then_some(NO_RIGHT))
                    }
                },
            };
            rows.push(BatchRow { id, label, refused });
        }
        Ok(rows)
    }

    /// Tells the person a batch named, and the viewer's own pages, that things changed.
    async fn batch_done(&self, viewer: &CurrentUser, op: &BatchOp) {
        let Some(events) = &self.events else {
            return;
        };
        let mut users = vec![viewer.id];
        if let BatchOp::Assign { to, .. } | BatchOp::Share { user_id: to, .. } = op {
            users.push(*to);
        }
        events
            .publish(Event {
                users,
                kind: NoteKind::Task,
                opportunity_id: None,
            })
            .await;
        if matches!(op, BatchOp::Assign { .. }) {
            events.rankings_changed().await;
        }
    }
}
