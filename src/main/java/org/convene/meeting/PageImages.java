package org.convene.meeting;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * A document's pages as PNG images with the reader's name across them: what a confidential document is
 * shown as, so that what leaves the browser carries the name of who looked. PDFs are rendered with
 * Apache PDFBox; a PNG or JPEG is its own single page.
 */
final class PageImages {
    /** Wide enough to read an A4 page on a phone zoomed in, small enough to send quickly on a rural connection. */
    static final int MAX_WIDTH = 1240;
    /** A PDF page is drawn at most this many times its size in points (1.7 ≈ 120 dpi). */
    private static final float MAX_SCALE = 1.7f;

    private PageImages() {}

    /** How many pages the document has; {@link ConveneException.UnsupportedType} when it cannot be read. */
    static int count(Path file, String mediaType) {
        if (!mediaType.equals("application/pdf")) return 1;
        try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
            return pdf.getNumberOfPages();
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** Page {@code page} (from 1) with {@code watermark} drawn across it, as PNG bytes. */
    static byte[] render(Path file, String mediaType, int page, String watermark) {
        BufferedImage image;
        try {
            if (mediaType.equals("application/pdf")) {
                try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
                    if (page < 1 || page > pdf.getNumberOfPages()) throw new ConveneException.NotFound("page", page);
                    float width = pdf.getPage(page - 1).getMediaBox().getWidth();
                    float scale = Math.min(MAX_SCALE, MAX_WIDTH / Math.max(1f, width));
                    image = new PDFRenderer(pdf).renderImage(page - 1, scale, ImageType.RGB);
                }
            } else {
                if (page != 1) throw new ConveneException.NotFound("page", page);
                BufferedImage read = ImageIO.read(file.toFile());
                if (read == null) throw new IOException("not an image ImageIO reads");
                image = copy(read);
            }
        } catch (IOException e) {
            throw unreadable(e);
        }
        mark(image, watermark);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A picture in RGB, scaled down to {@link #MAX_WIDTH}, that can be drawn on. */
    private static BufferedImage copy(BufferedImage source) {
        double scale = Math.min(1.0, (double) MAX_WIDTH / source.getWidth());
        int w = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(source.getHeight() * scale));
        BufferedImage copy = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = copy.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.drawImage(source, 0, 0, w, h, null);
        g.dispose();
        return copy;
    }

    /**
     * The name in rows across the page at an angle, light enough to read the text beneath, and once more
     * along the bottom edge, where cropping a photo of the screen cannot remove it without the text.
     */
    private static void mark(BufferedImage image, String watermark) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int w = image.getWidth();
        int h = image.getHeight();
        int size = Math.max(14, w / 28);
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, size);
        g.setFont(font);
        AffineTransform straight = g.getTransform();
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.16f));
        g.setColor(new Color(150, 0, 0));
        g.rotate(-Math.PI / 6, w / 2.0, h / 2.0);
        int textWidth = g.getFontMetrics().stringWidth(watermark) + size * 3;
        int diagonal = (int) Math.hypot(w, h);
        for (int y = -diagonal / 2; y < h + diagonal / 2; y += size * 5) {
            int offset = (y / (size * 5)) % 2 == 0 ? 0 : textWidth / 2;
            for (int x = -diagonal / 2 - offset; x < w + diagonal / 2; x += textWidth) g.drawString(watermark, x, y);
        }
        g.setTransform(straight);
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.85f));
        int band = size + size / 2;
        g.setColor(new Color(255, 255, 255));
        g.fillRect(0, h - band, w, band);
        g.setColor(new Color(150, 0, 0));
        g.setStroke(new BasicStroke(1));
        g.drawLine(0, h - band, w, h - band);
        g.setFont(font.deriveFont(Font.PLAIN, size * 0.7f));
        g.drawString(watermark, size / 2, h - size / 2);
        g.dispose();
    }

    private static ConveneException unreadable(IOException e) {
        return new ConveneException.UnsupportedType("this document cannot be shown page by page (" + e.getMessage()
                + "); ask the secretary to attach it again as an ordinary PDF");
    }
}
