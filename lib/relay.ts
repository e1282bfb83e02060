/**
 * A pull-based stream mapper: the one way this tool turns one stream into
 * another. Unlike `pipeThrough`, nothing is read ahead of the consumer, no
 * `pipeTo` machinery runs per chunk, and cancelling the output cancels the
 * source at once.
 *
 * @module
 */

/** Where {@linkcode relay}'s hooks put their output. */
export interface Sink<U> {
  /** Emits one value. */
  enqueue(chunk: U): void;
  /** Ends the output. */
  close(): void;
  /** Fails the output. */
  error(err: unknown): void;
}

/** What {@linkcode relay} does with each part of its source. */
export interface RelayHooks<T, U> {
  /** Maps one value to output (possibly none); a throw errors the output. */
  map: (value: T, controller: Sink<U>) => void;
  /** Runs at the source's end; must close (or error) the output. Default: close. */
  end?: (controller: Sink<U>) => void;
  /** Runs when the source errors: may finish the output gracefully, or error it. Default: error. */
  fail?: (err: unknown, controller: Sink<U>) => void;
  /** Runs when the reader cancels (e.g. the HTTP client went away). */
  cancel?: (reason: unknown) => void;
}

/** Something to pull values from by hand: a stream's reader, or anything shaped like one. */
export interface Source<T> {
  /** The next value. */
  read(): Promise<ReadableStreamReadResult<T>>;
  /** Stops reading. */
  cancel(reason?: unknown): Promise<void>;
}

/**
 * Chains two mappers into one, so a pipeline of steps costs one stream, not
 * one per step: what `first` emits goes straight into `second`.
 *
 * @example
 * ```ts
 * import { chain, relay } from "./relay.ts";
 * const words = chain<string, string, number>(
 *   { map: (line, out) => line.split(" ").forEach((word) => out.enqueue(word)) },
 *   { map: (word, out) => out.enqueue(word.length) },
 * );
 * console.assert((await Array.fromAsync(relay(ReadableStream.from(["a bb"]), words))).join() === "1,2");
 * ```
 */
export function chain<A, B, C>(
  first: RelayHooks<A, B>,
  second: RelayHooks<B, C>,
): RelayHooks<A, C> {
  const closeSecond = (out: Sink<C>) => second.end ? second.end(out) : out.close();
  let inner: Sink<B> | undefined;
  let innerOf: Sink<C> | undefined;
  const into = (out: Sink<C>): Sink<B> => {
    if (innerOf !== out) {
      innerOf = out;
      inner = {
        enqueue: (value) => second.map(value, out),
        close: () => closeSecond(out),
        error: (err) => second.fail ? second.fail(err, out) : out.error(err),
      };
    }
    return inner!;
  };
  return {
    map: (value, out) => first.map(value, into(out)),
    end: (out) => first.end ? first.end(into(out)) : closeSecond(out),
    fail: (err, out) => first.fail ? first.fail(err, into(out)) : into(out).error(err),
    cancel(reason) {
      first.cancel?.(reason);
      second.cancel?.(reason);
    },
  };
}

/**
 * A stream that pulls `source` only when its reader wants more, mapping
 * values through `hooks`.
 *
 * @example
 * ```ts
 * import { relay } from "./relay.ts";
 * const doubled = relay(ReadableStream.from([1, 2]), { map: (n, out) => out.enqueue(n * 2) });
 * console.assert((await Array.fromAsync(doubled)).join() === "2,4");
 * ```
 */
export function relay<T, U>(
  source: ReadableStream<T> | Source<T>,
  hooks: RelayHooks<T, U>,
): ReadableStream<U> {
  const reader = source instanceof ReadableStream ? source.getReader() : source;
  const end = hooks.end ?? ((controller: Sink<U>) => controller.close());
  const fail = hooks.fail ?? ((err: unknown, controller: Sink<U>) => controller.error(err));
  // One sink for the stream's life, not one per pull.
  let produced = false;
  let output!: ReadableStreamDefaultController<U>;
  const sink: Sink<U> = {
    enqueue(chunk: U) {
      produced = true;
      output.enqueue(chunk);
    },
    close() {
      produced = true;
      output.close();
    },
    error(err: unknown) {
      produced = true;
      output.error(err);
    },
  };
  return new ReadableStream<U>({
    start(controller) {
      output = controller;
    },
    async pull() {
      // A pull that enqueues nothing is not called again: read on until something comes out.
      produced = false;
      while (!produced) {
        let result: ReadableStreamReadResult<T>;
        try {
          result = await reader.read();
        } catch (err) {
          fail(err, sink);
          return;
        }
        try {
          if (result.done) end(sink);
          else hooks.map(result.value, sink);
        } catch (err) {
          reader.cancel(err).catch(() => {});
          throw err;
        }
      }
    },
    cancel(reason) {
      hooks.cancel?.(reason);
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
