/**
 * The session in a fresh process, where nothing is loaded yet: an exchange
 * that settles while its caller is still starting up must neither crash the
 * process (an unhandled rejection) nor hand the caller nothing.
 */

import { assertEquals } from "@std/assert";
import { fromFileUrl } from "@std/path/from-file-url";

const ROOT = fromFileUrl(new URL("../..", import.meta.url));

/** A script that asks a Session for a token with a signal, first thing in its process. */
function script(findCredentials: string): string {
  const lib = new URL("../../lib/", import.meta.url).href;
  return `
import { Session } from "${lib}auth/session.ts";
import { readSettings } from "${lib}base/settings.ts";
const dir = Deno.args[0];
const session = new Session({
  settings: readSettings({ COPILOT_CONFIG_DIR: dir }),
  findCredentials: ${findCredentials},
  exchange: () => Promise.resolve({ token: "tid=1:ab", expiresAt: Date.now() / 1000 + 1800,
    refreshIn: 1500, endpoints: { proxy: "https://proxy.test" } }),
});
try {
  const token = await session.get(new AbortController().signal);
  console.log("token", token?.endpoints?.proxy);
} catch (err) {
  console.log("rejected", err.message);
}
`;
}

async function runScript(source: string): Promise<{ code: number; out: string }> {
  const dir = await Deno.makeTempDir({ prefix: "copilot-race-" });
  try {
    const path = `${dir}/race.ts`;
    await Deno.writeTextFile(path, source);
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-q", "-A", `--config=${ROOT}deno.json`, `--lock=${ROOT}dev.lock`, path, dir],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    return { code, out: decoder.decode(stdout) + decoder.decode(stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("not logged in, first thing in a process: the caller hears it, the process lives", async () => {
  const source = script("() => Promise.resolve([])");
  for (let i = 0; i < 3; i++) {
    const { code, out } = await runScript(source);
    assertEquals(out, "rejected not logged in; run `copilot login`\n");
    assertEquals(code, 0);
  }
});

Deno.test("a token another process just cached, found before the caller's start-up is over", async () => {
  // Finding the login, this process sees the cache another process wrote meanwhile.
  const cached = JSON.stringify({
    token: "tid=other:ab",
    endpoints: { api: "https://api.test", proxy: "https://proxy.test" },
    host: "github.com",
    kind: "login",
    source: "copilot login",
    fingerprint: "00",
    refreshAt: 4_000_000_000,
    expiresAt: 4_000_000_000,
  });
  const own = `{ token: "ghu_x", kind: "login", source: "copilot login", host: "github.com" }`;
  const source = script(
    `() => (Deno.writeTextFileSync(dir + "/session.json", ${JSON.stringify(cached)}), ` +
      `Promise.resolve([${own}]))`,
  );
  for (let i = 0; i < 3; i++) {
    const { code, out } = await runScript(source);
    assertEquals(out, "token https://proxy.test\n");
    assertEquals(code, 0);
  }
});
