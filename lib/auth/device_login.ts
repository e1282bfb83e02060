/**
 * A device-flow login from start to stored token: the one path `copilot login`
 * and `copilot lsp`'s sign-in share. Start it (GitHub hands out a code), show
 * the code, then `finish` waits for the user, asks GitHub who it is and
 * stores the login as `auth.json`.
 *
 * @module
 */

import { upstreams } from "../base/config.ts";
import { requireConfigDir, type Settings } from "../base/settings.ts";
import { resolveIdentity } from "../net/identity.ts";
import {
  type DeviceCode,
  type DeviceFlowOptions,
  pollForToken,
  requestDeviceCode,
} from "./device_flow.ts";
import { fetchUser } from "./github_user.ts";
import { saveLogin } from "./save_login.ts";

/** What {@linkcode DeviceLogin.finish} stored. */
export interface StoredDeviceLogin {
  /** The GitHub login. */
  user: string;
  /** The file the token went to. */
  path: string;
}

/** A device-flow login under way. */
export interface DeviceLogin {
  /** The code and URL to show the user. */
  code: DeviceCode;
  /** The GitHub host it logs in to. */
  host: string;
  /** Waits for the user to enter the code, then stores the login (`onPoll` sees each poll). */
  finish(signal?: AbortSignal, onPoll?: (interval: number) => void): Promise<StoredDeviceLogin>;
}

/**
 * Asks GitHub (`host`) for a device code; refuses first when there is no
 * config dir to store the token in.
 */
export async function startDeviceLogin(
  settings: Settings,
  host: string,
  signal?: AbortSignal,
): Promise<DeviceLogin> {
  requireConfigDir(settings); // before the flow: the token would have nowhere to go
  const identity = resolveIdentity(settings.identity);
  const { github, api } = upstreams(host, settings.urls);
  const flow: DeviceFlowOptions = { github, net: settings.net, identity };
  const code = await requestDeviceCode({ ...flow, ...(signal ? { signal } : {}) });
  const issuedAt = Date.now();
  const finish = async (finishSignal?: AbortSignal, onPoll?: (interval: number) => void) => {
    const options = { ...flow, ...(finishSignal ? { signal: finishSignal } : {}) };
    const token = await pollForToken(code, issuedAt, onPoll ? { ...options, onPoll } : options);
    const receivedAt = Math.floor(Date.now() / 1000);
    const user = await fetchUser(api, token.accessToken, {
      net: settings.net,
      identity,
      ...(finishSignal ? { signal: finishSignal } : {}),
    });
    const path = await saveLogin(settings, {
      token: token.accessToken,
      host,
      user,
      ...(token.refreshToken ? { refresh_token: token.refreshToken } : {}),
      ...(token.expiresIn ? { expires_at: receivedAt + token.expiresIn } : {}),
    });
    return { user, path };
  };
  return { code, host, finish };
}
