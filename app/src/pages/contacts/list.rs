//! 联系人: every contact of the customers the viewer may see, queried by name, customer and
//! phone (a GET form, so a query is an address and works without JavaScript), newest first
//! with keyset paging, columns chosen per user.

use crate::api::contacts::{list_contacts, ContactListPage, ContactListQuery, ContactListRow};
use crate::components::column_chooser::ColumnChooser;
use crate::components::list_page::{
    cell, head, shown, ListQuery, ListTable, QueryForm, SearchField,
};
use crate::i18n::t;
use crate::model::columns::CONTACT_LIST;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

impl ListQuery for ContactListQuery {
    const PATH: &'static str = "/contacts";

    fn first_page(&self) -> Self {
        Self {
            after_id: String::new(),
            ..self.clone()
        }
    }
}

#[component]
pub fn ContactListPage() -> impl IntoView {
    let params = use_query();
    let query = move || params.with(ContactListQuery::from_address);
    let page = Resource::new(query, list_contacts);
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{t("contact.list")}</h1>
                <a href="/contacts/new" class="button">{t("contact.new")}</a>
                <crate::components::list_page::ExportLinks href=move |format| {
                    crate::components::list_page::export_href(&query(), crate::paths::CONTACT_EXPORT.path(), format)
                }/>
            </div>
            <nav class="tabs">
                <a href=paths::CUSTOMERS.path()>{t("customer.list")}</a>
                <a href=ContactListQuery::PATH class="active">{t("contact.list")}</a>
            </nav>
            <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    let q = query();
                    match page.await {
                        Ok(result) => view! { <ListView q result/> }.into_any(),
                        Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ListView(q: ContactListQuery, result: ContactListPage) -> impl IntoView {
    let next = result.next.map(|id| {
        ContactListQuery {
            after_id: id.to_string(),
            ..q.clone()
        }
        .href()
    });
    let columns = shown(&CONTACT_LIST, &result.columns);
    let heads = [
        crate::components::batch_form::box_head(),
        head("contact.name"),
    ]
    .into_iter()
    .chain(columns.iter().map(|c| head(c.label_key)))
    .collect();
    let row = move |r: ContactListRow| {
        let cells = columns.iter().map(|c| cell_of(&r, c.code)).collect_view();
        view! {
            <tr>
                <td class="select">
                    <input type="checkbox" name="contact" value=r.id.to_string() form=PICK_FORM
                        aria-label=r.name.clone()/>
                </td>
                <td><a href=format!("{}#contacts", paths::CUSTOMER.of(r.customer_id))>{r.name.clone()}</a></td>
                {cells}
            </tr>
        }
        .into_any()
    };
    // The list as it is now, from its first page: where the column chooser comes back to.
    let back = q.first_page().href();
    view! {
        <QueryForm action=ContactListQuery::PATH>
            <SearchField id="q-name" name="name" label="contact.name" value=q.name.clone()/>
            <SearchField id="q-customer" name="customer" label="contact.customer" value=q.customer.clone()/>
            <SearchField id="q-phone" name="phone" label="customer.phone" value=q.phone.clone()/>
        </QueryForm>
        <ColumnChooser list=&CONTACT_LIST visible=result.columns.clone() back/>
        // The ticked contacts go to the 邮件 / 短信 page (a GET: it only composes).
        <form id=PICK_FORM method="get" action=paths::OUTREACH.path() class="batch">
            <button type="submit" class="secondary">{t("outreach.compose")}</button>
        </form>
        <ListTable heads rows=result.rows row empty="contact.none" next/>
    }
}

/// The form the rows' boxes belong to.
const PICK_FORM: &str = "outreach-pick";

/// One optional column of a row; the customer links to its page.
fn cell_of(r: &ContactListRow, code: &str) -> AnyView {
    let text = |v: &Option<String>| cell(v.clone().unwrap_or_default());
    match code {
        "customer" => view! {
            <td><a href=paths::CUSTOMER.of(r.customer_id)>{r.customer_name.clone()}</a></td>
        }
        .into_any(),
        "title" => text(&r.title),
        "department" => text(&r.department),
        "phone" => text(&r.phone),
        "mobile" => text(&r.mobile),
        "email" => text(&r.email),
        _ => cell(""),
    }
}
