/**
 * The client identity on every hop: the preset `COPILOT_CLIENT` names (the
 * table: identity_presets.ts), the six single-value override variables on top,
 * and the headers of each hop built from them. Users fix a "client not
 * supported" (466) answer by switching preset or overriding a value, without
 * waiting for a release. The variables are read by the caller
 * (`Settings.identity`) and passed in as `overrides`.
 *
 * @module
 */

import { CopilotError, ExitCode } from "../base/errors.ts";
import {
  DEFAULT_PRESET,
  type Hop,
  type HopSpec,
  type IdentityValues,
  type Preset,
  PRESETS,
} from "./identity_presets.ts";

export { DEFAULT_PRESET, HOPS, PRESETS } from "./identity_presets.ts";
export type { Hop, HopSpec, IdentityValues, Preset } from "./identity_presets.ts";

/** The variable that picks a preset by name. */
export const CLIENT_VARIABLE = "COPILOT_CLIENT";

/** The hops that go to GitHub's REST API (`COPILOT_GITHUB_API_VERSION`). */
const REST_HOPS: ReadonlySet<Hop> = new Set(["user", "exchange", "copilotUser"]);
/** The hops that go to Copilot (`COPILOT_API_VERSION`). */
const COPILOT_HOPS: ReadonlySet<Hop> = new Set(["completions", "chat", "models"]);

/** One single-value override: the variable and what it replaces. */
export interface OverrideField {
  /** Environment variable. */
  variable: string;
  /** The header it sets. */
  header: string;
  /** The value it replaces, or the hops whose API version it replaces. */
  replaces: keyof IdentityValues | "restApiVersion" | "copilotApiVersion";
}

/** The six override variables, in the order the README and the 466 hint name them. */
export const OVERRIDE_FIELDS: readonly OverrideField[] = [
  { variable: "COPILOT_EDITOR_VERSION", header: "Editor-Version", replaces: "editorVersion" },
  {
    variable: "COPILOT_EDITOR_PLUGIN_VERSION",
    header: "Editor-Plugin-Version",
    replaces: "editorPluginVersion",
  },
  { variable: "COPILOT_USER_AGENT", header: "User-Agent", replaces: "userAgent" },
  {
    variable: "COPILOT_INTEGRATION_ID",
    header: "Copilot-Integration-Id",
    replaces: "integrationId",
  },
  {
    variable: "COPILOT_GITHUB_API_VERSION",
    header: "X-GitHub-Api-Version",
    replaces: "restApiVersion",
  },
  {
    variable: "COPILOT_API_VERSION",
    header: "X-GitHub-Api-Version",
    replaces: "copilotApiVersion",
  },
];

/** Values of the variables, by name (`COPILOT_CLIENT`, `COPILOT_EDITOR_VERSION`: ...). */
export type IdentityOverrides = Readonly<Record<string, string | undefined>>;

/** The per-install ids kept in the config dir (see lib/auth/install_ids.ts). */
export interface InstallIds {
  /** `VScode-MachineId`: 64 hex characters. */
  machineId: string;
  /** `Editor-Device-Id`: a UUID. */
  deviceId: string;
}

/** `VScode-SessionId` of this process: a UUID followed by `Date.now()`, as VS Code and the LS make it. */
export const SESSION_ID = `${crypto.randomUUID()}${Date.now()}`;

/** A resolved identity: the preset and its values with the overrides applied. */
export interface Identity {
  /** The preset. */
  preset: Preset;
  /** Its values, overrides applied. */
  values: IdentityValues;
  /** `X-GitHub-Api-Version` by hop, overrides applied; null: not sent. */
  apiVersions: Readonly<Record<Hop, string | null>>;
  /** The override variables that are set. */
  overridden: string[];
}

/** The version part of `name/version`. */
function versionOf(value: string): string {
  return value.slice(value.lastIndexOf("/") + 1);
}

/**
 * The identity `overrides` ask for. Throws a usage {@linkcode CopilotError}
 * (exit 2) for an unknown `COPILOT_CLIENT`.
 *
 * @example
 * ```ts
 * import { resolveIdentity } from "./identity.ts";
 * const identity = resolveIdentity({ COPILOT_CLIENT: "vscode" });
 * console.assert(identity.values.integrationId === "vscode-chat");
 * ```
 */
export function resolveIdentity(overrides: IdentityOverrides = {}): Identity {
  const name = (overrides[CLIENT_VARIABLE] || DEFAULT_PRESET).trim().toLowerCase();
  const preset = PRESETS[name];
  if (preset === undefined) {
    throw new CopilotError(
      `unknown ${CLIENT_VARIABLE} ${JSON.stringify(name)}; use one of: ${
        Object.keys(PRESETS).join(", ")
      }`,
      { exitCode: ExitCode.Usage },
    );
  }
  const values = { ...preset.values };
  const apiVersions = Object.fromEntries(
    Object.entries(preset.hops).map(([hop, spec]) => [hop, spec.apiVersion]),
  ) as Record<Hop, string | null>;
  const overridden: string[] = [];
  for (const field of OVERRIDE_FIELDS) {
    const value = overrides[field.variable];
    if (!value) continue;
    overridden.push(field.variable);
    if (field.replaces === "restApiVersion" || field.replaces === "copilotApiVersion") {
      const hops = field.replaces === "restApiVersion" ? REST_HOPS : COPILOT_HOPS;
      for (const hop of hops) if (apiVersions[hop] !== null) apiVersions[hop] = value;
    } else {
      values[field.replaces] = value;
    }
  }
  const lsSource = OVERRIDE_FIELDS.find((field) =>
    field.replaces === preset.languageServerVersionFrom
  )!;
  if (overrides[lsSource.variable]) {
    values.languageServerVersion = versionOf(values[preset.languageServerVersionFrom]);
  }
  return { preset, values, apiVersions, overridden };
}

/** Ids that stand in for the per-install ones when a hop does not need them. */
const NO_IDS: InstallIds = { machineId: "", deviceId: "" };

/**
 * The headers of `hop` but `Authorization`, in the table's order; `{request}`
 * and `{uuid}` stay as markers for {@linkcode perAttempt}.
 *
 * @example
 * ```ts
 * import { hopHeaders, resolveIdentity } from "./identity.ts";
 * const headers = hopHeaders(resolveIdentity({}), "exchange");
 * console.assert(headers["X-GitHub-Api-Version"] === "2024-12-15");
 * ```
 */
export function hopHeaders(
  identity: Identity,
  hop: Hop,
  ids: InstallIds = NO_IDS,
): Record<string, string> {
  const spec: HopSpec = identity.preset.hops[hop];
  const fill: Record<string, string> = {
    ...identity.values,
    ...ids,
    sessionId: SESSION_ID,
    request: "{request}",
    uuid: "{uuid}",
  };
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(spec.headers)) {
    headers[name] = template.replace(/\{(\w+)\}/g, (marker, key) => fill[key] ?? marker);
  }
  const version = identity.apiVersions[hop];
  if (version !== null) headers["X-GitHub-Api-Version"] = version;
  return headers;
}

/** `Authorization` of `hop` with `token`, in the preset's scheme; undefined when the hop has none. */
export function authorization(identity: Identity, hop: Hop, token: string): string | undefined {
  const scheme = identity.preset.hops[hop].auth;
  return scheme === null ? undefined : `${scheme} ${token}`;
}

/** `headers` with the `{request}` and `{uuid}` markers replaced by fresh UUIDs. */
export function perAttempt(headers: Readonly<Record<string, string>>): Record<string, string> {
  const request = crypto.randomUUID();
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = value === "{request}" ? request : value === "{uuid}" ? crypto.randomUUID() : value;
  }
  return out;
}

/**
 * Every header of a GitHub REST hop (`user`, `exchange`, `copilotUser`),
 * ready to send: `Authorization` with `token`, then the table's.
 */
export function restHeaders(identity: Identity, hop: Hop, token: string): Record<string, string> {
  const auth = authorization(identity, hop, token);
  return perAttempt({ ...(auth ? { Authorization: auth } : {}), ...hopHeaders(identity, hop) });
}

/** One line naming the preset and its visible values, for `copilot status`. */
export function describeIdentity(identity: Identity): string {
  const { preset, values } = identity;
  const shown = [values.userAgent, values.editorVersion, values.editorPluginVersion];
  const overridden = identity.overridden.length
    ? `; overridden: ${identity.overridden.join(", ")}`
    : "";
  return `${preset.name}: ${preset.description} (${shown.join(", ")}${overridden})`;
}

/** One line naming the preset variable and the overrides, for a 466 "client not supported" answer. */
export function identityHint(): string {
  return `switch ${CLIENT_VARIABLE} (${Object.keys(PRESETS).join(", ")}) or set ${
    OVERRIDE_FIELDS.map((field) => field.variable).join(", ")
  } to newer values (see README)`;
}
