//! Authentication check: `GET /data/testAuthentication`.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::transport::Request;

impl Client {
    /// Checks the credentials with `GET /data/testAuthentication` and returns the
    /// server's message. Succeeds even for a key with no scopes (as Pinata does).
    pub fn test_authentication(&self) -> Result<String> {
        let value = self.send_json(Request::get("/data/testAuthentication"))?;
        value
            .get("message")
            .and_then(|m| m.as_str())
            .map(str::to_string)
            .ok_or_else(|| {
                Error::protocol("testAuthentication answered without a `message` string")
            })
    }
}
