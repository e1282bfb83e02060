/**
 * Whether a request carries images, so that `Copilot-Vision-Request: true` must be sent
 * (Copilot answers 400 without it). Chat `image_url` parts, Anthropic `image` blocks (also
 * inside `tool_result`) and Responses `input_image` parts (also in tool outputs) count.
 *
 * @module
 */

import { isObject, objectsOf } from "./json.ts";

/** Whether any chat message has an `image_url` part. */
export function chatHasImages(messages: unknown): boolean {
  return objectsOf(messages).some((message) =>
    objectsOf(message.content).some((part) => part.type === "image_url")
  );
}

function anthropicBlocksHaveImages(content: unknown): boolean {
  return objectsOf(content).some((block) =>
    block.type === "image" ||
    (block.type === "tool_result" && anthropicBlocksHaveImages(block.content))
  );
}

/** Whether any Anthropic message has an `image` block, tool results included. */
export function anthropicHasImages(messages: unknown): boolean {
  return objectsOf(messages).some((message) => anthropicBlocksHaveImages(message.content));
}

/** Whether a Responses `input` has an `input_image` part, in messages or tool outputs. */
export function responsesHasImages(input: unknown): boolean {
  return objectsOf(input).some((item) => {
    const parts = item.type === "function_call_output" ? item.output : item.content;
    return objectsOf(parts).some((part) => part.type === "input_image") ||
      (isObject(item) && item.type === "input_image");
  });
}
