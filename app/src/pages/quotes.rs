//! 报价: the panel of versions on an opportunity page, a version's page (its lines as a form
//! while it is the newest and not sent, read-only otherwise; 标记已发送, 新版本, 设为预计金额),
//! and its print view. Plain forms throughout: everything works without JavaScript.

use crate::api::quotes::{load_quote, QuotePanel, QuoteSummary, QuoteView, SubmittedQuote};
use crate::i18n::t;
use crate::model::customer::FieldError;
use crate::model::opportunity::Fen;
use crate::model::quote::line_field;
use crate::model::AppError;
use crate::pages::customers::detail::PrintButton;
use crate::pages::status::record_page;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Blank rows offered below the lines, for more.
const BLANK_ROWS: usize = 3;

fn yuan(fen: i64) -> String {
    Fen(fen).to_yuan()
}

/// The 报价 panel of an opportunity page.
#[component]
pub fn QuotesPanel(opportunity_id: i64, panel: QuotePanel) -> impl IntoView {
    let label = if panel.rows.is_empty() {
        "quote.new"
    } else {
        "quote.new_version"
    };
    let add = panel.can_quote.then(|| {
        view! {
            <form method="post" action=paths::OPPORTUNITY_QUOTES.of(opportunity_id) class="inline-form no-print">
                <button type="submit" class="secondary">{t(label)}</button>
            </form>
        }
    });
    view! {
        <div class="panel" id="quotes">
            <div class="panel-head">
                <h2>{t("quote.title")}</h2>
                {add}
            </div>
            <div class="panel-body table-wrap">
                <Versions rows=panel.rows current=None/>
            </div>
        </div>
    }
}

/// The versions, newest first; `current` is marked.
#[component]
fn Versions(rows: Vec<QuoteSummary>, current: Option<i64>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="notice">{t("quote.none")}</p> }.into_any();
    }
    let rows = rows
        .into_iter()
        .map(|q| {
            let here = current == Some(q.id);
            view! {
                <tr class:current=here>
                    <td><a href=paths::QUOTE.of(q.id)>{format!("{} {}", t("quote.version"), q.version_no)}</a></td>
                    <td class="amount">{yuan(q.total_fen)}</td>
                    <td>{q.sent_on.map(|d| format!("{} {d}", t("quote.sent")))}</td>
                    <td>{q.creator}</td>
                    <td>{q.created_at}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="list quotes">
            <thead><tr>
                <th scope="col">{t("quote.version")}</th>
                <th scope="col">{t("quote.total")}</th>
                <th scope="col">{t("quote.sent")}</th>
                <th scope="col">{t("activity.creator")}</th>
                <th scope="col">{t("task.created_at")}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn quote_resource() -> Resource<Result<QuoteView, AppError>> {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    Resource::new(id, |id| async move {
        match id {
            Some(id) => load_quote(id).await,
            None => Err(AppError::NotFound),
        }
    })
}

#[component]
pub fn QuotePage() -> impl IntoView {
    let record = quote_resource();
    let submitted = SharedValue::new(use_context::<SubmittedQuote>).into_inner();
    let flash = use_query().with_untracked(|q| {
        if q.get("saved").is_some() {
            Some("quote.saved")
        } else if q.get("applied").is_some() {
            Some("quote.applied")
        } else {
            None
        }
    });
    record_page(record, move |q| {
        view! { <QuoteDetail q submitted=submitted.clone() flash/> }
    })
}

#[component]
fn QuoteDetail(
    q: QuoteView,
    submitted: Option<SubmittedQuote>,
    flash: Option<&'static str>,
) -> impl IntoView {
    let errors = submitted
        .as_ref()
        .map(|s| s.errors.clone())
        .unwrap_or_default();
    let general = errors
        .iter()
        .filter(|e| e.field.is_empty())
        .map(|e| view! { <p class="error" role="alert">{t(&e.key)}</p> })
        .collect_view();
    let s = &q.summary;
    let sent = match &s.sent_on {
        Some(day) => format!("{} {day}", t("quote.sent")),
        None => t("quote.not_sent").to_owned(),
    };
    let id = s.id;
    let send = (q.can_quote && s.newest && s.sent_on.is_none() && !q.lines.is_empty()).then(|| {
        view! {
            <form method="post" action=paths::QUOTE_SENT.of(id) class="inline-form no-print">
                <button type="submit" class="secondary">{t("quote.mark_sent")}</button>
            </form>
        }
    });
    let again = q.can_quote.then(|| {
        view! {
            <form method="post" action=paths::OPPORTUNITY_QUOTES.of(q.opportunity_id) class="inline-form no-print">
                <button type="submit" class="secondary">{t("quote.new_version")}</button>
            </form>
        }
    });
    let apply = (q.can_apply && s.total_fen > 0 && q.expected_amount_fen != Some(s.total_fen))
        .then(|| {
            view! {
                <form method="post" action=paths::QUOTE_APPLY.of(id) class="inline-form no-print">
                    <button type="submit" class="secondary">{t("quote.apply")}</button>
                </form>
            }
        });
    let lines = if q.editable {
        view! { <LinesForm q=q.clone() submitted errors=errors.clone()/> }.into_any()
    } else {
        view! { <LinesTable q=q.clone()/> }.into_any()
    };
    view! {
        <section class="page quote">
            <div class="page-head">
                <h1>{format!("{} · {} {}", t("quote.title"), t("quote.version"), s.version_no)}</h1>
                <a href=paths::QUOTE_PRINT.of(id) class="button secondary no-print">{t("common.print")}</a>
                {send}{again}{apply}
            </div>
            {flash.map(|key| view! { <p class="notice" role="status">{t(key)}</p> })}
            {general}
            <dl class="facts">
                <dt>{t("activity.opportunity")}</dt>
                <dd><a href=format!("{}#quotes", paths::OPPORTUNITY.of(q.opportunity_id))>{q.opportunity_name.clone()}</a></dd>
                <dt>{t("activity.customer")}</dt>
                <dd>{q.customers.join("、")}</dd>
                <dt>{t("quote.status")}</dt>
                <dd class="quote-sent">{sent}</dd>
                <dt>{t("quote.total")}</dt>
                <dd class="quote-total">{yuan(s.total_fen)}</dd>
                <dt>{t("opportunity.expected_amount")}</dt>
                <dd class="expected-amount">{q.expected_amount_fen.map(yuan)}</dd>
            </dl>
            {lines}
            <p class="hint">{t("quote.rounding")}</p>
            <h2>{t("quote.versions")}</h2>
            <Versions rows=q.versions.clone() current=Some(id)/>
        </section>
    }
}

/// A read-only version's lines and total.
#[component]
fn LinesTable(q: QuoteView) -> impl IntoView {
    let rows = q
        .lines
        .into_iter()
        .map(|l| {
            view! {
                <tr>
                    <td>{l.item}</td>
                    <td class="amount">{l.quantity}</td>
                    <td class="amount">{yuan(l.unit_price_fen)}</td>
                    <td class="amount">{l.discount}</td>
                    <td class="amount">{yuan(l.total_fen)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="list quote-lines">
            <thead><LineHeads/></thead>
            <tbody>{rows}</tbody>
            <tfoot><tr>
                <th scope="row" colspan="4">{t("quote.total")}</th>
                <td class="amount quote-total">{yuan(q.summary.total_fen)}</td>
            </tr></tfoot>
        </table>
    }
}

#[component]
fn LineHeads() -> impl IntoView {
    view! {
        <tr>
            <th scope="col">{t("quote.item")}" *"</th>
            <th scope="col">{t("quote.quantity")}" *"</th>
            <th scope="col">{t("quote.unit_price")}" *"</th>
            <th scope="col">{t("quote.discount")}</th>
            <th scope="col">{t("quote.line_total")}</th>
        </tr>
    }
}

/// The newest, unsent version's lines as a form: the lines, then blank rows for more; a
/// refused post comes back with every cell as typed and each refusal beside its cell.
#[component]
fn LinesForm(
    q: QuoteView,
    submitted: Option<SubmittedQuote>,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let rows: Vec<([String; 4], Option<i64>)> =
        match submitted.filter(|s| s.form != Default::default()) {
            Some(s) => s.form.rows().into_iter().map(|r| (r, None)).collect(),
            None => q
                .lines
                .iter()
                .map(|l| {
                    (
                        [
                            l.item.clone(),
                            l.quantity.clone(),
                            Fen(l.unit_price_fen).to_plain(),
                            l.discount.clone(),
                        ],
                        Some(l.total_fen),
                    )
                })
                .collect(),
        };
    let blank = std::iter::repeat_n(([const { String::new() }; 4], None), BLANK_ROWS);
    let rows = rows
        .into_iter()
        .chain(blank)
        .enumerate()
        .map(|(i, (cells, total))| {
            let [item, quantity, price, discount] = cells;
            let error = |field: &str| {
                let name = line_field(i, field);
                errors
                    .iter()
                    .find(|e| e.field == name)
                    .map(|e| view! { <span class="field-error" role="alert">{t(&e.key)}</span> })
            };
            let label = |key: &str| format!("{} {}", t(key), i + 1);
            view! {
                <tr>
                    <td><input name="item" value=item aria-label=label("quote.item") maxlength="200"/>{error("item")}</td>
                    <td><input name="quantity" value=quantity aria-label=label("quote.quantity") inputmode="decimal" size="6"/>{error("quantity")}</td>
                    <td><input name="unit_price" value=price aria-label=label("quote.unit_price") inputmode="decimal" size="10"/>{error("unit_price")}</td>
                    <td><input name="discount" value=discount aria-label=label("quote.discount") inputmode="decimal" size="5"/>{error("discount")}</td>
                    <td class="amount">{total.map(yuan)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <form method="post" action=paths::QUOTE.of(q.summary.id) class="quote-form">
            <input type="hidden" name="version" value=q.revision.to_string()/>
            <table class="list quote-lines">
                <thead><LineHeads/></thead>
                <tbody>{rows}</tbody>
                <tfoot><tr>
                    <th scope="row" colspan="4">{t("quote.total")}</th>
                    <td class="amount quote-total">{yuan(q.summary.total_fen)}</td>
                </tr></tfoot>
            </table>
            <button type="submit" class="primary">{t("opportunity.save")}</button>
        </form>
    }
}

/// 打印: the province company, the customer, the opportunity and the lines, nothing else.
#[component]
pub fn QuotePrintPage() -> impl IntoView {
    let record = quote_resource();
    record_page(record, move |q| {
        let s = q.summary.clone();
        let day = s
            .sent_on
            .clone()
            .unwrap_or_else(|| s.created_at.chars().take(10).collect());
        view! {
            <section class="page quote-print">
                <div class="no-print"><PrintButton/></div>
                <h1>{q.province.clone()}</h1>
                <h2>{t("quote.sheet")}</h2>
                <dl class="facts">
                    <dt>{t("activity.customer")}</dt><dd>{q.customers.join("、")}</dd>
                    <dt>{t("activity.opportunity")}</dt><dd>{q.opportunity_name.clone()}</dd>
                    <dt>{t("quote.version")}</dt><dd>{s.version_no}</dd>
                    <dt>{t("activity.date")}</dt><dd>{day}</dd>
                </dl>
                <LinesTable q=q.clone()/>
                <p class="hint">{t("quote.rounding")}</p>
            </section>
        }
    })
}
