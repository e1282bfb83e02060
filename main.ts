/**
 * `copilot`: GitHub Copilot completions in any terminal, editor or script.
 * This file only parses the command line and dispatches; it is the one place
 * that turns failures into a message and an exit status, and that exits.
 *
 * @module
 */

import { type Command, COMMAND_HELP, MAIN_HELP, parseCommand } from "./lib/commands/mod.ts";
import { outcomeOf } from "./lib/base/errors.ts";
import { processEnv, readSettings, type Settings } from "./lib/base/settings.ts";
import { listenForInterrupt } from "./lib/cli/interrupt.ts";
import { editorOf, reportFailure } from "./lib/cli/editor.ts";

/**
 * Runs one command; resolves with the exit status. `signal` aborts on Ctrl-C;
 * `settings` are the environment's, read once.
 */
export async function run(
  command: Command,
  signal: AbortSignal,
  settings: Settings,
): Promise<number> {
  switch (command.command) {
    case "help": {
      // parseCommand names only topics that have a help text (lib/commands/mod.ts).
      const text = (command.topic && COMMAND_HELP[command.topic]) || MAIN_HELP;
      await Deno.stdout.write(new TextEncoder().encode(text));
      return 0;
    }
    case "version": {
      const { default: meta } = await import("./deno.json", { with: { type: "json" } });
      console.log(`copilot ${meta.version}`);
      return 0;
    }
    case "login":
      return (await import("./lib/commands/login.ts")).login(command.options, settings, signal);
    case "logout":
      return (await import("./lib/commands/logout.ts")).logout(settings);
    case "status":
      return (await import("./lib/commands/status.ts")).status(command.options, settings, signal);
    case "models":
      return (await import("./lib/commands/models.ts")).models(command.options, settings, signal);
    case "complete":
      return (await import("./lib/commands/complete.ts")).complete(
        command.options,
        settings,
        signal,
      );
    case "serve":
      // serve owns SIGINT/SIGTERM: they mean a graceful shutdown, exit 0.
      return (await import("./lib/commands/serve.ts")).serve(command.options, settings);
    case "lsp":
      return (await import("./lib/commands/lsp.ts")).lsp(command.options, settings);
    case "agent":
      // The agent owns Ctrl-C; its exit status is passed through.
      return (await import("./lib/commands/agent.ts")).agent(command.options, settings);
  }
}

/** Runs the command line; never throws. */
async function main(args: string[]): Promise<number> {
  let settings: Settings | undefined;
  try {
    settings = readSettings(processEnv());
    const command = parseCommand(args);
    if (command.command === "serve" || command.command === "agent") {
      return await run(command, new AbortController().signal, settings);
    }
    const { signal, interrupted } = listenForInterrupt();
    return await Promise.race([run(command, signal, settings), interrupted]);
  } catch (err) {
    const { message, exitCode } = outcomeOf(err, settings?.net.debug);
    if (message !== undefined) await reportFailure(`copilot: ${message}`, editorOf(settings));
    return exitCode;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
