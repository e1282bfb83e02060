/**
 * Exchanges a GitHub token for a short-lived Copilot session token
 * (`GET {api}/copilot_internal/v2/token`).
 *
 * @module
 */

import { upstreams } from "../base/config.ts";
import type { GitHubCredential } from "./credential.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { retryAfterSeconds, send } from "../net/http.ts";
import { type Identity, resolveIdentity, restHeaders } from "../net/identity.ts";
import { redact } from "../base/redact.ts";
import type { Settings } from "../base/settings.ts";

/** What the exchange takes from the settings: URL overrides, HTTP settings, identity. */
export type ExchangeSettings = Pick<Settings, "urls" | "net" | "identity">;

/** The bases a session token says to use. */
export interface Endpoints {
  /** Base of chat and models. */
  api: string;
  /** Base of completions. */
  proxy: string;
}

/** What the exchange answered, as this tool keeps it. */
export interface ExchangedToken {
  /** The opaque session token. */
  token: string;
  /** Server's expiry, epoch seconds. */
  expiresAt: number;
  /** Seconds after which the server suggests refreshing. */
  refreshIn: number;
  /** Endpoints from the answer, if it had them. */
  endpoints: Partial<Endpoints>;
  /** A notice the server wants the user to see, if any. */
  notice?: string;
}

/** Error text for a failed exchange, per the protocol reference's table. */
async function exchangeError(
  res: Response,
  host: string,
  identity: Identity,
): Promise<CopilotError> {
  const text = await res.text().catch(() => "");
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) ?? {};
  } catch {
    // Not JSON.
  }
  const details = body.error_details as { message?: string; url?: string } | undefined;
  const message = typeof body.message === "string" ? body.message : "";
  const options = { status: res.status, retryAfter: retryAfterSeconds(res) };
  if (res.status === 401) {
    return new CopilotError("GitHub rejected the token; run `copilot login`", {
      ...options,
      exitCode: ExitCode.Auth,
    });
  }
  if (res.status === 429 || message.startsWith("API rate limit exceeded")) {
    return new CopilotError(`GitHub rate limit exceeded; try again later`, {
      ...options,
      exitCode: ExitCode.RateLimited,
    });
  }
  if (res.status === 403 || res.status === 404) {
    const editor = encodeURIComponent(identity.values.editorVersion.replace("/", "_"));
    const url = details?.url?.replace("{EDITOR}", editor);
    const why = details?.message ?? "this account has no Copilot access";
    return new CopilotError(redact(url ? `${why} (${url})` : why), {
      ...options,
      exitCode: ExitCode.Auth,
    });
  }
  return new CopilotError(
    `${host} answered ${res.status} to the token exchange${message ? `: ${redact(message)}` : ""}`,
    options,
  );
}

/**
 * Exchanges `credential` for a session token.
 * Throws a {@linkcode CopilotError} with the reference's messages on failure.
 *
 * @example
 * ```ts ignore
 * import { exchangeToken } from "./token_exchange.ts";
 * import { readSettings } from "../base/settings.ts";
 * const credential = { token: "ghu_x", kind: "env", source: "env", host: "github.com" } as const;
 * const session = await exchangeToken(credential, readSettings({}));
 * ```
 */
export async function exchangeToken(
  credential: GitHubCredential,
  settings: ExchangeSettings,
  signal?: AbortSignal,
): Promise<ExchangedToken> {
  const url = `${upstreams(credential.host, settings.urls).api}/copilot_internal/v2/token`;
  const identity = resolveIdentity(settings.identity);
  const res = await send(url, {
    headers: restHeaders(identity, "exchange", credential.token),
    net: settings.net,
    ...(signal ? { signal } : {}),
  });
  if (!res.ok) throw await exchangeError(res, new URL(url).host, identity);
  const body = await res.json().catch(() => undefined);
  if (typeof body?.token !== "string") {
    throw new CopilotError(`${new URL(url).host} sent a token exchange answer without a token`);
  }
  const now = Date.now() / 1000;
  const refreshIn = Number(body.refresh_in) > 0 ? Number(body.refresh_in) : 1500;
  const expiresAt = Number(body.expires_at) > 0 ? Number(body.expires_at) : now + refreshIn + 60;
  const endpoints = body.endpoints ?? {};
  return {
    token: body.token,
    expiresAt,
    refreshIn,
    endpoints: {
      ...(typeof endpoints.api === "string" ? { api: endpoints.api } : {}),
      ...(typeof endpoints.proxy === "string" ? { proxy: endpoints.proxy } : {}),
    },
    ...(typeof body.user_notification?.message === "string"
      ? { notice: body.user_notification.message }
      : {}),
  };
}
