// Written for this project: the old bcprov 1.69 name of the class bcprov 1.71+ moved to
// pqc.legacy.crypto.gmss.util (see WinternitzOTSignature.java beside it).
package org.bouncycastle.pqc.crypto.gmss.util;

import org.bouncycastle.crypto.Digest;

public class WinternitzOTSVerify
        extends org.bouncycastle.pqc.legacy.crypto.gmss.util.WinternitzOTSVerify {
    public WinternitzOTSVerify(Digest digest, int w) {
        super(digest, w);
    }
}
