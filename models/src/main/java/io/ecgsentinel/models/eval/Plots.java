package io.ecgsentinel.models.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG output of evaluation: ROC and PR curves (XChart), confusion matrices and waveform strips (Java2D). */
public final class Plots {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** One curve per entry; points are (x, y). */
    public static void curves(Path file, String title, String xLabel, String yLabel, Map<String, List<double[]>> series,
            boolean diagonal) throws IOException {
        XYChart chart = new XYChartBuilder().width(640).height(520).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setMarkerSize(0);
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            List<double[]> pts = e.getValue();
            if (pts.isEmpty()) continue;
            double[] x = new double[pts.size()], y = new double[pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                x[i] = pts.get(i)[0];
                y[i] = pts.get(i)[1];
            }
            chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.NONE);
        }
        if (diagonal) {
            chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1}).setMarker(SeriesMarkers.NONE)
                    .setLineColor(Color.LIGHT_GRAY);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** A confusion matrix as a shaded grid with counts. */
    public static void confusion(Path file, String title, List<String> rows, List<String> cols, long[][] m) throws IOException {
        int cell = 80, left = 150, top = 90;
        int w = left + cell * cols.size() + 20, h = top + cell * rows.size() + 20;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("rows: reference, columns: predicted", 10, 40);
        for (int i = 0; i < rows.size(); i++) {
            long rowSum = 0;
            for (long v : m[i]) rowSum += v;
            g.setColor(Color.BLACK);
            g.drawString(rows.get(i), 10, top + i * cell + cell / 2);
            for (int j = 0; j < cols.size(); j++) {
                double frac = rowSum == 0 ? 0 : (double) m[i][j] / rowSum;
                int shade = (int) Math.round(255 - 200 * frac);
                g.setColor(new Color(shade, shade, 255));
                g.fillRect(left + j * cell, top + i * cell, cell, cell);
                g.setColor(Color.GRAY);
                g.drawRect(left + j * cell, top + i * cell, cell, cell);
                g.setColor(Color.BLACK);
                g.drawString(Long.toString(m[i][j]), left + j * cell + 8, top + i * cell + cell / 2);
            }
        }
        for (int j = 0; j < cols.size(); j++) {
            g.drawString(cols.get(j), left + j * cell + 8, top - 8);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    /** A beat marker on a strip. */
    public record Mark(int sample, String label, double score, boolean highlight) {}

    /** A waveform strip (one lead) with beat labels and scores. */
    public static void strip(Path file, String title, float[] x, int from, int to, double fs, List<Mark> marks)
            throws IOException {
        int w = 1400, h = 320, pad = 40;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(255, 220, 220));
        for (double t = 0; t <= (to - from) / fs; t += 0.2) {
            int px = pad + (int) (t * fs * (w - 2 * pad) / (to - from));
            g.drawLine(px, pad, px, h - pad);
        }
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (int i = from; i < to; i++) {
            lo = Math.min(lo, x[i]);
            hi = Math.max(hi, x[i]);
        }
        if (hi <= lo) hi = lo + 1;
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.2f));
        int prevX = -1, prevY = -1;
        for (int i = from; i < to; i++) {
            int px = pad + (int) ((long) (i - from) * (w - 2 * pad) / (to - from));
            int py = h - pad - (int) ((x[i] - lo) / (hi - lo) * (h - 2 * pad - 30));
            if (prevX >= 0) g.drawLine(prevX, prevY, px, py);
            prevX = px;
            prevY = py;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (Mark m : marks) {
            if (m.sample() < from || m.sample() >= to) continue;
            int px = pad + (int) ((long) (m.sample() - from) * (w - 2 * pad) / (to - from));
            g.setColor(m.highlight() ? Color.RED : new Color(0, 110, 0));
            g.drawString(m.label(), px - 4, pad + 2);
            g.drawString(String.format(java.util.Locale.ROOT, "%.2f", m.score()), px - 12, pad + 16);
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, pad, 18);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
