//! The `/data/pinList` query grammar (`reference/pinata-api.md` §3.7):
//! CID, group, date and size ranges, status, paging, `metadata[name]`, and
//! `metadata[keyvalues]` operator filters.

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDate, Utc};
use regex::Regex;
use serde_json::{Map, Value};

use crate::state::PinRow;

/// `status=` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    /// Active and unpinned rows (default).
    All,
    /// Active rows only.
    Pinned,
    /// Unpinned rows only.
    Unpinned,
}

/// A keyvalue comparison operator: the library's own type, so the emulator and the
/// client agree on the grammar.
pub use pinata::legacy::data::KeyvalueOp as Op;

/// One `metadata[keyvalues]` condition.
#[derive(Clone, Debug)]
pub struct KvFilter {
    /// Keyvalue name.
    pub key: String,
    /// Operator.
    pub op: Op,
    /// `value`.
    pub value: Value,
    /// `secondValue` (between / notBetween).
    pub second: Option<Value>,
    /// Compiled pattern for the LIKE and regexp operators.
    pattern: Option<Regex>,
}

/// A parsed pinList query.
#[derive(Clone, Debug)]
pub struct PinQuery {
    /// Include `count` in the response (default true).
    pub include_count: bool,
    cid: Option<String>,
    group_id: Option<String>,
    pin_start: Option<DateTime<Utc>>,
    pin_end: Option<DateTime<Utc>>,
    unpin_start: Option<DateTime<Utc>>,
    unpin_end: Option<DateTime<Utc>>,
    size_min: Option<u64>,
    size_max: Option<u64>,
    status: StatusFilter,
    /// Page size (1–1000, default 10).
    pub limit: usize,
    /// Rows to skip.
    pub offset: usize,
    name: Option<String>,
    kv: Vec<KvFilter>,
}

fn parse_date(name: &str, v: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(d) = DateTime::parse_from_rfc3339(v) {
        return Ok(d.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        if let Some(t) = d.and_hms_opt(0, 0, 0) {
            return Ok(t.and_utc());
        }
    }
    Err(format!("{name} must be an ISO-8601 date"))
}

fn parse_u64(name: &str, v: &str) -> Result<u64, String> {
    v.trim()
        .parse()
        .map_err(|_| format!("{name} must be a non-negative integer"))
}

/// SQL LIKE pattern (`%`, `_`, `\` escapes) as an anchored regex.
fn like_regex(pattern: &str, case_insensitive: bool) -> Result<Regex, String> {
    let mut re = String::from(if case_insensitive { "(?is)^" } else { "(?s)^" });
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '%' => re.push_str(".*"),
            '_' => re.push('.'),
            '\\' => {
                if let Some(n) = chars.next() {
                    re.push_str(&regex::escape(&n.to_string()));
                }
            }
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    Regex::new(&re).map_err(|e| format!("invalid LIKE pattern: {e}"))
}

/// The text form used by string comparisons.
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// Compares a row value with a filter value: numerically when one is a JSON
/// number and the other is (or parses as) a number, otherwise as strings.
fn compare(row: &Value, filter: &Value) -> Ordering {
    if row.is_number() || filter.is_number() {
        if let (Some(a), Some(b)) = (as_number(row), as_number(filter)) {
            return a.partial_cmp(&b).unwrap_or(Ordering::Equal);
        }
    }
    as_text(row).cmp(&as_text(filter))
}

impl KvFilter {
    fn new(key: &str, spec: &Value) -> Result<KvFilter, String> {
        let (value, op, second) = match spec {
            Value::Object(o) if o.contains_key("value") || o.contains_key("op") => {
                let value = o.get("value").cloned().unwrap_or(Value::Null);
                let op = match o.get("op") {
                    None | Some(Value::Null) => Op::Eq,
                    Some(Value::String(s)) => {
                        Op::parse(s).ok_or_else(|| format!("unknown keyvalue operator {s:?}"))?
                    }
                    Some(_) => return Err("keyvalue op must be a string".into()),
                };
                (value, op, o.get("secondValue").cloned())
            }
            other => (other.clone(), Op::Eq, None),
        };
        if value.is_null() || value.is_object() || value.is_array() {
            return Err(format!(
                "keyvalue filter {key:?} needs a string or number value"
            ));
        }
        if matches!(op, Op::Between | Op::NotBetween)
            && !second
                .as_ref()
                .is_some_and(|s| s.is_string() || s.is_number())
        {
            return Err(format!("keyvalue filter {key:?}: {op:?} needs secondValue"));
        }
        let pattern = match op {
            Op::Like | Op::NotLike => Some(like_regex(&as_text(&value), false)?),
            Op::ILike | Op::NotILike => Some(like_regex(&as_text(&value), true)?),
            Op::Regexp => {
                Some(Regex::new(&as_text(&value)).map_err(|e| format!("invalid regexp: {e}"))?)
            }
            Op::IRegexp => Some(
                Regex::new(&format!("(?i){}", as_text(&value)))
                    .map_err(|e| format!("invalid regexp: {e}"))?,
            ),
            _ => None,
        };
        Ok(KvFilter {
            key: key.to_string(),
            op,
            value,
            second,
            pattern,
        })
    }

    /// True when the row's keyvalues satisfy this condition. A row without the
    /// key never matches (SQL NULL semantics), whatever the operator.
    pub fn matches(&self, kv: Option<&Map<String, Value>>) -> bool {
        let Some(v) = kv.and_then(|m| m.get(&self.key)) else {
            return false;
        };
        if v.is_null() {
            return false;
        }
        let c = || compare(v, &self.value);
        let in_range = || {
            let second = self.second.as_ref().unwrap_or(&Value::Null);
            c() != Ordering::Less && compare(v, second) != Ordering::Greater
        };
        let pat = || {
            self.pattern
                .as_ref()
                .is_some_and(|p| p.is_match(&as_text(v)))
        };
        match self.op {
            Op::Gt => c() == Ordering::Greater,
            Op::Gte => c() != Ordering::Less,
            Op::Lt => c() == Ordering::Less,
            Op::Lte => c() != Ordering::Greater,
            Op::Eq => c() == Ordering::Equal,
            Op::Ne => c() != Ordering::Equal,
            Op::Between => in_range(),
            Op::NotBetween => !in_range(),
            Op::Like | Op::ILike | Op::Regexp | Op::IRegexp => pat(),
            Op::NotLike | Op::NotILike => !pat(),
        }
    }
}

/// Reads a `metadata[keyvalues]` JSON object into filters.
fn kv_from_object(obj: &Value, out: &mut Vec<KvFilter>) -> Result<(), String> {
    let Value::Object(m) = obj else {
        return Err("metadata[keyvalues] must be a JSON object".into());
    };
    for (k, spec) in m {
        out.push(KvFilter::new(k, spec)?);
    }
    Ok(())
}

impl PinQuery {
    /// Parses decoded query pairs. Errors are messages for a 400.
    pub fn parse(pairs: &[(String, String)]) -> Result<PinQuery, String> {
        let mut q = PinQuery {
            include_count: true,
            cid: None,
            group_id: None,
            pin_start: None,
            pin_end: None,
            unpin_start: None,
            unpin_end: None,
            size_min: None,
            size_max: None,
            status: StatusFilter::All,
            limit: 10,
            offset: 0,
            name: None,
            kv: Vec::new(),
        };
        // metadata[keyvalues][k][value|op|secondValue] parts, by key.
        let mut nested: Vec<(String, Map<String, Value>)> = Vec::new();
        for (k, v) in pairs {
            match k.as_str() {
                "includeCount" => q.include_count = v != "false",
                "cid" | "hashContains" => q.cid = Some(v.clone()),
                "groupId" => q.group_id = Some(v.clone()),
                "pinStart" => q.pin_start = Some(parse_date(k, v)?),
                "pinEnd" => q.pin_end = Some(parse_date(k, v)?),
                "unpinStart" => q.unpin_start = Some(parse_date(k, v)?),
                "unpinEnd" => q.unpin_end = Some(parse_date(k, v)?),
                "pinSizeMin" => q.size_min = Some(parse_u64(k, v)?),
                "pinSizeMax" => q.size_max = Some(parse_u64(k, v)?),
                "status" => {
                    q.status = match v.as_str() {
                        "all" => StatusFilter::All,
                        "pinned" => StatusFilter::Pinned,
                        "unpinned" => StatusFilter::Unpinned,
                        _ => return Err("status must be one of all, pinned, unpinned".into()),
                    }
                }
                "pageLimit" => {
                    q.limit = v
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=1000).contains(n))
                        .ok_or("pageLimit must be an integer between 1 and 1000")?
                }
                "pageOffset" => q.offset = parse_u64(k, v)? as usize,
                "metadata[name]" => q.name = Some(v.to_lowercase()),
                "metadata[keyvalues]" => {
                    let obj: Value = serde_json::from_str(v)
                        .map_err(|_| "metadata[keyvalues] must be URL-encoded JSON".to_string())?;
                    kv_from_object(&obj, &mut q.kv)?;
                }
                other => {
                    if let Some(rest) = other.strip_prefix("metadata[keyvalues][") {
                        let Some((key, tail)) = rest.split_once(']') else {
                            return Err(format!("malformed parameter {other:?}"));
                        };
                        if tail.is_empty() {
                            let spec = serde_json::from_str::<Value>(v)
                                .unwrap_or_else(|_| Value::String(v.clone()));
                            q.kv.push(KvFilter::new(key, &spec)?);
                        } else {
                            let field = tail
                                .strip_prefix('[')
                                .and_then(|t| t.strip_suffix(']'))
                                .ok_or_else(|| format!("malformed parameter {other:?}"))?;
                            let val = if field == "op" {
                                Value::String(v.clone())
                            } else {
                                string_or_number(v)
                            };
                            match nested.iter_mut().find(|(k, _)| k == key) {
                                Some((_, m)) => {
                                    m.insert(field.to_string(), val);
                                }
                                None => {
                                    let mut m = Map::new();
                                    m.insert(field.to_string(), val);
                                    nested.push((key.to_string(), m));
                                }
                            }
                        }
                    }
                }
            }
        }
        for (key, m) in nested {
            q.kv.push(KvFilter::new(&key, &Value::Object(m))?);
        }
        Ok(q)
    }

    /// True when `row` passes every filter (paging aside).
    pub fn matches(&self, row: &PinRow) -> bool {
        if let Some(c) = &self.cid {
            if !row.cid.contains(c.as_str()) {
                return false;
            }
        }
        if let Some(g) = &self.group_id {
            if row.group_id.as_deref() != Some(g.as_str()) {
                return false;
            }
        }
        match self.status {
            StatusFilter::All => {}
            StatusFilter::Pinned if !row.active() => return false,
            StatusFilter::Unpinned if row.active() => return false,
            _ => {}
        }
        if self.pin_start.is_some_and(|s| row.date_pinned < s)
            || self.pin_end.is_some_and(|e| row.date_pinned > e)
        {
            return false;
        }
        if self.unpin_start.is_some() || self.unpin_end.is_some() {
            let Some(u) = row.date_unpinned else {
                return false;
            };
            if self.unpin_start.is_some_and(|s| u < s) || self.unpin_end.is_some_and(|e| u > e) {
                return false;
            }
        }
        if self.size_min.is_some_and(|m| row.size < m)
            || self.size_max.is_some_and(|m| row.size > m)
        {
            return false;
        }
        if let Some(n) = &self.name {
            match &row.name {
                Some(name) if name.to_lowercase().contains(n.as_str()) => {}
                _ => return false,
            }
        }
        self.kv.iter().all(|f| f.matches(row.keyvalues.as_ref()))
    }
}

/// A query-string value as a JSON number when it is one, else a string.
fn string_or_number(v: &str) -> Value {
    match serde_json::from_str::<Value>(v) {
        Ok(n @ Value::Number(_)) => n,
        _ => Value::String(v.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kv(spec: Value) -> KvFilter {
        KvFilter::new("k", &spec).unwrap()
    }

    fn m(v: Value) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("k".into(), v);
        m
    }

    #[test]
    fn operators() {
        let five = m(json!(5));
        assert!(kv(json!({"value": 4, "op": "gt"})).matches(Some(&five)));
        assert!(kv(json!({"value": "10", "op": "lt"})).matches(Some(&five)));
        assert!(kv(json!({"value": 5, "op": "gte"})).matches(Some(&five)));
        assert!(!kv(json!({"value": 5, "op": "ne"})).matches(Some(&five)));
        assert!(kv(json!({"value": 1, "op": "between", "secondValue": 5})).matches(Some(&five)));
        assert!(kv(json!({"value": 6, "op": "notBetween", "secondValue": 9})).matches(Some(&five)));
        let s = m(json!("Hello_World"));
        assert!(kv(json!({"value": "Hel%", "op": "like"})).matches(Some(&s)));
        assert!(!kv(json!({"value": "hel%", "op": "like"})).matches(Some(&s)));
        assert!(kv(json!({"value": "hel%", "op": "iLike"})).matches(Some(&s)));
        assert!(kv(json!({"value": "Hello_Worl_", "op": "like"})).matches(Some(&s)));
        assert!(kv(json!({"value": "x%", "op": "notLike"})).matches(Some(&s)));
        assert!(kv(json!({"value": "^Hel+o", "op": "regexp"})).matches(Some(&s)));
        assert!(kv(json!({"value": "world$", "op": "iRegexp"})).matches(Some(&s)));
        assert!(kv(json!("Hello_World")).matches(Some(&s)));
        assert!(!kv(json!({"value": "x", "op": "ne"})).matches(None));
        assert!(KvFilter::new("k", &json!({"value": 1, "op": "between"})).is_err());
        assert!(KvFilter::new("k", &json!({"value": 1, "op": "nope"})).is_err());
        // ISO dates compare as strings.
        let d = m(json!("2023-06-16T17:24:37.998Z"));
        assert!(kv(json!({"value": "2023-01-01", "op": "gt"})).matches(Some(&d)));
    }

    #[test]
    fn nested_form() {
        let pairs = vec![
            ("metadata[keyvalues][k][value]".to_string(), "3".to_string()),
            ("metadata[keyvalues][k][op]".to_string(), "gt".to_string()),
        ];
        let q = PinQuery::parse(&pairs).unwrap();
        assert_eq!(q.kv.len(), 1);
        assert_eq!(q.kv[0].op, Op::Gt);
        assert!(PinQuery::parse(&[("pageLimit".into(), "0".into())]).is_err());
    }
}
