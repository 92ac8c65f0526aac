//! Authentication check: `GET /data/testAuthentication`.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::transport::{Request, Response};

impl Client {
    /// Checks the credentials with `GET /data/testAuthentication` and returns the
    /// server's message. Succeeds even for a key with no scopes (as Pinata does).
    pub fn test_authentication(&self) -> Result<String> {
        let resp = self.send(Self::test_auth_request(), &mut Default::default())?;
        self.settle_test_auth(resp)
    }

    /// The request of [`Client::test_authentication`].
    pub(crate) fn test_auth_request() -> Request {
        Request::get("/data/testAuthentication")
    }

    /// Reads the answer of [`Client::test_authentication`].
    pub(crate) fn settle_test_auth(&self, resp: Response) -> Result<String> {
        /// The answer, read directly into its one field (no JSON tree on this hot path).
        #[derive(serde::Deserialize)]
        struct Answer {
            message: String,
        }
        serde_json::from_slice::<Answer>(&resp.body)
            .map(|a| a.message)
            .map_err(|e| {
                self.redact(
                    Error::protocol(format!(
                        "testAuthentication answered without a `message` string: {e}"
                    ))
                    .with_http(resp.status, None, None, None),
                )
            })
    }
}
