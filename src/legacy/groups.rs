//! Legacy groups (`/groups`, CID based): create, list with automatic offset paging,
//! get, update, delete, and adding or removing CIDs.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::legacy::pinning::check_cid;
use crate::transport::{Hooks, Method, Request};
use crate::util::{check_text, opt_str, path_segment, query_string};
use serde_json::{json, Value};
use std::collections::VecDeque;

/// One legacy group.
#[derive(Clone, Debug, PartialEq)]
pub struct PinGroup {
    /// The group's id (a UUID).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The owner's user id, when the service gave it.
    pub user_id: Option<String>,
    /// Creation time (ISO-8601), when given.
    pub created_at: Option<String>,
    /// Last change (ISO-8601), when given.
    pub updated_at: Option<String>,
    /// The whole JSON object, for fields this version does not model.
    pub raw: Value,
}

impl PinGroup {
    pub(crate) fn from_json(v: Value) -> Result<PinGroup> {
        let field = |name: &str| {
            opt_str(&v, name)
                .ok_or_else(|| Error::protocol(format!("a group lacks the field `{name}`")))
        };
        Ok(PinGroup {
            id: field("id")?,
            name: field("name")?,
            user_id: opt_str(&v, "user_id"),
            created_at: opt_str(&v, "createdAt"),
            updated_at: opt_str(&v, "updatedAt"),
            raw: v,
        })
    }
}

/// Filters and paging of `GET /groups`. All optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PinGroupQuery {
    /// Only groups whose name contains this text.
    pub name_contains: Option<String>,
    /// Groups per request, 1–1000 (default 10).
    pub limit: Option<u32>,
    /// Groups to skip before the first.
    pub offset: u64,
}

/// Checks a page size: 1 to 1000.
fn check_limit(limit: u32) -> Result<()> {
    if !(1..=1000).contains(&limit) {
        return Err(Error::invalid_argument(
            "`limit` must be between 1 and 1000",
        ));
    }
    Ok(())
}

impl PinGroupQuery {
    /// Sets the page size (1–1000), checked now.
    pub fn set_limit(&mut self, limit: u32) -> Result<()> {
        check_limit(limit)?;
        self.limit = Some(limit);
        Ok(())
    }

    fn validate(&self) -> Result<()> {
        if let Some(n) = &self.name_contains {
            check_text("name_contains", n)?;
        }
        if let Some(l) = self.limit {
            check_limit(l)?;
        }
        Ok(())
    }

    fn to_query_string(&self, offset: u64, limit: u32) -> String {
        let mut p = Vec::new();
        if let Some(n) = &self.name_contains {
            p.push(("nameContains".to_string(), n.clone()));
        }
        p.push(("offset".to_string(), offset.to_string()));
        p.push(("limit".to_string(), limit.to_string()));
        query_string(&p)
    }
}

/// Iterates over every group matching a query, fetching pages as needed; it stops at
/// the first page shorter than the page size. It holds its own clone of the client.
pub struct PinGroupIter {
    client: Client,
    query: PinGroupQuery,
    offset: u64,
    limit: u32,
    buffered: VecDeque<PinGroup>,
    done: bool,
}

impl PinGroupIter {
    /// The next group, `Ok(None)` at the end. After an error, calling again fetches
    /// the failed page again.
    pub fn next_group(&mut self) -> Result<Option<PinGroup>> {
        if self.buffered.is_empty() && !self.done {
            let page = self
                .client
                .pin_group_list_page(&self.query, self.offset, self.limit)?;
            self.offset += page.len() as u64;
            if page.len() < self.limit as usize {
                self.done = true;
            }
            self.buffered.extend(page);
        }
        Ok(self.buffered.pop_front())
    }
}

impl Iterator for PinGroupIter {
    type Item = Result<PinGroup>;
    fn next(&mut self) -> Option<Self::Item> {
        match self.next_group() {
            Ok(g) => g.map(Ok),
            Err(e) => {
                self.done = true;
                self.buffered.clear();
                Some(Err(e))
            }
        }
    }
}

/// Checks a group id (it becomes a path segment).
pub(crate) fn check_group_id(id: &str) -> Result<()> {
    check_text("group_id", id)
}

fn check_cids(cids: &[&str]) -> Result<()> {
    if cids.is_empty() {
        return Err(Error::invalid_argument("`cids` is empty"));
    }
    for c in cids {
        check_cid(c)?;
    }
    Ok(())
}

impl Client {
    /// Creates a group (`POST /groups`).
    pub fn pin_group_create(&self, name: &str) -> Result<PinGroup> {
        check_text("name", name)?;
        let v = self.send_json(Request::json(
            Method::Post,
            "/groups",
            &json!({ "name": name }),
        ))?;
        PinGroup::from_json(v)
    }

    /// Fetches one page of groups (`GET /groups`), a bare JSON array.
    pub fn pin_group_list_page(
        &self,
        query: &PinGroupQuery,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<PinGroup>> {
        query.validate()?;
        check_limit(limit)?;
        let v = self.send_json(Request::get(format!(
            "/groups{}",
            query.to_query_string(offset, limit)
        )))?;
        match v {
            Value::Array(rows) => rows.into_iter().map(PinGroup::from_json).collect(),
            _ => Err(Error::protocol("the group list is not a JSON array")),
        }
    }

    /// Iterates over every group matching the query, from its `offset`.
    pub fn pin_groups(&self, query: &PinGroupQuery) -> Result<PinGroupIter> {
        query.validate()?;
        Ok(PinGroupIter {
            client: self.clone(),
            offset: query.offset,
            limit: query.limit.unwrap_or(10),
            query: query.clone(),
            buffered: VecDeque::new(),
            done: false,
        })
    }

    /// One group (`GET /groups/{id}`); an unknown id gives `PINATA_E_NOT_FOUND`.
    pub fn pin_group_get(&self, id: &str) -> Result<PinGroup> {
        check_group_id(id)?;
        let v = self.send_json(Request::get(format!("/groups/{}", path_segment(id))))?;
        PinGroup::from_json(v)
    }

    /// Renames a group (`PUT /groups/{id}`) and returns it as updated.
    pub fn pin_group_update(&self, id: &str, name: &str) -> Result<PinGroup> {
        check_group_id(id)?;
        check_text("name", name)?;
        let v = self.send_json(Request::json(
            Method::Put,
            format!("/groups/{}", path_segment(id)),
            &json!({ "name": name }),
        ))?;
        PinGroup::from_json(v)
    }

    /// Deletes a group (`DELETE /groups/{id}`); its pins stay pinned.
    pub fn pin_group_delete(&self, id: &str) -> Result<()> {
        check_group_id(id)?;
        self.send(
            Request::bodyless(Method::Delete, format!("/groups/{}", path_segment(id))),
            &mut Hooks::default(),
        )?;
        Ok(())
    }

    /// Adds CIDs to a group (`PUT /groups/{id}/cids`).
    pub fn pin_group_add_cids(&self, id: &str, cids: &[&str]) -> Result<()> {
        self.pin_group_cids(Method::Put, id, cids)
    }

    /// Removes CIDs from a group (`DELETE /groups/{id}/cids`, a JSON body on DELETE).
    pub fn pin_group_remove_cids(&self, id: &str, cids: &[&str]) -> Result<()> {
        self.pin_group_cids(Method::Delete, id, cids)
    }

    fn pin_group_cids(&self, method: Method, id: &str, cids: &[&str]) -> Result<()> {
        check_group_id(id)?;
        check_cids(cids)?;
        self.send(
            Request::json(
                method,
                format!("/groups/{}/cids", path_segment(id)),
                &json!({ "cids": cids }),
            ),
            &mut Hooks::default(),
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_string_and_limits() {
        let mut q = PinGroupQuery {
            name_contains: Some("a b".into()),
            ..Default::default()
        };
        assert_eq!(
            q.to_query_string(20, 5),
            "?nameContains=a%20b&offset=20&limit=5"
        );
        assert!(q.set_limit(0).is_err());
        assert!(q.set_limit(1001).is_err());
        q.set_limit(1000).unwrap();
        assert!(check_cids(&[]).is_err());
        assert!(check_cids(&["nope"]).is_err());
        assert!(check_group_id("a\r\nb").is_err());
    }

    #[test]
    fn group_needs_id_and_name() {
        assert!(PinGroup::from_json(json!({"id": "x"})).is_err());
        let g = PinGroup::from_json(json!({"id": "x", "name": "n", "createdAt": "t"})).unwrap();
        assert_eq!(g.created_at.as_deref(), Some("t"));
        assert_eq!(g.updated_at, None);
    }
}
