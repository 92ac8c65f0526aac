//! Retrieval from IPFS gateways, every byte verified against its CID.
