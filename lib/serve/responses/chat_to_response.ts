/**
 * OpenAI chat answer → Responses object (non-streamed), merging every choice, plus the pieces
 * the streamed translation shares: ids, usage and the response shell.
 *
 * @module
 */

import type { ChatCompletion, ChatUsage } from "../agents/chat_types.ts";
import type {
  FunctionCallItem,
  MessageItem,
  OutputItem,
  ReasoningItem,
  ResponseObject,
  ResponsesRequest,
  ResponsesUsage,
} from "./types.ts";

/** A fresh id with Responses' prefix (`resp`, `msg`, `fc`, `rs`). */
export function itemId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;
}

/** Responses usage from chat usage. */
export function usageOf(usage: ChatUsage | null | undefined): ResponsesUsage {
  const input = usage?.prompt_tokens ?? 0;
  const output = usage?.completion_tokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage?.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: output,
    output_tokens_details: {
      reasoning_tokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
    },
    total_tokens: usage?.total_tokens ?? input + output,
  };
}

/** Status and `incomplete_details` for a chat `finish_reason`. */
export function statusOf(finish: string | null | undefined): {
  status: "completed" | "incomplete";
  incomplete_details: { reason: string } | null;
} {
  if (finish === "length") {
    return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  }
  if (finish === "content_filter") {
    return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  }
  return { status: "completed", incomplete_details: null };
}

/** A response object without output, echoing the request's options. */
export function responseShell(
  id: string,
  request: ResponsesRequest,
  status: string,
): ResponseObject {
  return {
    id,
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    status,
    model: request.model,
    output: [],
    incomplete_details: null,
    error: null,
    usage: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: request.reasoning ?? null,
    store: false,
    temperature: request.temperature ?? null,
    text: request.text ?? { format: { type: "text" } },
    tool_choice: request.tool_choice ?? "auto",
    tools: request.tools ?? [],
    top_p: request.top_p ?? null,
    metadata: {},
  };
}

/** The Responses object for a non-streamed chat answer to `request`. */
export function chatToResponse(answer: ChatCompletion, request: ResponsesRequest): ResponseObject {
  const reasoning: ReasoningItem[] = [];
  const messages: MessageItem[] = [];
  const calls: FunctionCallItem[] = [];
  let finish: string | null | undefined;
  for (const choice of answer.choices ?? []) {
    const message = choice.message ?? {};
    if (message.reasoning_text || message.reasoning_opaque) {
      reasoning.push({
        type: "reasoning",
        id: itemId("rs"),
        summary: message.reasoning_text
          ? [{ type: "summary_text", text: message.reasoning_text }]
          : [],
        ...(message.reasoning_opaque ? { encrypted_content: message.reasoning_opaque } : {}),
      });
    }
    if (typeof message.content === "string" && message.content !== "") {
      messages.push({
        type: "message",
        id: itemId("msg"),
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: message.content, annotations: [] }],
      });
    }
    for (const call of message.tool_calls ?? []) {
      calls.push({
        type: "function_call",
        id: itemId("fc"),
        call_id: call.id,
        name: call.function.name,
        arguments: call.function.arguments,
        status: "completed",
      });
    }
    finish = choice.finish_reason ?? finish;
  }
  const output: OutputItem[] = [...reasoning, ...messages, ...calls];
  const { status, incomplete_details } = statusOf(calls.length > 0 ? "tool_calls" : finish);
  return {
    ...responseShell(itemId("resp"), request, status),
    output,
    incomplete_details,
    usage: usageOf(answer.usage),
  };
}
