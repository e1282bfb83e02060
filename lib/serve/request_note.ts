/**
 * What the access-log line of one `copilot serve` request says about Copilot's
 * answer: the quota its `x-quota-snapshot-*` headers say is left, and the cost
 * its body states (`copilot_usage`, found as the bytes pass). The handler
 * makes one per request and hands the routes a client whose answers it watches.
 *
 * @module
 */

import { NANO_AIU_PER_CREDIT, UsageScan } from "../copilot/usage_scan.ts";
import type { Source } from "../base/pull.ts";
import type { UpstreamClient } from "./route.ts";

/**
 * What Copilot's `x-quota-snapshot-*` headers say is left (`premium_interactions 82.5% left`);
 * undefined when it sent none.
 */
export function quotaNote(headers: Headers): string | undefined {
  const notes: string[] = [];
  for (const [name, value] of headers) {
    if (!name.startsWith("x-quota-snapshot-")) continue;
    const fields = new URLSearchParams(value);
    const left = fields.get("ent") === "-1" ? "unlimited" : `${fields.get("rem") ?? "?"}% left`;
    notes.push(`${name.slice("x-quota-snapshot-".length)} ${left}`);
  }
  return notes.length === 0 ? undefined : notes.join(", ");
}

/** An AI-credit amount for the log: enough digits to tell requests apart, no float noise. */
export function credits(nanoAiu: number): string {
  return `${Number((nanoAiu / NANO_AIU_PER_CREDIT).toPrecision(3))} AI credits`;
}

/** One request's note: quota left and cost, filled in as Copilot's answer passes. */
export class RequestNote {
  #quota: string | undefined;
  readonly #usage = new UsageScan();

  /** Records the answer's quota headers; returns its body, watched for the cost. */
  watch<A extends { res: Response; body: Source<Uint8Array> }>(answer: A): A {
    this.#quota = quotaNote(answer.res.headers) ?? this.#quota;
    return { ...answer, body: this.#usage.watch(answer.body) };
  }

  /** `client` with every agent-route answer watched (see {@linkcode watch}). */
  meter(client: UpstreamClient): UpstreamClient {
    return {
      completionSource: (request, signal) => client.completionSource(request, signal),
      completionModel: (signal) => client.completionModel(signal),
      models: (signal) => client.models(signal),
      usage: (signal) => client.usage(signal),
      post: async (route, body, extra, signal) =>
        this.watch(await client.post(route, body, extra, signal)),
    };
  }

  /** The note for the log line (`premium_interactions 82.5% left; 1.23e-6 AI credits`), if any. */
  text(): string | undefined {
    const cost = this.#usage.nanoAiu === undefined ? undefined : credits(this.#usage.nanoAiu);
    const parts = [this.#quota, cost].filter((part) => part !== undefined);
    return parts.length === 0 ? undefined : parts.join("; ");
  }
}
