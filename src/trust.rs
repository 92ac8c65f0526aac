//! Where TLS trust comes from when the client names no CA bundle.
//!
//! The system flavour leaves this to the system's libcurl, which was built knowing its
//! platform's store (Debian: `/etc/ssl/certs/ca-certificates.crt` through OpenSSL).
//! The bundled flavour carries curl-sys' libcurl with rustls, which has no compiled-in
//! CA path: with neither `CURLOPT_CAINFO` nor `CURLSSLOPT_NATIVE_CA` every handshake
//! would fail. So the bundled flavour chooses, in this order:
//!
//! 1. the client's CA bundle (`pinata_client_set_ca_bundle`), always, alone;
//! 2. on Linux and the BSDs: the first existing file of `$SSL_CERT_FILE` and the
//!    distributions' bundle paths ([`CA_FILES`]), read once per process;
//! 3. otherwise (Apple platforms, Android, Windows, or no file found): the platform's
//!    verifier, rustls-platform-verifier through libcurl's `CURLSSLOPT_NATIVE_CA`
//!    (Security.framework, the Android trust manager, CryptoAPI; on Linux it reads the
//!    certificates `SSL_CERT_FILE`/`SSL_CERT_DIR` or the OpenSSL paths name).
//!
//! Verification itself is never turned off, in either flavour.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The CA bundle files of common Linux distributions and BSDs, most common first.
pub const CA_FILES: [&str; 6] = [
    "/etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, Arch, Gentoo, Alpine
    "/etc/pki/tls/certs/ca-bundle.crt",   // Fedora, RHEL, CentOS
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // Fedora, RHEL 7+
    "/etc/ssl/ca-bundle.pem",             // openSUSE
    "/etc/ssl/cert.pem",                  // Alpine, macOS, OpenBSD
    "/usr/local/share/certs/ca-root-nss.crt", // FreeBSD
];

/// The first of `$SSL_CERT_FILE` (when set and non-empty) and `candidates` that is an
/// existing file.
pub fn first_ca_file(ssl_cert_file: Option<OsString>, candidates: &[&str]) -> Option<PathBuf> {
    ssl_cert_file
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .into_iter()
        .chain(candidates.iter().map(PathBuf::from))
        .find(|p| p.is_file())
}

/// The CA file the bundled flavour trusts when the client named none (`None`: the
/// platform verifier).
#[cfg(all(unix, not(any(target_vendor = "apple", target_os = "android"))))]
pub fn default_ca_file() -> Option<&'static Path> {
    static FILE: once_cell::sync::Lazy<Option<PathBuf>> =
        once_cell::sync::Lazy::new(|| first_ca_file(std::env::var_os("SSL_CERT_FILE"), &CA_FILES));
    FILE.as_deref()
}

/// Apple platforms, Android and Windows trust what their platform verifier trusts.
#[cfg(not(all(unix, not(any(target_vendor = "apple", target_os = "android")))))]
pub fn default_ca_file() -> Option<&'static Path> {
    None
}

/// Gives a freshly reset handle the trust roots of the rule above. `ca_bundle` is the
/// client's setting.
pub(crate) fn apply<H>(
    easy: &mut curl::easy::Easy2<H>,
    ca_bundle: Option<&Path>,
) -> Result<(), curl::Error> {
    if let Some(ca) = ca_bundle {
        return easy.cainfo(ca);
    }
    if cfg!(feature = "bundled") {
        match default_ca_file() {
            Some(file) => easy.cainfo(file)?,
            None => easy.ssl_options(curl::easy::SslOpt::new().native_ca(true))?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssl_cert_file_comes_first_and_must_exist() {
        let dir = std::env::temp_dir().join(format!("pinata-trust-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = dir.join("a.pem");
        let b = dir.join("b.pem");
        std::fs::write(&a, "x").unwrap();
        std::fs::write(&b, "x").unwrap();
        let (a_s, b_s) = (a.to_str().unwrap(), b.to_str().unwrap());
        assert_eq!(
            first_ca_file(Some(b.clone().into()), &[a_s]),
            Some(b.clone())
        );
        assert_eq!(first_ca_file(Some("".into()), &[a_s]), Some(a.clone()));
        assert_eq!(
            first_ca_file(None, &["/nonexistent/x.pem", b_s]),
            Some(b.clone())
        );
        // A missing SSL_CERT_FILE, or a directory, falls through to the list.
        assert_eq!(
            first_ca_file(Some("/nonexistent".into()), &[a_s]),
            Some(a.clone())
        );
        assert_eq!(first_ca_file(Some(dir.clone().into()), &[b_s]), Some(b));
        assert_eq!(first_ca_file(None, &["/nonexistent/x.pem"]), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
