import { assertEquals } from "@std/assert";
import { redact } from "./redact.ts";

Deno.test("redact hides GitHub tokens, session tokens and authorization values", () => {
  assertEquals(redact("token ghu_abcDEF123"), "token [REDACTED]");
  assertEquals(
    redact("Authorization: Bearer tid=1;exp=2;sku=x:ab12"),
    "Authorization: Bearer [REDACTED]",
  );
  assertEquals(
    redact('{"access_token":"ghu_x1","refresh_token":"ghr_y2"}'),
    '{"access_token":"[REDACTED]","refresh_token":"[REDACTED]"}',
  );
  assertEquals(redact("tid=74069a;exp=170:99ff in text"), "[REDACTED] in text");
  assertEquals(redact("nothing secret here"), "nothing secret here");
  // A URL path ending in /token is not an authorization scheme.
  assertEquals(
    redact("GET https://api.github.com/copilot_internal/v2/token 200 41ms"),
    "GET https://api.github.com/copilot_internal/v2/token 200 41ms",
  );
  assertEquals(redact("ghs_installation123 and github_pat_11AB"), "[REDACTED] and [REDACTED]");
});

Deno.test("redact keeps the word token when no token value follows it", () => {
  assertEquals(redact("token expired"), "token expired");
  assertEquals(
    redact("the session token expired; Token is invalid"),
    "the session token expired; Token is invalid",
  );
  assertEquals(redact("Authorization: token abc123"), "Authorization: token [REDACTED]");
  assertEquals(redact("token s3cr3t.value"), "token [REDACTED]");
  assertEquals(redact(`token ${"a".repeat(40)}`), "token [REDACTED]");
  assertEquals(redact("Bearer opaque"), "Bearer [REDACTED]");
});
