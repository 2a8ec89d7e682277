#!/usr/bin/env python3
"""An independent model of SPEC.md's default profile, standard library only.

It computes the numbers quoted in SPEC.md's worked examples, so that those numbers do not
come from the Rust code they are used to test. Run it to print them:
    python3 spec/examples/default_profile.py
"""
import hashlib


def u64(v):
    return v.to_bytes(8, "big")


def H(*parts):
    h = hashlib.sha3_256()
    for p in parts:
        h.update(p)
    return h.digest()


def popcount(n):
    return bin(n).count("1")


def size_for(n):  # D4
    return 2 * n - popcount(n)


def leaf_pos(i):  # D3
    return 2 * i - popcount(i)


def peaks(size):  # D6: (pos, height) left to right
    out, base, s = [], 0, size
    h = 64
    while h >= 0:
        t = (1 << (h + 1)) - 1
        if t <= s:
            out.append((base + t - 1, h))
            base += t
            s -= t
        h -= 1
    assert s == 0, "invalid size"
    return out


def leaf(pos, data, value):  # D11
    return (H(b"\x00", u64(pos), u64(value), data), value)


def parent(pos, l, r):  # D11
    s = l[1] + r[1]
    return (H(b"\x01", u64(pos), u64(s), l[0], r[0]), s)


def root(size, pk):  # D11: every peak's hash and value, so no value can move between peaks
    total = sum(p[1] for p in pk)
    parts = [x for p in pk for x in (p[0], u64(p[1]))]
    return (H(b"\x02", u64(size), u64(total), *parts), total)


class MMR:
    """Nodes by position, built by appending (D1, D9)."""

    def __init__(self):
        self.nodes = []
        self.n = 0

    def append(self, data, value):
        pos = len(self.nodes)
        self.nodes.append(leaf(pos, data, value))
        h, n = 0, self.n
        while n & 1:  # merge while the new node is a right child
            pos = len(self.nodes)
            left = self.nodes[pos - (1 << (h + 1))]
            right = self.nodes[pos - 1]
            self.nodes.append(parent(pos, left, right))
            n >>= 1
            h += 1
        self.n += 1

    def peaks(self):
        return [self.nodes[p] for p, _ in peaks(len(self.nodes))]

    def root(self):
        return root(len(self.nodes), self.peaks())


def show(label, node):
    print(f"{label}: hash {node[0].hex()} value {node[1]}")


if __name__ == "__main__":
    print("empty root:", root(0, [])[0].hex())
    m = MMR()
    leaves = [(bytes.fromhex("000102"), 1), (bytes.fromhex("010203"), 2),
              (bytes.fromhex("020304"), 3), (bytes.fromhex("030405"), 4)]
    for i, (d, v) in enumerate(leaves):
        m.append(d, v)
        show(f"after {i + 1} leaves, size {len(m.nodes)}, root", m.root())
    for p, nd in enumerate(m.nodes):
        show(f"  node {p}", nd)
    # 7 leaves of data [i], value i+1: size 11, peaks 6, 9, 10
    m7 = MMR()
    for i in range(7):
        m7.append(bytes([i]), i + 1)
    show("7 leaves (data [i], value i+1), size 11, root", m7.root())
    for p in (6, 9, 10):
        show(f"  peak {p}", m7.nodes[p])
    # proof of leaf 4 (pos 7) in that MMR: mountain sibling 8, then peaks 6 (left), 10 (right)
    for p in (8, 6, 10):
        show(f"  proof item at {p}", m7.nodes[p])
    # spend leaf 1 (pos 1) with data "spent": value 0
    m4 = MMR()
    for d, v in leaves:
        m4.append(d, v)
    m4.nodes[1] = leaf(1, b"spent", 0)
    m4.nodes[2] = parent(2, m4.nodes[0], m4.nodes[1])
    m4.nodes[6] = parent(6, m4.nodes[2], m4.nodes[5])
    show("4 leaves after spending leaf 1 with data 'spent', root", m4.root())
    # Bagging shapes of D11 on the 7-leaf peaks, with the test bag hash of
    # reference/tests/common/mod.rs: bag(size, l, r) = H(0x03 || u64(size) || u64(sum) || l || r).
    # (Not a shipped profile: these values check the reference's generic fold-right and
    # peak-tree code.)
    def bag(size, l, r):
        s = l[1] + r[1]
        return (H(b"\x03", u64(size), u64(s), l[0], r[0]), s)

    pk = m7.peaks()
    show("test bagging, 7 leaves, fold-right root", bag(11, pk[0], bag(11, pk[1], pk[2])))
    show("test bagging, 7 leaves, peak-tree root", bag(11, bag(11, pk[0], pk[1]), pk[2]))
    m15 = MMR()  # 15 leaves: 4 peaks (8, 4, 2, 1 leaves)
    for i in range(15):
        m15.append(bytes([i]), i + 1)
    pk = m15.peaks()
    sz = len(m15.nodes)
    show(f"test bagging, 15 leaves (size {sz}), fold-right root",
         bag(sz, pk[0], bag(sz, pk[1], bag(sz, pk[2], pk[3]))))
    show(f"test bagging, 15 leaves (size {sz}), peak-tree root",
         bag(sz, bag(sz, pk[0], pk[1]), bag(sz, pk[2], pk[3])))
