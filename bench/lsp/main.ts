/**
 * The `copilot lsp` benchmark (`deno task bench:lsp`), against the fake's fast
 * mode run as a child:
 *
 * - start-up: spawn to the `initialize` answer, side by side with spawn to the
 *   exit of `copilot --version` (the issue allows 1.3x);
 * - added latency: an automatic `textDocument/inlineCompletion` with `--debounce 0`
 *   from request to answer, side by side with a direct `fetch` of the same
 *   completion from the same fake (the issue allows 2 ms at the median);
 * - memory: RSS idle after `initialize`, and after 1,000 completions on 20
 *   open documents (60 MB and 80 MB allowed).
 *
 * Flags: `--runs N` (start-up pairs, default 20), `--requests N` (latency
 * pairs, default 300), `--trace` (RSS every 100 completions).
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import { cliArgs } from "../../test/fixtures/spawn_cli.ts";
import { FAST_SESSION_TOKEN } from "../../test/fixtures/fake_upstream/fast.ts";
import { LspChild } from "./client.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

/** Starts the fast fake as a child; resolves with its URL, GitHub token and a stop function. */
async function startFake() {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}test/fixtures/fake_upstream/mod.ts`, "--fast"],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (text.split("\n").length < 3) text += (await lines.read()).value ?? "";
  const [url, token] = text.split("\n");
  return {
    url: url!,
    token: token!,
    async stop() {
      child.kill();
      await lines.cancel();
      await child.status;
    },
  };
}

async function startup(env: Record<string, string>, runs: number) {
  const version: number[] = [];
  const lsp: number[] = [];
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    await new Deno.Command(Deno.execPath(), {
      args: cliArgs("--version"),
      env,
      clearEnv: true,
      stdout: "null",
    })
      .output();
    version.push(performance.now() - started);
    started = performance.now();
    const child = new LspChild(env);
    await child.request("initialize", { processId: null, rootUri: null, capabilities: {} });
    lsp.push(performance.now() - started);
    await child.stop();
  }
  return { version: median(version), lsp: median(lsp) };
}

const TEXT = "import os\n\ndef fib(n):\n";

async function latency(env: Record<string, string>, fakeUrl: string, requests: number) {
  const child = new LspChild(env, ["--debounce", "0"]);
  await child.request("initialize", {
    processId: null,
    rootUri: "file:///bench",
    capabilities: { textDocument: { inlineCompletion: {} } },
  });
  const uri = "file:///bench/fib.py";
  await child.notify("textDocument/didOpen", {
    textDocument: { uri, languageId: "python", version: 1, text: TEXT },
  });
  const params = {
    textDocument: { uri },
    position: { line: 3, character: 0 },
    context: { triggerKind: 2 /* automatic: n = 1, as the direct request */ },
  };
  const body = JSON.stringify({
    prompt: "# Path: fib.py\n" + TEXT,
    suffix: "",
    max_tokens: 500,
    temperature: 0,
    top_p: 1,
    n: 1,
    stop: ["\ndef "],
    stream: true,
    extra: {
      language: "python",
      next_indent: 0,
      trim_by_indentation: true,
      prompt_tokens: 9,
      suffix_tokens: 0,
    },
  });
  const direct = async () => {
    const res = await fetch(`${fakeUrl}/v1/engines/gpt-41-copilot/completions`, {
      method: "POST",
      headers: {
        "Authorization": `Bearer ${FAST_SESSION_TOKEN}`,
        "Content-Type": "application/json",
        "X-Request-Id": crypto.randomUUID(),
        "Openai-Organization": "github-copilot",
        "OpenAI-Intent": "copilot-ghost",
      },
      body,
    });
    const text = await res.text();
    if (!text.includes("[DONE]")) throw new Error(`direct request failed: ${res.status}`);
  };
  const viaLsp = async () => {
    const answer = await child.request("textDocument/inlineCompletion", params);
    const items = (answer.result as { items: unknown[] } | undefined)?.items;
    if (!items?.length) throw new Error(`no suggestion: ${JSON.stringify(answer)}`);
  };
  for (let i = 0; i < 30; i++) await direct().then(viaLsp); // warm both connections and the JIT
  const directs: number[] = [];
  const lsps: number[] = [];
  for (let i = 0; i < requests; i++) {
    let started = performance.now();
    await direct();
    directs.push(performance.now() - started);
    started = performance.now();
    await viaLsp();
    lsps.push(performance.now() - started);
  }
  await child.stop();
  return { direct: median(directs), lsp: median(lsps) };
}

async function memory(env: Record<string, string>, trace: boolean) {
  const child = new LspChild(env, ["--debounce", "0"]);
  await child.request("initialize", {
    processId: null,
    rootUri: "file:///bench",
    capabilities: {},
  });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idle = await child.rssMb();
  const docs = Array.from({ length: 20 }, (_, i) => `file:///bench/m${i}.py`);
  for (const [i, uri] of docs.entries()) {
    const text = `# module ${i}\n` + "def f(x):\n    return x * 2\n\n".repeat(200) +
      "def fib(n):\n";
    await child.notify("textDocument/didOpen", {
      textDocument: { uri, languageId: "python", version: 1, text },
    });
  }
  for (let i = 0; i < 1000; i++) {
    const uri = docs[i % docs.length]!;
    const line = 201 * 3 + 2;
    await child.notify("textDocument/didChange", {
      textDocument: { uri, version: i + 2 },
      contentChanges: [{
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        text: "",
      }],
    });
    const answer = await child.request("textDocument/completion", {
      textDocument: { uri },
      position: { line, character: 0 },
    });
    if (!answer.result) throw new Error(`completion failed: ${JSON.stringify(answer)}`);
    if (trace && i % 100 === 0) {
      console.log(`  RSS after ${i} completions: ${(await child.rssMb()).toFixed(1)} MB`);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const busy = await child.rssMb();
  await child.stop();
  return { idle, busy };
}

if (import.meta.main) {
  const flags = parseArgs(Deno.args, { string: ["runs", "requests"], boolean: ["trace"] });
  const fake = await startFake();
  const home = await Deno.makeTempDir({ prefix: "copilot-lsp-bench-" });
  const env: Record<string, string> = {
    HOME: home,
    PATH: Deno.env.get("PATH") ?? "",
    COPILOT_CONFIG_DIR: `${home}/config`,
    XDG_CONFIG_HOME: `${home}/xdg`,
    COPILOT_GITHUB_URL: fake.url,
    COPILOT_API_URL: fake.url,
    COPILOT_GITHUB_TOKEN: fake.token,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
  };
  try {
    const s = await startup(env, Number(flags.runs ?? 20));
    console.log(
      `start-up (median)   copilot --version ${ms(s.version)} | copilot lsp to initialize ${
        ms(s.lsp)
      } | ratio ${(s.lsp / s.version).toFixed(2)}x (≤ 1.3x)`,
    );
    const l = await latency(env, fake.url, Number(flags.requests ?? 300));
    console.log(
      `completion (median) direct fetch ${ms(l.direct)} | via copilot lsp ${ms(l.lsp)} | added ${
        ms(l.lsp - l.direct)
      } (≤ 2 ms)`,
    );
    const m = await memory(env, flags.trace);
    console.log(
      `RSS                 idle ${
        m.idle.toFixed(1)
      } MB (≤ 60) | after 1,000 completions on 20 documents ${m.busy.toFixed(1)} MB (≤ 80)`,
    );
  } finally {
    await fake.stop();
    await Deno.remove(home, { recursive: true });
  }
}
