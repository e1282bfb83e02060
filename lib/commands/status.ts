/**
 * `copilot status`: who is logged in, where the token comes from, the host,
 * the client identity presented to GitHub and Copilot, whether Copilot access
 * works (a session token from the cache or a new exchange), the plan, each
 * quota and when it resets (`copilot_internal/user`, fetched once per session
 * token). `--json` for scripts. Never prints a token.
 *
 * @module
 */

import {
  authStatus,
  copilotUsage,
  type GitHubCredential,
  searchedPlaces,
  type SessionToken,
  userOf,
} from "../auth/mod.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import type { Settings } from "../base/settings.ts";
import { describeIdentity, resolveIdentity } from "../net/identity.ts";
import { describeQuota, type UsageReport, usageReport } from "../copilot/quota.ts";
import type { StatusOptions } from "./status_args.ts";

/** One field of a session token (`key=value;...:signature`), e.g. `sku`. */
export function sessionField(token: string, key: string): string | undefined {
  const fields = token.split(":")[0] ?? "";
  for (const pair of fields.split(";")) {
    const [name, value] = pair.split("=");
    if (name === key && value) return value;
  }
  return undefined;
}

/** Minutes the session token has left (negative when past). */
function sessionMinutes(session: SessionToken, now: number): number {
  return Math.floor((session.expiresAt - now / 1000) / 60);
}

/** "ok" line of a working session: plan and how long the session token lasts. */
function describeSession(session: SessionToken, now: number): string {
  const details: string[] = [];
  const sku = sessionField(session.token, "sku");
  if (sku) details.push(`plan ${sku}`);
  const minutes = sessionMinutes(session, now);
  if (minutes >= 0) details.push(`session token valid for ${minutes} min`);
  return `access works${details.length ? ` (${details.join(", ")})` : ""}`;
}

/** Who `credential` belongs to, or why GitHub would not say. */
async function who(
  settings: Settings,
  credential: GitHubCredential,
  signal: AbortSignal,
): Promise<string> {
  try {
    return await userOf(settings, credential, signal);
  } catch (err) {
    if (!(err instanceof CopilotError)) throw err;
    return `${credential.user ?? "unknown"} (GitHub: ${err.message})`;
  }
}

/** The plan and quotas, or why GitHub would not say. */
async function usageOf(
  settings: Settings,
  signal: AbortSignal,
): Promise<UsageReport | CopilotError> {
  try {
    return usageReport(await copilotUsage(settings, signal));
  } catch (err) {
    if (!(err instanceof CopilotError)) throw err;
    return err;
  }
}

/** The plan and quota lines of the text report. */
export function usageLines(usage: UsageReport): string[] {
  const lines: string[] = [];
  if (usage.plan || usage.sku) {
    lines.push(`Plan:    ${[usage.plan, usage.sku].filter(Boolean).join(", sku ")}`);
  }
  for (const [i, quota] of usage.quotas.entries()) {
    lines.push(`${i === 0 ? "Quotas:  " : "         "}${describeQuota(quota)}`);
  }
  if (usage.resetDate) lines.push(`Resets:  ${usage.resetDate}`);
  return lines;
}

/**
 * Why there is no session token, for the report: "no access" only when GitHub
 * said so (exit 4); a network failure is named as what it is ("cannot reach").
 */
function accessFailure(failure: CopilotError | undefined): string {
  return !failure || failure.exitCode === ExitCode.Auth ? "no access" : failure.message;
}

/**
 * Runs `copilot status`: prints the report on stdout and resolves with 0, or
 * throws the {@linkcode CopilotError} that says why Copilot does not work.
 */
export async function status(
  options: StatusOptions,
  settings: Settings,
  signal: AbortSignal,
): Promise<number> {
  const auth = await authStatus(settings, signal);
  if (!auth) {
    // What was looked at goes to stdout (the report); the one error line to stderr.
    const places = await searchedPlaces(settings);
    if (options.json) console.log(JSON.stringify({ loggedIn: false, searched: places }));
    else {
      console.log("Not logged in. Looked for a GitHub token in:");
      for (const { place, found } of places) console.log(`  ${place}: ${found}`);
    }
    throw new CopilotError("not logged in; run `copilot login`", { exitCode: ExitCode.Auth });
  }
  const { credential, session, failure } = auth;
  const user = await who(settings, credential, signal);
  const usage = session ? await usageOf(settings, signal) : undefined;
  const now = Date.now();
  if (options.json) {
    console.log(JSON.stringify({
      user,
      host: credential.host,
      source: auth.source,
      client: describeIdentity(resolveIdentity(settings.identity)),
      access: session !== undefined,
      sessionMinutes: session ? sessionMinutes(session, now) : null,
      error: failure?.message ?? null,
      usage: usage instanceof CopilotError ? null : usage ?? null,
      usageError: usage instanceof CopilotError ? usage.message : null,
    }));
  } else {
    const lines = [
      `User:    ${user}`,
      `Host:    ${credential.host}`,
      `Source:  ${auth.source}`,
      `Client:  ${describeIdentity(resolveIdentity(settings.identity))}`,
      `Copilot: ${session ? describeSession(session, now) : accessFailure(failure)}`,
    ];
    if (usage instanceof CopilotError) lines.push(`Quotas:  unknown (${usage.message})`);
    else if (usage) lines.push(...usageLines(usage));
    console.log(lines.join("\n"));
  }
  if (failure) throw failure;
  return ExitCode.Ok;
}
