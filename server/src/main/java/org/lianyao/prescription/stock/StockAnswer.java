package org.lianyao.prescription.stock;

import java.util.List;
import org.lianyao.prescription.rules.StockStatus;

/**
 * Whether an institution stocks a drug.
 *
 * @param status the answer
 * @param products for {@link StockStatus#STOCKED}: the listed product; for
 *     {@link StockStatus#GENERIC_AVAILABLE}: the same-generic products that may substitute
 * @param formularyIds the member formularies consulted (InsurancePlan ids)
 */
public record StockAnswer(StockStatus status, List<Product> products, List<String> formularyIds) {

  /** A listed product (Medication). */
  public record Product(String medicationId, String label, String genericName) {
    public String reference() {
      return "Medication/" + medicationId;
    }
  }

  public StockAnswer {
    products = List.copyOf(products);
    formularyIds = List.copyOf(formularyIds);
  }
}
