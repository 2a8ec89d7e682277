// Written for this project (README.md, "Building"): Minima v1.0.45's objects/keys/Winternitz.java
// imports this class from bcprov 1.69's package; bcprov 1.71 and later (Debian's
// libbcprov-java 1.72) moved it, unchanged in signature, to pqc.legacy.crypto.gmss.util. This
// subclass gives the old name to the moved class so that Minima's src/ compiles unchanged.
// The MMR code never reaches it.
package org.bouncycastle.pqc.crypto.gmss.util;

import org.bouncycastle.crypto.Digest;

public class WinternitzOTSignature
        extends org.bouncycastle.pqc.legacy.crypto.gmss.util.WinternitzOTSignature {
    public WinternitzOTSignature(byte[] seed, Digest digest, int w) {
        super(seed, digest, w);
    }
}
