//! 客户业务预警: every kind's count and one kind's warnings, in the viewer's scope (their own
//! records, and their reach's for managers); the days (N) the admin sets; the menu's count of
//! the viewer's own warnings, kept a minute per user so a page does not pay for it each time.

use super::Services;
use crate::db::warnings::{WarningClock, WARNING_CAP};
use crate::db::Actor;
use crate::policy::scope::{Reach, Scope};
use app::api::warnings::{WarningDays, WarningKind, WarningRow, WarningService, WarningsView};
use app::model::{AppError, CurrentUser, Role};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Warnings listed a page.
const PAGE: i64 = 50;
/// How long the menu's count is kept for a user.
const BADGE_KEPT: Duration = Duration::from_secs(60);
/// The menu's count stops here (「99+」).
pub const BADGE_CAP: i64 = 99;

/// The menu's counts, per user: (when counted, the count).
#[derive(Default)]
pub struct WarningBadges {
    kept: Mutex<HashMap<i64, (Instant, i64)>>,
}

impl WarningBadges {
    fn get(&self, user: i64) -> Option<i64> {
        let kept = self.kept.lock().ok()?;
        kept.get(&user)
            .filter(|(at, _)| at.elapsed() < BADGE_KEPT)
            .map(|(_, n)| *n)
    }

    fn put(&self, user: i64, count: i64) {
        if let Ok(mut kept) = self.kept.lock() {
            // Forget the stale ones now and then, so the map stays the size of the users about.
            if kept.len() > 10_000 {
                kept.retain(|_, (at, _)| at.elapsed() < BADGE_KEPT);
            }
            kept.insert(user, (Instant::now(), count));
        }
    }

    /// Forgets everyone's counts (the days changed).
    fn clear(&self) {
        if let Ok(mut kept) = self.kept.lock() {
            kept.clear();
        }
    }
}

impl Services {
    async fn warning_clock(&self) -> Result<WarningClock, AppError> {
        Ok(WarningClock {
            today: self.today(),
            days: self.store.warning_days().await?,
        })
    }

    async fn warning_count(
        &self,
        kind: WarningKind,
        scope: &Scope,
        clock: &WarningClock,
    ) -> Result<i64, AppError> {
        Ok(match kind {
            WarningKind::OverdueMilestone => {
                self.store
                    .overdue_milestone_count(scope, clock.today)
                    .await?
            }
            kind => self.store.warning_count(kind, scope, clock).await?,
        })
    }

    /// The menu's count: the warnings on the viewer's own records and steps (up to
    /// [`BADGE_CAP`]), as counted within the last minute.
    pub async fn warning_badge(&self, viewer: &CurrentUser) -> i64 {
        if let Some(n) = self.warning_badges.get(viewer.id) {
            return n;
        }
        let own = Scope {
            viewer_id: viewer.id,
            reach: Reach::Own,
        };
        let mut total = 0;
        let counted = async {
            let clock = self.warning_clock().await?;
            for kind in WarningKind::ALL {
                total += self.warning_count(kind, &own, &clock).await?;
                if total >= BADGE_CAP {
                    break;
                }
            }
            Ok::<_, AppError>(total.min(BADGE_CAP))
        }
        .await;
        match counted {
            Ok(n) => {
                self.warning_badges.put(viewer.id, n);
                n
            }
            Err(e) => {
                tracing::warn!(error = ?e, "warning count unavailable");
                0
            }
        }
    }

    /// Warnings of `kind` in `scope` from `offset` (at most 200), as listed.
    async fn warning_rows(
        &self,
        kind: WarningKind,
        scope: &Scope,
        clock: &WarningClock,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<WarningRow>, AppError> {
        if kind == WarningKind::OverdueMilestone {
            // The first ones here; the milestone list pages through the rest.
            if offset > 0 {
                return Ok(Vec::new());
            }
            let found = self
                .store
                .open_milestones(scope, Some(clock.today), None, limit.clamp(1, 200) as u32)
                .await?;
            return Ok(found
                .into_iter()
                .map(|m| WarningRow {
                    name: format!("{} · {}", m.opportunity_name, m.milestone.name),
                    href: format!("/opportunities/{}", m.milestone.opportunity_id),
                    owner: m.owner_name,
                    day: m.milestone.planned_on.unwrap_or_default(),
                    assignee: None,
                })
                .collect());
        }
        let base = if kind.of_opportunities() {
            "/opportunities"
        } else {
            "/customers"
        };
        let found = self
            .store
            .warnings(kind, scope, clock, offset, limit)
            .await?;
        Ok(found
            .into_iter()
            .map(|w| WarningRow {
                name: w.name,
                href: format!("{base}/{}", w.id),
                owner: w.owner_name,
                // A step's day is the day it opened, in China.
                day: match w.opened_at {
                    Some(at) => super::opportunities::minutes(at)[..10].to_owned(),
                    None => w.day.unwrap_or_default(),
                },
                assignee: w.assignee_name,
            })
            .collect())
    }

    /// Every warning of `kind` in the viewer's scope (up to the cap; overdue milestones the
    /// oldest 200), for the XLSX.
    pub async fn warning_export(
        &self,
        viewer: &CurrentUser,
        kind: &str,
    ) -> Result<(WarningKind, Vec<WarningRow>), AppError> {
        let kind = WarningKind::from_code(kind).ok_or(AppError::NotFound)?;
        let scope = Scope::of(viewer);
        let clock = self.warning_clock().await?;
        let mut all = Vec::new();
        loop {
            let found = self
                .warning_rows(kind, &scope, &clock, all.len() as i64, 200)
                .await?;
            let last = found.len() < 200;
            all.extend(found);
            if last || all.len() as i64 >= WARNING_CAP {
                break;
            }
        }
        Ok((kind, all))
    }

    /// Sets the days as typed (系统管理员 only: anyone else is refused before a field is
    /// read), audited; the fields' refusals otherwise.
    pub async fn set_warning_days(
        &self,
        viewer: &CurrentUser,
        idle: &str,
        approval: &str,
        customer: &str,
    ) -> Result<(), AppError> {
        if !viewer.has_role(Role::SystemAdmin) {
            return Err(AppError::Forbidden);
        }
        let days = WarningDays::parse(idle, approval, customer).map_err(AppError::Invalid)?;
        self.store
            .set_warning_days(&Actor::user(viewer.id, self.clock.now()), &days)
            .await?;
        self.warning_badges.clear();
        Ok(())
    }
}

#[async_trait::async_trait]
impl WarningService for Services {
    async fn warnings(
        &self,
        viewer: &CurrentUser,
        kind: &str,
        page: &str,
    ) -> Result<WarningsView, AppError> {
        let scope = Scope::of(viewer);
        let clock = self.warning_clock().await?;
        let mut counts = Vec::new();
        for each in WarningKind::ALL {
            counts.push((each, self.warning_count(each, &scope, &clock).await?));
        }
        // The kind asked for, else the first that has warnings.
        let kind = WarningKind::from_code(kind).unwrap_or_else(|| {
            counts
                .iter()
                .find(|(_, n)| *n > 0)
                .map(|(k, _)| *k)
                .unwrap_or(WarningKind::Idle)
        });
        let page = page
            .trim()
            .parse::<i64>()
            .unwrap_or(1)
            .clamp(1, WARNING_CAP / PAGE);
        let offset = (page - 1) * PAGE;
        let mut rows = self
            .warning_rows(kind, &scope, &clock, offset, PAGE + 1)
            .await?;
        let more = rows.len() as i64 > PAGE && offset + PAGE < WARNING_CAP;
        rows.truncate(PAGE as usize);
        Ok(WarningsView {
            kind,
            counts,
            cap: WARNING_CAP,
            rows,
            page,
            more,
            days: clock.days,
            can_configure: viewer.has_role(Role::SystemAdmin),
        })
    }
}
