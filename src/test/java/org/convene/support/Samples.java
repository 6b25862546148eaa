package org.convene.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small real files of each kind, made in memory. */
public final class Samples {
    private Samples() {}

    public static byte[] pdf() {
        try (InputStream in = Samples.class.getResourceAsStream("/demo/chuong-trinh-sinh-hoat.pdf")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample PDF with a trailing comment: another file (another sha256) that is still the same PDF to a reader. */
    public static byte[] pdf(String variant) {
        byte[] pdf = pdf();
        byte[] tail = ("\n% " + variant + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(pdf, pdf.length + tail.length);
        System.arraycopy(tail, 0, out, pdf.length, tail.length);
        return out;
    }

    /** A PDF of {@code pages} A4 pages, each saying its number, made with PDFBox. */
    public static byte[] pdfPages(int pages) {
        try (org.apache.pdfbox.pdmodel.PDDocument pdf = new org.apache.pdfbox.pdmodel.PDDocument()) {
            var font = new org.apache.pdfbox.pdmodel.font.PDType1Font(org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA);
            for (int i = 1; i <= pages; i++) {
                var page = new org.apache.pdfbox.pdmodel.PDPage(org.apache.pdfbox.pdmodel.common.PDRectangle.A4);
                pdf.addPage(page);
                try (var text = new org.apache.pdfbox.pdmodel.PDPageContentStream(pdf, page)) {
                    text.beginText();
                    text.setFont(font, 28);
                    text.newLineAtOffset(72, 700);
                    text.showText("Confidential resolution - page " + i);
                    text.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pdf.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Windows executable's first bytes: "MZ", the DOS stub, then padding. */
    public static byte[] exe() {
        byte[] bytes = new byte[4096];
        bytes[0] = 'M';
        bytes[1] = 'Z';
        byte[] stub = "This program cannot be run in DOS mode.".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(stub, 0, bytes, 78, stub.length);
        bytes[60] = (byte) 0x80;
        bytes[0x80] = 'P';
        bytes[0x81] = 'E';
        return bytes;
    }

    public static byte[] png() {
        return new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1,
                8, 6, 0, 0, 0, 0x1f, 0x15, (byte) 0xc4, (byte) 0x89, 0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xae, 0x42, 0x60, (byte) 0x82};
    }

    public static byte[] text() {
        return "Biên bản họp chi bộ\nNội dung: phân công nhiệm vụ tháng 12.\n".getBytes(StandardCharsets.UTF_8);
    }

    /** A minimal DOCX: a ZIP whose first entry is [Content_Types].xml naming a Word document. */
    public static byte[] docx() {
        return ooxml("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml");
    }

    public static byte[] xlsx() {
        return ooxml("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
    }

    /** An OpenDocument text: a ZIP whose first entry, stored, is "mimetype". */
    public static byte[] odt() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                byte[] mime = "application/vnd.oasis.opendocument.text".getBytes(StandardCharsets.US_ASCII);
                ZipEntry entry = new ZipEntry("mimetype");
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(mime.length);
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(mime);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(mime);
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry("content.xml"));
                zip.write("<office:document-content/>".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] ooxml(String part, String contentType) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
                zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                        + "<Override PartName=\"/" + part + "\" ContentType=\"" + contentType + "\"/></Types>").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry("_rels/.rels"));
                zip.write("<Relationships/>".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(part));
                zip.write("<document/>".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
