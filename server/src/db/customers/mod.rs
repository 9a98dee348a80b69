//! What the store keeps of customers. Every read takes the caller's [`Scope`]; the scope is
//! applied in the SQL, so a record outside it is never read at all.

pub mod contacts;
pub mod merge;
pub mod relations;
mod sql;

use super::{Actor, StoreResult};
use crate::policy::scope::{Reach, Scope};
use app::model::customer::{CustomerKind, CustomerName};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{Database, Encode, QueryBuilder, Type};

/// A customer as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub industry_id: i64,
    pub level_id: i64,
    pub kind: CustomerKind,
    pub owner_id: i64,
    pub dept_id: i64,
    pub city_id: Option<i64>,
    pub registered_on: String,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub version: i64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub industry_id: i64,
    pub level_id: i64,
    pub kind: CustomerKind,
    pub owner_id: i64,
    pub dept_id: i64,
    pub city_id: Option<i64>,
    pub registered_on: String,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub version: i64,
}

impl CustomerRow {
    pub fn into_customer(self) -> Customer {
        Customer {
            id: self.id,
            name: self.name,
            industry_id: self.industry_id,
            level_id: self.level_id,
            kind: self.kind,
            owner_id: self.owner_id,
            dept_id: self.dept_id,
            city_id: self.city_id,
            registered_on: self.registered_on,
            website: self.website,
            phone: self.phone,
            fax: self.fax,
            address: self.address,
            notes: self.notes,
            version: self.version,
        }
    }
}

/// The columns of [`CustomerRow`], qualified by the alias `c`.
pub(crate) const CUSTOMER_COLUMNS: &str =
    "c.id, c.name, c.industry_id, c.level_id, c.kind, c.owner_id, c.dept_id, c.city_id, \
     c.registered_on, c.website, c.phone, c.fax, c.address, c.notes, c.version";

/// A 联系人 of a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Contact {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub notes: Option<String>,
}

/// A user a customer is shared with.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CustomerShare {
    pub user_id: i64,
    pub user_name: String,
    pub can_edit: bool,
}

/// A customer to add; every field already parsed.
#[derive(Debug, Clone, Serialize)]
pub struct NewCustomer {
    pub name: CustomerName,
    pub industry_id: i64,
    pub level_id: i64,
    pub kind: CustomerKind,
    pub owner_id: i64,
    pub dept_id: i64,
    pub registered_on: NaiveDate,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
}

/// The order of the customer list; each has its own index and keyset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CustomerSort {
    /// 最新登记 first (by id, descending).
    #[default]
    Newest,
    /// By 客户名称, A to Z (or Z to A when `descending`).
    Name { descending: bool },
    /// By 登记日期, oldest first (or newest first when `descending`).
    Registered { descending: bool },
}

impl CustomerSort {
    /// The column a keyset compares after the id (`None`: the id alone).
    pub(crate) fn key_column(self) -> Option<&'static str> {
        match self {
            CustomerSort::Newest => None,
            CustomerSort::Name { .. } => Some("c.name"),
            CustomerSort::Registered { .. } => Some("c.registered_on"),
        }
    }

    pub(crate) fn descending(self) -> bool {
        match self {
            CustomerSort::Newest => true,
            CustomerSort::Name { descending } | CustomerSort::Registered { descending } => {
                descending
            }
        }
    }

    /// The sort key of `c` that a cursor after it carries.
    pub fn key_of(self, c: &Customer) -> String {
        match self {
            CustomerSort::Newest => String::new(),
            CustomerSort::Name { .. } => c.name.clone(),
            CustomerSort::Registered { .. } => c.registered_on.clone(),
        }
    }
}

/// Where the previous page ended: the sort key and id of its last row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerCursor {
    pub key: String,
    pub id: i64,
}

/// The list's query conditions.
#[derive(Debug, Clone, Default)]
pub struct CustomerQuery {
    pub kind: Option<CustomerKind>,
    pub name_contains: Option<String>,
    pub industry_id: Option<i64>,
    pub level_id: Option<i64>,
    pub owner_id: Option<i64>,
    /// Only the customers shared with this user (共享给我的).
    pub shared_with: Option<i64>,
    pub registered_from: Option<NaiveDate>,
    pub registered_to: Option<NaiveDate>,
    pub sort: CustomerSort,
    pub after: Option<CustomerCursor>,
    /// Rows per page (at most 200).
    pub limit: u32,
}

/// The 联系人 list's query conditions (each a substring, ignoring case).
#[derive(Debug, Clone, Default)]
pub struct ContactQuery {
    pub name: Option<String>,
    pub customer_name: Option<String>,
    /// Matches 电话 or 手机.
    pub phone: Option<String>,
    /// The id of the previous page's last row (newest first).
    pub after_id: Option<i64>,
    /// Rows per page (at most 200).
    pub limit: u32,
}

/// A contact with the name of its customer, for the 联系人 list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ContactListItem {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub name: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
}

#[async_trait]
pub trait CustomerStore: Send + Sync {
    /// Adds a customer (with its audit entry and quick-find row). A name whose key is taken
    /// anywhere in the province is a `Conflict` that `StoreError::is_customer_name_taken`
    /// recognises.
    async fn create_customer(
        &self,
        actor: &Actor,
        customer: &NewCustomer,
        at: DateTime<Utc>,
    ) -> StoreResult<Customer>;

    /// The customer, if it exists and `scope` may see it.
    async fn customer(&self, scope: &Scope, id: i64) -> StoreResult<Option<Customer>>;

    /// One page of the customers `scope` may see that match `query`, in its order.
    async fn customers(&self, scope: &Scope, query: &CustomerQuery) -> StoreResult<Vec<Customer>>;

    /// Replaces a customer's fields if it is still at `version` (compare-and-set): `Stale` if
    /// someone saved in between, `Conflict` if the new name is taken. The caller has checked
    /// the right to edit, and to change 负责部门 / 负责人 when they differ.
    async fn update_customer(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        customer: &NewCustomer,
    ) -> StoreResult<Customer>;

    /// 快速查找: customers in scope whose name, phone or fax contains `text` (three or more
    /// characters, through the trigram index), or whose name starts with it (fewer).
    async fn quick_find(&self, scope: &Scope, text: &str, limit: u32)
        -> StoreResult<Vec<Customer>>;

    /// 转交易客户: a potential customer becomes a transaction customer (idempotent).
    async fn convert_customer(&self, actor: &Actor, id: i64) -> StoreResult<Customer>;

    /// Deletes a customer with its contacts, shares and quick-find row. The caller has checked
    /// the right to delete. A customer with opportunities is kept: `CustomerHasOpportunities`.
    async fn delete_customer(&self, actor: &Actor, id: i64) -> StoreResult<()>;
}

/// One way a customer can be in a scope; a scoped list is the union of its branches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ScopeBranch {
    Everything,
    Owner(i64),
    Shared(i64),
    City(i64),
    Industries(Vec<i64>),
}

impl ScopeBranch {
    pub(crate) fn of(scope: &Scope) -> Vec<ScopeBranch> {
        let mine = [
            ScopeBranch::Owner(scope.viewer_id),
            ScopeBranch::Shared(scope.viewer_id),
        ];
        match &scope.reach {
            Reach::All | Reach::Province => vec![ScopeBranch::Everything],
            Reach::City(city) => [mine.to_vec(), vec![ScopeBranch::City(*city)]].concat(),
            Reach::Industries(ids) if !ids.is_empty() => {
                [mine.to_vec(), vec![ScopeBranch::Industries(ids.clone())]].concat()
            }
            Reach::Industries(_) | Reach::Own => mine.to_vec(),
        }
    }

    /// The branch's join and ` WHERE …` on customer alias `c`, after `FROM customers c` (or a
    /// join ending in it).
    pub(crate) fn push_condition<'a, DB: Database>(&'a self, qb: &mut QueryBuilder<'a, DB>)
    where
        i64: Encode<'a, DB> + Type<DB>,
    {
        match self {
            ScopeBranch::Shared(user) => {
                qb.push(" JOIN customer_shares sh ON sh.customer_id = c.id AND sh.user_id = ")
                    .push_bind(*user)
                    .push(" WHERE 1 = 1");
            }
            ScopeBranch::Everything => {
                qb.push(" WHERE 1 = 1");
            }
            ScopeBranch::Owner(user) => {
                qb.push(" WHERE c.owner_id = ").push_bind(*user);
            }
            ScopeBranch::City(_) | ScopeBranch::Industries(_) => {
                if let Some(column) = self.customer_column() {
                    qb.push(format!(" WHERE c.{column}"));
                    self.push_value_test(qb);
                }
            }
        }
    }

    /// The customers' column a city or industries branch tests (`None` for the others).
    pub(crate) fn customer_column(&self) -> Option<&'static str> {
        match self {
            ScopeBranch::City(_) => Some("city_id"),
            ScopeBranch::Industries(_) => Some("industry_id"),
            _ => None,
        }
    }

    /// ` = city` or ` IN (industries)`: the test of [`Self::customer_column`]'s value.
    pub(crate) fn push_value_test<'a, DB: Database>(&'a self, qb: &mut QueryBuilder<'a, DB>)
    where
        i64: Encode<'a, DB> + Type<DB>,
    {
        match self {
            ScopeBranch::City(city) => {
                qb.push(" = ").push_bind(*city);
            }
            ScopeBranch::Industries(ids) => {
                qb.push(" IN (");
                let mut list = qb.separated(", ");
                for id in ids {
                    list.push_bind(*id);
                }
                qb.push(")");
            }
            _ => {}
        }
    }
}

/// Appends ` AND (<the scope's condition on customer alias c>)`.
pub(crate) fn push_scope<'a, DB: Database>(qb: &mut QueryBuilder<'a, DB>, scope: &'a Scope)
where
    i64: Encode<'a, DB> + Type<DB>,
{
    qb.push(" AND (c.owner_id = ")
        .push_bind(scope.viewer_id)
        .push(" OR EXISTS (SELECT 1 FROM customer_shares s WHERE s.customer_id = c.id AND s.user_id = ")
        .push_bind(scope.viewer_id)
        .push(")");
    match &scope.reach {
        Reach::All | Reach::Province => {
            qb.push(" OR TRUE");
        }
        Reach::City(city) => {
            qb.push(" OR c.city_id = ").push_bind(*city);
        }
        Reach::Industries(ids) if !ids.is_empty() => {
            qb.push(" OR c.industry_id IN (");
            let mut list = qb.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            qb.push(")");
        }
        Reach::Industries(_) | Reach::Own => {}
    }
    qb.push(")");
}

/// Escapes `%`, `_` and `\` for a LIKE pattern used with `ESCAPE '\'`.
pub(crate) fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
