/**
 * What the user hears from the language server: each error once through
 * `window/showMessage` (not on every keystroke), GitHub's `didChangeStatus`
 * for clients written for GitHub's server, and, when nobody is signed in,
 * one `window/showMessageRequest` with the device code and URL that starts
 * the same device flow as `copilot login`.
 *
 * @module
 */

import { CopilotError } from "../base/errors.ts";
import type { Account } from "./account.ts";
import type { Connection } from "./rpc.ts";
import { isAuthError } from "./upstream.ts";

const MessageType = { Error: 1, Warning: 2, Info: 3 } as const;

/** The earliest a failed sign-in is offered again, in milliseconds. */
export const RETRY_SIGN_IN_MS = 5 * 60_000;

/** GitHub's status kinds (`didChangeStatus`). */
export type StatusKind = "Normal" | "Warning" | "Error" | "Inactive";

/** Tells the user, once. */
export class Notices {
  #connection: Connection;
  #account: Account;
  #shown = new Set<string>();
  #signingIn = false;
  #lastOffer = -Infinity;
  #status = "";
  /** Whether the client opens URLs (`window.showDocument.support`). */
  showDocument = false;
  /** Whether to send `didChangeStatus` (a client written for GitHub's server). */
  githubStatus = false;
  /** Debug log (stderr) or nothing. */
  log: (line: string) => void = () => {};

  /** Creates one. */
  constructor(connection: Connection, account: Account) {
    this.#connection = connection;
    this.#account = account;
  }

  /** A completion failed with `err`: say so once; offer a sign-in when that is the cause. */
  failed(err: unknown): void {
    const message = err instanceof CopilotError ? err.message : String(err);
    this.log(`completion failed: ${message}`);
    if (isAuthError(err)) {
      this.status("Error", message);
      if (err instanceof CopilotError && err.status === undefined) return this.offerSignIn();
    } else {
      this.status("Warning", message);
    }
    if (this.#shown.has(message)) return;
    this.#shown.add(message);
    this.#connection.notify("window/showMessage", {
      type: MessageType.Error,
      message: `Copilot: ${message}`,
    });
  }

  /** A completion worked: errors may be shown again when they come back. */
  succeeded(): void {
    this.#shown.clear();
    this.status("Normal", "");
  }

  /** Sends `didChangeStatus` when the status changed (GitHub clients only). */
  status(kind: StatusKind, message: string, busy = false): void {
    if (!this.githubStatus) return;
    const key = `${kind}\n${message}\n${busy}`;
    if (key === this.#status) return;
    this.#status = key;
    this.#connection.notify("didChangeStatus", { kind, message, busy });
  }

  /**
   * Offers the device flow once; after a failed or expired one, again at the
   * earliest {@linkcode RETRY_SIGN_IN_MS} later (offline, every keystroke would
   * otherwise ask GitHub for a code and show the failure).
   */
  offerSignIn(now = Date.now()): void {
    if (this.#signingIn || now - this.#lastOffer < RETRY_SIGN_IN_MS) return;
    this.#signingIn = true;
    this.#lastOffer = now;
    this.#signIn().then(() => this.#lastOffer = -Infinity, (err) => {
      const message = `sign-in failed: ${err instanceof CopilotError ? err.message : String(err)}`;
      this.log(message);
      if (this.#shown.has(message)) return;
      this.#shown.add(message);
      this.#connection.notify("window/showMessage", {
        type: MessageType.Error,
        message: `Copilot: ${message}`,
      });
    }).finally(() => this.#signingIn = false);
  }

  async #signIn(): Promise<void> {
    const code = await this.#account.initiate(AbortSignal.timeout(30_000));
    const open = `Open ${code.verificationUri}`;
    this.#connection.request("window/showMessageRequest", {
      type: MessageType.Info,
      message:
        `Copilot: not signed in. Enter the code ${code.userCode} at ${code.verificationUri} to sign in with GitHub.`,
      actions: this.showDocument ? [{ title: open }, { title: "Later" }] : [{ title: "OK" }],
    }).then((choice) => {
      if ((choice as { title?: string } | null)?.title !== open) return;
      return this.#connection.request("window/showDocument", {
        uri: code.verificationUri,
        external: true,
      });
    }).catch(() => {});
    const user = await this.#account.confirm(code.userCode);
    this.#shown.clear();
    this.status("Normal", "");
    this.#connection.notify("window/showMessage", {
      type: MessageType.Info,
      message: `Copilot: signed in as ${user}`,
    });
  }
}
