#!/usr/bin/env python3
"""A conformance adapter for the MMR proof database, in Python (standard library only).

An independent implementation of SPEC.md's `default` profile that speaks the line protocol
of vectors/PROTOCOL.md on stdin/stdout, so that `mmr conform` can check it:

    cargo run --release -p mmr-cli -- conform -- python3 vectors/adapters/python/adapter.py

It implements the database (append, update, spend, blocks, retained states, rewind, reads,
MMR sets, proofs, batch proofs and their verifiers), the storage-less client (D24) and the
index arithmetic; it does not implement compaction or un-pruning, and says so in its
handshake, so the runner skips those vectors and lists them.

`--variant=NAME` makes one deliberately wrong choice where SPEC.md fixes an order or a rule
(VARIANTS below; TESTING.md "Mutant check"); cli/tests/mutants.rs checks each fails.

`--broken=KIND` makes it wrong on purpose, to show that the runner catches it:
  bagging  the root hashes the peaks right to left;
  crash    exits at the first append;   hang  never answers a spend;
  garbage  answers the first state request with a line that is not JSON.

Options that shape the handshake (protocol version 2, vectors/PROTOCOL.md), as a library
that is not shaped like this project would need:
  --rejected        answer every rejection as {"error":"rejected"}, without the kind;
  --errors-any      declare "errors":"any" (with --rejected: what a library with its own
                    error type declares);
  --arith=F,G       declare only these arithmetic functions ("arith":[...]);
  --profiles=P,Q    declare these profiles instead of ["default"] (empty: none);
  --ops=A,B         declare only these ops;
  --hashed          declare "leaves":"hashed": take append_hash (a leaf hash), refuse append,
                    verify and verify_batch (they must arrive in their node forms);
  --zero-values     report every value as 0 (a library without sums);
  --declare-no-values  declare "values":false (with --zero-values: what such a library
                    declares);
  --proofs=E,F      declare only these proof encodings (d13, d15).
  --unsupported=A,B  answer these ops with {"error":"unsupported"}, as a library that
                    cannot represent such a request does.
"""
import hashlib
import json
import sys
import time

MAX = (1 << 64) - 1
MAX_LEAVES = 1 << 63
BROKEN = ""
VARIANT = ""
# `--variant=NAME`: one deliberately wrong choice where SPEC.md fixes an order or a rule
# (TESTING.md "Mutant check"); each must fail `mmr conform`.
VARIANTS = {
    "d13-truncated-before-invalid-side": "D13: checks the length before the side bytes",
    "prove-batch-one-pass": "D15 proving: range and repetition checked in one pass",
    "batch-count-before-leaves": "D15 verify: rule 4 (leaf-count-mismatch) before rule 3",
    "batch-separate-passes": "D15 verify rule 3: leaf-ness, range, order in separate passes",
    "batch-canonical-before-order": "D15 verify rule 5: canonical set before item order",
    "block-count-lazy": "D17: the op count is not checked up front",
    "in-block-inner-kind": "D16: a failed block answers the failing op's kind",
    "reads-index-before-at": "D19: a read checks its index (current state) before at",
    "is-unspent-no-range": "D19: is_unspent beyond the leaf count answers false",
    "client-no-step7": "D24.7: tracked proofs are rebuilt but not re-verified",
    "client-size-before-parent": "D24: step 3 (invalid-size) before step 2",
    "client-prev-root-value-only": "D24.2: prev_root compared by value only",
    "client-not-tracked-before-decode": "D24: not-tracked before decoding the bytes",
    "client-track-keeps-first": "D24 track: an index already tracked keeps its first proof",
    "client-untrack-silent": "D24 untrack: an untracked index is no error",
    "prove-left-peaks-reversed": "D13 flat bagging part: the left peaks listed right to left",
    "verify-rejects-all": "D14: verify (with the leaf data) rejects every proof",
    "leaf-count-no-size-check": "D4: leaf_count of an invalid size answers a count",
}


class Fail(Exception):
    """An operation refused with a SPEC.md error kind."""

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


# ----- encodings -----

def u64(v):
    return v.to_bytes(8, "big")


def H(*parts):
    h = hashlib.sha3_256()
    for p in parts:
        h.update(p)
    return h.digest()


class Reader:
    def __init__(self, b):
        self.b, self.i = b, 0

    def take(self, n):
        if len(self.b) - self.i < n:
            raise Fail("truncated")
        s = self.b[self.i:self.i + n]
        self.i += n
        return s

    def u8(self):
        return self.take(1)[0]

    def u64(self):
        return int.from_bytes(self.take(8), "big")

    def node(self):
        h = self.take(32)
        return (h, self.u64())

    def count(self, record):
        n = self.u64()
        if n > (len(self.b) - self.i) // record:
            raise Fail("truncated")
        return n

    def finish(self):
        if self.i != len(self.b):
            raise Fail("trailing-bytes")


def enc_node(n):
    return n[0] + u64(n[1])


def proof_node(n):
    """A node inside a proof this adapter writes: with --zero-values its value is 0, as a
    library without sums writes it."""
    return n[0] + u64(0 if ZERO_VALUES else n[1])


# ----- index arithmetic (D1-D8) -----

def popcount(n):
    return bin(n).count("1")


def size_of(n):  # D4
    return 2 * n - popcount(n)


def leaf_count(size):  # D4: the n with size(n) == size, or None
    lo, hi = 0, MAX_LEAVES
    while lo < hi:  # smallest n with size(n) >= size
        mid = (lo + hi) // 2
        if size_of(mid) >= size:
            hi = mid
        else:
            lo = mid + 1
    return lo if size_of(lo) == size else None


def height(pos):  # D2
    if pos >= MAX:
        return None
    p = pos
    while True:
        for h in range(64):
            if p == (1 << (h + 1)) - 2:
                return h
        k = 64
        while (1 << k) - 1 > p:
            k -= 1
        p -= (1 << k) - 1


def leaf_index(pos):  # D3 inverse, for a leaf position
    lo, hi = 0, pos + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if size_of(mid) >= pos:
            hi = mid
        else:
            lo = mid + 1
    return lo


def is_right(pos):
    h = height(pos)
    return height(pos + 1) == h + 1


def parent(pos):
    h = height(pos)
    p = pos + 1 if is_right(pos) else pos + (1 << (h + 1))
    return p if p < MAX else None


def sibling(pos):
    h = height(pos)
    s = pos + 1 - (1 << (h + 1)) if is_right(pos) else pos + (1 << (h + 1)) - 1
    return s if 0 <= s < MAX else None


def children(pos):
    h = height(pos)
    if h == 0:
        return None
    return (pos - (1 << h), pos - 1)


def peaks(size):  # D6: positions left to right
    n = leaf_count(size)
    out = []
    for h in range(63, -1, -1):
        if (n >> h) & 1:
            e = (n >> h) - 1
            out.append(((1 << (h + 1)) * (e + 1) - popcount(e) - 2))
    return out


def row_entry(pos):
    n = leaf_index_floor(pos)
    before = size_of(n - 1)
    row = pos - before
    return row, (n >> row) - 1


def leaf_index_floor(pos):  # smallest n with size(n) > pos
    lo, hi = 0, MAX_LEAVES
    while lo < hi:
        mid = (lo + hi) // 2
        if size_of(mid) > pos:
            hi = mid
        else:
            lo = mid + 1
    return lo


def position(row, entry):
    if row > 63 or entry >= (1 << (63 - row)):
        return None
    return (1 << (row + 1)) * (entry + 1) - popcount(entry) - 2


# ----- hashing (D11, default profile) -----

def leaf(pos, data, value):
    return (H(b"\x00", u64(pos), u64(value), data), value)


def parent_node(pos, l, r):
    s = l[1] + r[1]
    if s > MAX:
        raise Fail("value-overflow")
    return (H(b"\x01", u64(pos), u64(s), l[0], r[0]), s)


def root_of(size, pk):
    total = sum(p[1] for p in pk)
    if total > MAX:
        raise Fail("value-overflow")
    order = list(reversed(pk)) if BROKEN == "bagging" else pk
    parts = [x for p in order for x in (p[0], u64(p[1]))]  # each peak's hash and value
    return (H(b"\x02", u64(size), u64(total), *parts), total)


# ----- proofs (D13-D15) -----

def mountain(size, pos):
    """The mountain levels of a leaf: [(node position, sibling position, sibling side)]."""
    pk = peaks(size)
    out = []
    p = pos
    while p not in pk:
        s = sibling(p)
        out.append((p, s, 0 if is_right(p) else 1))
        p = parent(p)
    return out, pk.index(p)


def encode_proof(size, pos, path):
    b = u64(size) + u64(pos) + bytes([len(path)])
    for side, n in path:
        b += bytes([side]) + proof_node(n)
    return b


def decode_proof(b):
    r = Reader(b)
    size, pos, n = r.u64(), r.u64(), r.u8()
    if VARIANT == "d13-truncated-before-invalid-side" and len(b) < 17 + 41 * n:
        raise Fail("truncated")
    path = []
    for _ in range(n):
        side = r.u8()
        if side > 1:
            raise Fail("invalid-side")
        path.append((side, r.node()))
    r.finish()
    return size, pos, path


def verify_node(root, proof, leafnode):  # D14
    size, pos, path = proof
    n = leaf_count(size)
    if n is None:
        raise Fail("invalid-size")
    if pos >= MAX or height(pos) != 0:
        raise Fail("not-a-leaf")
    if leaf_index(pos) >= n:
        raise Fail("leaf-index-out-of-range")
    levels, i = mountain(size, pos)
    pk = peaks(size)
    if len(path) != len(levels) + len(pk) - 1:
        raise Fail("path-length")
    sides = [s for _, _, s in levels] + [0] * i + [1] * (len(pk) - 1 - i)
    for (side, _), want in zip(path, sides):
        if side != want:
            raise Fail("wrong-side")
    run = leafnode
    for (p, _, side), (_, sib) in zip(levels, path):
        par = parent(p)
        run = parent_node(par, sib, run) if side == 0 else parent_node(par, run, sib)
    bag = [nd for _, nd in path[len(levels):]]
    computed = root_of(size, bag[:i] + [run] + bag[i:])
    if computed[1] != root[1]:
        raise Fail("sum-mismatch")
    if computed[0] != root[0]:
        raise Fail("root-mismatch")


def batch_sets(size, positions):
    pk = peaks(size)
    a = set()
    for p in positions:
        while True:
            a.add(p)
            if p in pk:
                break
            p = parent(p)
    items = {sibling(x) for x in a if x not in pk and sibling(x) not in a}
    items |= {p for p in pk if p not in a}
    return a, sorted(items), pk


def decode_batch(b):
    r = Reader(b)
    size = r.u64()
    m = r.count(8)
    leaves = [r.u64() for _ in range(m)]
    k = r.count(48)
    items = []
    for _ in range(k):
        p = r.u64()
        items.append((p, r.node()))
    r.finish()
    return size, leaves, items


def verify_batch_nodes(root, proof, nodes):  # D15
    size, positions, items = proof
    n = leaf_count(size)
    if n is None:
        raise Fail("invalid-size")
    if not positions:
        raise Fail("empty-batch")
    if VARIANT == "batch-count-before-leaves" and len(nodes) != len(positions):
        raise Fail("leaf-count-mismatch")
    if VARIANT == "batch-separate-passes":
        for p in positions:
            if p >= MAX or height(p) != 0:
                raise Fail("not-a-leaf")
        for p in positions:
            if leaf_index(p) >= n:
                raise Fail("leaf-index-out-of-range")
    for j, p in enumerate(positions):
        if p >= MAX or height(p) != 0:
            raise Fail("not-a-leaf")
        if leaf_index(p) >= n:
            raise Fail("leaf-index-out-of-range")
        if j > 0 and p == positions[j - 1]:
            raise Fail("duplicate-leaf")
        if j > 0 and p < positions[j - 1]:
            raise Fail("unordered-leaves")
    if len(nodes) != len(positions):
        raise Fail("leaf-count-mismatch")
    a, canonical, pk = batch_sets(size, positions)
    got = [p for p, _ in items]
    diff = sorted(set(got) ^ set(canonical))
    if diff and VARIANT == "batch-canonical-before-order":
        raise Fail("unexpected-item" if diff[0] in got else "missing-item")
    for j in range(1, len(items)):
        if items[j][0] == items[j - 1][0]:
            raise Fail("duplicate-item")
        if items[j][0] < items[j - 1][0]:
            raise Fail("unordered-items")
    if diff:
        raise Fail("unexpected-item" if diff[0] in got else "missing-item")
    known = dict(items)
    known.update(zip(positions, nodes))
    for x in sorted(a):
        if x not in known:
            l, r = children(x)
            known[x] = parent_node(x, known[l], known[r])
    computed = root_of(size, [known[p] for p in pk])
    if computed[1] != root[1]:
        raise Fail("sum-mismatch")
    if computed[0] != root[0]:
        raise Fail("root-mismatch")


# ----- the database (D12, D16-D20) -----

class State:
    def __init__(self, nodes=None, unspent=None):
        self.nodes = nodes or []
        self.unspent = unspent or []

    def copy(self):
        return State(list(self.nodes), list(self.unspent))

    def n(self):
        return len(self.unspent)

    def peak_nodes(self):
        return [self.nodes[p] for p in peaks(len(self.nodes))]

    def root(self):
        return root_of(len(self.nodes), self.peak_nodes())

    def same(self, other):
        return self.nodes == other.nodes and self.unspent == other.unspent


class Db:
    def __init__(self, retain):
        self.retain = retain
        self.work = State()
        self.height = 0
        self.oldest = 0
        self.states = {0: State()}
        self.client = None

    def at(self, at, index=None):
        if VARIANT == "reads-index-before-at" and index is not None and index >= self.work.n():
            raise Fail("leaf-index-out-of-range")
        if at == "current":
            return self.work
        h = int(at)
        if h > self.height:
            raise Fail("future-height")
        if h < self.oldest:
            raise Fail("not-retained")
        return self.states[h]

    def append(self, data, value, leaf_hash=None):
        w = self.work
        if w.n() >= MAX_LEAVES:
            raise Fail("capacity-exceeded")
        if w.root()[1] + value > MAX:
            raise Fail("value-overflow")
        pos = len(w.nodes)
        w.nodes.append((leaf_hash, value) if leaf_hash is not None else leaf(pos, data, value))
        h, n = 0, w.n()
        while n & 1:
            p = len(w.nodes)
            w.nodes.append(parent_node(p, w.nodes[p - (1 << (h + 1))], w.nodes[p - 1]))
            n >>= 1
            h += 1
        w.unspent.append(True)
        return w.n() - 1

    def _check_leaf(self, index):
        if index >= self.work.n():
            raise Fail("leaf-index-out-of-range")
        if not self.work.unspent[index]:
            raise Fail("leaf-spent")

    def _rewrite(self, index, data, value):
        w = self.work
        pos = size_of(index)
        w.nodes[pos] = leaf(pos, data, value)
        p = pos
        while True:
            par = parent(p)
            if par is None or par >= len(w.nodes):
                return
            l, r = children(par)
            w.nodes[par] = parent_node(par, w.nodes[l], w.nodes[r])
            p = par

    def update(self, index, data, value):
        self._check_leaf(index)
        old = self.work.nodes[size_of(index)][1]
        if self.work.root()[1] - old + value > MAX:
            raise Fail("value-overflow")
        self._rewrite(index, data, value)

    def spend(self, index, data):
        self._check_leaf(index)
        self._rewrite(index, data, 0)
        self.work.unspent[index] = False

    def commit(self):
        root = self.work.root()
        self.height += 1
        self.states[self.height] = self.work.copy()
        self.oldest = max(self.oldest, self.height - self.retain)
        for h in [h for h in self.states if h < self.oldest]:
            del self.states[h]
        return block_out(self.height, self.work, root)

    def apply_block(self, b):
        r = Reader(b)
        ops = []
        for _ in range(r.u64() if VARIANT == "block-count-lazy" else r.count(17)):
            tag = r.u8()
            if tag == 0:
                v = r.u64()
                ops.append(("append", v, r.take(r.u64())))
            elif tag == 1:
                i, v = r.u64(), r.u64()
                ops.append(("update", i, v, r.take(r.u64())))
            elif tag == 2:
                i = r.u64()
                ops.append(("spend", i, r.take(r.u64())))
            else:
                raise Fail("invalid-tag")
        r.finish()
        saved = self.work.copy()
        try:
            for op in ops:
                if op[0] == "append":
                    self.append(op[2], op[1])
                elif op[0] == "update":
                    self.update(op[1], op[3], op[2])
                else:
                    self.spend(op[1], op[2])
            return self.commit()
        except Fail as f:
            self.work = saved
            raise Fail(f.kind if VARIANT == "in-block-inner-kind" else "in-block")

    def rewind(self, h):
        if h > self.height:
            raise Fail("future-height")
        if h < self.oldest:
            raise Fail("not-retained")
        self.work = self.states[h].copy()
        for k in [k for k in self.states if k > h]:
            del self.states[k]
        self.height = h

    def mmr_set(self, h):
        if h > self.height:
            raise Fail("future-height")
        if h <= self.oldest:
            raise Fail("not-retained")
        prev, cur = self.states[h - 1], self.states[h]
        pr, cr = prev.root(), cur.root()
        changed = [(p, cur.nodes[p]) for p in range(len(cur.nodes))
                   if p >= len(prev.nodes) or cur.nodes[p] != prev.nodes[p]]
        b = u64(h) + u64(len(prev.nodes)) + enc_node(pr) + u64(len(cur.nodes)) + enc_node(cr)
        b += u64(len(changed))
        for p, nd in changed:
            b += u64(p) + enc_node(nd)
        return b

    def prove(self, at, index):
        s = self.at(at, index)
        if index >= s.n():
            raise Fail("leaf-index-out-of-range")
        size = len(s.nodes)
        pos = size_of(index)
        levels, i = mountain(size, pos)
        path = [(side, s.nodes[sib]) for _, sib, side in levels]
        pk = s.peak_nodes()
        left = range(i - 1, -1, -1) if VARIANT == "prove-left-peaks-reversed" else range(i)
        path += [(0, pk[j]) for j in left] + [(1, pk[j]) for j in range(i + 1, len(pk))]
        return encode_proof(size, pos, path)

    def prove_batch(self, at, indices):
        s = self.at(at)
        if not indices:
            raise Fail("empty-batch")
        seen = set()
        for i in indices:
            if i >= s.n():
                raise Fail("leaf-index-out-of-range")
            if VARIANT == "prove-batch-one-pass" and i in seen:
                raise Fail("duplicate-leaf")
            seen.add(i)
        if len(set(indices)) != len(indices):
            raise Fail("duplicate-leaf")
        size = len(s.nodes)
        positions = sorted(size_of(i) for i in indices)
        _, items, _ = batch_sets(size, positions)
        b = u64(size) + u64(len(positions)) + b"".join(u64(p) for p in positions)
        b += u64(len(items)) + b"".join(u64(p) + proof_node(s.nodes[p]) for p in items)
        return b



# ----- the storage-less client (D24) -----

def decode_set(b):  # D18
    r = Reader(b)
    height, prev_size, prev_root = r.u64(), r.u64(), r.node()
    size, root = r.u64(), r.node()
    k = r.count(48)
    nodes = []
    for _ in range(k):
        p = r.u64()
        nodes.append((p, r.node()))
    r.finish()
    return height, prev_size, prev_root, size, root, nodes


class Client:
    def __init__(self, height, size, pk):
        if leaf_count(size) is None:
            raise Fail("invalid-size")
        want = peaks(size)
        if len(pk) < len(want):
            raise Fail("missing-node")
        if len(pk) > len(want):
            raise Fail("malformed-set")
        root_of(size, pk)  # value-overflow
        self.height, self.size, self.peaks = height, size, pk
        self.tracked = {}  # leaf index -> (leaf node, (size, pos, path))

    def root(self):
        return root_of(self.size, self.peaks)

    def check(self, proof, leafnode):
        if proof[0] != self.size:
            raise Fail("size-mismatch")
        verify_node(self.root(), proof, leafnode)

    def track(self, proof, leafnode):
        self.check(proof, leafnode)
        i = leaf_index(proof[1])
        if i in self.tracked and VARIANT == "client-track-keeps-first":
            return i
        self.tracked[i] = (leafnode, proof)
        return i

    def apply(self, s):
        height, prev_size, prev_root, size, root, nodes = s
        if height != self.height + 1:  # 1
            raise Fail("height-mismatch")
        parent_ok = (prev_size == self.size and
                     (prev_root[1] == self.root()[1] if VARIANT == "client-prev-root-value-only"
                      else prev_root == self.root()))
        if leaf_count(size) is None and VARIANT == "client-size-before-parent":
            raise Fail("invalid-size")
        if not parent_ok:  # 2
            raise Fail("parent-mismatch")
        if leaf_count(size) is None:  # 3
            raise Fail("invalid-size")
        if size < prev_size:
            raise Fail("malformed-set")
        last = None
        for p, _ in nodes:  # 4
            if p >= size or (last is not None and p <= last):
                raise Fail("malformed-set")
            last = p
        got = dict(nodes)
        want = prev_size  # 5
        while want < size and want in got:
            want += 1
        if want < size:
            raise Fail("missing-node")
        old = dict(zip(peaks(self.size), self.peaks))
        new_peaks = []
        for p in peaks(size):  # 6
            if p in got:
                new_peaks.append(got[p])
            elif p in old:
                new_peaks.append(old[p])
            else:
                raise Fail("missing-node")
        computed = root_of(size, new_peaks)
        if computed[1] != root[1]:
            raise Fail("sum-mismatch")
        if computed[0] != root[0]:
            raise Fail("root-mismatch")
        tracked = {}
        for i in sorted(self.tracked):  # 7
            lf, (_, pos, path) = self.tracked[i]
            known = dict(old)
            levels, _ = mountain(self.size, pos)
            for (_, sib, _), (_, nd) in zip(levels, path):
                known[sib] = nd
            lf = got.get(pos, lf)
            levels, k = mountain(size, pos)
            newpath = []
            for _, sib, side in levels:
                if sib in got:
                    newpath.append((side, got[sib]))
                elif sib in known:
                    newpath.append((side, known[sib]))
                else:
                    raise Fail("missing-node")
            newpath += [(0, new_peaks[j]) for j in range(k)]
            newpath += [(1, new_peaks[j]) for j in range(k + 1, len(new_peaks))]
            proof = (size, pos, newpath)
            if VARIANT != "client-no-step7":
                verify_node(root, proof, lf)
            tracked[i] = (lf, proof)
        self.height, self.size, self.peaks, self.tracked = height, size, new_peaks, tracked

    def get(self, i):
        if i not in self.tracked:
            raise Fail("not-tracked")
        return self.tracked[i]

    def info(self):
        try:
            root = {"node": node_out(self.root())}
        except Fail as f:
            root = {"error": f.kind}
        return {"client": {"height": str(self.height), "size": str(self.size),
                           "peaks": [node_out(p) for p in self.peaks], "root": root,
                           "tracked": [str(i) for i in sorted(self.tracked)]}}


def block_out(h, s, root):
    return {"block": {"height": str(h), "size": str(len(s.nodes)), "leaf_count": str(s.n()),
                      "root": node_out(root)}}


ZERO_VALUES = False
HASHED = False


def node_out(n):
    return {"hash": n[0].hex(), "value": "0" if ZERO_VALUES else str(n[1])}


# ----- protocol -----

OPS = ["append", "update", "spend", "commit", "apply_block", "rewind", "info", "state", "node",
       "is_unspent", "leaf_set", "mmr_set", "prove", "prove_batch", "verify", "verify_node",
       "verify_batch", "verify_batch_nodes", "arith", "client_init", "client_info",
       "client_apply", "client_track", "client_untrack", "client_proof", "client_leaf",
       "client_verify"]


def num(s):
    if not isinstance(s, str) or not s.isdigit() or int(s) > MAX:
        raise ValueError(f"bad u64 {s!r}")
    return int(s)


def hx(s):
    return bytes.fromhex(s)


def node_in(d):
    return (hx(d["hash"]), num(d["value"]))


def arith(q):
    f = q["fn"]
    if f == "size":
        n = num(q["leaves"])
        if n > MAX_LEAVES:
            raise Fail("capacity-exceeded")
        return {"number": str(size_of(n))}
    if f == "leaf_count":
        n = leaf_count(num(q["size"]))
        if n is None and VARIANT == "leaf-count-no-size-check":
            n = (num(q["size"]) + 1) // 2
        if n is None:
            raise Fail("invalid-size")
        return {"number": str(n)}
    if f == "leaf_pos":
        i = num(q["index"])
        if i >= MAX_LEAVES:
            raise Fail("leaf-index-out-of-range")
        return {"number": str(size_of(i))}
    if f == "peaks":
        s = num(q["size"])
        if leaf_count(s) is None:
            raise Fail("invalid-size")
        return {"numbers": [str(p) for p in peaks(s)]}
    if f == "position":
        p = position(num(q["row"]), num(q["entry"]))
        if p is None:
            raise Fail("position-out-of-range")
        return {"number": str(p)}
    pos = num(q["pos"])
    if pos >= MAX:
        raise Fail("position-out-of-range")
    if f == "height":
        return {"number": str(height(pos))}
    if f == "leaf_index":
        if height(pos) != 0:
            raise Fail("not-a-leaf")
        return {"number": str(leaf_index(pos))}
    if f == "row_entry":
        r, e = row_entry(pos)
        return {"row_entry": {"row": str(r), "entry": str(e)}}
    if f == "parent":
        p = parent(pos)
        return "none" if p is None else {"number": str(p)}
    if f == "sibling":
        p = sibling(pos)
        return "none" if p is None else {"number": str(p)}
    if f == "children":
        c = children(pos)
        return "none" if c is None else {"numbers": [str(c[0]), str(c[1])]}
    raise ValueError(f"unknown query {f}")


def handle(db, req):
    op = req["op"]
    if op == "append_hash":
        return {"number": str(db.append(None, num(req["value"]), hx(req["hash"])))}
    if HASHED and op in ("verify", "verify_batch"):
        raise ValueError(f"this adapter takes hashed leaves ({op}_node forms)")
    if op == "append":
        if HASHED:
            raise ValueError("this adapter takes hashed leaves (append_hash)")
        if BROKEN == "crash":
            sys.exit(3)
        return {"number": str(db.append(hx(req["data"]), num(req["value"])))}
    if op == "update":
        db.update(num(req["index"]), hx(req["data"]), num(req["value"]))
        return "unit"
    if op == "spend":
        if BROKEN == "hang":
            time.sleep(3600)
        db.spend(num(req["index"]), hx(req["data"]))
        return "unit"
    if op == "commit":
        return db.commit()
    if op == "apply_block":
        return db.apply_block(hx(req["block"]))
    if op == "rewind":
        db.rewind(num(req["height"]))
        return "unit"
    if op == "info":
        pending = not db.work.same(db.states[db.height])
        return {"info": {"height": str(db.height), "oldest": str(db.oldest), "horizon": "0",
                         "pending": pending, "size": str(len(db.work.nodes)),
                         "leaf_count": str(db.work.n())}}
    if op == "state":
        if BROKEN == "garbage":
            print("this is not json", flush=True)
            return None
        s = db.at(req["at"])
        return {"state": {"size": str(len(s.nodes)), "leaf_count": str(s.n()),
                          "root": node_out(s.root()),
                          "peaks": [node_out(p) for p in s.peak_nodes()]}}
    if op == "node":
        s = db.at(req["at"])
        pos = num(req["pos"])
        if pos >= len(s.nodes):
            raise Fail("position-out-of-range")
        return {"node": node_out(s.nodes[pos])}
    if op == "is_unspent":
        i = num(req["index"])
        s = db.at(req["at"], i)
        if i >= s.n() and VARIANT == "is-unspent-no-range":
            return {"bool": False}
        if i >= s.n():
            raise Fail("leaf-index-out-of-range")
        return {"bool": s.unspent[i]}
    if op == "leaf_set":
        s = db.at(req["at"])
        n = s.n()
        bits = bytearray((n + 7) // 8)
        for i, u in enumerate(s.unspent):
            if u:
                bits[i // 8] |= 0x80 >> (i % 8)
        return {"bytes": (n.to_bytes(8, "little") + bytes(bits)).hex()}
    if op == "mmr_set":
        return {"bytes": db.mmr_set(num(req["height"])).hex()}
    if op == "prove":
        return {"bytes": db.prove(req["at"], num(req["index"])).hex()}
    if op == "prove_batch":
        return {"bytes": db.prove_batch(req["at"], [num(i) for i in req["indices"]]).hex()}
    if op in ("verify", "verify_node"):
        if op == "verify" and VARIANT == "verify-rejects-all":
            raise Fail("root-mismatch")
        proof = decode_proof(hx(req["proof"]))
        lf = (leaf(proof[1], hx(req["data"]), num(req["value"])) if op == "verify"
              else node_in(req["leaf"]))
        verify_node(node_in(req["root"]), proof, lf)
        return "unit"
    if op in ("verify_batch", "verify_batch_nodes"):
        proof = decode_batch(hx(req["proof"]))
        if op == "verify_batch":
            ls = req["leaves"]
            nodes = [leaf(p, hx(l["data"]), num(l["value"])) for p, l in zip(proof[1], ls)]
            nodes += [(bytes(32), 0)] * (len(ls) - len(nodes))
        else:
            nodes = [node_in(n) for n in req["leaves"]]
        verify_batch_nodes(node_in(req["root"]), proof, nodes)
        return "unit"
    if op == "arith":
        return arith(req["query"])
    if op == "client_init":
        db.client = Client(num(req["height"]), num(req["size"]),
                           [node_in(n) for n in req["peaks"]])
        return "unit"
    if op.startswith("client_"):
        return client_op(db, op, req)
    raise ValueError(f"unsupported op {op}")


def client_op(db, op, req):
    """D24: the byte fields are decoded first, then the client is looked for."""
    if VARIANT == "client-not-tracked-before-decode" and db.client is None:
        raise Fail("not-tracked")
    if op == "client_apply":
        arg = decode_set(hx(req["set"]))
    elif op in ("client_track", "client_verify"):
        arg = decode_proof(hx(req["proof"]))
    c = db.client
    if c is None:
        raise Fail("not-tracked")
    if op == "client_info":
        return c.info()
    if op == "client_apply":
        c.apply(arg)
        return "unit"
    if op == "client_track":
        return {"number": str(c.track(arg, node_in(req["leaf"])))}
    if op == "client_verify":
        c.check(arg, leaf(arg[1], hx(req["data"]), num(req["value"])))
        return "unit"
    i = num(req["index"])
    if op == "client_untrack":
        if VARIANT == "client-untrack-silent":
            c.tracked.pop(i, None)
            return "unit"
        c.get(i)
        del c.tracked[i]
        return "unit"
    if op == "client_proof":
        return {"bytes": encode_proof(*c.get(i)[1]).hex()}
    if op == "client_leaf":
        return {"node": node_out(c.get(i)[0])}
    raise ValueError(f"unsupported op {op}")


def split(v):
    return [x for x in v.split(",") if x]


def main():
    global BROKEN, HASHED, ZERO_VALUES, VARIANT
    rejected = False
    unsupported = []
    v2 = {}
    profiles = ["default"]
    ops = list(OPS)
    for a in sys.argv[1:]:
        if a.startswith("--broken="):
            BROKEN = a.split("=", 1)[1]
        elif a.startswith("--variant="):
            VARIANT = a.split("=", 1)[1]
            if VARIANT not in VARIANTS:
                print(f"adapter.py: unknown variant {VARIANT}", file=sys.stderr)
                sys.exit(2)
        elif a == "--rejected":
            rejected = True
        elif a == "--errors-any":
            v2["errors"] = "any"
        elif a.startswith("--arith="):
            v2["arith"] = split(a.split("=", 1)[1])
            ops = [o for o in ops if o != "arith"]
        elif a.startswith("--profiles="):
            profiles = split(a.split("=", 1)[1])
        elif a.startswith("--ops="):
            ops = split(a.split("=", 1)[1])
        elif a == "--hashed":
            HASHED = True
            v2["leaves"] = "hashed"
        elif a == "--zero-values":
            ZERO_VALUES = True
        elif a == "--declare-no-values":
            v2["values"] = False
        elif a.startswith("--proofs="):
            v2["proofs"] = split(a.split("=", 1)[1])
        elif a.startswith("--unsupported="):
            unsupported = split(a.split("=", 1)[1])
        else:
            print(f"adapter.py: unknown option {a}", file=sys.stderr)
            sys.exit(2)
    name = "python-adapter" + (f" (broken: {BROKEN})" if BROKEN else "")
    name += f" (variant: {VARIANT})" if VARIANT else ""
    if rejected:
        name += " (rejected)"
    hello = {"protocol": "mmr-conformance", "version": "2" if v2 else "1",
             "name": name, "profiles": profiles, "ops": ops, **v2}
    print(json.dumps(hello), flush=True)
    db = Db(16)
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        rid = req.get("id")
        try:
            if req["op"] == "reset":
                if req["profile"] != "default":
                    raise ValueError("only the default profile")
                db = Db(num(req["retain"]))
                result = "unit"
            elif req["op"] in unsupported:
                result = {"error": "unsupported", "reason": "--unsupported"}
            else:
                result = handle(db, req)
                if result is None:
                    continue
            resp = {"id": rid, "result": result}
        except Fail as f:
            resp = {"id": rid, "result": {"error": "rejected" if rejected else f.kind}}
        except (ValueError, KeyError, TypeError) as e:
            resp = {"id": rid, "fatal": f"{type(e).__name__}: {e}"}
        print(json.dumps(resp), flush=True)


if __name__ == "__main__":
    main()
