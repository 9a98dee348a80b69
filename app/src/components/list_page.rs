//! What the list pages share (客户管理, 联系人, 商机管理, 任务): the conditions are the page's
//! address (a GET form, so a query is a link and works without JavaScript), the query form and
//! its fields, the table of the columns shown, and keyset paging with 下一页.

use crate::i18n::t;
use crate::model::columns::{Column, ListColumns};
use crate::model::posted::FormBody;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A list's conditions, read from the page's address and written into its links. Every
/// field is text and defaults to empty (absent from the address).
pub trait ListQuery: Clone + Default + Serialize + DeserializeOwned {
    /// The list's path.
    const PATH: &'static str;

    /// The same conditions from their first page (the paging cursor cleared).
    fn first_page(&self) -> Self;

    /// The conditions of the address the page was opened at.
    fn from_address(params: &crate::query::Query) -> Self {
        FormBody::new(params.encoded()).read()
    }

    /// The address of these conditions: the non-empty ones, percent-encoded, in order.
    fn href(&self) -> String {
        let body = serde_html_form::to_string(self).unwrap_or_default();
        let pairs: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect();
        let pairs: Vec<(&str, &String)> = pairs.iter().map(|(k, v)| (k.as_str(), v)).collect();
        crate::pages::address(Self::PATH, &pairs)
    }
}

/// 导出 of every row `q` finds (not only this page), as `format` (`csv` or `xlsx`), from the
/// list's export address.
pub fn export_href<Q: ListQuery>(q: &Q, export_path: &str, format: &str) -> String {
    let href = q.first_page().href();
    let conditions = href.split_once('?').map_or("", |(_, rest)| rest);
    let base = format!("{export_path}?format={format}");
    match conditions {
        "" => base,
        rest => format!("{base}&{rest}"),
    }
}

/// The 导出 CSV / 导出 Excel links of a list, each a download (outside the client router).
#[component]
pub fn ExportLinks(
    href: impl Fn(&'static str) -> String + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let xlsx = href.clone();
    view! {
        <a href=move || href("csv") class="button secondary" rel="external" download="">{crate::i18n::t("export.csv")}</a>
        <a href=move || xlsx("xlsx") class="button secondary" rel="external" download="">{crate::i18n::t("export.xlsx")}</a>
    }
}

/// The columns of `list` the user shows, in the list's order.
pub fn shown(list: &'static ListColumns, visible: &[String]) -> Vec<&'static Column> {
    list.columns
        .iter()
        .filter(|c| visible.iter().any(|v| v == c.code))
        .collect()
}

/// A query form: its fields, then 查询.
#[component]
pub fn QueryForm(action: &'static str, children: Children) -> impl IntoView {
    view! {
        <form method="get" action=action class="query-form">
            {children()}
            <button type="submit" class="primary">{t("query.submit")}</button>
        </form>
    }
}

/// A text condition (名称, 客户, 电话 …).
#[component]
pub fn SearchField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    value: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <input id=id name=name type="search" value=value/>
        </div>
    }
}

/// A choice among `choices` (value, label), or 全部.
#[component]
pub fn ChoiceField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    choices: Vec<(String, String)>,
    chosen: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <select id=id name=name>
                <option value="">{t("form.all")}</option>
                {choices
                    .into_iter()
                    .map(|(value, label)| {
                        let selected = chosen == value;
                        view! { <option value=value selected=selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Choices of ids and names, as [`ChoiceField`] takes them.
pub fn id_choices(items: &[(i64, String)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(id, label)| (id.to_string(), label.clone()))
        .collect()
}

/// 开始日期 – 结束日期.
#[component]
pub fn DateRange(from: String, to: String) -> impl IntoView {
    view! {
        <div class="field">
            <label for="q-from">{t("query.date_from")}</label>
            <input id="q-from" name="from" type="date" value=from/>
        </div>
        <div class="field">
            <label for="q-to">{t("query.date_to")}</label>
            <input id="q-to" name="to" type="date" value=to/>
        </div>
    }
}

/// A column head.
pub fn head(label: &'static str) -> AnyView {
    view! { <th scope="col">{t(label)}</th> }.into_any()
}

/// A list's table: its heads, a row per record (see [`cell`]), a notice when nothing matched,
/// and 下一页 (`next`) when there is more.
#[component]
pub fn ListTable<R, F>(
    heads: Vec<AnyView>,
    rows: Vec<R>,
    /// A record's `<tr>`.
    row: F,
    /// The notice when nothing matched.
    empty: &'static str,
    next: Option<String>,
    #[prop(optional)] class: &'static str,
) -> impl IntoView
where
    R: 'static,
    F: Fn(R) -> AnyView + 'static,
{
    let none = rows.is_empty();
    view! {
        <div class="table-wrap">
            <table class=format!("list {class}")>
                <thead>
                    <tr>{heads}</tr>
                </thead>
                <tbody>{rows.into_iter().map(row).collect_view()}</tbody>
            </table>
        </div>
        {none.then(|| view! { <p class="notice">{t(empty)}</p> })}
        {next.map(|href| view! { <p class="pager"><a href=href>{t("query.next_page")}</a></p> })}
    }
}

/// A plain cell.
pub fn cell(text: impl Into<String>) -> AnyView {
    let text: String = text.into();
    view! { <td>{text}</td> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Query {
        name: String,
        kind: String,
        after_id: String,
    }

    impl ListQuery for Query {
        const PATH: &'static str = "/things";

        fn first_page(&self) -> Self {
            Self {
                after_id: String::new(),
                ..self.clone()
            }
        }
    }

    #[test]
    fn an_address_keeps_the_conditions_set_encoded_and_in_order() {
        let q = Query {
            name: "石家庄 & 保定+1".into(),
            after_id: "42".into(),
            ..Default::default()
        };
        assert_eq!(
            q.href(),
            "/things?name=%E7%9F%B3%E5%AE%B6%E5%BA%84%20%26%20%E4%BF%9D%E5%AE%9A%2B1&after_id=42"
        );
        assert_eq!(
            q.first_page().href(),
            "/things?name=%E7%9F%B3%E5%AE%B6%E5%BA%84%20%26%20%E4%BF%9D%E5%AE%9A%2B1"
        );
        assert_eq!(Query::default().href(), "/things");
    }

    #[test]
    fn the_conditions_come_back_from_their_address() {
        let q = Query {
            name: "石家庄 & 保定+1 %41".into(),
            kind: "transaction".into(),
            after_id: "42".into(),
        };
        let href = q.href();
        let query = href.split_once('?').map(|(_, q)| q).unwrap_or_default();
        assert_eq!(Query::from_address(&crate::query::Query::parse(query)), q);
    }
}
