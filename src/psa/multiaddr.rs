//! Multiaddr text checks for PSA origins and delegates: every component must be a
//! protocol this library knows with a well-formed value, and `/p2p/` (or `/ipfs/`)
//! must carry a real peer id (a base58btc multihash or a CIDv1 with the `libp2p-key`
//! codec). Also tells private-range addresses apart, which Pinata refuses as origins
//! (`INVALID_ORIGINS`, reference/real-clients.md §6).

use crate::error::{Error, Result};
use cid::multibase;
use cid::multihash::Multihash;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Longest multiaddr accepted.
const MAX_MULTIADDR_BYTES: usize = 1024;
/// The `libp2p-key` multicodec of a CID-form peer id.
const LIBP2P_KEY: u64 = 0x72;

/// What follows a protocol name.
enum Arg {
    None,
    Ip4,
    Ip6,
    Port,
    Host,
    Peer,
    Text,
    /// Consumes the rest of the address (`/unix/path/to/socket`).
    Path,
}

fn protocol(name: &str) -> Option<Arg> {
    Some(match name {
        "ip4" => Arg::Ip4,
        "ip6" => Arg::Ip6,
        "tcp" | "udp" | "dccp" | "sctp" => Arg::Port,
        "dns" | "dns4" | "dns6" | "dnsaddr" | "sni" => Arg::Host,
        "p2p" | "ipfs" => Arg::Peer,
        "ip6zone" | "certhash" | "ipcidr" | "garlic64" | "garlic32" | "onion" | "onion3" => {
            Arg::Text
        }
        "unix" => Arg::Path,
        "quic" | "quic-v1" | "webtransport" | "ws" | "wss" | "tls" | "noise" | "http" | "https"
        | "p2p-circuit" | "webrtc" | "webrtc-direct" | "utp" | "udt" | "p2p-webrtc-star"
        | "p2p-webrtc-direct" | "p2p-websocket-star" | "plaintextv2" => Arg::None,
        _ => return None,
    })
}

/// Whether `id` is a libp2p peer id.
pub fn is_peer_id(id: &str) -> bool {
    if id.starts_with("Qm") || id.starts_with('1') {
        // Legacy form: a bare base58btc multihash (sha2-256 or identity).
        return match multibase::Base::Base58Btc.decode(id) {
            Ok(bytes) => Multihash::<64>::from_bytes(&bytes).is_ok(),
            Err(_) => false,
        };
    }
    match cid::Cid::try_from(id) {
        Ok(c) => c.version() == cid::Version::V1 && c.codec() == LIBP2P_KEY,
        Err(_) => false,
    }
}

fn bad(name: &str, addr: &str, why: &str) -> Error {
    Error::invalid_argument(format!("`{name}` {addr:?} is not a valid multiaddr: {why}"))
}

/// Checks one multiaddr; `name` is the argument named in the error message.
pub fn check(name: &str, addr: &str) -> Result<()> {
    crate::util::check_text(name, addr)?;
    if addr.len() > MAX_MULTIADDR_BYTES {
        return Err(bad(name, addr, "too long"));
    }
    let Some(rest) = addr.strip_prefix('/') else {
        return Err(bad(name, addr, "it must start with '/'"));
    };
    let parts: Vec<&str> = rest.split('/').collect();
    let mut i = 0;
    while i < parts.len() {
        let proto = parts[i];
        let Some(arg) = protocol(proto) else {
            return Err(bad(name, addr, &format!("unknown protocol {proto:?}")));
        };
        i += 1;
        if matches!(arg, Arg::None) {
            continue;
        }
        if matches!(arg, Arg::Path) {
            if i >= parts.len() {
                return Err(bad(name, addr, "/unix needs a path"));
            }
            return Ok(());
        }
        let Some(value) = parts.get(i).copied().filter(|v| !v.is_empty()) else {
            return Err(bad(name, addr, &format!("/{proto} needs a value")));
        };
        i += 1;
        let ok = match arg {
            Arg::Ip4 => value.parse::<Ipv4Addr>().is_ok(),
            Arg::Ip6 => value.parse::<Ipv6Addr>().is_ok(),
            Arg::Port => value.parse::<u16>().is_ok(),
            Arg::Host => value.len() <= 253 && !value.contains(char::is_whitespace),
            Arg::Peer => is_peer_id(value),
            _ => true,
        };
        if !ok {
            return Err(bad(
                name,
                addr,
                &format!("{value:?} is not a valid /{proto} value"),
            ));
        }
    }
    Ok(())
}

/// Checks a multiaddr that must name a peer (`/p2p/<peer id>`), as delegates do.
pub fn check_with_peer(name: &str, addr: &str) -> Result<()> {
    check(name, addr)?;
    if !addr.split('/').any(|p| p == "p2p" || p == "ipfs") {
        return Err(bad(name, addr, "it has no /p2p/<peer id>"));
    }
    Ok(())
}

/// Whether a multiaddr names a private, loopback, link-local or unspecified IP address
/// (RFC 1918, 100.64/10, fc00::/7, fe80::/10, ...), which a remote service cannot reach.
pub fn is_private(addr: &str) -> bool {
    let parts: Vec<&str> = addr.split('/').collect();
    parts.windows(2).any(|w| match w[0] {
        "ip4" => w[1].parse::<Ipv4Addr>().is_ok_and(|ip| {
            let o = ip.octets();
            ip.is_private()
                || ip.is_loopback()
                || ip.is_link_local()
                || ip.is_unspecified()
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
        }),
        "ip6" => w[1].parse::<Ipv6Addr>().is_ok_and(|ip| {
            let s = ip.segments()[0];
            ip.is_loopback()
                || ip.is_unspecified()
                || (s & 0xfe00) == 0xfc00
                || (s & 0xffc0) == 0xfe80
        }),
        "dns" | "dns4" | "dns6" => w[1].eq_ignore_ascii_case("localhost"),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEER: &str = "12D3KooWBqWVzmvemKbp7UdNBe81bM3kqWm2xGqLiVM1PmE2VhZF";

    #[test]
    fn accepts_real_addresses() {
        for a in [
            format!("/ip4/1.2.3.4/tcp/4001/p2p/{PEER}"),
            format!("/ip4/10.0.0.1/udp/4001/quic-v1/p2p/{PEER}"),
            "/dns4/example.com/tcp/443/wss/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN"
                .into(),
            "/ip6/::1/tcp/1".into(),
            format!("/p2p/{PEER}"),
        ] {
            check("origins", &a).unwrap();
        }
        check_with_peer("delegates", &format!("/ip4/1.2.3.4/tcp/1/p2p/{PEER}")).unwrap();
    }

    #[test]
    fn refuses_malformed() {
        for a in [
            "",
            "ip4/1.2.3.4",
            "/ip4/1.2.3.999/tcp/1",
            "/ip4/1.2.3.4/tcp/70000",
            "/ip4/1.2.3.4/tcp",
            "/foo/bar",
            "/p2p/notapeerid",
            "/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJ",
            "/ip4/1.2.3.4/tcp/1\n",
        ] {
            assert!(check("origins", a).is_err(), "{a:?}");
        }
        assert!(check_with_peer("delegates", "/ip4/1.2.3.4/tcp/1").is_err());
    }

    #[test]
    fn private_ranges() {
        assert!(is_private("/ip4/10.1.2.3/tcp/1"));
        assert!(is_private("/ip4/192.168.0.2/udp/1/quic-v1"));
        assert!(is_private("/ip4/127.0.0.1/tcp/1"));
        assert!(is_private("/ip4/100.64.0.1/tcp/1"));
        assert!(is_private("/ip6/fe80::1/tcp/1"));
        assert!(is_private("/ip6/fd00::1/tcp/1"));
        assert!(!is_private("/ip4/1.2.3.4/tcp/1"));
        assert!(!is_private("/dns4/example.com/tcp/1"));
    }
}
