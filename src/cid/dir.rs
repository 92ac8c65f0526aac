//! UnixFS directory trees (cid.md §1.9, §1.10).

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::file::{CidBin, DAG_PB};
use super::{hamt, pb, CidError, HamtEstimate, ImportOptions, Node, Profile};

/// Maximum number of components accepted in a relative path.
const MAX_DEPTH: usize = 1024;

#[derive(Clone, Debug)]
enum Entry {
    File(Node),
    Dir(Dir),
}

#[derive(Clone, Debug, Default)]
struct Dir {
    // `String`'s `Ord` is bytewise on UTF-8, i.e. Go's `strings.Compare`.
    children: BTreeMap<String, Entry>,
}

/// Builds a directory tree from files added by relative path (`"a/b/c.txt"`,
/// components separated by `/`) plus explicitly added (possibly empty)
/// directories.
///
/// Entries may be added in any order; links are sorted bytewise by name, and a
/// directory switches to a HAMT exactly as kubo does (estimate strictly greater
/// than 256 KiB). The root's own name is not part of its CID.
#[derive(Clone, Debug)]
pub struct DirBuilder {
    opts: ImportOptions,
    root: Dir,
}

/// Splits and validates a relative path.
pub(crate) fn components(rel_path: &str) -> Result<Vec<&str>, CidError> {
    if rel_path.is_empty() {
        return Err(CidError::InvalidPath("empty path".into()));
    }
    let parts: Vec<&str> = rel_path.split('/').collect();
    if parts.len() > MAX_DEPTH {
        return Err(CidError::InvalidPath(format!(
            "path has more than {MAX_DEPTH} components"
        )));
    }
    for p in &parts {
        if p.is_empty() || *p == "." || *p == ".." {
            return Err(CidError::InvalidPath(format!(
                "{rel_path:?}: empty, '.' or '..' component"
            )));
        }
        if p.contains('\0') {
            return Err(CidError::InvalidPath(format!("{rel_path:?}: NUL byte")));
        }
    }
    Ok(parts)
}

impl DirBuilder {
    /// An empty directory for the given profile.
    pub fn new(profile: Profile) -> Self {
        Self::with_options(profile.options())
    }

    /// An empty directory with explicit import options.
    pub fn with_options(opts: ImportOptions) -> Self {
        DirBuilder {
            opts: opts.sanitized(),
            root: Dir::default(),
        }
    }

    /// Walks to (creating) the directory holding `parts`, erroring when a
    /// component is a file.
    fn dir_mut<'a>(&'a mut self, parts: &[&str], rel_path: &str) -> Result<&'a mut Dir, CidError> {
        let mut cur = &mut self.root;
        for p in parts {
            let e = cur
                .children
                .entry((*p).to_string())
                .or_insert_with(|| Entry::Dir(Dir::default()));
            cur = match e {
                Entry::Dir(d) => d,
                Entry::File(_) => {
                    return Err(CidError::InvalidPath(format!(
                        "{rel_path:?}: {p:?} is a file, not a directory"
                    )))
                }
            };
        }
        Ok(cur)
    }

    /// Adds a finished file node at `rel_path`. Errors on empty, `.` or `..`
    /// components, and on conflicts (a component that is a file, a path that
    /// is already a directory or a file).
    pub fn add_file(&mut self, rel_path: &str, node: Node) -> Result<(), CidError> {
        let parts = components(rel_path)?;
        let (name, parents) = parts.split_last().expect("at least one component");
        let dir = self.dir_mut(parents, rel_path)?;
        match dir.children.get(*name) {
            Some(Entry::Dir(_)) => Err(CidError::InvalidPath(format!(
                "{rel_path:?} is already a directory"
            ))),
            Some(Entry::File(_)) => Err(CidError::InvalidPath(format!(
                "{rel_path:?} was added twice"
            ))),
            None => {
                dir.children.insert((*name).to_string(), Entry::File(node));
                Ok(())
            }
        }
    }

    /// Ensures that the directory `rel_path` (and its parents) exists; it stays
    /// empty unless files are added below it.
    pub fn add_dir(&mut self, rel_path: &str) -> Result<(), CidError> {
        let parts = components(rel_path)?;
        self.dir_mut(&parts, rel_path).map(|_| ())
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.root.children.is_empty()
    }

    /// Builds the root directory node.
    pub fn finish(self) -> Node {
        build_dir(&self.root, &self.opts)
    }

    /// The root node the entries added so far would produce.
    pub fn snapshot(&self) -> Node {
        build_dir(&self.root, &self.opts)
    }
}

fn build_dir(dir: &Dir, opts: &ImportOptions) -> Node {
    let nodes: Vec<(&str, Node)> = dir
        .children
        .iter()
        .map(|(name, e)| {
            let n = match e {
                Entry::File(n) => n.clone(),
                Entry::Dir(d) => build_dir(d, opts),
            };
            (name.as_str(), n)
        })
        .collect();
    let refs: Vec<(&str, &Node)> = nodes.iter().map(|(n, node)| (*n, node)).collect();
    directory_node(&refs, opts)
}

/// Builds one directory (basic or HAMT) from sorted, unique `(name, node)`.
pub(crate) fn directory_node(entries: &[(&str, &Node)], opts: &ImportOptions) -> Node {
    let estimate: usize = match opts.hamt_estimate {
        HamtEstimate::Links => entries
            .iter()
            .map(|(name, n)| name.len() + n.cid.encoded_len())
            .sum(),
        HamtEstimate::Block => {
            pb::DIR_DATA_FIELD_LEN
                + entries
                    .iter()
                    .map(|(name, n)| {
                        pb::link_serialized_len(n.cid.encoded_len(), name.len(), n.tsize)
                    })
                    .sum::<usize>()
        }
    };
    if estimate > opts.hamt_threshold {
        return hamt::build(entries, opts);
    }
    let mut block = Vec::with_capacity(estimate + entries.len() * 8 + 8);
    let mut tsize_sum = 0u64;
    let mut file_size = 0u64;
    for (name, n) in entries {
        pb::put_link(&mut block, &n.cid.to_bytes(), name.as_bytes(), n.tsize);
        tsize_sum += n.tsize;
        file_size += n.file_size;
    }
    pb::put_data(&mut block, &pb::UNIXFS_DIR_DATA);
    let digest: [u8; 32] = Sha256::digest(&block).into();
    Node {
        cid: CidBin::new(opts.is_v1(), DAG_PB, &digest).to_cid(),
        tsize: block.len() as u64 + tsize_sum,
        file_size,
    }
}

/// A directory holding a single entry `name` (kubo's `-w`).
pub(crate) fn wrap(name: &str, node: Node, opts: &ImportOptions) -> Node {
    directory_node(&[(name, &node)], opts)
}
