/**
 * Responses request → OpenAI chat request, for models Copilot serves only on
 * `/chat/completions`: `instructions` become a system message, messages keep their role
 * (`developer` → `system`), consecutive function calls join one assistant message, their outputs
 * become `tool` messages, `input_image` becomes `image_url`. Hosted tools are dropped.
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
import { isObject } from "../agents/json.ts";
import type { InputItem, ResponsesPart, ResponsesRequest } from "./types.ts";

/** The chat request for `body`, sent to Copilot as `model`. */
export function responsesToChat(body: ResponsesRequest, model: string): ChatRequest {
  const messages: ChatMessage[] = [];
  if (body.instructions) messages.push({ role: "system", content: body.instructions });
  const items: InputItem[] = typeof body.input === "string"
    ? [{ role: "user", content: body.input }]
    : body.input;
  for (const item of items) addItem(messages, item);
  const request: ChatRequest = { model, messages };
  if (body.stream !== undefined) request.stream = body.stream;
  if (typeof body.max_output_tokens === "number") request.max_tokens = body.max_output_tokens;
  if (typeof body.temperature === "number") request.temperature = body.temperature;
  if (typeof body.top_p === "number") request.top_p = body.top_p;
  if (body.parallel_tool_calls !== undefined) {
    request.parallel_tool_calls = body.parallel_tool_calls;
  }
  if (body.reasoning?.effort) request.reasoning_effort = body.reasoning.effort;
  const tools = (body.tools ?? []).filter((tool) => tool.type === "function" && tool.name)
    .map((tool): ChatTool => ({
      type: "function",
      function: {
        name: tool.name!,
        ...(tool.description ? { description: tool.description } : {}),
        parameters: tool.parameters ?? { type: "object", properties: {} },
        ...(tool.strict === undefined ? {} : { strict: tool.strict }),
      },
    }));
  if (tools.length > 0) {
    request.tools = tools;
    if (body.tool_choice !== undefined) request.tool_choice = toolChoice(body.tool_choice);
  }
  const format = body.text?.format;
  if (format?.type === "json_schema") {
    request.response_format = {
      type: "json_schema",
      json_schema: { name: format.name ?? "output", schema: format.schema, strict: format.strict },
    };
  } else if (format?.type === "json_object") request.response_format = { type: "json_object" };
  return request;
}

function toolChoice(choice: NonNullable<ResponsesRequest["tool_choice"]>): ChatToolChoice {
  if (typeof choice === "string") {
    return choice === "none" || choice === "required" ? choice : "auto";
  }
  return choice.type === "function" && choice.name
    ? { type: "function", function: { name: choice.name } }
    : "auto";
}

function addItem(messages: ChatMessage[], item: InputItem): void {
  if (!isObject(item)) return;
  switch (item.type) {
    case "function_call": {
      const call = {
        id: item.call_id,
        type: "function" as const,
        function: { name: item.name, arguments: item.arguments },
      };
      const last = messages.at(-1);
      if (last?.role === "assistant") (last.tool_calls ??= []).push(call);
      else messages.push({ role: "assistant", content: null, tool_calls: [call] });
      return;
    }
    case "function_call_output":
      messages.push({ role: "tool", tool_call_id: item.call_id, content: partsText(item.output) });
      return;
    case "reasoning": {
      // Carried to the next assistant turn as Copilot's reasoning fields.
      const text = item.summary?.map((part) => part.text).join("\n") ?? "";
      messages.push({
        role: "assistant",
        content: null,
        ...(text ? { reasoning_text: text } : {}),
        ...(item.encrypted_content ? { reasoning_opaque: item.encrypted_content } : {}),
      });
      return;
    }
    case undefined:
    case "message": {
      const role = item.role === "developer" ? "system" : item.role;
      const last = messages.at(-1);
      if (role === "assistant" && last?.role === "assistant" && last.content === null) {
        last.content = contentOf(item.content);
      } else messages.push({ role, content: contentOf(item.content) });
      return;
    }
  }
}

function partsText(output: string | ResponsesPart[]): string {
  if (typeof output === "string") return output;
  return output.flatMap((part) => "text" in part ? [part.text] : []).join("\n");
}

function contentOf(content: string | ResponsesPart[]): string | ChatPart[] {
  if (typeof content === "string") return content;
  if (content.every((part) => part.type !== "input_image")) return partsText(content);
  return content.flatMap((part): ChatPart[] => {
    if (part.type === "input_image") {
      return part.image_url
        ? [{
          type: "image_url",
          image_url: { url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) },
        }]
        : [];
    }
    return "text" in part ? [{ type: "text", text: part.text }] : [];
  });
}
