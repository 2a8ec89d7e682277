#!/usr/bin/env python3
"""A conformance adapter around the real checkpointed-local-log 0.7.0 (PyPI
`checkpointed-local-log`, its MMR in `cll/checkpoint/core.py`).

Speaks the line protocol of vectors/PROTOCOL.md (version 2) on stdin/stdout for the profile
file vectors/profiles/cll-sha256.yaml. Every declared op runs on cll's own code:

  append      -> core.add_leaf on a cll MemoryNodeStore-shaped store (the leaf hash as given)
  state       -> core.peaks, the store's nodes, core.root_from_peaks, core.leaf_count
  node        -> the store
  prove       -> core.inclusion_proof, converted to our D13 bytes (per-peak shape)
  verify_node -> our D13 bytes converted to cll's InclusionProof, then core.verify_inclusion
  arith       -> core.node_count, leaf_count, leaf_index_to_pos, pos_to_leaf_index,
                 height_at, peaks

cll takes leaf hashes (`add_leaf(nodes, leaf)`; `leaf_hash(body_digest)` accepts only 32-byte
digests, our vectors' data is any length), so the handshake declares `leaves: "hashed"`:
the runner sends each leaf as the profile's leaf hash sha256(0x00 || data), which is cll's
`leaf_hash`, and verifications as `verify_node`. cll's `verify_inclusion` takes the body
digest and hashes it itself; the adapter runs it with `leaf_hash` bound to the identity for
that call (README.md, "What the adapter adds"), so everything else is cll's code.

cll has no values, no batch proofs of arbitrary leaves (its `range_proof` covers a
contiguous range with another layout), no blocks, no update and no error kinds: the
handshake declares the ops above, `values: false`, `proofs: ["d13"]`, `errors: "any"`; what
cll refuses (False, or an exception) is answered {"error": "rejected"}.

`adapter.py --which` prints the library version and the file it loads; `adapter.py
--self-test` round-trips the proof conversion (both run by setup.sh).
"""
import importlib.metadata
import importlib.util
import json
import os
import sys

MAX = (1 << 64) - 1
VERSION = "0.7.0"
OPS = ["append", "state", "node", "prove", "verify_node", "arith"]
ARITH = ["size", "leaf_count", "leaf_pos", "leaf_index", "height", "peaks"]


def load_core():
    """cll/checkpoint/core.py by its path: importing `cll.checkpoint` would run its
    __init__, which pulls the COSE and ledger modules and their dependencies (cbor2,
    cryptography, ...) that the MMR does not use; core.py imports only the standard library."""
    spec = importlib.util.find_spec("cll")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("cll-adapter: package `cll` not found: run vectors/adapters/cll/setup.sh")
    path = os.path.join(list(spec.submodule_search_locations)[0], "checkpoint", "core.py")
    mspec = importlib.util.spec_from_file_location("cll_checkpoint_core", path)
    mod = importlib.util.module_from_spec(mspec)
    sys.modules["cll_checkpoint_core"] = mod
    mspec.loader.exec_module(mod)
    return mod, path


core, CORE_PATH = load_core()


class Fail(Exception):
    """A refusal answered {"error": kind}: cll's (`rejected`) or our D13 decoder's."""

    def __init__(self, kind, why):
        super().__init__(kind)
        self.kind = kind
        self.why = why


class BadRequest(Exception):
    """A request the adapter cannot read (answered `fatal`)."""


def log(msg):
    print(f"cll-adapter: {msg}", file=sys.stderr, flush=True)


def lib(what, fn, *args):
    """Call into cll; what it raises (InvalidArgumentError, IntegrityError, ...) is its refusal."""
    try:
        return fn(*args)
    except Exception as e:
        raise Fail("rejected", f"cll's {what} raised {type(e).__name__}: {e}") from None


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
    return {"hash": h.hex(), "value": "0"}  # cll has no values ("values": false)


class Store:
    """cll's node store protocol (NodeReader/NodeAppender, core.py), as its own
    cll/checkpoint/store.py MemoryNodeStore implements it (that module is not imported
    only because `cll.checkpoint`'s __init__ would be; see load_core)."""

    def __init__(self):
        self.nodes = []

    def size(self):
        return len(self.nodes)

    def node(self, pos):
        return self.nodes[pos]

    def append_nodes(self, hashes):
        self.nodes.extend(hashes)


# ----- D13 (SPEC.md section 4, per-peak shape) <-> cll's InclusionProof -----

def u64(v):
    return v.to_bytes(8, "big")


def decode_d13(b):
    """D13's canonical decoding, strictly in order (ours, before cll sees anything)."""
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
        take(8)  # the value: cll has none (the runner sends 0 under values: false)
        steps.append((side, h))
    if i != len(b):
        raise Fail("trailing-bytes", "our D13 decoder: bytes after the last step")
    return size, pos, steps


def encode_d13(size, pos, path):
    out = u64(size) + u64(pos) + bytes([len(path)])
    for side, h in path:
        out += bytes([side]) + h + u64(0)
    return out


LEFT, RIGHT = 0, 1


def shape(size, leaf_index):
    """What cll derives for (size, leaf_index), with its own functions, exactly as
    inclusion_proof and verify_inclusion do: the D13 sides of the mountain part (from
    _locate_path's target_is_right: the sibling is the left operand), the number of peaks
    to the left and to the right. None where cll would refuse the pair."""
    try:
        leaf_pos = core.leaf_index_to_pos(leaf_index)
        pks = core.peaks(size)
        if leaf_index >= core.leaf_count(size):
            return None
        i = core._find_containing_peak(leaf_pos, pks)
        if i == -1:
            return None
        path = core._locate_path(pks[i], core.height_at(pks[i]), leaf_pos)
    except Exception:
        return None
    return [LEFT if s.target_is_right else RIGHT for s in path], i, len(pks) - i - 1


def d13_of(proof):
    """cll's InclusionProof -> D13: witness (bottom up, sides as cll derives them), then
    (left, p) for each of peaks_left, then (right, p) for each of peaks_right, both left to
    right: SPEC.md D13's per-peak path, item for item."""
    sh = shape(proof.size, proof.leaf_index)
    if sh is None:
        raise BadRequest(f"cll proved leaf {proof.leaf_index} of size {proof.size}, "
                         "which its own functions refuse")
    sides, _, _ = sh
    if len(sides) != len(proof.witness):
        raise BadRequest(f"inclusion_proof gave {len(proof.witness)} witnesses where "
                         f"_locate_path has {len(sides)} steps")
    path = [(s, bytes.fromhex(w)) for s, w in zip(sides, proof.witness)]
    path += [(LEFT, bytes.fromhex(p)) for p in proof.peaks_left]
    path += [(RIGHT, bytes.fromhex(p)) for p in proof.peaks_right]
    return encode_d13(proof.size, core.leaf_index_to_pos(proof.leaf_index), path)


def inclusion_of(size, pos, steps):
    """D13 -> cll's InclusionProof and leaf index. cll takes a leaf index where D13 has a
    position, and derives every side: a position that is no leaf (no index), or a path of
    the length cll expects whose sides differ from what cll derives (cll would read it as
    the honest proof), has no cll form and is refused here (README.md). A path of another
    length is split as cll expects it (witness, left peaks, right peaks) and cll's own
    length checks judge it."""
    try:
        index = core.pos_to_leaf_index(pos)
    except Exception as e:
        raise Fail("rejected", f"the conversion: position {pos} is no leaf ({e})") from None
    sh = shape(size, index)
    hexes = [h.hex() for _, h in steps]
    if sh is None:  # cll refuses (size, index) itself: hand it the path as witnesses
        return index, core.InclusionProof(1, "inclusion", size, index, tuple(hexes), (), ())
    sides, left, right = sh
    want = sides + [LEFT] * left + [RIGHT] * right
    if len(want) == len(steps) and want != [s for s, _ in steps]:
        bad = next(k for k, (w, (s, _)) in enumerate(zip(want, steps)) if w != s)
        raise Fail("rejected", f"the conversion: step {bad} has side {steps[bad][0]}, cll "
                   f"derives {want[bad]} for position {pos} of size {size}")
    h = len(sides)
    return index, core.InclusionProof(1, "inclusion", size, index, tuple(hexes[:h]),
                                      tuple(hexes[h:h + left]), tuple(hexes[h + left:]))


def verify_node(root, size, pos, steps, leaf):
    """core.verify_inclusion on the leaf hash: it hashes the body digest it is given with
    the module's `leaf_hash`, bound to the identity (with cll's 32-byte check) for this call,
    since the runner already sent the profile's leaf hash."""
    index, proof = inclusion_of(size, pos, steps)
    saved = core.leaf_hash

    def given(d):
        core._assert_digest(d, "leaf hash")
        return bytes(d)

    core.leaf_hash = given
    try:
        ok = core.verify_inclusion(root, size, index, leaf, proof)
    finally:
        core.leaf_hash = saved
    if not ok:
        raise Fail("rejected", "cll's verify_inclusion answered False")
    return "unit"


# ----- the session -----

def at_current(req):
    if field(req, "at") != "current":
        raise BadRequest(f"read at {req['at']!r}: no block is declared (PROTOCOL.md)")


def arith(q):
    fn = field(q, "fn")
    if fn == "size":
        return {"number": str(lib("node_count", core.node_count, num(field(q, "leaves"))))}
    if fn == "leaf_count":
        return {"number": str(lib("leaf_count", core.leaf_count, num(field(q, "size"))))}
    if fn == "leaf_pos":
        return {"number": str(lib("leaf_index_to_pos", core.leaf_index_to_pos,
                                  num(field(q, "index"))))}
    if fn == "leaf_index":
        return {"number": str(lib("pos_to_leaf_index", core.pos_to_leaf_index,
                                  num(field(q, "pos"))))}
    if fn == "height":
        return {"number": str(lib("height_at", core.height_at, num(field(q, "pos"))))}
    if fn == "peaks":
        return {"numbers": [str(p) for p in lib("peaks", core.peaks, num(field(q, "size")))]}
    raise BadRequest(f"undeclared arith function {fn!r}")


def handle(store, req):
    op = req["op"]
    if op == "append_hash":
        leaf = hx(field(req, "hash"))
        num(field(req, "value"))  # read and dropped: cll has no values
        pos, _ = lib("add_leaf", core.add_leaf, store, leaf)
        return {"number": str(lib("pos_to_leaf_index", core.pos_to_leaf_index, pos))}
    if op == "state":
        at_current(req)
        size = store.size()
        pks = lib("peaks", core.peaks, size)
        hashes = [store.node(p) for p in pks]
        return {"state": {
            "size": str(size),
            "leaf_count": str(lib("leaf_count", core.leaf_count, size)),
            "root": node_out(lib("root_from_peaks", core.root_from_peaks, hashes)),
            "peaks": [node_out(h) for h in hashes],
        }}
    if op == "node":
        at_current(req)
        pos = num(field(req, "pos"))
        return {"node": node_out(lib("the store's node", store.node, pos))}
    if op == "prove":
        at_current(req)
        index = num(field(req, "index"))
        proof = lib("inclusion_proof", core.inclusion_proof, store, index, store.size())
        return {"bytes": d13_of(proof).hex()}
    if op == "verify_node":
        size, pos, steps = decode_d13(hx(field(req, "proof")))
        root = hx(field(field(req, "root"), "hash"))
        leaf = hx(field(field(req, "leaf"), "hash"))
        return verify_node(root, size, pos, steps, leaf)
    if op == "arith":
        return arith(field(req, "query"))
    raise BadRequest(f"undeclared op {op!r}")


def self_test():
    """The conversion round-trips: every inclusion proof of cll MMRs of 1 to 40 leaves,
    converted to D13 and back, is the proof cll made, and cll verifies it on the leaf hash;
    the same proof with one side flipped is refused. Run by setup.sh."""
    store, checked = Store(), 0
    for n in range(40):
        core.add_leaf(store, core.leaf_hash(bytes([n]) * 32))
        size = store.size()
        root = core.root_from_peaks([store.node(p) for p in core.peaks(size)])
        for index in range(n + 1):
            proof = core.inclusion_proof(store, index, size)
            d13 = d13_of(proof)
            rsize, pos, steps = decode_d13(d13)
            back_index, back = inclusion_of(rsize, pos, steps)
            assert (back_index, back) == (index, proof), (n, index)
            leaf = store.node(core.leaf_index_to_pos(index))
            assert verify_node(root, rsize, pos, steps, leaf) == "unit", (n, index)
            for k, (side, h) in enumerate(steps):
                flipped = steps[:k] + [(1 - side, h)] + steps[k + 1:]
                try:
                    verify_node(root, rsize, pos, flipped, leaf)
                    raise AssertionError(f"flipped side {k} accepted ({n}, {index})")
                except Fail:
                    pass
            checked += 1
    print(f"cll-adapter self-test: {checked} proofs round-trip and verify")


def respond(obj):
    print(json.dumps(obj), flush=True)


def main():
    # --profile=NAME: the profile name to declare (default cll-sha256), for a copy of the
    # profile file under another name (vectors/BRING-YOUR-OWN.md does that).
    profile = "cll-sha256"
    for a in sys.argv[1:]:
        if a.startswith("--profile="):
            profile = a.split("=", 1)[1]
    version = importlib.metadata.version("checkpointed-local-log")
    if "--self-test" in sys.argv[1:]:
        self_test()
        return
    if "--which" in sys.argv[1:]:
        print(f"checkpointed-local-log {version}: {CORE_PATH}")
        sys.exit(0 if version == VERSION else 1)
    if version != VERSION:
        log(f"warning: this adapter pins checkpointed-local-log {VERSION}, found {version}")
    respond({"protocol": "mmr-conformance", "version": "2", "name": "cll-adapter",
             "profiles": [profile], "ops": OPS, "arith": ARITH, "errors": "any",
             "leaves": "hashed", "values": False, "proofs": ["d13"],
             "library": f"checkpointed-local-log {version}"})
    store = Store()
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
                if field(req, "profile") != profile:
                    raise BadRequest(f"profile {req['profile']!r}: only {profile}")
                num(field(req, "retain"))
                store = Store()
                result = "unit"
            else:
                result = handle(store, req)
            resp = {"id": rid, "result": result}
        except Fail as f:
            log(f"{f.why}: answered {f.kind}")
            resp = {"id": rid, "result": {"error": f.kind}}
        except Exception as e:  # a bad request or an adapter bug: never a crash
            resp = {"id": rid, "fatal": f"{type(e).__name__}: {e}"}
        respond(resp)


if __name__ == "__main__":
    main()
