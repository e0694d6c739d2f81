package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;

/**
 * Builds HAPI {@link Location}s (ERR-2: segment id, segment sequence, field, repetition,
 * component) for segments of a parsed message. The segment sequence is the occurrence of that
 * segment id in the whole message (the second ORC is {@code ORC} sequence 2), as ERL-2 defines it;
 * it is computed only when an error or warning needs it, so the happy path pays nothing.
 */
final class Locations {

  private Locations() {}

  /** The segment as a whole (e.g. a missing PID). */
  static Location segment(String segmentName, int sequence) {
    return new Location().withSegmentName(segmentName).withSegmentRepetition(sequence);
  }

  static Location segment(Segment segment) {
    return segment(segment.getName(), occurrence(segment));
  }

  /** A field of a segment; {@code repetition} is 1-based, 0 when the field does not repeat. */
  static Location field(Segment segment, int field, int repetition) {
    Location location = segment(segment).withField(field);
    return repetition > 0 ? location.withFieldRepetition(repetition) : location;
  }

  static Location field(Segment segment, int field) {
    return field(segment, field, 0);
  }

  static Location component(Segment segment, int field, int repetition, int component) {
    return field(segment, field, repetition).withComponent(component);
  }

  /** {@code PID-3}, {@code ORC[2]-1}, {@code PID-3(2).5}: for messages, as HL7 people write it. */
  static String describe(Location location) {
    if (location == null || location.getSegmentName() == null) {
      return "MSH";
    }
    StringBuilder out = new StringBuilder(location.getSegmentName());
    if (location.getSegmentRepetition() > 1) {
      out.append('[').append(location.getSegmentRepetition()).append(']');
    }
    if (location.getField() > 0) {
      out.append('-').append(location.getField());
      if (location.getFieldRepetition() > 1) {
        out.append('(').append(location.getFieldRepetition()).append(')');
      }
      if (location.getComponent() > 0) {
        out.append('.').append(location.getComponent());
      }
    }
    return out.toString();
  }

  /** 1-based occurrence of {@code segment} among the segments with its name, in message order. */
  static int occurrence(Segment segment) {
    Message message = segment.getMessage();
    int[] count = {0};
    try {
      if (message != null && find(message, segment, count)) {
        return count[0];
      }
    } catch (HL7Exception e) {
      // The structure was just parsed; a failure to walk it only costs the sequence number.
    }
    return 1;
  }

  private static boolean find(Group group, Segment target, int[] count) throws HL7Exception {
    for (String name : group.getNames()) {
      for (Structure structure : group.getAll(name)) {
        if (structure instanceof Group child) {
          if (find(child, target, count)) {
            return true;
          }
        } else if (structure instanceof Segment segment && segment.getName().equals(target.getName())
            && (segment == target || !segment.isEmpty())) {
          count[0]++;
          if (segment == target) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
