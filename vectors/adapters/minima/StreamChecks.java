// What Minima's own proof-stream reader and MiniNumber parser accept, shown on Minima's
// classes (`java ... MinimaAdapter --stream-checks`; spec/DIALECTS.md, "minima", cites the
// source lines). The conformance protocol carries proofs in D13 and values as u64 decimal
// strings, so none of these inputs can reach Minima through a vector; each check builds the
// input by hand, runs it through Minima's reader, and prints what Minima made of it next to
// what the `minima` profile's strict decoder (mmr_spec::profiles::minima::decode_mmr_proof)
// and SCHEMA.md's value rule do. Written for this project; no Minima code is copied here.
//
// Each line: `<check>: minima <what Minima did>; profile <what the profile does>`. The
// process exits 1 if Minima refuses any of them (the leniency would then be gone).

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;

import org.minima.database.mmr.MMRData;
import org.minima.database.mmr.MMRProof;
import org.minima.objects.base.MiniData;
import org.minima.objects.base.MiniNumber;

final class StreamChecks {
    private StreamChecks() {}

    /** ser(block time 0) || ser(1 chunk) || flag || MiniData(32 x 0x11) || VALUE bytes. */
    static byte[] oneChunk(int flag, byte[] value) throws IOException {
        return oneChunk(flag, 32, value);
    }

    /** The same with a hash of HASHLEN bytes (MiniData: u32be length || bytes). */
    static byte[] oneChunk(int flag, int hashLen, byte[] value) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        MiniNumber.ZERO.writeDataStream(d);
        MiniNumber.ONE.writeDataStream(d);
        d.writeByte(flag);
        byte[] h = new byte[hashLen];
        java.util.Arrays.fill(h, (byte) 0x11);
        new MiniData(h).writeHashToStream(d);
        d.write(value);
        d.flush();
        return b.toByteArray();
    }

    static MMRProof read(byte[] stream) throws IOException {
        return MMRProof.convertMiniDataVersion(new MiniData(stream));
    }

    static String chunkValue(MMRProof p) {
        MMRData d = p.getProofChunk(0).getMMRData();
        return d.getValue().toString();
    }

    static void run(PrintStream out) {
        int refused = 0;
        // MiniNumber 5: scale 0, 1 byte, 0x05.
        byte[] five = {0, 1, 5};
        String[][] cases = {
            {"trailing-bytes", "the 1-chunk stream of value 5 with one byte 00 appended"},
            {"flag-byte-2", "the chunk's left flag written as 02"},
            {"non-minimal-number", "the value 5 written as scale 0, 2 bytes, 00 05"},
            {"value-above-u64", "the value 2^64 (scale 0, 9 bytes 01 00 .. 00)"},
            {"negative-value", "the value -1 (scale 0, 1 byte, ff)"},
            {"decimal-value", "the value 0.5 (scale 1, 1 byte, 05)"},
            {"short-hash", "the chunk's hash 20 bytes long"},
        };
        for (String[] c : cases) {
            try {
                String got;
                switch (c[0]) {
                    case "trailing-bytes": {
                        byte[] s = oneChunk(0, five);
                        byte[] t = java.util.Arrays.copyOf(s, s.length + 1);
                        MMRProof p = read(t);
                        got = "read " + p.getProofLength() + " chunk(s), value " + chunkValue(p)
                            + ", the trailing byte ignored";
                        out.println(c[0] + ": minima " + got + "; profile trailing-bytes (" + c[1] + ")");
                        break;
                    }
                    case "flag-byte-2": {
                        MMRProof p = read(oneChunk(2, five));
                        got = "read the chunk as isLeft()=" + p.getProofChunk(0).isLeft();
                        out.println(c[0] + ": minima " + got + "; profile invalid-side (" + c[1] + ")");
                        break;
                    }
                    case "non-minimal-number": {
                        MMRProof p = read(oneChunk(0, new byte[] {0, 2, 0, 5}));
                        got = "value " + chunkValue(p);
                        out.println(c[0] + ": minima " + got + "; profile invalid-tag (" + c[1] + ")");
                        break;
                    }
                    case "value-above-u64": {
                        MMRProof p = read(oneChunk(0, new byte[] {0, 9, 1, 0, 0, 0, 0, 0, 0, 0, 0}));
                        got = "value " + chunkValue(p) + " (MiniNumber.readDataStream skips checkLimits)";
                        out.println(c[0] + ": minima " + got + "; profile value-overflow (" + c[1] + ")");
                        break;
                    }
                    case "negative-value": {
                        MMRProof p = read(oneChunk(0, new byte[] {0, 1, (byte) 0xff}));
                        got = "value " + chunkValue(p);
                        out.println(c[0] + ": minima " + got + "; profile invalid-tag (" + c[1] + ")");
                        break;
                    }
                    case "short-hash": {
                        MMRProof p = read(oneChunk(0, 20, five));
                        got = "read a hash of " + p.getProofChunk(0).getMMRData().getData().getBytes().length + " bytes";
                        out.println(c[0] + ": minima " + got + "; profile invalid-tag, 32-byte hashes only (" + c[1] + ")");
                        break;
                    }
                    default: {
                        MMRProof p = read(oneChunk(0, new byte[] {1, 1, 5}));
                        got = "value " + chunkValue(p);
                        out.println(c[0] + ": minima " + got + "; profile invalid-tag, integer MiniNumbers only (" + c[1] + ")");
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                refused++;
                out.println(c[0] + ": minima REFUSED (" + e + "); the leniency is gone (" + c[1] + ")");
            }
        }
        // MiniNumber(String), the parser of values given as text (RPC commands, scripts).
        String[][] texts = {
            {"exponent", "1E3"},
            {"negative", "-5"},
            {"45-decimals", "0." + "0".repeat(44) + "1"},
            {"44-decimals", "0." + "0".repeat(43) + "1"},
        };
        for (String[] t : texts) {
            try {
                MiniNumber n = new MiniNumber(t[1]);
                out.println("parse-" + t[0] + ": minima MiniNumber(\"" + t[1] + "\") = " + n
                    + " (scale " + n.getAsBigDecimal().scale() + "); profile: SCHEMA.md allows digits and one '.', at most 44 fraction digits, no sign, no exponent");
            } catch (RuntimeException e) {
                refused++;
                out.println("parse-" + t[0] + ": minima REFUSED " + t[1] + " (" + e + ")");
            }
        }
        out.flush();
        if (refused != 0) {
            System.exit(1);
        }
    }
}
