//! Streaming `multipart/form-data` bodies (part of the transport layer): the body is a
//! list of segments, in-memory text or files read from disk as libcurl asks for bytes,
//! so memory stays constant whatever the upload size. File bytes can be observed on
//! their way out (the CID verifier is fed in the same pass).

use crate::error::{Error, Result, Status};
use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::Arc;

/// Watches file bytes as they are sent: `start(rel_path)`, `data(bytes)`, `end()`.
pub trait Observer: Send {
    /// A file part begins.
    fn start(&mut self, rel_path: &str) -> Result<()>;
    /// The next bytes of the current file part.
    fn data(&mut self, bytes: &[u8]);
    /// The current file part ended.
    fn end(&mut self) -> Result<()>;
}

/// Runs observers on helper threads, one each, so hashing the bytes (for the CID
/// check) overlaps with sending them instead of slowing the sending thread. Every chunk
/// is copied once and shared by all the helpers (two v1 profiles hash the same copy on
/// two cores); chunks travel through bounded channels (memory stays bounded) and their
/// buffers are recycled. Dropping it waits for the helpers to finish, so the inner
/// observers have seen every byte once the body reader is gone.
pub struct Threaded {
    to_workers: Vec<std::sync::mpsc::SyncSender<Event>>,
    recycled: std::sync::mpsc::Receiver<Vec<u8>>,
    failure: Arc<std::sync::Mutex<Option<Error>>>,
    workers: Vec<std::thread::JoinHandle<()>>,
}

/// What the sending thread tells the helpers.
#[derive(Clone)]
enum Event {
    Start(Arc<str>),
    Data(Arc<Vec<u8>>),
    End,
}

/// Chunks in flight between the sending thread and each helper.
const THREADED_QUEUE: usize = 3;

impl Threaded {
    /// Starts a helper thread around `inner`; `Err(inner)` when no thread can be
    /// started, so the caller can observe on its own thread instead.
    pub fn spawn(inner: Box<dyn Observer>) -> std::result::Result<Threaded, Box<dyn Observer>> {
        Threaded::spawn_each(vec![inner]).map_err(|mut back| back.remove(0))
    }

    /// Starts one helper thread per observer; `Err(inners)` when any cannot be started.
    pub fn spawn_each(
        inners: Vec<Box<dyn Observer>>,
    ) -> std::result::Result<Threaded, Vec<Box<dyn Observer>>> {
        let (give_back, recycled) = std::sync::mpsc::channel::<Vec<u8>>();
        let failure = Arc::new(std::sync::Mutex::new(None));
        let mut to_workers = Vec::with_capacity(inners.len());
        let mut ready = Vec::with_capacity(inners.len());
        let mut workers = Vec::with_capacity(inners.len());
        for _ in 0..inners.len() {
            let (to_worker, events) = std::sync::mpsc::sync_channel::<Event>(THREADED_QUEUE);
            // The observer goes to the thread only once every thread has started, so
            // that a failure can hand all of them back.
            let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Box<dyn Observer>>();
            let give_back = give_back.clone();
            let worker_failure = Arc::clone(&failure);
            let spawned = std::thread::Builder::new()
                .name("libpinata-cid".into())
                .spawn(move || {
                    let Ok(mut inner) = ready_rx.recv() else {
                        return;
                    };
                    for event in events {
                        let outcome = match event {
                            Event::Start(path) => inner.start(&path),
                            Event::Data(chunk) => {
                                inner.data(&chunk);
                                // The last helper done with a chunk recycles it.
                                if let Ok(chunk) = Arc::try_unwrap(chunk) {
                                    let _ = give_back.send(chunk);
                                }
                                Ok(())
                            }
                            Event::End => inner.end(),
                        };
                        if let Err(e) = outcome {
                            worker_failure
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .get_or_insert(e);
                        }
                    }
                });
            match spawned {
                Ok(worker) => {
                    to_workers.push(to_worker);
                    ready.push(ready_tx);
                    workers.push(worker);
                }
                // The started threads end when their `ready` sender is dropped.
                Err(_) => return Err(inners),
            }
        }
        let mut inners = inners.into_iter();
        for tx in &ready {
            let inner = inners.next().expect("one observer per thread");
            if let Err(back) = tx.send(inner) {
                // Only a helper that died before its first line gets here; the caller
                // observes what is left on its own thread.
                let mut left = vec![back.0];
                left.extend(inners);
                return Err(left);
            }
        }
        Ok(Threaded {
            to_workers,
            recycled,
            failure,
            workers,
        })
    }

    fn send(&mut self, event: Event) -> Result<()> {
        if let Some(err) = self
            .failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            return Err(err);
        }
        for tx in &self.to_workers {
            if tx.send(event.clone()).is_err() {
                return Err(Error::new(
                    Status::Internal,
                    "a CID hashing thread stopped unexpectedly",
                ));
            }
        }
        Ok(())
    }
}

impl Observer for Threaded {
    fn start(&mut self, rel_path: &str) -> Result<()> {
        self.send(Event::Start(rel_path.into()))
    }

    fn data(&mut self, bytes: &[u8]) {
        let mut chunk = self.recycled.try_recv().unwrap_or_default();
        chunk.clear();
        chunk.extend_from_slice(bytes);
        // A failure here resurfaces at the next start/end.
        let _ = self.send(Event::Data(Arc::new(chunk)));
    }

    fn end(&mut self) -> Result<()> {
        self.send(Event::End)
    }
}

impl Drop for Threaded {
    fn drop(&mut self) {
        self.to_workers.clear();
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

/// Where a file part's content comes from.
#[derive(Clone)]
enum Content {
    /// A file on disk with the size it had when the body was planned.
    Disk { path: PathBuf, size: u64 },
    /// Bytes in memory.
    Memory(Arc<[u8]>),
}

impl Content {
    fn len(&self) -> u64 {
        match self {
            Content::Disk { size, .. } => *size,
            Content::Memory(b) => b.len() as u64,
        }
    }
}

#[derive(Clone)]
enum Segment {
    Text(Arc<[u8]>),
    File { rel_path: String, content: Content },
}

/// A planned multipart body. Cloning is cheap; each [`Multipart::reader`] streams it
/// from the start (so a retry re-reads the files).
#[derive(Clone)]
pub struct Multipart {
    boundary: String,
    segments: Vec<Segment>,
}

/// Refuses names that cannot travel in a `Content-Disposition` header unchanged.
fn check_part_name(what: &str, name: &str) -> Result<()> {
    if name.contains(['"', '\r', '\n', '\0', '\\']) {
        return Err(Error::invalid_argument(format!(
            "{what} {name:?} contains a quote, backslash, CR, LF or NUL, which cannot be sent as a multipart file name"
        )));
    }
    Ok(())
}

impl Multipart {
    /// An empty body with a random boundary.
    pub fn new() -> Multipart {
        let mut seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0)
            ^ (std::process::id() as u64).rotate_left(32);
        let mut hex = String::new();
        for _ in 0..24 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            hex.push(char::from_digit((seed % 16) as u32, 16).unwrap());
        }
        Multipart {
            boundary: format!("----libpinata{hex}"),
            segments: Vec::new(),
        }
    }

    /// The `Content-Type` header value.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    fn push_text(&mut self, text: String) {
        self.segments
            .push(Segment::Text(Arc::from(text.into_bytes())));
    }

    /// Adds a text field (e.g. `pinataMetadata` as a JSON string, sent without a
    /// content type as Pinata expects).
    pub fn text_field(&mut self, name: &str, value: &str) {
        self.push_text(format!(
            "--{}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n",
            self.boundary
        ));
    }

    fn file_header(&mut self, filename: &str) {
        self.push_text(format!(
            "--{}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            self.boundary
        ));
    }

    /// Adds a `file` part streamed from disk. `filename` is sent as the part's file name
    /// (a relative path for directory uploads); `rel_path` is what observers see.
    pub fn disk_file(
        &mut self,
        filename: &str,
        rel_path: &str,
        path: PathBuf,
        size: u64,
    ) -> Result<()> {
        check_part_name("the file name", filename)?;
        self.file_header(filename);
        self.segments.push(Segment::File {
            rel_path: rel_path.to_string(),
            content: Content::Disk { path, size },
        });
        self.push_text("\r\n".into());
        Ok(())
    }

    /// Adds a `file` part from memory.
    pub fn memory_file(&mut self, filename: &str, rel_path: &str, data: Arc<[u8]>) -> Result<()> {
        check_part_name("the file name", filename)?;
        self.file_header(filename);
        self.segments.push(Segment::File {
            rel_path: rel_path.to_string(),
            content: Content::Memory(data),
        });
        self.push_text("\r\n".into());
        Ok(())
    }

    /// Closes the body.
    pub fn finish(&mut self) {
        self.push_text(format!("--{}--\r\n", self.boundary));
    }

    /// Total length in bytes.
    pub fn len(&self) -> u64 {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Text(t) => t.len() as u64,
                Segment::File { content, .. } => content.len(),
            })
            .sum()
    }

    /// Whether the body has no segment at all.
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// A reader over the whole body, feeding file bytes to `observer`.
    pub fn reader(&self, observer: Option<Box<dyn Observer>>) -> MultipartReader {
        MultipartReader {
            segments: self.segments.clone(),
            index: 0,
            pos: 0,
            file: None,
            observer,
        }
    }
}

impl Default for Multipart {
    fn default() -> Self {
        Multipart::new()
    }
}

/// Streams a [`Multipart`]. A file that shrinks or grows while it is read is an error
/// (`PINATA_E_IO`), never a silently wrong upload.
pub struct MultipartReader {
    segments: Vec<Segment>,
    index: usize,
    /// Bytes of the current segment already produced.
    pos: u64,
    file: Option<File>,
    observer: Option<Box<dyn Observer>>,
}

impl MultipartReader {
    /// Takes the observer back once the body has been read.
    pub fn into_observer(self) -> Option<Box<dyn Observer>> {
        self.observer
    }

    fn fail(err: Error) -> io::Error {
        io::Error::other(err)
    }

    fn next_segment(&mut self) {
        self.index += 1;
        self.pos = 0;
        self.file = None;
    }

    /// Reads from the current segment only (moving past finished ones); 0 at the end.
    fn read_segment(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(segment) = self.segments.get(self.index) else {
                return Ok(0);
            };
            match segment {
                Segment::Text(text) => {
                    let rest = &text[self.pos as usize..];
                    if rest.is_empty() {
                        self.next_segment();
                        continue;
                    }
                    let n = rest.len().min(buf.len());
                    buf[..n].copy_from_slice(&rest[..n]);
                    self.pos += n as u64;
                    return Ok(n);
                }
                Segment::File { rel_path, content } => {
                    let total = content.len();
                    if self.pos == 0 && self.file.is_none() {
                        if let Some(obs) = self.observer.as_mut() {
                            obs.start(rel_path).map_err(Self::fail)?;
                        }
                        if let Content::Disk { path, .. } = content {
                            let f =
                                File::open(path).map_err(|e| Self::fail(Error::io(path, &e)))?;
                            self.file = Some(f);
                        }
                    }
                    if self.pos == total {
                        if let Content::Disk { path, .. } = content {
                            // One more read must hit EOF, else the file grew.
                            let mut probe = [0u8; 1];
                            let f = self.file.as_mut().expect("opened above");
                            if f.read(&mut probe)
                                .map_err(|e| Self::fail(Error::io(path, &e)))?
                                != 0
                            {
                                return Err(Self::fail(Error::new(
                                    Status::Io,
                                    format!(
                                        "{}: the file grew while it was being uploaded",
                                        path.display()
                                    ),
                                )));
                            }
                        }
                        if let Some(obs) = self.observer.as_mut() {
                            obs.end().map_err(Self::fail)?;
                        }
                        self.next_segment();
                        continue;
                    }
                    let want = ((total - self.pos) as usize).min(buf.len());
                    let n = match content {
                        Content::Memory(data) => {
                            let start = self.pos as usize;
                            buf[..want].copy_from_slice(&data[start..start + want]);
                            want
                        }
                        Content::Disk { path, .. } => {
                            let f = self.file.as_mut().expect("opened above");
                            let n = f
                                .read(&mut buf[..want])
                                .map_err(|e| Self::fail(Error::io(path, &e)))?;
                            if n == 0 {
                                return Err(Self::fail(Error::new(
                                    Status::Io,
                                    format!(
                                        "{}: the file shrank while it was being uploaded ({} of {} bytes)",
                                        path.display(),
                                        self.pos,
                                        total
                                    ),
                                )));
                            }
                            n
                        }
                    };
                    if let Some(obs) = self.observer.as_mut() {
                        obs.data(&buf[..n]);
                    }
                    self.pos += n as u64;
                    return Ok(n);
                }
            }
        }
    }
}

impl Read for MultipartReader {
    /// Fills `buf` as far as the body goes, across segments: libcurl sends what one read
    /// returns, so a read per segment would cost a `send` (and a wake-up of the server)
    /// for each small text part of every request.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut filled = 0;
        while filled < buf.len() {
            match self.read_segment(&mut buf[filled..])? {
                0 => break,
                n => filled += n,
            }
        }
        Ok(filled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_length_matches_bytes_read() {
        let dir = std::env::temp_dir().join(format!("mp-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("a.txt");
        std::fs::write(&f, b"hello").unwrap();
        let mut mp = Multipart::new();
        mp.text_field("pinataOptions", "{\"cidVersion\":1}");
        mp.disk_file("d/a.txt", "a.txt", f.clone(), 5).unwrap();
        mp.memory_file("d/b.txt", "b.txt", Arc::from(&b"xyz"[..]))
            .unwrap();
        mp.finish();
        let mut out = Vec::new();
        mp.reader(None).read_to_end(&mut out).unwrap();
        assert_eq!(out.len() as u64, mp.len());
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(
            "filename=\"d/a.txt\"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n"
        ));
        assert!(text.ends_with("--\r\n"));
        // A file that changed size is an error.
        std::fs::write(&f, b"hello world").unwrap();
        assert!(mp.reader(None).read_to_end(&mut Vec::new()).is_err());
        std::fs::write(&f, b"hel").unwrap();
        assert!(mp.reader(None).read_to_end(&mut Vec::new()).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Records what it observes into a shared log.
    /// With `true`, it refuses every file's end.
    struct Recorder(Arc<std::sync::Mutex<Vec<u8>>>, bool);

    impl Observer for Recorder {
        fn start(&mut self, rel_path: &str) -> Result<()> {
            self.0
                .lock()
                .unwrap()
                .extend_from_slice(rel_path.as_bytes());
            Ok(())
        }
        fn data(&mut self, bytes: &[u8]) {
            self.0.lock().unwrap().extend_from_slice(bytes);
        }
        fn end(&mut self) -> Result<()> {
            if self.1 {
                return Err(Error::invalid_argument("refused at the end"));
            }
            self.0.lock().unwrap().extend_from_slice(b"|end");
            Ok(())
        }
    }

    #[test]
    fn threaded_helpers_each_see_every_byte_in_order() {
        let logs: Vec<_> = (0..2)
            .map(|_| Arc::new(std::sync::Mutex::new(Vec::new())))
            .collect();
        let inners = logs
            .iter()
            .map(|l| Box::new(Recorder(l.clone(), false)) as Box<dyn Observer>)
            .collect();
        let mut threaded = Threaded::spawn_each(inners).ok().unwrap();
        let mut want = b"a.bin".to_vec();
        threaded.start("a.bin").unwrap();
        // More chunks than the queues hold, so buffers are recycled on the way.
        for i in 0..64u8 {
            let chunk = vec![i; 1000 + usize::from(i)];
            threaded.data(&chunk);
            want.extend_from_slice(&chunk);
        }
        threaded.end().unwrap();
        want.extend_from_slice(b"|end");
        drop(threaded);
        for log in &logs {
            assert_eq!(*log.lock().unwrap(), want);
        }

        // A helper's failure comes back at the next start or end.
        let log = Arc::new(std::sync::Mutex::new(Vec::new()));
        let inners = vec![
            Box::new(Recorder(log.clone(), false)) as Box<dyn Observer>,
            Box::new(Recorder(log.clone(), true)),
        ];
        let mut threaded = Threaded::spawn_each(inners).ok().unwrap();
        threaded.start("b").unwrap();
        // Queued: the helper fails it a moment later, and the next call says so.
        threaded.end().unwrap();
        let err = (0..10_000)
            .find_map(|_| {
                std::thread::sleep(std::time::Duration::from_millis(1));
                threaded.start("c").err()
            })
            .expect("the helper's failure surfaces");
        assert!(err.message().contains("refused at the end"), "{err}");
    }

    #[test]
    fn refuses_bad_file_names() {
        let mut mp = Multipart::new();
        assert!(mp.memory_file("a\"b", "a", Arc::from(&b""[..])).is_err());
        assert!(mp.memory_file("a\r\nb", "a", Arc::from(&b""[..])).is_err());
    }
}
