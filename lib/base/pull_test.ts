import { assertEquals, assertRejects } from "@std/assert";
import { chain, mapSource, relay, toStream } from "./pull.ts";

Deno.test("relay", async (t) => {
  await t.step("maps each value to none, one or several outputs", async () => {
    const out = relay(ReadableStream.from([1, 2, 3]), {
      map: (n, sink) => {
        for (let i = 0; i < n - 1; i++) sink.enqueue(n);
      },
    });
    assertEquals(await Array.fromAsync(out), [2, 3, 3]);
  });

  await t.step("end may add a last value; fail may finish gracefully", async () => {
    let pulls = 0;
    const failing = new ReadableStream<number>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(1);
        else controller.error(new Error("boom"));
      },
    }, { highWaterMark: 0 });
    const out = relay(failing, {
      map: (n, sink) => sink.enqueue(String(n)),
      fail: (err, sink) => {
        sink.enqueue(`failed: ${(err as Error).message}`);
        sink.close();
      },
    });
    assertEquals(await Array.fromAsync(out), ["1", "failed: boom"]);
    const ended = relay(ReadableStream.from(["a"]), {
      map: (s, sink) => sink.enqueue(s),
      end: (sink) => {
        sink.enqueue("[DONE]");
        sink.close();
      },
    });
    assertEquals(await Array.fromAsync(ended), ["a", "[DONE]"]);
  });

  await t.step("a throwing map errors the output and cancels the source", async () => {
    let cancelled: unknown;
    const source = new ReadableStream<number>({
      pull: (controller) => controller.enqueue(1),
      cancel: (reason) => void (cancelled = reason),
    });
    const out = relay(source, {
      map: () => {
        throw new TypeError("bad value");
      },
    });
    await assertRejects(() => Array.fromAsync(out), TypeError, "bad value");
    assertEquals((cancelled as Error).message, "bad value");
  });

  await t.step("what a value emitted before its map threw is read first", async () => {
    const out = relay(ReadableStream.from(["hello", "boom"]), {
      map: (s, sink) => {
        sink.enqueue(s);
        if (s === "boom") throw new Error("upstream said no");
      },
    }).getReader();
    assertEquals((await out.read()).value, "hello");
    assertEquals((await out.read()).value, "boom");
    await assertRejects(() => out.read(), Error, "upstream said no");
  });

  await t.step("cancelling the output cancels the source and runs the hook", async () => {
    const seen: unknown[] = [];
    const source = new ReadableStream<number>({
      pull: (controller) => controller.enqueue(1),
      cancel: (reason) => void seen.push(`source: ${reason}`),
    });
    const out = relay(source, {
      map: (n, sink) => sink.enqueue(n),
      cancel: (reason) => void seen.push(`hook: ${reason}`),
    });
    const reader = out.getReader();
    assertEquals((await reader.read()).value, 1);
    await reader.cancel("left");
    assertEquals(seen, ["hook: left", "source: left"]);
  });

  await t.step("reads nothing ahead of its consumer", async () => {
    let pulled = 0;
    const source = new ReadableStream<number>({
      pull: (controller) => controller.enqueue(++pulled),
    }, { highWaterMark: 0 });
    const reader = relay(source, { map: (n, sink) => sink.enqueue(n) }).getReader();
    await reader.read();
    await reader.read();
    assertEquals(pulled, 2);
    await reader.cancel();
  });
});

Deno.test("chain: two steps in one stream, ends and failures passed along", async () => {
  const split = {
    map: (line: string, sink: { enqueue(word: string): void }) =>
      line.split(" ").forEach((word) => sink.enqueue(word)),
    end: (sink: { enqueue(word: string): void; close(): void }) => {
      sink.enqueue("END");
      sink.close();
    },
  };
  const lengths = chain<string, string, number>(split, {
    map: (word, sink) => sink.enqueue(word.length),
    end: (sink) => {
      sink.enqueue(-1);
      sink.close();
    },
  });
  assertEquals(await Array.fromAsync(relay(ReadableStream.from(["a bb", "ccc"]), lengths)), [
    1,
    2,
    3,
    3,
    -1,
  ]);
  const strict = chain<string, string, string>({ map: (s, sink) => sink.enqueue(s) }, {
    map: (s) => {
      throw new RangeError(`no ${s}`);
    },
  });
  await assertRejects(
    () => Array.fromAsync(relay(ReadableStream.from(["x"]), strict)),
    RangeError,
    "no x",
  );
});

Deno.test("chain: a throw in the first step fails the second, as two steps would", async () => {
  const seen: string[] = [];
  const steps = chain<string, string, string>({
    map: (s, sink) => {
      if (s === "bad") throw new Error("first said no");
      sink.enqueue(s);
    },
  }, {
    map: (s, sink) => sink.enqueue(s.toUpperCase()),
    fail: (err, sink) => {
      seen.push((err as Error).message);
      sink.enqueue("[error]");
      sink.close();
    },
  });
  let cancelled = false;
  const source = new ReadableStream<string>({
    start(controller) {
      for (const s of ["a", "bad", "b"]) controller.enqueue(s);
    },
    cancel: () => void (cancelled = true),
  });
  assertEquals(await Array.fromAsync(relay(source, steps)), ["A", "[error]"]);
  assertEquals(seen, ["first said no"]);
  assertEquals(cancelled, true, "a closed output cancels its source");
});

Deno.test("mapSource: a mapped source that nobody read is fused into one stage", async (t) => {
  const reader = ReadableStream.from(["a b", "c"]).getReader();
  let reads = 0;
  const counted = {
    read: () => (reads++, reader.read()),
    cancel: (reason?: unknown) => reader.cancel(reason),
  };
  const words = mapSource<string, string>(counted, {
    map: (text, out) => text.split(" ").forEach((word) => out.enqueue(word)),
  });
  const upper = mapSource(words, { map: (word: string, out) => out.enqueue(word.toUpperCase()) });

  await t.step("values flow through both steps, the first source read once per value", async () => {
    assertEquals((await upper.read()).value, "A");
    assertEquals(upper.take?.(), "B", "what the same read brought is taken without waiting");
    assertEquals(upper.take?.(), undefined);
    assertEquals((await upper.read()).value, "C");
    assertEquals((await upper.read()).done, true);
    assertEquals(reads, 3);
  });

  await t.step("the fused-away source may not be read any more", async () => {
    await assertRejects(() => words.read(), TypeError, "mapped again");
    await words.cancel("stop"); // cancelling it still stops the source, and does not throw
  });

  await t.step("a source already read is stacked, not fused", async () => {
    const first = mapSource<number, number>(ReadableStream.from([1, 2]).getReader(), {
      map: (n, out) => out.enqueue(n),
    });
    assertEquals((await first.read()).value, 1);
    const doubled = mapSource(first, { map: (n: number, out) => out.enqueue(n * 2) });
    assertEquals((await doubled.read()).value, 4);
    assertEquals((await doubled.read()).done, true);
  });
});

Deno.test("toStream with join: one chunk per read, whatever it held", async () => {
  const lines = mapSource(ReadableStream.from(["a\nb\n", "c\n"]).getReader(), {
    map: (text: string, out) => text.split("\n").filter(Boolean).forEach((l) => out.enqueue(l)),
  });
  assertEquals(await Array.fromAsync(toStream(lines, (parts) => parts.join("+"))), ["a+b", "c"]);
});
