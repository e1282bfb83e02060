/**
 * `copilot claude|codex [ARGS]`: a private `copilot serve` in this process on
 * 127.0.0.1 (a free port, a random key), the agent run against it with
 * everything it needs set, and the agent's exit status passed through. The
 * agent is started through `/bin/sh` (`exec "$0" "$@"`), the one program the
 * CLI's permissions let it run, which finds it on PATH.
 *
 * @module
 */

import type { AgentOptions } from "./agent_args.ts";
import type { Settings } from "../base/settings.ts";
import { CopilotClient } from "../copilot/client.ts";
import { findCredentials } from "../auth/mod.ts";
import { CopilotError } from "../base/errors.ts";
import { createHandler, type Handler } from "../serve/handler.ts";
import { keepSessionFresh, listen } from "../serve/lifecycle.ts";
import type { AgentLaunch, LaunchModel } from "../agents/launch.ts";
import { agentLaunch } from "../agents/pick.ts";

/** A private server: its base URL, its key, and how to stop it. */
interface PrivateServe extends AsyncDisposable {
  baseUrl: string;
  apiKey: string;
  client: CopilotClient;
}

/** A random key of 32 hex digits. */
function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)))
    .map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Starts the private server; `log` gets its access log (with `COPILOT_DEBUG`). */
function startPrivateServe(settings: Settings, log?: (line: string) => void): PrivateServe {
  const client = new CopilotClient({ settings, maxRetryAfter: 0 });
  const apiKey = randomKey();
  const shutdown = new AbortController();
  const ready: { handler?: Handler } = {};
  const server = listen("127.0.0.1", 0, () => ready.handler!, (line) => console.error(line));
  const { port } = server.addr;
  ready.handler = createHandler(client, {
    host: "127.0.0.1",
    port,
    allowOrigin: [],
    apiKey,
    ...(log ? { log } : {}),
    loggedIn: async () => (await findCredentials(settings)).length > 0,
    signal: shutdown.signal,
  });
  keepSessionFresh(client.session, shutdown.signal);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    client,
    async [Symbol.asyncDispose]() {
      shutdown.abort();
      await server.shutdown();
    },
  };
}

/** `/bin/sh` arguments that unset `launch.unset` and exec the agent with its arguments. */
export function shellArgs(launch: AgentLaunch): string[] {
  const unset = launch.unset.filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
  const script = `${unset.length ? `unset ${unset.join(" ")}; ` : ""}exec "$0" "$@"`;
  return ["-c", script, launch.command, ...launch.args];
}

/** Runs the agent and resolves with its exit status (128 + n when killed by signal n). */
async function runAgent(launch: AgentLaunch): Promise<number> {
  const child = new Deno.Command("/bin/sh", {
    args: shellArgs(launch),
    env: launch.env,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  // Ctrl-C reaches the agent (same process group); it decides, this process waits for it.
  const ignore = () => {};
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const name of signals) Deno.addSignalListener(name, ignore);
  try {
    const status = await child.status;
    if (status.code === 127) {
      console.error(
        `copilot: could not run ${launch.command}; is it installed and on PATH? (see copilot help ${launch.command})`,
      );
    }
    return status.signal ? 128 + signalNumber(status.signal) : status.code;
  } finally {
    for (const name of signals) Deno.removeSignalListener(name, ignore);
  }
}

function signalNumber(signal: Deno.Signal): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[
    signal
  ] ?? 1;
}

/** Runs `options.agent` against a private serve; resolves with the agent's exit status. */
export async function agent(options: AgentOptions, settings: Settings): Promise<number> {
  if ((await findCredentials(settings)).length === 0) {
    throw new CopilotError("not logged in: run `copilot login` (or set COPILOT_GITHUB_TOKEN)");
  }
  const log = settings.net.debug ? (line: string) => console.error(line) : undefined;
  await using serve = startPrivateServe(settings, log);
  const models = await serve.client.models() as LaunchModel[];
  const launch = agentLaunch(options.agent, models, serve, options.args);
  return await runAgent(launch);
}
