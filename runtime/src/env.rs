//! Environment variables and the shared `config` / `credentials` profile files.
//!
//! Loaders take an [`Env`] and explicit [`ProfileFiles`] instead of reading the process
//! environment directly, so they can be tested without mutating global state.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A source of environment variables: the process environment, a map, or any closure.
///
/// Empty values count as unset, as in the AWS SDKs.
#[derive(Clone)]
pub struct Env {
    lookup: Arc<Lookup>,
}

/// Looks up one variable.
type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

impl Env {
    /// The real process environment.
    pub fn process() -> Self {
        Self::from_fn(|key| std::env::var(key).ok())
    }

    /// Variables from a fixed list of pairs.
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let map: HashMap<String, String> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Self::from_fn(move |key| map.get(key).cloned())
    }

    /// Variables looked up with a closure.
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self {
            lookup: Arc::new(lookup),
        }
    }

    /// The value of `key`, or `None` when unset or empty.
    pub fn get(&self, key: &str) -> Option<String> {
        (self.lookup)(key).filter(|v| !v.is_empty())
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Env(..)")
    }
}

/// The `AWS_ENDPOINT_URL_<SERVICE>` suffix for a service id: upper-cased, spaces and
/// hyphens turned into underscores (`"ivs chat"` → `"IVS_CHAT"`).
pub fn service_env_name(service_id: &str) -> String {
    service_id
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// Where the shared `config` and `credentials` files are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileFiles {
    /// The shared config file (`~/.aws/config`), with `[profile name]` sections.
    pub config: Option<PathBuf>,
    /// The shared credentials file (`~/.aws/credentials`), with `[name]` sections.
    pub credentials: Option<PathBuf>,
}

impl ProfileFiles {
    /// `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/config` and
    /// `~/.aws/credentials` under `HOME` (or `USERPROFILE`).
    pub fn from_env(env: &Env) -> Self {
        let home = env.get("HOME").or_else(|| env.get("USERPROFILE"));
        let default_path = |name: &str| home.as_ref().map(|h| Path::new(h).join(".aws").join(name));
        Self {
            config: env
                .get("AWS_CONFIG_FILE")
                .map(|p| expand_home(&p, home.as_deref()))
                .or_else(|| default_path("config")),
            credentials: env
                .get("AWS_SHARED_CREDENTIALS_FILE")
                .map(|p| expand_home(&p, home.as_deref()))
                .or_else(|| default_path("credentials")),
        }
    }
}

fn expand_home(path: &str, home: Option<&str>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => Path::new(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// The name of the profile to use: `AWS_PROFILE`, else `default`.
pub fn profile_name(env: &Env) -> String {
    env.get("AWS_PROFILE")
        .unwrap_or_else(|| "default".to_owned())
}

/// A profile file could not be read (a missing file is not an error).
#[derive(Debug)]
pub struct ProfileError {
    path: PathBuf,
    source: std::io::Error,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read profile file {}", self.path.display())
    }
}

impl std::error::Error for ProfileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Every profile of the config and credentials files, merged; credentials-file values
/// win over config-file values for the same profile and key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: HashMap<String, HashMap<String, String>>,
}

impl ProfileSet {
    /// Reads and merges both files; a file that does not exist is skipped.
    pub fn load(files: &ProfileFiles) -> Result<Self, ProfileError> {
        let config = read_optional(files.config.as_deref())?;
        let credentials = read_optional(files.credentials.as_deref())?;
        Ok(Self::parse(&config, &credentials))
    }

    /// Merges the text of a config file and a credentials file.
    pub fn parse(config: &str, credentials: &str) -> Self {
        let mut set = Self::default();
        set.merge(parse_ini(config, FileKind::Config));
        set.merge(parse_ini(credentials, FileKind::Credentials));
        set
    }

    /// The value of `key` (case-insensitive) in `profile`.
    pub fn get(&self, profile: &str, key: &str) -> Option<&str> {
        let value = self.profiles.get(profile)?.get(&key.to_ascii_lowercase())?;
        Some(value.as_str()).filter(|v| !v.is_empty())
    }

    /// Whether `profile` exists in either file.
    pub fn contains(&self, profile: &str) -> bool {
        self.profiles.contains_key(profile)
    }

    fn merge(&mut self, other: Vec<(String, String, String)>) {
        for (profile, key, value) in other {
            self.profiles.entry(profile).or_default().insert(key, value);
        }
    }
}

fn read_optional(path: Option<&Path>) -> Result<String, ProfileError> {
    let Some(path) = path else {
        return Ok(String::new());
    };
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(source) => Err(ProfileError {
            path: path.to_owned(),
            source,
        }),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Config,
    Credentials,
}

/// Parses an INI-style profile file into `(profile, key, value)` triples.
///
/// Indented lines (sub-properties such as `s3 =\n  max_concurrent_requests = 2`) and
/// sections that are not profiles (`[sso-session x]`, `[services x]`) are skipped.
fn parse_ini(text: &str, kind: FileKind) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut section: Option<String> = None;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let line = strip_comment(line).trim();
        if line.is_empty() {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            section = header
                .strip_suffix(']')
                .and_then(|name| profile_section(name.trim(), kind));
            continue;
        }
        if let (Some(profile), Some((key, value))) = (&section, line.split_once('=')) {
            let value = strip_inline_comment(value).trim().to_owned();
            out.push((profile.clone(), key.trim().to_ascii_lowercase(), value));
        }
    }
    out
}

/// The profile a section header names, if it names one.
fn profile_section(name: &str, kind: FileKind) -> Option<String> {
    match kind {
        FileKind::Credentials => Some(name.to_owned()),
        FileKind::Config if name == "default" => Some(name.to_owned()),
        FileKind::Config => name
            .strip_prefix("profile")
            .filter(|rest| rest.starts_with([' ', '\t']))
            .map(|rest| rest.trim().to_owned()),
    }
}

fn strip_comment(line: &str) -> &str {
    if line.trim_start().starts_with(['#', ';']) {
        ""
    } else {
        line
    }
}

/// Cuts a value at ` #` or ` ;` (a comment marker preceded by whitespace).
fn strip_inline_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if (*b == b'#' || *b == b';') && i > 0 && bytes[i - 1].is_ascii_whitespace() {
            return &value[..i];
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_name_rules() {
        assert_eq!(service_env_name("ivschat"), "IVSCHAT");
        assert_eq!(service_env_name("ivs-realtime"), "IVS_REALTIME");
        assert_eq!(service_env_name("Elastic Beanstalk"), "ELASTIC_BEANSTALK");
    }

    #[test]
    fn empty_env_values_are_unset() {
        let env = Env::from_pairs([("A", ""), ("B", "x")]);
        assert_eq!(env.get("A"), None);
        assert_eq!(env.get("B").as_deref(), Some("x"));
        assert_eq!(env.get("C"), None);
    }

    #[test]
    fn parses_sections_comments_and_precedence() {
        let config = "\
# comment
[default]
region = us-west-2 ; trailing comment
[profile dev]
region=eu-west-1
s3 =
  max_concurrent_requests = 2
[dev]
region = ignored-without-profile-prefix
[sso-session x]
region = ignored
";
        let credentials = "\
[dev]
aws_access_key_id = AKID
region = from-credentials
";
        let set = ProfileSet::parse(config, credentials);
        assert_eq!(set.get("default", "region"), Some("us-west-2"));
        assert_eq!(set.get("dev", "REGION"), Some("from-credentials"));
        assert_eq!(set.get("dev", "aws_access_key_id"), Some("AKID"));
        assert_eq!(set.get("dev", "max_concurrent_requests"), None);
        assert!(!set.contains("x"));
        assert!(!set.contains("sso-session x"));
    }

    #[test]
    fn file_paths_from_env_and_home() {
        let env = Env::from_pairs([("HOME", "/h"), ("AWS_CONFIG_FILE", "~/cfg")]);
        let files = ProfileFiles::from_env(&env);
        assert_eq!(files.config, Some(PathBuf::from("/h/cfg")));
        assert_eq!(
            files.credentials,
            Some(PathBuf::from("/h/.aws/credentials"))
        );
    }

    #[test]
    fn missing_files_load_as_empty() {
        let files = ProfileFiles {
            config: Some(PathBuf::from("/nonexistent/brisk/config")),
            credentials: None,
        };
        assert_eq!(ProfileSet::load(&files).unwrap(), ProfileSet::default());
    }
}
