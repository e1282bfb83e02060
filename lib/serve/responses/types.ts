/**
 * The slice of OpenAI's Responses API shapes that `serve` reads and writes.
 *
 * @module
 */

/** A content part of an input or output message. */
export type ResponsesPart =
  | { type: "input_text" | "output_text"; text: string; annotations?: unknown[] }
  | { type: "input_image"; image_url?: string; detail?: string; file_id?: string }
  | { type: "refusal"; refusal: string };

/** An input or output message. */
export interface MessageItem {
  /** `"message"`, or absent in shorthand input. */
  type?: "message";
  /** Item id (`msg_…`). */
  id?: string;
  /** Who speaks. */
  role: "user" | "assistant" | "system" | "developer";
  /** Text or parts. */
  content: string | ResponsesPart[];
  /** Item status. */
  status?: string;
}

/** A function call of the model. */
export interface FunctionCallItem {
  /** Kind. */
  type: "function_call";
  /** Item id (`fc_…`). */
  id?: string;
  /** The call id tool outputs refer to. */
  call_id: string;
  /** Tool name. */
  name: string;
  /** JSON arguments. */
  arguments: string;
  /** Item status. */
  status?: string;
}

/** The output of a function call. */
export interface FunctionCallOutputItem {
  /** Kind. */
  type: "function_call_output";
  /** The call answered. */
  call_id: string;
  /** Text, or parts. */
  output: string | ResponsesPart[];
}

/** A reasoning item. */
export interface ReasoningItem {
  /** Kind. */
  type: "reasoning";
  /** Item id (`rs_…`). */
  id?: string;
  /** Summary parts. */
  summary: { type: "summary_text"; text: string }[];
  /** Opaque reasoning state. */
  encrypted_content?: string | null;
}

/** Any input item (others are carried through untyped). */
export type InputItem = MessageItem | FunctionCallItem | FunctionCallOutputItem | ReasoningItem;

/** A tool of a Responses request. */
export interface ResponsesTool {
  /** `function`, `custom`, `web_search`, `image_generation`, `namespace`, … */
  type: string;
  /** Name. */
  name?: string;
  /** Description. */
  description?: string;
  /** JSON schema of a function tool. */
  parameters?: unknown;
  /** Strict schema. */
  strict?: boolean;
}

/** A `POST /responses` body. */
export interface ResponsesRequest {
  /** Model name. */
  model: string;
  /** Text or items. */
  input: string | InputItem[];
  /** System prompt. */
  instructions?: string | null;
  /** Streamed or not. */
  stream?: boolean;
  /** Tools. */
  tools?: ResponsesTool[];
  /** `auto` / `none` / `required` or a named function. */
  tool_choice?: string | { type: string; name?: string };
  /** Whether parallel calls are allowed. */
  parallel_tool_calls?: boolean;
  /** Output cap. */
  max_output_tokens?: number | null;
  /** Sampling. */
  temperature?: number | null;
  /** Sampling. */
  top_p?: number | null;
  /** Reasoning options. */
  reasoning?: { effort?: string | null; summary?: string | null } | null;
  /** Output format. */
  text?: { format?: { type: string; name?: string; schema?: unknown; strict?: boolean } };
}

/** Token counts of a response. */
export interface ResponsesUsage {
  /** Prompt tokens. */
  input_tokens: number;
  /** Cached prompt tokens. */
  input_tokens_details: { cached_tokens: number };
  /** Output tokens. */
  output_tokens: number;
  /** Reasoning tokens. */
  output_tokens_details: { reasoning_tokens: number };
  /** Sum. */
  total_tokens: number;
}

/** An output item of a response. */
export type OutputItem = MessageItem | FunctionCallItem | ReasoningItem;

/** A response object (`response.completed`, or a non-streamed answer). */
export interface ResponseObject {
  /** Response id (`resp_…`). */
  id: string;
  /** Always `"response"`. */
  object: "response";
  /** Seconds since the epoch. */
  created_at: number;
  /** `in_progress`, `completed`, `incomplete` or `failed`. */
  status: string;
  /** Model name. */
  model: string;
  /** Output items. */
  output: OutputItem[];
  /** Why it is incomplete. */
  incomplete_details: { reason: string } | null;
  /** Error of a failed response. */
  error: { code: string; message: string } | null;
  /** Token counts. */
  usage: ResponsesUsage | null;
  /** Echoed options. */
  [option: string]: unknown;
}
