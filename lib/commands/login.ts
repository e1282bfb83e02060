/**
 * `copilot login`: the device flow, then `/user`, then the token is stored
 * privately and the old session cache dropped.
 *
 * @module
 */

import type { LoginOptions } from "./login_args.ts";
import { DEFAULT_HOST } from "../base/config.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import type { Settings } from "../base/settings.ts";
import { startDeviceLogin } from "../auth/mod.ts";

const encoder = new TextEncoder();

function say(line: string): void {
  Deno.stderr.writeSync(encoder.encode(`${line}\n`));
}

/** The bare host of `--host` (`octo.ghe.com`, also given as a URL); exit 2 when it is not one. */
export function normalizeHost(value: string): string {
  const trimmed = value.trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    if (url.hostname && (url.pathname === "/" || url.pathname === "") && !url.search) {
      return url.host.toLowerCase();
    }
  } catch {
    // Reported below.
  }
  throw new CopilotError(
    `--host takes a GitHub host such as octo.ghe.com, not '${value}' (see \`copilot login --help\`)`,
    { exitCode: ExitCode.Usage },
  );
}

/** Where the waiting indicator draws: stderr, or a stand-in in tests. */
export interface IndicatorOutput {
  /** Whether it is a terminal (nothing is drawn otherwise). */
  isTerminal(): boolean;
  /** Writes bytes at once. */
  writeSync(bytes: Uint8Array): number;
}

/**
 * A one-line "waiting" spinner; drawn only on a terminal, erased by `stop`
 * or when `signal` aborts (Ctrl-C exits right after the abort).
 */
export function waitingIndicator(
  signal: AbortSignal,
  out: IndicatorOutput = Deno.stderr,
  everyMs = 100,
): { stop: () => void } {
  if (!out.isTerminal()) return { stop: () => {} };
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let frame = 0;
  const draw = () => {
    const text = `${frames[frame++ % frames.length]} Waiting for you to enter the code...`;
    out.writeSync(encoder.encode(`\r${text}`));
  };
  draw();
  const timer = setInterval(draw, everyMs);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    signal.removeEventListener("abort", stop);
    out.writeSync(encoder.encode("\r\x1b[2K"));
  };
  signal.addEventListener("abort", stop, { once: true });
  return { stop };
}

/**
 * Runs `copilot login`; resolves with exit status 0 or throws a
 * {@linkcode CopilotError}.
 */
export async function login(
  options: LoginOptions,
  settings: Settings,
  signal: AbortSignal,
): Promise<number> {
  const host = normalizeHost(options.host ?? settings.host);
  const login = await startDeviceLogin(settings, host, signal);
  const { code } = login;
  say(`! First copy your one-time code: ${code.userCode}`);
  say(`Then open: ${code.verificationUri}`);
  if (!options.noBrowser) {
    const { openBrowser } = await import("../cli/browser.ts");
    if (openBrowser(code.verificationUri, { env: (name) => settings.hostEnv[name] })) {
      say("(opening it in your browser)");
    }
  }

  const indicator = waitingIndicator(signal);
  let stored;
  try {
    stored = await login.finish(signal);
  } finally {
    indicator.stop();
  }
  const { user, path } = stored;
  say(`Logged in as ${user}${host === DEFAULT_HOST ? "" : ` on ${host}`}`);
  say(`Token stored in ${path}`);
  if (settings.githubToken) {
    say("Note: COPILOT_GITHUB_TOKEN is set and is used instead of this login while it is");
  }
  return ExitCode.Ok;
}
