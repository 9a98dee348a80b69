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
        let text = |s: &str| Some(s.trim().to_owned()).filter(|t| !t.is_empty());
        let query = ContactQuery {
            name: text(&q.name),
            customer_name: text(&q.customer),
            phone: text(&q.phone),
            after_id: q.after_id.trim().parse().ok(),
            limit: PAGE_SIZE + 1,
        };
        let mut found = self.store.contact_list(&Scope::of(viewer), &query).await?;
        let more = found.len() > PAGE_SIZE as usize;
        found.truncate(PAGE_SIZE as usize);
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
