package org.convene.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.convene.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads are judged by what is in them, on real files: a name alone neither admits nor refuses a document. */
class MaterialTypesTest {
    @TempDir
    Path dir;

    final MaterialTypes types = new MaterialTypes();

    @Test
    void a_pdf_is_allowed_as_pdf() throws IOException {
        assertThat(types.allowedType(write("chuong-trinh.pdf", Samples.pdf()), "chuong-trinh.pdf")).contains("application/pdf");
    }

    @Test
    void a_docx_is_allowed_as_a_word_document() throws IOException {
        assertThat(types.allowedType(write("bien-ban.docx", Samples.docx()), "bien-ban.docx"))
                .contains("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    }

    @Test
    void an_xlsx_is_allowed_as_a_spreadsheet() throws IOException {
        assertThat(types.allowedType(write("dang-phi.xlsx", Samples.xlsx()), "dang-phi.xlsx"))
                .contains("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }

    @Test
    void an_odt_is_allowed_as_an_opendocument_text() throws IOException {
        assertThat(types.allowedType(write("nghi-quyet.odt", Samples.odt()), "nghi-quyet.odt"))
                .contains("application/vnd.oasis.opendocument.text");
    }

    @Test
    void a_png_is_allowed_as_png() throws IOException {
        assertThat(types.allowedType(write("so-do.png", Samples.png()), "so-do.png")).contains("image/png");
    }

    @Test
    void a_utf8_vietnamese_text_is_allowed_as_plain_text() throws IOException {
        assertThat(types.allowedType(write("ghi-chu.txt", Samples.text()), "ghi-chu.txt")).contains("text/plain");
    }

    @Test
    void an_executable_named_pdf_is_refused() throws IOException {
        Path file = write("nghi-quyet.pdf", Samples.exe());

        assertThat(types.allowedType(file, "nghi-quyet.pdf")).isEmpty();
        assertThat(types.detect(file, "nghi-quyet.pdf")).isNotEqualTo("application/pdf");
    }

    @Test
    void random_bytes_named_pdf_are_refused() throws IOException {
        byte[] noise = new byte[4096];
        new java.util.Random(17).nextBytes(noise);
        noise[0] = 0x01; // no signature of any kind at the start
        Path file = write("bao-cao.pdf", noise);

        assertThat(types.allowedType(file, "bao-cao.pdf")).isEmpty();
        assertThat(types.detect(file, "bao-cao.pdf")).isEqualTo("application/octet-stream");
    }

    @Test
    void a_text_named_pdf_is_text_not_pdf() throws IOException {
        Path file = write("bao-cao.pdf", Samples.text());

        assertThat(types.detect(file, "bao-cao.pdf")).isEqualTo("text/plain");
    }

    @Test
    void a_plain_zip_named_docx_is_refused() throws IOException {
        Path file = write("bien-ban.docx", plainZip());

        assertThat(types.allowedType(file, "bien-ban.docx")).isEmpty();
        assertThat(types.detect(file, "bien-ban.docx")).isEqualTo("application/zip");
    }

    @Test
    void an_opendocument_named_docx_is_allowed_as_what_it_contains() throws IOException {
        Path file = write("bien-ban.docx", Samples.odt());

        assertThat(types.allowedType(file, "bien-ban.docx")).contains("application/vnd.oasis.opendocument.text");
    }

    @Test
    void an_html_page_named_txt_is_refused() throws IOException {
        byte[] html = """
                <!DOCTYPE html>
                <html><head><title>Thông báo</title></head>
                <body><script>document.location='https://example.org/'</script></body></html>
                """.getBytes(StandardCharsets.UTF_8);
        Path file = write("thong-bao.txt", html);

        assertThat(types.allowedType(file, "thong-bao.txt")).isEmpty();
        assertThat(types.detect(file, "thong-bao.txt")).isEqualTo("text/html");
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    /** A ZIP archive holding one ordinary file: no [Content_Types].xml, so not an Office document. */
    private static byte[] plainZip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("danh-sach.csv"));
            zip.write("name,phone\nTrần Thị Lan,0912345678\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return out.toByteArray();
    }
}
