/**
 * What `session.json` holds, and how it is read back: every field checked,
 * a refresh time further ahead than any real one refused, so a file edited
 * by hand or left by a clock set back counts as no cache.
 *
 * @module
 */

import type { CredentialKind } from "./credential.ts";
import type { Endpoints } from "./token_exchange.ts";

/** A session token ready to use. */
export interface SessionToken {
  /** The opaque token, sent as `Authorization: Bearer`. */
  token: string;
  /** Bases for completions (`proxy`) and chat/models (`api`). */
  endpoints: Endpoints;
  /** The GitHub host the login belongs to. */
  host: string;
  /** Which store the GitHub token came from. */
  kind: CredentialKind;
  /** Where the GitHub token came from, for people. */
  source: string;
  /** SHA-256 prefix of the GitHub token it was exchanged from (see `fingerprint` in session.ts). */
  fingerprint: string;
  /** Epoch seconds after which it is refreshed before use. */
  refreshAt: number;
  /** Server's expiry, epoch seconds. */
  expiresAt: number;
}

/**
 * Longest a session token is used before a refresh, seconds: real ones say 25
 * minutes; a refresh time further ahead than this (a clock set back, an
 * edited file) is not believed.
 */
export const MAX_REFRESH_S = 24 * 3600;

const KINDS: ReadonlySet<unknown> = new Set(["env", "login", "plugin"]);

/** A non-empty string of visible ASCII (anything else cannot go into a header). */
function isVisible(value: unknown): value is string {
  return typeof value === "string" && /^[\x21-\x7e]+$/.test(value);
}

/** An http(s) URL. */
function isBase(value: unknown): value is string {
  return typeof value === "string" && /^https?:\/\//i.test(value) && URL.canParse(value);
}

/**
 * `data` (parsed `session.json`) as a session token when every field has
 * the right type and its refresh time is believable at `now` (epoch
 * seconds); undefined otherwise: anything odd counts as no cache.
 */
export function parseCache(data: unknown, now: number): SessionToken | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const c = data as Record<string, unknown>;
  const endpoints = c.endpoints as Record<string, unknown> | null | undefined;
  if (!isVisible(c.token) || typeof c.host !== "string" || typeof c.source !== "string") return;
  if (!KINDS.has(c.kind) || typeof c.fingerprint !== "string") return undefined;
  if (typeof endpoints !== "object" || endpoints === null) return undefined;
  if (!isBase(endpoints.api) || !isBase(endpoints.proxy)) return undefined;
  const { refreshAt, expiresAt } = c;
  if (typeof refreshAt !== "number" || typeof expiresAt !== "number") return undefined;
  if (!Number.isFinite(refreshAt) || !Number.isFinite(expiresAt)) return undefined;
  if (refreshAt > now + MAX_REFRESH_S) return undefined;
  return {
    token: c.token,
    endpoints: { api: endpoints.api, proxy: endpoints.proxy },
    host: c.host,
    kind: c.kind as CredentialKind,
    source: c.source,
    fingerprint: c.fingerprint,
    refreshAt,
    expiresAt,
  };
}
