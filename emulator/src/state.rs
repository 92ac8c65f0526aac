//! In-memory state: the one account, its API keys, pin rows, pin-by-CID jobs,
//! injected faults, request statistics and the rate limiter.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use crate::faults::Fault;
use crate::ids::ts;
use crate::ratelimit::RateLimiter;

/// The account every key belongs to.
#[derive(Clone, Debug)]
pub struct User {
    /// User UUID (`user_id` in rows, `userInformation.id` in JWTs).
    pub id: String,
    /// E-mail address put in the JWT claims.
    pub email: String,
}

/// The seeded admin key printed on startup.
#[derive(Clone)]
pub struct Seed {
    /// `pinata_api_key`.
    pub key: String,
    /// `pinata_api_secret`.
    pub secret: String,
    /// The HS256 JWT for the key.
    pub jwt: String,
}

/// One API key.
#[derive(Clone, Debug)]
pub struct KeyRec {
    /// Row id (UUID).
    pub id: String,
    /// `keyName` given at creation.
    pub name: String,
    /// The public key (20 lowercase hex characters).
    pub key: String,
    /// The secret (64 lowercase hex characters).
    pub secret: String,
    /// `maxUses`, 0 meaning unlimited.
    pub max_uses: u64,
    /// Authenticated requests made with the key so far.
    pub uses: u64,
    /// The `permissions` object given at creation (`scopes` in list output).
    pub scopes: Value,
    /// Whether the key was revoked.
    pub revoked: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change (creation or revocation).
    pub updated_at: DateTime<Utc>,
    /// The startup admin key (survives `/__emulator/reset`).
    pub seed: bool,
}

impl KeyRec {
    /// True when `max_uses` is set and used up.
    pub fn exhausted(&self) -> bool {
        self.max_uses > 0 && self.uses >= self.max_uses
    }

    /// The `/users/apiKeys` list item (the secret is not returned).
    pub fn to_json(&self, user_id: &str) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "key": self.key,
            "max_uses": self.max_uses,
            "uses": self.uses,
            "user_id": user_id,
            "scopes": self.scopes,
            "revoked": self.revoked,
            "createdAt": ts(&self.created_at),
            "updatedAt": ts(&self.updated_at),
        })
    }
}

/// One pin record (a row of `/data/pinList`).
#[derive(Clone, Debug)]
pub struct PinRow {
    /// Row id (UUID v4).
    pub id: String,
    /// The pinned CID.
    pub cid: String,
    /// Pin size in bytes (the root's cumulative DAG size).
    pub size: u64,
    /// When it was pinned.
    pub date_pinned: DateTime<Utc>,
    /// When it was unpinned; `None` while active.
    pub date_unpinned: Option<DateTime<Utc>>,
    /// `metadata.name`.
    pub name: Option<String>,
    /// `metadata.keyvalues` (`None` is `null`).
    pub keyvalues: Option<Map<String, Value>>,
    /// MIME type guessed from the file name, `directory` for folders.
    pub mime_type: Option<String>,
    /// Number of files in the upload.
    pub number_of_files: Option<u64>,
    /// `pinataOptions.groupId`.
    pub group_id: Option<String>,
    /// Creation order (newest-first sorting tie breaker).
    pub seq: u64,
}

impl PinRow {
    /// True while not unpinned.
    pub fn active(&self) -> bool {
        self.date_unpinned.is_none()
    }

    /// The pinList row JSON.
    pub fn to_json(&self, user_id: &str) -> Value {
        json!({
            "id": self.id,
            "ipfs_pin_hash": self.cid,
            "size": self.size,
            "user_id": user_id,
            "date_pinned": ts(&self.date_pinned),
            "date_unpinned": self.date_unpinned.as_ref().map(ts),
            "metadata": {
                "name": self.name,
                "keyvalues": self.keyvalues,
            },
            "regions": [
                {"regionId": "FRA1", "currentReplicationCount": 1, "desiredReplicationCount": 1}
            ],
            "mime_type": self.mime_type,
            "number_of_files": self.number_of_files,
        })
    }
}

/// One pin-by-CID job.
#[derive(Clone, Debug)]
pub struct Job {
    /// Job id (UUID v4).
    pub id: String,
    /// `hashToPin` as sent.
    pub cid: String,
    /// When it was queued.
    pub date_queued: DateTime<Utc>,
    /// `pinataMetadata.name`.
    pub name: Option<String>,
    /// Current status (`prechecking`, `searching`, …).
    pub status: String,
    /// `pinataMetadata.keyvalues`.
    pub keyvalues: Option<Map<String, Value>>,
    /// `pinataOptions.hostNodes`.
    pub host_nodes: Option<Vec<String>>,
    /// `pinataOptions.groupId`.
    pub group_id: Option<String>,
    /// Creation order.
    pub seq: u64,
}

/// Statuses a job can be in that are still moving.
pub const IN_FLIGHT: [&str; 3] = ["prechecking", "searching", "retrieving"];
/// Terminal failure statuses.
pub const FAILED: [&str; 5] = [
    "expired",
    "invalid_object",
    "bad_host_node",
    "over_free_limit",
    "over_max_size",
];
/// Jobs in flight per account before new ones are `backfilled`.
pub const MAX_IN_FLIGHT: usize = 250;

impl Job {
    /// The `/pinning/pinJobs` row JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "ipfs_pin_hash": self.cid,
            "date_queued": ts(&self.date_queued),
            "name": self.name,
            "status": self.status,
            "keyvalues": self.keyvalues,
            "host_nodes": self.host_nodes,
            "pin_policy": {
                "regions": [{"id": "FRA1", "desiredReplicationCount": 1}],
                "version": 1
            },
        })
    }
}

/// Request counters for `/__emulator/stats`.
#[derive(Default, Debug)]
pub struct Stats {
    /// All counted requests.
    pub total: u64,
    /// Per request path (without the query).
    pub by_path: BTreeMap<String, u64>,
}

/// Everything mutable, behind one mutex.
pub struct State {
    /// API keys, oldest first.
    pub keys: Vec<KeyRec>,
    /// Pin rows, oldest first.
    pub pins: Vec<PinRow>,
    /// Pin-by-CID jobs not yet pinned, oldest first.
    pub jobs: Vec<Job>,
    /// Injected faults, in order of addition.
    pub faults: Vec<Fault>,
    /// Request counters.
    pub stats: Stats,
    /// Per-key rate limiter.
    pub rate: RateLimiter,
    /// Monotonic sequence for rows, jobs, keys and faults.
    pub seq: u64,
    /// Legacy (CID-based) groups, oldest first.
    pub legacy_groups: Vec<crate::legacy::groups::Group>,
    /// v3 groups of both networks, oldest first.
    pub v3_groups: Vec<crate::v3::groups::Group>,
    /// v3 private files, public-file expiries and signed upload URLs.
    pub v3: crate::v3::store::V3Store,
    /// Pinning Service API requests, mode and clock (`crate::psa::pins`).
    pub psa: crate::psa::pins::PsaState,
}

impl State {
    /// Next sequence number.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }
}

/// The whole emulator: immutable configuration plus the locked [`State`].
pub struct App {
    /// Mutable state.
    pub state: Mutex<State>,
    /// HS256 signing key for JWTs (random per process).
    pub jwt_key: Vec<u8>,
    /// The account.
    pub user: User,
    /// The seeded admin key.
    pub seed: Seed,
    /// No request log on stderr.
    pub quiet: bool,
}

impl App {
    /// Locks the state (a poisoned lock is recovered: state stays usable).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}
