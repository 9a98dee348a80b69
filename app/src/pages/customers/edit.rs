//! 客户信息编辑: the stored values in the customer form. A save over a newer version comes back
//! with 「数据已被他人修改」 and everything typed.

use super::new::CustomerFormView;
use crate::api::customers::{load_customer_edit, SubmittedCustomer};
use crate::i18n::t;
use crate::model::AppError;
use crate::pages::status::refusal_page;
use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CustomerEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let submitted = SharedValue::new(use_context::<SubmittedCustomer>).into_inner();
    let edit = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_customer_edit(id).await.map(|e| (id, e)),
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
            {
                let submitted = submitted.clone();
                move || {
                    let submitted = submitted.clone();
                    Suspend::new(async move {
                        match edit.await {
                            Ok((id, edit)) => {
                                // A refused save shows what was typed, not what is stored.
                                let submitted = submitted.unwrap_or(SubmittedCustomer {
                                    form: edit.form,
                                    errors: Vec::new(),
                                    owner: None,
                                });
                                view! {
                                    <section class="page">
                                        <h1>{t("customer.edit")}</h1>
                                        <CustomerFormView
                                            options=edit.options
                                            submitted
                                            action=paths::CUSTOMER_EDIT.of(id)
                                            version=edit.version
                                        />
                                    </section>
                                }
                                .into_any()
                            }
                            Err(e) => refusal_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}
