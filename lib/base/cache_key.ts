/**
 * A cheap key telling which session token a cache file belongs to
 * (`models.json`, `copilot_user.json`, `content_exclusion.json`). Not a
 * security measure: it only has to change when the token does, and it keeps
 * the token itself out of those files. Pure JavaScript, so a warm
 * `copilot complete` does not pay for starting WebCrypto.
 *
 * @module
 */

/**
 * A 53-bit hash of `text` (cyrb53), as 14 hex digits.
 *
 * @example
 * ```ts
 * import { cacheKey } from "./cache_key.ts";
 * console.assert(cacheKey("a") !== cacheKey("b") && cacheKey("a").length === 14);
 * ```
 */
export function cacheKey(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const value = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return value.toString(16).padStart(14, "0");
}
