/**
 * `deno task demo`: the tool end to end, offline, with no account. Starts the
 * project's fake GitHub + Copilot in this process, gives the CLI a throwaway
 * home, then runs `copilot login` (the fake approves the device code after one
 * poll) and streams `echo "def fib(n):" | copilot complete --lang python`.
 *
 * @module
 */

import { cliArgs, sandbox } from "./cli.ts";
import { startFake } from "./fake_upstream.ts";

const PROMPT = "def fib(n):\n";

/** Runs the CLI with inherited stdout/stderr, so the user sees exactly what it prints. */
async function show(args: string[], env: Record<string, string>, stdin?: string) {
  console.log(
    `\n$ ${stdin === undefined ? "" : `printf '${JSON.stringify(stdin).slice(1, -1)}' | `}copilot ${
      args.join(" ")
    }`,
  );
  const child = new Deno.Command(Deno.execPath(), {
    args: cliArgs(...args),
    env,
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const { code } = await child.status;
  if (code !== 0) throw new Error(`Cannot finish the demo: copilot ${args[0]} exited ${code}`);
}

await using fake = await startFake({ device: { interval: 0.5, pending: 1 } });
fake.config.completions.gapMs = 120; // slow enough to watch it stream
await using box = await sandbox(fake);
console.log(`fake GitHub + Copilot at ${fake.url}; config dir ${box.configDir}`);
await show(["login", "--no-browser"], box.env);
await show(["status"], box.env);
await show(["complete", "--lang", "python"], box.env, PROMPT);
console.log(
  `\nThe fake served ${fake.stats.exchanges} token exchange(s) and ${fake.stats.completions} completion(s).`,
);
