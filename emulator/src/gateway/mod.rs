//! The emulator's IPFS gateway (`/ipfs/{cid}`, trustless responses).
