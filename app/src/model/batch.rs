//! Batch actions on the 客户管理 and 商机管理 lists: the rows ticked (or 「全选」, every row the
//! list's query finds), what to do with them, and the job that does it in the background.

use super::customer::FieldError;
use super::lookup::PersonLookup;
use super::posted::distinct_ids;
use serde::{Deserialize, Serialize};

/// What a batch does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BatchAction {
    /// 分配: a new 负责人 within the viewer's reach.
    Assign,
    /// 共享 with a user, read-only or editable.
    Share,
    /// 转交易客户 (customers).
    Convert,
    /// 删除 (customers without opportunities).
    Delete,
    /// 导出 the rows, as CSV (UTF-8 with a BOM) or XLSX.
    ExportCsv,
    ExportXlsx,
}

impl BatchAction {
    /// The actions of the 客户管理 list.
    pub const CUSTOMERS: [BatchAction; 6] = [
        Self::Assign,
        Self::Share,
        Self::Convert,
        Self::Delete,
        Self::ExportCsv,
        Self::ExportXlsx,
    ];
    /// The actions of the 商机管理 list: an opportunity is approval evidence, never deleted.
    pub const OPPORTUNITIES: [BatchAction; 4] =
        [Self::Assign, Self::Share, Self::ExportCsv, Self::ExportXlsx];

    pub fn code(self) -> &'static str {
        match self {
            Self::Assign => "assign",
            Self::Share => "share",
            Self::Convert => "convert",
            Self::Delete => "delete",
            Self::ExportCsv => "export_csv",
            Self::ExportXlsx => "export_xlsx",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::CUSTOMERS.into_iter().find(|a| a.code() == code)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Assign => "batch.assign",
            Self::Share => "batch.share",
            Self::Convert => "batch.convert",
            Self::Delete => "batch.delete",
            Self::ExportCsv => "export.csv",
            Self::ExportXlsx => "export.xlsx",
        }
    }

    /// Whether it names a person (分配给 / 共享给).
    pub fn names_person(self) -> bool {
        matches!(self, Self::Assign | Self::Share)
    }
}

/// The posted batch form, exactly as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchForm {
    pub action: String,
    /// The rows ticked (`id`, one per box).
    #[serde(rename = "id", deserialize_with = "distinct_ids")]
    pub ids: Vec<String>,
    /// `1`: 「全选」, every row the list's query finds, not only the page's.
    pub all: String,
    /// 分配给 / 共享给 as typed, and the person chosen among several.
    pub to: String,
    pub to_id: String,
    /// `edit`: the share is editable (可编辑 / 协作).
    pub access: String,
    /// The list's conditions (its address' query string), for 「全选」 and to come back to.
    pub query: String,
}

/// The rows a checked form names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    Ids(Vec<i64>),
    /// Every row of the list's query.
    All,
}

impl BatchForm {
    /// The action and the rows, or why the form cannot be done as it stands.
    pub fn parse(&self) -> Result<(BatchAction, Selection), Vec<FieldError>> {
        let mut errors = Vec::new();
        let action = BatchAction::from_code(self.action.trim());
        if action.is_none() {
            errors.push(FieldError::new("action", "batch.choose_action"));
        }
        let selection = if self.all == "1" {
            Selection::All
        } else {
            let ids: Vec<i64> = self
                .ids
                .iter()
                .filter_map(|id| id.trim().parse().ok())
                .collect();
            if ids.is_empty() || ids.len() != self.ids.len() {
                errors.push(FieldError::new("id", "batch.choose_rows"));
            }
            Selection::Ids(ids)
        };
        match action {
            Some(action) if errors.is_empty() => Ok((action, selection)),
            _ => Err(errors),
        }
    }

    /// Whether row `id` was ticked (a refused form comes back with its boxes as they were).
    pub fn ticked(&self, id: i64) -> bool {
        self.ids.iter().any(|t| t.trim() == id.to_string())
    }
}

/// A batch form that was refused: what was sent, whom its person field found, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedBatch {
    pub form: BatchForm,
    pub person: PersonLookup,
    pub errors: Vec<FieldError>,
}

impl SubmittedBatch {
    /// The message for `field`, if refused.
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.key.clone())
    }
}

/// A job (a batch or an import) as its page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobView {
    pub id: i64,
    /// What it does, as a message key (`job.customers.assign` …).
    pub title_key: String,
    /// Whom it names, or the file imported.
    pub target: String,
    /// `running`, `done` or `failed`.
    pub status: String,
    pub total: i64,
    pub processed: i64,
    pub succeeded: i64,
    pub failed: i64,
    pub started: String,
    /// The first refused rows; all of them are in the report.
    pub errors: Vec<JobErrorView>,
    /// Where its rows came from (the list, the import page).
    pub back: String,
}

impl JobView {
    pub fn running(&self) -> bool {
        self.status == "running"
    }

    /// Done so far, in percent.
    pub fn percent(&self) -> i64 {
        if self.total <= 0 {
            if self.running() {
                0
            } else {
                100
            }
        } else {
            (self.processed * 100 / self.total).clamp(0, 100)
        }
    }
}

/// One refused row: where (an import's row), what, which field and why (message keys).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobErrorView {
    pub row_no: Option<i64>,
    pub label: String,
    pub field_key: String,
    pub reason_key: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::posted::FormBody;

    #[test]
    fn a_batch_needs_an_action_and_rows() {
        let form: BatchForm = FormBody::new("action=share&id=3&id=4&id=3").read();
        assert_eq!(
            form.parse(),
            Ok((BatchAction::Share, Selection::Ids(vec![3, 4])))
        );
        let all: BatchForm = FormBody::new("action=delete&all=1").read();
        assert_eq!(all.parse(), Ok((BatchAction::Delete, Selection::All)));
        let none: BatchForm = FormBody::new("action=delete").read();
        assert_eq!(
            none.parse(),
            Err(vec![FieldError::new("id", "batch.choose_rows")])
        );
        let forged: BatchForm = FormBody::new("action=drop&id=x").read();
        assert_eq!(forged.parse().map_err(|e| e.len()), Err(2));
        assert!(form.ticked(4) && !form.ticked(5));
    }

    #[test]
    fn progress_is_a_share_of_the_total() {
        let job = JobView {
            status: "running".into(),
            total: 3000,
            processed: 1000,
            ..JobView::default()
        };
        assert_eq!(job.percent(), 33);
        let done = JobView {
            status: "done".into(),
            ..JobView::default()
        };
        assert_eq!(done.percent(), 100);
    }
}
