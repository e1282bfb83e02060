/**
 * Test helper: runs `copilot serve` as a child (the real CLI, the binary's
 * permissions), waits for its "Listening on" line instead of sleeping, and
 * collects its stderr lines for assertions.
 *
 * @module
 */

import { TextLineStream } from "@std/streams/text-line-stream";
import { spawnCli } from "./cli.ts";

/** A running `copilot serve`. `await using` stops it (SIGTERM) and awaits it. */
export interface ServeProcess extends AsyncDisposable {
  /** The URL from the listening line, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** The child process. */
  child: Deno.ChildProcess;
  /** Every stderr line so far. */
  lines: string[];
  /** Waits for a stderr line matching `pattern` (seen before or to come). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` (default SIGTERM) unless it has exited; resolves with its status once stderr is read. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

/** Starts `copilot serve ARGS` with `env`; resolves once it listens. */
export async function startServe(
  env: Record<string, string>,
  args: string[] = ["0"],
): Promise<ServeProcess> {
  const child = spawnCli(["serve", ...args], { env });
  const lines: string[] = [];
  let waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let ended = false;
  const endWaiters = new Set<() => void>();
  const stdoutDone = child.stdout.cancel();
  const stderrDone = (async () => {
    const stream: ReadableStream<string> = child.stderr.pipeThrough(new TextDecoderStream())
      .pipeThrough(new TextLineStream());
    for await (const line of stream) {
      lines.push(line);
      waiters = waiters.filter((w) => {
        if (!w.pattern.test(line)) return true;
        w.resolve(line);
        return false;
      });
    }
    ended = true;
    for (const wake of endWaiters) wake();
  })();

  function waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const seen = lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const fail = (why: string) => {
        waiters = waiters.filter((w) => w.resolve !== done);
        endWaiters.delete(onEnd);
        reject(
          new Error(`Cannot find ${pattern} in the server's stderr: ${why}\n${lines.join("\n")}`),
        );
      };
      const timer = setTimeout(() => fail(`not within ${timeoutMs} ms`), timeoutMs);
      const onEnd = () => {
        clearTimeout(timer);
        fail("the server exited");
      };
      const done = (line: string) => {
        clearTimeout(timer);
        endWaiters.delete(onEnd);
        resolve(line);
      };
      if (ended) return onEnd();
      endWaiters.add(onEnd);
      waiters.push({ pattern, resolve: done });
    });
  }

  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  async function stop(signal: Deno.Signal = "SIGTERM"): Promise<Deno.CommandStatus> {
    if (!exited) {
      try {
        child.kill(signal);
      } catch {
        // Already gone.
      }
    }
    const result = await status;
    await stderrDone;
    await stdoutDone;
    return result;
  }

  let listening: string;
  try {
    listening = await waitFor(/^Listening on /);
  } catch (err) {
    await stop("SIGKILL");
    throw err;
  }
  const url = listening.slice("Listening on ".length).trim();
  return {
    url,
    port: Number(new URL(url).port),
    child,
    lines,
    waitFor,
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
    },
  };
}

/** Waits until `check()` holds, polling every 10 ms, failing after `timeoutMs`. */
export async function eventually(
  check: () => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Cannot see ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Sends a raw HTTP/1.1 GET with the given `Host` header; resolves with the status code. */
export async function rawStatus(port: number, host: string, path = "/healthz"): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(
    new TextEncoder().encode(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
  );
  const text = await new Response(conn.readable).text();
  return Number(text.split(" ")[1]);
}

/** Peak resident memory of process `pid` in MiB (Linux `VmHWM`), or undefined elsewhere. */
export async function peakRssMiB(pid: number): Promise<number | undefined> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}
