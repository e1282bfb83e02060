/**
 * The benchmark's LSP client: `copilot lsp` spawned as the binary runs, spoken
 * to with the server's own framing module (nothing between the pipe and the
 * clock but framing), and its resident memory read from /proc.
 *
 * @module
 */

import { frame, readMessages } from "../../lib/lsp/framing.ts";
import { cliArgs } from "../../test/fixtures/spawn_cli.ts";

/** A running `copilot lsp`. */
export class LspChild {
  #child: Deno.ChildProcess;
  #stdin: WritableStreamDefaultWriter<Uint8Array>;
  #waiting = new Map<number, (message: Record<string, unknown>) => void>();
  #nextId = 1;
  #done: Promise<void>;

  /** Spawns `copilot lsp ARGS` with `env`. */
  constructor(env: Record<string, string>, args: string[] = []) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: cliArgs("lsp", ...args),
      env,
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#stdin = this.#child.stdin.getWriter();
    const stdout = this.#child.stdout;
    this.#done = (async () => {
      for await (const message of readMessages(stdout)) {
        const m = message as Record<string, unknown>;
        if (typeof m.id === "number" && !("method" in m)) {
          this.#waiting.get(m.id)?.(m);
          this.#waiting.delete(m.id);
        }
      }
    })();
  }

  /** Sends a request; resolves with the whole answer message. */
  request(method: string, params: unknown): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    const answer = new Promise<Record<string, unknown>>((resolve) =>
      this.#waiting.set(id, resolve)
    );
    this.#stdin.write(frame({ jsonrpc: "2.0", id, method, params }));
    return answer;
  }

  /** Sends a notification. */
  notify(method: string, params: unknown): Promise<void> {
    return this.#stdin.write(frame({ jsonrpc: "2.0", method, params }));
  }

  /** Resident set size of the server process, in MB (Linux). */
  async rssMb(): Promise<number> {
    const status = await Deno.readTextFile(`/proc/${this.#child.pid}/status`);
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return kb / 1024;
  }

  /** Shuts the server down and waits for it to exit. */
  async stop(): Promise<void> {
    await this.request("shutdown", null);
    await this.notify("exit", null);
    await this.#stdin.close().catch(() => {});
    await this.#child.status;
    await this.#done;
  }
}
