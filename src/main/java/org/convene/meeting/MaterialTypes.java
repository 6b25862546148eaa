package org.convene.meeting;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
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
        String detected = detect(file, filename);
        return ALLOWED.containsKey(detected) ? Optional.of(detected) : Optional.empty();
    }

    /**
     * The content decides; the name only refines what the content shows (an OLE2 file named .xls is XLS).
     * Bytes with no known signature stay {@code application/octet-stream} whatever their name, so random
     * bytes named .pdf are no PDF. Tika's core lets the name turn any ZIP into an Office type (a plain ZIP
     * named .docx is "DOCX"), so an OOXML or OpenDocument type given by the name stands only when the
     * archive declares it itself.
     */
    public String detect(Path file, String filename) {
        String content = sniff(file, null);
        if (filename == null) return content;
        String named = sniff(file, filename);
        if (named.equals(content)) return content;
        boolean refines = !content.equals(MediaType.OCTET_STREAM.toString())
                && tika.getDetector() instanceof MimeTypes types
                && types.getMediaTypeRegistry().isSpecializationOf(MediaType.parse(named), MediaType.parse(content));
        return refines && declaredByArchive(file, named) ? named : content;
    }

    private String sniff(Path file, String filename) {
        try (InputStream in = Files.newInputStream(file)) {
            return MediaType.parse(filename == null ? tika.detect(in) : tika.detect(in, filename)).getBaseType().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean declaredByArchive(Path file, String type) {
        String entry = type.startsWith("application/vnd.openxmlformats-officedocument.") ? "[Content_Types].xml"
                : type.startsWith("application/vnd.oasis.opendocument.") ? "mimetype" : null;
        if (entry == null) return true;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry found = zip.getEntry(entry);
            if (found == null) return false;
            try (InputStream in = zip.getInputStream(found)) {
                String text = new String(in.readNBytes(1024 * 1024), StandardCharsets.UTF_8);
                return entry.equals("mimetype") ? text.strip().equals(type) : text.contains(type + ".main+xml");
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** A media type as secretaries know it: "DOCX", "PDF"; the type itself when it is not on the list. */
    public static String label(String mediaType) {
        return ALLOWED.getOrDefault(mediaType, mediaType);
    }

    public static String allowedList() {
        return "PDF, DOC/DOCX, XLS/XLSX, PPT/PPTX, ODT/ODS/ODP, PNG, JPEG, TXT";
    }
}
