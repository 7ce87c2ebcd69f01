//! Macros that generated crates expand, so impls repeated for every operation
//! are written once here.

/// `code()`, `Display` and `Error` for an operation's error enum, whose
/// variants are named after the exception types they hold, plus
/// `Unhandled(ErrorMetadata)`.
///
/// ```ignore
/// brisk_runtime::impl_operation_error!(GetRoomError, AccessDeniedException, ValidationException);
/// ```
#[macro_export]
macro_rules! impl_operation_error {
    ($name:ident $(, $variant:ident)* $(,)?) => {
        impl $name {
            /// The error code the service sent.
            pub fn code(&self) -> ::std::option::Option<&str> {
                match self {
                    $(Self::$variant(_) => ::std::option::Option::Some($variant::CODE),)*
                    Self::Unhandled(meta) => meta.code(),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $(Self::$variant(e) => ::std::fmt::Display::fmt(e, f),)*
                    Self::Unhandled(meta) => ::std::fmt::Display::fmt(meta, f),
                }
            }
        }

        impl ::std::error::Error for $name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    $(Self::$variant(e) => ::std::option::Option::Some(e),)*
                    Self::Unhandled(meta) => ::std::option::Option::Some(meta),
                }
            }
        }
    };
}
