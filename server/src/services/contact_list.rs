//! The 联系人 list: query conditions from the address to a scoped, keyset-paged query.

use super::customer_list::PAGE_SIZE;
use super::Services;
use crate::db::customers::ContactQuery;
use crate::policy::scope::Scope;
use app::api::contacts::{ContactListPage, ContactListQuery, ContactListRow, ContactListService};
use app::model::columns::CONTACT_LIST;
use app::model::{AppError, CurrentUser};

#[async_trait::async_trait]
impl ContactListService for Services {
    async fn list(
        &self,
        viewer: &CurrentUser,
        q: &ContactListQuery,
    ) -> Result<ContactListPage, AppError> {
        self.list_page(viewer, q, PAGE_SIZE).await
    }
}

impl Services {
    /// The first `page_size` contacts `q` finds in the viewer's scope.
    async fn list_page(
        &self,
        viewer: &CurrentUser,
        q: &ContactListQuery,
        page_size: u32,
    ) -> Result<ContactListPage, AppError> {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|t| !t.is_empty());
        let query = ContactQuery {
            name: text(&q.name),
            customer_name: text(&q.customer),
            phone: text(&q.phone),
            after_id: q.after_id.trim().parse().ok(),
            limit: page_size + 1,
        };
        let mut found = self.store.contact_list(&Scope::of(viewer), &query).await?;
        let more = found.len() > page_size as usize;
        found.truncate(page_size as usize);
        let next = more.then(|| found.last().map(|k| k.id)).flatten();
        let columns = CONTACT_LIST.visible(
            self.store
                .user_pref(viewer.id, &CONTACT_LIST.pref_key())
                .await?
                .as_deref(),
        );
        Ok(ContactListPage {
            rows: found
                .into_iter()
                .map(|k| ContactListRow {
                    id: k.id,
                    customer_id: k.customer_id,
                    customer_name: k.customer_name,
                    name: k.name,
                    title: k.title,
                    department: k.department,
                    phone: k.phone,
                    mobile: k.mobile,
                    email: k.email,
                })
                .collect(),
            next,
            columns,
        })
    }
}

/// A row's cell in the column `code` of 联系人 (the name first, then the visible columns).
fn export_cell(row: &ContactListRow, code: &str) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    match code {
        "name" => row.name.clone(),
        "customer" => row.customer_name.clone(),
        "title" => opt(&row.title),
        "department" => opt(&row.department),
        "phone" => opt(&row.phone),
        "mobile" => opt(&row.mobile),
        "email" => opt(&row.email),
        _ => String::new(),
    }
}

impl Services {
    /// 导出: the columns the viewer sees on 联系人 (姓名 first), as (code, label key).
    pub async fn contact_export_columns(
        &self,
        viewer: &CurrentUser,
    ) -> Result<Vec<(String, &'static str)>, AppError> {
        let saved = self
            .store
            .user_pref(viewer.id, &CONTACT_LIST.pref_key())
            .await?;
        Ok(CONTACT_LIST.exported(("name", "contact.name"), saved.as_deref()))
    }

    /// 导出: every contact `q` finds in the viewer's scope, a store page at a time (see
    /// `export_customers`).
    pub async fn export_contacts(
        &self,
        viewer: &CurrentUser,
        q: &ContactListQuery,
        columns: &[String],
        rows: &tokio::sync::mpsc::Sender<Result<Vec<Vec<String>>, AppError>>,
    ) -> Result<(), AppError> {
        const PAGE: u32 = 199;
        let mut q = ContactListQuery {
            after_id: String::new(),
            ..q.clone()
        };
        loop {
            let page = self.list_page(viewer, &q, PAGE).await?;
            let cells = page
                .rows
                .iter()
                .map(|r| columns.iter().map(|c| export_cell(r, c)).collect())
                .collect();
            if rows.send(Ok(cells)).await.is_err() {
                return Ok(());
            }
            match page.next {
                Some(next) => q.after_id = next.to_string(),
                None => return Ok(()),
            }
        }
    }
}
