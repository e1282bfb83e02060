/**
 * A pull-based stream mapper: the one way this tool turns one stream into
 * another. Unlike `pipeThrough`, nothing is read ahead of the consumer, no
 * `pipeTo` machinery runs per chunk, and cancelling the output cancels the
 * source at once.
 *
 * Why this file is long: `Source`, `mapSource`'s fusing of two unread stages
 * into one, `chain` and `toStream` share one contract (who may read a source,
 * when a fused stage's hooks run, how a cancel travels back). Kept together,
 * that contract is stated and tested in one place (`pull_test.ts`); split, each
 * file would depend on the others' private state.
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
  /**
   * A value already at hand, without waiting (undefined when none is): lets a
   * consumer take everything one read brought in at once.
   */
  take?(): T | undefined;
}

/** A throw of the second step passing through the first, told apart by its chain. */
class Downstream {
  constructor(readonly error: unknown, readonly from: object) {}
}

/** The second step of a {@linkcode Chained}, as its {@linkcode Into} calls it. */
interface Second<B, C> {
  readonly second: RelayHooks<B, C>;
  closeSecond(out: Sink<C>): void;
  failSecond(err: unknown, out: Sink<C>): void;
}

/** What `first` of a {@linkcode Chained} emits into: `second`, with its throws marked. */
class Into<B, C> implements Sink<B> {
  constructor(readonly chained: Second<B, C>, readonly out: Sink<C>) {}
  enqueue(value: B): void {
    try {
      this.chained.second.map(value, this.out);
    } catch (err) {
      throw new Downstream(err, this.chained);
    }
  }
  close(): void {
    try {
      this.chained.closeSecond(this.out);
    } catch (err) {
      throw new Downstream(err, this.chained);
    }
  }
  error(reason: unknown): void {
    try {
      this.chained.failSecond(reason, this.out);
    } catch (err) {
      throw new Downstream(err, this.chained);
    }
  }
}

/** The hooks {@linkcode chain} makes. */
class Chained<A, B, C> implements RelayHooks<A, C>, Second<B, C> {
  /** `first` threw: like a failed step, it gets nothing more. */
  #broken = false;
  #into: Into<B, C> | undefined;

  constructor(readonly first: RelayHooks<A, B>, readonly second: RelayHooks<B, C>) {}

  closeSecond(out: Sink<C>): void {
    if (this.second.end) this.second.end(out);
    else out.close();
  }

  failSecond(err: unknown, out: Sink<C>): void {
    if (this.second.fail) this.second.fail(err, out);
    else out.error(err);
  }

  #sink(out: Sink<C>): Into<B, C> {
    if (this.#into?.out !== out) this.#into = new Into(this, out);
    return this.#into;
  }

  /** A throw of `first` fails `second`; one of `second` goes on as it is. */
  #threw(err: unknown, out: Sink<C>): void {
    if (err instanceof Downstream && err.from === this) throw err.error;
    this.#broken = true;
    this.failSecond(err, out);
  }

  map(value: A, out: Sink<C>): void {
    if (this.#broken) return;
    try {
      this.first.map(value, this.#sink(out));
    } catch (err) {
      this.#threw(err, out);
    }
  }

  end(out: Sink<C>): void {
    if (this.#broken) return;
    if (!this.first.end) return this.closeSecond(out);
    try {
      this.first.end(this.#sink(out));
    } catch (err) {
      this.#threw(err, out);
    }
  }

  fail(err: unknown, out: Sink<C>): void {
    if (this.#broken) return;
    if (!this.first.fail) return this.failSecond(err, out);
    try {
      this.first.fail(err, this.#sink(out));
    } catch (thrown) {
      this.#threw(thrown, out);
    }
  }

  cancel(reason: unknown): void {
    this.second.cancel?.(reason);
    this.first.cancel?.(reason);
  }
}

/**
 * Chains two mappers into one, so a pipeline of steps costs one stage, not
 * one per step: what `first` emits goes straight into `second`. It behaves
 * as the two steps mapped one after the other would: when `first` throws,
 * `second` sees its source fail (its `fail` hook runs) and `first` gets
 * nothing more; a throw in `second` errors the output.
 *
 * @example
 * ```ts
 * import { chain, relay } from "./pull.ts";
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
  return new Chained(first, second);
}

/** Where a {@linkcode Mapped} stage's hooks put their values. */
class Outbox<U> implements Sink<U> {
  queue: U[] = [];
  closed = false;
  failure: { error: unknown } | undefined;
  enqueue(value: U): void {
    this.queue.push(value);
  }
  close(): void {
    this.closed = true;
  }
  error(error: unknown): void {
    this.failure ??= { error };
  }
}

/** The source {@linkcode mapSource} makes. */
class Mapped<T, U> implements Source<U> {
  #out = new Outbox<U>();
  /** The source has ended, failed or been cancelled: it is read no more. */
  #sourceDone = false;
  /** Read, taken from or cancelled: too late to fuse another step into this one. */
  #started = false;
  /** Handed over to a stage that fused this one's hooks with its own. */
  #fused = false;

  constructor(readonly source: Source<T>, readonly hooks: RelayHooks<T, U>) {}

  /** This stage's source and hooks, for a next step to chain with, unless it was used. */
  fuse(): { source: Source<T>; hooks: RelayHooks<T, U> } | undefined {
    if (this.#started || this.#fused) return undefined;
    this.#fused = true;
    return { source: this.source, hooks: this.hooks };
  }

  #start(): void {
    if (this.#fused) throw new TypeError("This source was mapped again: read that one instead");
    this.#started = true;
  }

  /** After a hook ran: once the output is over, the source is read no more. */
  #settle(): void {
    const out = this.#out;
    if ((out.closed || out.failure) && !this.#sourceDone) {
      this.#sourceDone = true;
      this.source.cancel(out.failure?.error).catch(() => {});
    }
  }

  /** Maps one value; a throw fails the output, after what the value emitted before it. */
  #map(value: T): void {
    try {
      this.hooks.map(value, this.#out);
    } catch (err) {
      this.#out.error(err);
    }
    this.#settle();
  }

  async read(): Promise<ReadableStreamReadResult<U>> {
    this.#start();
    const out = this.#out;
    for (;;) {
      if (out.queue.length > 0) return { done: false, value: out.queue.shift()! };
      if (out.failure) throw out.failure.error;
      if (out.closed) return { done: true, value: undefined };
      let result: ReadableStreamReadResult<T>;
      try {
        result = await this.source.read();
      } catch (err) {
        this.#sourceDone = true;
        try {
          if (this.hooks.fail) this.hooks.fail(err, out);
          else out.error(err);
        } catch (thrown) {
          out.error(thrown);
        }
        continue;
      }
      if (!result.done) {
        this.#map(result.value);
        continue;
      }
      this.#sourceDone = true;
      try {
        if (this.hooks.end) this.hooks.end(out);
        else out.close();
      } catch (err) {
        out.error(err);
      }
    }
  }

  take(): U | undefined {
    this.#start();
    const out = this.#out;
    for (;;) {
      if (out.queue.length > 0) return out.queue.shift();
      if (out.failure || out.closed || this.#sourceDone) return undefined;
      const value = this.source.take?.();
      if (value === undefined) return undefined;
      this.#map(value);
    }
  }

  cancel(reason?: unknown): Promise<void> {
    // Handed over: the stage that took this one's hooks owns the source; stopping it is the point.
    if (this.#fused) return this.source.cancel(reason);
    this.#started = true;
    this.hooks.cancel?.(reason);
    if (this.#sourceDone) return Promise.resolve();
    this.#sourceDone = true;
    return this.source.cancel(reason);
  }
}

/**
 * Maps a {@linkcode Source} through `hooks` into another source, with no
 * stream in between: a chain of such steps costs one `ReadableStream` at the
 * end (or none, for a consumer that reads by hand). Mapping a source this
 * made, before anything read it, {@linkcode chain}s the two steps into one
 * stage (the first source may then not be read). Values emitted before a
 * failure are all read before it; once the output is closed or failed, the
 * source is cancelled.
 *
 * @example
 * ```ts
 * import { mapSource } from "./pull.ts";
 * const doubled = mapSource(ReadableStream.from([1, 2]).getReader(), {
 *   map: (n, out) => out.enqueue(n * 2),
 * });
 * console.assert((await doubled.read()).value === 2);
 * ```
 */
export function mapSource<T, U>(source: Source<T>, hooks: RelayHooks<T, U>): Source<U> {
  const earlier = source instanceof Mapped ? source.fuse() : undefined;
  if (earlier) return new Mapped(earlier.source, chain(earlier.hooks, hooks));
  return new Mapped(source, hooks);
}

/**
 * A {@linkcode Source} as a `ReadableStream`, pulled only when its reader wants
 * more; cancelling the stream cancels the source. With `join`, each chunk is
 * everything one read brought in (the read's value and whatever
 * {@linkcode Source.take} then gives), joined: one write per upstream read
 * however many values it held.
 *
 * @example
 * ```ts
 * import { mapSource, toStream } from "./pull.ts";
 * const words = mapSource(ReadableStream.from(["a b", "c"]).getReader(), {
 *   map: (text, out) => text.split(" ").forEach((word) => out.enqueue(word)),
 * });
 * const joined = toStream(words, (parts) => parts.join("+"));
 * console.assert((await Array.fromAsync(joined)).join() === "a+b,c");
 * ```
 */
export function toStream<T>(source: Source<T>): ReadableStream<T>;
export function toStream<T, U>(source: Source<T>, join: (values: T[]) => U): ReadableStream<U>;
export function toStream<T, U>(
  source: Source<T>,
  join?: (values: T[]) => U,
): ReadableStream<T | U> {
  return new ReadableStream<T | U>({
    async pull(controller) {
      const { done, value } = await source.read();
      if (done) return controller.close();
      if (!join) return controller.enqueue(value);
      const values = [value];
      for (let more = source.take?.(); more !== undefined; more = source.take?.()) {
        values.push(more);
      }
      controller.enqueue(join(values));
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
 * import { relay } from "./pull.ts";
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
