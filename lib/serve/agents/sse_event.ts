/**
 * Formats one named server-sent event, as Anthropic's and OpenAI's Responses streams write them.
 *
 * @module
 */

/** `event: <type>\ndata: <json>\n\n`. */
export function sseEvent(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}
