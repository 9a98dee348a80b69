//! 客户管理: 潜在客户 and 交易客户 in two tabs, the query conditions as a GET form (so a query
//! is a shareable address and works without JavaScript), and keyset paging with 下一页.

use crate::api::customers::{list_customers, CustomerListPage, CustomerListQuery, CustomerListRow};
use crate::components::batch_form::{box_head, row_box, BatchForm};
use crate::components::column_chooser::ColumnChooser;
use crate::components::list_page::{
    cell, export_href, head, id_choices, shown, ChoiceField, DateRange, ExportLinks, ListQuery,
    ListTable, QueryForm, SearchField,
};
use crate::components::person_field::PersonField;
use crate::components::quick_find::QuickFind;
use crate::i18n::t;
use crate::model::batch::{BatchAction, SubmittedBatch};
use crate::model::columns::CUSTOMER_LIST;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

impl ListQuery for CustomerListQuery {
    const PATH: &'static str = "/customers";

    fn first_page(&self) -> Self {
        Self {
            after_id: String::new(),
            after_key: String::new(),
            ..self.clone()
        }
    }
}

/// Whether the viewer may hand over customers (转交): the link shows for them alone.
fn may_transfer() -> bool {
    use_context::<crate::components::shell::Viewer>()
        .and_then(|v| v.0)
        .is_some_and(|u| crate::model::transfer::TransferReach::of(&u).is_some())
}

#[component]
pub fn CustomerListPage() -> impl IntoView {
    let params = use_query();
    let query = move || params.with(CustomerListQuery::from_address);
    let page = Resource::new(query, list_customers);
    let submitted = SharedValue::new(use_context::<SubmittedBatch>).into_inner();
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{t("customer.list")}</h1>
                <QuickFind/>
                <a href="/contacts" class="button secondary">{t("contact.list")}</a>
                {may_transfer().then(|| view! { <a href=paths::TRANSFER.path() class="button secondary">{t("transfer.title")}</a> })}
                <a href=paths::CUSTOMER_IMPORT.path() class="button secondary">{t("import.title")}</a>
                <a href=paths::CUSTOMER_NEW.path() class="button">{t("customer.new")}</a>
                <ExportLinks href=move |format| export_href(&query(), paths::CUSTOMER_EXPORT.path(), format)/>
            </div>
            <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || {
                    let submitted = submitted.clone();
                    Suspend::new(async move {
                    let q = query();
                    match page.await {
                        Ok(result) => view! { <ListView q result submitted/> }.into_any(),
                        Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                    }
                })}}
            </Suspense>
        </section>
    }
}

#[component]
fn ListView(
    q: CustomerListQuery,
    result: CustomerListPage,
    submitted: Option<SubmittedBatch>,
) -> impl IntoView {
    let shared = q.shared == "1";
    let transaction = q.kind == "transaction" && !shared;
    let potential = !transaction && !shared;
    let kind = if transaction {
        "transaction"
    } else {
        "potential"
    };
    let next = result.next.clone().map(|(id, key)| {
        CustomerListQuery {
            after_id: id.to_string(),
            after_key: key,
            ..q.clone()
        }
        .href()
    });
    let columns = shown(&CUSTOMER_LIST, &result.columns);
    let heads = [
        box_head(),
        sort_head(&q, "customer.name", "name", "name_desc"),
    ]
    .into_iter()
    .chain(columns.iter().map(|c| match c.code {
        "registered_on" => sort_head(&q, c.label_key, "registered", "registered_desc"),
        _ => head(c.label_key),
    }))
    .collect();
    let ticked = submitted.clone();
    let row = move |r: CustomerListRow| {
        let cells = columns
            .iter()
            .map(|c| cell(cell_of(&r, c.code).unwrap_or_default()))
            .collect_view();
        view! {
            <tr>
                {row_box(r.id, r.name.clone(), &ticked)}
                <td><a href=paths::CUSTOMER.of(r.id)>{r.name.clone()}</a></td>
                {cells}
            </tr>
        }
        .into_any()
    };
    // The list as it is now, from its first page: where the column chooser comes back to.
    let back = q.first_page().href();
    let batch = batch_action(&back, paths::CUSTOMER_BATCH.path());
    view! {
        <nav class="tabs">
            <a href="/customers?kind=potential" class:active=potential>{t("customer.kind.potential")}</a>
            <a href="/customers?kind=transaction" class:active=transaction>{t("customer.kind.transaction")}</a>
            <a href="/customers?shared=1" class:active=shared>{t("customer.shared_with_me")}</a>
        </nav>
        <QueryForm action=CustomerListQuery::PATH>
            <input type="hidden" name="kind" value=kind/>
            {shared.then(|| view! { <input type="hidden" name="shared" value="1"/> })}
            <SearchField id="q-name" name="name" label="customer.name" value=q.name.clone()/>
            <ChoiceField id="q-industry" name="industry_id" label="customer.industry"
                choices=id_choices(&result.industries) chosen=q.industry_id.clone()/>
            <ChoiceField id="q-level" name="level_id" label="customer.level"
                choices=id_choices(&result.levels) chosen=q.level_id.clone()/>
            {result.owner.clone().map(|lookup| view! {
                <PersonField id="q-owner" name="owner" id_name="owner_id" label="customer.owner"
                    lookup/>
            })}
            <DateRange from=q.from.clone() to=q.to.clone()/>
            <input type="hidden" name="sort" value=q.sort.clone()/>
        </QueryForm>
        <ColumnChooser list=&CUSTOMER_LIST visible=result.columns.clone() back/>
        <BatchForm action=batch actions=&BatchAction::CUSTOMERS editable_label="share.editable"
            submitted/>
        <ListTable heads rows=result.rows row empty="customer.none" next/>
    }
}

/// The batch form's address: `batch_path` with the conditions of the list's address `href`.
pub(crate) fn batch_action(href: &str, batch_path: &str) -> String {
    match href.split_once('?') {
        Some((_, conditions)) => format!("{batch_path}?{conditions}"),
        None => batch_path.to_owned(),
    }
}

/// The value of one optional column of a row.
fn cell_of(r: &CustomerListRow, code: &str) -> Option<String> {
    match code {
        "industry" => Some(r.industry.clone()),
        "level" => Some(r.level.clone()),
        "owner" => Some(r.owner.clone()),
        "dept" => Some(r.dept.clone()),
        "registered_on" => Some(r.registered_on.clone()),
        "phone" => r.phone.clone(),
        "fax" => r.fax.clone(),
        "website" => r.website.clone(),
        "address" => r.address.clone(),
        _ => None,
    }
}

/// A sortable column head: a link that sorts by it ascending, or (when it already does)
/// descending; the current order is marked for eyes and for screen readers.
fn sort_head(
    q: &CustomerListQuery,
    label: &'static str,
    ascending: &'static str,
    descending: &'static str,
) -> AnyView {
    let (aria, mark, next) = if q.sort == ascending {
        ("ascending", " ▲", descending)
    } else if q.sort == descending {
        ("descending", " ▼", ascending)
    } else {
        ("none", "", ascending)
    };
    let sorted = CustomerListQuery {
        sort: next.to_owned(),
        ..q.first_page()
    };
    view! {
        <th scope="col" aria-sort=aria>
            <a href=sorted.href() class="sort">{t(label)}{mark}</a>
        </th>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_page_address_keeps_the_conditions_and_encodes_them() {
        let q = CustomerListQuery {
            kind: "potential".into(),
            name: "石家庄 & 保定".into(),
            after_id: "42".into(),
            after_key: "客户".into(),
            ..Default::default()
        };
        assert_eq!(
            q.href(),
            "/customers?kind=potential&name=%E7%9F%B3%E5%AE%B6%E5%BA%84%20%26%20%E4%BF%9D%E5%AE%9A\
             &after_id=42&after_key=%E5%AE%A2%E6%88%B7"
        );
    }
}
