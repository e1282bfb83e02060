/** Tests of image detection for `Copilot-Vision-Request`. */

import { assertEquals } from "@std/assert";
import { anthropicHasImages, chatHasImages, responsesHasImages } from "./vision.ts";

Deno.test("chatHasImages: image_url parts", () => {
  const image = { type: "image_url", image_url: { url: "data:image/png;base64,AA==" } };
  assertEquals(
    chatHasImages([{ role: "user", content: [{ type: "text", text: "x" }, image] }]),
    true,
  );
  assertEquals(chatHasImages([{ role: "user", content: "an image_url" }]), false);
  assertEquals(chatHasImages(null), false);
});

Deno.test("anthropicHasImages: image blocks, also inside tool results", () => {
  const image = {
    type: "image",
    source: { type: "base64", media_type: "image/png", data: "AA==" },
  };
  assertEquals(anthropicHasImages([{ role: "user", content: [image] }]), true);
  const inResult = { type: "tool_result", tool_use_id: "t", content: [image] };
  assertEquals(anthropicHasImages([{ role: "user", content: [inResult] }]), true);
  assertEquals(anthropicHasImages([{ role: "user", content: "image" }]), false);
  assertEquals(
    anthropicHasImages([{ role: "user", content: [{ type: "text", text: "x" }] }]),
    false,
  );
});

Deno.test("responsesHasImages: input_image in messages and tool outputs", () => {
  const image = { type: "input_image", image_url: "data:image/png;base64,AA==" };
  assertEquals(responsesHasImages([{ role: "user", content: [image] }]), true);
  const output = { type: "function_call_output", call_id: "c", output: [image] };
  assertEquals(responsesHasImages([output]), true);
  assertEquals(responsesHasImages("input_image"), false);
  assertEquals(responsesHasImages([{ role: "user", content: "hi" }]), false);
});
