//! 导入 of customers and contacts: an upload is kept (the uploader's own, by a random token),
//! its first rows previewed with the columns mapped from the headers, then a job reads it row by
//! row — never the whole file in memory — checks each row as its form would, and writes chunks
//! of up to 1,000 rows, one transaction each. Every refused row is kept with its row number,
//! field and reason for the report.

pub mod sheet;

use super::Services;
use crate::db::import::ImportedRow;
use crate::db::{Actor, DictKind};
use crate::policy::rights::may_add_customer;
use crate::policy::scope::Scope;
use app::model::customer::{ContactForm, CustomerForm, CustomerName, FieldError};
use app::model::import::{ImportKind, ImportPreview, ImportStart};
use app::model::{AppError, CurrentUser};
use sheet::MAX_COLUMNS;
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;

/// Rows the preview shows.
const PREVIEW_ROWS: usize = 5;
/// Rows per transaction.
const CHUNK: usize = 1000;

/// Where uploads wait for their import.
pub fn upload_dir() -> PathBuf {
    std::env::temp_dir().join("bizopp-imports")
}

/// The upload `token` of `user_id`, if the token is one we make (hex only: no path in it).
pub fn upload_path(user_id: i64, token: &str) -> Option<PathBuf> {
    let ok = (16..=128).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| upload_dir().join(format!("{user_id}-{token}")))
}

/// Removes uploads older than a day that no import took (hourly, with the other janitors).
pub async fn purge_stale_uploads() {
    let Ok(mut dir) = tokio::fs::read_dir(upload_dir()).await else {
        return;
    };
    let day = std::time::Duration::from_secs(24 * 3600);
    while let Ok(Some(entry)) = dir.next_entry().await {
        let old = entry
            .metadata()
            .await
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > day);
        if old {
            let _ = tokio::fs::remove_file(entry.path()).await;
        }
    }
}

/// A field refusal of a form, as the report names it: the field's label key.
fn field_key(prefix: &str, field: &str) -> String {
    match field.trim_end_matches("_id") {
        "" => String::new(),
        f => format!("{prefix}.{f}"),
    }
}

/// Reads the first rows of an upload (the header and [`PREVIEW_ROWS`]), off the async threads.
async fn first_rows(path: PathBuf) -> Result<Vec<Vec<String>>, &'static str> {
    tokio::task::spawn_blocking(move || {
        let mut rows = Vec::new();
        sheet::read_rows(&path, |_, cells| {
            if !cells.iter().all(|c| c.trim().is_empty()) {
                rows.push(cells);
            }
            rows.len() <= PREVIEW_ROWS
        })?;
        Ok(rows)
    })
    .await
    .map_err(|_| sheet::UNREADABLE)?
}

impl Services {
    /// Whether `viewer` may import: as for 添加客户.
    pub fn may_import(&self, viewer: &CurrentUser) -> Result<(), AppError> {
        if may_add_customer(viewer) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The preview of the viewer's upload `token`: its header, first rows and the mapping
    /// guessed from the header; or why the file cannot be read (in `errors`).
    pub async fn preview_import(
        &self,
        viewer: &CurrentUser,
        kind: ImportKind,
        file_name: &str,
        token: &str,
    ) -> ImportPreview {
        let mut preview = ImportPreview {
            token: token.to_owned(),
            file_name: file_name.to_owned(),
            kind: kind.code().to_owned(),
            ..ImportPreview::default()
        };
        let Some(path) = upload_path(viewer.id, token) else {
            preview.errors = vec![FieldError::new("file", "import.choose_file")];
            return preview;
        };
        match first_rows(path).await {
            Ok(rows) if rows.is_empty() => {
                preview.errors = vec![FieldError::new("file", "import.empty")];
            }
            Ok(rows) if rows[0].len() > MAX_COLUMNS => {
                preview.errors = vec![FieldError::new("file", "import.too_many_columns")];
            }
            Ok(mut rows) => {
                let headers = rows.remove(0);
                preview.mapping = headers
                    .iter()
                    .map(|h| kind.guess(h).unwrap_or_default().to_owned())
                    .collect();
                // A field guessed twice is mapped from its first column only.
                for i in 0..preview.mapping.len() {
                    let code = preview.mapping[i].clone();
                    if !code.is_empty() && preview.mapping[..i].contains(&code) {
                        preview.mapping[i] = String::new();
                    }
                }
                preview.headers = headers;
                preview.samples = rows;
            }
            Err(why) => preview.errors = vec![FieldError::new("file", why)],
        }
        preview
    }

    /// Starts the import the preview's form asks for: its job, or the preview again with why
    /// not.
    pub async fn start_import(
        &self,
        viewer: &CurrentUser,
        form: &ImportStart,
    ) -> Result<i64, ImportPreview> {
        let kind = ImportKind::from_code(&form.kind).unwrap_or(ImportKind::Customers);
        let mut preview = self
            .preview_import(viewer, kind, &form.file_name, &form.token)
            .await;
        if !preview.errors.is_empty() {
            return Err(preview);
        }
        let columns = match form.parse() {
            Ok((_, columns)) => columns,
            Err(errors) => {
                preview.mapping = form.map.clone();
                preview.errors = errors;
                return Err(preview);
            }
        };
        let Some(path) = upload_path(viewer.id, &form.token) else {
            return Err(preview);
        };
        let job_kind = format!("import.{}", kind.code());
        let job = match self
            .store
            .create_job(viewer.id, &job_kind, &form.file_name, 0, self.clock.now())
            .await
        {
            Ok(job) => job,
            Err(e) => {
                tracing::error!(error = ?e, "import could not start");
                preview.errors = vec![FieldError::new("", "error.internal")];
                return Err(preview);
            }
        };
        let this = self.clone();
        let viewer = viewer.clone();
        tokio::spawn(async move {
            let outcome = this.run_import(&viewer, job, kind, &columns, &path).await;
            this.finish_job(job, outcome).await;
            let _ = tokio::fs::remove_file(&path).await;
        });
        Ok(job)
    }

    /// Counts the rows, then reads them again in chunks and writes each chunk.
    async fn run_import(
        &self,
        viewer: &CurrentUser,
        job: i64,
        kind: ImportKind,
        columns: &[(&'static str, usize)],
        path: &Path,
    ) -> Result<(), AppError> {
        let counted = path.to_owned();
        let total = tokio::task::spawn_blocking(move || {
            let mut n: i64 = 0;
            sheet::read_rows(&counted, |_, cells| {
                n += i64::from(!cells.iter().all(|c| c.trim().is_empty()));
                true
            })
            .map(|()| (n - 1).max(0))
        })
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|_| AppError::Internal)?;
        self.store.set_job_total(job, total).await?;

        // The reader runs on a blocking thread and hands over chunks; two wait at most.
        let (tx, mut rx) = mpsc::channel::<Vec<(usize, Vec<String>)>>(2);
        let read = path.to_owned();
        let reader = tokio::task::spawn_blocking(move || {
            let mut chunk = Vec::with_capacity(CHUNK);
            let mut header = true;
            let result = sheet::read_rows(&read, |row_no, cells| {
                if cells.iter().all(|c| c.trim().is_empty()) {
                    return true;
                }
                if std::mem::take(&mut header) {
                    return true;
                }
                chunk.push((row_no, cells));
                if chunk.len() == CHUNK {
                    return tx.blocking_send(std::mem::take(&mut chunk)).is_ok();
                }
                true
            });
            if !chunk.is_empty() {
                let _ = tx.blocking_send(chunk);
            }
            result
        });
        let get = |cells: &[String], code: &str| -> String {
            columns
                .iter()
                .find(|(c, _)| *c == code)
                .and_then(|(_, i)| cells.get(*i))
                .map(|s| s.trim().to_owned())
                .unwrap_or_default()
        };
        let industries = self.dictionary_pairs(viewer, DictKind::Industry).await?;
        let levels = self
            .dictionary_pairs(viewer, DictKind::CustomerLevel)
            .await?;
        let choice = |pairs: &[(i64, String)], label: &str| -> String {
            match pairs.iter().find(|(_, l)| l == label) {
                Some((id, _)) => id.to_string(),
                None if label.is_empty() => String::new(),
                // Named but not in the dictionary: refused as not a choice.
                None => "0".to_owned(),
            }
        };
        while let Some(chunk) = rx.recv().await {
            let actor = Actor::user(viewer.id, self.clock.now());
            match kind {
                ImportKind::Customers => {
                    let mut rows = Vec::with_capacity(chunk.len());
                    for (row_no, cells) in &chunk {
                        let form = CustomerForm {
                            name: get(cells, "name"),
                            industry_id: choice(&industries, &get(cells, "industry")),
                            level_id: choice(&levels, &get(cells, "level")),
                            kind: customer_kind(&get(cells, "kind")),
                            registered_on: get(cells, "registered_on").replace('/', "-"),
                            owner: get(cells, "owner"),
                            phone: get(cells, "phone"),
                            fax: get(cells, "fax"),
                            website: get(cells, "website"),
                            address: get(cells, "address"),
                            notes: get(cells, "notes"),
                            ..CustomerForm::default()
                        };
                        let outcome = self.imported_customer(viewer, &form).await;
                        rows.push(ImportedRow {
                            row_no: *row_no as i64,
                            label: form.name,
                            outcome,
                        });
                    }
                    crate::db::retrying(|| self.store.import_customers(&actor, job, &rows)).await?;
                }
                ImportKind::Contacts => {
                    let mut rows = Vec::with_capacity(chunk.len());
                    for (row_no, cells) in &chunk {
                        let customer = get(cells, "customer");
                        let form = ContactForm {
                            name: get(cells, "name"),
                            title: get(cells, "title"),
                            department: get(cells, "department"),
                            phone: get(cells, "phone"),
                            mobile: get(cells, "mobile"),
                            email: get(cells, "email"),
                            notes: get(cells, "notes"),
                        };
                        let outcome = self.imported_contact(viewer, &customer, &form).await?;
                        rows.push(ImportedRow {
                            row_no: *row_no as i64,
                            label: format!("{customer} · {}", form.name),
                            outcome,
                        });
                    }
                    crate::db::retrying(|| self.store.import_contacts(&actor, job, &rows)).await?;
                }
            }
        }
        match reader.await {
            Ok(Ok(())) => {}
            _ => return Err(AppError::Internal),
        }
        if let Some(events) = &self.events {
            events.user_changed(viewer.id).await;
        }
        Ok(())
    }

    /// A customer row checked as 添加客户 checks its form.
    async fn imported_customer(
        &self,
        viewer: &CurrentUser,
        form: &CustomerForm,
    ) -> Result<crate::db::customers::NewCustomer, Vec<(String, String)>> {
        let refusals = |e: AppError| match e {
            AppError::Invalid(errors) => errors
                .into_iter()
                .map(|e| (field_key("customer", &e.field), e.key))
                .collect(),
            AppError::Field { field, message } => vec![(field_key("customer", &field), message)],
            _ => vec![(String::new(), "error.internal".to_owned())],
        };
        let mut new = self
            .checked_customer(viewer, form)
            .await
            .map_err(refusals)?;
        let (dept, owner) = self
            .customer_assignment(viewer, new.dept_id, new.owner_id)
            .await
            .map_err(refusals)?;
        new.dept_id = dept;
        new.owner_id = owner;
        Ok(new)
    }

    /// A contact row: its customer found by name in the viewer's scope and theirs to edit, its
    /// fields checked as 新建联系人 checks them.
    async fn imported_contact(
        &self,
        viewer: &CurrentUser,
        customer: &str,
        form: &ContactForm,
    ) -> Result<Result<(i64, app::model::customer::ParsedContact), Vec<(String, String)>>, AppError>
    {
        let mut refusals = Vec::new();
        let found = match CustomerName::parse(customer) {
            Ok(name) => {
                self.store
                    .customer_by_name_key(&Scope::of(viewer), &name.key())
                    .await?
            }
            Err(_) => None,
        };
        let customer_id = match found {
            None => {
                refusals.push(("contact.customer".into(), "import.no_customer".into()));
                None
            }
            Some(c) if !self.may_edit_customer(viewer, &c).await? => {
                refusals.push(("contact.customer".into(), "batch.no_right".into()));
                None
            }
            Some(c) => Some(c.id),
        };
        let parsed = form.parse().map_err(|errors| {
            errors
                .into_iter()
                .map(|e| (field_key("contact", &e.field), e.key))
                .collect::<Vec<_>>()
        });
        match (customer_id, parsed) {
            (Some(id), Ok(contact)) => Ok(Ok((id, contact))),
            (_, Err(errors)) => {
                refusals.extend(errors);
                Ok(Err(refusals))
            }
            (None, Ok(_)) => Ok(Err(refusals)),
        }
    }
}

/// 客户类型 as typed: 潜在客户 (or nothing) and 交易客户, in either language.
fn customer_kind(typed: &str) -> String {
    match typed {
        "" | "潜在客户" | "潜在" | "potential" => "potential".into(),
        "交易客户" | "交易" | "transaction" => "transaction".into(),
        other => other.into(),
    }
}
