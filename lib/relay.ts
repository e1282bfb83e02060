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
 * Maps a {@linkcode Source} through `hooks` into another source, with no
 * stream in between: a chain of such steps costs one `ReadableStream` at the
 * end (or none, for a consumer that reads by hand). Values emitted before a
 * failure are all read before it.
 *
 * @example
 * ```ts
 * import { mapSource } from "./relay.ts";
 * const doubled = mapSource(ReadableStream.from([1, 2]).getReader(), {
 *   map: (n, out) => out.enqueue(n * 2),
 * });
 * console.assert((await doubled.read()).value === 2);
 * ```
 */
export function mapSource<T, U>(source: Source<T>, hooks: RelayHooks<T, U>): Source<U> {
  const end = hooks.end ?? ((sink: Sink<U>) => sink.close());
  const fail = hooks.fail ?? ((err: unknown, sink: Sink<U>) => sink.error(err));
  const queue: U[] = [];
  let closed = false;
  let failure: { error: unknown } | undefined;
  const sink: Sink<U> = {
    enqueue: (value) => void queue.push(value),
    close: () => void (closed = true),
    error: (error) => void (failure ??= { error }),
  };
  return {
    async read(): Promise<ReadableStreamReadResult<U>> {
      for (;;) {
        if (queue.length > 0) return { done: false, value: queue.shift()! };
        if (failure) throw failure.error;
        if (closed) return { done: true, value: undefined };
        let result: ReadableStreamReadResult<T>;
        try {
          result = await source.read();
        } catch (err) {
          fail(err, sink);
          continue;
        }
        try {
          if (result.done) end(sink);
          else hooks.map(result.value, sink);
        } catch (err) {
          // What this value emitted before the throw is still read, then the error, for good.
          source.cancel(err).catch(() => {});
          failure ??= { error: err };
        }
      }
    },
    cancel(reason) {
      hooks.cancel?.(reason);
      return source.cancel(reason);
    },
  };
}

/**
 * A {@linkcode Source} as a `ReadableStream`, pulled only when its reader wants
 * more; cancelling the stream cancels the source.
 */
export function toStream<T>(source: Source<T>): ReadableStream<T> {
  return new ReadableStream<T>({
    async pull(controller) {
      const { done, value } = await source.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => source.cancel(reason),
  }, { highWaterMark: 0 });
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
  return toStream(mapSource(source instanceof ReadableStream ? source.getReader() : source, hooks));
}
