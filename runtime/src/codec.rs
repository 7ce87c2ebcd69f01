//! Wire codecs used by generated types: timestamps in the three AWS formats and
//! base64 blobs, for serde and for HTTP headers and query strings.
//!
//! A model chooses a timestamp's format per member, so generated fields carry
//! `#[serde(with = "brisk_runtime::codec::iso8601")]` (or `epoch_seconds`,
//! `http_date`). Those modules accept a timestamp directly or nested in
//! `Option`, `Vec` and `HashMap`, so one attribute covers every member shape.
//! Floats do the same through `special_float`, which also carries the values
//! JSON numbers cannot hold (`"NaN"`, `"Infinity"`, `"-Infinity"`).

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;

use base64::Engine as _;
use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

pub use serde::de::MapAccess;
pub use time::OffsetDateTime as DateTime;

/// One of the wire formats of a timestamp.
pub trait TimestampFormat {
    /// Writes `t` in this format.
    fn write<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error>;
    /// Reads a timestamp in this format.
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error>;
}

/// Seconds since the Unix epoch as a JSON number, with the fraction the time has.
pub enum EpochSeconds {}
/// ISO 8601 / RFC 3339 text; written in UTC, read with any offset and fraction.
pub enum Iso8601 {}
/// The HTTP date of RFC 7231 (`Tue, 29 Apr 2014 18:30:38 GMT`).
pub enum HttpDate {}

impl TimestampFormat for EpochSeconds {
    fn write<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        if t.nanosecond() == 0 {
            s.serialize_i64(t.unix_timestamp())
        } else {
            s.serialize_f64(epoch_seconds_f64(t))
        }
    }

    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        d.deserialize_any(EpochSecondsVisitor)
    }
}

impl TimestampFormat for Iso8601 {
    fn write<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_iso8601(t))
    }

    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse_iso8601(&text).map_err(de::Error::custom)
    }
}

impl TimestampFormat for HttpDate {
    fn write<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_http_date(t))
    }

    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse_http_date(&text).map_err(de::Error::custom)
    }
}

/// A malformed timestamp, with the text that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    text: String,
    expected: &'static str,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not {}", self.text, self.expected)
    }
}

impl std::error::Error for TimestampError {}

fn timestamp_error(text: &str, expected: &'static str) -> TimestampError {
    TimestampError {
        text: text.to_owned(),
        expected,
    }
}

/// `2014-04-29T18:30:38Z`, with milliseconds (`.123Z`) only when the time has them.
pub fn format_iso8601(t: &OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    let (year, month, day) = (t.year(), u8::from(t.month()), t.day());
    let (hour, minute, second) = (t.hour(), t.minute(), t.second());
    let millis = t.millisecond();
    if millis == 0 {
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
    } else {
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{millis:03}Z")
    }
}

/// Reads RFC 3339 text (offsets and fractions allowed).
pub fn parse_iso8601(text: &str) -> Result<OffsetDateTime, TimestampError> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|_| timestamp_error(text, "an ISO 8601 date-time"))
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Tue, 29 Apr 2014 18:30:38 GMT`.
pub fn format_http_date(t: &OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    let weekday = WEEKDAYS[usize::from(t.weekday().number_days_from_monday())];
    let month = MONTHS[usize::from(u8::from(t.month())) - 1];
    format!(
        "{weekday}, {:02} {month} {:04} {:02}:{:02}:{:02} GMT",
        t.day(),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Reads an IMF-fixdate (`Tue, 29 Apr 2014 18:30:38 GMT`).
pub fn parse_http_date(text: &str) -> Result<OffsetDateTime, TimestampError> {
    parse_imf_fixdate(text).ok_or_else(|| timestamp_error(text, "an HTTP date"))
}

fn parse_imf_fixdate(text: &str) -> Option<OffsetDateTime> {
    let rest = text.trim().split_once(", ")?.1;
    let mut parts = rest.split(' ');
    let day: u8 = parts.next()?.parse().ok()?;
    let month_name = parts.next()?;
    let month_index = MONTHS.iter().position(|m| *m == month_name)?;
    let year: i32 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':');
    let hour: u8 = clock.next()?.parse().ok()?;
    let minute: u8 = clock.next()?.parse().ok()?;
    let second: u8 = clock.next()?.parse().ok()?;
    if parts.next()? != "GMT" || parts.next().is_some() || clock.next().is_some() {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(month_index + 1).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let clock = time::Time::from_hms(hour, minute, second).ok()?;
    Some(date.with_time(clock).assume_utc())
}

/// Seconds since the epoch as the double nearest the exact value (exact to
/// the microsecond for present-day times).
pub fn epoch_seconds_f64(t: &OffsetDateTime) -> f64 {
    // Parsing the exact decimal rounds once; arithmetic on parts would round twice.
    format_epoch_seconds(t)
        .parse()
        .unwrap_or_else(|_| t.unix_timestamp() as f64)
}

/// Epoch seconds as exact decimal text, to the nanosecond (`1576540098`, `1.5`,
/// `-0.000000001`).
pub fn format_epoch_seconds(t: &OffsetDateTime) -> String {
    let nanos = t.unix_timestamp_nanos();
    let sign = if nanos < 0 { "-" } else { "" };
    let magnitude = nanos.unsigned_abs();
    let (whole, fraction) = (magnitude / NANOS_PER_SECOND, magnitude % NANOS_PER_SECOND);
    if fraction == 0 {
        format!("{sign}{whole}")
    } else {
        let fraction = format!("{fraction:09}");
        format!("{sign}{whole}.{}", fraction.trim_end_matches('0'))
    }
}

/// Reads epoch seconds written in decimal (`1576540098`, `-1.5`,
/// `1700000000.123456`, `1.7e9`) exactly, to the nanosecond; finer digits
/// round to the nearest nanosecond.
pub fn parse_epoch_seconds(text: &str) -> Result<OffsetDateTime, TimestampError> {
    let nanos = decimal_nanos(text.trim()).map_err(|e| match e {
        DecimalError::Malformed => timestamp_error(text, "epoch seconds"),
        DecimalError::OutOfRange => timestamp_error(text, "epoch seconds in range"),
    })?;
    OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .map_err(|_| timestamp_error(text, "epoch seconds in range"))
}

const NANOS_PER_SECOND: u128 = 1_000_000_000;

/// Why decimal text is not a number of seconds.
enum DecimalError {
    Malformed,
    OutOfRange,
}

/// The nanoseconds in `text`, a decimal number of seconds with optional sign,
/// fraction and exponent. No float arithmetic, so every digit counts.
fn decimal_nanos(text: &str) -> Result<i128, DecimalError> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (
            mantissa,
            exponent
                .parse::<i32>()
                .map_err(|_| DecimalError::Malformed)?,
        ),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).collect();
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(DecimalError::Malformed);
    }
    let digits: Vec<u8> = digits.iter().map(|d| d - b'0').collect();
    // The decimal point sits after this many digits (before them when negative).
    let point =
        i64::try_from(whole.len()).map_err(|_| DecimalError::OutOfRange)? + i64::from(exponent);
    let magnitude = nanos_of_digits(&digits, point)?;
    Ok(if negative { -magnitude } else { magnitude })
}

/// `digits` (values 0-9) with the decimal point after `point` of them, in
/// nanoseconds, rounded to the nearest (ties away from zero).
fn nanos_of_digits(digits: &[u8], point: i64) -> Result<i128, DecimalError> {
    // Digits before `end` are whole nanoseconds; the one at `end` rounds.
    let end = point + 9;
    let len = i64::try_from(digits.len()).map_err(|_| DecimalError::OutOfRange)?;
    let kept = usize::try_from(end.clamp(0, len)).map_err(|_| DecimalError::OutOfRange)?;
    let mut nanos = digits[..kept]
        .iter()
        .try_fold(0i128, |acc, d| {
            acc.checked_mul(10)?.checked_add(i128::from(*d))
        })
        .ok_or(DecimalError::OutOfRange)?;
    if end > len && nanos != 0 {
        let scale = u32::try_from(end - len)
            .ok()
            .and_then(|zeros| 10i128.checked_pow(zeros))
            .ok_or(DecimalError::OutOfRange)?;
        nanos = nanos.checked_mul(scale).ok_or(DecimalError::OutOfRange)?;
    }
    let rounding = usize::try_from(end).ok().and_then(|at| digits.get(at));
    if rounding.is_some_and(|d| *d >= 5) {
        nanos += 1;
    }
    Ok(nanos)
}

struct EpochSecondsVisitor;

impl Visitor<'_> for EpochSecondsVisitor {
    type Value = OffsetDateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("epoch seconds as a number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<OffsetDateTime, E> {
        OffsetDateTime::from_unix_timestamp(v).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<OffsetDateTime, E> {
        let v = i64::try_from(v).map_err(E::custom)?;
        self.visit_i64(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<OffsetDateTime, E> {
        // A JSON number arrives as the double nearest its text (serde_json's
        // `float_roundtrip`). The shortest decimal that reads back as that
        // double is the wire's own text whenever the double can tell it from
        // its neighbours (15 significant digits always, 16-17 mostly), so
        // `1700000000.123456` keeps its microseconds and `1.1` stays exactly
        // 1.1 seconds.
        parse_epoch_seconds(&v.to_string()).map_err(E::custom)
    }
}

/// A timestamp, or a container of them, that a [`TimestampFormat`] can write and read.
pub trait Timestamps: Sized {
    /// Writes every timestamp in `self` in format `F`.
    fn write<F: TimestampFormat, S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
    /// Reads `Self` with every timestamp in format `F`.
    fn read<'de, F: TimestampFormat, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// Serializes a borrowed timestamp (or container of them) in format `F`.
pub struct Out<'a, F, T>(&'a T, PhantomData<F>);
/// Deserializes a timestamp (or container of them) in format `F`.
pub struct In<F, T>(T, PhantomData<F>);

impl<'a, F, T> Out<'a, F, T> {
    /// Wraps `value` for serialization in format `F`.
    pub fn new(value: &'a T) -> Self {
        Out(value, PhantomData)
    }
}

impl<F, T> In<F, T> {
    /// The value read.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<F: TimestampFormat, T: Timestamps> Serialize for Out<'_, F, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.write::<F, S>(s)
    }
}

impl<'de, F: TimestampFormat, T: Timestamps> Deserialize<'de> for In<F, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::read::<F, D>(d).map(|t| In(t, PhantomData))
    }
}

impl Timestamps for OffsetDateTime {
    fn write<F: TimestampFormat, S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        F::write(self, s)
    }

    fn read<'de, F: TimestampFormat, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        F::read(d)
    }
}

impl<T: Timestamps> Timestamps for Option<T> {
    fn write<F: TimestampFormat, S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => s.serialize_some(&Out::<F, T>(v, PhantomData)),
            None => s.serialize_none(),
        }
    }

    fn read<'de, F: TimestampFormat, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<In<F, T>>::deserialize(d)?.map(|v| v.0))
    }
}

impl<T: Timestamps> Timestamps for Vec<T> {
    fn write<F: TimestampFormat, S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(|v| Out::<F, T>(v, PhantomData)))
    }

    fn read<'de, F: TimestampFormat, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<In<F, T>>::deserialize(d)?
            .into_iter()
            .map(|v| v.0)
            .collect())
    }
}

impl<K, T> Timestamps for HashMap<K, T>
where
    K: Serialize + DeserializeOwned + Eq + Hash,
    T: Timestamps,
{
    fn write<F: TimestampFormat, S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter().map(|(k, v)| (k, Out::<F, T>(v, PhantomData))))
    }

    /// Entries whose value is `null` are dropped, as for every dense map.
    fn read<'de, F: TimestampFormat, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(HashMap::<K, Option<In<F, T>>>::deserialize(d)?
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?.0)))
            .collect())
    }
}

macro_rules! serde_with_module {
    ($(#[$doc:meta])* $module:ident, $format:ty) => {
        $(#[$doc])*
        pub mod $module {
            use super::*;

            /// Serializes with this module's timestamp format.
            pub fn serialize<T: Timestamps, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
                v.write::<$format, S>(s)
            }

            /// Deserializes with this module's timestamp format.
            pub fn deserialize<'de, T: Timestamps, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
                T::read::<$format, D>(d)
            }
        }
    };
}

serde_with_module!(
    /// `#[serde(with = "...::epoch_seconds")]` for timestamps and their containers.
    epoch_seconds,
    EpochSeconds
);
serde_with_module!(
    /// `#[serde(with = "...::iso8601")]` for timestamps and their containers.
    iso8601,
    Iso8601
);
serde_with_module!(
    /// `#[serde(with = "...::http_date")]` for timestamps and their containers.
    http_date,
    HttpDate
);

/// A float, or a list or map of them (at any depth), as JSON carries it:
/// numbers, and the strings `NaN`, `Infinity` and `-Infinity` for the values
/// JSON numbers cannot hold.
pub trait Floats: Sized {
    /// Writes every float in `self`, the special values as strings.
    fn write_floats<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
    /// Reads `Self`, each float from a number or one of the three strings.
    fn read_floats<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// Serializes a borrowed float (or container of them) through [`Floats`].
struct FloatsOut<'a, T>(&'a T);
/// Deserializes a float (or container of them) through [`Floats`].
struct FloatsIn<T>(T);

impl<T: Floats> Serialize for FloatsOut<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.write_floats(s)
    }
}

impl<'de, T: Floats> Deserialize<'de> for FloatsIn<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::read_floats(d).map(FloatsIn)
    }
}

/// The wire string of a value JSON numbers cannot hold.
fn special_float_name(value: f64) -> Option<&'static str> {
    if value.is_nan() {
        Some("NaN")
    } else if value == f64::INFINITY {
        Some("Infinity")
    } else if value == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

impl Floats for f64 {
    fn write_floats<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match special_float_name(*self) {
            Some(name) => s.serialize_str(name),
            None => s.serialize_f64(*self),
        }
    }

    fn read_floats<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SpecialFloatVisitor)
    }
}

impl Floats for f32 {
    /// Written in its own width, so `1.1f32` is `1.1`.
    fn write_floats<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match special_float_name(f64::from(*self)) {
            Some(name) => s.serialize_str(name),
            None => s.serialize_f32(*self),
        }
    }

    fn read_floats<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        f64::read_floats(d).map(|v| v as f32)
    }
}

impl<T: Floats> Floats for Option<T> {
    fn write_floats<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => s.serialize_some(&FloatsOut(v)),
            None => s.serialize_none(),
        }
    }

    fn read_floats<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<FloatsIn<T>>::deserialize(d)?.map(|v| v.0))
    }
}

impl<T: Floats> Floats for Vec<T> {
    fn write_floats<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(FloatsOut))
    }

    fn read_floats<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<FloatsIn<T>>::deserialize(d)?
            .into_iter()
            .map(|v| v.0)
            .collect())
    }
}

impl<K, T> Floats for HashMap<K, T>
where
    K: Serialize + DeserializeOwned + Eq + Hash,
    T: Floats,
{
    fn write_floats<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter().map(|(k, v)| (k, FloatsOut(v))))
    }

    /// Entries whose value is `null` are dropped, as for every dense map.
    fn read_floats<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(HashMap::<K, Option<FloatsIn<T>>>::deserialize(d)?
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?.0)))
            .collect())
    }
}

/// `#[serde(with = "brisk_runtime::codec::special_float")]` for a member that
/// holds floats, directly or in lists and maps: NaN and the infinities as
/// strings, other values as numbers.
pub mod special_float {
    use super::*;

    /// Writes numbers, and `"NaN"`, `"Infinity"`, `"-Infinity"`.
    pub fn serialize<T: Floats, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        v.write_floats(s)
    }

    /// Reads numbers and the three strings.
    pub fn deserialize<'de, T: Floats, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        T::read_floats(d)
    }
}

struct SpecialFloatVisitor;

impl Visitor<'_> for SpecialFloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, \"NaN\", \"Infinity\" or \"-Infinity\"")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
        }
    }
}

/// Binary data; base64 on the JSON wire.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wraps bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Takes the bytes out.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }

    /// The bytes in standard base64.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.0)
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl From<&str> for Blob {
    fn from(text: &str) -> Self {
        Self(text.as_bytes().to_vec())
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(Blob)
            .map_err(|e| de::Error::custom(format!("blob is not base64: {e}")))
    }
}

/// `deserialize_with` for an optional map: entries whose value is `null` are
/// dropped, as AWS SDKs do for dense maps.
pub fn dense_map<'de, D, K, V>(d: D) -> Result<Option<HashMap<K, V>>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Eq + std::hash::Hash,
    V: Deserialize<'de>,
{
    let map: Option<HashMap<K, Option<V>>> = Option::deserialize(d)?;
    Ok(map.map(|entries| {
        entries
            .into_iter()
            .filter_map(|(key, value)| Some((key, value?)))
            .collect()
    }))
}

/// The text `Debug` prints in place of a sensitive value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Stands in for a sensitive value in `Debug` output.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Reads a string enum without allocating for the values it knows.
pub fn deserialize_string_enum<'de, T, D>(d: D) -> Result<T, D::Error>
where
    T: for<'a> From<&'a str>,
    D: Deserializer<'de>,
{
    struct EnumVisitor<T>(PhantomData<T>);

    impl<T: for<'a> From<&'a str>> Visitor<'_> for EnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
    }

    d.deserialize_str(EnumVisitor(PhantomData))
}

/// A union: a JSON object with exactly one member set.
pub trait Union: Sized {
    /// The union's name, for error messages.
    const NAME: &'static str;

    /// Reads the value of member `name` from `map`; `None` when the name is not
    /// a member this version knows (the value is then skipped).
    fn read_member<'de, A: MapAccess<'de>>(
        name: &str,
        map: &mut A,
    ) -> Result<Option<Self>, A::Error>;

    /// The variant that keeps the name of a member this version does not know.
    fn unknown(name: String) -> Self;
}

/// Deserializes a [`Union`]: one member must be set; `__type` is ignored, and
/// a member this version does not know becomes [`Union::unknown`].
pub fn deserialize_union<'de, U: Union, D: Deserializer<'de>>(d: D) -> Result<U, D::Error> {
    struct UnionVisitor<U>(PhantomData<U>);

    impl<'de, U: Union> Visitor<'de> for UnionVisitor<U> {
        type Value = U;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "union {} as an object with one member set", U::NAME)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<U, A::Error> {
            let mut found: Option<U> = None;
            while let Some(name) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if name == "__type" {
                    map.next_value::<de::IgnoredAny>()?;
                    continue;
                }
                if found.is_some() {
                    return Err(de::Error::custom(format!(
                        "union {} has more than one member set",
                        U::NAME
                    )));
                }
                found = Some(match U::read_member(&name, &mut map)? {
                    Some(member) => member,
                    None => {
                        map.next_value::<de::IgnoredAny>()?;
                        U::unknown(name.into_owned())
                    }
                });
            }
            found.ok_or_else(|| de::Error::custom(format!("union {} has no member set", U::NAME)))
        }
    }

    d.deserialize_map(UnionVisitor(PhantomData))
}

/// Serializes one member of a union as `{"name": value}`.
pub fn serialize_union_member<S: Serializer, T: Serialize + ?Sized>(
    s: S,
    name: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry(name, value)?;
    map.end()
}

/// The error for serializing a union member this version does not know.
pub fn unknown_union_member<S: Serializer>(union: &str, name: &str) -> Result<S::Ok, S::Error> {
    Err(serde::ser::Error::custom(format!(
        "cannot send member `{name}` of union {union}: this version does not know it"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64, millis: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(
            i128::from(seconds) * 1_000_000_000 + i128::from(millis) * 1_000_000,
        )
        .unwrap()
    }

    #[test]
    fn iso8601_writes_utc_with_millis_only_when_present() {
        assert_eq!(format_iso8601(&at(1398796238, 0)), "2014-04-29T18:30:38Z");
        assert_eq!(
            format_iso8601(&at(946845296, 123)),
            "2000-01-02T20:34:56.123Z"
        );
    }

    #[test]
    fn iso8601_reads_offsets_and_fractions() {
        let expected = at(1576540098, 0);
        assert_eq!(
            parse_iso8601("2019-12-16T22:48:18-01:00").unwrap(),
            expected
        );
        assert_eq!(
            parse_iso8601("2019-12-17T00:48:18+01:00").unwrap(),
            expected
        );
        assert_eq!(
            parse_iso8601("2000-01-02T20:34:56.123Z").unwrap(),
            at(946845296, 123)
        );
        let err = parse_iso8601("yesterday").unwrap_err();
        assert_eq!(err.to_string(), "`yesterday` is not an ISO 8601 date-time");
    }

    #[test]
    fn http_date_round_trips() {
        let t = at(1398796238, 0);
        assert_eq!(format_http_date(&t), "Tue, 29 Apr 2014 18:30:38 GMT");
        assert_eq!(parse_http_date("Tue, 29 Apr 2014 18:30:38 GMT").unwrap(), t);
        assert!(parse_http_date("Tue, 29 Apr 2014 18:30:38 UTC").is_err());
        assert!(parse_http_date("Tue, 31 Feb 2014 18:30:38 GMT").is_err());
    }

    fn nanos(seconds: i64, nanos: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(
            i128::from(seconds) * 1_000_000_000 + i128::from(nanos),
        )
        .unwrap()
    }

    #[test]
    fn epoch_seconds_text_keeps_fractions() {
        assert_eq!(format_epoch_seconds(&at(1576540098, 0)), "1576540098");
        assert_eq!(format_epoch_seconds(&at(1, 500)), "1.5");
        assert_eq!(parse_epoch_seconds("1.1").unwrap(), at(1, 100));
        assert!(parse_epoch_seconds("NaN").is_err());
    }

    #[test]
    fn epoch_seconds_text_reads_exactly() {
        let read = |text: &str| parse_epoch_seconds(text).unwrap();
        assert_eq!(read("1700000000.123456"), nanos(1_700_000_000, 123_456_000));
        assert_eq!(read("0.000000001"), nanos(0, 1));
        assert_eq!(read("1576540098"), nanos(1_576_540_098, 0));
        assert_eq!(read("+7"), nanos(7, 0));
        assert_eq!(read("-1.5"), nanos(-2, 500_000_000));
        assert_eq!(read("-0.000000001"), nanos(-1, 999_999_999));
        assert_eq!(read("1.7e9"), nanos(1_700_000_000, 0));
        assert_eq!(read("17E+8"), nanos(1_700_000_000, 0));
        assert_eq!(read("1700000000123456e-6"), read("1700000000.123456"));
        assert_eq!(read("5e-9"), nanos(0, 5));
        assert_eq!(read(".5"), nanos(0, 500_000_000));
        assert_eq!(read("2."), nanos(2, 0));
        assert_eq!(read(" 3 "), nanos(3, 0));
        assert_eq!(read("0e999999999"), nanos(0, 0));
    }

    #[test]
    fn epoch_seconds_text_rounds_past_nanoseconds() {
        let read = |text: &str| parse_epoch_seconds(text).unwrap();
        assert_eq!(read("0.0000000014"), nanos(0, 1));
        assert_eq!(read("0.0000000015"), nanos(0, 2));
        assert_eq!(read("0.9999999999"), nanos(1, 0));
        assert_eq!(read("-0.0000000015"), nanos(0, -2));
        assert_eq!(read("1e-10"), nanos(0, 0));
        assert_eq!(read("123456789e-18"), nanos(0, 0));
    }

    #[test]
    fn malformed_or_huge_epoch_seconds_are_errors() {
        let error = |text: &str| parse_epoch_seconds(text).unwrap_err().to_string();
        for text in [
            "", "-", ".", "1.2.3", "1e", "e5", "1x", "--1", "Infinity", "1_0", "1e2.5",
        ] {
            assert_eq!(
                error(text),
                format!("`{text}` is not epoch seconds"),
                "{text}"
            );
        }
        for text in [
            "1e30",
            "1e999999999",
            "99999999999999999999999999999999999999999",
            "-253402300800000",
        ] {
            assert_eq!(
                error(text),
                format!("`{text}` is not epoch seconds in range"),
                "{text}"
            );
        }
    }

    #[test]
    fn epoch_seconds_text_writes_exactly() {
        let write = |t: OffsetDateTime| format_epoch_seconds(&t);
        assert_eq!(
            write(nanos(1_700_000_000, 123_456_000)),
            "1700000000.123456"
        );
        assert_eq!(
            write(nanos(1_700_000_000, 123_456_789)),
            "1700000000.123456789"
        );
        assert_eq!(write(nanos(0, 1)), "0.000000001");
        assert_eq!(write(nanos(-2, 500_000_000)), "-1.5");
        assert_eq!(write(nanos(-1, 999_999_999)), "-0.000000001");
        assert_eq!(write(nanos(-7, 0)), "-7");
        for text in ["1700000000.123456789", "-1.5", "0.000000001", "42"] {
            assert_eq!(write(parse_epoch_seconds(text).unwrap()), text);
        }
    }

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct EpochMember {
        #[serde(default, with = "epoch_seconds")]
        at: Option<OffsetDateTime>,
    }

    #[test]
    fn epoch_seconds_json_numbers_keep_their_digits() {
        let read = |text: &str| serde_json::from_str::<EpochMember>(text).unwrap().at;
        assert_eq!(
            read(r#"{"at":1700000000.123456}"#),
            Some(nanos(1_700_000_000, 123_456_000))
        );
        assert_eq!(read(r#"{"at":1.1}"#), Some(at(1, 100)));
        assert_eq!(read(r#"{"at":0.000000001}"#), Some(nanos(0, 1)));
        assert_eq!(read(r#"{"at":-1.5}"#), Some(nanos(-2, 500_000_000)));
        assert_eq!(read(r#"{"at":1.7e9}"#), Some(nanos(1_700_000_000, 0)));
        assert_eq!(read(r#"{"at":1576540098}"#), Some(nanos(1_576_540_098, 0)));
        assert_eq!(read(r#"{"at":-1}"#), Some(nanos(-1, 0)));
        assert!(serde_json::from_str::<EpochMember>(r#"{"at":1e300}"#).is_err());
        assert!(serde_json::from_str::<EpochMember>(r#"{"at":"1"}"#).is_err());
    }

    #[test]
    fn epoch_seconds_json_numbers_write_the_exact_value() {
        let write =
            |t: OffsetDateTime| serde_json::to_string(&EpochMember { at: Some(t) }).unwrap();
        assert_eq!(
            write(nanos(1_700_000_000, 123_456_000)),
            r#"{"at":1700000000.123456}"#
        );
        assert_eq!(write(at(1, 100)), r#"{"at":1.1}"#);
        assert_eq!(write(nanos(1_576_540_098, 0)), r#"{"at":1576540098}"#);
        assert_eq!(write(nanos(-2, 500_000_000)), r#"{"at":-1.5}"#);
        for text in [
            r#"{"at":1700000000.123456}"#,
            r#"{"at":1700000000.1}"#,
            r#"{"at":1.123456789}"#,
        ] {
            let member: EpochMember = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&member).unwrap(), text);
        }
    }

    #[test]
    fn maps_of_timestamps_drop_null_values() {
        #[derive(serde::Deserialize)]
        struct Member {
            #[serde(with = "epoch_seconds")]
            v: HashMap<String, OffsetDateTime>,
        }
        let member: Member = serde_json::from_str(r#"{"v":{"a":1,"b":null}}"#).unwrap();
        assert_eq!(member.v.len(), 1);
        assert_eq!(member.v["a"], nanos(1, 0));
    }

    #[test]
    fn doubles_read_without_losing_a_unit_in_the_last_place() {
        let value: f64 = serde_json::from_str("982609.3605063795").unwrap();
        assert_eq!(value.to_bits(), 982609.3605063795_f64.to_bits());
        assert_eq!(serde_json::to_string(&value).unwrap(), "982609.3605063795");
    }

    #[test]
    fn special_floats_travel_as_strings() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Member {
            #[serde(default, with = "special_float")]
            v: Option<f32>,
        }
        let json = |v| serde_json::to_string(&Member { v }).unwrap();
        assert_eq!(json(Some(f32::NEG_INFINITY)), r#"{"v":"-Infinity"}"#);
        assert_eq!(json(Some(1.1)), r#"{"v":1.1}"#);
        assert_eq!(json(None), r#"{"v":null}"#);
        let read = |text: &str| serde_json::from_str::<Member>(text).map(|m| m.v);
        assert!(read(r#"{"v":"NaN"}"#).unwrap().unwrap().is_nan());
        assert_eq!(read(r#"{"v":2}"#).unwrap(), Some(2.0));
        assert_eq!(read("{}").unwrap(), None);
        assert!(read(r#"{"v":"nan"}"#).is_err());
    }

    #[derive(serde::Serialize, serde::Deserialize, Debug)]
    struct FloatContainers {
        #[serde(default, with = "special_float")]
        list: Option<Vec<f64>>,
        #[serde(default, with = "special_float")]
        nested: Option<Vec<Vec<f32>>>,
        #[serde(default, with = "special_float")]
        map: Option<HashMap<String, Vec<f64>>>,
    }

    #[test]
    fn special_floats_in_lists_and_maps_at_any_depth() {
        let text = r#"{
            "list": [1.5, "Infinity", "-Infinity", "NaN", 3],
            "nested": [[1.1], ["NaN", "-Infinity"]],
            "map": {"a": ["Infinity", 2.5], "gone": null}
        }"#;
        let read: FloatContainers = serde_json::from_str(text).unwrap();
        let list = read.list.as_deref().unwrap();
        assert_eq!(list[..3], [1.5, f64::INFINITY, f64::NEG_INFINITY]);
        assert!(list[3].is_nan());
        assert_eq!(list[4], 3.0);
        let nested = read.nested.as_deref().unwrap();
        assert_eq!(nested[0], [1.1_f32]);
        assert!(nested[1][0].is_nan());
        assert_eq!(nested[1][1], f32::NEG_INFINITY);
        let map = read.map.as_ref().unwrap();
        assert_eq!(map.len(), 1);
        assert_eq!(map["a"], [f64::INFINITY, 2.5]);
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            r#"{"list":[1.5,"Infinity","-Infinity","NaN",3.0],"nested":[[1.1],["NaN","-Infinity"]],"map":{"a":["Infinity",2.5]}}"#
        );
        let bad = r#"{"list": [1, "Inf"]}"#;
        let error = serde_json::from_str::<FloatContainers>(bad).unwrap_err();
        assert!(error.to_string().contains("\"Inf\""), "{error}");
    }

    #[test]
    fn blob_is_base64() {
        let blob = Blob::from("hi");
        assert_eq!(blob.to_base64(), "aGk=");
        assert_eq!(format!("{blob:?}"), "Blob(2 bytes)");
    }
}
