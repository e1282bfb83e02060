/**
 * The per-install ids official clients send (`VScode-MachineId`,
 * `Editor-Device-Id`): made once, kept in `<config dir>/install.json` (0600)
 * and the same on every run afterwards, as an editor's are. They live here,
 * beside the other private files of the config dir, because only auth may
 * write there (secure_file.ts); lib/net only takes the values.
 *
 * `copilot logout` keeps them: a real editor's machine id survives a sign-out.
 *
 * @module
 */

import { join } from "../base/paths.ts";
import type { InstallIds } from "../net/identity.ts";
import { readJsonFile, writePrivateFile } from "./secure_file.ts";

/** The file's name in the config dir. */
export const INSTALL_IDS_FILE = "install.json";

const MACHINE_ID = /^[0-9a-f]{64}$/;
const DEVICE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** 64 random hex characters, shaped like the sha256 the LS makes of a MAC address. */
function newMachineId(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(32)),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
}

/** The ids in `value` that have the right shape. */
function valid(value: unknown): Partial<InstallIds> {
  const record = typeof value === "object" && value !== null
    ? value as Record<string, unknown>
    : {};
  const ids: Partial<InstallIds> = {};
  if (typeof record.machineId === "string" && MACHINE_ID.test(record.machineId)) {
    ids.machineId = record.machineId;
  }
  if (typeof record.deviceId === "string" && DEVICE_ID.test(record.deviceId)) {
    ids.deviceId = record.deviceId;
  }
  return ids;
}

/** Loads per config dir, once per process. */
const loaded = new Map<string, Promise<InstallIds>>();

/**
 * The install's ids from `<configDir>/install.json`, made and stored on first
 * use (a missing, unreadable or malformed file gets fresh ids). When the file
 * cannot be written the ids still work for this run, and the next run tries
 * again: a request never fails for them. Without a config dir (no HOME) the
 * ids are made for this run only.
 *
 * @example
 * ```ts ignore
 * import { installIds } from "./install_ids.ts";
 * const { machineId } = await installIds("/home/me/.config/copilot");
 * ```
 */
export function installIds(configDir: string | undefined): Promise<InstallIds> {
  const key = configDir ?? "";
  let ids = loaded.get(key);
  if (ids === undefined) {
    ids = configDir === undefined ? Promise.resolve(freshIds()) : load(configDir);
    loaded.set(key, ids);
  }
  return ids;
}

/** New ids, for an install without a config dir (no HOME): they last this run. */
function freshIds(): InstallIds {
  return { machineId: newMachineId(), deviceId: crypto.randomUUID() };
}

async function load(configDir: string): Promise<InstallIds> {
  const path = join(configDir, INSTALL_IDS_FILE);
  const found = valid(await readJsonFile(path).catch(() => undefined));
  if (found.machineId && found.deviceId) {
    return { machineId: found.machineId, deviceId: found.deviceId };
  }
  const ids = {
    machineId: found.machineId ?? newMachineId(),
    deviceId: found.deviceId ?? crypto.randomUUID(),
  };
  await writePrivateFile(path, `${JSON.stringify(ids, null, 2)}\n`).catch(() => {});
  return ids;
}
