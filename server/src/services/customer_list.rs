//! The 客户管理 list: query conditions from the page's address to a scoped, keyset-paged query.

use super::{internal, Services};
use crate::db::customers::{CustomerCursor, CustomerQuery, CustomerSort};
use crate::db::DictKind;
use crate::policy::scope::Scope;
use app::api::customers::{
    CustomerListPage, CustomerListQuery, CustomerListRow, CustomerListService,
};
use app::model::columns::{ListColumns, CUSTOMER_LIST};
use app::model::customer::CustomerKind;
use app::model::{AppError, CurrentUser};
use std::collections::HashSet;

/// Rows per page.
pub const PAGE_SIZE: u32 = 20;

/// The list's `sort` parameter; anything unknown is the default (newest first).
pub(crate) fn sort_of(code: &str) -> CustomerSort {
    match code {
        "name" => CustomerSort::Name { descending: false },
        "name_desc" => CustomerSort::Name { descending: true },
        "registered" => CustomerSort::Registered { descending: false },
        "registered_desc" => CustomerSort::Registered { descending: true },
        _ => CustomerSort::Newest,
    }
}

/// The store's query for `q`, filtered by the owner `owner_id` resolved from it.
fn to_store_query(q: &CustomerListQuery, viewer_id: i64, owner_id: Option<&str>) -> CustomerQuery {
    let id = |s: &str| s.trim().parse::<i64>().ok();
    let date = app::model::date::parse_day;
    CustomerQuery {
        // 共享给我的 lists both kinds; the other tabs one each.
        kind: if q.shared == "1" {
            CustomerKind::from_code(&q.kind)
        } else {
            Some(CustomerKind::from_code(&q.kind).unwrap_or(CustomerKind::Potential))
        },
        name_contains: Some(q.name.clone()).filter(|n| !n.trim().is_empty()),
        industry_id: id(&q.industry_id),
        level_id: id(&q.level_id),
        // Any id may be asked for: the scope still decides what is returned.
        owner_id: owner_id.and_then(id),
        shared_with: (q.shared == "1").then_some(viewer_id),
        registered_from: date(&q.from),
        registered_to: date(&q.to),
        sort: sort_of(&q.sort),
        after: id(&q.after_id).map(|id| CustomerCursor {
            id,
            key: q.after_key.clone(),
        }),
        // One more than shown, to know whether a next page exists.
        limit: PAGE_SIZE + 1,
    }
}

/// Rows a page of an export reads (the store's largest page).
pub(crate) const EXPORT_PAGE: u32 = 200;

/// A row's cell in the column `code` of 客户管理 (the name first, then the visible columns).
fn cell(row: &CustomerListRow, code: &str) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    match code {
        "name" => row.name.clone(),
        "industry" => row.industry.clone(),
        "level" => row.level.clone(),
        "owner" => row.owner.clone(),
        "dept" => row.dept.clone(),
        "registered_on" => row.registered_on.clone(),
        "phone" => opt(&row.phone),
        "fax" => opt(&row.fax),
        "website" => opt(&row.website),
        "address" => opt(&row.address),
        _ => String::new(),
    }
}

impl Services {
    /// 导出: the columns the viewer sees on 客户管理 (客户名称 first), as (code, label key).
    pub async fn customer_export_columns(
        &self,
        viewer: &CurrentUser,
    ) -> Result<Vec<(String, &'static str)>, AppError> {
        let saved = self
            .store
            .user_pref(viewer.id, &CUSTOMER_LIST.pref_key())
            .await?;
        Ok(CUSTOMER_LIST.exported(("name", "customer.name"), saved.as_deref()))
    }

    /// 导出: every customer `query` finds in the viewer's scope (not only a page), sent as
    /// rows of cells in `columns`, a page of the store at a time, so a million rows never sit in
    /// memory. With `only`, just those of its rows (ticked on the list). Stops quietly when
    /// the receiver is gone (the download was cancelled).
    pub async fn export_customers(
        &self,
        viewer: &CurrentUser,
        query: &CustomerListQuery,
        only: Option<&HashSet<i64>>,
        columns: &[String],
        rows: &tokio::sync::mpsc::Sender<Result<Vec<Vec<String>>, AppError>>,
    ) -> Result<(), AppError> {
        let scope = Scope::of(viewer);
        let filter = self
            .owner_filter(viewer, &query.owner_id, &query.owner)
            .await?;
        if filter.owner_id.is_none() {
            return Ok(());
        }
        let mut store_query = to_store_query(query, viewer.id, filter.owner_id.as_deref());
        store_query.after = None;
        store_query.limit = EXPORT_PAGE;
        let industries = self.dictionary_pairs(viewer, DictKind::Industry).await?;
        let levels = self
            .dictionary_pairs(viewer, DictKind::CustomerLevel)
            .await?;
        let mut left = only.map_or(usize::MAX, HashSet::len);
        loop {
            let mut found = self.store.customers(&scope, &store_query).await?;
            let last = found.last().map(|c| (c.id, store_query.sort.key_of(c)));
            let full = found.len() == EXPORT_PAGE as usize;
            if let Some(only) = only {
                found.retain(|c| only.contains(&c.id));
                left -= found.len();
            }
            let page = self.list_rows(viewer, found, &industries, &levels).await?;
            let cells = page
                .iter()
                .map(|r| columns.iter().map(|c| cell(r, c)).collect())
                .collect();
            if rows.send(Ok(cells)).await.is_err() {
                return Ok(());
            }
            match last {
                Some((id, key)) if full && left > 0 => {
                    store_query.after = Some(CustomerCursor { id, key });
                }
                _ => return Ok(()),
            }
        }
    }

    /// The ids of every customer `query` finds in the viewer's scope, in its order (「全选」 of
    /// a batch: ids only, so a province's customers fit in a few megabytes).
    pub(crate) async fn customer_query_ids(
        &self,
        viewer: &CurrentUser,
        query: &CustomerListQuery,
    ) -> Result<Vec<i64>, AppError> {
        let scope = Scope::of(viewer);
        let filter = self
            .owner_filter(viewer, &query.owner_id, &query.owner)
            .await?;
        if filter.owner_id.is_none() {
            return Ok(Vec::new());
        }
        let mut store_query = to_store_query(query, viewer.id, filter.owner_id.as_deref());
        store_query.after = None;
        store_query.limit = EXPORT_PAGE;
        let mut ids = Vec::new();
        loop {
            let found = self.store.customers(&scope, &store_query).await?;
            ids.extend(found.iter().map(|c| c.id));
            match found.last() {
                Some(c) if found.len() == EXPORT_PAGE as usize => {
                    store_query.after = Some(CustomerCursor {
                        id: c.id,
                        key: store_query.sort.key_of(c),
                    });
                }
                _ => return Ok(ids),
            }
        }
    }

    /// List rows for `found`, with dictionary labels and owner names resolved.
    async fn list_rows(
        &self,
        viewer: &CurrentUser,
        found: Vec<crate::db::customers::Customer>,
        industries: &[(i64, String)],
        levels: &[(i64, String)],
    ) -> Result<Vec<CustomerListRow>, AppError> {
        let label = |pairs: &[(i64, String)], id: i64| {
            pairs
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, l)| l.clone())
                .unwrap_or_default()
        };
        let people = self.people_seen_by(viewer).await?;
        // One query for the page's owners, not one user (and their roles) per row.
        let mut ids: Vec<i64> = found.iter().map(|c| c.owner_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let owners = self.store.user_names(&ids).await?;
        Ok(found
            .into_iter()
            .map(|c| CustomerListRow {
                id: c.id,
                industry: label(industries, c.industry_id),
                level: label(levels, c.level_id),
                owner: owners.get(&c.owner_id).cloned().unwrap_or_default(),
                dept: people.unit_name(c.dept_id).to_owned(),
                name: c.name,
                registered_on: c.registered_on,
                phone: c.phone,
                fax: c.fax,
                website: c.website,
                address: c.address,
            })
            .collect())
    }
}

#[async_trait::async_trait]
impl CustomerListService for Services {
    async fn quick_find(
        &self,
        viewer: &CurrentUser,
        text: &str,
    ) -> Result<Vec<CustomerListRow>, AppError> {
        let found = self
            .store
            .quick_find(&Scope::of(viewer), text, PAGE_SIZE)
            .await?;
        let industries = self.dictionary_pairs(viewer, DictKind::Industry).await?;
        let levels = self
            .dictionary_pairs(viewer, DictKind::CustomerLevel)
            .await?;
        self.list_rows(viewer, found, &industries, &levels).await
    }

    async fn list(
        &self,
        viewer: &CurrentUser,
        query: &CustomerListQuery,
    ) -> Result<CustomerListPage, AppError> {
        let scope = Scope::of(viewer);
        let filter = self
            .owner_filter(viewer, &query.owner_id, &query.owner)
            .await?;
        let store_query = to_store_query(query, viewer.id, filter.owner_id.as_deref());
        let mut found = match filter.owner_id {
            Some(_) => self.store.customers(&scope, &store_query).await?,
            // The text named nobody in particular: nothing until one is chosen.
            None => Vec::new(),
        };
        let more = found.len() > PAGE_SIZE as usize;
        found.truncate(PAGE_SIZE as usize);
        let industries = self.dictionary_pairs(viewer, DictKind::Industry).await?;
        let levels = self
            .dictionary_pairs(viewer, DictKind::CustomerLevel)
            .await?;
        let next = more
            .then(|| found.last().map(|c| (c.id, store_query.sort.key_of(c))))
            .flatten();
        let rows = self.list_rows(viewer, found, &industries, &levels).await?;
        let columns = CUSTOMER_LIST.visible(
            self.store
                .user_pref(viewer.id, &CUSTOMER_LIST.pref_key())
                .await?
                .as_deref(),
        );
        Ok(CustomerListPage {
            rows,
            next,
            industries,
            levels,
            owner: filter.field,
            columns,
        })
    }
}

impl Services {
    /// Saves which optional columns of `list` the viewer wants shown.
    pub async fn save_columns(
        &self,
        viewer: &CurrentUser,
        list: &str,
        chosen: &[String],
    ) -> Result<(), AppError> {
        let list = ListColumns::named(list).ok_or(AppError::NotFound)?;
        self.store
            .set_user_pref(viewer.id, &list.pref_key(), &list.choice(chosen))
            .await
            .map_err(internal)
    }
}
