//! 显示/隐藏列: a list's optional columns as checkboxes, posted to the server, which keeps the
//! choice for the user and shows the list again (a plain form: works without JavaScript).

use crate::i18n::t;
use crate::model::columns::ListColumns;
use crate::paths;
use leptos::prelude::*;

#[component]
pub fn ColumnChooser(
    list: &'static ListColumns,
    /// The codes shown now.
    visible: Vec<String>,
    /// The list's address, to come back to.
    back: String,
) -> impl IntoView {
    view! {
        <details class="column-chooser">
            <summary>{t("list.columns")}</summary>
            <form method="post" action=paths::COLUMNS.path()>
                <input type="hidden" name="list" value=list.list/>
                <input type="hidden" name="back" value=back/>
                {list
                    .columns
                    .iter()
                    .map(|c| {
                        let id = format!("col-{}-{}", list.list, c.code);
                        let checked = visible.iter().any(|v| v == c.code);
                        view! {
                            <label for=id.clone() class="inline">
                                <input id=id.clone() type="checkbox" name="col" value=c.code checked=checked/>
                                {t(c.label_key)}
                            </label>
                        }
                    })
                    .collect_view()}
                <button type="submit">{t("list.columns.apply")}</button>
            </form>
        </details>
    }
}
