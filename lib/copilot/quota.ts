/**
 * Plan and quotas: the `x-quota-snapshot-*` headers on Copilot's answers and
 * the `copilot_internal/user` answer, read into one shape
 * (docs/copilot-protocol.md §2.4 and §5.2). Pure: no I/O.
 *
 * @module
 */

/** One quota as this tool reports it. */
export interface Quota {
  /** `chat`, `completions`, `premium_interactions` (or whatever Copilot names it). */
  id: string;
  /** Allowance of the period; undefined when unlimited or unknown. */
  entitlement: number | undefined;
  /** Used so far in the period, when known. */
  used: number | undefined;
  /** Left in the period, when known (may be negative). */
  remaining: number | undefined;
  /** Percent left, when known. */
  percentRemaining: number | undefined;
  /** No limit. */
  unlimited: boolean;
  /** Whether use beyond the allowance is billed instead of refused, when known. */
  overagePermitted: boolean | undefined;
  /** When the quota resets (ISO date), when known. */
  resetDate: string | undefined;
}

/** Plan and quotas, as `copilot status --json` and `serve`'s `GET /usage` show them. */
export interface UsageReport {
  /** `copilot_plan` (e.g. `individual`, `business`), when known. */
  plan: string | undefined;
  /** `access_type_sku`, when known. */
  sku: string | undefined;
  /** When the quotas reset (ISO date), when known. */
  resetDate: string | undefined;
  /** Every quota Copilot reported. */
  quotas: Quota[];
}

/** Quota ids the tool names for people. */
const QUOTA_NAMES: Record<string, string> = {
  chat: "chat",
  completions: "completions",
  premium_interactions: "premium requests",
  premium_models: "premium requests",
};

/** A quota's name for people (`premium_interactions` → "premium requests"). */
export function quotaName(id: string): string {
  return QUOTA_NAMES[id] ?? id.replaceAll("_", " ");
}

function num(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * One `x-quota-snapshot-<id>` header value
 * (`ent=..&ov=..&ovPerm=..&rem=<percent>&rst=<ISO date>`); `ent=-1` is unlimited.
 *
 * @example
 * ```ts
 * import { parseQuotaHeader } from "./quota.ts";
 * const q = parseQuotaHeader("chat", "ent=50&ov=0&ovPerm=false&rem=10&rst=2026-01-01T00:00:00Z");
 * console.assert(q?.used === 45 && q.remaining === 5);
 * ```
 */
export function parseQuotaHeader(id: string, value: string): Quota | undefined {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(value);
  } catch {
    return undefined;
  }
  const ent = num(params.get("ent"));
  const rem = num(params.get("rem"));
  if (ent === undefined && rem === undefined) return undefined;
  const unlimited = ent === -1;
  const entitlement = unlimited ? undefined : ent;
  const remaining = entitlement !== undefined && rem !== undefined
    ? Math.round(entitlement * rem / 100)
    : undefined;
  const ovPerm = params.get("ovPerm");
  return {
    id,
    entitlement,
    used: entitlement !== undefined && remaining !== undefined
      ? entitlement - remaining
      : undefined,
    remaining,
    percentRemaining: rem,
    unlimited,
    overagePermitted: ovPerm === null ? undefined : ovPerm === "true",
    resetDate: str(params.get("rst")),
  };
}

/** Every `x-quota-snapshot-*` header of an answer. */
export function quotaHeaders(headers: Headers): Quota[] {
  const quotas: Quota[] = [];
  for (const [name, value] of headers) {
    if (!name.startsWith("x-quota-snapshot-")) continue;
    const quota = parseQuotaHeader(name.slice("x-quota-snapshot-".length), value);
    if (quota) quotas.push(quota);
  }
  return quotas;
}

/** One entry of `quota_snapshots`. */
function snapshot(id: string, raw: Record<string, unknown>, resetDate?: string): Quota {
  const unlimited = raw.unlimited === true;
  const entitlement = unlimited ? undefined : num(raw.entitlement);
  const remaining = unlimited ? undefined : num(raw.remaining) ?? num(raw.quota_remaining);
  return {
    id: str(raw.quota_id) ?? id,
    entitlement,
    used: entitlement !== undefined && remaining !== undefined
      ? entitlement - remaining
      : undefined,
    remaining,
    percentRemaining: num(raw.percent_remaining),
    unlimited,
    overagePermitted: typeof raw.overage_permitted === "boolean"
      ? raw.overage_permitted
      : undefined,
    resetDate,
  };
}

/**
 * Reads a `copilot_internal/user` answer; every field is optional (free
 * accounts lack `premium_interactions`).
 *
 * @example
 * ```ts
 * import { usageReport } from "./quota.ts";
 * const report = usageReport({ copilot_plan: "free", quota_snapshots: {
 *   chat: { entitlement: 50, remaining: 20, unlimited: false } } });
 * console.assert(report.plan === "free" && report.quotas[0]?.used === 30);
 * ```
 */
export function usageReport(user: unknown): UsageReport {
  const body = isRecord(user) ? user : {};
  const resetDate = str(body.quota_reset_date) ?? str(body.quota_reset_date_utc) ??
    str(body.limited_user_reset_date);
  const quotas: Quota[] = [];
  const snapshots = isRecord(body.quota_snapshots) ? body.quota_snapshots : {};
  for (const [id, raw] of Object.entries(snapshots)) {
    if (isRecord(raw)) quotas.push(snapshot(id, raw, resetDate));
  }
  // Copilot Free: `limited_user_quotas` holds what is left, `monthly_quotas` the allowance.
  const limited = isRecord(body.limited_user_quotas) ? body.limited_user_quotas : {};
  const monthly = isRecord(body.monthly_quotas) ? body.monthly_quotas : {};
  for (const [id, left] of Object.entries(limited)) {
    if (quotas.some((q) => q.id === id) || num(left) === undefined) continue;
    quotas.push(snapshot(id, { entitlement: monthly[id], remaining: left }, resetDate));
  }
  return {
    plan: str(body.copilot_plan),
    sku: str(body.access_type_sku),
    resetDate,
    quotas,
  };
}

/** One line for people: "premium requests: 29 of 300 used, 271 left". */
export function describeQuota(quota: Quota): string {
  const name = quotaName(quota.id);
  if (quota.unlimited) return `${name}: unlimited`;
  const parts: string[] = [];
  if (quota.used !== undefined && quota.entitlement !== undefined) {
    parts.push(`${quota.used} of ${quota.entitlement} used`);
  }
  if (quota.remaining !== undefined) parts.push(`${quota.remaining} left`);
  else if (quota.percentRemaining !== undefined) parts.push(`${quota.percentRemaining}% left`);
  return `${name}: ${parts.join(", ") || "unknown"}`;
}

/** The quota a 402 is about: an exhausted one from the headers, else the call's own. */
export function exhaustedQuota(quotas: Quota[], kind: string): Quota | undefined {
  const empty = quotas.filter((q) =>
    !q.unlimited && (q.remaining !== undefined ? q.remaining <= 0 : q.percentRemaining === 0)
  );
  return empty.find((q) => q.id === kind) ?? empty[0] ?? quotas.find((q) => q.id === kind);
}
