//! 销售活动: every activity of the customers the viewer may see, queried by 类型, 日期, 客户,
//! 商机, 负责人 and 完成状态 (a GET form, so a query is an address and works without
//! JavaScript), sorted by a column head, keyset-paged, columns chosen per user.

use super::list::{head_of, sort_state, ActivityRowView, STATES};
use crate::api::activity_list::{list_activities, ActivityListPage, ActivityListQuery};
use crate::components::column_chooser::ColumnChooser;
use crate::components::list_page::{
    ChoiceField, DateRange, ListQuery, ListTable, QueryForm, SearchField,
};
use crate::components::person_field::PersonField;
use crate::i18n::t;
use crate::model::activity::ActivityKind;
use crate::model::columns::ACTIVITY_LIST;
use crate::query::use_query;
use leptos::prelude::*;

impl ListQuery for ActivityListQuery {
    const PATH: &'static str = "/activities";

    fn first_page(&self) -> Self {
        Self {
            after_id: String::new(),
            after_key: String::new(),
            ..self.clone()
        }
    }
}

#[component]
pub fn ActivityListPage() -> impl IntoView {
    let params = use_query();
    let query = move || params.with(ActivityListQuery::from_address);
    let page = Resource::new(query, list_activities);
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{t("activity.title")}</h1>
            </div>
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
fn ListView(q: ActivityListQuery, result: ActivityListPage) -> impl IntoView {
    let next = result.next.clone().map(|(id, key)| {
        ActivityListQuery {
            after_id: id.to_string(),
            after_key: key,
            ..q.clone()
        }
        .href()
    });
    let columns: Vec<&'static str> = ACTIVITY_LIST
        .columns
        .iter()
        .filter(|c| result.columns.iter().any(|v| v == c.code))
        .map(|c| c.code)
        .collect();
    let sorted = q.clone();
    let sort_head = move |code: &'static str, label: &'static str| {
        let (aria, mark, next) = sort_state(&sorted.sort, code);
        let to = ActivityListQuery {
            sort: next,
            ..sorted.first_page()
        };
        view! { <th scope="col" aria-sort=aria><a href=to.href() class="sort">{t(label)}{mark}</a></th> }
            .into_any()
    };
    let heads = std::iter::once(sort_head("date", "activity.date"))
        .chain(columns.iter().map(|code| head_of(code, &sort_head)))
        .chain(std::iter::once(
            view! { <th scope="col" class="no-print"></th> }.into_any(),
        ))
        .collect();
    let row = move |a| view! { <ActivityRowView a columns=columns.clone()/> }.into_any();
    let kinds = ActivityKind::ALL
        .iter()
        .map(|k| (k.code().to_owned(), t(k.label_key()).to_owned()))
        .collect();
    let states = STATES
        .iter()
        .map(|(code, key)| ((*code).to_owned(), t(key).to_owned()))
        .collect();
    // The list as it is now, from its first page: where the column chooser comes back to.
    let back = q.first_page().href();
    view! {
        <QueryForm action=ActivityListQuery::PATH>
            <ChoiceField id="q-kind" name="kind" label="activity.kind" choices=kinds chosen=q.kind.clone()/>
            <DateRange from=q.from.clone() to=q.to.clone()/>
            <SearchField id="q-customer" name="customer" label="activity.customer" value=q.customer.clone()/>
            <SearchField id="q-opportunity" name="opportunity" label="activity.opportunity" value=q.opportunity.clone()/>
            {result.owner.clone().map(|lookup| view! {
                <PersonField id="q-owner" name="owner" id_name="owner_id" label="activity.owner"
                    lookup/>
            })}
            <ChoiceField id="q-status" name="status" label="activity.status" choices=states chosen=q.status.clone()/>
            <input type="hidden" name="sort" value=q.sort.clone()/>
        </QueryForm>
        <ColumnChooser list=&ACTIVITY_LIST visible=result.columns.clone() back/>
        <ListTable heads rows=result.rows row empty="activity.none" next class="activities"/>
    }
}
