/**
 * Reading a request body of `copilot serve` within its size limit.
 *
 * @module
 */

import { concat } from "@std/bytes/concat";
import { ApiError } from "./api_error.ts";

/** Largest request body accepted: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads the body as UTF-8 text, refusing (413) more than `limit` bytes without
 * buffering them, and (400) bytes that are not UTF-8.
 *
 * @example
 * ```ts
 * import { readBody } from "./body.ts";
 * const text = await readBody(new Request("http://x/", { method: "POST", body: "{}" }), 10);
 * console.assert(text === "{}");
 * ```
 */
export async function readBody(req: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const tooLarge = () => new ApiError(413, "body_too_large", `The body exceeds ${limit} bytes`);
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > limit) {
    await req.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!req.body) return "";
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    parts.push(value);
  }
  try {
    return decoder.decode(parts.length === 1 ? parts[0] : concat(parts));
  } catch {
    throw new ApiError(400, "invalid_json", "The body is not valid UTF-8");
  }
}
