//! Small helpers shared by the API families: query strings and JSON field access.

use crate::error::{Error, Result};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

/// Characters left as they are in a query component (RFC 3986 unreserved).
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Builds `?k=v&...` (or the empty string) with every key and value percent-encoded.
pub(crate) fn query_string(params: &[(String, String)]) -> String {
    if params.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = params
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, QUERY),
                utf8_percent_encode(v, QUERY)
            )
        })
        .collect();
    format!("?{}", parts.join("&"))
}

/// Percent-encodes one path segment.
pub(crate) fn path_segment(s: &str) -> String {
    utf8_percent_encode(s, QUERY).to_string()
}

/// A required string field, or `PINATA_E_PROTOCOL` naming it.
pub(crate) fn str_field(v: &Value, name: &str) -> Result<String> {
    v.get(name)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Error::protocol(format!("the response lacks the string field `{name}`")))
}

/// An optional string field (absent or null gives `None`; numbers are stringified).
pub(crate) fn opt_str(v: &Value, name: &str) -> Option<String> {
    v.get(name).cloned().and_then(value_as_text)
}

/// A field's value as text: null gives `None`; numbers and the like are stringified.
pub(crate) fn value_as_text(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// An optional unsigned integer field (accepts numbers and numeric strings).
pub(crate) fn opt_u64(v: &Value, name: &str) -> Option<u64> {
    value_as_u64(v.get(name)?)
}

/// A field's value as an unsigned integer (a number or a numeric string).
pub(crate) fn value_as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A JSON number from a caller's `f64`, the one conversion every keyvalue number (pin
/// metadata and pin-list filters) goes through: it must be finite, and integral values
/// travel as integers, as JavaScript would print them.
pub(crate) fn json_number(value: f64) -> Result<Value> {
    let n = serde_json::Number::from_f64(value)
        .ok_or_else(|| Error::invalid_argument("a keyvalue number must be finite"))?;
    Ok(if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Value::from(value as i64)
    } else {
        Value::Number(n)
    })
}

/// Longest text argument accepted (names, keys, values, filters): far above any real
/// use, and small enough that a runaway caller gets a clear error, not a huge request.
pub(crate) const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Checks that a free-form text value (it travels inside JSON) is not overlong.
pub(crate) fn check_len(name: &str, value: &str) -> Result<()> {
    if value.len() > MAX_TEXT_BYTES {
        return Err(Error::invalid_argument(format!(
            "`{name}` is {} bytes long; at most {MAX_TEXT_BYTES} are accepted",
            value.len()
        )));
    }
    Ok(())
}

/// Checks that a text argument is non-empty, not overlong, and free of control
/// characters.
pub(crate) fn check_text(name: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_argument(format!("`{name}` is empty")));
    }
    check_len(name, value)?;
    if value.chars().any(char::is_control) {
        return Err(Error::invalid_argument(format!(
            "`{name}` contains control characters (CR, LF, NUL, ...)"
        )));
    }
    Ok(())
}

/// Checks that `text` is one JSON document, without building a tree, and returns it
/// without the whitespace around it. (serde_json's `RawValue` did the same, but its
/// `raw_value` feature makes every `Value` read take an object whose first key is
/// `"$serde_json::private::RawValue"` for that key's value, so the feature stays off.)
pub(crate) fn json_document<'a>(name: &str, text: &'a str) -> Result<&'a str> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map_err(|e| Error::invalid_argument(format!("`{name}` is not valid JSON: {e}")))?;
    Ok(text.trim_matches([' ', '\t', '\n', '\r']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_documents_are_checked_and_trimmed() {
        assert_eq!(
            json_document("json", " \t{\"a\": [1]}\r\n").unwrap(),
            "{\"a\": [1]}"
        );
        assert_eq!(json_document("json", "\"x\"").unwrap(), "\"x\"");
        for bad in ["", " ", "{", "{} {}", "[1,]", "\"\\ud800x\\q\""] {
            let e = json_document("json", bad).unwrap_err();
            assert!(
                e.to_string().contains("`json` is not valid JSON"),
                "{bad:?}: {e}"
            );
        }
    }

    #[test]
    fn json_trees_keep_serde_json_s_private_token_as_a_key() {
        // The `raw_value` feature would read this object as the JSON in its string.
        let v: Value =
            serde_json::from_str(r#"{"$serde_json::private::RawValue": "[1]"}"#).unwrap();
        assert_eq!(v["$serde_json::private::RawValue"], "[1]");
    }

    #[test]
    fn numbers_are_finite_and_integral_ones_are_integers() {
        assert_eq!(json_number(3.0).unwrap(), serde_json::json!(3));
        assert_eq!(json_number(2.5).unwrap(), serde_json::json!(2.5));
        assert!(json_number(f64::INFINITY).is_err());
        assert!(json_number(f64::NAN).is_err());
    }

    #[test]
    fn encodes_queries() {
        assert_eq!(query_string(&[]), "");
        assert_eq!(
            query_string(&[("metadata[name]".into(), "a b&c".into())]),
            "?metadata%5Bname%5D=a%20b%26c"
        );
    }
}
