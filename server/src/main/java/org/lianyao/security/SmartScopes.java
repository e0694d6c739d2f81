package org.lianyao.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code system/} scopes of a SMART Backend Services token (SMART App Launch 2.x), e.g.
 * {@code system/MedicationRequest.cruds system/*.rs}. SMART v1 suffixes ({@code read}, {@code write},
 * {@code *}) are understood too, because external authorization servers are often configured that
 * way. Scopes this gateway does not act on are ignored rather than widened: {@code patient/} and
 * {@code user/} contexts (no launch context in backend services) and granular scopes with a query
 * ({@code system/Observation.rs?category=…}), which would need search narrowing to honour.
 */
public final class SmartScopes {

  private static final Pattern SCOPE =
      Pattern.compile("system/([A-Za-z]+|\\*)\\.(c?r?u?d?s?|read|write|\\*)");

  private static final SmartScopes NONE = new SmartScopes(Map.of(), List.of());

  /** Resource type (or {@code *}) → interactions granted. */
  private final Map<String, Set<Interaction>> grants;
  private final List<String> scopes;

  private SmartScopes(Map<String, Set<Interaction>> grants, List<String> scopes) {
    this.grants = grants;
    this.scopes = scopes;
  }

  public static SmartScopes none() {
    return NONE;
  }

  /** Parses a space-separated scope string (the {@code scope} claim). */
  public static SmartScopes parse(String spaceSeparated) {
    if (spaceSeparated == null || spaceSeparated.isBlank()) {
      return NONE;
    }
    return parse(List.of(spaceSeparated.trim().split("\\s+")));
  }

  public static SmartScopes parse(Collection<String> scopeList) {
    Map<String, Set<Interaction>> grants = new LinkedHashMap<>();
    List<String> kept = new ArrayList<>();
    for (String scope : scopeList) {
      if (scope == null || scope.isBlank()) {
        continue;
      }
      Set<Interaction> granted = interactionsOf(scope.trim());
      if (granted == null) {
        continue;
      }
      kept.add(scope.trim());
      String type = scope.substring("system/".length(), scope.indexOf('.'));
      grants.computeIfAbsent(type, t -> EnumSet.noneOf(Interaction.class)).addAll(granted);
    }
    Map<String, Set<Interaction>> frozen = new LinkedHashMap<>();
    grants.forEach((k, v) -> frozen.put(k, Collections.unmodifiableSet(v)));
    return new SmartScopes(Collections.unmodifiableMap(frozen), List.copyOf(kept));
  }

  /** The interactions one scope grants, or null if it is not a (supported) system scope. */
  static Set<Interaction> interactionsOf(String scope) {
    Matcher m = SCOPE.matcher(scope);
    if (!m.matches()) {
      return null;
    }
    String suffix = m.group(2);
    return switch (suffix) {
      case "read" -> EnumSet.of(Interaction.READ, Interaction.SEARCH);
      case "write" -> EnumSet.of(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE);
      case "*" -> EnumSet.allOf(Interaction.class);
      case "" -> null;
      default -> {
        EnumSet<Interaction> set = EnumSet.noneOf(Interaction.class);
        for (char c : suffix.toCharArray()) {
          set.add(Interaction.fromLetter(c));
        }
        yield set;
      }
    };
  }

  public boolean allows(String resourceType, Interaction interaction) {
    Set<Interaction> typed = grants.get(resourceType);
    if (typed != null && typed.contains(interaction)) {
      return true;
    }
    Set<Interaction> wildcard = grants.get("*");
    return wildcard != null && wildcard.contains(interaction);
  }

  /**
   * True if this set grants at least everything {@code scope} asks for: a client registered with
   * {@code system/MedicationRequest.cruds} may ask for just {@code system/MedicationRequest.rs}.
   */
  public boolean implies(String scope) {
    Set<Interaction> wanted = interactionsOf(scope);
    if (wanted == null) {
      return false;
    }
    String type = scope.substring("system/".length(), scope.indexOf('.'));
    for (Interaction i : wanted) {
      boolean ok = "*".equals(type) ? grants.getOrDefault("*", Set.of()).contains(i) : allows(type, i);
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The scope a caller would need for one interaction, e.g. {@code system/MedicationRequest.c}. */
  public static String required(String resourceType, Interaction interaction) {
    return "system/" + resourceType + "." + interaction.letter();
  }

  public List<String> asList() {
    return scopes;
  }

  public boolean isEmpty() {
    return grants.isEmpty();
  }

  @Override
  public String toString() {
    return String.join(" ", scopes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SmartScopes other && grants.equals(other.grants);
  }

  @Override
  public int hashCode() {
    return grants.hashCode();
  }
}
