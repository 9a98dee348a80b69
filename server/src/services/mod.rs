//! The services the `app` crate's server functions call, implemented over the store. Each
//! area's trait (declared in `app::api`) is implemented in its own module here.

mod activities;
mod activity_list;
mod admin_dictionaries;
mod admin_org;
mod admin_roles;
mod admin_routing;
mod admin_users;
mod analysis;
mod announcements;
mod approved_fields;
pub mod attachments;
mod audit_log;
pub mod batch;
pub mod warnings;

/// The most entries one 审计日志 export holds.
pub fn audit_log_export_max() -> u32 {
    audit_log::EXPORT_MAX
}
mod contact_list;
mod customer_list;
mod customers;
mod directory;
mod evaluations;
mod home;
pub mod import;
pub mod jobs;
mod lookup;
mod milestones;
pub mod opportunities;
mod org;
pub mod outreach;
pub mod people;
mod profile;
mod quotes;
pub mod ranking_cache;
mod rankings;
pub mod record_files;
pub(crate) mod shares;
mod transfer;

use crate::clock::Clock;
use crate::db::{Store, StoreError};
use app::model::AppError;
use leptos::prelude::provide_context;
use std::sync::Arc;

/// Everything a request may need; cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    /// The live channel (`None` where nobody listens, e.g. a benchmark).
    pub events: Option<Arc<crate::events::Events>>,
    /// 首页's rankings, kept between changes.
    pub rankings: Arc<ranking_cache::RankingCache>,
    /// The user directory, kept while the database's directory version stands.
    pub people: Arc<people::PeopleCache>,
    /// The menu's count of 客户业务预警, kept a minute per user.
    pub warning_badges: Arc<warnings::WarningBadges>,
    /// How 邮件 and 短信 leave (nothing configured by default).
    pub outreach: crate::outreach::Outreach,
    /// Sessions seen and not yet written as seen.
    pub touches: Arc<crate::auth::touches::Touches>,
}

impl Services {
    /// Services over `store` with empty caches.
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        events: Option<Arc<crate::events::Events>>,
    ) -> Self {
        Self {
            store,
            clock,
            events,
            rankings: Arc::default(),
            warning_badges: Arc::default(),
            people: Arc::default(),
            outreach: crate::outreach::Outreach::default(),
            touches: Arc::default(),
        }
    }

    /// Writes the sessions seen since the last time (kept for the next try if that fails).
    pub async fn flush_touches(&self) {
        if let Err(e) = self.touches.flush(&*self.store).await {
            tracing::warn!(error = %e, "sessions seen not written yet");
        }
    }

    /// Puts every area's service into the reactive context of one request.
    pub fn provide(&self) {
        let this = Arc::new(self.clone());
        provide_context::<Arc<dyn app::api::org::OrgService>>(this.clone());
        provide_context::<Arc<dyn app::api::customers::CustomerService>>(this.clone());
        provide_context::<Arc<dyn app::api::customers::CustomerListService>>(this.clone());
        provide_context::<Arc<dyn app::api::contacts::ContactListService>>(this.clone());
        provide_context::<Arc<dyn app::api::activities::ActivityService>>(this.clone());
        provide_context::<Arc<dyn app::api::activities::ActivityEditService>>(this.clone());
        provide_context::<Arc<dyn app::api::activity_list::ActivityListService>>(this.clone());
        provide_context::<Arc<dyn app::api::quotes::QuoteService>>(this.clone());
        provide_context::<Arc<dyn app::api::milestones::MilestoneService>>(this.clone());
        provide_context::<Arc<dyn app::api::evaluations::EvaluationService>>(this.clone());
        provide_context::<Arc<dyn app::api::analysis::AnalysisService>>(this.clone());
        provide_context::<Arc<dyn app::api::warnings::WarningService>>(this.clone());
        provide_context::<Arc<dyn app::api::rankings::RankingService>>(this.clone());
        provide_context::<Arc<dyn app::api::home::HomeService>>(this.clone());
        provide_context::<Arc<dyn app::api::jobs::JobService>>(this.clone());
        provide_context::<Arc<dyn app::api::outreach::OutreachService>>(this.clone());
        provide_context::<Arc<dyn app::api::announcements::AnnouncementService>>(this.clone());
        provide_context::<Arc<dyn app::api::profile::ProfileService>>(this.clone());
        provide_context::<Arc<dyn app::api::admin::AdminService>>(this.clone());
        provide_context::<Arc<dyn app::api::customers::MergeService>>(this.clone());
        provide_context::<Arc<dyn app::api::opportunities::OpportunityService>>(this);
    }
}

/// Maps a store failure to what a user may see; the details go to the log.
/// `?` on a store call in a service: see [`internal`].
impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        internal(e)
    }
}

pub(crate) fn internal(e: StoreError) -> AppError {
    match e {
        StoreError::NotFound => AppError::NotFound,
        e => {
            tracing::error!(error = %e, "store failure");
            AppError::Internal
        }
    }
}

/// A store refusal of a change as its form shows it: an edit made on a version someone else
/// has since changed is 「数据已被他人修改」 beside the form; anything else as [`internal`].
pub(crate) fn stale_or_internal(e: StoreError) -> AppError {
    match e {
        StoreError::Stale => AppError::Invalid(vec![app::model::customer::FieldError::new(
            "",
            "customer.stale",
        )]),
        e => internal(e),
    }
}
