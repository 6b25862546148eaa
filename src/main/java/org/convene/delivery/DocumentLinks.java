package org.convene.delivery;

import java.util.function.Supplier;
import org.convene.meeting.Material;

/**
 * Where a document is read when it is not posted as a file: a confidential one (never posted), or one
 * a platform will not take. The address needs a signed-in member; it names the document, not a version,
 * so it shows the current version whenever it is opened.
 */
public final class DocumentLinks {
    private final Supplier<String> publicUrl;

    /** @param publicUrl asked at each use: the port is known only once the server listens */
    public DocumentLinks(Supplier<String> publicUrl) {
        this.publicUrl = publicUrl;
    }

    /** Paths without a host, for set-ups that render messages without a server (tools, tests). */
    public static final DocumentLinks RELATIVE = new DocumentLinks(() -> "");

    public String of(Material material) {
        return publicUrl.get() + "/documents/" + material.document();
    }
}
