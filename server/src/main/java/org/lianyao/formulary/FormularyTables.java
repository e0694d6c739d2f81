package org.lianyao.formulary;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.lianyao.formulary.report.FormularyDiff;
import org.lianyao.formulary.report.FormularyStatistics;
import org.lianyao.formulary.report.Labels;
import org.lianyao.formulary.report.LinkageCoverage;
import org.lianyao.formulary.report.Table;
import org.lianyao.formulary.report.TwoSpecCheck;

/** The formulary reports as tables for officials (CSV / XLSX), with Chinese column headers. */
public final class FormularyTables {

  private FormularyTables() {}

  public static Table coverage(LinkageCoverage.Result r) {
    List<List<Object>> rows = new ArrayList<>();
    for (LinkageCoverage.InstitutionResult i : r.institutions()) {
      rows.add(row(i.institution().nhsaCode(), i.institution().name(), i.institution().levelDisplay(),
          i.institution().grassroots() == null ? "未知" : Labels.yesNo(i.institution().grassroots()),
          i.formulary() == null ? "（无成员单位目录）" : i.formulary().label(),
          i.linkageItems(), i.stocked(), i.rate(), i.threshold(),
          i.pass() == null ? "未评定" : i.pass() ? "达标" : "未达标", i.lowVariety() ? "是" : "否"));
    }
    return new Table("衔接药品配备率",
        List.of("机构编码", "机构名称", "机构级别", "是否基层", "成员单位目录", "衔接药品数", "已配备数", "配备率(%)",
            "达标线(%)", "是否达标", "品种偏少"),
        rows);
  }

  public static Table diff(FormularyDiff.Result r) {
    List<List<Object>> rows = new ArrayList<>();
    for (FormularyEntry e : r.introduced()) {
      rows.add(itemRow("引进", e, "", "", "", e));
    }
    for (FormularyEntry e : r.removed()) {
      rows.add(itemRow("调出", e, "", "", "", r.removalRecordOf(e).orElse(null)));
    }
    for (FormularyDiff.ItemChange c : r.changed()) {
      for (FormularyDiff.FieldChange f : c.changes()) {
        rows.add(itemRow("变更", c.to(), f.field().label(), f.from(), f.to(), c.to()));
      }
    }
    return new Table("目录变化", List.of("变化类型", "通用名", "剂型", "规格", "包装", "生产企业", "变更内容", "原值", "新值",
        "目录登记的调整类型", "生效日期", "调整原因"), rows);
  }

  private static List<Object> itemRow(String kind, FormularyEntry e, String field, String from, String to,
      FormularyEntry declared) {
    Product p = e.product();
    return row(kind, p == null ? e.label() : p.genericName(), p == null ? "" : p.dosageFormText(),
        p == null ? "" : p.strength(), p == null ? "" : p.packageText(), p == null ? "" : p.manufacturer(),
        field, from, to,
        declared == null || declared.changeType() == null ? "" : FormularyStatistics.changeDisplay(declared.changeType()),
        declared == null || declared.changeEffective() == null ? "" : declared.changeEffective().toString(),
        declared == null ? "" : declared.changeReason());
  }

  public static Table statistics(FormularyStatistics.Result r) {
    List<List<Object>> rows = new ArrayList<>();
    rows.add(row("品规总数", "目录品规", r.total(), "100.0"));
    for (FormularyStatistics.Count c : r.counts()) {
      rows.add(row(c.dimensionLabel(), c.display(), c.count(), c.percent()));
    }
    return new Table("目录统计", List.of("统计维度", "类别", "品规数", "占比(%)"), rows);
  }

  public static Table twoSpec(List<TwoSpecCheck.InstitutionResult> results, int max) {
    List<List<Object>> rows = new ArrayList<>();
    for (TwoSpecCheck.InstitutionResult r : results) {
      for (TwoSpecCheck.Group g : r.violations()) {
        rows.add(groupRow(r, g, max));
      }
      for (TwoSpecCheck.Group g : r.exempted()) {
        rows.add(groupRow(r, g, max));
      }
    }
    return new Table("一品两规检查", List.of("机构编码", "机构名称", "成员单位目录", "通用名", "剂型类别", "品规数", "上限",
        "是否豁免", "品规明细"), rows);
  }

  private static List<Object> groupRow(TwoSpecCheck.InstitutionResult r, TwoSpecCheck.Group g, int max) {
    return row(r.institution().nhsaCode(), r.institution().name(), r.formulary().label(), g.genericName(),
        g.route().display(), g.productCount(), max, g.exempt() ? "豁免" : "违规",
        g.items().stream().map(FormularyEntry::label).collect(Collectors.joining("；")));
  }

  public static Table whereStocked(List<FormularyReportService.Stocking> stockings) {
    List<List<Object>> rows = new ArrayList<>();
    for (FormularyReportService.Stocking s : stockings) {
      Product p = s.item().product();
      rows.add(row(p == null ? "" : p.genericName(), p == null ? "" : p.strength(), p == null ? "" : p.manufacturer(),
          s.institution().nhsaCode(), s.institution().name(), s.formulary().label()));
    }
    return new Table("药品配备机构", List.of("通用名", "规格", "生产企业", "机构编码", "机构名称", "成员单位目录"), rows);
  }

  private static List<Object> row(Object... cells) {
    List<Object> row = new ArrayList<>(cells.length);
    for (Object c : cells) {
      row.add(c);
    }
    return row;
  }
}
