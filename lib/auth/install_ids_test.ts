import { assertEquals, assertMatch, assertNotEquals } from "@std/assert";
import { INSTALL_IDS_FILE, installIds } from "./install_ids.ts";

const POSIX = Deno.build.os !== "windows";
const MACHINE = /^[0-9a-f]{64}$/;
const DEVICE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "copilot-ids-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("made once, stored 0600, the same afterwards", async () => {
  await withDir(async (dir) => {
    const ids = await installIds(`${dir}/copilot`);
    assertMatch(ids.machineId, MACHINE);
    assertMatch(ids.deviceId, DEVICE);
    const path = `${dir}/copilot/${INSTALL_IDS_FILE}`;
    assertEquals(JSON.parse(await Deno.readTextFile(path)), ids);
    if (POSIX) assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    assertEquals(await installIds(`${dir}/copilot`), ids);
  });
});

Deno.test("an existing file is read; a malformed id is replaced, a good one kept", async () => {
  await withDir(async (dir) => {
    const machineId = "c".repeat(64);
    await Deno.writeTextFile(
      `${dir}/${INSTALL_IDS_FILE}`,
      JSON.stringify({ machineId, deviceId: "not-a-uuid" }),
    );
    const ids = await installIds(dir);
    assertEquals(ids.machineId, machineId);
    assertMatch(ids.deviceId, DEVICE);
    assertEquals(JSON.parse(await Deno.readTextFile(`${dir}/${INSTALL_IDS_FILE}`)), ids);
  });
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/${INSTALL_IDS_FILE}`, "{not json");
    assertMatch((await installIds(dir)).machineId, MACHINE);
  });
});

Deno.test("an unwritable config dir still gives ids for this run", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/file`, "");
    // A config dir under a regular file can never be created.
    const ids = await installIds(`${dir}/file/copilot`);
    assertMatch(ids.machineId, MACHINE);
    await withDir(async (other) => {
      assertNotEquals((await installIds(other)).machineId, ids.machineId);
    });
  });
});
