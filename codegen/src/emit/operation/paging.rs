//! Paginators and waiters, as methods of an operation's fluent builder.

use proc_macro2::TokenStream;
use quote::quote;

use super::OperationParts;
use crate::companions::{AcceptorState, Matcher, Paginator, Waiter};
use crate::emit::{Ctx, Uses, name};
use crate::names::{field_name, module_name};

/// `into_paginator()` and the paginator type, when the operation pages.
pub fn paginator(ctx: &Ctx<'_>, parts: &OperationParts<'_>, uses: &mut Uses) -> TokenStream {
    let Some(paginator) = ctx.companions.paginator(&parts.op.name) else {
        return quote!();
    };
    uses.add_all("brisk_runtime::paginator", &["Pages", "TokenAccess"]);
    let builder = name(&parts.builder_name);
    let paginator_name = name(&format!(
        "{}Paginator",
        parts.builder_name.trim_end_matches("FluentBuilder")
    ));
    let input = name(&parts.input_name);
    let input_token = name(&field_name(&paginator.input_token));
    let output_token = name(&field_name(&paginator.output_token));
    let docs = paginator_docs(parts, paginator);
    let page_size = page_size(ctx, parts, paginator, uses);
    let items = items(ctx, parts, paginator, uses);
    quote! {
        impl #builder {
            /// Every page of this call, as a stream; see the paginator's docs.
            pub fn into_paginator(self) -> #paginator_name {
                #paginator_name {
                    handle: self.handle,
                    input: self.input,
                }
            }
        }

        #(#[doc = #docs])*
        #[derive(Clone, Debug)]
        pub struct #paginator_name {
            handle: Handle,
            input: #input,
        }

        impl #paginator_name {
            #page_size

            /// Every page, as a stream.
            pub fn send(self) -> Pages<#input> {
                let token = TokenAccess {
                    set: |input: &mut #input, token| input.#input_token = token,
                    get: |output| output.#output_token.clone(),
                };
                Pages::new(self.handle, self.input, token)
            }

            #items
        }
    }
}

fn paginator_docs(parts: &OperationParts<'_>, paginator: &Paginator) -> Vec<String> {
    let mut docs = vec![format!(
        " Pages through `{}`, sending each page's `{}` back as `{}` until the service sends none (or repeats one).",
        parts.op.name, paginator.output_token, paginator.input_token
    )];
    if paginator.inferred {
        docs.push(String::new());
        docs.push(format!(
            " Inferred: the model declares no paginator for `{}`; its input and output share the token member `{}`{}.",
            parts.op.name,
            paginator.input_token,
            paginator
                .items
                .as_ref()
                .map(|items| format!(" and its output has one list, `{}`", items.join(".")))
                .unwrap_or_default()
        ));
    }
    docs
}

fn page_size(
    ctx: &Ctx<'_>,
    parts: &OperationParts<'_>,
    paginator: &Paginator,
    uses: &mut Uses,
) -> TokenStream {
    let Some(limit) = &paginator.limit_key else {
        return quote!();
    };
    let Some(member) = parts
        .input_struct()
        .members
        .iter()
        .find(|m| &m.name == limit)
    else {
        return quote!();
    };
    let field = name(&field_name(limit));
    let ty = ctx.rust_type(&member.target, uses);
    let doc = format!(" At most `size` items per page (`{limit}`).");
    quote! {
        #[doc = #doc]
        pub fn page_size(mut self, size: #ty) -> Self {
            self.input.#field = Some(size);
            self
        }
    }
}

fn items(
    ctx: &Ctx<'_>,
    parts: &OperationParts<'_>,
    paginator: &Paginator,
    uses: &mut Uses,
) -> TokenStream {
    let (Some(path), Some(list)) = (&paginator.items, &paginator.item_shape) else {
        return quote!();
    };
    uses.add("brisk_runtime::paginator", "Items");
    let item_type = ctx.rust_type(list, uses);
    let input = name(&parts.input_name);
    let fields: Vec<_> = path
        .iter()
        .map(|member| name(&field_name(member)))
        .collect();
    let Some((first, rest)) = fields.split_first() else {
        return quote!();
    };
    let doc = format!(
        " Every item of `{}` on every page, as a stream.",
        path.join(".")
    );
    quote! {
        #[doc = #doc]
        pub fn items(self) -> Items<#input, #item_type> {
            self.send().items(|output| output.#first #(.and_then(|v| v.#rest))* .unwrap_or_default())
        }
    }
}

/// `wait_until_<waiter>(max_wait)` for each waiter polling this operation.
pub fn waiters(ctx: &Ctx<'_>, parts: &OperationParts<'_>, uses: &mut Uses) -> TokenStream {
    let waiters: Vec<&Waiter> = ctx.companions.waiters_of(&parts.op.name).collect();
    if waiters.is_empty() {
        return quote!();
    }
    uses.add_all(
        "brisk_runtime::waiter",
        &[
            "Acceptor",
            "AcceptorState",
            "ErrorCode",
            "Matcher",
            "Schedule",
            "WaiterError",
            "wait",
        ],
    );
    uses.add("std::time", "Duration");
    let builder = name(&parts.builder_name);
    let output = name(&parts.output_name);
    let error = name(&parts.error_name);
    let methods = waiters
        .iter()
        .map(|w| waiter_method(parts, w, &output, &error));
    quote! {
        impl #builder {
            #(#methods)*
        }

        impl ErrorCode for #error {
            fn code(&self) -> Option<&str> {
                #error::code(self)
            }
        }
    }
}

fn waiter_method(
    parts: &OperationParts<'_>,
    waiter: &Waiter,
    output: &proc_macro2::Ident,
    error: &proc_macro2::Ident,
) -> TokenStream {
    let method = name(&format!("wait_until_{}", module_name(&waiter.name)));
    let condition = waiter
        .description
        .clone()
        .unwrap_or_else(|| format!("the `{}` condition holds", waiter.name));
    let doc = format!(
        " Waits until {} (waiter `{}`): sends `{}` every {} s, at most {} times, giving up after `max_wait`.",
        condition.trim_end_matches('.'),
        waiter.name,
        parts.op.name,
        waiter.delay,
        waiter.max_attempts
    );
    let delay = u64::from(waiter.delay);
    let max_attempts = waiter.max_attempts;
    let acceptors = waiter.acceptors.iter().map(|a| {
        let state = name(match a.state {
            AcceptorState::Success => "Success",
            AcceptorState::Failure => "Failure",
            AcceptorState::Retry => "Retry",
        });
        let matcher = matcher(&a.matcher);
        quote!(Acceptor { state: AcceptorState::#state, matcher: #matcher },)
    });
    quote! {
        #[doc = #doc]
        pub async fn #method(self, max_wait: Duration) -> Result<#output, WaiterError<#error>> {
            const ACCEPTORS: &[Acceptor] = &[#(#acceptors)*];
            let schedule = Schedule {
                delay: Duration::from_secs(#delay),
                max_attempts: #max_attempts,
            };
            wait(&self.handle, self.input, schedule, ACCEPTORS, max_wait).await
        }
    }
}

fn matcher(matcher: &Matcher) -> TokenStream {
    match matcher {
        Matcher::Status(status) => quote!(Matcher::Status(#status)),
        Matcher::Error(Some(code)) => quote!(Matcher::ErrorCode(#code)),
        Matcher::Error(None) => quote!(Matcher::AnyError),
        Matcher::NoError => quote!(Matcher::NoError),
        Matcher::Path { path, expected } => {
            let expected = expected.to_string();
            quote!(Matcher::Path { path: #path, expected: #expected })
        }
        Matcher::PathAll { path, expected } => {
            let expected = expected.to_string();
            quote!(Matcher::PathAll { path: #path, expected: #expected })
        }
        Matcher::PathAny { path, expected } => {
            let expected = expected.to_string();
            quote!(Matcher::PathAny { path: #path, expected: #expected })
        }
    }
}
