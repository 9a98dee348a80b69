//! 用户管理 (系统管理员 only): the list, create, edit, 停用 / 启用 and 重置密码. Everyone else
//! is refused on the server, whatever the address, and the refusal is audited.

use super::people::People;
use super::Services;
use crate::auth::password;
use crate::db::admin_users::{Holdings, UserChange, UserFilter};
use crate::db::audit::AuditEntry;
use crate::db::{Actor, DictKind, NewUser, StoreError};
use crate::policy::passwords::is_common;
use app::api::admin::{
    AdminService, DictionaryView, HoldingsView, RolesView, UserFormOptions, UserListPage,
};
use app::model::admin_user::{ParsedUser, UserForm, UserListQuery, UserRow};
use app::model::customer::FieldError;
use app::model::profile::check_new_password;
use app::model::{AppError, CurrentUser, Role};

/// Rows on a page of the user list.
const PAGE: u32 = 50;

impl Services {
    /// Only a 系统管理员 passes; anyone else's attempt (`what`) is written to the audit trail.
    pub(crate) async fn require_admin(
        &self,
        viewer: &CurrentUser,
        what: &str,
    ) -> Result<(), AppError> {
        if viewer.has_role(Role::SystemAdmin) {
            return Ok(());
        }
        let actor = Actor::user(viewer.id, self.clock.now());
        let entry = AuditEntry::new(&actor, "refused", "admin", 0)
            .after(&serde_json::json!({ "attempted": what }));
        if let Err(e) = self.store.append_audit(&entry).await {
            tracing::error!(error = %e, "refusal not audited");
        }
        Err(AppError::Forbidden)
    }

    /// 添加用户: their initial password must be changed at their first login.
    pub async fn create_user(
        &self,
        viewer: &CurrentUser,
        form: &UserForm,
    ) -> Result<i64, AppError> {
        self.require_admin(viewer, "create_user").await?;
        let people = self.people().await?;
        let parsed = form.parse(true);
        let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
        if !errors.iter().any(|e| e.field == "password") && is_common(&form.password) {
            errors.push(FieldError::new("password", "password.common"));
        }
        let parsed = checked(parsed, errors, &people)?;
        let user = NewUser {
            login: parsed.login,
            name: parsed.name,
            org_unit_id: parsed.org_unit_id,
            password_hash: password::hash(form.password.clone()).await.map_err(|e| {
                tracing::error!(error = %e, "password hashing failed");
                AppError::Internal
            })?,
            phone: parsed.phone,
            email: parsed.email,
            must_change_password: true,
            roles: parsed.roles,
            industry_ids: parsed.industry_ids,
        };
        let actor = Actor::user(viewer.id, self.clock.now());
        match self.store.create_user(&actor, &user).await {
            Ok(created) => Ok(created.id),
            Err(StoreError::Conflict(_)) => Err(AppError::Invalid(vec![FieldError::new(
                "login",
                "user.login_taken",
            )])),
            Err(e) => Err(e.into()),
        }
    }

    /// Saves a user's org unit, roles, industries and details (the login stays).
    pub async fn update_user(
        &self,
        viewer: &CurrentUser,
        id: i64,
        version: i64,
        form: &UserForm,
    ) -> Result<(), AppError> {
        self.require_admin(viewer, "update_user").await?;
        let people = self.people().await?;
        let parsed = form.parse(false);
        let errors = parsed.as_ref().err().cloned().unwrap_or_default();
        let parsed = checked(parsed, errors, &people)?;
        if id == viewer.id && !parsed.roles.contains(&Role::SystemAdmin) {
            // Nobody takes the last way into 系统管理 from themself by a slip.
            return Err(AppError::Invalid(vec![FieldError::new(
                "roles",
                "user.keep_own_admin",
            )]));
        }
        let change = UserChange {
            name: parsed.name,
            org_unit_id: parsed.org_unit_id,
            roles: parsed.roles,
            industry_ids: parsed.industry_ids,
            phone: parsed.phone,
            email: parsed.email,
        };
        let actor = Actor::user(viewer.id, self.clock.now());
        match self.store.update_user(&actor, id, version, &change).await {
            Ok(_) => Ok(()),
            Err(StoreError::Stale) => Err(AppError::Invalid(vec![FieldError::new(
                "",
                "customer.stale",
            )])),
            Err(e) => Err(e.into()),
        }
    }

    /// 停用 (ends every session of the user at once) or 启用. A user who still holds open
    /// tasks, customers or opportunities is disabled only after 转交; nobody disables themself.
    pub async fn set_user_disabled(
        &self,
        viewer: &CurrentUser,
        id: i64,
        disabled: bool,
    ) -> Result<(), AppError> {
        self.require_admin(
            viewer,
            if disabled {
                "disable_user"
            } else {
                "enable_user"
            },
        )
        .await?;
        if disabled && id == viewer.id {
            return Err(AppError::Field {
                field: String::new(),
                message: "user.not_self".into(),
            });
        }
        if disabled && !self.store.holdings(id).await?.is_empty() {
            return Err(AppError::Field {
                field: String::new(),
                message: "user.transfer_first".into(),
            });
        }
        let actor = Actor::user(viewer.id, self.clock.now());
        self.store.set_user_disabled(&actor, id, disabled).await?;
        if disabled {
            self.sessions_ended(id).await;
        }
        Ok(())
    }

    /// 重置密码: a password the user must change at their next login; their sessions end.
    pub async fn reset_user_password(
        &self,
        viewer: &CurrentUser,
        id: i64,
        new_password: &str,
    ) -> Result<(), AppError> {
        self.require_admin(viewer, "reset_password").await?;
        let user = self.store.user(id).await?.ok_or(AppError::NotFound)?;
        let refuse = |key: &str| AppError::Invalid(vec![FieldError::new("password", key)]);
        check_new_password(new_password, &user.login).map_err(refuse)?;
        if is_common(new_password) {
            return Err(refuse("password.common"));
        }
        let hash = password::hash(new_password.to_owned()).await.map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal
        })?;
        let actor = Actor::user(viewer.id, self.clock.now());
        self.store.reset_password(&actor, id, &hash).await?;
        self.sessions_ended(id).await;
        Ok(())
    }
}

/// The form's own checks (`parsed`, `errors` from the same parse) and what only the server
/// knows: that the org unit exists and the industries are 行业 items.
fn checked(
    parsed: Result<ParsedUser, Vec<FieldError>>,
    mut errors: Vec<FieldError>,
    people: &People,
) -> Result<ParsedUser, AppError> {
    if let Ok(user) = &parsed {
        if !people
            .units
            .iter()
            .any(|u| u.id == user.org_unit_id && u.active)
        {
            errors.push(FieldError::new("org_unit_id", "field.invalid"));
        }
        let industries = people.dictionary(DictKind::Industry);
        if user
            .industry_ids
            .iter()
            .any(|id| !industries.iter().any(|i| i.id == *id))
        {
            errors.push(FieldError::new("industries", "field.invalid"));
        }
    }
    match parsed {
        Ok(user) if errors.is_empty() => Ok(user),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// The org units as a choice: the tree's order, each indented by its depth.
fn unit_choices(people: &People) -> Vec<(i64, String)> {
    people
        .units
        .iter()
        .filter(|u| u.active)
        .map(|u| {
            let mut depth = 0;
            let mut parent = u.parent_id;
            while let Some(p) = parent.and_then(|p| people.units.iter().find(|x| x.id == p)) {
                depth += 1;
                parent = p.parent_id;
            }
            (u.id, format!("{}{}", "　".repeat(depth), u.name))
        })
        .collect()
}

fn role_choices() -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.code().to_owned(), r.label_zh().to_owned()))
        .collect()
}

impl Services {
    /// Sends `user`'s open pages to the login (their sessions have just ended).
    async fn sessions_ended(&self, user: i64) {
        if let Some(events) = &self.events {
            events.sessions_ended(user).await;
        }
    }
}

fn holdings_view(h: Holdings) -> HoldingsView {
    HoldingsView {
        open_tasks: h.open_tasks,
        customers: h.customers,
        opportunities: h.opportunities,
    }
}

#[async_trait::async_trait]
impl AdminService for Services {
    async fn audit(
        &self,
        viewer: &CurrentUser,
        query: &app::model::audit::AuditQuery,
    ) -> Result<app::api::admin::AuditPage, AppError> {
        self.audit_page(viewer, query, super::audit_log::PAGE).await
    }

    async fn org_admin(
        &self,
        viewer: &CurrentUser,
    ) -> Result<app::api::admin::OrgAdminView, AppError> {
        self.org_admin_view(viewer).await
    }

    async fn routing(
        &self,
        viewer: &CurrentUser,
    ) -> Result<app::api::admin::RoutingView, AppError> {
        self.routing_view(viewer).await
    }

    async fn transfer(
        &self,
        viewer: &CurrentUser,
        from: Option<i64>,
    ) -> Result<app::api::admin::TransferView, AppError> {
        self.transfer_view(viewer, from).await
    }

    async fn users(
        &self,
        viewer: &CurrentUser,
        query: &UserListQuery,
    ) -> Result<UserListPage, AppError> {
        self.require_admin(viewer, "users").await?;
        let people = self.people_seen_by(viewer).await?;
        let text = query.q.trim().to_lowercase();
        let filter = UserFilter {
            text: (!text.is_empty()).then_some(text),
            org_unit_id: query.org_unit_id.trim().parse().ok(),
            role: Role::from_code(query.role.trim()),
            disabled: match query.status.as_str() {
                "active" => Some(false),
                "disabled" => Some(true),
                _ => None,
            },
            after: query.after.trim().parse().ok(),
            limit: PAGE + 1,
        };
        let mut found = self.store.user_list(&filter).await?;
        let next = (found.len() > PAGE as usize).then(|| {
            found.truncate(PAGE as usize);
            found
                .last()
                .map(|(row, _)| row.id.to_string())
                .unwrap_or_default()
        });
        Ok(UserListPage {
            rows: found
                .into_iter()
                .map(|(row, roles)| UserRow {
                    id: row.id,
                    login: row.login,
                    name: row.name,
                    org_unit: people.unit_name(row.org_unit_id).to_owned(),
                    roles: roles.iter().map(|r| r.label_zh().to_owned()).collect(),
                    disabled: row.disabled,
                })
                .collect(),
            next,
            units: unit_choices(&people),
            roles: role_choices(),
        })
    }

    async fn user_form(
        &self,
        viewer: &CurrentUser,
        id: Option<i64>,
    ) -> Result<UserFormOptions, AppError> {
        self.require_admin(viewer, "user_form").await?;
        let people = self.people_seen_by(viewer).await?;
        let mut options = UserFormOptions {
            units: unit_choices(&people),
            roles: role_choices(),
            industries: people.dictionary_pairs(DictKind::Industry),
            ..Default::default()
        };
        if let Some(id) = id {
            let user = self.store.user(id).await?.ok_or(AppError::NotFound)?;
            options.id = Some(id);
            options.version = user.version;
            options.disabled = user.disabled;
            options.must_change_password = user.must_change_password;
            options.holdings = holdings_view(self.store.holdings(id).await?);
            options.form = UserForm {
                login: user.login,
                name: user.name,
                org_unit_id: user.org_unit_id.to_string(),
                roles: user.roles.iter().map(|r| r.code().to_owned()).collect(),
                industry_ids: user.industry_ids.iter().map(i64::to_string).collect(),
                phone: user.phone.unwrap_or_default(),
                email: user.email.unwrap_or_default(),
                password: String::new(),
            };
        }
        Ok(options)
    }

    async fn dictionary(
        &self,
        viewer: &CurrentUser,
        kind: &str,
    ) -> Result<DictionaryView, AppError> {
        self.dictionary_view(viewer, kind).await
    }

    async fn roles(&self, viewer: &CurrentUser) -> Result<RolesView, AppError> {
        self.roles_view(viewer).await
    }
}
