//! Every address a form posts to, and the record pages they come back to: one table that the
//! pages (`action=`, links) and the server (its router, its redirects) both use, so no path is
//! written twice by hand. An address with an `{id}` gives the router its pattern and a page the
//! address of one record.

/// An address without parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixed(&'static str);

impl Fixed {
    pub const fn path(self) -> &'static str {
        self.0
    }
}

/// An address of one record: its pattern holds `{id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfRecord(&'static str);

impl OfRecord {
    /// The router's pattern (`/customers/{id}/edit`).
    pub const fn pattern(self) -> &'static str {
        self.0
    }

    /// The address for record `id` (`/customers/7/edit`).
    pub fn of(self, id: impl std::fmt::Display) -> String {
        self.0.replacen("{id}", &id.to_string(), 1)
    }
}

// Signing in, preferences, the live channel.
pub const LOGIN: Fixed = Fixed("/login");
pub const LOGOUT: Fixed = Fixed("/logout");
pub const LANGUAGE: Fixed = Fixed("/lang");
pub const COLUMNS: Fixed = Fixed("/prefs/columns");
pub const EVENTS: Fixed = Fixed("/events");
pub const HEALTH: Fixed = Fixed("/healthz");

// 个人资料: the page and its forms; 修改密码 on its own, for a password that must be changed.
pub const PROFILE: Fixed = Fixed("/profile");
pub const PROFILE_PASSWORD: Fixed = Fixed("/profile/password");
pub const PROFILE_SESSIONS_END: Fixed = Fixed("/profile/sessions/end");
pub const PASSWORD: Fixed = Fixed("/password");

// 系统管理 (系统管理员): 用户管理.
pub const ADMIN: Fixed = Fixed("/admin");
pub const ADMIN_USERS: Fixed = Fixed("/admin/users");
pub const ADMIN_USER_NEW: Fixed = Fixed("/admin/users/new");
pub const ADMIN_USER: OfRecord = OfRecord("/admin/users/{id}");
pub const ADMIN_USER_DISABLE: OfRecord = OfRecord("/admin/users/{id}/disable");
pub const ADMIN_USER_ENABLE: OfRecord = OfRecord("/admin/users/{id}/enable");
pub const ADMIN_USER_PASSWORD: OfRecord = OfRecord("/admin/users/{id}/password");
pub const ADMIN_DICTIONARIES: Fixed = Fixed("/admin/dictionaries");
pub const ADMIN_ROLES: Fixed = Fixed("/admin/roles");
pub const ADMIN_ROUTING: Fixed = Fixed("/admin/routing");
pub const ADMIN_ORG: Fixed = Fixed("/admin/org");
pub const ADMIN_AUDIT: Fixed = Fixed("/admin/audit");
pub const ADMIN_AUDIT_EXPORT: Fixed = Fixed("/admin/audit/export");
// 转交 (系统管理员, and 地市 managers within their city).
pub const TRANSFER: Fixed = Fixed("/transfer");

// 客户管理.
pub const CUSTOMERS: Fixed = Fixed("/customers");
pub const MILESTONES: Fixed = Fixed("/milestones");
pub const WARNINGS: Fixed = Fixed("/warnings");
pub const WARNINGS_EXPORT: Fixed = Fixed("/warnings/export");
pub const CUSTOMER_NEW: Fixed = Fixed("/customers/new");
pub const CUSTOMER_EXPORT: Fixed = Fixed("/customers/export");
pub const CUSTOMER_MERGE: Fixed = Fixed("/customers/merge");
pub const CUSTOMER_BATCH: Fixed = Fixed("/customers/batch");
pub const CUSTOMER_IMPORT: Fixed = Fixed("/customers/import");
pub const CUSTOMER_IMPORT_START: Fixed = Fixed("/customers/import/start");
pub const CONTACT_EXPORT: Fixed = Fixed("/contacts/export");
// 邮件 / 短信 to contacts: the compose page, which its form posts to.
pub const OUTREACH: Fixed = Fixed("/outreach");
pub const CUSTOMER: OfRecord = OfRecord("/customers/{id}");
pub const CUSTOMER_EDIT: OfRecord = OfRecord("/customers/{id}/edit");
pub const CUSTOMER_CONVERT: OfRecord = OfRecord("/customers/{id}/convert");
pub const CUSTOMER_DELETE: OfRecord = OfRecord("/customers/{id}/delete");
pub const CUSTOMER_CONTACT_NEW: OfRecord = OfRecord("/customers/{id}/contacts/new");
pub const CUSTOMER_SHARE: OfRecord = OfRecord("/customers/{id}/share");
pub const CUSTOMER_FILES: OfRecord = OfRecord("/customers/{id}/files");
pub const CUSTOMER_RELATIONS: OfRecord = OfRecord("/customers/{id}/relations");
pub const CUSTOMER_UNSHARE: OfRecord = OfRecord("/customers/{id}/unshare");
pub const CUSTOMER_ACTIVITY_NEW: OfRecord = OfRecord("/customers/{id}/activities/new");
pub const CONTACT_EDIT: OfRecord = OfRecord("/contacts/{id}/edit");
pub const CONTACT_DELETE: OfRecord = OfRecord("/contacts/{id}/delete");

// 商机管理.
pub const OPPORTUNITIES: Fixed = Fixed("/opportunities");
pub const OPPORTUNITY_NEW: Fixed = Fixed("/opportunities/new");
pub const OPPORTUNITY_BATCH: Fixed = Fixed("/opportunities/batch");
pub const OPPORTUNITY_EXPORT: Fixed = Fixed("/opportunities/export");
pub const OPPORTUNITY: OfRecord = OfRecord("/opportunities/{id}");
pub const OPPORTUNITY_SUBMIT: OfRecord = OfRecord("/opportunities/{id}/submit");
pub const OPPORTUNITY_EDIT: OfRecord = OfRecord("/opportunities/{id}/edit");
pub const OPPORTUNITY_STAGE: OfRecord = OfRecord("/opportunities/{id}/stage");
pub const OPPORTUNITY_SHARE: OfRecord = OfRecord("/opportunities/{id}/share");
pub const OPPORTUNITY_FILES: OfRecord = OfRecord("/opportunities/{id}/files");
pub const OPPORTUNITY_UNSHARE: OfRecord = OfRecord("/opportunities/{id}/unshare");
pub const OPPORTUNITY_SIGN: OfRecord = OfRecord("/opportunities/{id}/sign");
pub const OPPORTUNITY_TERMINATE: OfRecord = OfRecord("/opportunities/{id}/terminate");
pub const OPPORTUNITY_ACTIVITY_NEW: OfRecord = OfRecord("/opportunities/{id}/activities/new");
pub const ACTIVITY_COMPLETE: OfRecord = OfRecord("/activities/{id}/complete");
pub const ACTIVITY_EDIT: OfRecord = OfRecord("/activities/{id}/edit");
pub const ACTIVITY_DELETE: OfRecord = OfRecord("/activities/{id}/delete");
pub const OPPORTUNITY_QUOTES: OfRecord = OfRecord("/opportunities/{id}/quotes");
pub const QUOTE: OfRecord = OfRecord("/quotes/{id}");
pub const QUOTE_SENT: OfRecord = OfRecord("/quotes/{id}/sent");
pub const QUOTE_APPLY: OfRecord = OfRecord("/quotes/{id}/apply");
pub const QUOTE_PRINT: OfRecord = OfRecord("/quotes/{id}/print");
pub const OPPORTUNITY_MILESTONE_NEW: OfRecord = OfRecord("/opportunities/{id}/milestones/new");
pub const OPPORTUNITY_EVALUATION: OfRecord = OfRecord("/opportunities/{id}/evaluation");
pub const MILESTONE_EDIT: OfRecord = OfRecord("/milestones/{id}/edit");
pub const MILESTONE_DELETE: OfRecord = OfRecord("/milestones/{id}/delete");

// 任务: decisions on a task, and messages.
pub const TASK: OfRecord = OfRecord("/tasks/{id}");

// Jobs: a batch or an import running in the background, and its error report.
pub const JOB: OfRecord = OfRecord("/jobs/{id}");
pub const JOB_REPORT: OfRecord = OfRecord("/jobs/{id}/report");
pub const TASK_RESUBMIT: OfRecord = OfRecord("/tasks/{id}/resubmit");
pub const TASK_VOID: OfRecord = OfRecord("/tasks/{id}/void");
pub const TASK_WITHDRAW: OfRecord = OfRecord("/tasks/{id}/withdraw");
pub const MESSAGE: OfRecord = OfRecord("/messages/{id}");
pub const MESSAGES: Fixed = Fixed("/tasks?tab=messages");

// 公告, files, 排名.
pub const ANNOUNCEMENTS: Fixed = Fixed("/announcements");
pub const ANNOUNCEMENT_NEW: Fixed = Fixed("/announcements/new");
pub const ANNOUNCEMENT: OfRecord = OfRecord("/announcements/{id}");
pub const ANNOUNCEMENT_EDIT: OfRecord = OfRecord("/announcements/{id}/edit");
pub const ANNOUNCEMENT_WITHDRAW: OfRecord = OfRecord("/announcements/{id}/withdraw");
pub const ATTACHMENT: OfRecord = OfRecord("/attachments/{id}");
pub const ATTACHMENT_DELETE: OfRecord = OfRecord("/attachments/{id}/delete");
pub const RANKING_EXPORT: Fixed = Fixed("/rankings/export");
pub const ANALYSIS_EXPORT: Fixed = Fixed("/analysis/export");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_address_fills_the_id_into_its_pattern() {
        assert_eq!(CUSTOMER_EDIT.of(7), "/customers/7/edit");
        assert_eq!(CUSTOMER_EDIT.pattern(), "/customers/{id}/edit");
        assert_eq!(TASK.of(12), "/tasks/12");
    }
}
