//! v3 groups (`/v3/groups/{network}`, file-ID based): create, list with a page-token
//! iterator, get, update, delete, and adding or removing one file.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::transport::{Hooks, Method, Request};
use crate::util::{check_text, opt_str, path_segment, query_string};
use crate::v3::{data_of as data, Network};
use serde_json::{json, Map, Value};
use std::collections::VecDeque;

/// One v3 group.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// The group's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether its files are public on the gateway.
    pub is_public: bool,
    /// Creation time (ISO-8601), when given.
    pub created_at: Option<String>,
    /// The whole JSON object, for fields this version does not model.
    pub raw: Value,
}

impl Group {
    pub(crate) fn from_json(v: Value) -> Result<Group> {
        let field = |name: &str| {
            opt_str(&v, name)
                .ok_or_else(|| Error::protocol(format!("a group lacks the field `{name}`")))
        };
        Ok(Group {
            id: field("id")?,
            name: field("name")?,
            // One documented example spells it `public`.
            is_public: v
                .get("is_public")
                .or_else(|| v.get("public"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
            created_at: opt_str(&v, "created_at"),
            raw: v,
        })
    }
}

/// Filters of `GET /v3/groups/{network}`. All optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupQuery {
    /// Only groups whose name matches this text.
    pub name: Option<String>,
    /// Only public (`true`) or only non-public (`false`) groups.
    pub is_public: Option<bool>,
    /// Groups per request, 1–1000 (the service's default when unset).
    pub limit: Option<u32>,
}

fn check_limit(limit: u32) -> Result<()> {
    if !(1..=1000).contains(&limit) {
        return Err(Error::invalid_argument(
            "`limit` must be between 1 and 1000",
        ));
    }
    Ok(())
}

impl GroupQuery {
    /// Sets the page size (1–1000), checked now.
    pub fn set_limit(&mut self, limit: u32) -> Result<()> {
        check_limit(limit)?;
        self.limit = Some(limit);
        Ok(())
    }

    fn validate(&self) -> Result<()> {
        if let Some(n) = &self.name {
            check_text("name", n)?;
        }
        if let Some(l) = self.limit {
            check_limit(l)?;
        }
        Ok(())
    }

    fn to_query_string(&self, page_token: Option<&str>) -> String {
        let mut p = Vec::new();
        if let Some(n) = &self.name {
            p.push(("name".to_string(), n.clone()));
        }
        if let Some(b) = self.is_public {
            p.push(("isPublic".to_string(), b.to_string()));
        }
        if let Some(l) = self.limit {
            p.push(("limit".to_string(), l.to_string()));
        }
        if let Some(t) = page_token {
            p.push(("pageToken".to_string(), t.to_string()));
        }
        query_string(&p)
    }
}

/// One page of groups and the token of the next (`None` on the last page).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupPage {
    pub groups: Vec<Group>,
    pub next_page_token: Option<String>,
}

/// Iterates over every group matching a query, following `next_page_token` until it
/// is empty or missing. It holds its own clone of the client.
pub struct GroupIter {
    client: Client,
    network: Network,
    query: GroupQuery,
    token: Option<String>,
    buffered: VecDeque<Group>,
    done: bool,
}

impl GroupIter {
    /// The next group, `Ok(None)` at the end. After an error, calling again fetches
    /// the failed page again.
    pub fn next_group(&mut self) -> Result<Option<Group>> {
        while self.buffered.is_empty() && !self.done {
            let page =
                self.client
                    .group_list_page(self.network, &self.query, self.token.as_deref())?;
            // A token equal to the one just used would loop forever: treat it as the end.
            if page.next_page_token.is_none() || page.next_page_token == self.token {
                self.done = true;
            }
            self.token = page.next_page_token;
            self.buffered.extend(page.groups);
        }
        Ok(self.buffered.pop_front())
    }
}

impl Iterator for GroupIter {
    type Item = Result<Group>;
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

fn check_id(name: &str, id: &str) -> Result<()> {
    check_text(name, id)
}

fn group_path(network: Network, id: &str) -> String {
    format!("/v3/groups/{}/{}", network.as_str(), path_segment(id))
}

impl Client {
    /// Creates a group on a network (`POST /v3/groups/{network}`).
    pub fn group_create(&self, network: Network, name: &str, is_public: bool) -> Result<Group> {
        check_text("name", name)?;
        let v = self.send_json(Request::json(
            Method::Post,
            format!("/v3/groups/{}", network.as_str()),
            &json!({ "name": name, "is_public": is_public }),
        ))?;
        Group::from_json(data(v)?)
    }

    /// One page of groups (`GET /v3/groups/{network}`).
    pub fn group_list_page(
        &self,
        network: Network,
        query: &GroupQuery,
        page_token: Option<&str>,
    ) -> Result<GroupPage> {
        query.validate()?;
        if let Some(t) = page_token {
            check_text("page_token", t)?;
        }
        let v = data(self.send_json(Request::get(format!(
            "/v3/groups/{}{}",
            network.as_str(),
            query.to_query_string(page_token)
        )))?)?;
        let groups = match v.get("groups") {
            Some(Value::Array(a)) => a
                .iter()
                .cloned()
                .map(Group::from_json)
                .collect::<Result<Vec<_>>>()?,
            Some(Value::Null) | None => Vec::new(),
            Some(_) => return Err(Error::protocol("`groups` is not an array")),
        };
        Ok(GroupPage {
            groups,
            next_page_token: opt_str(&v, "next_page_token").filter(|t| !t.is_empty()),
        })
    }

    /// Iterates over every group of a network matching the query.
    pub fn groups(&self, network: Network, query: &GroupQuery) -> Result<GroupIter> {
        query.validate()?;
        Ok(GroupIter {
            client: self.clone(),
            network,
            query: query.clone(),
            token: None,
            buffered: VecDeque::new(),
            done: false,
        })
    }

    /// One group (`GET /v3/groups/{network}/{id}`); unknown: `PINATA_E_NOT_FOUND`.
    pub fn group_get(&self, network: Network, id: &str) -> Result<Group> {
        check_id("group_id", id)?;
        let v = self.send_json(Request::get(group_path(network, id)))?;
        Group::from_json(data(v)?)
    }

    /// Changes a group's name and/or visibility (`PUT /v3/groups/{network}/{id}`); at
    /// least one must be given. Returns the group as updated.
    pub fn group_update(
        &self,
        network: Network,
        id: &str,
        name: Option<&str>,
        is_public: Option<bool>,
    ) -> Result<Group> {
        check_id("group_id", id)?;
        let mut body = Map::new();
        if let Some(n) = name {
            check_text("name", n)?;
            body.insert("name".into(), json!(n));
        }
        if let Some(p) = is_public {
            body.insert("is_public".into(), json!(p));
        }
        if body.is_empty() {
            return Err(Error::invalid_argument(
                "a group update needs a name or a visibility",
            ));
        }
        let v = self.send_json(Request::json(
            Method::Put,
            group_path(network, id),
            &Value::Object(body),
        ))?;
        Group::from_json(data(v)?)
    }

    /// Deletes a group (`DELETE /v3/groups/{network}/{id}`); its files stay.
    pub fn group_delete(&self, network: Network, id: &str) -> Result<()> {
        check_id("group_id", id)?;
        self.send(
            Request::bodyless(Method::Delete, group_path(network, id)),
            &mut Hooks::default(),
        )?;
        Ok(())
    }

    /// Puts a file in a group (`PUT /v3/groups/{network}/{id}/ids/{file_id}`).
    pub fn group_add_file(&self, network: Network, id: &str, file_id: &str) -> Result<()> {
        self.group_file(Method::Put, network, id, file_id)
    }

    /// Takes a file out of a group (`DELETE /v3/groups/{network}/{id}/ids/{file_id}`).
    pub fn group_remove_file(&self, network: Network, id: &str, file_id: &str) -> Result<()> {
        self.group_file(Method::Delete, network, id, file_id)
    }

    fn group_file(&self, method: Method, network: Network, id: &str, file_id: &str) -> Result<()> {
        check_id("group_id", id)?;
        check_id("file_id", file_id)?;
        self.send(
            Request::bodyless(
                method,
                format!("{}/ids/{}", group_path(network, id), path_segment(file_id)),
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
    fn query_string_has_every_filter() {
        let mut q = GroupQuery {
            name: Some("a b".into()),
            is_public: Some(true),
            ..Default::default()
        };
        q.set_limit(3).unwrap();
        assert_eq!(
            q.to_query_string(Some("MDE=")),
            "?name=a%20b&isPublic=true&limit=3&pageToken=MDE%3D"
        );
        assert!(q.set_limit(0).is_err());
        assert_eq!(GroupQuery::default().to_query_string(None), "");
    }

    #[test]
    fn group_json() {
        let g = Group::from_json(json!({"id": "i", "name": "n", "public": true})).unwrap();
        assert!(g.is_public);
        assert!(Group::from_json(json!({"name": "n"})).is_err());
    }
}
