/**
 * OpenAI chat answer → Anthropic message (non-streamed), merging every choice: Copilot may send
 * Claude's text in `choices[0]` and its tool calls in `choices[1]`. The streamed counterpart is
 * `messages_stream.ts`.
 *
 * @module
 */

import type { ChatCompletion, ChatUsage } from "../agents/chat_types.ts";
import type {
  AnthropicUsage,
  MessageAnswer,
  StopReason,
  TextBlock,
  ThinkingBlock,
  ToolUseBlock,
} from "./types.ts";

/** Anthropic's `stop_reason` for a chat `finish_reason` (tool calls win over everything). */
export function stopReasonOf(finish: string | null | undefined, toolCalls: boolean): StopReason {
  if (toolCalls || finish === "tool_calls" || finish === "function_call") return "tool_use";
  if (finish === "length") return "max_tokens";
  return "end_turn";
}

/** Anthropic usage from chat usage: cached prompt tokens are reported apart. */
export function usageOf(usage: ChatUsage | null | undefined): AnthropicUsage {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_read_input_tokens: cached,
  };
}

/** Parses tool arguments; a broken string is kept under `_raw` rather than lost. */
export function parseArguments(raw: string | undefined): unknown {
  if (raw === undefined || raw.trim() === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    return { _raw: raw };
  }
}

/** A fresh Anthropic message id. */
export function messageId(): string {
  return `msg_${crypto.randomUUID().replaceAll("-", "")}`;
}

/** The Anthropic message for a non-streamed chat answer, named `model`. */
export function chatToAnthropic(answer: ChatCompletion, model: string): MessageAnswer {
  const thinking: ThinkingBlock[] = [];
  const texts: TextBlock[] = [];
  const tools: ToolUseBlock[] = [];
  let finish: string | null | undefined;
  for (const choice of answer.choices ?? []) {
    const message = choice.message ?? {};
    if (message.reasoning_text || message.reasoning_opaque) {
      thinking.push({
        type: "thinking",
        thinking: message.reasoning_text ?? "",
        ...(message.reasoning_opaque ? { signature: message.reasoning_opaque } : {}),
      });
    }
    if (typeof message.content === "string" && message.content !== "") {
      texts.push({ type: "text", text: message.content });
    }
    for (const call of message.tool_calls ?? []) {
      tools.push({
        type: "tool_use",
        id: call.id,
        name: call.function.name,
        input: parseArguments(call.function.arguments),
      });
    }
    finish = choice.finish_reason ?? finish;
  }
  return {
    id: messageId(),
    type: "message",
    role: "assistant",
    model,
    content: [...thinking, ...texts, ...tools],
    stop_reason: stopReasonOf(finish, tools.length > 0),
    stop_sequence: null,
    usage: usageOf(answer.usage),
  };
}
