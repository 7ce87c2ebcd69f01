//! AWS credentials and the providers that find them: static, environment, shared
//! profile files, a chain over those, and (feature `aws-config`) an adapter for any
//! `aws_credential_types` provider such as aws-config's default chain.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use crate::env::{Env, ProfileFiles, ProfileSet, profile_name};

/// An access key, secret key and optional session token.
///
/// `Debug` never shows the secret key or the session token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Long-lived or temporary credentials without an expiry.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
        }
    }

    /// Sets when these credentials stop being valid; they are re-fetched before then.
    pub fn with_expiry(mut self, expiry: Option<SystemTime>) -> Self {
        self.expiry = expiry;
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When these credentials expire, if they do.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// Why no credentials could be provided.
#[derive(Debug)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    message: String,
}

/// Whether a chain may try its next provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// This source has no credentials; a chain moves on to the next provider.
    NotLoaded,
    /// This source has credentials but they are unusable; a chain stops here.
    Invalid,
}

impl CredentialsError {
    /// The source holds no credentials.
    pub fn not_loaded(message: impl Into<String>) -> Self {
        Self {
            kind: CredentialsErrorKind::NotLoaded,
            message: message.into(),
        }
    }

    /// The source holds credentials that cannot be used.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            kind: CredentialsErrorKind::Invalid,
            message: message.into(),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// The future a provider returns.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// Something that can produce credentials, possibly asynchronously.
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// Returns credentials or why there are none.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

/// A shareable credentials provider.
pub type SharedCredentialsProvider = Arc<dyn ProvideCredentials>;

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let creds = self.clone();
        Box::pin(async move { Ok(creds) })
    }
}

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
#[derive(Clone, Debug)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// Reads the variables from `env` on each call.
    pub fn new(env: Env) -> Self {
        Self { env }
    }

    /// The credentials the environment holds now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let key = self.env.get("AWS_ACCESS_KEY_ID");
        let secret = self.env.get("AWS_SECRET_ACCESS_KEY");
        match (key, secret) {
            (Some(key), Some(secret)) => Ok(Credentials::new(
                key,
                secret,
                self.env.get("AWS_SESSION_TOKEN"),
            )),
            (None, None) => Err(CredentialsError::not_loaded(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
            )),
            (Some(_), None) => Err(CredentialsError::invalid(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            )),
            (None, Some(_)) => Err(CredentialsError::invalid(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            )),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

/// Static keys of a named profile in the shared `credentials` / `config` files.
#[derive(Clone, Debug)]
pub struct ProfileProvider {
    files: ProfileFiles,
    profile: String,
}

impl ProfileProvider {
    /// Reads `profile` from `files` on each call (the files are small).
    pub fn new(files: ProfileFiles, profile: impl Into<String>) -> Self {
        Self {
            files,
            profile: profile.into(),
        }
    }

    /// The profile and files chosen by `AWS_PROFILE`, `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`.
    pub fn from_env(env: &Env) -> Self {
        Self::new(ProfileFiles::from_env(env), profile_name(env))
    }

    /// The credentials the files hold now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let set = ProfileSet::load(&self.files)
            .map_err(|e| CredentialsError::invalid(describe_profile_error(&e)))?;
        credentials_from_profile(&set, &self.profile)
    }
}

fn describe_profile_error(e: &crate::env::ProfileError) -> String {
    match std::error::Error::source(e) {
        Some(source) => format!("{e}: {source}"),
        None => e.to_string(),
    }
}

/// The static keys of `profile`, if it has them.
pub fn credentials_from_profile(
    set: &ProfileSet,
    profile: &str,
) -> Result<Credentials, CredentialsError> {
    let key = set.get(profile, "aws_access_key_id");
    let secret = set.get(profile, "aws_secret_access_key");
    match (key, secret) {
        (Some(key), Some(secret)) => Ok(Credentials::new(
            key,
            secret,
            set.get(profile, "aws_session_token").map(str::to_owned),
        )),
        (None, None) => Err(CredentialsError::not_loaded(format!(
            "profile `{profile}` has no static credentials"
        ))),
        _ => Err(CredentialsError::invalid(format!(
            "profile `{profile}` has only one of aws_access_key_id and aws_secret_access_key"
        ))),
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

/// Tries providers in order; the first that has credentials wins. A provider that
/// reports [`CredentialsErrorKind::Invalid`] stops the chain, as in the AWS SDKs.
#[derive(Clone, Debug)]
pub struct ChainProvider {
    providers: Vec<SharedCredentialsProvider>,
}

impl ChainProvider {
    /// A chain over `providers`, tried first to last.
    pub fn new(providers: Vec<SharedCredentialsProvider>) -> Self {
        Self { providers }
    }

    /// Environment variables, then the shared profile files.
    pub fn default_chain(env: &Env) -> Self {
        Self::new(vec![
            Arc::new(EnvironmentProvider::new(env.clone())),
            Arc::new(ProfileProvider::from_env(env)),
        ])
    }

    async fn first_available(&self) -> Result<Credentials, CredentialsError> {
        let mut reasons = Vec::new();
        for provider in &self.providers {
            match provider.provide_credentials().await {
                Ok(creds) => return Ok(creds),
                Err(e) if e.kind() == CredentialsErrorKind::NotLoaded => {
                    reasons.push(e.to_string())
                }
                Err(e) => return Err(e),
            }
        }
        Err(CredentialsError::not_loaded(format!(
            "no credentials found: {}",
            reasons.join("; ")
        )))
    }
}

impl ProvideCredentials for ChainProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.first_available())
    }
}

/// Wraps any `aws_credential_types` provider, such as aws-config's default chain:
/// `AwsCredentialsAdapter::new(aws_config::load_from_env().await.credentials_provider().unwrap())`.
#[cfg(feature = "aws-config")]
#[derive(Debug)]
pub struct AwsCredentialsAdapter<P> {
    inner: P,
}

#[cfg(feature = "aws-config")]
impl<P> AwsCredentialsAdapter<P> {
    /// Adapts `inner`.
    pub fn new(inner: P) -> Self {
        Self { inner }
    }
}

#[cfg(feature = "aws-config")]
impl<P> ProvideCredentials for AwsCredentialsAdapter<P>
where
    P: aws_credential_types::provider::ProvideCredentials,
{
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let creds = self
                .inner
                .provide_credentials()
                .await
                .map_err(adapt_error)?;
            Ok(Credentials::new(
                creds.access_key_id(),
                creds.secret_access_key(),
                creds.session_token().map(str::to_owned),
            )
            .with_expiry(creds.expiry()))
        })
    }
}

#[cfg(feature = "aws-config")]
fn adapt_error(e: aws_credential_types::provider::error::CredentialsError) -> CredentialsError {
    use aws_credential_types::provider::error::CredentialsError as E;
    let message = std::error::Error::source(&e)
        .map(|s| format!("{e}: {s}"))
        .unwrap_or_else(|| e.to_string());
    match e {
        E::CredentialsNotLoaded(_) => CredentialsError::not_loaded(message),
        _ => CredentialsError::invalid(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secret_and_token() {
        let creds = Credentials::new("AKIDVISIBLE", "SECRET123", Some("TOKEN456".into()));
        let shown = format!("{creds:?} {creds:#?}");
        assert!(shown.contains("AKIDVISIBLE"));
        assert!(!shown.contains("SECRET123"));
        assert!(!shown.contains("TOKEN456"));
    }

    #[test]
    fn environment_provider_reads_and_reports() {
        let env = Env::from_pairs([
            ("AWS_ACCESS_KEY_ID", "AK"),
            ("AWS_SECRET_ACCESS_KEY", "SK"),
            ("AWS_SESSION_TOKEN", "TK"),
        ]);
        let creds = EnvironmentProvider::new(env).load().unwrap();
        assert_eq!(
            (
                creds.access_key_id(),
                creds.secret_access_key(),
                creds.session_token()
            ),
            ("AK", "SK", Some("TK"))
        );
        let partial = EnvironmentProvider::new(Env::from_pairs([("AWS_ACCESS_KEY_ID", "AK")]));
        assert_eq!(
            partial.load().unwrap_err().kind(),
            CredentialsErrorKind::Invalid
        );
        let empty = EnvironmentProvider::new(Env::from_pairs::<&str, &str>([]));
        assert_eq!(
            empty.load().unwrap_err().kind(),
            CredentialsErrorKind::NotLoaded
        );
    }

    #[test]
    fn profile_credentials() {
        let set = ProfileSet::parse(
            "",
            "[default]\naws_access_key_id=A\naws_secret_access_key=S\naws_session_token=T\n[half]\naws_access_key_id=A\n",
        );
        let creds = credentials_from_profile(&set, "default").unwrap();
        assert_eq!(creds.session_token(), Some("T"));
        assert_eq!(
            credentials_from_profile(&set, "half").unwrap_err().kind(),
            CredentialsErrorKind::Invalid
        );
        assert_eq!(
            credentials_from_profile(&set, "none").unwrap_err().kind(),
            CredentialsErrorKind::NotLoaded
        );
    }
}
