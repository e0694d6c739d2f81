package org.lianyao.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What kind of system a client is, carried in the access token's {@code role} claim. The role is
 * the ceiling of what a client may ever do; its SMART scopes narrow that further.
 */
public enum Role {
  /** A member institution's HIS (医院信息系统): prescribes, dispenses, registers shortages. */
  HIS("his", "医院信息系统"),
  /** A pharmacy system or reviewing pharmacist's workstation (药师): dispenses, registers shortages. */
  PHARMACIST("pharmacist", "药师/药房系统"),
  /** The pharmacy and therapeutics committee (药事管理与药物治疗学委员会): formulary and catalog. */
  COMMITTEE("committee", "药事委员会"),
  /** Reads the audit trail (审计). */
  AUDITOR("auditor", "审计员"),
  /** Platform administration: institutions, terminology, profiles, bulk operations. */
  ADMIN("admin", "平台管理员"),
  /** The drug traceability platform (药品追溯平台): reads dispenses and their traceability codes. */
  TRACE_PLATFORM("trace-platform", "药品追溯平台");

  private final String claimValue;
  private final String chineseName;

  Role(String claimValue, String chineseName) {
    this.claimValue = claimValue;
    this.chineseName = chineseName;
  }

  /** The value in the token's role claim, e.g. {@code trace-platform}. */
  public String claimValue() {
    return claimValue;
  }

  public String chineseName() {
    return chineseName;
  }

  /** Roles whose clients act for one institution and must name it in the token. */
  public boolean actsForInstitution() {
    return this == HIS || this == PHARMACIST;
  }

  public static Optional<Role> fromClaim(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (Role r : values()) {
      if (r.claimValue.equals(v)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
