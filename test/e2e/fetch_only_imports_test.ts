/**
 * `deno task demo` (which runs the CLI) needs only what they import: the
 * `@std` modules, never the test-only `openai` nor the check-only workflow
 * linter (those are locked in dev.lock, used by the test and check tasks).
 * Proved offline: a fresh Deno cache holding only `deno-std`, and an npm
 * registry out of reach.
 */

import { assertEquals } from "@std/assert";
import { fromFileUrl } from "@std/path/from-file-url";

const ROOT = fromFileUrl(new URL("../..", import.meta.url));
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test({
  name: "deno task demo needs no npm package but deno-std",
  ignore: Deno.build.os === "windows",
}, async () => {
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  const { denoDir } = JSON.parse(decode(info.stdout)) as { denoDir: string };
  const fresh = await Deno.makeTempDir({ prefix: "copilot-deno-dir-" });
  try {
    const npm = `${fresh}/npm/registry.npmjs.org`;
    await Deno.mkdir(npm, { recursive: true });
    const copy = await new Deno.Command("cp", {
      args: ["-R", `${denoDir}/npm/registry.npmjs.org/deno-std`, npm],
    }).output();
    assertEquals(copy.code, 0, decode(copy.stderr));
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["task", "-q", "demo"],
      cwd: ROOT,
      // Every download goes to a proxy that does not answer.
      env: { DENO_DIR: fresh, HTTPS_PROXY: "http://127.0.0.1:9", NO_COLOR: "1" },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    assertEquals(code, 0, decode(stderr));
  } finally {
    await Deno.remove(fresh, { recursive: true });
  }
});
