/**
 * Who is signed in, for the language server: GitHub's `checkStatus`,
 * `signInInitiate` / `signInConfirm` (the same device flow and token store
 * as `copilot login`), `signOut` and `checkQuota`.
 *
 * @module
 */

import { CopilotError, ExitCode } from "../base/errors.ts";
import type { Settings } from "../base/settings.ts";
import {
  copilotUsage,
  type DeviceLogin,
  findCredentials,
  logout,
  type Session,
  startDeviceLogin,
  userOf,
} from "../auth/mod.ts";

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

/** Sign-in state and flows over the auth façade, as `copilot login` / `logout` use it. */
export class Account {
  #settings: Settings;
  #session: () => Promise<Session>;
  #pending = new Map<string, { login: DeviceLogin; done?: Promise<string> }>();

  /** Creates one; `session` gives the client's session (so a new login takes effect at once). */
  constructor(settings: Settings, session: () => Promise<Session>) {
    this.#settings = settings;
    this.#session = session;
  }

  /** `checkStatus`: `localChecksOnly` looks at the stored credentials only. */
  async status(localChecksOnly: boolean, signal: AbortSignal): Promise<StatusResult> {
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
    const login = await userOf(this.#settings, credential, signal).catch(() => undefined);
    return { status, ...(login ? { user: login } : {}) };
  }

  /** `signInInitiate`: asks GitHub for a device code (the host of `COPILOT_HOST`). */
  async initiate(signal: AbortSignal): Promise<PendingSignIn> {
    const login = await startDeviceLogin(this.#settings, this.#settings.host, signal);
    this.#pending.set(login.code.userCode, { login });
    const { userCode, verificationUri, expiresIn, interval } = login.code;
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
    pending.done ??= this.#finish(pending.login, signal).finally(() =>
      this.#pending.delete(pending.login.code.userCode)
    );
    return pending.done;
  }

  async #finish(login: DeviceLogin, signal?: AbortSignal): Promise<string> {
    const { user } = await login.finish(signal);
    await (await this.#session()).clear();
    return user;
  }

  /** `signOut`: deletes this tool's stored login and session cache, as `copilot logout`. */
  async signOut(): Promise<StatusResult> {
    const { remaining } = await logout(this.#settings);
    await (await this.#session()).clear();
    // A token from the environment or a plugin's store still signs in; say so.
    return remaining
      ? { status: "MaybeOk", ...(remaining.user ? { user: remaining.user } : {}) }
      : { status: "NotSignedIn" };
  }

  /** `checkQuota`: plan and quotas from `copilot_internal/user`, keys as the official server's. */
  async quota(signal: AbortSignal): Promise<Record<string, unknown>> {
    const [credential] = await findCredentials(this.#settings);
    if (!credential) throw new CopilotError("not signed in", { exitCode: ExitCode.Auth });
    // The same answer `copilot status` shows, cached once per session token.
    const user = await copilotUsage(this.#settings, signal) as {
      quota_snapshots?: Record<string, Record<string, unknown>>;
      quota_reset_date?: unknown;
      copilot_plan?: unknown;
    };
    const snapshot = (name: string) => {
      const s = user.quota_snapshots?.[name];
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
      resetDate: user.quota_reset_date,
      copilotPlan: user.copilot_plan,
    };
  }
}
