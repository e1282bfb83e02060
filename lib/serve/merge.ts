/**
 * The n-prompt fan-out of `copilot serve`: one upstream completion per
 * prompt, their chunks interleaved as they come and tagged with the prompt's
 * position.
 *
 * @module
 */

import type { CompletionChunk } from "../copilot/completion_stream.ts";
import type { CompletionRequest } from "../copilot/completion_request.ts";
import { mapSource, type Source } from "../base/pull.ts";
import type { UpstreamClient } from "./route.ts";

/**
 * Interleaves several chunk sources as their values come, tagging each value
 * with its source's position. Each source has at most one read in flight
 * ahead of the consumer. An error in one source fails the result (a value
 * another source had already read is dropped with it) and cancels the others.
 */
export function merge<T>(sources: Source<T>[]): Source<[number, T]> {
  type Outcome = { i: number; result: ReadableStreamReadResult<T> } | { i: number; error: unknown };
  const pending = new Map<number, Promise<Outcome>>();
  const next = (i: number) =>
    pending.set(
      i,
      sources[i]!.read().then((result) => ({ i, result }), (error) => ({ i, error })),
    );
  const cancelAll = (reason: unknown) =>
    Promise.all(sources.map((s) => s.cancel(reason).catch(() => {}))).then(() => {});
  sources.forEach((_, i) => next(i));
  return {
    async read(): Promise<ReadableStreamReadResult<[number, T]>> {
      while (pending.size > 0) {
        const outcome = await Promise.race(pending.values());
        if ("error" in outcome) {
          pending.clear();
          await cancelAll(outcome.error);
          throw outcome.error;
        }
        if (outcome.result.done) {
          pending.delete(outcome.i);
          continue;
        }
        next(outcome.i);
        return { done: false, value: [outcome.i, outcome.result.value] };
      }
      return { done: true, value: undefined };
    },
    cancel: cancelAll,
  };
}

/**
 * Starts one upstream completion per prompt, tagging each chunk with its
 * prompt's position; if one fails to start, the others are cancelled.
 */
export async function startCompletions(
  client: UpstreamClient,
  request: Omit<CompletionRequest, "prompt">,
  prompts: string[],
  signal: AbortSignal,
): Promise<Source<[number, CompletionChunk]>> {
  if (prompts.length === 1) {
    // One prompt (the usual case): its chunks as they come, tagged, without merging.
    const source = await client.completionSource({ ...request, prompt: prompts[0]! }, signal);
    return mapSource(source, { map: (chunk, out) => out.enqueue([0, chunk]) });
  }
  // The first failure aborts the others at once: the error answer waits for none of them.
  const batch = new AbortController();
  const both = AbortSignal.any([signal, batch.signal]);
  const started = prompts.map((prompt) => client.completionSource({ ...request, prompt }, both));
  try {
    return merge(await Promise.all(started));
  } catch (err) {
    batch.abort(err);
    for (const s of await Promise.allSettled(started)) {
      if (s.status === "fulfilled") await s.value.cancel().catch(() => {});
    }
    throw err;
  }
}
