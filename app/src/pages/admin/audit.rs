//! 审计日志: the query as a GET form (用户, 对象 and its 编号, 操作, 日期 from / to), the entries
//! newest first with each change field by field, 下一页, and 导出 (the same query as XLSX).

use crate::api::admin::{load_audit, AuditPage as Page};
use crate::i18n::t;
use crate::model::audit::{label_of, AuditQuery, AuditRow, ACTIONS, ENTITIES};
use crate::model::customer::FieldError;
use crate::pages::address;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query();
    let chosen = move || {
        query.with(|q| AuditQuery {
            user: q.get("user").unwrap_or_default(),
            entity: q.get("entity").unwrap_or_default(),
            entity_id: q.get("entity_id").unwrap_or_default(),
            action: q.get("action").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
            before: q.get("before").unwrap_or_default(),
        })
    };
    let page = Resource::new(chosen, load_audit);
    view! {
        <section class="page audit">
            <p><a href=paths::ADMIN.path()>{t("menu.admin")}</a></p>
            <h1>{t("admin.audit")}</h1>
            <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    let q = chosen();
                    match page.await {
                        Ok(p) => view! { <Listing p q/> }.into_any(),
                        Err(e) => crate::pages::status::refusal_page(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn error_of(errors: &[FieldError], field: &str) -> Option<impl IntoView + use<>> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| view! { <span class="field-error" role="alert">{t(&e.key)}</span> })
}

/// `<option>`s of a list of codes with label keys, after 「全部」.
fn options(list: &[(&'static str, &'static str)], chosen: &str) -> impl IntoView + use<> {
    let rest = list
        .iter()
        .map(|(code, key)| {
            let selected = *code == chosen;
            view! { <option value=*code selected=selected>{t(key)}</option> }
        })
        .collect_view();
    view! {
        <option value="" selected=chosen.is_empty()>{t("form.all")}</option>
        {rest}
    }
}

/// The query's address (for the next page or the export).
fn query_address(path: &str, q: &AuditQuery, before: &String) -> String {
    address(
        path,
        &[
            ("user", &q.user),
            ("entity", &q.entity),
            ("entity_id", &q.entity_id),
            ("action", &q.action),
            ("from", &q.from),
            ("to", &q.to),
            ("before", before),
        ],
    )
}

#[component]
fn Listing(p: Page, q: AuditQuery) -> impl IntoView {
    let next = p
        .next
        .clone()
        .map(|before| query_address(paths::ADMIN_AUDIT.path(), &q, &before));
    let export = query_address(paths::ADMIN_AUDIT_EXPORT.path(), &q, &String::new());
    let errors = p.errors.clone();
    let rows = p
        .rows
        .into_iter()
        .map(|r| view! { <Row r/> })
        .collect_view();
    view! {
        <form method="get" action=paths::ADMIN_AUDIT.path() class="query-form">
            <div class="field">
                <label for="user">{t("audit.actor")}</label>
                <input id="user" name="user" type="search" value=q.user.clone() placeholder=t("lookup.placeholder")/>
                {error_of(&errors, "user")}
            </div>
            <div class="field">
                <label for="entity">{t("audit.entity")}</label>
                <select id="entity" name="entity">{options(ENTITIES, &q.entity)}</select>
            </div>
            <div class="field">
                <label for="entity_id">{t("audit.entity_id")}</label>
                <input id="entity_id" name="entity_id" type="text" value=q.entity_id.clone()/>
            </div>
            <div class="field">
                <label for="action">{t("audit.action")}</label>
                <select id="action" name="action">{options(ACTIONS, &q.action)}</select>
            </div>
            <div class="field">
                <label for="from">{t("audit.from")}</label>
                <input id="from" name="from" type="date" value=q.from.clone()/>
                {error_of(&errors, "from")}
            </div>
            <div class="field">
                <label for="to">{t("audit.to")}</label>
                <input id="to" name="to" type="date" value=q.to.clone()/>
                {error_of(&errors, "to")}
            </div>
            <button type="submit" class="primary">{t("query.submit")}</button>
            <a href=export class="link-button" rel="external" download="">{t("audit.export")}</a>
        </form>
        <div class="table-wrap">
            <table class="list audit-log">
                <thead><tr>
                    <th>{t("audit.at")}</th>
                    <th>{t("audit.actor")}</th>
                    <th>{t("audit.action")}</th>
                    <th>{t("audit.entity")}</th>
                    <th>{t("audit.client_addr")}</th>
                    <th>{t("audit.changes")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {next.map(|href| view! { <a href=href class="link-button">{t("query.next_page")}</a> })}
    }
}

#[component]
fn Row(r: AuditRow) -> impl IntoView {
    let named = |list: &[(&'static str, &'static str)], code: &str| match label_of(list, code) {
        Some(key) => t(key).to_owned(),
        None => code.to_owned(),
    };
    let changes = r
        .changes
        .into_iter()
        .map(|c| {
            view! {
                <li>
                    {(!c.field.is_empty()).then(|| view! { <span class="field-name">{c.field.clone()}</span>": " })}
                    <del>{c.before}</del>" → "<ins>{c.after}</ins>
                </li>
            }
        })
        .collect_view();
    view! {
        <tr data-id=r.id.to_string()>
            <td>{r.at}</td>
            <td>{r.actor}</td>
            <td>{named(ACTIONS, &r.action)}</td>
            <td>{named(ENTITIES, &r.entity)}" "{r.entity_id}</td>
            <td>{r.client_addr}</td>
            <td class="wrap"><ul class="changes">{changes}</ul></td>
        </tr>
    }
}
