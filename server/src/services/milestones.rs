//! 订单后续执行跟踪: who follows up a signed order (its signer — the owner who signed it — and
//! managers who see it), its milestones and their history, and the overdue ones in a scope.

use super::opportunities::minutes;
use super::{internal, stale_or_internal, Services};
use crate::db::milestones::{MilestoneChange, MilestoneRow};
use crate::db::opportunities::Opportunity;
use crate::db::Actor;
use crate::policy::rights::is_manager;
use crate::policy::scope::Scope;
use app::api::milestones::{
    DueMilestoneView, MilestoneChangeView, MilestoneFormOptions, MilestoneListPage,
    MilestoneListQuery, MilestoneService, MilestoneView, OrderPanel,
};
use app::model::milestone::{MilestoneForm, MilestoneKind, MilestoneStatus};
use app::model::opportunity::{Fen, Status};
use app::model::{AppError, CurrentUser};

/// Rows of the overdue list a page.
const PAGE: u32 = 20;
/// Changes the history on an opportunity page shows.
const HISTORY: u32 = 30;

/// A milestone as shown; `today` (YYYY-MM-DD) decides whether it is overdue.
fn view_of(m: MilestoneRow, today: &str) -> MilestoneView {
    MilestoneView {
        overdue: m.status.is_open() && m.planned_on.as_deref().is_some_and(|d| d < today),
        id: m.id,
        kind: m.kind,
        name: m.name,
        planned_on: m.planned_on,
        actual_on: m.actual_on,
        amount_fen: m.amount_fen,
        status: m.status,
        note: m.note,
    }
}

fn change_view(c: MilestoneChange, names: &[(i64, MilestoneKind, String)]) -> MilestoneChangeView {
    let changes: Vec<(String, String, String)> =
        serde_json::from_str(&c.changes).unwrap_or_default();
    // The milestone as it was named then (a deleted one's name is in its changes).
    let field = |name: &str| {
        changes.iter().find(|(f, _, _)| f == name).map(|(_, b, a)| {
            if a.is_empty() {
                b.clone()
            } else {
                a.clone()
            }
        })
    };
    let (kind, name) = names
        .iter()
        .find(|(id, _, _)| *id == c.milestone_id)
        .map(|(_, k, n)| (*k, n.clone()))
        .or_else(|| {
            let kind = field("kind").and_then(|k| MilestoneKind::from_code(&k))?;
            Some((kind, field("name").unwrap_or_default()))
        })
        .unwrap_or((MilestoneKind::Custom, String::new()));
    MilestoneChangeView {
        at: minutes(c.at),
        user: c.user_name,
        action: c.action,
        milestone: (kind.label_key().to_owned(), name),
        changes,
    }
}

/// A form as an edit starts from the stored milestone.
fn form_of(m: &MilestoneRow) -> MilestoneForm {
    MilestoneForm {
        kind: m.kind.code().to_owned(),
        name: m.name.clone(),
        planned_on: m.planned_on.clone().unwrap_or_default(),
        actual_on: m.actual_on.clone().unwrap_or_default(),
        amount: m.amount_fen.map(|f| Fen(f).to_plain()).unwrap_or_default(),
        status: m.status.code().to_owned(),
        note: m.note.clone(),
    }
}

impl Services {
    /// Whether `viewer` (who sees `o`) follows up its order: signed, and theirs or managed.
    fn may_follow_up(viewer: &CurrentUser, o: &Opportunity) -> bool {
        o.status == Status::Signed && (o.owner_id == viewer.id || is_manager(viewer))
    }

    /// The signed order `id` if the viewer may follow it up.
    async fn followed_order(&self, viewer: &CurrentUser, id: i64) -> Result<Opportunity, AppError> {
        let o = self.seen_opportunity(viewer, id, |_| true).await?;
        if Self::may_follow_up(viewer, &o) {
            Ok(o)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Milestone `id` and its order, if the viewer may change it.
    async fn changeable_milestone(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<(MilestoneRow, Opportunity), AppError> {
        let m = self.store.milestone(id).await?.ok_or(AppError::Forbidden)?;
        let o = self.followed_order(viewer, m.opportunity_id).await?;
        Ok((m, o))
    }

    /// The 订单执行跟踪 panel of an opportunity the viewer sees: `None` until it is signed.
    pub(crate) async fn order_panel(
        &self,
        viewer: &CurrentUser,
        o: &Opportunity,
    ) -> Result<Option<OrderPanel>, AppError> {
        if o.status != Status::Signed {
            return Ok(None);
        }
        let rows = self.store.milestones(o.id).await?;
        let names: Vec<(i64, MilestoneKind, String)> = rows
            .iter()
            .map(|m| (m.id, m.kind, m.name.clone()))
            .collect();
        let paid_fen = rows
            .iter()
            .filter(|m| m.kind == MilestoneKind::Payment && m.status == MilestoneStatus::Done)
            .filter_map(|m| m.amount_fen)
            .fold(0i64, i64::saturating_add);
        let today = self.today().format("%Y-%m-%d").to_string();
        let signing = self.store.signing(o.id).await?;
        let history = self
            .store
            .milestone_history(o.id, HISTORY)
            .await?
            .into_iter()
            .map(|c| change_view(c, &names))
            .collect();
        Ok(Some(OrderPanel {
            milestones: rows.into_iter().map(|m| view_of(m, &today)).collect(),
            signed_amount_fen: signing.map_or(0, |s| s.amount.0),
            paid_fen,
            can_edit: Self::may_follow_up(viewer, o),
            history,
        }))
    }

    /// The home page's count: open milestones in scope planned before today.
    pub(crate) async fn overdue_milestones(&self, viewer: &CurrentUser) -> Result<i64, AppError> {
        Ok(self
            .store
            .overdue_milestone_count(&Scope::of(viewer), self.today())
            .await?)
    }

    pub async fn add_milestone(
        &self,
        viewer: &CurrentUser,
        opportunity_id: i64,
        form: &MilestoneForm,
    ) -> Result<String, AppError> {
        let o = self.followed_order(viewer, opportunity_id).await?;
        let parsed = form.parse(self.today()).map_err(AppError::Invalid)?;
        self.store
            .add_milestone(&Actor::user(viewer.id, self.clock.now()), o.id, &parsed)
            .await
            .map_err(internal)?;
        self.announce(o.id).await;
        Ok(format!("{}#order", app::paths::OPPORTUNITY.of(o.id)))
    }

    pub async fn update_milestone(
        &self,
        viewer: &CurrentUser,
        id: i64,
        revision: i64,
        form: &MilestoneForm,
    ) -> Result<String, AppError> {
        let (m, o) = self.changeable_milestone(viewer, id).await?;
        let parsed = form.parse(self.today()).map_err(AppError::Invalid)?;
        self.store
            .update_milestone(
                &Actor::user(viewer.id, self.clock.now()),
                m.id,
                revision,
                &parsed,
            )
            .await
            .map_err(stale_or_internal)?;
        self.announce(o.id).await;
        Ok(format!("{}#order", app::paths::OPPORTUNITY.of(o.id)))
    }

    pub async fn delete_milestone(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<String, AppError> {
        let (m, o) = self.changeable_milestone(viewer, id).await?;
        self.store
            .delete_milestone(&Actor::user(viewer.id, self.clock.now()), m.id)
            .await
            .map_err(stale_or_internal)?;
        self.announce(o.id).await;
        Ok(format!("{}#order", app::paths::OPPORTUNITY.of(o.id)))
    }
}

#[async_trait::async_trait]
impl MilestoneService for Services {
    async fn milestone_form(
        &self,
        viewer: &CurrentUser,
        opportunity_id: i64,
    ) -> Result<MilestoneFormOptions, AppError> {
        let o = self.followed_order(viewer, opportunity_id).await?;
        Ok(MilestoneFormOptions {
            opportunity_id: o.id,
            opportunity_name: o.fields.name,
            editing: None,
        })
    }

    async fn milestone_edit(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<MilestoneFormOptions, AppError> {
        let (m, o) = self.changeable_milestone(viewer, id).await?;
        Ok(MilestoneFormOptions {
            opportunity_id: o.id,
            opportunity_name: o.fields.name,
            editing: Some((m.id, m.revision, form_of(&m))),
        })
    }

    async fn milestone_list(
        &self,
        viewer: &CurrentUser,
        q: &MilestoneListQuery,
    ) -> Result<MilestoneListPage, AppError> {
        let today = self.today();
        let before = (q.tab != "open").then_some(today);
        let after = q
            .after_id
            .trim()
            .parse::<i64>()
            .ok()
            .map(|id| (q.after_key.clone(), id));
        let mut rows = self
            .store
            .open_milestones(&Scope::of(viewer), before, after, PAGE + 1)
            .await?;
        let more = rows.len() > PAGE as usize;
        rows.truncate(PAGE as usize);
        let next = more
            .then(|| {
                rows.last().map(|r| {
                    (
                        r.milestone.planned_on.clone().unwrap_or_default(),
                        r.milestone.id,
                    )
                })
            })
            .flatten();
        let today = today.format("%Y-%m-%d").to_string();
        Ok(MilestoneListPage {
            rows: rows
                .into_iter()
                .map(|r| DueMilestoneView {
                    opportunity_id: r.milestone.opportunity_id,
                    milestone: view_of(r.milestone, &today),
                    opportunity_name: r.opportunity_name,
                    owner: r.owner_name,
                })
                .collect(),
            next,
        })
    }
}
