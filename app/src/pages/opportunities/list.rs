//! 商机管理: 我的商机 / 全部 (in my scope) / 共享给我的, query conditions as a GET form, keyset
//! paging, columns chosen per user, and 报备商机. Live: a step decided elsewhere refreshes it.

use crate::api::opportunities::{
    list_opportunities, OpportunityListPage, OpportunityListQuery, OpportunityListRow,
};
use crate::components::batch_form::{box_head, row_box, BatchForm};
use crate::components::column_chooser::ColumnChooser;
use crate::components::list_page::{
    cell, head, id_choices, shown, ChoiceField, DateRange, ListQuery, ListTable, QueryForm,
    SearchField,
};
use crate::components::live::Live;
use crate::components::person_field::PersonField;
use crate::i18n::t;
use crate::model::batch::{BatchAction, SubmittedBatch};
use crate::model::columns::OPPORTUNITY_LIST;
use crate::model::opportunity::Status;
use crate::model::tabs::OpportunityTab;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

impl ListQuery for OpportunityListQuery {
    const PATH: &'static str = "/opportunities";

    fn first_page(&self) -> Self {
        Self {
            after_id: String::new(),
            ..self.clone()
        }
    }
}

#[component]
pub fn OpportunityListPage() -> impl IntoView {
    let params = use_query();
    let query = move || params.with(OpportunityListQuery::from_address);
    let live = Live::revision();
    let page = Resource::new(
        move || (query(), live.get()),
        |(q, _)| list_opportunities(q),
    );
    let submitted = SharedValue::new(use_context::<SubmittedBatch>).into_inner();
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{t("opportunity.list")}</h1>
                <a href=paths::OPPORTUNITY_NEW.path() class="button">{t("opportunity.new")}</a>
                <crate::components::list_page::ExportLinks href=move |format| {
                    crate::components::list_page::export_href(&query(), paths::OPPORTUNITY_EXPORT.path(), format)
                }/>
            </div>
            <Transition fallback=|| view! { <p>{t("common.loading")}</p> }>
                {move || {
                    let submitted = submitted.clone();
                    Suspend::new(async move {
                    let q = query();
                    match page.await {
                        Ok(result) => view! { <ListView q result submitted/> }.into_any(),
                        Err(e) => view! { <p class="error">{t(e.message_key())}</p> }.into_any(),
                    }
                })}}
            </Transition>
        </section>
    }
}

fn cell_of(r: &OpportunityListRow, code: &str) -> String {
    match code {
        "customer" => r.customer.clone(),
        "business_type" => r.business_type.clone(),
        "status" => t(r.status.label_key()).to_owned(),
        "stage" => t(r.stage.label_key()).to_owned(),
        "owner" => r.owner.clone(),
        "expected_amount" => r.expected_amount.clone().unwrap_or_default(),
        "created_on" => r.created_on.clone(),
        _ => String::new(),
    }
}

#[component]
fn ListView(
    q: OpportunityListQuery,
    result: OpportunityListPage,
    submitted: Option<SubmittedBatch>,
) -> impl IntoView {
    let tab = OpportunityTab::of(&q.tab);
    let next = result.next.map(|id| {
        OpportunityListQuery {
            after_id: id.to_string(),
            ..q.clone()
        }
        .href()
    });
    let statuses: Vec<(String, String)> = Status::ALL
        .iter()
        .map(|s| (s.code().to_owned(), t(s.label_key()).to_owned()))
        .collect();
    let columns = shown(&OPPORTUNITY_LIST, &result.columns);
    let heads = [box_head(), head("opportunity.name")]
        .into_iter()
        .chain(columns.iter().map(|c| head(c.label_key)))
        .collect();
    let ticked = submitted.clone();
    let row = move |r: OpportunityListRow| {
        let cells = columns
            .iter()
            .map(|c| cell(cell_of(&r, c.code)))
            .collect_view();
        view! {
            <tr>
                {row_box(r.id, r.name.clone(), &ticked)}
                <td><a href=paths::OPPORTUNITY.of(r.id)>{r.name.clone()}</a></td>
                {cells}
            </tr>
        }
        .into_any()
    };
    // The list as it is now, from its first page: where the column chooser comes back to.
    let back = q.first_page().href();
    let batch = crate::pages::customers::list::batch_action(&back, paths::OPPORTUNITY_BATCH.path());
    view! {
        <nav class="tabs">
            {OpportunityTab::ALL
                .iter()
                .map(|&each| view! {
                    <a href=format!("/opportunities?tab={}", each.code()) class:active=tab == each>
                        {t(each.label_key())}
                    </a>
                })
                .collect_view()}
        </nav>
        <QueryForm action=OpportunityListQuery::PATH>
            <input type="hidden" name="tab" value=tab.code()/>
            <SearchField id="q-name" name="name" label="opportunity.name" value=q.name.clone()/>
            <SearchField id="q-customer" name="customer" label="opportunity.customer" value=q.customer.clone()/>
            <ChoiceField id="q-type" name="business_type_id" label="opportunity.business_type"
                choices=id_choices(&result.business_types) chosen=q.business_type_id.clone()/>
            <ChoiceField id="q-status" name="status" label="opportunity.status" choices=statuses chosen=q.status.clone()/>
            {result.owner.clone().filter(|_| tab != OpportunityTab::Mine).map(|lookup| view! {
                <PersonField id="q-owner" name="owner" id_name="owner_id" label="opportunity.owner"
                    lookup/>
            })}
            <DateRange from=q.from.clone() to=q.to.clone()/>
            <ChoiceField id="q-suggestion" name="suggestion" label="evaluation.suggestion"
                choices=suggestions() chosen=q.suggestion.clone()/>
        </QueryForm>
        <ColumnChooser list=&OPPORTUNITY_LIST visible=result.columns.clone() back/>
        <BatchForm action=batch actions=&BatchAction::OPPORTUNITIES editable_label="share.collaborate"
            submitted/>
        <ListTable heads rows=result.rows row empty="opportunity.none" next/>
    }
}

/// 评估建议 as a condition: 跟进 or 放弃.
fn suggestions() -> Vec<(String, String)> {
    use crate::model::evaluation::Suggestion;
    [Suggestion::Follow, Suggestion::Drop]
        .into_iter()
        .map(|s| (s.code().to_owned(), t(s.label_key()).to_owned()))
        .collect()
}
