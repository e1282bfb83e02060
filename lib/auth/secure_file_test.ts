/**
 * Private files under broken state: a chmod the system refuses, temp files a
 * killed writer left, directories where files belong, unreadable files.
 */

import { assert, assertEquals, assertRejects } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";
import {
  denoFs,
  ensurePrivateDir,
  type FileSystem,
  readJsonFile,
  removeFile,
  removeTempFiles,
  STALE_TEMP_MS,
  writePrivateFile,
} from "./secure_file.ts";
import { readLogin } from "./login_store.ts";

const POSIX = Deno.build.os !== "windows";

async function tempDir() {
  const dir = await Deno.makeTempDir({ prefix: "copilot-secure-file-" });
  return {
    dir,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Deno's file operations, but every chmod refused as for a directory owned by someone else. */
const noChmod: FileSystem = {
  ...denoFs,
  chmod: () =>
    Promise.reject(new Deno.errors.PermissionDenied("Operation not permitted (os error 1)")),
};

Deno.test("a config dir the user cannot chmod still takes private files", async () => {
  await using t = await tempDir();
  const dir = `${t.dir}/config`;
  await ensurePrivateDir(dir, noChmod);
  await writePrivateFile(`${dir}/session.json`, "{}\n", noChmod);
  assertEquals(await Deno.readTextFile(`${dir}/session.json`), "{}\n");
  if (POSIX) assertEquals((await Deno.stat(`${dir}/session.json`)).mode! & 0o077, 0);
});

Deno.test("a write removes temp files a killed writer left; a fresh one stays", async () => {
  await using t = await tempDir();
  const path = `${t.dir}/auth.json`;
  const stale = `${path}.0123abcd.tmp`;
  const fresh = `${path}.89abcdef.tmp`;
  const other = `${t.dir}/notes.0123abcd.tmp`;
  for (const file of [stale, fresh, other]) await Deno.writeTextFile(file, "ghu_secret");
  const old = new Date(Date.now() - STALE_TEMP_MS - 60_000);
  await Deno.utime(stale, old, old);
  await writePrivateFile(path, "{}\n");
  await assertRejects(() => Deno.stat(stale), Deno.errors.NotFound);
  assert((await Deno.stat(fresh)).isFile, "a temp file being written right now is left alone");
  assert((await Deno.stat(other)).isFile, "another file's temp files are left alone");
  assertEquals(await removeTempFiles(path), 1);
  await assertRejects(() => Deno.stat(fresh), Deno.errors.NotFound);
});

Deno.test("removing a file removes every temp file of it too", async () => {
  await using t = await tempDir();
  const path = `${t.dir}/session.json`;
  await Deno.writeTextFile(`${path}.0123abcd.tmp`, "tid=secret");
  assertEquals(await removeFile(path), false);
  assertEquals([...Deno.readDirSync(t.dir)], []);
});

Deno.test("a directory where a file belongs is one line naming it", async () => {
  await using t = await tempDir();
  const path = `${t.dir}/auth.json`;
  await Deno.mkdir(path);
  const read = await assertRejects(() => readJsonFile(path), CopilotError);
  assertEquals(read.message, `cannot read ${path}: it is a directory; remove it and try again`);
  const write = await assertRejects(() => writePrivateFile(path, "{}"), CopilotError);
  assertEquals(write.message, `cannot write ${path}: it is a directory; remove it and try again`);
  assertEquals([...Deno.readDirSync(t.dir)].length, 1, "the failed write left no temp file");
  await assertRejects(
    () => removeFile(path),
    CopilotError,
    `cannot remove ${path}: it is a directory`,
  );
  await Deno.writeTextFile(`${t.dir}/plain`, "");
  const create = await assertRejects(() => ensurePrivateDir(`${t.dir}/plain/x`), CopilotError);
  assert(create.message.startsWith(`cannot create ${t.dir}/plain/x: `), create.message);
});

Deno.test("auth.json: unreadable, empty, garbage, tokenless are each one line, exit 4", async () => {
  await using t = await tempDir();
  const path = `${t.dir}/auth.json`;
  const unreadable: FileSystem = {
    ...denoFs,
    readTextFile: () =>
      Promise.reject(new Deno.errors.PermissionDenied("Permission denied (os error 13)")),
  };
  await Deno.writeTextFile(path, '{"token":"ghu_x"}');
  const denied = await assertRejects(() => readLogin(t.dir, unreadable), CopilotError);
  assertEquals(
    denied.message,
    `cannot read ${path}: permission denied; check its owner and permissions`,
  );
  assertEquals(denied.exitCode, ExitCode.Auth);
  for (
    const [text, why] of [["", "is empty"], ["{half", "is not valid JSON"], [
      "{}",
      "holds no GitHub token",
    ], ["[1]", "holds no GitHub token"]]
  ) {
    await Deno.writeTextFile(path, text!);
    const err = await assertRejects(() => readLogin(t.dir), CopilotError);
    assertEquals(
      err.message,
      `${path} ${why}; run \`copilot login\` again (or \`copilot logout\` to remove it)`,
    );
    assertEquals(err.exitCode, ExitCode.Auth);
  }
  await Deno.remove(path);
  assertEquals(await readLogin(t.dir), undefined);
});

Deno.test({
  name: "an auth.json others may read is made 0600 when read",
  ignore: !POSIX,
  fn: async () => {
    await using t = await tempDir();
    const path = `${t.dir}/auth.json`;
    await Deno.writeTextFile(path, '{"token":"ghu_x","host":"github.com"}');
    await Deno.chmod(path, 0o644);
    assertEquals((await readLogin(t.dir))?.token, "ghu_x");
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
  },
});
