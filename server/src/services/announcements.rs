//! 公告通知: 商机管理员 and 系统管理员 publish to the province or one city; the audience gets a
//! 待阅消息; province staff see every announcement, city staff the province's and their
//! city's; the publisher (or the admin) edits or withdraws.

use super::people::city_of;
use super::{internal, Services};
use crate::db::announcements::{
    Announcement, AnnouncementChange, AnnouncementQuery, NewAnnouncement,
};
use crate::db::attachments::AttachmentOwner;
use crate::db::{Actor, StoreError};
use crate::policy::rights::{may_manage_announcement, may_publish, may_see_announcement};
use app::api::announcements::{
    AnnouncementFormOptions, AnnouncementListPage, AnnouncementListQuery, AnnouncementRow,
    AnnouncementService, AnnouncementView,
};
use app::model::announcement::{AnnouncementForm, ParsedAnnouncement};
use app::model::customer::FieldError;
use app::model::{AppError, CurrentUser};
use chrono::{DateTime, FixedOffset, Utc};

const PAGE_SIZE: u32 = 20;

fn china_minutes(at: DateTime<Utc>) -> String {
    let cst = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    at.with_timezone(&cst).format("%Y-%m-%d %H:%M").to_string()
}

/// The audience's city name (`None`: the province, which the page names in its language).
fn audience_of(cities: &[(i64, String)], city_id: Option<i64>) -> Option<String> {
    let city = city_id?;
    cities
        .iter()
        .find(|(id, _)| *id == city)
        .map(|(_, n)| n.clone())
}

/// The list's keyset as it travels in the address: `published_at|id`.
fn cursor(a: &Announcement) -> String {
    format!("{}|{}", a.published_at.to_rfc3339(), a.id)
}

fn parse_cursor(raw: &str) -> Option<(DateTime<Utc>, i64)> {
    let (at, id) = raw.split_once('|')?;
    Some((
        DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc),
        id.parse().ok()?,
    ))
}

impl Services {
    /// A page of `page_size` announcements the viewer may read, the newest first.
    pub(crate) async fn announcement_page(
        &self,
        viewer: &CurrentUser,
        query: &AnnouncementListQuery,
        page_size: u32,
    ) -> Result<AnnouncementListPage, AppError> {
        let q = AnnouncementQuery {
            all_cities: viewer.city_id.is_none(),
            city_id: viewer.city_id,
            title_contains: Some(query.title.trim().to_owned()).filter(|t| !t.is_empty()),
            before: parse_cursor(&query.after),
            limit: page_size + 1,
        };
        let mut found = self.store.announcements(&q).await?;
        let more = found.len() > page_size as usize;
        found.truncate(page_size as usize);
        let next = more.then(|| found.last().map(cursor)).flatten();
        let cities = self.cities(viewer).await?;
        let rows = found
            .into_iter()
            .map(|a| AnnouncementRow {
                id: a.id,
                audience: audience_of(&cities, a.city_id),
                title: a.title,
                publisher: a.publisher_name,
                published_at: china_minutes(a.published_at),
            })
            .collect();
        Ok(AnnouncementListPage {
            rows,
            next,
            can_publish: may_publish(viewer),
        })
    }

    /// (id, name) of every city.
    pub(super) async fn cities(
        &self,
        viewer: &CurrentUser,
    ) -> Result<Vec<(i64, String)>, AppError> {
        Ok(self.people_seen_by(viewer).await?.cities())
    }

    /// Whether `viewer` may post the publish form (`None`) or the edit form of announcement
    /// `id`: asked before the form's files are read.
    pub(crate) async fn may_post_announcement(
        &self,
        viewer: &CurrentUser,
        id: Option<i64>,
    ) -> Result<(), AppError> {
        match id {
            None if may_publish(viewer) => Ok(()),
            None => Err(AppError::Forbidden),
            Some(id) => self.manageable(viewer, id).await.map(|_| ()),
        }
    }

    /// The announcement if `viewer` may manage it.
    async fn manageable(&self, viewer: &CurrentUser, id: i64) -> Result<Announcement, AppError> {
        self.store
            .announcement(id)
            .await?
            .filter(|a| a.withdrawn_at.is_none() && may_manage_announcement(viewer, a))
            .ok_or(AppError::Forbidden)
    }

    /// A form checked against the cities and the viewer's files.
    async fn checked_announcement(
        &self,
        viewer: &CurrentUser,
        id: Option<i64>,
        form: &AnnouncementForm,
    ) -> Result<ParsedAnnouncement, AppError> {
        let parsed = form.parse().map_err(AppError::Invalid)?;
        if let Some(city) = parsed.city_id {
            if !self.cities(viewer).await?.iter().any(|(c, _)| *c == city) {
                return Err(AppError::Invalid(vec![FieldError::new(
                    "city_id",
                    "field.invalid",
                )]));
            }
        }
        if let Some(file) = parsed.attachment_id {
            let holder = id.map(AttachmentOwner::Announcement);
            if !self.may_attach(viewer, file, holder).await? {
                return Err(AppError::Invalid(vec![FieldError::new(
                    "attachment",
                    "field.invalid",
                )]));
            }
        }
        Ok(parsed)
    }

    /// Every active user the announcement is for (its publisher aside).
    async fn audience(
        &self,
        viewer: &CurrentUser,
        city_id: Option<i64>,
    ) -> Result<Vec<i64>, AppError> {
        let people = self.people().await?;
        Ok(people
            .users
            .iter()
            .filter(|u| u.id != viewer.id)
            .filter(|u| city_id.is_none() || city_of(&people.units, u.org_unit_id) == city_id)
            .map(|u| u.id)
            .collect())
    }

    async fn announcements_changed(&self) {
        if let Some(events) = &self.events {
            events.announcements_changed().await;
        }
    }
}

#[async_trait::async_trait]
impl AnnouncementService for Services {
    async fn announcements(
        &self,
        viewer: &CurrentUser,
        query: &AnnouncementListQuery,
    ) -> Result<AnnouncementListPage, AppError> {
        self.announcement_page(viewer, query, PAGE_SIZE).await
    }

    async fn announcement(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<AnnouncementView, AppError> {
        let a = self
            .store
            .announcement(id)
            .await?
            .ok_or(AppError::NotFound)?;
        if a.withdrawn_at.is_some() {
            return Err(AppError::NotFound);
        }
        if !may_see_announcement(viewer, &a) {
            return Err(AppError::Forbidden);
        }
        let attachment = match a.attachment_id {
            Some(file) => self.attachment_name(file).await?.map(|n| (file, n)),
            None => None,
        };
        Ok(AnnouncementView {
            id: a.id,
            audience: audience_of(&self.cities(viewer).await?, a.city_id),
            can_manage: may_manage_announcement(viewer, &a),
            updated_at: (a.updated_at != a.published_at).then(|| china_minutes(a.updated_at)),
            title: a.title,
            body: a.body,
            publisher: a.publisher_name,
            published_at: china_minutes(a.published_at),
            attachment,
        })
    }

    async fn announcement_form(
        &self,
        viewer: &CurrentUser,
        id: Option<i64>,
    ) -> Result<AnnouncementFormOptions, AppError> {
        if !may_publish(viewer) {
            return Err(AppError::Forbidden);
        }
        let cities = self.cities(viewer).await?;
        let Some(id) = id else {
            return Ok(AnnouncementFormOptions {
                cities,
                ..Default::default()
            });
        };
        let a = self.manageable(viewer, id).await?;
        let attachment_name = match a.attachment_id {
            Some(file) => self.attachment_name(file).await?.unwrap_or_default(),
            None => String::new(),
        };
        Ok(AnnouncementFormOptions {
            id: Some(id),
            version: a.version,
            cities,
            form: AnnouncementForm {
                title: a.title,
                body: a.body,
                city_id: a.city_id.map(|c| c.to_string()).unwrap_or_default(),
                attachment_id: a.attachment_id.map(|f| f.to_string()).unwrap_or_default(),
                attachment_name,
            },
        })
    }
}

/// Writes: called by the form handlers, never by the `app` crate.
impl Services {
    /// Publishes: the new announcement's id, or the refusals beside their fields.
    pub async fn publish(
        &self,
        viewer: &CurrentUser,
        form: &AnnouncementForm,
    ) -> Result<i64, AppError> {
        if !may_publish(viewer) {
            return Err(AppError::Forbidden);
        }
        let parsed = self.checked_announcement(viewer, None, form).await?;
        let new = NewAnnouncement {
            audience: self.audience(viewer, parsed.city_id).await?,
            title: parsed.title,
            body: parsed.body,
            city_id: parsed.city_id,
            attachment_id: parsed.attachment_id,
        };
        let id = self
            .store
            .publish_announcement(&Actor::user(viewer.id, self.clock.now()), &new)
            .await?;
        self.announcements_changed().await;
        Ok(id)
    }

    pub async fn update_announcement(
        &self,
        viewer: &CurrentUser,
        id: i64,
        version: i64,
        form: &AnnouncementForm,
    ) -> Result<(), AppError> {
        self.manageable(viewer, id).await?;
        let parsed = self.checked_announcement(viewer, Some(id), form).await?;
        let change = AnnouncementChange {
            title: parsed.title,
            body: parsed.body,
            attachment_id: parsed.attachment_id,
        };
        match self
            .store
            .update_announcement(
                &Actor::user(viewer.id, self.clock.now()),
                id,
                version,
                &change,
            )
            .await
        {
            Ok(()) => {
                self.announcements_changed().await;
                Ok(())
            }
            Err(StoreError::Stale) => Err(AppError::Invalid(vec![FieldError::new(
                "",
                "customer.stale",
            )])),
            Err(e) => Err(internal(e)),
        }
    }

    pub async fn withdraw_announcement(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<(), AppError> {
        self.manageable(viewer, id).await?;
        self.store
            .withdraw_announcement(&Actor::user(viewer.id, self.clock.now()), id)
            .await?;
        self.announcements_changed().await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_written() {
        let at = DateTime::parse_from_rfc3339("2026-11-27T02:03:04.5+00:00")
            .unwrap()
            .with_timezone(&Utc);
        let raw = format!("{}|{}", at.to_rfc3339(), 42);
        assert_eq!(parse_cursor(&raw), Some((at, 42)));
        assert_eq!(parse_cursor("garbage"), None);
    }
}
