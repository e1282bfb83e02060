/**
 * The serve benchmark's child processes: a server role (the fast fake, a reference proxy) that
 * prints its URL, and the Deno load generator, one job at a time over stdin/stdout. Each runs
 * with only loopback network access, so none steals the event loop of another.
 *
 * @module
 */

import { TextLineStream } from "@std/streams/text-line-stream";
import type { Job, JobResult } from "./roles/load.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const MAIN = new URL("./main.ts", import.meta.url).pathname;

/** Runs `script` with `args` and only loopback network access. */
function spawn(script: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", "--allow-net=127.0.0.1", script, ...args],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
}

/** A child server: its process and URL; disposing stops it. */
export interface RoleServer extends AsyncDisposable {
  /** The child. */
  child: Deno.ChildProcess;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
}

/** Runs `script` with `args` and waits for the URL it prints first. */
export async function startServer(script: string, args: string[]): Promise<RoleServer> {
  const child = spawn(script, args);
  void child.stdin.close();
  const lines: ReadableStream<string> = child.stdout.pipeThrough(new TextDecoderStream())
    .pipeThrough(new TextLineStream());
  const reader = lines.getReader();
  const { value } = await reader.read();
  void reader.cancel();
  if (value === undefined || !/^http:\/\/127\.0\.0\.1:\d+$/.test(value)) {
    throw new Error(`${script} ${args.join(" ")} did not start`);
  }
  return {
    child,
    url: value,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGTERM");
      } catch {
        // Gone already.
      }
      await child.status;
    },
  };
}

/** Starts the bench's own server role `role` (`minimal` or `relay`) with `args`. */
export function startRole(role: "minimal" | "relay", args: string[]): Promise<RoleServer> {
  return startServer(MAIN, ["--role", role, ...args]);
}

/** The load generator child, one job at a time. */
export class LoadGenerator implements AsyncDisposable {
  /** The child. */
  readonly child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #lines: ReadableStreamDefaultReader<string>;

  /** Spawns the load generator. */
  constructor() {
    this.child = spawn(MAIN, ["--role", "load"]);
    this.#writer = this.child.stdin.getWriter();
    const lines: ReadableStream<string> = this.child.stdout.pipeThrough(new TextDecoderStream())
      .pipeThrough(new TextLineStream());
    this.#lines = lines.getReader();
  }

  /** Runs `job` and resolves with what it measured. */
  async run(job: Job): Promise<JobResult> {
    await this.#writer.write(new TextEncoder().encode(JSON.stringify(job) + "\n"));
    const { done, value } = await this.#lines.read();
    if (done) throw new Error("the load generator exited");
    return JSON.parse(value) as JobResult;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#writer.close().catch(() => {});
    await this.#lines.cancel().catch(() => {});
    await this.child.status;
  }
}
