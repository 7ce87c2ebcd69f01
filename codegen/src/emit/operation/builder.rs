//! The fluent builder a client method returns: one setter per input member,
//! then `send()`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{OperationParts, summary};
use crate::emit::{Ctx, Uses, doc_attrs, name};
use crate::ir::{Kind, Member};
use crate::names::{builder_method_name, builder_setter_name, field_name, module_name};

/// The builder struct and its methods.
pub fn fluent_builder(ctx: &Ctx<'_>, parts: &OperationParts<'_>, uses: &mut Uses) -> TokenStream {
    uses.add_all("brisk_runtime", &["Handle", "SdkError"]);
    let send = if super::streaming_output(ctx, parts.op).is_some() {
        uses.add("brisk_runtime::operation", "send_streaming");
        quote!(send_streaming)
    } else {
        uses.add("brisk_runtime::operation", "send");
        quote!(send)
    };
    let builder = name(&parts.builder_name);
    let input = name(&parts.input_name);
    let output = name(&parts.output_name);
    let error = name(&parts.error_name);
    let method = module_name(&parts.op.name);
    let doc = format!(
        " Builds and sends a call of `{}`; made by [`Client::{method}`]({}::Client::{method}).",
        parts.op.name, ctx.options.root_path
    );
    let owner = &parts.input.name;
    let setters = parts
        .input_struct()
        .members
        .iter()
        .map(|m| setters(ctx, owner, m, uses));
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #builder {
            handle: Handle,
            input: #input,
        }

        impl #builder {
            pub(crate) fn new(handle: Handle) -> Self {
                Self {
                    handle,
                    input: #input::default(),
                }
            }

            /// The input as built so far.
            pub fn as_input(&self) -> &#input {
                &self.input
            }

            /// Checks the input, sends the call (with retries) and parses the response.
            pub async fn send(self) -> Result<#output, SdkError<#error>> {
                #send(&self.handle, self.input).await
            }

            #(#setters)*
        }
    }
}

/// `member(value)` (appending for lists, inserting for maps) and `set_member(Option<..>)`.
fn setters(ctx: &Ctx<'_>, owner: &str, member: &Member, uses: &mut Uses) -> TokenStream {
    let field_text = field_name(&member.name);
    let field = name(&field_text);
    let method = name(&builder_method_name(&field_text));
    let setter = name(&builder_setter_name(&field_text));
    let docs = doc_attrs(&summary(&member.docs));
    let boxed = ctx.is_recursive(owner, member);
    let inner = ctx.rust_type(&member.target, uses);
    let field_type = if boxed { quote!(Box<#inner>) } else { inner };
    let add = match &ctx.service.shape(&member.target).kind {
        Kind::List(item) => {
            let item = ctx.rust_type(&item.shape, uses);
            quote! {
                #docs
                ///
                /// Appends one item; call again for more.
                pub fn #method(mut self, item: impl Into<#item>) -> Self {
                    self.input.#field.get_or_insert_with(Vec::new).push(item.into());
                    self
                }
            }
        }
        Kind::Map { key, value } => {
            uses.add("std::collections", "HashMap");
            let key = ctx.rust_type(&key.shape, uses);
            let value = ctx.rust_type(&value.shape, uses);
            quote! {
                #docs
                ///
                /// Inserts one entry; call again for more.
                pub fn #method(mut self, key: impl Into<#key>, value: impl Into<#value>) -> Self {
                    self.input
                        .#field
                        .get_or_insert_with(HashMap::new)
                        .insert(key.into(), value.into());
                    self
                }
            }
        }
        _ => {
            let wrap = if boxed {
                quote!(Box::new(value.into()))
            } else {
                quote!(value.into())
            };
            let ty = ctx.rust_type(&member.target, uses);
            quote! {
                #docs
                pub fn #method(mut self, value: impl Into<#ty>) -> Self {
                    self.input.#field = Some(#wrap);
                    self
                }
            }
        }
    };
    let set_doc = format!(" Sets or clears `{field_text}`.");
    quote! {
        #add

        #[doc = #set_doc]
        pub fn #setter(mut self, value: Option<#field_type>) -> Self {
            self.input.#field = value;
            self
        }
    }
}
