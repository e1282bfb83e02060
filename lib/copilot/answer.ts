/**
 * What a Copilot answer comes to: a failing one becomes the user's error
 * (one line, the right exit code), a good one is held until its first byte
 * is in, so a reset before it can still be retried.
 *
 * @module
 */

import { CopilotError, ExitCode, isAbort } from "../base/errors.ts";
import type { Source } from "../base/pull.ts";
import { errorMessage, retryAfterSeconds } from "../net/http.ts";
import { identityHint } from "../net/identity.ts";

/** What a call asks Copilot for (the 404 message differs). */
export type CallKind = "completions" | "chat" | "models";

/**
 * Waits for the first chunk of `body` (rejecting with the body's error, so a
 * reset before the first byte can be retried); reads then replay it and turn a
 * later failure into "cut off" {@linkcode CopilotError}.
 */
export async function peek(body: Source<Uint8Array>, host: string): Promise<Source<Uint8Array>> {
  let first: ReadableStreamReadResult<Uint8Array> | undefined = await body.read();
  return {
    async read() {
      if (first !== undefined) {
        const chunk = first;
        first = undefined;
        return chunk;
      }
      try {
        return await body.read();
      } catch (err) {
        if (err instanceof CopilotError || isAbort(err)) throw err;
        throw new CopilotError(`connection to ${host} lost mid-answer`, { cause: err });
      }
    },
    cancel: (reason) => body.cancel(reason),
    take() {
      if (first === undefined) return body.take?.();
      if (first.done) return undefined;
      const { value } = first;
      first = undefined;
      return value;
    },
  };
}

/** Where the official clients send people whose network answers instead of GitHub. */
const FIREWALL_HELP = "https://gh.io/copilot-firewall";

/**
 * The user-facing error for a failed Copilot answer. A 4xx without
 * `x-github-request-id` did not come from GitHub: the message says a proxy or
 * firewall may be answering instead.
 */
export async function failure(
  res: Response,
  kind: CallKind,
  model: string,
): Promise<CopilotError> {
  const error = await copilotFailure(res, kind, model);
  const proxied = res.status >= 400 && res.status < 500 && !res.headers.has("x-github-request-id");
  if (!proxied) return error;
  return new CopilotError(
    `${error.message} (this answer does not come from GitHub: a proxy or firewall may be answering instead; see ${FIREWALL_HELP})`,
    { exitCode: error.exitCode, status: error.status, retryAfter: error.retryAfter },
  );
}

/** "Copilot quota exhausted: completions (0 of 2000 left), resets 2026-01-01". */
async function quotaMessage(res: Response, kind: CallKind, said: string): Promise<string> {
  // Loaded only when a quota ran out: a warm run does not pay for it.
  const { exhaustedQuota, quotaHeaders, quotaName } = await import("./quota.ts");
  const quota = exhaustedQuota(quotaHeaders(res.headers), kind);
  if (!quota) return `Copilot quota exhausted: ${said}`;
  const left = quota.remaining !== undefined && quota.entitlement !== undefined
    ? ` (${Math.max(0, quota.remaining)} of ${quota.entitlement} left)`
    : "";
  const reset = quota.resetDate ? `; it resets ${quota.resetDate}` : "";
  return `Copilot quota exhausted: ${quotaName(quota.id)}${left}${reset}`;
}

async function copilotFailure(
  res: Response,
  kind: CallKind,
  model: string,
): Promise<CopilotError> {
  const said = await errorMessage(res);
  const status = res.status;
  const options = { status, retryAfter: retryAfterSeconds(res) };
  switch (status) {
    case 401:
    case 403:
      return new CopilotError(`Copilot rejected the session token: ${said}`, {
        ...options,
        exitCode: ExitCode.Auth,
      });
    case 402:
      return new CopilotError(await quotaMessage(res, kind, said), {
        ...options,
        exitCode: ExitCode.RateLimited,
      });
    case 404:
      return new CopilotError(
        kind === "completions" ? `unknown model ${model} (try --model): ${said}` : said,
        options,
      );
    case 429: {
      const when = options.retryAfter === undefined
        ? "later"
        : `in ${Math.ceil(options.retryAfter)} s`;
      return new CopilotError(`Copilot rate limit reached; try again ${when}`, {
        ...options,
        exitCode: ExitCode.RateLimited,
      });
    }
    case 499:
      return new CopilotError(`Copilot cancelled the request on its side (499): ${said}`, options);
    case 466:
      return new CopilotError(
        `Copilot no longer supports this client (${said}); ${identityHint()}`,
        options,
      );
    default:
      return new CopilotError(`Copilot answered ${status}: ${said}`, options);
  }
}
