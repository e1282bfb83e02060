/** Unit tests of the quota headers and the copilot_internal/user report (quota.ts). */

import { assertEquals } from "@std/assert";
import {
  describeQuota,
  exhaustedQuota,
  parseQuotaHeader,
  quotaHeaders,
  usageReport,
} from "./quota.ts";

Deno.test("a quota header: percent left times the entitlement; -1 is unlimited", () => {
  assertEquals(parseQuotaHeader("chat", "ent=50&ov=0&ovPerm=true&rem=10&rst=2026-01-01"), {
    id: "chat",
    entitlement: 50,
    used: 45,
    remaining: 5,
    percentRemaining: 10,
    unlimited: false,
    overagePermitted: true,
    resetDate: "2026-01-01",
  });
  assertEquals(parseQuotaHeader("chat", "ent=-1&rem=100")?.unlimited, true);
  assertEquals(parseQuotaHeader("chat", "garbage"), undefined);
  const headers = new Headers({ "x-quota-snapshot-completions": "ent=10&rem=0", "x-other": "1" });
  assertEquals(quotaHeaders(headers).map((q) => [q.id, q.remaining]), [["completions", 0]]);
  assertEquals(exhaustedQuota(quotaHeaders(headers), "chat")?.id, "completions");
});

Deno.test("copilot_internal/user: plan, quotas, reset date; missing and odd fields tolerated", () => {
  const report = usageReport({
    copilot_plan: "individual",
    access_type_sku: "yearly_subscriber",
    quota_reset_date: "2099-01-01",
    quota_snapshots: {
      chat: { quota_id: "chat", entitlement: 0, remaining: 0, unlimited: true },
      premium_interactions: { entitlement: 300, remaining: -1, percent_remaining: -0.33 },
      broken: "x",
    },
  });
  assertEquals([report.plan, report.sku, report.resetDate], [
    "individual",
    "yearly_subscriber",
    "2099-01-01",
  ]);
  assertEquals(report.quotas.map(describeQuota), [
    "chat: unlimited",
    "premium requests: 301 of 300 used, -1 left",
  ]);
  assertEquals(usageReport(null), {
    plan: undefined,
    sku: undefined,
    resetDate: undefined,
    quotas: [],
  });
  const free = usageReport({
    limited_user_quotas: { chat: 10, completions: 0 },
    monthly_quotas: { chat: 50, completions: 2000 },
    limited_user_reset_date: "2026-01-01",
  });
  assertEquals(free.quotas.map(describeQuota), [
    "chat: 40 of 50 used, 10 left",
    "completions: 2000 of 2000 used, 0 left",
  ]);
});
