package org.convene.meeting;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.tika.Tika;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;

/**
 * Which documents may be posted to a chat, judged by their content (Tika's magic bytes), with the file
 * name only refining a container format (a ZIP that is a DOCX, an OLE2 file that is an XLS). An
 * executable named {@code .pdf} is an executable.
 */
public final class MaterialTypes {
    private static final Map<String, String> ALLOWED = Map.ofEntries(
            Map.entry("application/pdf", "PDF"),
            Map.entry("application/msword", "DOC"),
            Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
            Map.entry("application/vnd.ms-excel", "XLS"),
            Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
            Map.entry("application/vnd.ms-powerpoint", "PPT"),
            Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation", "PPTX"),
            Map.entry("application/vnd.oasis.opendocument.text", "ODT"),
            Map.entry("application/vnd.oasis.opendocument.spreadsheet", "ODS"),
            Map.entry("application/vnd.oasis.opendocument.presentation", "ODP"),
            Map.entry("image/png", "PNG"),
            Map.entry("image/jpeg", "JPEG"),
            Map.entry("text/plain", "TXT"));

    private final Tika tika = new Tika(MimeTypes.getDefaultMimeTypes());

    /** The media type of an allowed document, or empty when its content is not on the allow-list. */
    public Optional<String> allowedType(Path file, String filename) {
        try (InputStream in = Files.newInputStream(file)) {
            String detected = MediaType.parse(tika.detect(in, filename)).getBaseType().toString();
            return ALLOWED.containsKey(detected) ? Optional.of(detected) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String detect(Path file, String filename) {
        try (InputStream in = Files.newInputStream(file)) {
            return MediaType.parse(tika.detect(in, filename)).getBaseType().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String allowedList() {
        return "PDF, DOC/DOCX, XLS/XLSX, PPT/PPTX, ODT/ODS/ODP, PNG, JPEG, TXT";
    }
}
