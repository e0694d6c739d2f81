package org.lianyao.formulary.report;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.lianyao.formulary.FormularyEntry;
import org.lianyao.formulary.FormularyVersion;
import org.lianyao.formulary.Institution;
import org.lianyao.formulary.Product;

/**
 * 一品两规: per generic name an institution stocks at most two oral and two injectable
 * product-specs (处方管理办法 art. 16); drugs for hypertension, diabetes and COPD are exempt inside a
 * close consortium (国卫药政发〔2024〕38号). Checked on a member formulary's active items.
 *
 * <p>Generic name = {@code Medication.code.text} (通用名 as the catalog writes it, compared after
 * NFKC and without whitespace); oral and injectable are decided by the national dosage-form code
 * (configurable lists). An item is exempt when it, or the consortium item it matches, says
 * {@code two-spec-exempt = true}, or one of its chronic-disease groups is exempt; a generic name is
 * exempt when all its items are. Pure.
 */
public final class TwoSpecCheck {

  /** The dosage-form class 一品两规 counts in. */
  public enum RouteClass {
    ORAL("oral", "口服"),
    INJECTABLE("injectable", "注射");

    private final String code;
    private final String display;

    RouteClass(String code, String display) {
      this.code = code;
      this.display = display;
    }

    public String code() {
      return code;
    }

    public String display() {
      return display;
    }
  }

  /**
   * @param maxPerRoute most product-specs per generic name and route class (2)
   * @param oralForms national dosage-form codes counted as oral
   * @param injectableForms national dosage-form codes counted as injectable
   * @param exemptGroups chronic-disease groups whose drugs are exempt
   */
  public record Rules(int maxPerRoute, Set<String> oralForms, Set<String> injectableForms, Set<String> exemptGroups) {
    public Rules {
      oralForms = Set.copyOf(oralForms);
      injectableForms = Set.copyOf(injectableForms);
      exemptGroups = Set.copyOf(exemptGroups);
    }

    Optional<RouteClass> routeOf(Product product) {
      if (product == null || product.dosageFormCode() == null) {
        return Optional.empty();
      }
      if (oralForms.contains(product.dosageFormCode())) {
        return Optional.of(RouteClass.ORAL);
      }
      if (injectableForms.contains(product.dosageFormCode())) {
        return Optional.of(RouteClass.INJECTABLE);
      }
      return Optional.empty();
    }
  }

  /** The products of one generic name in one route class, beyond the limit. */
  public record Group(String genericName, RouteClass route, List<FormularyEntry> items, boolean exempt) {
    public int productCount() {
      return items.size();
    }
  }

  /** One member formulary's result: violations, and the groups over the limit that are exempt. */
  public record InstitutionResult(Institution institution, FormularyVersion formulary, List<Group> violations,
      List<Group> exempted) {}

  private TwoSpecCheck() {}

  /**
   * @param consortium the consortium version's items, for the exemption flag the committee set
   */
  public static InstitutionResult check(Institution institution, FormularyVersion formulary,
      Collection<FormularyEntry> memberItems, ProductMatcher consortium, Rules rules) {
    Map<String, List<FormularyEntry>> groups = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, RouteClass> routes = new LinkedHashMap<>();
    Set<String> seenProducts = new LinkedHashSet<>();
    List<FormularyEntry> sorted = memberItems.stream().filter(FormularyEntry::active)
        .sorted(Comparator.comparing(FormularyEntry::itemId)).toList();
    for (FormularyEntry item : sorted) {
      Product product = item.product();
      Optional<RouteClass> route = rules.routeOf(product);
      if (route.isEmpty() || product.genericName().isEmpty()) {
        continue;
      }
      // One product listed twice in a formulary is still one product-spec.
      if (!seenProducts.add(product.medicationId())) {
        continue;
      }
      String key = normalize(product.genericName()) + "\u0000" + route.get();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(item);
      names.putIfAbsent(key, product.genericName());
      routes.putIfAbsent(key, route.get());
    }
    List<Group> violations = new ArrayList<>();
    List<Group> exempted = new ArrayList<>();
    for (Map.Entry<String, List<FormularyEntry>> e : groups.entrySet()) {
      if (e.getValue().size() <= rules.maxPerRoute()) {
        continue;
      }
      boolean exempt = e.getValue().stream().allMatch(i -> exempt(i, consortium, rules));
      Group group = new Group(names.get(e.getKey()), routes.get(e.getKey()), List.copyOf(e.getValue()), exempt);
      (exempt ? exempted : violations).add(group);
    }
    return new InstitutionResult(institution, formulary, violations, exempted);
  }

  static boolean exempt(FormularyEntry item, ProductMatcher consortium, Rules rules) {
    if (exemptByItself(item, rules)) {
      return true;
    }
    return consortium != null && consortium.match(item).map(c -> exemptByItself(c, rules)).orElse(false);
  }

  private static boolean exemptByItself(FormularyEntry item, Rules rules) {
    if (item.twoSpecExempt() != null) {
      return item.twoSpecExempt();
    }
    return item.chronicDiseaseGroups().stream().anyMatch(rules.exemptGroups()::contains);
  }

  static String normalize(String genericName) {
    return Normalizer.normalize(Objects.requireNonNullElse(genericName, ""), Normalizer.Form.NFKC)
        .replaceAll("\\s+", "");
  }
}
