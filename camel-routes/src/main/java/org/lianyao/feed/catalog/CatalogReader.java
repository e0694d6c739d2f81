package org.lianyao.feed.catalog;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.openxml4j.exceptions.InvalidFormatException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Reads a consortium formulary file (医联体用药目录) as pharmacy committees (药事管理与药物治疗学委员会)
 * produce it: an {@code .xlsx} workbook or a {@code .csv} export with Chinese column headers.
 *
 * <ul>
 *   <li>CSV: UTF-8 with or without BOM; anything that is not valid UTF-8 is read as GB18030 (what
 *       Chinese Excel writes for "CSV (逗号分隔)"); UTF-16 with BOM ("Unicode 文本") is accepted too.
 *       The delimiter (comma, tab or semicolon) is sniffed from the first lines.</li>
 *   <li>XLSX: the sheet named {@value #PREFERRED_SHEET}, else the first sheet; read with POI's
 *       streaming SAX API, so memory stays flat for large catalogs. Numeric cells are written out in
 *       plain digits (a 本位码 typed as a number stays {@code 86901234000012}, not {@code 8.69E+13}),
 *       date cells as ISO dates, formula cells as their cached result, and vertically merged cells
 *       (e.g. 慢病病种 merged over a disease's block of rows) give their value to every row they cover.</li>
 *   <li>Title rows above the header are allowed: the header row is the first of the first
 *       {@value #HEADER_SEARCH_ROWS} non-blank rows that names at least {@value #MIN_HEADER_MATCHES}
 *       known columns. Blank rows (also rows with only a 序号) are skipped.</li>
 * </ul>
 *
 * <p>Row numbers are what the committee sees in Excel: 1-based, header normally row 1, first data
 * row 2. Problems with the file itself (missing columns, unreadable workbook, formula errors) are
 * returned in {@link CatalogFile#problems()}, not thrown; only I/O failures of the stream throw.
 * Instances are stateless and thread-safe.
 */
public final class CatalogReader {

  /** Sheet name read in preference to the first sheet. */
  public static final String PREFERRED_SHEET = "目录";

  static final int HEADER_SEARCH_ROWS = 10;
  static final int MIN_HEADER_MATCHES = 3;

  private static final byte[] ZIP_MAGIC = {0x50, 0x4B, 0x03, 0x04};
  private static final byte[] OLE2_MAGIC = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0};
  private static final Charset GB18030 = Charset.forName("GB18030");
  /** Values Excel shows for a failed formula. */
  private static final Set<String> EXCEL_ERRORS = Set.of(
      "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA");

  /** Reads a file; the format is recognised from its content, not its extension. */
  public CatalogFile read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(4);
    }
    if (Arrays.equals(head, ZIP_MAGIC)) {
      return readXlsx(file); // straight from disk, no copy in memory
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.getFileName().toString());
    }
  }

  /**
   * Reads a CSV or XLSX stream (recognised by content: a ZIP container is XLSX, anything else is
   * CSV). The stream is read to its end but not closed.
   *
   * @param sourceName file name for reports
   */
  public CatalogFile read(InputStream in, String sourceName) throws IOException {
    Objects.requireNonNull(in, "in");
    BufferedInputStream buffered = new BufferedInputStream(in);
    buffered.mark(8);
    byte[] head = buffered.readNBytes(4);
    buffered.reset();
    if (Arrays.equals(head, ZIP_MAGIC)) {
      return readXlsx(buffered, sourceName);
    }
    if (Arrays.equals(head, OLE2_MAGIC)) {
      return failed(sourceName, CatalogFile.Format.XLSX,
          "不支持旧版 Excel 97-2003（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后重新上传",
          "legacy .xls (OLE2) workbooks are not supported; save as .xlsx or CSV");
    }
    return readCsv(buffered, sourceName);
  }

  /** Reads CSV text (charset and delimiter detected, see the class comment). */
  public CatalogFile readCsv(InputStream in, String sourceName) throws IOException {
    byte[] bytes = in.readAllBytes();
    Decoded decoded = decode(bytes);
    char delimiter = sniffDelimiter(decoded.text());
    CSVFormat format = CSVFormat.RFC4180.builder()
        .setDelimiter(delimiter)
        // Empty lines must count, or record numbers drift from the rows Excel shows.
        .setIgnoreEmptyLines(false)
        .build();
    Grid grid = new Grid();
    try (Reader reader = new java.io.StringReader(decoded.text());
        CSVParser parser = CSVParser.parse(reader, format)) {
      for (CSVRecord record : parser) {
        String[] cells = new String[record.size()];
        for (int i = 0; i < cells.length; i++) {
          cells[i] = clean(record.get(i));
        }
        grid.add((int) record.getRecordNumber(), cells);
      }
    } catch (UncheckedIOException | IllegalStateException e) {
      // Commons CSV reports malformed quoting through the iterator as an unchecked exception.
      return failed(sourceName, CatalogFile.Format.CSV,
          "CSV 文件格式错误（引号不配对等），无法读取：" + rootMessage(e),
          "malformed CSV (unbalanced quotes?): " + rootMessage(e));
    }
    return grid.assemble(sourceName, CatalogFile.Format.CSV, decoded.charset().name(), "");
  }

  /** Reads the catalog sheet of an XLSX workbook with POI's streaming API. */
  public CatalogFile readXlsx(InputStream in, String sourceName) throws IOException {
    // POI buffers the whole package anyway; reading first separates I/O failures (thrown) from a
    // damaged workbook (reported as a problem).
    byte[] content = in.readAllBytes();
    OPCPackage pkg;
    try {
      pkg = OPCPackage.open(new ByteArrayInputStream(content));
    } catch (InvalidFormatException | IllegalArgumentException | IOException e) {
      return failed(sourceName, CatalogFile.Format.XLSX,
          "Excel 文件已损坏或不是 .xlsx 格式：" + rootMessage(e),
          "not a readable .xlsx workbook: " + rootMessage(e));
    }
    try {
      return readPackage(pkg, sourceName);
    } catch (OpenXML4JException | SAXException | IOException | RuntimeException e) {
      return failed(sourceName, CatalogFile.Format.XLSX,
          "Excel 文件内容无法解析：" + rootMessage(e), "cannot parse the .xlsx workbook: " + rootMessage(e));
    } finally {
      pkg.revert(); // close() would try to save the package
    }
  }

  /** Reads an XLSX file from disk without copying it into memory first. */
  public CatalogFile readXlsx(Path file) {
    OPCPackage pkg;
    try {
      pkg = OPCPackage.open(file.toFile(), PackageAccess.READ);
    } catch (InvalidFormatException | IllegalArgumentException e) {
      return failed(file.getFileName().toString(), CatalogFile.Format.XLSX,
          "Excel 文件已损坏或不是 .xlsx 格式：" + rootMessage(e),
          "not a readable .xlsx workbook: " + rootMessage(e));
    }
    try {
      return readPackage(pkg, file.getFileName().toString());
    } catch (OpenXML4JException | SAXException | IOException | RuntimeException e) {
      return failed(file.getFileName().toString(), CatalogFile.Format.XLSX,
          "Excel 文件内容无法解析：" + rootMessage(e), "cannot parse the .xlsx workbook: " + rootMessage(e));
    } finally {
      pkg.revert(); // read-only: never write back
    }
  }

  // ---- XLSX --------------------------------------------------------------------------------

  private CatalogFile readPackage(OPCPackage pkg, String sourceName)
      throws IOException, OpenXML4JException, SAXException {
    XSSFReader xssf = new XSSFReader(pkg);
    String chosen = chooseSheet(xssf);
    if (chosen == null) {
      return failed(sourceName, CatalogFile.Format.XLSX, "Excel 文件中没有工作表", "the workbook has no sheet");
    }
    ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
    StylesTable styles = xssf.getStylesTable();
    if (styles == null) {
      // Without styles POI hands numbers over raw ("8.69E13"); a default table routes them through
      // PlainNumberFormatter like every other numeric cell.
      styles = new StylesTable();
    }
    boolean date1904 = uses1904DateSystem(xssf);
    XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) xssf.getSheetsData();
    while (sheets.hasNext()) {
      try (InputStream sheet = sheets.next()) {
        if (!sheets.getSheetName().equals(chosen)) {
          continue;
        }
        SheetCollector collector = new SheetCollector();
        XSSFSheetXMLHandler handler =
            new XSSFSheetXMLHandler(styles, strings, collector, new PlainNumberFormatter(date1904), false);
        XMLReader parser = newXmlReader();
        parser.setContentHandler(new MergeCellInterceptor(handler, collector.merges));
        parser.parse(new InputSource(sheet));
        collector.applyMerges();
        return collector.grid.assemble(sourceName, CatalogFile.Format.XLSX, "UTF-8", chosen);
      }
    }
    return failed(sourceName, CatalogFile.Format.XLSX, "Excel 文件中没有工作表", "the workbook has no sheet");
  }

  private static String chooseSheet(XSSFReader xssf) throws IOException, InvalidFormatException {
    XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) xssf.getSheetsData();
    String first = null;
    while (sheets.hasNext()) {
      try (InputStream ignored = sheets.next()) {
        String name = sheets.getSheetName();
        if (first == null) {
          first = name;
        }
        if (PREFERRED_SHEET.equals(Normalizer.normalize(name, Normalizer.Form.NFKC).strip())) {
          return name;
        }
      }
    }
    return first;
  }

  /** Old Mac workbooks count dates from 1904; POI's sheet handler does not pass that flag on. */
  private static boolean uses1904DateSystem(XSSFReader xssf) throws IOException, InvalidFormatException,
      SAXException {
    boolean[] date1904 = {false};
    XMLReader parser = newXmlReader();
    parser.setContentHandler(new org.xml.sax.helpers.DefaultHandler() {
      @Override
      public void startElement(String uri, String localName, String qName, Attributes atts) {
        if ("workbookPr".equals(localName)) {
          String value = atts.getValue("date1904");
          date1904[0] = "1".equals(value) || "true".equalsIgnoreCase(value);
        }
      }
    });
    try (InputStream workbook = xssf.getWorkbookData()) {
      parser.parse(new InputSource(workbook));
    }
    return date1904[0];
  }

  /**
   * Formats numeric cells for a catalog, where every column is text: a code typed into Excel as a
   * number must come back digit for digit (Excel's General format would give {@code 8.69012E+13}),
   * so non-date numbers are written in plain notation; dates become ISO {@code yyyy-MM-dd}.
   */
  static final class PlainNumberFormatter extends DataFormatter {

    private final boolean date1904;

    PlainNumberFormatter(boolean date1904) {
      super(Locale.ROOT);
      this.date1904 = date1904;
    }

    @Override
    public String formatRawCellContents(double value, int formatIndex, String formatString) {
      return formatRawCellContents(value, formatIndex, formatString, date1904);
    }

    @Override
    public String formatRawCellContents(double value, int formatIndex, String formatString,
        boolean use1904Windowing) {
      if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
        LocalDateTime dateTime = DateUtil.getLocalDateTime(value, use1904Windowing);
        return dateTime.toLocalDate().toString();
      }
      return plain(value);
    }

    static String plain(double value) {
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        return Double.toString(value);
      }
      String text = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
      return text.equals("-0") ? "0" : text;
    }
  }

  /** Receives the cells of the chosen sheet from POI's SAX handler. */
  private static final class SheetCollector implements XSSFSheetXMLHandler.SheetContentsHandler {

    final Grid grid = new Grid();
    final List<CellRangeAddress> merges = new ArrayList<>();
    private final Map<Integer, String> cells = new HashMap<>();
    private int maxColumn = -1;
    private int nextColumn;
    private int rowIndex;

    @Override
    public void startRow(int rowNum) {
      rowIndex = rowNum;
      cells.clear();
      maxColumn = -1;
      nextColumn = 0;
    }

    @Override
    public void endRow(int rowNum) {
      String[] values = new String[maxColumn + 1];
      cells.forEach((column, value) -> values[column] = value);
      for (int i = 0; i < values.length; i++) {
        values[i] = values[i] == null ? "" : values[i];
      }
      grid.add(rowIndex + 1, values);
    }

    @Override
    public void cell(String cellReference, String formattedValue,
        org.apache.poi.xssf.usermodel.XSSFComment comment) {
      // Some generators omit the r attribute: cells then follow one another from column A.
      int column = cellReference == null ? nextColumn : new CellReference(cellReference).getCol();
      nextColumn = column + 1;
      String value = clean(formattedValue);
      if (!value.isEmpty()) {
        cells.put(column, value);
        maxColumn = Math.max(maxColumn, column);
      }
    }

    void applyMerges() {
      for (CellRangeAddress range : merges) {
        String value = grid.cell(range.getFirstRow() + 1, range.getFirstColumn());
        if (value.isEmpty()) {
          continue;
        }
        for (int row = range.getFirstRow(); row <= range.getLastRow(); row++) {
          for (int column = range.getFirstColumn(); column <= range.getLastColumn(); column++) {
            grid.fillIfEmpty(row + 1, column, value);
          }
        }
      }
    }
  }

  /**
   * Passes every SAX event to POI's sheet handler and additionally collects the
   * {@code <mergeCell ref="A2:A9"/>} elements, which POI's handler ignores.
   */
  private record MergeCellInterceptor(ContentHandler delegate, List<CellRangeAddress> merges)
      implements ContentHandler {

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts)
        throws SAXException {
      if ("mergeCell".equals(localName) && atts.getValue("ref") != null) {
        try {
          merges.add(CellRangeAddress.valueOf(atts.getValue("ref")));
        } catch (IllegalArgumentException ignored) {
          // A malformed merge reference only loses the fill-down convenience.
        }
      }
      delegate.startElement(uri, localName, qName, atts);
    }

    @Override
    public void setDocumentLocator(Locator locator) {
      delegate.setDocumentLocator(locator);
    }

    @Override
    public void startDocument() throws SAXException {
      delegate.startDocument();
    }

    @Override
    public void endDocument() throws SAXException {
      delegate.endDocument();
    }

    @Override
    public void startPrefixMapping(String prefix, String uri) throws SAXException {
      delegate.startPrefixMapping(prefix, uri);
    }

    @Override
    public void endPrefixMapping(String prefix) throws SAXException {
      delegate.endPrefixMapping(prefix);
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
      delegate.endElement(uri, localName, qName);
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
      delegate.characters(ch, start, length);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
      delegate.ignorableWhitespace(ch, start, length);
    }

    @Override
    public void processingInstruction(String target, String data) throws SAXException {
      delegate.processingInstruction(target, data);
    }

    @Override
    public void skippedEntity(String name) throws SAXException {
      delegate.skippedEntity(name);
    }
  }

  // ---- CSV ---------------------------------------------------------------------------------

  record Decoded(String text, Charset charset) {}

  /** BOM first; then strict UTF-8; anything else is GB18030 (a superset of GBK and GB2312). */
  static Decoded decode(byte[] bytes) {
    if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
      return new Decoded(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
    if (startsWith(bytes, 0xFF, 0xFE)) {
      return new Decoded(new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE), StandardCharsets.UTF_16LE);
    }
    if (startsWith(bytes, 0xFE, 0xFF)) {
      return new Decoded(new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16BE), StandardCharsets.UTF_16BE);
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return new Decoded(text, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      return new Decoded(new String(bytes, GB18030), GB18030);
    }
  }

  /** The delimiter occurring most often on any of the first lines (title rows have few). */
  static char sniffDelimiter(String text) {
    char best = ',';
    int bestCount = 0;
    String[] lines = text.split("\r\n|\n|\r", HEADER_SEARCH_ROWS + 1);
    for (char candidate : new char[] {',', '\t', ';'}) {
      for (int i = 0; i < Math.min(lines.length, HEADER_SEARCH_ROWS); i++) {
        int count = 0;
        for (int j = 0; j < lines[i].length(); j++) {
          if (lines[i].charAt(j) == candidate) {
            count++;
          }
        }
        if (count > bestCount) {
          best = candidate;
          bestCount = count;
        }
      }
    }
    return best;
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  // ---- shared ------------------------------------------------------------------------------

  /** Trims Unicode spaces, including the no-break and ideographic spaces Excel users paste in. */
  static String clean(String value) {
    if (value == null) {
      return "";
    }
    int start = 0;
    int end = value.length();
    while (start < end && isBlankChar(value.charAt(start))) {
      start++;
    }
    while (end > start && isBlankChar(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(start, end);
  }

  private static boolean isBlankChar(char ch) {
    return Character.isWhitespace(ch) || Character.isSpaceChar(ch) || ch == '\uFEFF' || ch == '\u200B';
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return Optional.ofNullable(root.getMessage()).orElse(root.getClass().getSimpleName());
  }

  private static CatalogFile failed(String sourceName, CatalogFile.Format format, String chinese, String english) {
    return new CatalogFile(sourceName, format, "", "", 0, List.of(), List.of(), List.of(),
        List.of(new CatalogProblem(CatalogProblem.FILE, "", "", chinese, english)));
  }

  /** Raw rows of cell texts, turned into {@link CatalogRow}s once the header is known. */
  private static final class Grid {

    private final List<Integer> numbers = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();
    private final Map<Integer, Integer> indexByNumber = new HashMap<>();

    void add(int rowNumber, String[] cells) {
      indexByNumber.put(rowNumber, rows.size());
      numbers.add(rowNumber);
      rows.add(cells);
    }

    String cell(int rowNumber, int column) {
      Integer index = indexByNumber.get(rowNumber);
      if (index == null) {
        return "";
      }
      String[] cells = rows.get(index);
      return column < cells.length ? cells[column] : "";
    }

    void fillIfEmpty(int rowNumber, int column, String value) {
      Integer index = indexByNumber.get(rowNumber);
      if (index == null) {
        // A merged block may cover rows that hold no cell at all: materialise them in order.
        insertRow(rowNumber);
        index = indexByNumber.get(rowNumber);
      }
      String[] cells = rows.get(index);
      if (column >= cells.length) {
        cells = Arrays.copyOf(cells, column + 1);
        for (int i = 0; i < cells.length; i++) {
          cells[i] = cells[i] == null ? "" : cells[i];
        }
        rows.set(index, cells);
      }
      if (cells[column].isEmpty()) {
        cells[column] = value;
      }
    }

    private void insertRow(int rowNumber) {
      int position = 0;
      while (position < numbers.size() && numbers.get(position) < rowNumber) {
        position++;
      }
      numbers.add(position, rowNumber);
      rows.add(position, new String[0]);
      indexByNumber.clear();
      for (int i = 0; i < numbers.size(); i++) {
        indexByNumber.put(numbers.get(i), i);
      }
    }

    CatalogFile assemble(String sourceName, CatalogFile.Format format, String encoding, String sheet) {
      List<CatalogProblem> problems = new ArrayList<>();
      int headerIndex = findHeader();
      if (headerIndex < 0) {
        problems.add(new CatalogProblem(CatalogProblem.FILE, "", "",
            "未找到表头行：前" + HEADER_SEARCH_ROWS + "行中没有包含“通用名、剂型、规格”等列名的行，请使用导入模板",
            "no header row: none of the first " + HEADER_SEARCH_ROWS
                + " non-blank rows names at least " + MIN_HEADER_MATCHES + " catalog columns"));
        return new CatalogFile(sourceName, format, encoding, sheet, 0, List.of(), List.of(), List.of(), problems);
      }
      int headerRow = numbers.get(headerIndex);
      String[] header = rows.get(headerIndex);
      CatalogColumn[] columnAt = new CatalogColumn[header.length];
      Map<CatalogColumn, Integer> firstIndex = new EnumMap<>(CatalogColumn.class);
      List<CatalogColumn> columns = new ArrayList<>();
      List<String> ignored = new ArrayList<>();
      for (int i = 0; i < header.length; i++) {
        if (header[i].isEmpty()) {
          continue;
        }
        Optional<CatalogColumn> column = CatalogColumn.forHeader(header[i]);
        if (column.isEmpty()) {
          ignored.add(header[i]);
          continue;
        }
        Integer previous = firstIndex.putIfAbsent(column.get(), i);
        if (previous != null) {
          problems.add(CatalogProblem.of(headerRow, column.get(), header[i],
              "列重复：第" + columnLetter(previous) + "列“" + header[previous] + "”与第" + columnLetter(i)
                  + "列“" + header[i] + "”都表示“" + column.get().header() + "”，请删除其中一列",
              "duplicate column: " + columnLetter(previous) + " and " + columnLetter(i) + " both map to "
                  + column.get()));
          continue;
        }
        columnAt[i] = column.get();
        columns.add(column.get());
      }
      for (CatalogColumn mandatory : CatalogColumn.mandatoryHeaders()) {
        if (!firstIndex.containsKey(mandatory)) {
          String hint = mandatory.use() == CatalogColumn.Use.REQUIRED_VALUE ? "该列每行必填" : "该列可留空，但不能删除";
          problems.add(CatalogProblem.of(headerRow, mandatory, "",
              "缺少必备列“" + mandatory.header() + "”（" + hint + "；可用列名：" + String.join("、", mandatory.names()) + "）",
              "missing column " + mandatory.header() + " (" + mandatory + ")"));
        }
      }
      List<CatalogRow> data = new ArrayList<>();
      for (int r = headerIndex + 1; r < rows.size(); r++) {
        String[] cells = rows.get(r);
        Map<CatalogColumn, String> values = new EnumMap<>(CatalogColumn.class);
        for (int i = 0; i < Math.min(cells.length, columnAt.length); i++) {
          if (columnAt[i] != null && !cells[i].isEmpty()) {
            values.put(columnAt[i], cells[i]);
          }
        }
        boolean blank = values.isEmpty() || (values.size() == 1 && values.containsKey(CatalogColumn.SEQUENCE));
        if (blank) {
          continue;
        }
        int rowNumber = numbers.get(r);
        values.replaceAll((column, value) -> {
          // POI marks error cells "ERROR:#N/A"; a CSV saved by Excel carries the bare "#N/A".
          String error = value.startsWith("ERROR:") ? value.substring(6) : value;
          if (!EXCEL_ERRORS.contains(error)) {
            return value;
          }
          problems.add(CatalogProblem.of(rowNumber, column, error,
              "单元格公式计算错误（" + error + "），请改为实际值", "formula error " + error + " in cell"));
          return error;
        });
        data.add(new CatalogRow(rowNumber, values));
      }
      return new CatalogFile(sourceName, format, encoding, sheet, headerRow, columns, ignored, data, problems);
    }

    private int findHeader() {
      int nonBlankSeen = 0;
      for (int r = 0; r < rows.size() && nonBlankSeen < HEADER_SEARCH_ROWS; r++) {
        String[] cells = rows.get(r);
        int matches = 0;
        boolean blank = true;
        for (String cell : cells) {
          if (!cell.isEmpty()) {
            blank = false;
            if (CatalogColumn.forHeader(cell).isPresent()) {
              matches++;
            }
          }
        }
        if (blank) {
          continue;
        }
        nonBlankSeen++;
        if (matches >= MIN_HEADER_MATCHES) {
          return r;
        }
      }
      return -1;
    }

    private static String columnLetter(int index) {
      return CellReference.convertNumToColString(index);
    }
  }

  /** POI's hardened SAX reader (external entities off, entity expansion limited). */
  private static XMLReader newXmlReader() throws SAXException {
    try {
      return XMLHelper.newXMLReader();
    } catch (javax.xml.parsers.ParserConfigurationException e) {
      throw new SAXException(e);
    }
  }
}
