//! Single-pass verification of a service-returned CID against the uploaded
//! bytes (cid.md §6.9).

use std::cell::OnceCell;

use super::dir::{components, DirBuilder};
use super::file::{DAG_PB, RAW, SHA2_256};
use super::{parse_cid, CidError, FileBuilder, Node, Profile};

/// Verification outcome comparing a service-returned CID with local content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verification {
    /// The returned CID is exactly what one of the candidate profiles
    /// computes locally for the same bytes.
    Match,
    /// The returned CID is in a form whose local value is unambiguous (CIDv0,
    /// or a single raw block) and it differs: the content differs.
    Mismatch {
        /// The CID computed locally in the returned CID's form.
        expected_local: String,
    },
    /// No local profile applies (other codec or hash, unknown importer
    /// settings, unparseable text), so nothing can be concluded.
    Unverifiable,
}

/// Decides a verification outcome from locally computed candidates.
///
/// * CIDv0 (dag-pb, sha2-256): exact comparison with the `V0` node.
/// * CIDv1 `raw`: the whole upload must be one raw block, so it must equal a
///   local raw CID (`V1` when ≤ 256 KiB, `V1Modern` when ≤ 1 MiB) — otherwise
///   a mismatch; larger single files and trees cannot be one raw block.
/// * CIDv1 dag-pb: `V1`, then `V1Modern` (and, for a single-chunk file, a
///   dag-pb leaf as with `--raw-leaves=false`); when none matches the result
///   is `Unverifiable`, because the service may use other importer settings.
fn judge(returned: &str, locals: &[(Profile, Node)], single_file: bool) -> Verification {
    let Ok(c) = parse_cid(returned) else {
        return Verification::Unverifiable;
    };
    if c.hash().code() != SHA2_256 {
        return Verification::Unverifiable;
    }
    let local = |p: Profile| locals.iter().find(|(q, _)| *q == p).map(|(_, n)| n);
    match (c.version(), c.codec()) {
        (cid::Version::V0, _) => match local(Profile::V0) {
            Some(n) if n.cid == c => Verification::Match,
            Some(n) => Verification::Mismatch {
                expected_local: n.cid.to_string(),
            },
            None => Verification::Unverifiable,
        },
        (cid::Version::V1, RAW) => {
            if !single_file {
                // A directory is never a raw block.
                let expected = local(Profile::V1)
                    .or_else(|| local(Profile::V1Modern))
                    .or_else(|| locals.first().map(|(_, n)| n));
                return match expected {
                    Some(n) => Verification::Mismatch {
                        expected_local: n.cid.to_string(),
                    },
                    None => Verification::Unverifiable,
                };
            }
            let raw = locals.iter().map(|(_, n)| n).find(|n| n.cid.codec() == RAW);
            match raw {
                Some(n) if n.cid == c => Verification::Match,
                Some(n) => Verification::Mismatch {
                    expected_local: n.cid.to_string(),
                },
                None => Verification::Unverifiable,
            }
        }
        (cid::Version::V1, DAG_PB) => {
            for p in [Profile::V1, Profile::V1Modern] {
                if local(p).is_some_and(|n| n.cid == c) {
                    return Verification::Match;
                }
            }
            // kubo --cid-version=1 --raw-leaves=false of a single-chunk file
            // is the very same block as the CIDv0 leaf.
            if single_file {
                if let Some(v0) = local(Profile::V0) {
                    if v0.file_size <= super::DEFAULT_CHUNK_SIZE as u64 && v0.cid.hash() == c.hash()
                    {
                        return Verification::Match;
                    }
                }
            }
            Verification::Unverifiable
        }
        _ => Verification::Unverifiable,
    }
}

fn profile_list(requested: Profile, profiles: &[Profile]) -> Vec<Profile> {
    let mut v = vec![requested];
    for p in profiles {
        if !v.contains(p) {
            v.push(*p);
        }
    }
    v
}

/// Streaming verifier for a single-file upload: feed it the same bytes as
/// the upload, then ask [`Verifier::verify`] about the CID the service
/// returned and [`Verifier::local_cid`] for the locally computed CID.
///
/// By default it runs `V0`, `V1` and `V1Modern` builders in the same pass
/// (three sha256 passes over the data; ≈0.5 GB/s on one core, far above
/// upload bandwidth). [`Verifier::with_profiles`] restricts the set.
#[derive(Clone, Debug)]
pub struct Verifier {
    builders: Vec<(Profile, FileBuilder)>,
    cache: OnceCell<Vec<(Profile, Node)>>,
}

impl Verifier {
    /// Verifier computing all profiles; `requested` is the profile the upload
    /// asked for (what [`Verifier::local_cid`] returns).
    pub fn new(requested: Profile) -> Self {
        Self::with_profiles(requested, &Profile::ALL)
    }

    /// Verifier computing `requested` plus the given profiles only.
    pub fn with_profiles(requested: Profile, profiles: &[Profile]) -> Self {
        Verifier {
            builders: profile_list(requested, profiles)
                .into_iter()
                .map(|p| (p, FileBuilder::new(p)))
                .collect(),
            cache: OnceCell::new(),
        }
    }

    /// The requested profile.
    pub fn requested(&self) -> Profile {
        self.builders[0].0
    }

    /// Feeds the next uploaded bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.cache.take();
        for (_, b) in &mut self.builders {
            b.update(data);
        }
    }

    /// Number of bytes fed so far.
    pub fn bytes_fed(&self) -> u64 {
        self.builders[0].1.bytes_fed()
    }

    fn locals(&self) -> &[(Profile, Node)] {
        self.cache.get_or_init(|| {
            self.builders
                .iter()
                .map(|(p, b)| (*p, b.snapshot()))
                .collect()
        })
    }

    /// The local node for the requested profile.
    pub fn local_cid(&self) -> Node {
        self.locals()[0].1.clone()
    }

    /// The local node for `profile`, if it is computed.
    pub fn local(&self, profile: Profile) -> Option<Node> {
        self.locals()
            .iter()
            .find(|(p, _)| *p == profile)
            .map(|(_, n)| n.clone())
    }

    /// Compares the service-returned CID with the bytes fed so far.
    pub fn verify(&self, returned: &str) -> Verification {
        judge(returned, self.locals(), true)
    }
}

/// Streaming verifier for a directory upload (or a wrapped single file).
///
/// Files are fed one at a time, by path relative to the root whose CID is
/// expected: `start_file("css/a.css")`, `update(..)`…, `end_file()`. For
/// Pinata folder uploads whose parts are named `site/index.html`, feed
/// `index.html` (the shared root folder's name is not part of its CID); with
/// `wrapWithDirectory`, feed the full `site/index.html`. A single file
/// uploaded with `wrapWithDirectory` is a tree holding one file named after it.
#[derive(Debug)]
pub struct TreeVerifier {
    profiles: Vec<Profile>,
    dirs: Vec<DirBuilder>,
    current: Option<(String, Vec<FileBuilder>)>,
    misuse: Option<String>,
    cache: OnceCell<Vec<(Profile, Node)>>,
}

impl TreeVerifier {
    /// Tree verifier computing all profiles; `requested` is what
    /// [`TreeVerifier::local_cid`] returns.
    pub fn new(requested: Profile) -> Self {
        Self::with_profiles(requested, &Profile::ALL)
    }

    /// Tree verifier computing `requested` plus the given profiles only.
    pub fn with_profiles(requested: Profile, profiles: &[Profile]) -> Self {
        let profiles = profile_list(requested, profiles);
        TreeVerifier {
            dirs: profiles.iter().map(|p| DirBuilder::new(*p)).collect(),
            profiles,
            current: None,
            misuse: None,
            cache: OnceCell::new(),
        }
    }

    /// Starts the next file at `rel_path` (validated like
    /// [`DirBuilder::add_file`]). Errors if a file is already open.
    pub fn start_file(&mut self, rel_path: &str) -> Result<(), CidError> {
        self.cache.take();
        if let Some((open, _)) = &self.current {
            return Err(CidError::InvalidPath(format!(
                "start_file({rel_path:?}) while {open:?} is still open"
            )));
        }
        components(rel_path)?;
        self.current = Some((
            rel_path.to_string(),
            self.profiles.iter().map(|p| FileBuilder::new(*p)).collect(),
        ));
        Ok(())
    }

    /// Feeds bytes of the open file. Bytes fed with no open file are a usage
    /// error, reported by the next `end_file`/`local_cid` call.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.current {
            Some((_, builders)) => {
                for b in builders {
                    b.update(data);
                }
            }
            None => {
                if !data.is_empty() && self.misuse.is_none() {
                    self.misuse = Some("update() called with no file started".into());
                }
            }
        }
    }

    fn check_misuse(&self) -> Result<(), CidError> {
        match &self.misuse {
            Some(m) => Err(CidError::InvalidPath(m.clone())),
            None => Ok(()),
        }
    }

    /// Finishes the open file and adds it to the tree.
    pub fn end_file(&mut self) -> Result<(), CidError> {
        self.check_misuse()?;
        self.cache.take();
        let Some((path, builders)) = self.current.take() else {
            return Err(CidError::InvalidPath(
                "end_file() with no file started".into(),
            ));
        };
        for (dir, b) in self.dirs.iter_mut().zip(builders) {
            dir.add_file(&path, b.finish())?;
        }
        Ok(())
    }

    /// Adds a whole in-memory file (`start_file` + `update` + `end_file`).
    pub fn add_file_bytes(&mut self, rel_path: &str, data: &[u8]) -> Result<(), CidError> {
        self.start_file(rel_path)?;
        self.update(data);
        self.end_file()
    }

    /// Ensures an (empty) directory exists at `rel_path`.
    pub fn add_dir(&mut self, rel_path: &str) -> Result<(), CidError> {
        self.cache.take();
        for d in &mut self.dirs {
            d.add_dir(rel_path)?;
        }
        Ok(())
    }

    fn locals(&self) -> Result<&[(Profile, Node)], CidError> {
        self.check_misuse()?;
        if let Some((open, _)) = &self.current {
            return Err(CidError::InvalidPath(format!(
                "file {open:?} is still open"
            )));
        }
        Ok(self.cache.get_or_init(|| {
            self.profiles
                .iter()
                .zip(&self.dirs)
                .map(|(p, d)| (*p, d.snapshot()))
                .collect()
        }))
    }

    /// The root node for the requested profile.
    pub fn local_cid(&self) -> Result<Node, CidError> {
        Ok(self.locals()?[0].1.clone())
    }

    /// The root node for `profile`, if it is computed.
    pub fn local(&self, profile: Profile) -> Result<Option<Node>, CidError> {
        Ok(self
            .locals()?
            .iter()
            .find(|(p, _)| *p == profile)
            .map(|(_, n)| n.clone()))
    }

    /// Compares the service-returned root CID with the tree fed so far
    /// (`Unverifiable` when the tree is in an inconsistent state).
    pub fn verify(&self, returned: &str) -> Verification {
        match self.locals() {
            Ok(locals) => judge(returned, locals, false),
            Err(_) => Verification::Unverifiable,
        }
    }
}

/// Compares a service-returned CID with local nodes of any profiles (computed by
/// separate verifiers, e.g. on separate threads) and lists the profiles whose local
/// CID equals it, in the order of `locals`. The outcome is that of
/// [`Verifier::verify`] over the same nodes; the list is empty unless it is a match
/// by CID equality (a CIDv1 dag-pb answer equal to a CIDv0 leaf matches no profile).
pub fn verify_nodes(
    returned: &str,
    locals: &[(Profile, Node)],
    single_file: bool,
) -> (Verification, Vec<Profile>) {
    let outcome = judge(returned, locals, single_file);
    let matched = match (&outcome, parse_cid(returned)) {
        (Verification::Match, Ok(c)) => locals
            .iter()
            .filter(|(_, n)| n.cid == c)
            .map(|(p, _)| *p)
            .collect(),
        _ => Vec::new(),
    };
    (outcome, matched)
}

/// Which v1 profile a service uses, learned per base URL: once a v1 check that
/// hashed both v1 profiles matched exactly one of them, later v1 checks against the
/// same base URL hash only that one. Shared by a client and its clones.
#[derive(Debug, Default)]
pub struct ProfileMemory(std::sync::Mutex<Vec<(String, Profile)>>);

impl ProfileMemory {
    fn rows(&self) -> std::sync::MutexGuard<'_, Vec<(String, Profile)>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The profile learned for `base_url`, if any.
    pub fn get(&self, base_url: &str) -> Option<Profile> {
        self.rows()
            .iter()
            .find(|(b, _)| b == base_url)
            .map(|(_, p)| *p)
    }

    /// Remembers that `base_url` answers in `profile`.
    pub fn learn(&self, base_url: &str, profile: Profile) {
        let mut rows = self.rows();
        match rows.iter_mut().find(|(b, _)| b == base_url) {
            Some(row) => row.1 = profile,
            None => rows.push((base_url.to_string(), profile)),
        }
    }

    /// Forgets what was learned for `base_url` (its answers stopped matching).
    pub fn forget(&self, base_url: &str) {
        self.rows().retain(|(b, _)| b != base_url);
    }
}
