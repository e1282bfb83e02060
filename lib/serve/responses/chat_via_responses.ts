/**
 * The bridge from OpenAI chat to Copilot's `/responses`, for a model served only there (GPT-5.x
 * codex models): Copilot answers such a model on `/chat/completions` with 400
 * `unsupported_api_for_model`. A chat request becomes a Responses one (system messages as
 * `instructions`, tool calls and results as items), and the answer comes back as a chat
 * completion, or chunk by chunk ({@linkcode ChatFromResponses}) as chat SSE.
 *
 * @module
 */

import { isObject, type Json, objectsOf } from "../agents/json.ts";

/** The `/responses` body for a chat request `body`, sent as `model`. */
export function chatToResponses(body: Json, model: string): Json {
  const instructions: string[] = [];
  const input: Json[] = [];
  for (const message of objectsOf(body.messages)) {
    const role = message.role;
    if (role === "system" || role === "developer") instructions.push(textOf(message.content));
    else if (role === "tool") {
      input.push({
        type: "function_call_output",
        call_id: String(message.tool_call_id ?? ""),
        output: textOf(message.content),
      });
    } else if (role === "assistant") input.push(...assistantItems(message));
    else input.push({ role: "user", content: userParts(message.content) });
  }
  const out: Json = { model, input, store: false };
  if (instructions.length > 0) out.instructions = instructions.join("\n\n");
  if (body.stream === true) out.stream = true;
  const max = body.max_completion_tokens ?? body.max_tokens;
  if (typeof max === "number") out.max_output_tokens = max;
  for (const key of ["temperature", "top_p", "parallel_tool_calls"]) {
    if (body[key] !== undefined && body[key] !== null) out[key] = body[key];
  }
  if (typeof body.reasoning_effort === "string") out.reasoning = { effort: body.reasoning_effort };
  const tools = objectsOf(body.tools).filter((tool) => isObject(tool.function))
    .map((tool) => {
      const fn = tool.function as Json;
      return {
        type: "function",
        name: fn.name,
        ...(fn.description === undefined ? {} : { description: fn.description }),
        parameters: fn.parameters ?? { type: "object", properties: {} },
      };
    });
  if (tools.length > 0) {
    out.tools = tools;
    const choice = body.tool_choice;
    if (typeof choice === "string") out.tool_choice = choice;
    else if (isObject(choice) && isObject(choice.function)) {
      out.tool_choice = { type: "function", name: choice.function.name };
    }
  }
  return out;
}

/** The text of chat content (a string or text parts). */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  return objectsOf(content).map((part) => typeof part.text === "string" ? part.text : "").join("");
}

function userParts(content: unknown): unknown {
  if (typeof content === "string") return content;
  return objectsOf(content).map((part) => {
    if (part.type === "image_url") {
      const url = isObject(part.image_url) ? part.image_url.url : part.image_url;
      return { type: "input_image", image_url: url };
    }
    return { type: "input_text", text: typeof part.text === "string" ? part.text : "" };
  });
}

function assistantItems(message: Json): Json[] {
  const items: Json[] = [];
  const text = textOf(message.content);
  if (text !== "") {
    items.push({ role: "assistant", content: [{ type: "output_text", text }] });
  }
  for (const call of objectsOf(message.tool_calls)) {
    const fn = isObject(call.function) ? call.function : {};
    items.push({
      type: "function_call",
      call_id: String(call.id ?? ""),
      name: String(fn.name ?? ""),
      arguments: typeof fn.arguments === "string" ? fn.arguments : "{}",
    });
  }
  return items;
}

/** Chat `usage` for a Responses `usage`. */
export function chatUsage(usage: unknown): Json | undefined {
  if (!isObject(usage)) return undefined;
  const prompt = Number(usage.input_tokens ?? 0);
  const completion = Number(usage.output_tokens ?? 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
}

/** The chat completion for a whole Responses answer, named `model`. */
export function responseToChat(response: unknown, model: string): Json {
  const object = isObject(response) ? response : {};
  let text = "";
  const calls: Json[] = [];
  for (const item of objectsOf(object.output)) {
    if (item.type === "message") {
      text += objectsOf(item.content).map((part) => String(part.text ?? "")).join("");
    } else if (item.type === "function_call") {
      calls.push({
        id: item.call_id,
        type: "function",
        function: { name: item.name, arguments: item.arguments ?? "" },
      });
    }
  }
  const message: Json = { role: "assistant", content: text === "" && calls.length ? null : text };
  if (calls.length > 0) message.tool_calls = calls;
  const usage = chatUsage(object.usage);
  return {
    id: String(object.id ?? "chatcmpl-bridge"),
    object: "chat.completion",
    created: Number(object.created_at ?? Math.floor(Date.now() / 1000)),
    model,
    choices: [{ index: 0, message, finish_reason: finishOf(object, calls.length > 0) }],
    ...(usage ? { usage } : {}),
  };
}

/** Chat's `finish_reason` for a Responses object. */
export function finishOf(response: Json, calls: boolean): string {
  if (response.status === "incomplete") return "length";
  return calls ? "tool_calls" : "stop";
}
