/**
 * Who a GitHub token belongs to: `GET {api}/user`.
 *
 * @module
 */

import { CopilotError, ExitCode } from "../base/errors.ts";
import { errorMessage, send, type SendOptions } from "../net/http.ts";
import { type Identity, resolveIdentity, restHeaders } from "../net/identity.ts";
import type { NetSettings } from "../base/settings.ts";

/** Options of {@linkcode fetchUser}. */
export interface FetchUserOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
  /** Timeout, CA file and debug log of the default `fetch`. */
  net?: NetSettings;
  /** The client identity (its `user` headers); default the default preset. */
  identity?: Identity;
  /** Sends a request; default {@linkcode send}. */
  fetch?: (url: string, init: SendOptions) => Promise<Response>;
}

/**
 * The login name of the user `token` belongs to. Throws a
 * {@linkcode CopilotError}: exit 4 when GitHub rejects the token, 1 otherwise.
 *
 * @example
 * ```ts ignore
 * import { fetchUser } from "./github_user.ts";
 * console.log(await fetchUser("https://api.github.com", "ghu_..."));
 * ```
 */
export async function fetchUser(
  api: string,
  token: string,
  options: FetchUserOptions = {},
): Promise<string> {
  const url = `${api}/user`;
  const res = await (options.fetch ?? send)(url, {
    headers: restHeaders(options.identity ?? resolveIdentity(), "user", token),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.net ? { net: options.net } : {}),
  });
  const host = new URL(url).host;
  if (res.status === 401) {
    await res.body?.cancel();
    throw new CopilotError("GitHub rejected the token; run `copilot login`", {
      exitCode: ExitCode.Auth,
      status: 401,
    });
  }
  if (!res.ok) {
    throw new CopilotError(`${host} answered ${res.status} to /user: ${await errorMessage(res)}`, {
      status: res.status,
    });
  }
  const body = await res.json().catch(() => undefined);
  if (typeof body?.login !== "string" || body.login === "") {
    throw new CopilotError(`${host} sent a /user answer without a login`);
  }
  return body.login;
}
