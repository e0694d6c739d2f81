package org.lianyao.feed;

import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lianyao.feed.hl7.Hl7MessageHandler;
import org.lianyao.feed.spi.MessageDirection;
import org.lianyao.feed.spi.MessageStatus;
import org.lianyao.feed.spi.NewMessage;
import org.lianyao.feed.spi.StoredMessage;
import org.lianyao.security.Caller;
import org.lianyao.security.CallerContext;
import org.lianyao.terminology.id.NhsaInstitutionCodeValidator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin API of the message store and the feeds, for the platform administrator only (role
 * {@code admin}, authority {@code ROLE_ADMIN}; Spring Security already requires a bearer token for
 * everything under {@code /api}).
 *
 * <ul>
 *   <li>{@code GET /api/messages?channel=&status=&direction=&controlId=&messageType=&from=&to=&page=&size=}</li>
 *   <li>{@code GET /api/messages/{id}}: one message with its raw text decoded with its charset</li>
 *   <li>{@code POST /api/messages/{id}/replay}: inbound: run a FAILED message again with the current
 *       channel configuration and mappings; outbound: put a refused message back in its queue</li>
 *   <li>{@code GET|PUT|DELETE /api/feeds/facility-aliases[/{alias}]}: MSH-4 aliases of senders</li>
 *   <li>{@code POST /api/messages/purge}: apply the retention setting now</li>
 * </ul>
 */
@RestController
@RequestMapping("/api")
@PreAuthorize("hasRole('ADMIN')")
public class MessageAdminController {

  private static final int MAX_PAGE_SIZE = 500;

  private final MessageQueries queries;
  private final JdbcMessageStore store;
  private final Hl7MessageHandler hl7;
  private final ObjectProvider<IntermediateFeedService> intermediate;
  private final FacilityAliasStore aliases;
  private final ConfiguredHl7ChannelResolver channels;
  private final FhirDrugCodeMaps drugMaps;
  private final MessageRetention retention;

  public MessageAdminController(MessageQueries queries, JdbcMessageStore store, Hl7MessageHandler hl7,
      ObjectProvider<IntermediateFeedService> intermediate, FacilityAliasStore aliases,
      ConfiguredHl7ChannelResolver channels, FhirDrugCodeMaps drugMaps, MessageRetention retention) {
    this.queries = queries;
    this.store = store;
    this.hl7 = hl7;
    this.intermediate = intermediate;
    this.aliases = aliases;
    this.channels = channels;
    this.drugMaps = drugMaps;
    this.retention = retention;
  }

  @GetMapping("/messages")
  public ResponseEntity<?> search(
      @RequestParam(required = false) String channel,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String direction,
      @RequestParam(required = false) String controlId,
      @RequestParam(required = false) String messageType,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    MessageStatus s;
    MessageDirection d;
    try {
      s = blank(status) ? null : MessageStatus.parse(status);
      d = blank(direction) ? null : MessageDirection.valueOf(direction.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return problem(HttpStatus.BAD_REQUEST, "查询参数无效：status 可为 RECEIVED/PROCESSED/FAILED/REPLAYED/PENDING/SENT，"
          + "direction 可为 IN/OUT", "invalid status or direction");
    }
    if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
      return problem(HttpStatus.BAD_REQUEST, "分页参数无效：page ≥ 0，1 ≤ size ≤ " + MAX_PAGE_SIZE, "invalid paging");
    }
    return ResponseEntity.ok(queries.search(new MessageQueries.Criteria(trim(channel), s, d, trim(controlId),
        trim(messageType), from, to), page, size));
  }

  @GetMapping("/messages/{id}")
  public ResponseEntity<?> read(@PathVariable long id) {
    return store.find(id).<ResponseEntity<?>>map(m -> ResponseEntity.ok(detail(m)))
        .orElseGet(() -> notFound(id));
  }

  @PostMapping("/messages/{id}/replay")
  public ResponseEntity<?> replay(@PathVariable long id) {
    StoredMessage message = store.find(id).orElse(null);
    if (message == null) {
      return notFound(id);
    }
    if (message.direction() == MessageDirection.OUT) {
      if (!store.requeueOutbound(id)) {
        return problem(HttpStatus.CONFLICT, "只有发送失败（FAILED）的出站消息可以重发，当前状态：" + message.status().chinese(),
            "only FAILED outbound messages can be re-sent; status is " + message.status());
      }
      return ResponseEntity.ok(outcome(store.find(id).orElseThrow(), "已重新排入发送队列"));
    }
    if (message.status().isDone()) {
      // Re-applying a processed message could undo later changes of the same prescription.
      return problem(HttpStatus.CONFLICT, "消息已处理（" + message.status().chinese() + "），不能重放；只能重放失败或未处理完的消息",
          "message " + id + " is " + message.status() + "; only FAILED or RECEIVED messages can be replayed");
    }
    // The current configuration and mappings, also when another node changed them.
    channels.invalidate();
    drugMaps.invalidate();
    if (NewMessage.HL7V2.equals(message.protocol())) {
      hl7.replay(id);
    } else if (NewMessage.SQL.equals(message.protocol()) && intermediate.getIfAvailable() != null) {
      intermediate.getIfAvailable().replay(id, message.channel());
    } else {
      return problem(HttpStatus.CONFLICT, "此类消息（" + message.protocol() + "）不支持重放",
          "messages of protocol " + message.protocol() + " cannot be replayed");
    }
    StoredMessage after = store.find(id).orElseThrow();
    return ResponseEntity.ok(outcome(after, after.status() == MessageStatus.FAILED ? "重放失败" : "重放成功"));
  }

  @PostMapping("/messages/purge")
  public Map<String, Object> purge() {
    return Map.of("deleted", retention.purge());
  }

  @GetMapping("/feeds/facility-aliases")
  public List<FacilityAliasStore.Alias> aliases() {
    return aliases.list();
  }

  /** Body: {@code {"institution": "H50011200001"}}. */
  @PutMapping("/feeds/facility-aliases/{alias}")
  public ResponseEntity<?> putAlias(@PathVariable String alias, @RequestBody Map<String, String> body) {
    String institution = body == null ? null : trim(body.get("institution"));
    if (institution == null || !NhsaInstitutionCodeValidator.isValid(institution.toUpperCase(Locale.ROOT))) {
      return problem(HttpStatus.BAD_REQUEST, "institution 必须是医保定点医疗机构编码（如 H50011200001）",
          "institution must be an NHSA institution code");
    }
    if (alias.isBlank() || alias.length() > 64) {
      return problem(HttpStatus.BAD_REQUEST, "别名长度须为 1–64 个字符", "alias must have 1-64 characters");
    }
    aliases.put(alias.strip(), institution.toUpperCase(Locale.ROOT),
        CallerContext.current().map(Caller::clientId).orElse(null));
    channels.invalidate();
    return ResponseEntity.ok(Map.of("alias", alias.strip(), "institution", institution.toUpperCase(Locale.ROOT)));
  }

  @DeleteMapping("/feeds/facility-aliases/{alias}")
  public ResponseEntity<?> deleteAlias(@PathVariable String alias) {
    boolean deleted = aliases.delete(alias);
    channels.invalidate();
    return deleted ? ResponseEntity.noContent().build()
        : problem(HttpStatus.NOT_FOUND, "没有别名“" + alias + "”", "no alias " + alias);
  }

  private static Map<String, Object> detail(StoredMessage m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", m.id());
    out.put("direction", m.direction().name());
    out.put("channel", m.channel());
    out.put("protocol", m.protocol());
    out.put("messageType", m.messageType());
    out.put("controlId", m.controlId());
    out.put("charset", m.charset());
    out.put("status", m.status().name());
    out.put("statusText", m.status().chinese());
    out.put("ackCode", m.ackCode());
    out.put("errorCode", m.errorCode());
    out.put("error", m.error());
    out.put("warnings", m.warnings());
    out.put("resultIds", m.resultIds());
    out.put("attempts", m.attempts());
    out.put("remoteAddress", m.remoteAddress());
    out.put("receivedAt", m.receivedAt());
    out.put("processedAt", m.processedAt());
    out.put("updatedAt", m.updatedAt());
    out.put("nextAttemptAt", m.nextAttemptAt());
    // HL7 segments end in CR; shown one per line.
    out.put("text", m.text().replace("\r\n", "\n").replace('\r', '\n'));
    out.put("rawBase64", Base64.getEncoder().encodeToString(m.raw()));
    return out;
  }

  private static Map<String, Object> outcome(StoredMessage m, String message) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", m.id());
    out.put("status", m.status().name());
    out.put("statusText", m.status().chinese());
    out.put("message", message);
    out.put("ackCode", m.ackCode());
    out.put("errorCode", m.errorCode());
    out.put("error", m.error());
    out.put("resultIds", m.resultIds());
    out.put("attempts", m.attempts());
    return out;
  }

  private static ResponseEntity<?> notFound(long id) {
    return problem(HttpStatus.NOT_FOUND, "没有编号为 " + id + " 的消息", "no message " + id);
  }

  private static ResponseEntity<Map<String, Object>> problem(HttpStatus status, String chinese, String english) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status.value());
    body.put("error", chinese);
    body.put("diagnostics", english);
    return ResponseEntity.status(status).body(body);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String trim(String s) {
    return blank(s) ? null : s.strip();
  }
}
