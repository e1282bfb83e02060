/**
 * The language server's side of the one Copilot client that `complete` uses:
 * loaded on the first completion (start-up loads none of it), read choice by
 * choice into whole suggestions, and the rules for pausing after a 429 or an
 * exhausted quota.
 *
 * @module
 */

import type { CopilotClient } from "../copilot/client.ts";
import type { CompletionRequest } from "../copilot/completion_request.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import type { Settings } from "../base/settings.ts";

/** Seconds a 429 without `Retry-After` pauses requests (the official server's 10 s). */
const RATE_LIMIT_PAUSE = 10;
/** Seconds an exhausted quota (402) pauses requests when upstream says nothing. */
const QUOTA_PAUSE = 300;

/** The shared client, created on first use. */
export class Upstream {
  #client: Promise<CopilotClient> | undefined;
  #settings: Settings;

  /** Creates one over the run's `settings`. */
  constructor(settings: Settings) {
    this.#settings = settings;
  }

  /** The client (the module is imported on the first call). */
  client(): Promise<CopilotClient> {
    // Answers read into 16 KiB buffers, as serve does: Deno's own reads take 64 KiB each,
    // garbage that grew the RSS by ~10 MB per 1,000 completions.
    return this.#client ??= import("../copilot/client.ts").then(({ CopilotClient }) =>
      new CopilotClient({ settings: this.#settings, readBytes: 16 * 1024 })
    );
  }

  /**
   * The suggestions of `request`: every choice's whole text, by index, those
   * the content filter withheld left out. `signal` aborts the upstream fetch.
   */
  async fetch(request: CompletionRequest, signal: AbortSignal): Promise<string[]> {
    const client = await this.client();
    const source = await client.completionSource(request, signal);
    const texts: string[] = [];
    const filtered = new Set<number>();
    try {
      for (;;) {
        const { done, value } = await source.read();
        if (done) break;
        texts[value.index] = (texts[value.index] ?? "") + value.text;
        if (value.finishReason === "content_filter") filtered.add(value.index);
      }
    } catch (err) {
      await source.cancel(err).catch(() => {});
      throw err;
    }
    return texts.filter((text, index) => text !== undefined && !filtered.has(index));
  }
}

/** Seconds to pause after `err`: a 429 for its `Retry-After` (or 10 s), a 402 for 5 min. */
export function pauseFor(err: unknown): number | undefined {
  if (!(err instanceof CopilotError)) return undefined;
  if (err.status === 429) return err.retryAfter ?? RATE_LIMIT_PAUSE;
  if (err.status === 402) return err.retryAfter ?? QUOTA_PAUSE;
  return undefined;
}

/** Whether `err` means "not signed in" or "token rejected" (a sign-in may help). */
export function isAuthError(err: unknown): boolean {
  return err instanceof CopilotError && err.exitCode === ExitCode.Auth;
}
