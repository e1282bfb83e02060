/**
 * `deno task install` in a throwaway home, run by a Deno that is not on PATH
 * (as `npx -y deno@2 task install` on a Node-only machine): it says where the
 * command went and the PATH line, and the installed `copilot` runs.
 */

import { assertEquals, assertStringIncludes } from "@std/assert";
import { fromFileUrl } from "@std/path/from-file-url";
import { sandbox } from "../fixtures/spawn_cli.ts";

const ROOT = fromFileUrl(new URL("../..", import.meta.url));
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Runs `command ARGS` with only `env`, stdin closed; resolves with its output. */
function run(command: string, args: string[], env: Record<string, string>, cwd?: string) {
  return new Deno.Command(command, {
    args,
    ...(cwd ? { cwd } : {}),
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test({
  name: "deno task install: says where copilot went, and it runs without deno on PATH",
  ignore: Deno.build.os === "windows",
}, async () => {
  await using box = await sandbox();
  const noDeno = `${box.home}/empty`; // a PATH with no deno on it
  await Deno.mkdir(noDeno);
  const root = `${box.home}/deno-root`;
  const env = { ...box.env, DENO_INSTALL_ROOT: root, PATH: noDeno };
  const install = await run(Deno.execPath(), ["task", "-q", "install"], env, ROOT);
  const said = decode(install.stdout);
  assertEquals(install.code, 0, decode(install.stderr));
  assertStringIncludes(said, `Installed copilot at ${root}/bin/copilot`);
  assertStringIncludes(said, `${root}/bin is not on your PATH`);
  assertStringIncludes(said, `export PATH="${root}/bin:$PATH"`);

  const version = await run(`${root}/bin/copilot`, ["--version"], env);
  assertEquals(decode(version.stderr), "");
  assertStringIncludes(decode(version.stdout), "copilot ");
  assertEquals(version.code, 0);

  // Already on PATH: no PATH advice.
  const onPath = { ...env, PATH: `${root}/bin:${noDeno}` };
  const again = await run(Deno.execPath(), ["task", "-q", "install"], onPath, ROOT);
  assertEquals(again.code, 0, decode(again.stderr));
  assertEquals(
    decode(again.stdout),
    `Installed copilot at ${root}/bin/copilot (it runs ${Deno.execPath()}).\n`,
  );
});
