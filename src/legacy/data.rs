//! The data API: the pin list with every filter and automatic paging
//! (`GET /data/pinList`), and usage totals (`GET /data/userPinnedDataTotal`).

use crate::client::Client;
use crate::error::{Error, Result};
use crate::legacy::pinning::check_cid;
use crate::transport::Request;
use crate::util::{check_text, json_number, opt_str, opt_u64, query_string};
use serde_json::{json, Map, Value};
use std::collections::VecDeque;

/// Which pin records to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinStatus {
    /// Pinned and unpinned records (the service's default).
    All,
    /// Currently pinned only.
    Pinned,
    /// Unpinned records only.
    Unpinned,
}

/// Comparison operators of the `metadata[keyvalues]` filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyvalueOp {
    Gt,
    Gte,
    Lt,
    Lte,
    Ne,
    Eq,
    Between,
    NotBetween,
    Like,
    NotLike,
    ILike,
    NotILike,
    Regexp,
    IRegexp,
}

impl KeyvalueOp {
    /// Every operator.
    pub const ALL: [KeyvalueOp; 14] = [
        KeyvalueOp::Gt,
        KeyvalueOp::Gte,
        KeyvalueOp::Lt,
        KeyvalueOp::Lte,
        KeyvalueOp::Ne,
        KeyvalueOp::Eq,
        KeyvalueOp::Between,
        KeyvalueOp::NotBetween,
        KeyvalueOp::Like,
        KeyvalueOp::NotLike,
        KeyvalueOp::ILike,
        KeyvalueOp::NotILike,
        KeyvalueOp::Regexp,
        KeyvalueOp::IRegexp,
    ];

    /// The operator's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyvalueOp::Gt => "gt",
            KeyvalueOp::Gte => "gte",
            KeyvalueOp::Lt => "lt",
            KeyvalueOp::Lte => "lte",
            KeyvalueOp::Ne => "ne",
            KeyvalueOp::Eq => "eq",
            KeyvalueOp::Between => "between",
            KeyvalueOp::NotBetween => "notBetween",
            KeyvalueOp::Like => "like",
            KeyvalueOp::NotLike => "notLike",
            KeyvalueOp::ILike => "iLike",
            KeyvalueOp::NotILike => "notILike",
            KeyvalueOp::Regexp => "regexp",
            KeyvalueOp::IRegexp => "iRegexp",
        }
    }

    /// The operator with this wire name (case-insensitive), as servers parse it.
    pub fn parse(name: &str) -> Option<KeyvalueOp> {
        KeyvalueOp::ALL
            .iter()
            .copied()
            .find(|op| op.as_str().eq_ignore_ascii_case(name))
    }

    /// Whether the operator takes a second value.
    pub fn is_range(self) -> bool {
        matches!(self, KeyvalueOp::Between | KeyvalueOp::NotBetween)
    }
}

/// One `metadata[keyvalues]` condition.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyvalueFilter {
    /// The key.
    pub key: String,
    /// The operator.
    pub op: KeyvalueOp,
    /// The value (string or number).
    pub value: Value,
    /// The upper bound for `between` / `notBetween`.
    pub second_value: Option<Value>,
}

/// Every filter of `GET /data/pinList`. All optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PinListQuery {
    /// CID (the service matches it as a substring).
    pub cid: Option<String>,
    /// Only pins in this group.
    pub group_id: Option<String>,
    /// Pinned / unpinned / all (service default: all).
    pub status: Option<PinStatus>,
    /// Pinned at or after this ISO-8601 time.
    pub pin_start: Option<String>,
    /// Pinned at or before this ISO-8601 time.
    pub pin_end: Option<String>,
    /// Unpinned at or after this ISO-8601 time.
    pub unpin_start: Option<String>,
    /// Unpinned at or before this ISO-8601 time.
    pub unpin_end: Option<String>,
    /// Size at least this many bytes.
    pub pin_size_min: Option<u64>,
    /// Size at most this many bytes.
    pub pin_size_max: Option<u64>,
    /// Name contains this text.
    pub name_contains: Option<String>,
    /// Keyvalue conditions (all must hold).
    pub keyvalues: Vec<KeyvalueFilter>,
    /// Rows per page, 1–1000 (default 100 for iteration).
    pub page_limit: Option<u32>,
    /// Rows to skip before the first.
    pub page_offset: u64,
}

/// Checks a page size: 1 to 1000 rows.
fn check_page_limit(limit: u32) -> Result<()> {
    if !(1..=1000).contains(&limit) {
        return Err(Error::invalid_argument(
            "`page_limit` must be between 1 and 1000",
        ));
    }
    Ok(())
}

impl PinListQuery {
    /// Sets the page size (1–1000), checked now rather than at the first request.
    pub fn set_page_limit(&mut self, page_limit: u32) -> Result<()> {
        check_page_limit(page_limit)?;
        self.page_limit = Some(page_limit);
        Ok(())
    }

    /// Adds a keyvalue condition on text; `second_value` is the upper bound of the
    /// range operators.
    pub fn add_keyvalue_string(
        &mut self,
        key: &str,
        op: KeyvalueOp,
        value: &str,
        second_value: Option<&str>,
    ) -> Result<()> {
        self.add_keyvalue(key, op, Value::from(value), second_value.map(Value::from))
    }

    /// Adds a keyvalue condition on a number (finite; converted as metadata numbers
    /// are); `second_value` is the upper bound of the range operators.
    pub fn add_keyvalue_number(
        &mut self,
        key: &str,
        op: KeyvalueOp,
        value: f64,
        second_value: Option<f64>,
    ) -> Result<()> {
        let second = second_value.map(json_number).transpose()?;
        self.add_keyvalue(key, op, json_number(value)?, second)
    }

    /// Adds a keyvalue condition, checking that range operators get a second value.
    pub fn add_keyvalue(
        &mut self,
        key: &str,
        op: KeyvalueOp,
        value: Value,
        second_value: Option<Value>,
    ) -> Result<()> {
        check_text("key", key)?;
        if op.is_range() != second_value.is_some() {
            return Err(Error::invalid_argument(format!(
                "operator `{}` {} a second value",
                op.as_str(),
                if op.is_range() { "needs" } else { "takes no" }
            )));
        }
        for v in std::iter::once(&value).chain(second_value.as_ref()) {
            if let Value::String(text) = v {
                crate::util::check_len("value", text)?;
            }
            if !(v.is_string() || v.is_number()) {
                return Err(Error::invalid_argument(
                    "keyvalue filter values are strings or numbers",
                ));
            }
        }
        self.keyvalues.push(KeyvalueFilter {
            key: key.to_string(),
            op,
            value,
            second_value,
        });
        Ok(())
    }

    fn validate(&self) -> Result<()> {
        let texts = [
            ("cid", &self.cid),
            ("group_id", &self.group_id),
            ("pin_start", &self.pin_start),
            ("pin_end", &self.pin_end),
            ("unpin_start", &self.unpin_start),
            ("unpin_end", &self.unpin_end),
            ("name_contains", &self.name_contains),
        ];
        for (name, value) in texts {
            if let Some(v) = value {
                check_text(name, v)?;
            }
        }
        if let Some(l) = self.page_limit {
            check_page_limit(l)?;
        }
        if let (Some(a), Some(b)) = (self.pin_size_min, self.pin_size_max) {
            if a > b {
                return Err(Error::invalid_argument(
                    "`pin_size_min` is larger than `pin_size_max`",
                ));
            }
        }
        Ok(())
    }

    /// The query string for one page.
    pub fn to_query_string(&self, offset: u64, limit: u32) -> String {
        let mut p: Vec<(String, String)> = Vec::new();
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                p.push((k.to_string(), v));
            }
        };
        push("cid", self.cid.clone());
        push("groupId", self.group_id.clone());
        push(
            "status",
            self.status.map(|s| {
                match s {
                    PinStatus::All => "all",
                    PinStatus::Pinned => "pinned",
                    PinStatus::Unpinned => "unpinned",
                }
                .to_string()
            }),
        );
        push("pinStart", self.pin_start.clone());
        push("pinEnd", self.pin_end.clone());
        push("unpinStart", self.unpin_start.clone());
        push("unpinEnd", self.unpin_end.clone());
        push("pinSizeMin", self.pin_size_min.map(|n| n.to_string()));
        push("pinSizeMax", self.pin_size_max.map(|n| n.to_string()));
        push("metadata[name]", self.name_contains.clone());
        if !self.keyvalues.is_empty() {
            let mut m = Map::new();
            for f in &self.keyvalues {
                let mut cond = json!({ "value": f.value, "op": f.op.as_str() });
                if let Some(s) = &f.second_value {
                    cond["secondValue"] = s.clone();
                }
                m.insert(f.key.clone(), cond);
            }
            push("metadata[keyvalues]", Some(Value::Object(m).to_string()));
        }
        push("pageLimit", Some(limit.to_string()));
        push("pageOffset", Some(offset.to_string()));
        query_string(&p)
    }
}

/// One pin record.
#[derive(Clone, Debug, PartialEq)]
pub struct PinRow {
    /// The record's id.
    pub id: String,
    /// The CID.
    pub cid: String,
    /// Size in bytes.
    pub size: u64,
    /// When it was pinned (ISO-8601).
    pub date_pinned: Option<String>,
    /// When it was unpinned, if it was.
    pub date_unpinned: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// Its keyvalues (an object, or null).
    pub keyvalues: Value,
    /// The whole JSON row, for fields this version does not model.
    pub raw: Value,
}

impl PinRow {
    pub(crate) fn from_json(v: Value) -> Result<PinRow> {
        let metadata = v.get("metadata").cloned().unwrap_or(Value::Null);
        Ok(PinRow {
            id: opt_str(&v, "id").unwrap_or_default(),
            cid: opt_str(&v, "ipfs_pin_hash")
                .ok_or_else(|| Error::protocol("a pin row lacks `ipfs_pin_hash`"))?,
            size: opt_u64(&v, "size").unwrap_or(0),
            date_pinned: opt_str(&v, "date_pinned"),
            date_unpinned: opt_str(&v, "date_unpinned"),
            name: opt_str(&metadata, "name"),
            keyvalues: metadata.get("keyvalues").cloned().unwrap_or(Value::Null),
            raw: v,
        })
    }
}

/// One page of the pin list.
#[derive(Clone, Debug, PartialEq)]
pub struct PinListPage {
    /// The total count, when the service included it.
    pub count: Option<u64>,
    /// The rows.
    pub rows: Vec<PinRow>,
}

/// Iterates over the whole pin list, fetching pages as needed. It stops when a page
/// comes back shorter than the page size or when the reported count is reached (it
/// never relies on `count` being present). It holds its own clone of the client, so
/// it outlives the client it came from.
pub struct PinListIter {
    client: Client,
    query: PinListQuery,
    offset: u64,
    limit: u32,
    buffered: VecDeque<PinRow>,
    count: Option<u64>,
    done: bool,
}

impl PinListIter {
    /// The total the service reported with the last page, if any.
    pub fn total(&self) -> Option<u64> {
        self.count
    }

    /// The next row, `Ok(None)` at the end.
    pub fn next_row(&mut self) -> Result<Option<PinRow>> {
        if self.buffered.is_empty() && !self.done {
            let page = self
                .client
                .pin_list_page(&self.query, self.offset, self.limit)?;
            let n = page.rows.len() as u64;
            self.offset += n;
            self.count = page.count.or(self.count);
            if n < u64::from(self.limit) || self.count.is_some_and(|c| self.offset >= c) {
                self.done = true;
            }
            self.buffered.extend(page.rows);
        }
        Ok(self.buffered.pop_front())
    }
}

impl Iterator for PinListIter {
    type Item = Result<PinRow>;
    fn next(&mut self) -> Option<Self::Item> {
        match self.next_row() {
            Ok(Some(row)) => Some(Ok(row)),
            Ok(None) => None,
            Err(e) => {
                self.done = true;
                self.buffered.clear();
                Some(Err(e))
            }
        }
    }
}

/// Account usage totals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    /// Number of pins.
    pub pin_count: u64,
    /// Total size of the pins in bytes.
    pub pin_size_total: u64,
    /// Total size including replications.
    pub pin_size_with_replications_total: u64,
}

impl Client {
    /// Fetches one page of the pin list.
    pub fn pin_list_page(
        &self,
        query: &PinListQuery,
        offset: u64,
        limit: u32,
    ) -> Result<PinListPage> {
        query.validate()?;
        if let Some(c) = &query.cid {
            // A full CID is checked; a fragment is allowed (substring match).
            if c.len() >= 46 {
                check_cid(c)?;
            }
        }
        let v = self.send_json(Request::get(format!(
            "/data/pinList{}",
            query.to_query_string(offset, limit)
        )))?;
        let rows = v
            .get("rows")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::protocol("the pin list lacks `rows`"))?;
        Ok(PinListPage {
            count: opt_u64(&v, "count"),
            rows: rows
                .iter()
                .cloned()
                .map(PinRow::from_json)
                .collect::<Result<_>>()?,
        })
    }

    /// Iterates over every pin matching the query, from its `page_offset`.
    pub fn pin_list(&self, query: &PinListQuery) -> Result<PinListIter> {
        query.validate()?;
        Ok(PinListIter {
            client: self.clone(),
            offset: query.page_offset,
            limit: query.page_limit.unwrap_or(100),
            query: query.clone(),
            buffered: VecDeque::new(),
            count: None,
            done: false,
        })
    }

    /// Usage totals (`GET /data/userPinnedDataTotal`).
    pub fn usage(&self) -> Result<Usage> {
        let v = self.send_json(Request::get("/data/userPinnedDataTotal"))?;
        let field = |name: &str| {
            opt_u64(&v, name)
                .ok_or_else(|| Error::protocol(format!("the usage answer lacks `{name}`")))
        };
        Ok(Usage {
            pin_count: field("pin_count")?,
            pin_size_total: field("pin_size_total")?,
            pin_size_with_replications_total: opt_u64(&v, "pin_size_with_replications_total")
                .unwrap_or(0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_string_has_every_filter() {
        let mut q = PinListQuery {
            cid: Some("Qm".into()),
            status: Some(PinStatus::Pinned),
            pin_size_min: Some(1),
            name_contains: Some("a b".into()),
            ..Default::default()
        };
        q.add_keyvalue("env", KeyvalueOp::Eq, json!("prod"), None)
            .unwrap();
        q.add_keyvalue("n", KeyvalueOp::Between, json!(1), Some(json!(5)))
            .unwrap();
        let s = q.to_query_string(20, 10);
        assert!(s.starts_with(
            "?cid=Qm&status=pinned&pinSizeMin=1&metadata%5Bname%5D=a%20b&metadata%5Bkeyvalues%5D="
        ));
        assert!(s.ends_with("&pageLimit=10&pageOffset=20"));
        assert!(s.contains("%22op%22%3A%22between%22"));
        assert!(q
            .add_keyvalue("x", KeyvalueOp::Between, json!(1), None)
            .is_err());
        assert!(q
            .add_keyvalue("x", KeyvalueOp::Eq, json!(1), Some(json!(2)))
            .is_err());
        assert!(q
            .add_keyvalue("x", KeyvalueOp::Eq, json!([1]), None)
            .is_err());
    }

    #[test]
    fn typed_keyvalue_filters_and_page_limit() {
        let mut q = PinListQuery::default();
        q.add_keyvalue_number("n", KeyvalueOp::Between, 1.0, Some(2.5))
            .unwrap();
        q.add_keyvalue_string("s", KeyvalueOp::Eq, "x", None)
            .unwrap();
        assert_eq!(q.keyvalues[0].value, json!(1));
        assert_eq!(q.keyvalues[0].second_value, Some(json!(2.5)));
        assert_eq!(q.keyvalues[1].value, json!("x"));
        let e = q
            .add_keyvalue_number("n", KeyvalueOp::Gt, f64::INFINITY, None)
            .unwrap_err();
        assert!(e.message().contains("finite"));
        assert!(q.set_page_limit(0).is_err());
        assert!(q.set_page_limit(1001).is_err());
        q.set_page_limit(1000).unwrap();
        assert_eq!(q.page_limit, Some(1000));
    }
}
