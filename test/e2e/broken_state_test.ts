/**
 * Broken state a user can make by hand (a directory where a file belongs,
 * garbage or empty JSON, a session cache that lies, a lock that is a
 * directory, temp files a `kill -9` left, a config dir that is a file, no
 * `HOME`) × the commands that read it: never an "internal error" or a stack
 * trace, one line saying which file and what to do, a meaningful exit code;
 * and `serve`, which warns with that line at start-up and keeps serving.
 */

import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { fromFileUrl } from "@std/path/from-file-url";
import { cliArgs, runCli, type RunResult, sandbox } from "../fixtures/spawn_cli.ts";
import { DEFAULT_GITHUB_TOKEN, startFake } from "../fixtures/fake_upstream/mod.ts";
import { startServe } from "../fixtures/serve_process.ts";

const POSIX = Deno.build.os !== "windows";
const ROOT = fromFileUrl(new URL("../..", import.meta.url));
const PROMPT = "def fib(n):\n\nprint(fib(10))\n";
const NOW_S = Math.floor(Date.now() / 1000);
const OLD = new Date(Date.now() - 3_600_000);

type Command = "status" | "complete" | "logout" | "login";
const COMMANDS: Command[] = ["status", "complete", "logout", "login"];

/** What a command must do in a state: its exit code, and a part of its last stderr line. */
type Expect = [code: number, says?: string];

interface State {
  /** What is broken. */
  name: string;
  /** Breaks the config dir `dir` (which holds a valid login unless this removes it). */
  make: (dir: string) => Promise<void>;
  /** Per command; the path in `says` is written `DIR`. */
  expect: Record<Command, Expect>;
  /** Checks the config dir after a command. */
  after?: (dir: string, command: Command) => Promise<void>;
}

const write = (path: string, text: string) => Deno.writeTextFile(path, text);
const mkdirIn = (path: string) => Deno.mkdir(`${path}/inner`, { recursive: true });

/** A session cache as `copilot` writes it, with `patch` applied. */
function sessionJson(patch: Record<string, unknown>): string {
  return JSON.stringify({
    token: "tid=lying;exp=1:ab",
    endpoints: { api: "http://127.0.0.1:9/", proxy: "http://127.0.0.1:9/" },
    host: "github.com",
    kind: "login",
    source: "copilot login",
    fingerprint: "00",
    refreshAt: NOW_S + 600,
    expiresAt: NOW_S + 900,
    ...patch,
  });
}

const ok: Record<Command, Expect> = { status: [0], complete: [0], logout: [0], login: [0] };
const dirAuth = "DIR/auth.json: it is a directory; remove it";

const STATES: State[] = [
  {
    name: "auth.json is a directory",
    make: (dir) => Deno.remove(`${dir}/auth.json`).then(() => mkdirIn(`${dir}/auth.json`)),
    expect: {
      status: [4, `cannot read ${dirAuth}`],
      complete: [4, `cannot read ${dirAuth}`],
      logout: [1, `cannot remove ${dirAuth}`],
      login: [1, `cannot write ${dirAuth}`],
    },
  },
  {
    name: "auth.json is garbage",
    make: (dir) => write(`${dir}/auth.json`, "{not json"),
    expect: {
      status: [4, "DIR/auth.json is not valid JSON; run `copilot login` again"],
      complete: [4, "DIR/auth.json is not valid JSON"],
      logout: [0],
      login: [0],
    },
  },
  {
    name: "auth.json is empty",
    make: (dir) => write(`${dir}/auth.json`, ""),
    expect: {
      status: [4, "DIR/auth.json is empty"],
      complete: [4, "DIR/auth.json is empty"],
      logout: [0],
      login: [0],
    },
  },
  {
    name: "auth.json cannot be read (a symlink to itself)",
    make: (dir) =>
      Deno.remove(`${dir}/auth.json`).then(() => Deno.symlink("auth.json", `${dir}/auth.json`)),
    expect: {
      status: [4, "cannot read DIR/auth.json: "],
      complete: [4, "cannot read DIR/auth.json: "],
      logout: [0],
      login: [0],
    },
  },
  {
    name: "session.json is a directory",
    make: (dir) => mkdirIn(`${dir}/session.json`),
    expect: {
      status: [1, "cannot write DIR/session.json: it is a directory; remove it"],
      complete: [1, "cannot write DIR/session.json: it is a directory; remove it"],
      logout: [1, "cannot remove DIR/session.json: it is a directory; remove it"],
      login: [1, "cannot remove DIR/session.json: it is a directory; remove it"],
    },
  },
  {
    name: "session.json is garbage",
    make: (dir) => write(`${dir}/session.json`, "{x"),
    expect: ok,
  },
  { name: "session.json is empty", make: (dir) => write(`${dir}/session.json`, ""), expect: ok },
  {
    name: "session.json has no endpoints",
    make: (dir) => write(`${dir}/session.json`, sessionJson({ endpoints: undefined })),
    expect: ok,
  },
  {
    name: "session.json is refreshed 30 days ahead (a clock set back)",
    make: (dir) =>
      write(
        `${dir}/session.json`,
        sessionJson({ refreshAt: NOW_S + 30 * 86_400, expiresAt: NOW_S + 31 * 86_400 }),
      ),
    expect: ok,
  },
  {
    name: "session.lock is a directory",
    make: (dir) => mkdirIn(`${dir}/session.lock`),
    expect: {
      status: [1, "cannot open DIR/session.lock: it is a directory; remove it"],
      complete: [1, "cannot open DIR/session.lock: it is a directory; remove it"],
      logout: [0],
      login: [0],
    },
  },
  {
    name: "temp files left by a kill -9",
    make: async (dir) => {
      for (const name of ["auth.json.0badf00d.tmp", "session.json.0badf00d.tmp"]) {
        await write(`${dir}/${name}`, "tid=left;exp=1:ab");
        await Deno.utime(`${dir}/${name}`, OLD, OLD);
      }
    },
    expect: ok,
    after: (dir, command) => {
      const left = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".tmp"));
      // logout removes every temp file; a write removes the stale ones of the file it writes.
      const gone = command === "logout" || command === "login"
        ? left
        : left.filter((name) => name.startsWith("session.json."));
      assertEquals(gone, [], `${command} left ${left.join(", ")}`);
      return Promise.resolve();
    },
  },
  {
    name: "the config dir is a file",
    make: async (dir) => {
      await Deno.remove(dir, { recursive: true });
      await write(dir, "");
    },
    expect: {
      status: [4, "cannot read DIR/auth.json: a parent is not a directory"],
      complete: [4, "cannot read DIR/auth.json: a parent is not a directory"],
      logout: [1, "cannot remove DIR/auth.json: a parent is not a directory"],
      login: [1, "cannot create DIR: it exists and is not a directory; remove it"],
    },
  },
];

/** No internal error, no stack trace, no token; the failure (if any) on one `copilot:` line. */
function assertOneClearLine(result: RunResult, what: string): string {
  const all = `${what}\n--- stderr\n${result.stderr}--- stdout\n${result.stdout}`;
  assert(!/internal error|Uncaught|^\s+at /m.test(result.stderr), `not clear:\n${all}`);
  assert(!/gh[oupr]_|tid=/.test(result.stdout + result.stderr), `a token leaked:\n${all}`);
  const failures = result.stderr.split("\n").filter((line) => line.startsWith("copilot: "));
  assert(failures.length <= 1, `more than one error line:\n${all}`);
  if (result.code !== 0) {
    assertEquals(failures.length, 1, `no error line:\n${all}`);
    return failures[0]!;
  }
  return "";
}

Deno.test({
  name: "every broken state × status, complete, logout, login: one clear line, right exit code",
  ignore: !POSIX,
  fn: async () => {
    const problems: string[] = [];
    const cases = STATES.flatMap((state) => COMMANDS.map((command) => ({ state, command })));
    const runCase = async ({ state, command }: typeof cases[number]) => {
      // A fake of its own: each case is another machine, with its own install ids.
      await using fake = await startFake();
      fake.addGitHubToken(DEFAULT_GITHUB_TOKEN, "octocat");
      await using sb = await sandbox(fake);
      const dir = sb.configDir;
      await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
      await write(`${dir}/auth.json`, JSON.stringify({ token: DEFAULT_GITHUB_TOKEN }));
      await state.make(dir);
      const args = command === "login" ? ["login", "--no-browser"] : [command];
      const result = await runCli(args, {
        env: sb.env,
        ...(command === "complete" ? { stdin: PROMPT } : {}),
      });
      const what = `${state.name} × ${command}`;
      try {
        const line = assertOneClearLine(result, what);
        const [code, says] = state.expect[command];
        assertEquals(result.code, code, `${what}: exit ${result.code}\n${result.stderr}`);
        if (says) assertStringIncludes(line, says.replaceAll("DIR", dir), what);
        await state.after?.(dir, command);
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
      }
    };
    // A few at a time: every case has its own sandbox.
    const queue = [...cases];
    await Promise.all(Array.from({ length: 3 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await runCase(next);
    }));
    assertEquals(problems, [], problems.join("\n\n"));
  },
});

Deno.test("no HOME, no XDG_CONFIG_HOME, no COPILOT_CONFIG_DIR: refused, nothing written", async () => {
  await using fake = await startFake();
  await using sb = await sandbox(fake);
  const env = { ...sb.env };
  for (const name of ["HOME", "USERPROFILE", "XDG_CONFIG_HOME", "COPILOT_CONFIG_DIR"]) {
    delete env[name];
  }
  const cwd = await Deno.makeTempDir({ dir: sb.home, prefix: "cwd-" });
  for (const args of [["login", "--no-browser"], ["status"], ["logout"], ["complete"]]) {
    const result = await runCli(args, { env, cwd, stdin: PROMPT });
    const line = assertOneClearLine(result, args.join(" "));
    assertEquals(result.code, 2, `${args}: ${result.stderr}`);
    assertStringIncludes(line, "HOME is not set; set HOME or COPILOT_CONFIG_DIR");
  }
  assertEquals([...Deno.readDirSync(cwd)], [], "nothing written under the working directory");
  // COPILOT_GITHUB_TOKEN needs no config dir: the session then lives in memory.
  fake.addGitHubToken(DEFAULT_GITHUB_TOKEN, "octocat");
  const withToken = { ...env, COPILOT_GITHUB_TOKEN: DEFAULT_GITHUB_TOKEN };
  const result = await runCli(["complete"], { env: withToken, cwd, stdin: PROMPT });
  assertEquals(result.code, 0, result.stderr);
  assertEquals([...Deno.readDirSync(cwd)], []);
});

/** Why a config dir that refuses chmod cannot be made here, or undefined when it can. */
async function noChmodUnavailable(): Promise<string | undefined> {
  if (!POSIX) return "no POSIX modes on Windows";
  if (Deno.uid() !== 0) return "needs root to hand the config dir to another user";
  try {
    const { success } = await new Deno.Command("setpriv", {
      args: ["--inh-caps=-fowner", "--bounding-set=-fowner", "true"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success ? undefined : "setpriv cannot drop CAP_FOWNER here";
  } catch {
    return "no setpriv to drop CAP_FOWNER";
  }
}

Deno.test("a config dir the user cannot chmod: COPILOT_GITHUB_TOKEN still works", async () => {
  const why = await noChmodUnavailable();
  if (why) {
    console.log(`skipped: ${why} (lib/auth/secure_file_test.ts covers it with an injected chmod)`);
    return;
  }
  await using fake = await startFake();
  fake.addGitHubToken(DEFAULT_GITHUB_TOKEN, "octocat");
  await using sb = await sandbox(fake);
  // Owned by nobody, 0755: root without CAP_FOWNER may write in it (DAC override) but not chmod it.
  await Deno.mkdir(sb.configDir, { recursive: true, mode: 0o755 });
  await Deno.chmod(sb.configDir, 0o755);
  await Deno.chown(sb.configDir, 65534, null);
  const env = { ...sb.env, COPILOT_GITHUB_TOKEN: DEFAULT_GITHUB_TOKEN };
  for (const [command, stdin] of [["status", undefined], ["complete", PROMPT]] as const) {
    const child = new Deno.Command("setpriv", {
      args: ["--inh-caps=-fowner", "--bounding-set=-fowner", Deno.execPath(), ...cliArgs(command)],
      env,
      clearEnv: true,
      cwd: ROOT,
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    if (stdin !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(stdin));
      await writer.close();
    }
    const out = await child.output();
    const decoder = new TextDecoder();
    const result = {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
    assertOneClearLine(result, command);
    assertEquals(result.code, 0, `${command}: ${result.stderr}`);
  }
  assert((await Deno.stat(`${sb.configDir}/session.json`)).isFile, "the session was cached");
});

Deno.test({
  name: "serve with a broken auth.json: the start-up warning names the file, requests say it too",
  ignore: !POSIX,
  fn: async () => {
    for (const state of STATES.filter((s) => s.name.startsWith("auth.json is "))) {
      await using fake = await startFake();
      await using sb = await sandbox(fake);
      const dir = sb.configDir;
      await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
      await write(`${dir}/auth.json`, JSON.stringify({ token: DEFAULT_GITHUB_TOKEN }));
      await state.make(dir);
      const says = state.expect.status[1]!.replaceAll("DIR", dir);
      await using server = await startServe(sb.env);
      const warning = await server.waitFor(/^copilot: warning: (?!.*loopback)/);
      assertStringIncludes(warning, says, state.name);
      assert(!warning.includes("not logged in"), `${state.name}: ${warning}`);
      // Still serving: a request fails with the same line, until the file is fixed.
      const res = await fetch(`${server.url}v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] }),
      });
      const body = await res.json();
      assertEquals(res.status, 503, JSON.stringify(body));
      assertStringIncludes(body.error.message, says, state.name);
      // The agent routes and a chat without a model, which first need Copilot's model list, too.
      const asks: [string, Record<string, unknown>][] = [
        ["v1/messages", { model: "claude-sonnet-4-5", max_tokens: 5, messages: [] }],
        ["v1/responses", { model: "gpt-5.1-codex", input: "hi" }],
        ["v1/chat/completions", { messages: [{ role: "user", content: "hi" }] }],
      ];
      for (const [path, ask] of asks) {
        const answer = await fetch(`${server.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(ask),
        });
        const said = await answer.json();
        assertEquals(answer.status, 503, `${path}: ${JSON.stringify(said)}`);
        assertStringIncludes(said.error.message, says, `${state.name}, ${path}`);
      }
      assertOneClearServeLog(server.lines, state.name);
    }
  },
});

/** No internal error, stack trace or token in serve's stderr. */
function assertOneClearServeLog(lines: string[], what: string): void {
  const all = lines.join("\n");
  assert(!/internal error|Uncaught|^\s+at /m.test(all), `${what}: not clear:\n${all}`);
  assert(!/gh[oupr]_|tid=/.test(all), `${what}: a token leaked:\n${all}`);
}
