/**
 * Anthropic Messages request → OpenAI chat request, for models Copilot serves only on
 * `/chat/completions`. Thinking keeps its signature (Copilot's `reasoning_text` /
 * `reasoning_opaque`), tool results become `tool` messages placed before the user's other
 * content, images become `image_url` data URLs.
 *
 * @module
 */

import type {
  ChatMessage,
  ChatPart,
  ChatRequest,
  ChatTool,
  ChatToolChoice,
} from "../agents/chat_types.ts";
import type {
  AnthropicMessage,
  AnthropicToolChoice,
  ContentBlock,
  ImageBlock,
  MessagesRequest,
  TextBlock,
  ToolResultBlock,
} from "./types.ts";

/** The chat request for `body`, sent to Copilot as `model`. */
export function anthropicToChat(body: MessagesRequest, model: string): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = systemText(body.system);
  if (system !== "") messages.push({ role: "system", content: system });
  for (const message of body.messages) messages.push(...chatMessagesOf(message));
  const request: ChatRequest = { model, messages };
  if (body.stream !== undefined) request.stream = body.stream;
  if (body.max_tokens !== undefined) request.max_tokens = body.max_tokens;
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.top_p = body.top_p;
  if (body.stop_sequences?.length) request.stop = body.stop_sequences;
  const tools = (body.tools ?? []).filter((tool) =>
    tool.type === undefined || tool.type === "custom"
  )
    .map((tool): ChatTool => ({
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.input_schema ?? { type: "object", properties: {} },
      },
    }));
  if (tools.length > 0) request.tools = tools;
  if (body.tool_choice !== undefined && tools.length > 0) {
    request.tool_choice = toolChoice(body.tool_choice);
    if (body.tool_choice.disable_parallel_tool_use) request.parallel_tool_calls = false;
  }
  if (body.thinking?.type === "enabled" && body.thinking.budget_tokens !== undefined) {
    request.thinking_budget = body.thinking.budget_tokens;
  }
  return request;
}

/** The system prompt as one string (text blocks joined by a blank line). */
export function systemText(system: MessagesRequest["system"]): string {
  if (system === undefined) return "";
  if (typeof system === "string") return system;
  return system.map((block) => block.text).join("\n\n");
}

function toolChoice(choice: AnthropicToolChoice): ChatToolChoice {
  switch (choice.type) {
    case "any":
      return "required";
    case "none":
      return "none";
    case "tool":
      return { type: "function", function: { name: choice.name } };
    default:
      return "auto";
  }
}

function blocksOf(content: AnthropicMessage["content"]): ContentBlock[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}

function chatMessagesOf(message: AnthropicMessage): ChatMessage[] {
  const blocks = blocksOf(message.content);
  return message.role === "assistant" ? [assistantMessage(blocks)] : userMessages(blocks);
}

function userMessages(blocks: ContentBlock[]): ChatMessage[] {
  const results = blocks.filter((block): block is ToolResultBlock => block.type === "tool_result");
  const messages: ChatMessage[] = results.map((result) => ({
    role: "tool",
    tool_call_id: result.tool_use_id,
    content: toolResultText(result),
  }));
  const resultImages = results.flatMap((result) =>
    Array.isArray(result.content) ? result.content.filter((part) => part.type === "image") : []
  );
  const rest = [
    ...blocks.filter((block) => block.type === "text" || block.type === "image"),
    ...resultImages,
  ] as (TextBlock | ImageBlock)[];
  if (rest.length > 0) messages.push({ role: "user", content: userContent(rest) });
  return messages;
}

function toolResultText(result: ToolResultBlock): string {
  const text = typeof result.content === "string"
    ? result.content
    : (result.content ?? []).filter((part): part is TextBlock => part.type === "text")
      .map((part) => part.text).join("\n");
  return result.is_error ? `Error: ${text}` : text;
}

function userContent(blocks: (TextBlock | ImageBlock)[]): string | ChatPart[] {
  if (blocks.every((block) => block.type === "text")) {
    return blocks.map((block) => (block as TextBlock).text).join("\n\n");
  }
  return blocks.map((block): ChatPart =>
    block.type === "text"
      ? { type: "text", text: block.text }
      : { type: "image_url", image_url: { url: imageUrl(block) } }
  );
}

function imageUrl(block: ImageBlock): string {
  const source = block.source;
  return source.type === "url" ? source.url : `data:${source.media_type};base64,${source.data}`;
}

function assistantMessage(blocks: ContentBlock[]): ChatMessage {
  const text = blocks.flatMap((block) => block.type === "text" ? [block.text] : []).join("\n\n");
  const message: ChatMessage = { role: "assistant", content: text === "" ? null : text };
  const calls = blocks.flatMap((block) =>
    block.type === "tool_use"
      ? [{
        id: block.id,
        type: "function" as const,
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      }]
      : []
  );
  if (calls.length > 0) message.tool_calls = calls;
  const thinking = blocks.find((block) => block.type === "thinking");
  if (thinking?.type === "thinking") {
    message.reasoning_text = thinking.thinking;
    if (thinking.signature) message.reasoning_opaque = thinking.signature;
  }
  return message;
}
