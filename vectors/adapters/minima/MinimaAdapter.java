// A conformance adapter (vectors/PROTOCOL.md, version 2) around Minima's own MMR classes
// (minima-global/Minima, src/org/minima/database/mmr/ and objects/base/), for the `minima`
// profile. Written for this project; no Minima code is copied here: every hash, sum, peak,
// root and proof comes from calling Minima's classes (MMR, MMRData, MMRProof, MMREntry,
// MMREntryNumber, MiniNumber, MiniData), compiled from a checkout by build.sh.
//
// What the adapter adds, and only where the protocol needs it (README.md):
// - the D13 byte encoding of proofs (size, position, steps), converted to and from Minima's
//   MMRProof chunks; Minima's proof has no size and no position, so both are dropped on the
//   way in and derived from the MMR on the way out;
// - verification: against the session's own MMR when the root asked for is that MMR's root
//   (MMR.checkProof, which TxPoWChecker reaches through checkProofTimeValid: it accepts a
//   proof that reaches the root or any peak), otherwise as the `mmrproof` command does
//   (MMRProof.calculateProof compared with the given root by MMRData.isEqual);
// - update and spend: as TxPoWTreeNode spends a coin: the leaf must exist and its proof
//   (MMR.getProof) pass checkProofTimeValid; then MMR.updateEntry with that proof
//   (spend: the new data with value 0, as TxPoWTreeNode writes a spent coin).
// Minima answers a check with a boolean or an exception, never a kind, so every rejection is
// {"error":"rejected"} (errors: "any"), except the D13 decoding errors, which are ours.
//
// Standard library and Minima's classes only; a small JSON reader and writer are below.

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.minima.database.mmr.MMR;
import org.minima.database.mmr.MMRData;
import org.minima.database.mmr.MMREntry;
import org.minima.database.mmr.MMREntryNumber;
import org.minima.database.mmr.MMRProof;
import org.minima.objects.base.MiniData;
import org.minima.objects.base.MiniNumber;
import org.minima.utils.Streamable;

public class MinimaAdapter {
    static final String LIBRARY = "Minima 1.0.45 (minima-global/Minima v1.0.45, 6d282d77)";
    static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** A refusal: {"error": kind} (and the reason on stderr; "unsupported" carries it). */
    static final class Refusal extends Exception {
        final String kind;

        Refusal(String kind, String reason) {
            super(reason);
            this.kind = kind;
        }
    }

    /** A request the adapter cannot serve at all (answered "fatal"). */
    static final class Fatal extends Exception {
        Fatal(String message) {
            super(message);
        }
    }

    /** Leaf data as its own stream bytes: the profile hashes `data` as given (DIALECTS.md). */
    static final class Raw implements Streamable {
        final byte[] bytes;

        Raw(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void writeDataStream(DataOutputStream out) throws IOException {
            out.write(bytes);
        }

        @Override
        public void readDataStream(DataInputStream in) throws IOException {
            throw new IOException("Raw leaf data is never read from a stream");
        }
    }

    // ---------------------------------------------------------------- the session

    MMR mmr = new MMR();

    Object handle(Map<String, Object> req) throws Refusal, Fatal {
        String op = str(req, "op");
        switch (op) {
            case "reset": {
                String profile = str(req, "profile");
                if (!profile.equals("minima")) {
                    throw new Fatal("profile " + profile + " is not served (only minima)");
                }
                mmr = new MMR();
                return "unit";
            }
            case "append": {
                MMRData leaf = leaf(hex(req, "data"), mini(req, "value"));
                MMREntry entry;
                try {
                    entry = mmr.addEntry(leaf);
                } catch (NumberFormatException e) {
                    // MiniNumber.add refused a parent sum; the leaf is already written.
                    throw new Refusal("rejected", "MMR.addEntry: " + e.getMessage());
                }
                return number(entry.getEntryNumber().getBigDecimal().toBigIntegerExact());
            }
            case "update":
                return update(u64(req, "index"), leaf(hex(req, "data"), mini(req, "value")));
            case "spend":
                return update(u64(req, "index"), leaf(hex(req, "data"), MiniNumber.ZERO));
            case "state":
                current(req);
                return state();
            case "node": {
                current(req);
                long[] re = rowEntry(u64(req, "pos"));
                if (re == null) {
                    throw new Refusal("rejected", "no (row, entry) for this position");
                }
                MMREntry e = mmr.getEntry((int) re[0], new MMREntryNumber(BigInteger.valueOf(re[1])));
                if (e.isEmpty()) {
                    throw new Refusal("rejected", "MMR.getEntry: no entry at row " + re[0] + ", entry " + re[1]);
                }
                return tagged("node", node(e.getMMRData()));
            }
            case "prove": {
                current(req);
                return prove(u64(req, "index"));
            }
            case "verify": {
                MMRProof proof = decodeD13(hex(req, "proof"));
                return verify(rootOf(req), proof, leaf(hex(req, "data"), mini(req, "value")));
            }
            case "verify_node": {
                MMRProof proof = decodeD13(hex(req, "proof"));
                Map<String, Object> l = obj(req, "leaf");
                MMRData leaf = new MMRData(new MiniData(hexOf(str(l, "hash"), "leaf.hash")), mini(l, "value"));
                return verify(rootOf(req), proof, leaf);
            }
            default:
                throw new Fatal("op " + op + " is not implemented by this adapter");
        }
    }

    /** Reads only at the working state: the adapter declares no commit (PROTOCOL.md). */
    static void current(Map<String, Object> req) throws Fatal {
        Object at = req.get("at");
        if (at != null && !"current".equals(at)) {
            throw new Fatal("reads at a block height are not served (no commit declared)");
        }
    }

    Object update(BigInteger index, MMRData leaf) throws Refusal {
        MMREntryNumber n = new MMREntryNumber(index);
        MMREntry old = mmr.getEntry(0, n);
        if (old.isEmpty()) {
            throw new Refusal("rejected", "MMR.getEntry: no leaf " + index + " (no coin, no proof)");
        }
        MMRProof proof = mmr.getProof(n);
        if (!mmr.checkProofTimeValid(n, old.getMMRData(), proof)) {
            throw new Refusal("rejected", "MMR.checkProofTimeValid refused the leaf's own proof");
        }
        try {
            mmr.updateEntry(n, proof, leaf);
        } catch (NumberFormatException e) {
            // MiniNumber.add refused a parent sum; the leaf is already written.
            throw new Refusal("rejected", "MMR.updateEntry: " + e.getMessage());
        }
        return "unit";
    }

    Object state() throws Refusal {
        MMRData root;
        try {
            root = mmr.getRoot();
        } catch (NumberFormatException e) {
            throw new Refusal("rejected", "MMR.getRoot: " + e.getMessage());
        }
        if (root == null) {
            throw new Refusal("rejected", "MMR.getRoot: null (no peaks)");
        }
        BigInteger leaves = mmr.getEntryNumber().getBigDecimal().toBigIntegerExact();
        List<Object> peaks = new ArrayList<>();
        for (MMREntry p : mmr.getPeaks()) {
            peaks.add(node(p.getMMRData()));
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("size", sizeOf(leaves).toString());
        s.put("leaf_count", leaves.toString());
        s.put("root", node(root));
        s.put("peaks", peaks);
        return tagged("state", s);
    }

    Object prove(BigInteger index) throws Refusal {
        MMRProof proof;
        try {
            proof = mmr.getProof(new MMREntryNumber(index));
        } catch (RuntimeException e) {
            throw new Refusal("rejected", "MMR.getProof: " + e);
        }
        BigInteger leaves = mmr.getEntryNumber().getBigDecimal().toBigIntegerExact();
        return tagged("bytes", encodeD13(sizeOf(leaves), sizeOf(index), proof));
    }

    Object verify(MMRData root, MMRProof proof, MMRData leaf) throws Refusal {
        boolean ok;
        try {
            MMRData own = mmr.getRoot();
            if (own != null && own.isEqual(root)) {
                // The verifier's MMR in hand: MMR.checkProof, which TxPoWChecker reaches
                // through checkProofTimeValid (root or any peak).
                ok = mmr.checkProof(leaf, proof);
            } else {
                // A bare root: the `mmrproof` command's check.
                ok = proof.calculateProof(leaf).isEqual(root);
            }
        } catch (NumberFormatException e) {
            throw new Refusal("rejected", "MiniNumber: " + e.getMessage());
        }
        if (!ok) {
            throw new Refusal("rejected", "the proof does not fold to the root");
        }
        return "unit";
    }

    // ---------------------------------------------------------------- conversions

    static MMRData leaf(byte[] data, MiniNumber value) {
        return MMRData.CreateMMRDataLeafNode(new Raw(data), value);
    }

    /** The D4 size after `leaves` leaves: 2n - popcount(n). */
    static BigInteger sizeOf(BigInteger leaves) {
        return leaves.shiftLeft(1).subtract(BigInteger.valueOf(leaves.bitCount()));
    }

    /** Minima's (row, entry) address of a 0-based postorder position, or null beyond u64. */
    static long[] rowEntry(BigInteger pos) {
        if (pos.compareTo(U64_MAX) >= 0) {
            return null;
        }
        BigInteger rel = pos;
        BigInteger leavesBefore = BigInteger.ZERO;
        while (true) {
            int h = 0;
            while (treeSize(h + 1).compareTo(rel.add(BigInteger.ONE)) <= 0) {
                h++;
            }
            if (rel.equals(treeSize(h).subtract(BigInteger.ONE))) {
                return new long[] {h, leavesBefore.shiftRight(h).longValueExact()};
            }
            leavesBefore = leavesBefore.add(BigInteger.ONE.shiftLeft(h));
            rel = rel.subtract(treeSize(h));
        }
    }

    static BigInteger treeSize(int h) {
        return BigInteger.ONE.shiftLeft(h + 1).subtract(BigInteger.ONE);
    }

    /** D13: u64 size || u64 pos || u8 n || n x (u8 side || hash || u64 value). */
    static MMRProof decodeD13(byte[] b) throws Refusal {
        int at = 0;
        if (b.length < 17) {
            throw new Refusal("truncated", "D13: " + b.length + " bytes, the header needs 17");
        }
        at = 16; // size and position: Minima's proof has neither
        int n = b[at++] & 0xff;
        MMRProof proof = new MMRProof();
        for (int i = 0; i < n; i++) {
            if (at >= b.length) {
                throw new Refusal("truncated", "D13: step " + i + " missing at byte " + at);
            }
            int side = b[at++] & 0xff;
            if (side > 1) {
                throw new Refusal("invalid-side", "D13: step " + i + " side byte " + side + " at byte " + (at - 1));
            }
            if (at + 40 > b.length) {
                throw new Refusal("truncated", "D13: step " + i + " cut at byte " + b.length);
            }
            byte[] hash = new byte[32];
            System.arraycopy(b, at, hash, 0, 32);
            at += 32;
            BigInteger value = new BigInteger(1, java.util.Arrays.copyOfRange(b, at, at + 8));
            at += 8;
            // D13 side 0: the sibling is the left operand, Minima's "left" chunk.
            proof.addProofChunk(side == 0, new MMRData(new MiniData(hash), new MiniNumber(value)));
        }
        if (at != b.length) {
            throw new Refusal("trailing-bytes", "D13: " + (b.length - at) + " bytes after the last step");
        }
        return proof;
    }

    static Object encodeD13(BigInteger size, BigInteger pos, MMRProof proof) throws Refusal {
        int n = proof.getProofLength();
        if (n > 255) {
            throw new Refusal("unsupported", "a Minima proof of " + n + " chunks has no D13 form");
        }
        StringBuilder sb = new StringBuilder();
        sb.append(u64hex(size)).append(u64hex(pos)).append(String.format("%02x", n));
        for (int i = 0; i < n; i++) {
            MMRProof.MMRProofChunk c = proof.getProofChunk(i);
            sb.append(c.isLeft() ? "00" : "01");
            byte[] hash = c.getMMRData().getData().getBytes();
            if (hash.length != 32) {
                throw new Refusal("unsupported", "chunk " + i + " hash of " + hash.length + " bytes");
            }
            sb.append(toHex(hash));
            sb.append(u64hex(intValue(c.getMMRData().getValue(), "chunk " + i + " value")));
        }
        return sb.toString();
    }

    static BigInteger intValue(MiniNumber v, String what) throws Refusal {
        try {
            BigInteger i = v.getAsBigDecimal().toBigIntegerExact();
            if (i.signum() < 0 || i.compareTo(U64_MAX) > 0) {
                throw new ArithmeticException("outside u64");
            }
            return i;
        } catch (ArithmeticException e) {
            throw new Refusal("unsupported", what + " " + v + " is no u64");
        }
    }

    static String u64hex(BigInteger v) {
        String s = v.toString(16);
        return "0".repeat(16 - s.length()) + s;
    }

    static Map<String, Object> node(MMRData d) throws Refusal {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hash", toHex(d.getData().getBytes()));
        m.put("value", intValue(d.getValue(), "node value").toString());
        return m;
    }

    static MMRData rootOf(Map<String, Object> req) throws Fatal {
        Map<String, Object> r = obj(req, "root");
        return new MMRData(new MiniData(hexOf(str(r, "hash"), "root.hash")), mini(r, "value"));
    }

    static Map<String, Object> number(BigInteger n) {
        return tagged("number", n.toString());
    }

    static Map<String, Object> tagged(String tag, Object v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(tag, v);
        return m;
    }

    // ---------------------------------------------------------------- request fields

    static String str(Map<String, Object> m, String k) throws Fatal {
        Object v = m.get(k);
        if (!(v instanceof String)) {
            throw new Fatal("field " + k + " missing or not a string");
        }
        return (String) v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Map<String, Object> m, String k) throws Fatal {
        Object v = m.get(k);
        if (!(v instanceof Map)) {
            throw new Fatal("field " + k + " missing or not an object");
        }
        return (Map<String, Object>) v;
    }

    static BigInteger u64(Map<String, Object> m, String k) throws Fatal {
        String s = str(m, k);
        if (!s.matches("0|[1-9][0-9]*") || new BigInteger(s).compareTo(U64_MAX) > 0) {
            throw new Fatal("field " + k + " = " + s + " is no u64");
        }
        return new BigInteger(s);
    }

    /** A u64 value as Minima's MiniNumber (scale 0, as MiniNumber(String) parses digits). */
    static MiniNumber mini(Map<String, Object> m, String k) throws Fatal {
        return new MiniNumber(u64(m, k).toString());
    }

    static byte[] hex(Map<String, Object> m, String k) throws Fatal {
        return hexOf(str(m, k), k);
    }

    static byte[] hexOf(String s, String what) throws Fatal {
        if (s.length() % 2 != 0 || !s.matches("[0-9a-f]*")) {
            throw new Fatal("field " + what + " is no lowercase hex");
        }
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static String toHex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- JSON

    /** A JSON reader for the protocol's requests: objects, arrays, strings, integers, booleans, null. */
    static final class Json {
        final String s;
        int i;

        Json(String s) {
            this.s = s;
        }

        static Object parse(String s) throws Fatal {
            Json j = new Json(s);
            Object v = j.value();
            j.ws();
            if (j.i != s.length()) {
                throw new Fatal("JSON: garbage at column " + j.i);
            }
            return v;
        }

        void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        Object value() throws Fatal {
            ws();
            if (i >= s.length()) {
                throw new Fatal("JSON: input ends at column " + i);
            }
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    m.put(k, value());
                    ws();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect('}');
                        return m;
                    }
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect(']');
                        return l;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            for (String lit : new String[] {"true", "false", "null"}) {
                if (s.startsWith(lit, i)) {
                    i += lit.length();
                    return lit.equals("null") ? null : Boolean.valueOf(lit);
                }
            }
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '-')) {
                i++;
            }
            if (start == i) {
                throw new Fatal("JSON: unexpected '" + c + "' at column " + i);
            }
            return new BigInteger(s.substring(start, i));
        }

        void expect(char c) throws Fatal {
            if (i >= s.length() || s.charAt(i) != c) {
                throw new Fatal("JSON: expected '" + c + "' at column " + i);
            }
            i++;
        }

        String string() throws Fatal {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw new Fatal("JSON: unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n': sb.append('\n'); break;
                        case 't': sb.append('\t'); break;
                        case 'r': sb.append('\r'); break;
                        case 'b': sb.append('\b'); break;
                        case 'f': sb.append('\f'); break;
                        case 'u':
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                            break;
                        default: sb.append(e);
                    }
                } else {
                    sb.append(c);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            sb.append('"');
            for (char c : ((String) v).toCharArray()) {
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            sb.append('"');
        } else if (v instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(sb, e.getKey());
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object x : (List<Object>) v) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(sb, x);
            }
            sb.append(']');
        } else {
            sb.append(v.toString());
        }
    }

    // ---------------------------------------------------------------- the serve loop

    static final String[] OPS = {
        "append", "update", "spend", "state", "node", "prove", "verify", "verify_node"
    };

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("--stream-checks")) {
            StreamChecks.run(System.out);
            return;
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("protocol", "mmr-conformance");
        hello.put("version", "2");
        hello.put("name", "minima-adapter");
        hello.put("profiles", List.of("minima"));
        hello.put("ops", List.of(OPS));
        hello.put("errors", "any");
        hello.put("proofs", List.of("d13"));
        hello.put("library", LIBRARY);
        StringBuilder h = new StringBuilder();
        write(h, hello);
        out.println(h);
        out.flush();
        MinimaAdapter a = new MinimaAdapter();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> resp = new LinkedHashMap<>();
            Object id = null;
            try {
                Object parsed = Json.parse(line);
                if (!(parsed instanceof Map)) {
                    throw new Fatal("a request must be a JSON object");
                }
                Map<String, Object> req = (Map<String, Object>) parsed;
                id = req.get("id");
                resp.put("id", id);
                try {
                    try {
                        resp.put("result", a.handle(req));
                    } catch (RuntimeException e) {
                        // Minima's classes answer by throwing: MiniNumber's range check
                        // (NumberFormatException) and, on a half-written MMR, whatever the
                        // missing entries cause. That is the library refusing the op.
                        throw new Refusal("rejected", "Minima threw " + e);
                    }
                } catch (Refusal r) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("error", r.kind);
                    if (r.kind.equals("unsupported")) {
                        // The only error that carries a reason (PROTOCOL.md); the others
                        // give theirs on stderr.
                        e.put("reason", r.getMessage());
                    }
                    resp.put("result", e);
                    System.err.println("id " + id + ": " + r.kind + ": " + r.getMessage());
                }
            } catch (Fatal f) {
                resp.put("id", id);
                resp.put("fatal", f.getMessage());
            } catch (RuntimeException e) {
                resp.put("id", id);
                resp.put("fatal", "the adapter failed: " + e);
                e.printStackTrace();
            }
            StringBuilder sb = new StringBuilder();
            write(sb, resp);
            out.println(sb);
            out.flush();
        }
    }
}
