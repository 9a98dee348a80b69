//! 客户索引: one customer's page. Out of scope, or missing, it says 「无权访问」 and nothing more.

use crate::api::activities::ActivityTarget;
use crate::api::customers::{customer, customer_deals, CustomerView, DealQuery, DealsPage};
use crate::components::share_panel::SharePanel;
use crate::i18n::t;
use crate::model::customer::CustomerKind;
use crate::model::share::SubmittedShare;
use crate::model::AppError;
use crate::pages::activities::list::Activities;
use crate::pages::status::{record_page, refusal_page};
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let query = use_query();
    let deal_query = move || {
        query.with(|p| DealQuery {
            group: p.get("deal_group").unwrap_or_default(),
            sort: p.get("deal_sort").unwrap_or_default(),
        })
    };
    let filter = move || query.with(crate::pages::activities::list::filter_of);
    // One resource for the whole page (nested resources can stall a server render).
    let record = Resource::new(
        move || (id(), deal_query(), filter()),
        |(id, q, filter)| async move {
            match id {
                Some(id) => {
                    let mut c = customer(id).await?;
                    let deals = customer_deals(id, q.clone()).await?;
                    // The page's default list came with it; a filtered one is asked for apart.
                    if filter != Default::default() {
                        c.activities = crate::api::activity_list::record_activities(
                            ActivityTarget::Customer(id),
                            filter,
                        )
                        .await?;
                    }
                    Ok((c, deals, q))
                }
                None => Err(AppError::NotFound),
            }
        },
    );
    let share = SharedValue::new(use_context::<SubmittedShare>).into_inner();
    record_page(record, move |(c, deals, q)| {
        view! { <CustomerInfo c deals q share=share.clone()/> }
    })
}

/// 删除: asks first (确定 deletes, 取消 keeps it); a page, so it works without JavaScript.
#[component]
pub fn CustomerDeletePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let record = Resource::new(id, |id| async move {
        match id {
            Some(id) => customer(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(c) if c.can_delete => view! {
                        <section class="page confirm" role="alertdialog" aria-labelledby="confirm-title">
                            <h1 id="confirm-title">{t("customer.delete_confirm")}</h1>
                            <p class="confirm-name">{c.name.clone()}</p>
                            <form method="post" action=paths::CUSTOMER_DELETE.of(c.id) class="inline-form">
                                <button type="submit" class="primary danger">{t("common.confirm")}</button>
                            </form>
                            <a href=paths::CUSTOMER.of(c.id) class="button secondary">{t("common.cancel")}</a>
                        </section>
                    }.into_any(),
                    Ok(_) => refusal_page(AppError::Forbidden),
                    Err(e) => refusal_page(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CustomerInfo(
    c: CustomerView,
    deals: DealsPage,
    q: DealQuery,
    share: Option<SubmittedShare>,
) -> impl IntoView {
    let row = |key: &'static str, value: Option<String>| {
        view! {
            <div class="info-row">
                <dt>{t(key)}</dt>
                <dd>{value.unwrap_or_default()}</dd>
            </div>
        }
    };
    // A merge comes back here: say it was done.
    let merged = use_query().with_untracked(|q| q.get("merged").is_some());
    view! {
        <section class="page customer-page">
            {merged.then(|| view! { <p class="notice" role="status">{t("merge.done")}</p> })}
            <div class="page-head">
                <h1>{c.name.clone()}</h1>
                <PrintButton/>
                {c.can_edit.then(|| {
                    let potential = c.kind == CustomerKind::Potential;
                    view! {
                        <div class="actions">
                            <a href=paths::CUSTOMER_EDIT.of(c.id) class="button">{t("common.edit")}</a>
                            {potential.then(|| view! {
                                <form method="post" action=paths::CUSTOMER_CONVERT.of(c.id) class="inline-form">
                                    <button type="submit" class="secondary">{t("customer.convert")}</button>
                                </form>
                            })}
                            <a href=format!("/customers/new?copy={}", c.id) class="button secondary">{t("customer.copy")}</a>
                            <a href=format!("{}?a={}", paths::CUSTOMER_MERGE.path(), c.id) class="button secondary">{t("merge.link")}</a>
                            {c.can_delete.then(|| view! {
                                <a href=paths::CUSTOMER_DELETE.of(c.id) class="button secondary">{t("common.delete")}</a>
                            })}
                        </div>
                    }
                })}
            </div>
            <dl class="info-grid">
                {row("customer.name", Some(c.name.clone()))}
                {row("customer.industry", Some(c.industry.clone()))}
                {row("customer.level", Some(c.level.clone()))}
                {row("customer.kind", Some(t(c.kind.label_key()).to_owned()))}
                {row("customer.owner", Some(c.owner.clone()))}
                {row("customer.dept", Some(c.dept.clone()))}
                {row("customer.registered_on", Some(c.registered_on.clone()))}
                {row("customer.website", c.website.clone())}
                {row("customer.phone", c.phone.clone())}
                {row("customer.fax", c.fax.clone())}
                {row("customer.address", c.address.clone())}
                {row("customer.notes", c.notes.clone())}
            </dl>
            // Erased, to keep the page's view type shallow enough to compile.
            {view! { <Overview deals=c.deals.clone()/> }.into_any()}
            {view! { <Deals id=c.id page=deals q/> }.into_any()}
            {c.sharing.clone().map(|sharing| view! { <SharePanel sharing submitted=share.clone()/> })}
            <div class="panel" id="contacts">
                <div class="panel-head">
                    <h2>{t("contact.list")}</h2>
                    {c.can_edit.then(|| view! {
                        <a href=paths::CUSTOMER_CONTACT_NEW.of(c.id) class="link-button">{t("contact.new")}</a>
                    })}
                </div>
                <div class="panel-body table-wrap">
                    {let can_edit = c.can_edit; if c.contacts.is_empty() {
                        view! { <p class="notice">{t("contact.none")}</p> }.into_any()
                    } else {
                        view! {
                            <table class="list">
                                <thead>
                                    <tr>
                                        <th>{t("contact.name")}</th>
                                        <th>{t("contact.title")}</th>
                                        <th>{t("contact.department")}</th>
                                        <th>{t("customer.phone")}</th>
                                        <th>{t("contact.mobile")}</th>
                                        <th>{t("contact.email")}</th>
                                        {can_edit.then(|| view! { <th></th> })}
                                    </tr>
                                </thead>
                                <tbody>
                                    {c.contacts.clone().into_iter().map(|k| view! {
                                        <tr>
                                            <td>{k.name}</td>
                                            <td>{k.title.unwrap_or_default()}</td>
                                            <td>{k.department.unwrap_or_default()}</td>
                                            <td>{k.phone.unwrap_or_default()}</td>
                                            <td>{k.mobile.unwrap_or_default()}</td>
                                            <td>{k.email.unwrap_or_default()}</td>
                                            {can_edit.then(|| view! { <td><ContactActions id=k.id/></td> })}
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                </div>
            </div>
            {view! { <Activities list=c.activities.clone() target=ActivityTarget::Customer(c.id)/> }.into_any()}
            {view! { <crate::components::contact_graph::ContactGraphPanel customer_id=c.id graph=c.graph.clone()/> }.into_any()}
            {view! { <crate::components::outreach_log::OutreachLog customer_id=c.id log=c.outreach.clone() can_send=c.can_edit/> }.into_any()}
            {view! { <crate::components::record_files::FilesPanel files=c.files.clone() post_to=crate::paths::CUSTOMER_FILES.of(c.id)/> }.into_any()}
        </section>
    }
}

/// 交易概览: count and expected amount of the customer's opportunities per group.
#[component]
fn Overview(deals: Vec<crate::api::customers::DealView>) -> impl IntoView {
    use crate::model::opportunity::Fen;
    let overview = GROUPS
        .iter()
        .take(3)
        .map(|(group, key)| {
            let of: Vec<_> = deals.iter().filter(|d| d.group == *group).collect();
            // Signed ones count their 签约金额; the others what is expected.
            let sum: i64 = of
                .iter()
                .filter_map(|d| d.signed_amount_fen.or(d.expected_amount_fen))
                .sum();
            view! {
                <div class="overview-cell" data-group=*group>
                    <dt>{t(key)}</dt>
                    <dd>
                        <span class="count">{of.len()}</span>
                        " · "
                        <span class="amount">{Fen(sum).to_yuan()}</span>
                    </dd>
                </div>
            }
        })
        .collect_view();
    // 报价: the newest version of each deal still in progress.
    let quoted: Vec<i64> = deals
        .iter()
        .filter(|d| d.group == "active")
        .filter_map(|d| d.quote.map(|(_, fen)| fen))
        .collect();
    let quoted = view! {
        <div class="overview-cell" data-group="quoted">
            <dt>{t("deal.quoted")}</dt>
            <dd>
                <span class="count">{quoted.len()}</span>
                " · "
                <span class="amount">{Fen(quoted.iter().sum()).to_yuan()}</span>
            </dd>
        </div>
    };
    view! {
        <div class="panel" id="overview">
            <div class="panel-head"><h2>{t("deal.overview")}</h2></div>
            <dl class="overview panel-body">{overview}{quoted}</dl>
        </div>
    }
}

const GROUPS: [(&str, &str); 4] = [
    ("active", "deal.active"),
    ("signed", "deal.signed"),
    ("terminated", "deal.terminated"),
    ("voided", "status.voided"),
];

/// 交易明细: every opportunity of the customer, filtered by group (过滤), sorted by a column
/// head, columns chosen per user; all by address, so it works without JavaScript.
#[component]
fn Deals(id: i64, page: DealsPage, q: DealQuery) -> impl IntoView {
    use crate::components::column_chooser::ColumnChooser;
    use crate::model::columns::DEAL_LIST;
    use crate::model::opportunity::Fen;
    let href = move |q: &DealQuery| {
        format!(
            "{}#deals",
            crate::pages::address(
                &paths::CUSTOMER.of(id),
                &[("deal_group", &q.group), ("deal_sort", &q.sort)]
            )
        )
    };
    let shown = page.columns.clone();
    let shown = move |code: &str| shown.iter().any(|c| c == code);
    let filters = std::iter::once(("", "form.all"))
        .chain(GROUPS.iter().copied())
        .map(|(group, key)| {
            let mut to = q.clone();
            to.group = group.to_owned();
            view! { <a href=href(&to) class:active=q.group == group>{t(key)}</a> }
        })
        .collect_view();
    let head = |code: &'static str, label: &'static str| {
        let mut to = q.clone();
        to.sort = if q.sort == code {
            format!("{code}_desc")
        } else {
            code.to_owned()
        };
        let mark = if q.sort == code {
            " ▲"
        } else if q.sort == format!("{code}_desc") {
            " ▼"
        } else {
            ""
        };
        view! { <th scope="col"><a href=href(&to) class="sort">{t(label)}{mark}</a></th> }
    };
    let heads = DEAL_LIST
        .columns
        .iter()
        .filter(|c| shown(c.code))
        .map(|c| head(c.code, c.label_key))
        .collect_view();
    let back = href(&q).replace("#deals", "");
    let empty = page.rows.is_empty();
    let rows = page
        .rows
        .into_iter()
        .map(|d| {
            let cells: Vec<String> = DEAL_LIST
                .columns
                .iter()
                .filter(|c| shown(c.code))
                .map(|c| match c.code {
                    "status" => t(d.status.label_key()).to_owned(),
                    "stage" => t(d.stage.label_key()).to_owned(),
                    "owner" => d.owner.clone(),
                    "amount" => d
                        .expected_amount_fen
                        .map(|f| Fen(f).to_yuan())
                        .unwrap_or_default(),
                    "created" => d.created_on.clone(),
                    "quote" => d
                        .quote
                        .map(|(version, fen)| {
                            format!("{} ({} {version})", Fen(fen).to_yuan(), t("quote.version"))
                        })
                        .unwrap_or_default(),
                    _ => String::new(),
                })
                .collect();
            view! {
                <tr>
                    <td><a href=paths::OPPORTUNITY.of(d.id)>{d.name.clone()}</a></td>
                    {cells.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="panel" id="deals">
            <div class="panel-head"><h2>{t("deal.details")}</h2></div>
            <div class="panel-body table-wrap">
                <nav class="tabs no-print" aria-label=t("deal.filter")>{filters}</nav>
                <ColumnChooser list=&DEAL_LIST visible=page.columns.clone() back/>
                <table class="list deals">
                    <thead><tr>{head("name", "opportunity.name")}{heads}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                {empty.then(|| view! { <p class="notice">{t("deal.none")}</p> })}
            </div>
        </div>
    }
}

/// 打印: the browser's print dialog; the print style sheet leaves only the record. (Without
/// JavaScript the browser's own print command gives the same page.)
#[component]
pub(crate) fn PrintButton() -> impl IntoView {
    view! {
        <button type="button" class="secondary no-print" on:click=move |_| {
            let _ = window().print();
        }>
            {t("common.print")}
        </button>
    }
}

/// 编辑 / 删除 of one contact. With JavaScript the browser asks before deleting.
#[component]
fn ContactActions(id: i64) -> impl IntoView {
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        let ok = window()
            .confirm_with_message(t("contact.delete_confirm"))
            .unwrap_or(false);
        if !ok {
            ev.prevent_default();
        }
    };
    view! {
        <a href=paths::CONTACT_EDIT.of(id) class="link-button">{t("common.edit")}</a>
        <form method="post" action=paths::CONTACT_DELETE.of(id) class="inline-form no-print"
            on:submit=confirm>
            <button type="submit" class="link-button">{t("common.delete")}</button>
        </form>
    }
}
