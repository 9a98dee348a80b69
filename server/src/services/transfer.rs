//! 转交: a 系统管理员 (anyone) or a 地市 manager (within their city) moves what one user holds
//! to another: open approval tasks to someone the workflow engine says may decide each, customers
//! and opportunities to an active user of their city. Each kind in one transaction; each item
//! audited and its new holder told (a 待阅消息, and the live channel).

use super::people::People;
use super::Services;
use crate::db::transfer::{RecordTransfer, APPROVER_OWNS, OTHER_CITY};
use crate::db::{Actor, StoreError, UserBrief};
use crate::events::Event;
use crate::policy::rights::state_of;
use crate::policy::scope::Scope;
use app::api::admin::{HoldingsView, TransferItem, TransferView};
use app::model::customer::FieldError;
use app::model::live::NoteKind;
use app::model::transfer::{ParsedTransfer, TransferForm, TransferKind, TransferReach};
use app::model::{AppError, CurrentUser, Role};

/// Items of each kind the page lists (the holdings count them all; 「全部」 moves them all).
const SHOWN: u32 = 100;
/// The most tasks one 转交 reads (a deputy holds a few hundred open at most).
const ALL_TASKS: u32 = 100_000;

/// Whether someone working in `city` is within `reach`.
fn holds(reach: TransferReach, city: Option<i64>) -> bool {
    match reach {
        TransferReach::All => true,
        TransferReach::City(reach) => city == Some(reach),
    }
}

impl Services {
    /// The viewer's reach, or refused (and audited) when they have none.
    async fn transfer_reach(&self, viewer: &CurrentUser) -> Result<TransferReach, AppError> {
        match TransferReach::of(viewer) {
            Some(reach) => Ok(reach),
            None => {
                // The same audited refusal as every admin page's.
                self.require_admin(viewer, "transfer").await?;
                Ok(TransferReach::All)
            }
        }
    }

    /// Moves what the form names; returns how many items moved.
    pub async fn transfer(
        &self,
        viewer: &CurrentUser,
        form: &TransferForm,
    ) -> Result<usize, AppError> {
        let reach = self.transfer_reach(viewer).await?;
        let parsed = form.parse().map_err(AppError::Invalid)?;
        let people = self.people().await?;
        let within = |id: i64| {
            people
                .users_with_persons()
                .find(|(u, _)| u.id == id)
                .filter(|(_, p)| holds(reach, p.city_id))
                .map(|(u, _)| u)
        };
        within(parsed.from).ok_or(AppError::Invalid(vec![FieldError::new(
            "",
            "transfer.choose_from",
        )]))?;
        let to = within(parsed.to).ok_or(AppError::Invalid(vec![FieldError::new(
            "to",
            "transfer.choose_to",
        )]))?;
        let actor = Actor::user(viewer.id, self.clock.now());
        let moved = match parsed.kind {
            TransferKind::Tasks => {
                self.transfer_tasks(viewer, &people, &parsed, &actor)
                    .await?
            }
            kind => {
                let t = RecordTransfer {
                    from: parsed.from,
                    to: to.id,
                    to_unit: to.org_unit_id,
                    city_id: people.routing.person(to.id).and_then(|p| p.city_id),
                    ids: parsed.ids.clone(),
                };
                let result = crate::db::retrying(|| async {
                    if kind == TransferKind::Customers {
                        self.store.transfer_customers(&actor, &t).await
                    } else {
                        self.store.transfer_opportunities(&actor, &t).await
                    }
                })
                .await;
                match result {
                    Ok(ids) => ids.len(),
                    Err(StoreError::Conflict(why)) if why == OTHER_CITY || why == APPROVER_OWNS => {
                        return Err(AppError::Invalid(vec![FieldError::new("to", &why)]));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        };
        if moved > 0 {
            self.transferred(parsed.from, parsed.to, parsed.kind).await;
        }
        Ok(moved)
    }

    /// Hands open approval tasks to someone the engine says may decide every one of them.
    async fn transfer_tasks(
        &self,
        viewer: &CurrentUser,
        people: &People,
        parsed: &ParsedTransfer,
        actor: &Actor,
    ) -> Result<usize, AppError> {
        let held = self.store.held_tasks(parsed.from, ALL_TASKS).await?;
        let chosen: Vec<_> = match &parsed.ids {
            None => held,
            Some(ids) => held.into_iter().filter(|t| ids.contains(&t.id)).collect(),
        };
        let to = people
            .routing
            .person(parsed.to)
            .ok_or(AppError::Invalid(vec![FieldError::new(
                "to",
                "transfer.choose_to",
            )]))?;
        let scope = Scope::of(viewer);
        for task in &chosen {
            // Read in the viewer's scope: a task of another city is not theirs to move.
            let o = self
                .store
                .opportunity(&scope, task.opportunity_id)
                .await?
                .ok_or(AppError::Invalid(vec![FieldError::new("to", OTHER_CITY)]))?;
            if !people.routing.eligible(&state_of(&o), task.flow, to) {
                return Err(AppError::Invalid(vec![FieldError::new(
                    "to",
                    "transfer.not_eligible",
                )]));
            }
        }
        let ids: Vec<i64> = chosen.iter().map(|t| t.id).collect();
        let moved = crate::db::retrying(|| {
            self.store
                .transfer_tasks(actor, parsed.from, parsed.to, &ids)
        })
        .await?;
        Ok(moved.len())
    }

    /// Tells both holders' browsers (their tasks, lists and messages changed), and everyone's
    /// rankings when opportunities changed hands.
    async fn transferred(&self, from: i64, to: i64, kind: TransferKind) {
        let Some(events) = &self.events else {
            return;
        };
        events
            .publish(Event {
                users: vec![from, to],
                kind: NoteKind::Task,
                opportunity_id: None,
            })
            .await;
        if kind == TransferKind::Opportunities {
            events.rankings_changed().await;
        }
    }

    /// 转交's page: whom the viewer may take over from, and what `from` holds.
    pub(crate) async fn transfer_view(
        &self,
        viewer: &CurrentUser,
        from: Option<i64>,
    ) -> Result<TransferView, AppError> {
        let reach = self.transfer_reach(viewer).await?;
        let people = self.people_seen_by(viewer).await?;
        let label = |u: &UserBrief| format!("{}（{}）", u.name, u.login);
        let mut view = TransferView {
            people: people
                .users_with_persons()
                .filter(|(_, p)| holds(reach, p.city_id))
                .map(|(u, _)| (u.id, label(u)))
                .collect(),
            ..Default::default()
        };
        let Some(from) = from.filter(|id| view.people.iter().any(|(p, _)| p == id)) else {
            return Ok(view);
        };
        view.from = Some(from);
        let h = self.store.holdings(from).await?;
        view.holdings = HoldingsView {
            open_tasks: h.open_tasks,
            customers: h.customers,
            opportunities: h.opportunities,
        };
        let tasks = self.store.held_tasks(from, SHOWN).await?;
        let scope = Scope::of(viewer);
        let mut states = Vec::with_capacity(tasks.len());
        for t in &tasks {
            if let Some(o) = self.store.opportunity(&scope, t.opportunity_id).await? {
                states.push((state_of(&o), t.flow));
            }
        }
        let from_city = people.routing.person(from).and_then(|p| p.city_id);
        let others = || {
            people
                .users_with_persons()
                .filter(move |(u, p)| u.id != from && holds(reach, p.city_id))
        };
        view.task_targets = others()
            .filter(|(_, p)| {
                !states.is_empty()
                    && states
                        .iter()
                        .all(|(s, flow)| people.routing.eligible(s, *flow, p))
            })
            .map(|(u, _)| (u.id, label(u)))
            .collect();
        view.record_targets = others()
            .filter(|(_, p)| {
                p.city_id == from_city && p.roles.iter().any(|r| *r != Role::SalesSupport)
            })
            .map(|(u, _)| (u.id, label(u)))
            .collect();
        view.tasks = tasks
            .into_iter()
            .map(|t| TransferItem {
                id: t.id,
                name: t.name,
                detail: t.flow.label_key().to_owned(),
            })
            .collect();
        let item = |r: crate::db::transfer::HeldRecord| TransferItem {
            id: r.id,
            name: r.name,
            detail: String::new(),
        };
        view.customers = self
            .store
            .held_customers(from, SHOWN)
            .await?
            .into_iter()
            .map(item)
            .collect();
        view.opportunities = self
            .store
            .held_opportunities(from, SHOWN)
            .await?
            .into_iter()
            .map(item)
            .collect();
        Ok(view)
    }
}
