/**
 * Who is signed in, for the language server: GitHub's `checkStatus`,
 * `signInInitiate` / `signInConfirm` (the same device flow and token store
 * as `copilot login`), `signOut` and `checkQuota`.
 *
 * @module
 */

import { upstreams } from "../base/config.ts";
import type { Settings } from "../base/settings.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import type { Session } from "../auth/session.ts";
import type { DeviceCode } from "../auth/device_flow.ts";

/** The command a `signIn` answer carries; executing it finishes the device flow. */
export const FINISH_SIGN_IN_COMMAND = "github.copilot.finishDeviceFlow";

/** GitHub's sign-in states (`checkStatus`, `signInConfirm`, `signOut`). */
export type SignInStatus = "OK" | "MaybeOk" | "NotSignedIn" | "NotAuthorized" | "AlreadySignedIn";

/** `checkStatus`'s answer. */
export interface StatusResult {
  /** The state. */
  status: SignInStatus;
  /** The GitHub login, when known. */
  user?: string;
}

/** A device flow under way: what the user is shown. */
export interface PendingSignIn {
  /** The code to type. */
  userCode: string;
  /** Where to type it. */
  verificationUri: string;
  /** Seconds the code lives. */
  expiresIn: number;
  /** Seconds between polls. */
  interval: number;
}

/** Sign-in state and flows over `session` (the client's, so a new login takes effect at once). */
export class Account {
  #settings: Settings;
  #session: () => Promise<Session>;
  #pending = new Map<string, { code: DeviceCode; issuedAt: number; done?: Promise<string> }>();

  /** Creates one; `session` gives the client's session token source. */
  constructor(settings: Settings, session: () => Promise<Session>) {
    this.#settings = settings;
    this.#session = session;
  }

  /** `checkStatus`: `localChecksOnly` looks at the stored credentials only. */
  async status(localChecksOnly: boolean, signal: AbortSignal): Promise<StatusResult> {
    const { findCredentials } = await import("../auth/credentials.ts");
    const [credential] = await findCredentials(this.#settings);
    if (!credential) return { status: "NotSignedIn" };
    const known = credential.user ? { user: credential.user } : {};
    if (localChecksOnly) return { status: "MaybeOk", ...known };
    let status: SignInStatus = "OK";
    try {
      await (await this.#session()).get(signal);
    } catch (err) {
      if (!(err instanceof CopilotError) || err.exitCode !== ExitCode.Auth) throw err;
      if (err.status === 401) return { status: "NotSignedIn" };
      status = "NotAuthorized";
    }
    if (credential.user) return { status, user: credential.user };
    // copilot.vim takes a status without `user` for "not authenticated": ask GitHub who it is.
    const { fetchUser } = await import("../auth/github_user.ts");
    const { api } = upstreams(credential.host, this.#settings.urls);
    const options = { net: this.#settings.net, signal };
    const login = await fetchUser(api, credential.token, options).catch(() => undefined);
    return { status, ...(login ? { user: login } : {}) };
  }

  /** `signInInitiate`: asks GitHub for a device code. */
  async initiate(signal: AbortSignal): Promise<PendingSignIn> {
    const { requestDeviceCode } = await import("../auth/device_flow.ts");
    const { github } = upstreams(this.#settings.host, this.#settings.urls);
    const code = await requestDeviceCode({ github, net: this.#settings.net, signal });
    this.#pending.set(code.userCode, { code, issuedAt: Date.now() });
    const { userCode, verificationUri, expiresIn, interval } = code;
    return { userCode, verificationUri, expiresIn, interval };
  }

  /**
   * `signInConfirm`: waits for the user to enter `userCode` (the latest code
   * when absent), stores the token as `copilot login` does; resolves with the login.
   */
  confirm(userCode: string | undefined, signal?: AbortSignal): Promise<string> {
    const key = userCode ?? [...this.#pending.keys()].at(-1);
    const pending = key === undefined ? undefined : this.#pending.get(key);
    if (!pending) {
      return Promise.reject(new CopilotError("no sign-in is under way; call signInInitiate first"));
    }
    pending.done ??= this.#finish(pending.code, pending.issuedAt, signal).finally(() =>
      this.#pending.delete(pending.code.userCode)
    );
    return pending.done;
  }

  async #finish(code: DeviceCode, issuedAt: number, signal?: AbortSignal): Promise<string> {
    const { pollForToken } = await import("../auth/device_flow.ts");
    const { fetchUser } = await import("../auth/github_user.ts");
    const { writeLogin } = await import("../auth/login_store.ts");
    const { github, api } = upstreams(this.#settings.host, this.#settings.urls);
    const token = await pollForToken(code, issuedAt, {
      github,
      net: this.#settings.net,
      ...(signal ? { signal } : {}),
    });
    const receivedAt = Math.floor(Date.now() / 1000);
    const user = await fetchUser(api, token.accessToken, {
      net: this.#settings.net,
      ...(signal ? { signal } : {}),
    });
    await writeLogin({
      token: token.accessToken,
      host: this.#settings.host,
      user,
      ...(token.refreshToken ? { refresh_token: token.refreshToken } : {}),
      ...(token.expiresIn ? { expires_at: receivedAt + token.expiresIn } : {}),
    }, this.#settings.configDir);
    await (await this.#session()).clear();
    return user;
  }

  /** `signOut`: deletes this tool's stored login and session cache, as `copilot logout`. */
  async signOut(): Promise<StatusResult> {
    const { deleteLogin } = await import("../auth/login_store.ts");
    await deleteLogin(this.#settings.configDir);
    await (await this.#session()).clear();
    const { findCredentials } = await import("../auth/credentials.ts");
    const [left] = await findCredentials(this.#settings).catch(() => []);
    // A token from the environment or a plugin's store still signs in; say so.
    return left ? { status: "MaybeOk", ...(left.user ? { user: left.user } : {}) } : {
      status: "NotSignedIn",
    };
  }

  /** `checkQuota`: plan and quotas from `copilot_internal/user`, keys as the official server's. */
  async quota(signal: AbortSignal): Promise<Record<string, unknown>> {
    const { findCredentials } = await import("../auth/credentials.ts");
    const [credential] = await findCredentials(this.#settings);
    if (!credential) throw new CopilotError("not signed in", { exitCode: ExitCode.Auth });
    const { send } = await import("../net/http.ts");
    const url = `${upstreams(credential.host, this.#settings.urls).api}/copilot_internal/user`;
    const response = await send(url, {
      headers: { Authorization: `token ${credential.token}`, Accept: "application/json" },
      signal,
      net: this.#settings.net,
    });
    if (!response.ok) throw new CopilotError(`GitHub answered ${response.status} to the quota`);
    const user = await response.json();
    const snapshot = (name: string) => {
      const s = user?.quota_snapshots?.[name];
      return s && {
        entitlement: s.entitlement,
        remaining: s.remaining,
        percentRemaining: s.percent_remaining,
        unlimited: s.unlimited,
        overagePermitted: s.overage_permitted,
      };
    };
    return {
      chat: snapshot("chat"),
      completions: snapshot("completions"),
      premiumInteractions: snapshot("premium_interactions"),
      resetDate: user?.quota_reset_date,
      copilotPlan: user?.copilot_plan,
    };
  }
}
