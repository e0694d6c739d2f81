package org.lianyao.prescription.rules;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * The days a prescription's drug lasts: from its start (the first dispense, else the day it was
 * written) for its days supply ({@code dispenseRequest.expectedSupplyDuration}).
 *
 * @param start first day of use
 * @param days days supply, ≥ 0
 */
public record SupplyPeriod(LocalDate start, int days) {

  public SupplyPeriod {
    if (start == null) {
      throw new IllegalArgumentException("start is required");
    }
    if (days < 0) {
      throw new IllegalArgumentException("days supply must not be negative: " + days);
    }
  }

  /** The first day without drug: {@code start + days}. */
  public LocalDate end() {
    return start.plusDays(days);
  }

  /**
   * Days of drug the patient still has on {@code today}, counting today: a 28-day supply started on
   * the 1st has 6 days left on the 23rd. 0 once used up; the full supply before it starts.
   */
  public int daysRemaining(LocalDate today) {
    long elapsed = ChronoUnit.DAYS.between(start, today);
    if (elapsed < 0) {
      return days;
    }
    return (int) Math.max(0, days - elapsed);
  }

  /** True while {@code today} is before {@code end() + graceDays}. */
  public boolean withinWindow(LocalDate today, int graceDays) {
    return today.isBefore(end().plusDays(graceDays)) || today.isEqual(end().plusDays(graceDays));
  }
}
