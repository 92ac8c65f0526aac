#!/usr/bin/env python3
"""Writes the committed seeds of the `car` fuzz target (fuzz/corpus/car/seed-*): CARs of
whole downloads, each led by the byte that picks the destination (memory or disk) and the
size of the reads.

Usage: python3 fuzz/car_seeds.py fuzz/corpus/car
"""
import hashlib
import sys

RAW, DAG_PB = 0x55, 0x70
# The high bit of the first byte walks to disk instead of into memory; the low seven bits
# are the read size.
TO_DISK = 0x80


def varint(value):
    out = b""
    while value >= 0x80:
        out += bytes([(value & 0x7F) | 0x80])
        value >>= 7
    return out + bytes([value])


def cid_v1(codec, block):
    return b"\x01" + varint(codec) + b"\x12\x20" + hashlib.sha256(block).digest()


def cid_v0(block):
    return b"\x12\x20" + hashlib.sha256(block).digest()


def bytes_field(number, value):
    return varint((number << 3) | 2) + varint(len(value)) + value


def uint_field(number, value):
    return varint(number << 3) + varint(value)


def dag_pb(links, unixfs):
    """A dag-pb node: links are (cid, name, tsize), then the UnixFS Data."""
    out = b""
    for cid, name, tsize in links:
        link = bytes_field(1, cid) + bytes_field(2, name) + uint_field(3, tsize)
        out += bytes_field(2, link)
    return out + bytes_field(1, unixfs)


def unixfs_file(size, block_sizes=(), data=None):
    out = uint_field(1, 2)
    if data is not None:
        out += bytes_field(2, data)
    out += uint_field(3, size)
    for n in block_sizes:
        out += uint_field(4, n)
    return out


def hamt_shard(buckets, fanout=256):
    """UnixFS Data of a HAMT shard: type 5, the bitfield of the used buckets (a
    big-endian integer of fanout bits), murmur3-x64-64 (0x22), fanout."""
    bitfield = sum(1 << b for b in buckets).to_bytes(fanout // 8, "big")
    return uint_field(1, 5) + bytes_field(2, bitfield) + uint_field(5, 0x22) + uint_field(6, fanout)


def car(blocks, root=None):
    """A CARv1 whose header names `root` (default: the first block's CID)."""
    root = blocks[0][0] if root is None else root
    link = b"\x00" + root  # DAG-CBOR tag 42 over the byte string 0x00 + the binary CID
    header = (
        b"\xa2"  # map of 2
        + b"\x65roots" + b"\x81" + b"\xd8\x2a" + b"\x58" + bytes([len(link)]) + link
        + b"\x67version" + b"\x01"
    )
    out = varint(len(header)) + header
    for cid, block in blocks:
        out += varint(len(cid) + len(block)) + cid + block
    return out


def seeds():
    """(name, read size, blocks in the order sent, root: None for the first block's CID)"""
    hello = b"Hello World!\n"
    hello_block = (cid_v1(RAW, hello), hello)
    yield "raw-file", 16, [hello_block], None

    # Four leaves, the first repeated last: sent once, as most gateways do.
    leaves = [(cid_v1(RAW, data), data) for data in (b"A" * 100, b"B" * 100, b"C" * 100, b"A" * 100)]
    root = dag_pb([(cid, b"", 100) for cid, _ in leaves], unixfs_file(400, [100] * 4))
    root_block = (cid_v1(DAG_PB, root), root)
    unique = leaves[:3]
    yield "file-dag-dups", 33, [root_block] + unique, None
    # Leaves first, walked to disk: the leaves spill, then come back from the spill; the
    # repeated leaf is read back from the file written.
    yield "file-dag-leaves-first", TO_DISK | 127, unique[::-1] + [root_block], root_block[0]

    inline = dag_pb([], unixfs_file(16, data=b"inline file data"))
    yield "v0-inline-file", 5, [(cid_v0(inline), inline)], None

    sub = dag_pb([(cid, b"", 100) for cid, _ in leaves[:2]], unixfs_file(200, [100, 100]))
    sub_block = (cid_v1(DAG_PB, sub), sub)
    directory = dag_pb(
        [(hello_block[0], b"a.txt", len(hello)), (sub_block[0], b"b.bin", len(sub))],
        uint_field(1, 1),
    )
    directory_blocks = [(cid_v1(DAG_PB, directory), directory), hello_block, sub_block] + leaves[:2]
    yield "directory", 64, directory_blocks, None

    # The same directory, walked to disk.
    yield "directory-to-disk", TO_DISK | 64, directory_blocks, None

    # A HAMT-sharded directory (fanout 256: two hex digits before each name) holding a.txt
    # and a sub-shard, which holds the directory `nested` with c.txt. The walk does not
    # check which bucket a name hashes to, so the prefixes here are arbitrary.
    nested = dag_pb([(sub_block[0], b"c.txt", len(sub))], uint_field(1, 1))
    nested_block = (cid_v1(DAG_PB, nested), nested)
    shard = dag_pb([(nested_block[0], b"00nested", len(nested))], hamt_shard([0x00]))
    shard_block = (cid_v1(DAG_PB, shard), shard)
    hamt = dag_pb(
        [(hello_block[0], b"0Ba.txt", len(hello)), (shard_block[0], b"4F", len(shard))],
        hamt_shard([0x0B, 0x4F]),
    )
    hamt_blocks = [(cid_v1(DAG_PB, hamt), hamt), hello_block, shard_block, nested_block, sub_block]
    yield "hamt-directory", TO_DISK | 100, hamt_blocks + leaves[:2], None

    # A directory with an entry named "..": refused, and nothing is left on disk.
    unsafe = dag_pb([(hello_block[0], b"..", len(hello))], uint_field(1, 1))
    yield "unsafe-entry-name", TO_DISK | 7, [(cid_v1(DAG_PB, unsafe), unsafe), hello_block], None

    # A file whose root is an identity CID (its dag-pb node inside the CID), sent as a
    # section of its own, over the raw leaf of hello.
    over_hello = dag_pb([(hello_block[0], b"", len(hello))], unixfs_file(len(hello), [len(hello)]))
    identity_root = b"\x01" + varint(DAG_PB) + b"\x00" + varint(len(over_hello)) + over_hello
    yield "identity-root-over-leaf", 20, [(identity_root, over_hello), hello_block], None

    identity = b"\x01" + varint(RAW) + b"\x00" + varint(5) + b"hello"
    file_of_identity = dag_pb([(identity, b"", 5)], unixfs_file(5, [5]))
    yield "identity-leaf", 9, [(cid_v1(DAG_PB, file_of_identity), file_of_identity)], None


if __name__ == "__main__":
    for name, read_size, blocks, root in seeds():
        with open(f"{sys.argv[1]}/seed-{name}", "wb") as f:
            f.write(bytes([read_size]) + car(blocks, root))
