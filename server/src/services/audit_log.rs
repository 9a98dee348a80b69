//! 审计日志 (系统管理员): the trail queried by who acted, which record, which action and which
//! days (China time), newest first a page at a time, each change shown field by field; and the
//! same query as a workbook.

use super::Services;
use crate::db::audit_query::AuditFilter;
use crate::db::AuditRecord;
use app::api::admin::AuditPage;
use app::model::audit::{AuditQuery, AuditRow, FieldChange};
use app::model::customer::FieldError;
use app::model::date::parse_day;
use app::model::{AppError, CurrentUser};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde_json::Value;
use std::collections::HashMap;

/// Entries on a page.
pub(crate) const PAGE: u32 = 50;
/// The most entries one export holds (narrow the query for more).
pub(crate) const EXPORT_MAX: u32 = 50_000;

fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"))
}

/// The first instant of `day` in China time.
fn start_of(day: NaiveDate) -> Option<DateTime<Utc>> {
    day.and_hms_opt(0, 0, 0)?
        .and_local_timezone(china())
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// A JSON value as the page shows it.
fn shown(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The fields that differ between two snapshots, in the order they appear; a snapshot that is
/// not an object is one unnamed field.
pub(crate) fn diff(before: Option<&str>, after: Option<&str>) -> Vec<FieldChange> {
    let parse = |s: Option<&str>| s.and_then(|s| serde_json::from_str::<Value>(s).ok());
    let (before, after) = (parse(before), parse(after));
    match (&before, &after) {
        (None | Some(Value::Object(_)), None | Some(Value::Object(_))) => {
            let empty = serde_json::Map::new();
            let b = before.as_ref().and_then(Value::as_object).unwrap_or(&empty);
            let a = after.as_ref().and_then(Value::as_object).unwrap_or(&empty);
            let mut fields: Vec<&String> = b.keys().collect();
            fields.extend(a.keys().filter(|k| !b.contains_key(*k)));
            fields
                .into_iter()
                .filter(|f| b.get(*f) != a.get(*f))
                .map(|f| FieldChange {
                    field: f.clone(),
                    before: shown(b.get(f)),
                    after: shown(a.get(f)),
                })
                .collect()
        }
        _ => vec![FieldChange {
            field: String::new(),
            before: shown(before.as_ref()),
            after: shown(after.as_ref()),
        }],
    }
}

impl Services {
    /// The entries `query` asks for, at most `limit` of them.
    pub(crate) async fn audit_page(
        &self,
        viewer: &CurrentUser,
        query: &AuditQuery,
        limit: u32,
    ) -> Result<AuditPage, AppError> {
        self.require_admin(viewer, "audit").await?;
        let mut errors = Vec::new();
        let mut filter = AuditFilter {
            limit: limit + 1,
            ..Default::default()
        };
        let user = query.user.trim();
        if !user.is_empty() {
            match self.actor_named(user).await? {
                Some(id) => filter.actor_id = Some(id),
                None => errors.push(FieldError::new("user", "lookup.nobody")),
            }
        }
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        filter.entity = text(&query.entity);
        filter.entity_id = text(&query.entity_id);
        filter.action = text(&query.action);
        for (field, raw) in [("from", &query.from), ("to", &query.to)] {
            if raw.trim().is_empty() {
                continue;
            }
            // A day after `to` starts where it ends; both are range-checked by parse_day.
            let day =
                parse_day(raw).and_then(|d| if field == "to" { d.succ_opt() } else { Some(d) });
            match day.and_then(start_of) {
                Some(at) if field == "from" => filter.from = Some(at),
                Some(at) => filter.to = Some(at),
                None => errors.push(FieldError::new(field, "field.invalid_date")),
            }
        }
        filter.before_id = query.before.trim().parse().ok();
        if !errors.is_empty() {
            return Ok(AuditPage {
                errors,
                ..Default::default()
            });
        }
        let mut records = self.store.audit_page(&filter).await?;
        let next = (records.len() > limit as usize).then(|| {
            records.truncate(limit as usize);
            records.last().map(|r| r.id.to_string()).unwrap_or_default()
        });
        Ok(AuditPage {
            rows: self.audit_rows(records).await?,
            next,
            errors,
        })
    }

    /// Who `text` names: a 登录名, or else exactly one 姓名 (disabled users too).
    async fn actor_named(&self, text: &str) -> Result<Option<i64>, AppError> {
        if let Some(user) = self.store.user_by_login(text).await? {
            return Ok(Some(user.id));
        }
        let people = self.people().await?;
        let mut named = people.users.iter().filter(|u| u.name == text);
        Ok(match (named.next(), named.next()) {
            (Some(u), None) => Some(u.id),
            _ => None,
        })
    }

    async fn audit_rows(&self, records: Vec<AuditRecord>) -> Result<Vec<AuditRow>, AppError> {
        let mut ids: Vec<i64> = records.iter().filter_map(|r| r.actor_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let actors: HashMap<i64, String> = self
            .store
            .user_briefs(&ids)
            .await?
            .into_iter()
            .map(|u| (u.id, format!("{}（{}）", u.name, u.login)))
            .collect();
        Ok(records
            .into_iter()
            .map(|r| AuditRow {
                id: r.id,
                at: r
                    .at
                    .with_timezone(&china())
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
                actor: match r.actor_id {
                    Some(id) => actors.get(&id).cloned().unwrap_or_else(|| id.to_string()),
                    None => "系统".to_owned(),
                },
                changes: diff(r.before_json.as_deref(), r.after_json.as_deref()),
                action: r.action,
                entity: r.entity,
                entity_id: r.entity_id,
                client_addr: r.client_addr.unwrap_or_default(),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_shows_only_the_fields_that_differ() {
        let changes = diff(
            Some(r#"{"name":"甲","phone":null,"roles":["a"]}"#),
            Some(r#"{"name":"乙","phone":null,"roles":["a","b"],"email":"x@y.cn"}"#),
        );
        let shown: Vec<(&str, &str, &str)> = changes
            .iter()
            .map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("name", "甲", "乙"),
                ("roles", r#"["a"]"#, r#"["a","b"]"#),
                ("email", "", "x@y.cn")
            ]
        );
        assert_eq!(diff(None, Some(r#"{"a":1}"#))[0].after, "1");
        assert!(diff(None, None).is_empty());
        assert_eq!(diff(None, Some(r#""text""#))[0].after, "text");
    }

    #[test]
    fn a_day_starts_at_midnight_in_china() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            start_of(day).unwrap().to_rfc3339(),
            "2026-11-30T16:00:00+00:00"
        );
    }
}
