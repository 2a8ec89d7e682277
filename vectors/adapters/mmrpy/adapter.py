#!/usr/bin/env python3
"""A conformance adapter around the real mmr.py 0.0.4 (PyPI `mmr.py`, module `mmr`).

Speaks the line protocol of vectors/PROTOCOL.md (version 2) on stdin/stdout for our `ckb`
profile (spec/DIALECTS.md "ckb": leaf H(data), parent H(l || r), bagging H(acc || peak),
H = BLAKE2b with a 32-byte digest). Every declared op runs on mmr.py's own code:

  append  -> MMR.add                 state -> MMR.get_root, get_peaks, the store
  node    -> the store (pos_hash)    prove -> MMR.gen_proof, encoded as our D13 bytes
  verify  -> our D13 bytes decoded into mmr.py's MerkleProof, then MerkleProof.verify

mmr.py has no values, no batch proofs, no blocks, no client and no error kinds, so the
handshake declares only these five ops, "values": false, "proofs": ["d13"] and
"errors": "any"; an input mmr.py refuses (verify answers False, or it raises) is answered
{"error": "rejected"}. No check mmr.py lacks is added: the point is to show its leniencies.
The few errors the adapter names itself are those of its own glue (README.md, "What the
adapter adds"): our D13 decoder, an index with no leaf (mmr.py takes positions), a store
miss, a height other than 0.

Run: vectors/adapters/mmrpy/check.sh (it makes the venv with setup.sh).
"""
import hashlib
import importlib.metadata
import json
import sys

import mmr
from mmr import MMR, MerkleProof, get_peaks, tree_pos_height

MAX = (1 << 64) - 1
OPS = ["append", "state", "node", "prove", "verify"]


def blake2b256():
    """The ckb profile's hasher (spec/src/profiles/ckb.rs): BLAKE2b, 32-byte digest, no key."""
    return hashlib.blake2b(digest_size=32)


class Fail(Exception):
    """A refusal: `rejected` (mmr.py's, which names no kind) or a kind of the adapter's glue."""

    def __init__(self, kind, why):
        super().__init__(kind)
        self.kind = kind
        self.why = why


def log(msg):
    print(f"mmrpy-adapter: {msg}", file=sys.stderr, flush=True)


def lib(what, fn, *args):
    """Call into mmr.py; anything it raises is its refusal."""
    try:
        return fn(*args)
    except Exception as e:  # mmr.py has no error type: any exception is a refusal
        raise Fail("rejected", f"mmr.py's {what} raised {type(e).__name__}: {e}") from None


# ----- protocol fields -----

class BadRequest(Exception):
    """A request the adapter cannot read (answered `fatal`)."""


def num(s):
    if not isinstance(s, str) or not s.isdigit() or int(s) > MAX:
        raise BadRequest(f"bad u64 {s!r}")
    return int(s)


def hx(s):
    if not isinstance(s, str):
        raise BadRequest(f"bad hex {s!r}")
    try:
        return bytes.fromhex(s)
    except ValueError:
        raise BadRequest(f"bad hex {s[:40]!r}") from None


def field(req, name):
    if name not in req:
        raise BadRequest(f"missing field {name!r}")
    return req[name]


def node_out(h):
    return {"hash": h.hex(), "value": "0"}  # mmr.py has no values ("values": false)


# ----- D13 (SPEC.md section 4), our encoding; mmr.py's proof is a list of hashes -----

def u64(v):
    return v.to_bytes(8, "big")


def decode_d13(b):
    """D13's canonical decoding, read strictly in order (the adapter's, before mmr.py)."""
    i = 0

    def take(n):
        nonlocal i
        if len(b) - i < n:
            raise Fail("truncated", "our D13 decoder: input ends early")
        s = b[i:i + n]
        i += n
        return s

    size = int.from_bytes(take(8), "big")
    pos = int.from_bytes(take(8), "big")
    n = take(1)[0]
    steps = []
    for _ in range(n):
        side = take(1)[0]
        if side > 1:
            raise Fail("invalid-side", f"our D13 decoder: side byte {side}")
        h = take(32)
        take(8)  # the value: mmr.py has none
        steps.append((side, h))
    if i != len(b):
        raise Fail("trailing-bytes", "our D13 decoder: bytes after the last step")
    return size, pos, steps


def encode_d13(size, pos, path):
    out = u64(size) + u64(pos) + bytes([len(path)])
    for side, h in path:
        out += bytes([side]) + h + u64(0)
    return out


def sides_of(size, pos):
    """The D13 sides of the path of `pos` in an MMR of `size`, from mmr.py's own
    `get_peaks` and `tree_pos_height` (as its `gen_proof` walks); None where `pos` reaches
    no peak of `size` (mmr.py then decides alone)."""
    try:
        peaks = get_peaks(size)
    except Exception:
        return None
    path, p, height = [], pos, 0
    while p not in peaks:
        if height > 64 or p > size:
            return None
        if tree_pos_height(p + 1) > tree_pos_height(p):
            path.append(0)  # a right child: the sibling is the left operand
            p += 1
        else:
            path.append(1)
            p += 2 << height
        height += 1
    k = peaks.index(p)
    if p != peaks[-1]:
        path.append(1)  # (right, the bag of the peaks to the right)
    return path + [0] * k  # (left, p_{k-1}), ..., (left, p_0)


def d13_of(proof, pos):
    """mmr.py's MerkleProof -> our D13 path: the same items in the same order (mmr.py's
    `gen_proof` emits the mountain siblings, the bag of the right peaks, then the left peaks
    right to left: D13's fold-right path), with the sides D13 writes, which mmr.py derives
    from the positions while verifying; the mountain sides are read from mmr.py's own
    `tree_pos_height`, as its `gen_proof` does."""
    size = proof.mmr_size
    path = sides_of(size, pos)
    if path is None:
        raise BadRequest(f"position {pos} reaches no peak of size {size}")
    if len(path) != len(proof.proof):
        raise BadRequest(f"gen_proof gave {len(proof.proof)} items where the shape of "
                         f"({size}, {pos}) has {len(path)}")
    return encode_d13(size, pos, list(zip(path, proof.proof)))


# ----- the session -----

class Session:
    def __init__(self):
        self.mmr = MMR(hasher=blake2b256)
        self.leaves = []  # leaf index -> the position mmr.py's add returned

    def at(self, req):
        """No block is ever committed: height 0 is the empty state, later ones are future."""
        at = field(req, "at")
        if at == "current":
            return self.mmr
        if num(at) == 0:
            return MMR(hasher=blake2b256)
        raise Fail("future-height", f"height {at}: no block was ever committed")


def handle(s, req):
    op = req["op"]
    if op == "append":
        data = hx(field(req, "data"))
        num(field(req, "value"))  # read and dropped: mmr.py has no values
        s.leaves.append(lib("add", s.mmr.add, data))
        return {"number": str(len(s.leaves) - 1)}
    if op == "state":
        m = s.at(req)
        size = m.last_pos + 1
        root = lib("get_root", m.get_root)
        peaks = lib("get_peaks", get_peaks, size)
        return {"state": {
            "size": str(size),
            "leaf_count": str(sum(1 << lib("tree_pos_height", tree_pos_height, p)
                                  for p in peaks)),
            "root": node_out(root),
            "peaks": [node_out(m.pos_hash[p]) for p in peaks],
        }}
    if op == "node":
        m = s.at(req)
        pos = num(field(req, "pos"))
        if pos not in m.pos_hash:
            raise Fail("position-out-of-range", f"position {pos} is not in mmr.py's store")
        return {"node": node_out(m.pos_hash[pos])}
    if op == "prove":
        m = s.at(req)
        index = num(field(req, "index"))
        leaves = s.leaves if m is s.mmr else []
        if index >= len(leaves):
            raise Fail("leaf-index-out-of-range",
                       f"leaf {index}: mmr.py's add returned {len(leaves)} positions")
        pos = leaves[index]
        return {"bytes": d13_of(lib("gen_proof", m.gen_proof, pos), pos).hex()}
    if op == "verify":
        size, pos, steps = decode_d13(hx(field(req, "proof")))
        root = hx(field(field(req, "root"), "hash"))
        data = hx(field(req, "data"))
        num(field(req, "value"))
        # mmr.py's proof has no sides (it derives them from pos), so a path whose sides
        # differ from the derived ones would reach mmr.py as the honest items: the
        # conversion refuses it (README.md, "What the adapter adds"), as the ckb adapter
        # does. Paths of another length go to mmr.py as they are.
        want = sides_of(size, pos)
        if want is not None and len(want) == len(steps) and want != [d for d, _ in steps]:
            raise Fail("wrong-side", "the conversion: a side differs from the one mmr.py "
                       f"derives for position {pos} of size {size}")
        proof = MerkleProof(mmr_size=size, proof=[h for _, h in steps], hasher=blake2b256)
        if lib("verify", proof.verify, root, pos, data):
            return "unit"
        raise Fail("rejected", "mmr.py's verify answered False")
    raise BadRequest(f"undeclared op {op!r}")


def respond(obj):
    print(json.dumps(obj), flush=True)


def main():
    version = importlib.metadata.version("mmr.py")
    library = f"mmr.py {version}"
    if version != "0.0.4":
        log(f"warning: this adapter pins mmr.py 0.0.4 but {mmr.__file__} is {version}")
    respond({"protocol": "mmr-conformance", "version": "2", "name": "mmrpy-adapter",
             "profiles": ["ckb"], "ops": OPS, "errors": "any", "values": False,
             "proofs": ["d13"], "library": library})
    s = Session()
    for line in sys.stdin:
        if not line.strip():
            continue
        rid = None
        try:
            req = json.loads(line)
            if not isinstance(req, dict) or not isinstance(req.get("id"), int):
                raise BadRequest("not a request with an integer id")
            rid = req["id"]
            if field(req, "op") == "reset":
                if field(req, "profile") != "ckb":
                    raise BadRequest(f"profile {req['profile']!r}: only ckb")
                num(field(req, "retain"))
                s = Session()
                result = "unit"
            else:
                result = handle(s, req)
            resp = {"id": rid, "result": result}
        except Fail as f:
            log(f"{f.why}: answered {f.kind}")
            resp = {"id": rid, "result": {"error": f.kind}}
        except Exception as e:  # a bad request or an adapter bug: never a crash
            resp = {"id": rid, "fatal": f"{type(e).__name__}: {e}"}
        respond(resp)


if __name__ == "__main__":
    main()
