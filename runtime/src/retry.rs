//! Standard-mode retries as the AWS SDKs define them: a capped number of attempts,
//! exponential backoff with full jitter, a classification of throttling and transient
//! failures, and a retry quota (token bucket) so a failing service is not hammered.

use std::sync::Mutex;
use std::time::Duration;

use http::StatusCode;

/// How retries behave.
///
/// `Adaptive` and `Legacy` are accepted (from `AWS_RETRY_MODE` or code) and behave as
/// `Standard`: adaptive mode's client-side rate limiting is not implemented.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryMode {
    /// The AWS SDK standard mode.
    #[default]
    Standard,
    /// Treated as standard.
    Adaptive,
    /// Treated as standard.
    Legacy,
}

impl RetryMode {
    /// Parses `standard`, `adaptive` or `legacy` (case-insensitive).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "standard" => Some(Self::Standard),
            "adaptive" => Some(Self::Adaptive),
            "legacy" => Some(Self::Legacy),
            _ => None,
        }
    }
}

/// Retry settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// The retry mode.
    pub mode: RetryMode,
    /// Attempts in total, the first included (1 disables retries). Default 3.
    pub max_attempts: u32,
    /// The backoff before retry `n` is `random(0..1) * min(base * 2^(n-1), max_backoff)`.
    /// Default 1 s.
    pub base_backoff: Duration,
    /// The backoff cap. Default 20 s.
    pub max_backoff: Duration,
    /// Whether the retry quota applies. Default true.
    pub quota_enabled: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            mode: RetryMode::Standard,
            max_attempts: 3,
            base_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            quota_enabled: true,
        }
    }
}

impl RetryConfig {
    /// Sets the total number of attempts (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the backoff base and cap.
    pub fn with_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base_backoff = base;
        self.max_backoff = max;
        self
    }

    /// Turns the retry quota on or off.
    pub fn with_quota(mut self, enabled: bool) -> Self {
        self.quota_enabled = enabled;
        self
    }

    /// The jittered delay before retry number `retry` (1 for the first retry).
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self.base_backoff.saturating_mul(exp).min(self.max_backoff);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// Why a failed attempt may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryKind {
    /// The service asked the client to slow down.
    Throttling,
    /// A server-side or network fault that may go away.
    Transient,
    /// The attempt timed out (costs more quota).
    Timeout,
}

/// Error codes that mean "slow down".
const THROTTLING_CODES: [&str; 14] = [
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient faults.
const TRANSIENT_CODES: [&str; 3] = ["RequestTimeout", "RequestTimeoutException", "InternalError"];

/// HTTP statuses of transient faults.
const TRANSIENT_STATUSES: [u16; 4] = [500, 502, 503, 504];

/// Classifies a non-2xx response by status and error code.
pub fn classify_response(status: StatusCode, error_code: Option<&str>) -> Option<RetryKind> {
    if status == StatusCode::TOO_MANY_REQUESTS
        || error_code.is_some_and(|c| THROTTLING_CODES.contains(&c))
    {
        Some(RetryKind::Throttling)
    } else if TRANSIENT_STATUSES.contains(&status.as_u16())
        || error_code.is_some_and(|c| TRANSIENT_CODES.contains(&c))
    {
        Some(RetryKind::Transient)
    } else {
        None
    }
}

/// The retry quota: a token bucket shared by all calls of a client.
#[derive(Debug)]
pub(crate) struct RetryQuota {
    tokens: Mutex<u32>,
}

impl RetryQuota {
    /// The bucket's capacity.
    pub(crate) const CAPACITY: u32 = 500;
    /// Tokens a retry costs.
    pub(crate) const RETRY_COST: u32 = 5;
    /// Tokens a retry after a timeout costs.
    pub(crate) const TIMEOUT_RETRY_COST: u32 = 10;
    /// Tokens a success on the first attempt returns.
    pub(crate) const NO_RETRY_INCREMENT: u32 = 1;

    pub(crate) fn new() -> Self {
        Self {
            tokens: Mutex::new(Self::CAPACITY),
        }
    }

    /// Takes the cost of a retry of `kind`; `None` when the bucket cannot pay it.
    pub(crate) fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = match kind {
            RetryKind::Timeout => Self::TIMEOUT_RETRY_COST,
            RetryKind::Throttling | RetryKind::Transient => Self::RETRY_COST,
        };
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        let remaining = tokens.checked_sub(cost)?;
        *tokens = remaining;
        Some(cost)
    }

    /// Returns tokens after a success, never above capacity.
    pub(crate) fn release(&self, amount: u32) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        *tokens = (*tokens + amount).min(Self::CAPACITY);
    }

    /// Tokens left.
    pub(crate) fn available(&self) -> u32 {
        *self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let s = |n| StatusCode::from_u16(n).unwrap();
        assert_eq!(classify_response(s(429), None), Some(RetryKind::Throttling));
        assert_eq!(
            classify_response(s(400), Some("ThrottlingException")),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(s(400), Some("SlowDown")),
            Some(RetryKind::Throttling)
        );
        assert_eq!(classify_response(s(503), None), Some(RetryKind::Transient));
        assert_eq!(
            classify_response(s(400), Some("RequestTimeout")),
            Some(RetryKind::Transient)
        );
        assert_eq!(classify_response(s(501), None), None);
        assert_eq!(classify_response(s(400), Some("ValidationException")), None);
        assert_eq!(classify_response(s(404), None), None);
    }

    #[test]
    fn backoff_is_bounded_by_exponential_ceiling_and_cap() {
        let cfg = RetryConfig::default()
            .with_backoff(Duration::from_millis(100), Duration::from_millis(350));
        for _ in 0..200 {
            assert!(cfg.backoff(1) <= Duration::from_millis(100));
            assert!(cfg.backoff(2) <= Duration::from_millis(200));
            assert!(cfg.backoff(3) <= Duration::from_millis(350));
            assert!(cfg.backoff(30) <= Duration::from_millis(350));
        }
        let spread: Vec<_> = (0..50).map(|_| cfg.backoff(3)).collect();
        assert!(spread.iter().any(|d| *d != spread[0]), "jitter varies");
    }

    #[test]
    fn quota_drains_and_refills() {
        let quota = RetryQuota::new();
        let mut retries = 0;
        while quota.acquire(RetryKind::Transient).is_some() {
            retries += 1;
        }
        assert_eq!(retries, RetryQuota::CAPACITY / RetryQuota::RETRY_COST);
        assert_eq!(quota.acquire(RetryKind::Timeout), None);
        quota.release(10);
        assert_eq!(quota.acquire(RetryKind::Timeout), Some(10));
        quota.release(10_000);
        assert_eq!(quota.available(), RetryQuota::CAPACITY);
        assert_eq!(RetryMode::parse(" Adaptive "), Some(RetryMode::Adaptive));
        assert_eq!(RetryMode::parse("fast"), None);
    }
}
