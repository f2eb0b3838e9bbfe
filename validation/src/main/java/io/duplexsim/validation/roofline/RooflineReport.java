package io.duplexsim.validation.roofline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a sweep as roofline.csv and roofline.png in a folder. Each file is written to a temporary
 * name and moved into place, so an interrupted run never leaves a file that looks complete.
 */
public final class RooflineReport {
  private RooflineReport() {}

  public static void write(Path dir, String title, List<RooflinePoint> points) throws IOException {
    Files.createDirectories(dir);
    List<String> lines = new ArrayList<>();
    lines.add(RooflinePoint.CSV_HEADER);
    for (RooflinePoint p : points) {
      lines.add(p.csvRow());
    }
    Path csvTmp = dir.resolve("roofline.csv.tmp");
    Files.write(csvTmp, lines, StandardCharsets.UTF_8);
    Path pngTmp = dir.resolve("roofline.png.tmp");
    RooflineChart.write(title, points, pngTmp);
    Files.move(csvTmp, dir.resolve("roofline.csv"), StandardCopyOption.REPLACE_EXISTING);
    Files.move(pngTmp, dir.resolve("roofline.png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
