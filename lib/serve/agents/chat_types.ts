/**
 * The slice of OpenAI's chat-completions shapes (with Copilot's extras) that the agent
 * translators read and write: requests, answers and stream chunks.
 *
 * @module
 */

/** A content part of a chat message. */
export type ChatPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: string } };

/** A tool call on an assistant message. */
export interface ChatToolCall {
  /** Call id. */
  id: string;
  /** Always `"function"`. */
  type: "function";
  /** Name and JSON arguments. */
  function: { name: string; arguments: string };
}

/** One chat message; Copilot adds `reasoning_text` / `reasoning_opaque` on assistant messages. */
export interface ChatMessage {
  /** Who speaks. */
  role: "system" | "developer" | "user" | "assistant" | "tool";
  /** Text, parts, or null (assistant with tool calls only). */
  content: string | ChatPart[] | null;
  /** Assistant tool calls. */
  tool_calls?: ChatToolCall[];
  /** The call a tool message answers. */
  tool_call_id?: string;
  /** Copilot: the reasoning text of an assistant turn. */
  reasoning_text?: string;
  /** Copilot: the opaque reasoning signature of an assistant turn. */
  reasoning_opaque?: string;
}

/** A function tool. */
export interface ChatTool {
  /** Always `"function"`. */
  type: "function";
  /** Name, description and JSON schema. */
  function: { name: string; description?: string; parameters?: unknown; strict?: boolean };
}

/** `tool_choice` of a chat request. */
export type ChatToolChoice =
  | "auto"
  | "none"
  | "required"
  | { type: "function"; function: { name: string } };

/** A chat request as sent to Copilot's `/chat/completions`. */
export interface ChatRequest {
  /** Copilot model id. */
  model: string;
  /** The conversation. */
  messages: ChatMessage[];
  /** Streamed or not. */
  stream?: boolean;
  /** Sampling. */
  temperature?: number;
  /** Sampling. */
  top_p?: number;
  /** Output cap. */
  max_tokens?: number;
  /** Stop strings. */
  stop?: string[];
  /** Tools offered. */
  tools?: ChatTool[];
  /** Tool choice. */
  tool_choice?: ChatToolChoice;
  /** Whether parallel tool calls are allowed. */
  parallel_tool_calls?: boolean;
  /** Copilot: thinking budget for Anthropic models. */
  thinking_budget?: number;
  /** Structured output. */
  response_format?: unknown;
  /** Reasoning effort. */
  reasoning_effort?: string;
}

/** `usage` of a chat answer. */
export interface ChatUsage {
  /** Prompt tokens, cached ones included. */
  prompt_tokens?: number;
  /** Output tokens. */
  completion_tokens?: number;
  /** Sum. */
  total_tokens?: number;
  /** Cached prompt tokens. */
  prompt_tokens_details?: { cached_tokens?: number };
  /** Reasoning tokens. */
  completion_tokens_details?: { reasoning_tokens?: number };
}

/** A tool-call fragment of a stream chunk. */
export interface ChatToolCallDelta {
  /** Position of the call within its choice. */
  index?: number;
  /** Call id (first fragment). */
  id?: string;
  /** Always `"function"` when present. */
  type?: string;
  /** Name (first fragment) and a piece of the arguments. */
  function?: { name?: string; arguments?: string };
}

/** The delta of one choice of a stream chunk. */
export interface ChatDelta {
  /** Role (first chunk). */
  role?: string;
  /** A piece of text. */
  content?: string | null;
  /** Tool-call fragments. */
  tool_calls?: ChatToolCallDelta[];
  /** Copilot: a piece of reasoning text. */
  reasoning_text?: string | null;
  /** Copilot: the reasoning signature. */
  reasoning_opaque?: string | null;
}

/** One stream chunk of `/chat/completions`. */
export interface ChatChunk {
  /** Completion id. */
  id?: string;
  /** Model. */
  model?: string;
  /** Choices; may be empty (Azure filter results, usage). */
  choices?: { index?: number; delta?: ChatDelta; finish_reason?: string | null }[];
  /** Usage (usually the last chunk). */
  usage?: ChatUsage | null;
}

/** A non-streamed chat answer. */
export interface ChatCompletion {
  /** Completion id. */
  id?: string;
  /** Model. */
  model?: string;
  /** Choices; Claude may put text and tool calls in different ones. */
  choices?: {
    index?: number;
    message?: Partial<ChatMessage>;
    finish_reason?: string | null;
  }[];
  /** Usage. */
  usage?: ChatUsage | null;
}
