//! 销售活动: who may log one where, the checks of the form, and the lists on the customer and
//! opportunity pages.
//!
//! On a customer: those who may edit it. On an opportunity: its owner and its 协作 users,
//! unless it is 已作废 or 已终止. The customer must be one of the opportunity's (or the page's
//! customer), and every contact one of that customer's.

use super::activity_list::activity_query;
use super::Services;
use crate::db::activities::{ActivitiesOf, ActivityRow, NewActivity};
use crate::db::opportunities::Opportunity;
use crate::db::shares::Shared;
use crate::db::Actor;
use crate::db::StoreError;
use crate::policy::rights::{is_manager, may_log_activity};
use crate::policy::scope::{Reach, Scope};
use app::api::activities::ActivityEditService;
use app::api::activities::{
    ActivityFormOptions, ActivityList, ActivityService, ActivityTarget, ActivityView,
};
use app::api::activity_list::ActivityFilter;
use app::model::activity::ActivityForm;
use app::model::columns::ACTIVITY_LIST;
use app::model::customer::FieldError;
use app::model::{AppError, CurrentUser};
use std::collections::HashMap;

/// How many activities a page lists (newest first).
const LISTED: u32 = 100;

impl Services {
    /// The opportunity if `viewer` may log activities on it.
    async fn loggable_opportunity(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<Opportunity, AppError> {
        let o = self.seen_opportunity(viewer, id, |_| true).await?;
        let collaborates = self.collaborates(viewer, id).await?;
        if may_log_activity(&o, viewer.id, collaborates) {
            Ok(o)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Whether the opportunity `id` is shared with `viewer` as 协作.
    pub(crate) async fn collaborates(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<bool, AppError> {
        self.shared_editable(viewer, Shared::Opportunity(id)).await
    }

    /// (title, customers) of a target the viewer may log on.
    async fn activity_target(
        &self,
        viewer: &CurrentUser,
        target: ActivityTarget,
    ) -> Result<(String, Vec<(i64, String)>), AppError> {
        match target {
            ActivityTarget::Customer(id) => {
                let c = self.editable(viewer, id).await?;
                Ok((c.name.clone(), vec![(c.id, c.name)]))
            }
            ActivityTarget::Opportunity(id) => {
                let o = self.loggable_opportunity(viewer, id).await?;
                let customers = self.store.opportunity_customer_names(o.id).await?;
                Ok((o.fields.name, customers))
            }
        }
    }

    /// (customer, contact, name) of the given customers. Read without scope: the caller has
    /// checked the viewer's right to the page they belong to.
    async fn contacts_of(
        &self,
        viewer: &CurrentUser,
        customers: &[(i64, String)],
    ) -> Result<Vec<(i64, i64, String)>, AppError> {
        let everything = Scope {
            viewer_id: viewer.id,
            reach: Reach::All,
        };
        let mut all = Vec::new();
        for (customer, _) in customers {
            let contacts = self.store.contacts(&everything, *customer).await?;
            all.extend(contacts.into_iter().map(|c| (*customer, c.id, c.name)));
        }
        Ok(all)
    }

    /// The activities listed on a page the viewer can see, as `filter` finds them; `can_log`
    /// as the caller decided.
    pub(crate) async fn activity_list(
        &self,
        viewer: &CurrentUser,
        of: ActivitiesOf,
        can_log: bool,
        filter: &ActivityFilter,
    ) -> Result<ActivityList, AppError> {
        // The page's own check let the viewer in: its activities need no scope of their own.
        let everything = Scope {
            viewer_id: viewer.id,
            reach: Reach::All,
        };
        let mut query = activity_query(&filter.as_query(), self.today(), None);
        match of {
            ActivitiesOf::Customer(id) => query.customer_id = Some(id),
            ActivitiesOf::Opportunity(id) => query.opportunity_id = Some(id),
        }
        query.limit = LISTED;
        let rows = self.store.activity_list(&everything, &query).await?;
        Ok(ActivityList {
            rows: self.activity_views(viewer, rows).await?,
            can_log,
            filter: filter.clone(),
            columns: self.activity_columns(viewer).await?,
        })
    }

    /// Rows as listed, with their contacts (one query for the page).
    pub(crate) async fn activity_views(
        &self,
        viewer: &CurrentUser,
        rows: Vec<ActivityRow>,
    ) -> Result<Vec<ActivityView>, AppError> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut contacts: HashMap<i64, Vec<String>> = HashMap::new();
        for (activity, name) in self.store.activity_contacts(&ids).await? {
            contacts.entry(activity).or_default().push(name);
        }
        let today = self.today().format("%Y-%m-%d").to_string();
        Ok(rows
            .into_iter()
            .map(|r| view_of(r, viewer, &today, &mut contacts))
            .collect())
    }

    /// The optional columns of 销售活动 the viewer shows.
    pub(crate) async fn activity_columns(
        &self,
        viewer: &CurrentUser,
    ) -> Result<Vec<String>, AppError> {
        let saved = self
            .store
            .user_pref(viewer.id, &ACTIVITY_LIST.pref_key())
            .await?;
        Ok(ACTIVITY_LIST.visible(saved.as_deref()))
    }
}

/// An activity as listed; `today` (YYYY-MM-DD, China time) decides whether it is overdue.
fn view_of(
    r: ActivityRow,
    viewer: &CurrentUser,
    today: &str,
    contacts: &mut HashMap<i64, Vec<String>>,
) -> ActivityView {
    ActivityView {
        overdue: !r.done && r.activity_date.as_str() < today,
        id: r.id,
        kind: r.kind,
        date: r.activity_date,
        customer_id: r.customer_id,
        customer_name: r.customer_name,
        opportunity: r.opportunity_id.zip(r.opportunity_name),
        contacts: contacts.remove(&r.id).unwrap_or_default(),
        notes: r.notes,
        done: r.done,
        creator: r.creator_name,
        may_complete: !r.done && r.created_by == viewer.id,
        may_edit: !r.done && (r.created_by == viewer.id || is_manager(viewer)),
    }
}

#[async_trait::async_trait]
impl ActivityService for Services {
    async fn activity_form(
        &self,
        viewer: &CurrentUser,
        target: ActivityTarget,
    ) -> Result<ActivityFormOptions, AppError> {
        let (title, customers) = self.activity_target(viewer, target).await?;
        let contacts = self.contacts_of(viewer, &customers).await?;
        Ok(ActivityFormOptions {
            target,
            title,
            customers,
            contacts,
            today: self.today().format("%Y-%m-%d").to_string(),
            editing: None,
        })
    }
}

#[async_trait::async_trait]
impl ActivityEditService for Services {
    async fn activity_edit(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<ActivityFormOptions, AppError> {
        let (a, target, customers) = self.changeable_activity(viewer, id).await?;
        let contacts = self.contacts_of(viewer, &customers).await?;
        let chosen = self.store.activity_contact_ids(id).await?;
        let form = ActivityForm {
            kind: a.kind.code().to_owned(),
            date: a.activity_date.clone(),
            customer_id: a.customer_id.to_string(),
            contact_ids: chosen.iter().map(i64::to_string).collect(),
            notes: a.notes.clone(),
            status: if a.done { "done" } else { "planned" }.to_owned(),
        };
        let title = match &a.opportunity_name {
            Some(name) => name.clone(),
            None => a.customer_name.clone(),
        };
        Ok(ActivityFormOptions {
            target,
            title,
            customers,
            contacts,
            today: self.today().format("%Y-%m-%d").to_string(),
            editing: Some((a.id, a.version, form)),
        })
    }
}

/// Writes: called by the form handlers, never by the `app` crate.
impl Services {
    /// The activity if `viewer` may change it (编辑, 删除): they see its customer, created it or
    /// are a manager, and it is 计划中; with the page it is listed on and the customers it may be
    /// about. `Forbidden` otherwise (a refusal says nothing of it).
    async fn changeable_activity(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<(ActivityRow, ActivityTarget, Vec<(i64, String)>), AppError> {
        let a = self.store.activity(id).await?.ok_or(AppError::Forbidden)?;
        self.store
            .customer(&Scope::of(viewer), a.customer_id)
            .await?
            .ok_or(AppError::Forbidden)?;
        if a.done || !(a.created_by == viewer.id || is_manager(viewer)) {
            return Err(AppError::Forbidden);
        }
        let (target, customers) = match a.opportunity_id {
            Some(o) => (
                ActivityTarget::Opportunity(o),
                self.store.opportunity_customer_names(o).await?,
            ),
            None => (
                ActivityTarget::Customer(a.customer_id),
                vec![(a.customer_id, a.customer_name.clone())],
            ),
        };
        Ok((a, target, customers))
    }

    /// Saves an edit made on `version`: the page to go back to, every field refusal, or
    /// 「数据已被他人修改」 when it changed (or was completed) in between.
    pub async fn update_activity(
        &self,
        viewer: &CurrentUser,
        id: i64,
        version: i64,
        form: &ActivityForm,
    ) -> Result<String, AppError> {
        let (a, target, customers) = self.changeable_activity(viewer, id).await?;
        let new = self
            .checked_activity(viewer, &customers, a.opportunity_id, form)
            .await?;
        let actor = Actor::user(viewer.id, self.clock.now());
        match self.store.update_activity(&actor, id, version, &new).await {
            Ok(()) => {}
            Err(StoreError::Stale) => {
                return Err(AppError::Invalid(vec![FieldError::new(
                    "",
                    "customer.stale",
                )]));
            }
            Err(e) => return Err(e.into()),
        }
        if let Some(o) = a.opportunity_id {
            self.announce(o).await;
        }
        Ok(format!("{}#activities", target.page()))
    }

    /// 删除 of a planned activity: the page to go back to.
    pub async fn delete_activity(&self, viewer: &CurrentUser, id: i64) -> Result<String, AppError> {
        let (a, target, _) = self.changeable_activity(viewer, id).await?;
        let actor = Actor::user(viewer.id, self.clock.now());
        match self.store.delete_activity(&actor, id).await {
            Ok(()) => {}
            Err(StoreError::Stale) => return Err(AppError::Forbidden),
            Err(e) => return Err(e.into()),
        }
        if let Some(o) = a.opportunity_id {
            self.announce(o).await;
        }
        Ok(format!("{}#activities", target.page()))
    }

    /// A form checked against the customers it may be about and their contacts.
    async fn checked_activity(
        &self,
        viewer: &CurrentUser,
        customers: &[(i64, String)],
        opportunity_id: Option<i64>,
        form: &ActivityForm,
    ) -> Result<NewActivity, AppError> {
        let parsed = form.parse().map_err(AppError::Invalid)?;
        if !customers.iter().any(|(c, _)| *c == parsed.customer_id) {
            return Err(AppError::Invalid(vec![FieldError::new(
                "customer_id",
                "field.invalid",
            )]));
        }
        let chosen = [(parsed.customer_id, String::new())];
        let allowed = self.contacts_of(viewer, &chosen).await?;
        if !parsed
            .contact_ids
            .iter()
            .all(|id| allowed.iter().any(|(_, c, _)| c == id))
        {
            return Err(AppError::Invalid(vec![FieldError::new(
                "contact_id",
                "activity.contact_elsewhere",
            )]));
        }
        Ok(NewActivity {
            kind: parsed.kind,
            date: parsed.date,
            customer_id: parsed.customer_id,
            opportunity_id,
            contact_ids: parsed.contact_ids,
            notes: parsed.notes,
            done: parsed.done,
        })
    }

    /// Logs an activity: the page to go back to, or the refusals beside their fields.
    pub async fn add_activity(
        &self,
        viewer: &CurrentUser,
        target: ActivityTarget,
        form: &ActivityForm,
    ) -> Result<String, AppError> {
        let (_, customers) = self.activity_target(viewer, target).await?;
        let opportunity_id = match target {
            ActivityTarget::Opportunity(id) => Some(id),
            ActivityTarget::Customer(_) => None,
        };
        let new = self
            .checked_activity(viewer, &customers, opportunity_id, form)
            .await?;
        self.store
            .create_activity(&Actor::user(viewer.id, self.clock.now()), &new)
            .await?;
        if let ActivityTarget::Opportunity(id) = target {
            self.announce(id).await;
        }
        Ok(format!("{}#activities", target.page()))
    }

    /// Marks an activity 已完成: the page to go back to.
    pub async fn complete_activity(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<String, AppError> {
        let a = self
            .store
            .activity(id)
            .await?
            .filter(|a| a.created_by == viewer.id)
            .ok_or(AppError::Forbidden)?;
        self.store
            .complete_activity(&Actor::user(viewer.id, self.clock.now()), id)
            .await?;
        let page = match a.opportunity_id {
            Some(o) => ActivityTarget::Opportunity(o),
            None => ActivityTarget::Customer(a.customer_id),
        };
        if let Some(o) = a.opportunity_id {
            self.announce(o).await;
        }
        Ok(format!("{}#activities", page.page()))
    }
}
