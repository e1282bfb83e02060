/**
 * The slice of Anthropic's Messages API shapes that `serve` reads and writes.
 *
 * @module
 */

/** A text block. */
export interface TextBlock {
  /** Kind. */
  type: "text";
  /** The text. */
  text: string;
  /** Cache hint. */
  cache_control?: unknown;
}

/** An image block. */
export interface ImageBlock {
  /** Kind. */
  type: "image";
  /** Base64 data or a URL. */
  source:
    | { type: "base64"; media_type: string; data: string }
    | { type: "url"; url: string };
}

/** A tool call of the assistant. */
export interface ToolUseBlock {
  /** Kind. */
  type: "tool_use";
  /** Call id. */
  id: string;
  /** Tool name. */
  name: string;
  /** Arguments. */
  input: unknown;
}

/** The answer to a tool call. */
export interface ToolResultBlock {
  /** Kind. */
  type: "tool_result";
  /** The call answered. */
  tool_use_id: string;
  /** Result text or blocks. */
  content?: string | (TextBlock | ImageBlock)[];
  /** Whether the tool failed. */
  is_error?: boolean;
}

/** Extended thinking with its signature. */
export interface ThinkingBlock {
  /** Kind. */
  type: "thinking";
  /** The thinking text. */
  thinking: string;
  /** Opaque signature. */
  signature?: string;
}

/** Thinking the provider hid. */
export interface RedactedThinkingBlock {
  /** Kind. */
  type: "redacted_thinking";
  /** Opaque data. */
  data: string;
}

/** Any content block of a message. */
export type ContentBlock =
  | TextBlock
  | ImageBlock
  | ToolUseBlock
  | ToolResultBlock
  | ThinkingBlock
  | RedactedThinkingBlock;

/** One message of the conversation. */
export interface AnthropicMessage {
  /** Who speaks. */
  role: "user" | "assistant";
  /** Text or blocks. */
  content: string | ContentBlock[];
}

/** A tool the model may call. */
export interface AnthropicTool {
  /** Name. */
  name: string;
  /** Description. */
  description?: string;
  /** JSON schema of the input. */
  input_schema?: unknown;
  /** Server tools carry a type, e.g. `web_search_20250305`. */
  type?: string;
}

/** `tool_choice`. */
export type AnthropicToolChoice =
  | { type: "auto" | "any" | "none"; disable_parallel_tool_use?: boolean }
  | { type: "tool"; name: string; disable_parallel_tool_use?: boolean };

/** A `POST /v1/messages` body (also `count_tokens`, without `max_tokens`). */
export interface MessagesRequest {
  /** Model name as the client spells it. */
  model: string;
  /** The conversation. */
  messages: AnthropicMessage[];
  /** System prompt. */
  system?: string | TextBlock[];
  /** Output cap. */
  max_tokens?: number;
  /** Stop strings. */
  stop_sequences?: string[];
  /** Streamed or not. */
  stream?: boolean;
  /** Sampling. */
  temperature?: number;
  /** Sampling. */
  top_p?: number;
  /** Sampling. */
  top_k?: number;
  /** Tools. */
  tools?: AnthropicTool[];
  /** Tool choice. */
  tool_choice?: AnthropicToolChoice;
  /** Extended thinking. */
  thinking?: { type: string; budget_tokens?: number };
  /** Client metadata. */
  metadata?: { user_id?: string };
}

/** Why the model stopped. */
export type StopReason =
  | "end_turn"
  | "max_tokens"
  | "stop_sequence"
  | "tool_use"
  | "pause_turn"
  | "refusal";

/** Token counts of an answer. */
export interface AnthropicUsage {
  /** Prompt tokens not read from the cache. */
  input_tokens: number;
  /** Output tokens. */
  output_tokens: number;
  /** Prompt tokens read from the cache. */
  cache_read_input_tokens?: number;
  /** Prompt tokens written to the cache. */
  cache_creation_input_tokens?: number;
}

/** A non-streamed answer. */
export interface MessageAnswer {
  /** Message id (`msg_…`). */
  id: string;
  /** Always `"message"`. */
  type: "message";
  /** Always `"assistant"`. */
  role: "assistant";
  /** Model name. */
  model: string;
  /** The blocks of the answer. */
  content: (TextBlock | ToolUseBlock | ThinkingBlock)[];
  /** Why it stopped. */
  stop_reason: StopReason | null;
  /** The stop string that matched. */
  stop_sequence: string | null;
  /** Token counts. */
  usage: AnthropicUsage;
}
