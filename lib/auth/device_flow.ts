/**
 * The OAuth device flow (RFC 8628) as GitHub serves it: ask for a user code,
 * then poll for the token no faster than the server allows.
 *
 * All I/O is injected (`fetch`, clock, sleep) so tests need no network and no
 * waiting.
 *
 * @module
 */

import { CopilotError, ExitCode } from "../base/errors.ts";
import { send, type SendOptions } from "../net/http.ts";
import { redact } from "../base/redact.ts";
import type { NetSettings } from "../base/settings.ts";
import { sleep as realSleep } from "../base/sleep.ts";
import { hopHeaders, type Identity, resolveIdentity } from "../net/identity.ts";
import { CLIENT_ID } from "./app.ts";

const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";

/** What `/login/device/code` answered. */
export interface DeviceCode {
  /** The secret code polled with; never shown. */
  deviceCode: string;
  /** The code the user types (`WDJB-MJHT`). */
  userCode: string;
  /** Where the user types it. */
  verificationUri: string;
  /** Seconds the code lives. */
  expiresIn: number;
  /** Seconds to wait between two polls. */
  interval: number;
  /**
   * When the request for the code left (epoch ms): GitHub counts the code's
   * life from a moment after it, so counting from here never overstays it.
   */
  requestedAt?: number;
}

/** What `/login/oauth/access_token` answered on success. */
export interface DeviceToken {
  /** The GitHub token (`ghu_...`). */
  accessToken: string;
  /** A refresh token, when GitHub issued an expiring token. */
  refreshToken?: string;
  /** Seconds the access token lives, when GitHub said so. */
  expiresIn?: number;
}

/** I/O of the device flow; defaults are the real ones. */
export interface DeviceFlowOptions {
  /** Base of the device flow, e.g. `https://github.com`. */
  github: string;
  /** Timeout, CA file and debug log of the default `fetch`. */
  net?: NetSettings;
  /** Sends a request; default {@linkcode send} (timeouts, debug log, network errors). */
  fetch?: (url: string, init: SendOptions) => Promise<Response>;
  /** Clock, epoch milliseconds. */
  now?: () => number;
  /** Waits `ms`, rejecting with the abort reason when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Aborts the flow (Ctrl-C). */
  signal?: AbortSignal;
  /** Called before each poll; `interval` is the current one in seconds. */
  onPoll?: (interval: number) => void;
  /**
   * The client identity: its `device` headers and its `scope` (GitHub App
   * tokens carry no scopes, so the scope is only a signal). Default the
   * default preset.
   */
  identity?: Identity;
}

/** Reads a body as JSON, else as a form (GitHub's answer without `Accept: application/json`). */
async function readBody(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text().catch(() => "");
  try {
    const json = JSON.parse(text);
    return json !== null && typeof json === "object" ? json : {};
  } catch {
    if (!text.includes("=") || /[\s<]/.test(text.trim())) return {};
    return Object.fromEntries(new URLSearchParams(text.trim()));
  }
}

function positive(value: unknown, fallback: number): number {
  const number = Number(value);
  return value !== undefined && value !== null && value !== "" && Number.isFinite(number) &&
      number > 0
    ? number
    : fallback;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

async function post(
  options: DeviceFlowOptions,
  path: string,
  params: Record<string, string>,
): Promise<{ res: Response; body: Record<string, unknown> }> {
  const fetch = options.fetch ?? send;
  const res = await fetch(`${options.github}${path}`, {
    method: "POST",
    headers: hopHeaders(options.identity ?? resolveIdentity(), "device"),
    body: JSON.stringify(params),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.net ? { net: options.net } : {}),
  });
  return { res, body: await readBody(res) };
}

/** "error (description)" of an OAuth error answer, tokens redacted. */
function describe(body: Record<string, unknown>, res: Response): string {
  const error = text(body.error) ?? text(body.message) ?? `HTTP ${res.status}`;
  const description = text(body.error_description);
  return redact(description ? `${error}: ${description}` : error).replace(/\s+/g, " ").trim();
}

/**
 * Asks GitHub for a device code and user code (`POST {github}/login/device/code`).
 *
 * @example
 * ```ts ignore
 * import { requestDeviceCode } from "./device_flow.ts";
 * const code = await requestDeviceCode({ github: "https://github.com" });
 * console.error(`Enter ${code.userCode} at ${code.verificationUri}`);
 * ```
 */
export async function requestDeviceCode(options: DeviceFlowOptions): Promise<DeviceCode> {
  const requestedAt = (options.now ?? Date.now)();
  const { res, body } = await post(options, "/login/device/code", {
    client_id: CLIENT_ID,
    scope: (options.identity ?? resolveIdentity()).preset.scope,
  });
  const host = new URL(options.github).host;
  const deviceCode = text(body.device_code);
  const userCode = text(body.user_code);
  const verificationUri = text(body.verification_uri);
  if (!res.ok || !deviceCode || !userCode || !verificationUri) {
    throw new CopilotError(`${host} refused to start the login: ${describe(body, res)}`, {
      status: res.status,
    });
  }
  return {
    deviceCode,
    userCode,
    verificationUri,
    expiresIn: positive(body.expires_in, 900),
    interval: positive(body.interval, 5),
    requestedAt,
  };
}

/** The one-line failure for an OAuth `error` that stops polling. */
function pollError(error: string, body: Record<string, unknown>, res: Response): CopilotError {
  switch (error) {
    case "access_denied":
      return new CopilotError("login cancelled: access was denied on GitHub", {
        exitCode: ExitCode.Auth,
      });
    case "expired_token":
    case "token_expired":
      return expired();
    default:
      return new CopilotError(`GitHub refused the login: ${describe(body, res)}`, {
        exitCode: ExitCode.Auth,
        status: res.status,
      });
  }
}

function expired(): CopilotError {
  return new CopilotError(
    "the one-time code expired before it was entered; run `copilot login` again",
    { exitCode: ExitCode.Auth },
  );
}

/**
 * Polls `POST {github}/login/oauth/access_token` until the user has entered
 * the code. Waits at least `interval` seconds after each answer before the
 * next poll, and after the device code itself; `slow_down` takes the answer's
 * `interval`, else adds 5 s. Stops with a {@linkcode CopilotError} on
 * `access_denied`, `expired_token` / `token_expired`, any other error, or when
 * the code's `expires_in` has passed by the local clock.
 *
 * `issuedAt` is when the device code answer arrived (epoch milliseconds).
 *
 * @example
 * ```ts ignore
 * import { pollForToken, requestDeviceCode } from "./device_flow.ts";
 * const options = { github: "https://github.com" };
 * const code = await requestDeviceCode(options);
 * const { accessToken } = await pollForToken(code, Date.now(), options);
 * ```
 */
export async function pollForToken(
  code: DeviceCode,
  issuedAt: number,
  options: DeviceFlowOptions,
): Promise<DeviceToken> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  // The life from when the request left (GitHub started counting later); the polls' spacing from
  // when the answer came (GitHub counts it from earlier): each errs on the side GitHub accepts.
  const deadline = (code.requestedAt ?? issuedAt) + code.expiresIn * 1000;
  let interval = code.interval;
  // Counted from the previous answer's arrival: the server saw that request even earlier.
  let lastAnswer = issuedAt;
  for (;;) {
    const pollAt = lastAnswer + interval * 1000;
    if (pollAt >= deadline) throw expired();
    const wait = pollAt - now();
    if (wait > 0) await sleep(wait, options.signal);
    options.signal?.throwIfAborted();
    options.onPoll?.(interval);
    const { res, body } = await post(options, "/login/oauth/access_token", {
      client_id: CLIENT_ID,
      device_code: code.deviceCode,
      grant_type: GRANT_TYPE,
    });
    lastAnswer = now();
    const accessToken = text(body.access_token);
    if (accessToken) {
      const refreshToken = text(body.refresh_token);
      const expiresIn = positive(body.expires_in, 0);
      return {
        accessToken,
        ...(refreshToken ? { refreshToken } : {}),
        ...(expiresIn > 0 ? { expiresIn } : {}),
      };
    }
    const error = text(body.error);
    if (error === "authorization_pending") continue;
    if (error === "slow_down") {
      interval = positive(body.interval, interval + 5);
      continue;
    }
    if (error) throw pollError(error, body, res);
    throw new CopilotError(`GitHub answered the login poll with ${describe(body, res)}`, {
      status: res.status,
    });
  }
}
