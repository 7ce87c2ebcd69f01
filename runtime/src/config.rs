//! Client configuration: region, credentials, endpoint override, FIPS / dual-stack,
//! retries, timeouts, transport and clock; built explicitly or loaded from the
//! environment and the shared profile files.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::credentials::{ChainProvider, ProvideCredentials, SharedCredentialsProvider};
use crate::env::{Env, ProfileFiles, ProfileSet, profile_name};
use crate::retry::{RetryConfig, RetryMode};
use crate::transport::{HttpTransport, SharedTransport};

/// The clock used for signing. Fixing it makes signatures reproducible in tests.
#[derive(Clone, Default)]
pub struct TimeSource {
    clock: Clock,
}

#[derive(Clone, Default)]
enum Clock {
    #[default]
    System,
    Fixed(SystemTime),
    Custom(Arc<dyn Fn() -> SystemTime + Send + Sync>),
}

impl TimeSource {
    /// The system clock.
    pub fn system() -> Self {
        Self {
            clock: Clock::System,
        }
    }

    /// A clock that always reads `time`.
    pub fn fixed(time: SystemTime) -> Self {
        Self {
            clock: Clock::Fixed(time),
        }
    }

    /// A clock read through `now`, e.g. one that a test advances.
    pub fn custom(now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        Self {
            clock: Clock::Custom(Arc::new(now)),
        }
    }

    /// The current time.
    pub fn now(&self) -> SystemTime {
        match &self.clock {
            Clock::System => SystemTime::now(),
            Clock::Fixed(time) => *time,
            Clock::Custom(now) => now(),
        }
    }
}

impl fmt::Debug for TimeSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.clock {
            Clock::System => f.write_str("TimeSource::System"),
            Clock::Fixed(t) => f.debug_tuple("TimeSource::Fixed").field(t).finish(),
            Clock::Custom(_) => f.write_str("TimeSource::Custom"),
        }
    }
}

/// Time limits; every one is finite by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutConfig {
    /// Establishing a TCP (and TLS) connection. Default 3.1 s, as in the AWS SDKs.
    pub connect: Duration,
    /// One attempt: sending the request and reading the whole response. Default 30 s.
    pub attempt: Duration,
    /// The whole operation, all attempts and backoff included. Default 90 s.
    pub operation: Duration,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        Self {
            connect: Duration::from_millis(3100),
            attempt: Duration::from_secs(30),
            operation: Duration::from_secs(90),
        }
    }
}

/// Endpoint URLs configured outside code (environment or profile); the service-specific
/// variable is looked up once the service is known.
#[derive(Clone, Debug)]
pub(crate) struct ConfiguredEndpoints {
    pub(crate) env: Env,
    pub(crate) profile_endpoint: Option<String>,
}

impl ConfiguredEndpoints {
    /// `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`, else the profile's `endpoint_url`.
    pub(crate) fn endpoint_for(&self, service_env_name: &str) -> Option<String> {
        self.env
            .get(&format!("AWS_ENDPOINT_URL_{service_env_name}"))
            .or_else(|| self.env.get("AWS_ENDPOINT_URL"))
            .or_else(|| self.profile_endpoint.clone())
    }
}

/// Everything a client needs besides the service description.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) credentials: Option<SharedCredentialsProvider>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) configured_endpoints: Option<ConfiguredEndpoints>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) disable_host_prefix_injection: bool,
    pub(crate) bearer_token: Option<BearerToken>,
    /// Where `AWS_BEARER_TOKEN_<SIGNING_NAME>` is looked up, when loaded from the environment.
    pub(crate) token_env: Option<Env>,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) transport: Option<SharedTransport>,
    pub(crate) time_source: TimeSource,
}

impl Config {
    /// Starts an empty configuration.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder pre-filled from the process environment and `~/.aws` files.
    pub fn from_env() -> ConfigBuilder {
        ConfigLoader::new(Env::process()).load()
    }

    /// The region.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The explicit endpoint URL override.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether FIPS endpoints are requested.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack endpoints are requested.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// Whether operations' host prefixes are left off the endpoint's host.
    pub fn disable_host_prefix_injection(&self) -> bool {
        self.disable_host_prefix_injection
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeouts.
    pub fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// Turns this configuration back into a builder to change a few settings.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            config: self.clone(),
        }
    }
}

/// Builds a [`Config`].
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    config: Config,
}

impl ConfigBuilder {
    /// Sets the region, e.g. `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Sets the credentials provider (a [`crate::Credentials`] value works for static keys).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials = Some(Arc::new(provider));
        self
    }

    /// Sets an already shared credentials provider.
    pub fn shared_credentials_provider(mut self, provider: SharedCredentialsProvider) -> Self {
        self.config.credentials = Some(provider);
        self
    }

    /// Sends every request to `url` (it may carry a base path) instead of the resolved endpoint.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self
    }

    /// Requests FIPS endpoints.
    pub fn use_fips(mut self, enabled: bool) -> Self {
        self.config.use_fips = enabled;
        self
    }

    /// Requests dual-stack (IPv4 + IPv6) endpoints.
    pub fn use_dual_stack(mut self, enabled: bool) -> Self {
        self.config.use_dual_stack = enabled;
        self
    }

    /// Leaves operations' host prefixes (their `endpoint.hostPrefix`, e.g. `data.`) off
    /// the endpoint's host, as botocore's `inject_host_prefix=False` does; by default they
    /// are put in front of it, also for an explicit endpoint URL.
    pub fn disable_host_prefix_injection(mut self, disabled: bool) -> Self {
        self.config.disable_host_prefix_injection = disabled;
        self
    }

    /// The token of operations authenticated by bearer token
    /// (`smithy.api#httpBearerAuth`), sent as `Authorization: Bearer <token>`. Without
    /// one, such operations read `AWS_BEARER_TOKEN_<SIGNING_NAME>` (e.g.
    /// `AWS_BEARER_TOKEN_BEDROCK`) from a config loaded from the environment.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.config.bearer_token = Some(BearerToken(token.into()));
        self
    }

    /// Sets the retry settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.config.retry = retry;
        self
    }

    /// Sets the timeouts.
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Self {
        self.config.timeouts = timeouts;
        self
    }

    /// Replaces the default HTTPS transport.
    pub fn transport(mut self, transport: impl HttpTransport + 'static) -> Self {
        self.config.transport = Some(Arc::new(transport));
        self
    }

    /// Sets the clock used for signing.
    pub fn time_source(mut self, time_source: TimeSource) -> Self {
        self.config.time_source = time_source;
        self
    }

    /// Finishes the configuration.
    pub fn build(self) -> Config {
        self.config
    }
}

/// Loads configuration from an [`Env`] and the shared profile files.
///
/// Reads `AWS_REGION` / `AWS_DEFAULT_REGION` (else the profile's `region`),
/// `AWS_PROFILE`, `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`, `AWS_MAX_ATTEMPTS`
/// and `AWS_RETRY_MODE` (else the profile's `max_attempts` / `retry_mode`),
/// `AWS_USE_FIPS_ENDPOINT` / `AWS_USE_DUALSTACK_ENDPOINT` (else `use_fips_endpoint` /
/// `use_dualstack_endpoint`), `AWS_DISABLE_HOST_PREFIX_INJECTION` (else
/// `disable_host_prefix_injection`), and endpoint overrides `AWS_ENDPOINT_URL_<SERVICE>`,
/// `AWS_ENDPOINT_URL` and the profile's `endpoint_url` (all ignored when
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is `true`). Credentials come from the default
/// chain: environment, then profile.
#[derive(Clone, Debug)]
pub struct ConfigLoader {
    env: Env,
    files: ProfileFiles,
    profile: String,
}

impl ConfigLoader {
    /// A loader over `env`, with profile files and name taken from it.
    pub fn new(env: Env) -> Self {
        let files = ProfileFiles::from_env(&env);
        let profile = profile_name(&env);
        Self {
            env,
            files,
            profile,
        }
    }

    /// Uses these profile files instead of the ones `env` names.
    pub fn profile_files(mut self, files: ProfileFiles) -> Self {
        self.files = files;
        self
    }

    /// Reads everything. A profile file that exists but cannot be read is skipped, so
    /// explicit settings and environment variables still apply.
    pub fn load(self) -> ConfigBuilder {
        let profiles = match ProfileSet::load(&self.files) {
            Ok(set) => set,
            Err(e) => {
                tracing::warn!(error = %e, "ignoring unreadable profile file");
                ProfileSet::default()
            }
        };
        let setting = |env_key: &str, profile_key: &str| {
            self.env
                .get(env_key)
                .or_else(|| profiles.get(&self.profile, profile_key).map(str::to_owned))
        };
        let mut config = Config {
            region: self
                .env
                .get("AWS_REGION")
                .or_else(|| setting("AWS_DEFAULT_REGION", "region")),
            credentials: Some(Arc::new(self.credentials_chain())),
            use_fips: parse_bool(setting("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")),
            use_dual_stack: parse_bool(setting(
                "AWS_USE_DUALSTACK_ENDPOINT",
                "use_dualstack_endpoint",
            )),
            disable_host_prefix_injection: parse_bool(setting(
                "AWS_DISABLE_HOST_PREFIX_INJECTION",
                "disable_host_prefix_injection",
            )),
            token_env: Some(self.env.clone()),
            ..Config::default()
        };
        config.retry = retry_from(
            setting("AWS_MAX_ATTEMPTS", "max_attempts"),
            setting("AWS_RETRY_MODE", "retry_mode"),
        );
        let ignore = parse_bool(setting(
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "ignore_configured_endpoint_urls",
        ));
        if !ignore {
            config.configured_endpoints = Some(ConfiguredEndpoints {
                env: self.env.clone(),
                profile_endpoint: profiles
                    .get(&self.profile, "endpoint_url")
                    .map(str::to_owned),
            });
        }
        ConfigBuilder { config }
    }

    fn credentials_chain(&self) -> ChainProvider {
        use crate::credentials::{EnvironmentProvider, ProfileProvider};
        ChainProvider::new(vec![
            Arc::new(EnvironmentProvider::new(self.env.clone())),
            Arc::new(ProfileProvider::new(
                self.files.clone(),
                self.profile.clone(),
            )),
        ])
    }
}

fn parse_bool(value: Option<String>) -> bool {
    value.is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Retry settings from their textual form; unparseable values keep the defaults.
fn retry_from(max_attempts: Option<String>, mode: Option<String>) -> RetryConfig {
    let mut retry = RetryConfig::default();
    if let Some(n) = max_attempts
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|n| *n > 0)
    {
        retry.max_attempts = n;
    }
    if let Some(mode) = mode.and_then(|m| RetryMode::parse(&m)) {
        retry.mode = mode;
    }
    retry
}

/// A bearer token; `Debug` never shows it.
#[derive(Clone)]
pub(crate) struct BearerToken(pub(crate) String);

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(** redacted **)")
    }
}

impl Config {
    /// The bearer token for a service signed as `signing_name`: the configured one, else
    /// `AWS_BEARER_TOKEN_<SIGNING_NAME>` from the environment the config was loaded from.
    pub(crate) fn bearer_token_for(&self, signing_name: &str) -> Option<String> {
        if let Some(token) = &self.bearer_token {
            return Some(token.0.clone());
        }
        let name = format!(
            "AWS_BEARER_TOKEN_{}",
            crate::env::service_env_name(signing_name)
        );
        self.token_env.as_ref()?.get(&name)
    }
}
