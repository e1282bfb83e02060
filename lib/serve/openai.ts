/**
 * OpenAI's answer shapes as `copilot serve` sends them: text completions and
 * their chunks, the usage estimate, and the model list.
 *
 * @module
 */

import { estimateTokens } from "../copilot/completion_request.ts";

/** One choice of a text completion. */
export interface CompletionChoice {
  /** The text (the whole text, or one piece of it in a chunk). */
  text: string;
  /** Which choice. */
  index: number;
  /** Always null: Copilot's log probabilities are not passed on. */
  logprobs: null;
  /** `stop`, `length`, `content_filter`, or null while streaming. */
  finish_reason: string | null;
}

/** Token counts; the proxy estimates them (about 4 characters a token). */
export interface Usage {
  /** Tokens of the prompt. */
  prompt_tokens: number;
  /** Tokens of every choice. */
  completion_tokens: number;
  /** The sum. */
  total_tokens: number;
}

/** OpenAI's text completion object (one answer, or one SSE chunk). */
export interface TextCompletion {
  /** `cmpl-...`, the same in every chunk of one answer. */
  id: string;
  /** Always `text_completion`. */
  object: "text_completion";
  /** Epoch seconds. */
  created: number;
  /** The model used. */
  model: string;
  /** The choices (of this chunk). */
  choices: CompletionChoice[];
  /** Token estimate: in the non-streamed answer, and the last chunk when asked. */
  usage?: Usage;
}

/** Builds {@linkcode Usage} from the prompts and the choices' texts. */
export function usageOf(prompts: string[], texts: string[]): Usage {
  const prompt = prompts.reduce((sum, p) => sum + estimateTokens(p), 0);
  const completion = texts.reduce((sum, t) => sum + estimateTokens(t), 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
}

/** One entry of OpenAI's model list. */
export interface OpenAiModel {
  /** The model id to send back. */
  id: string;
  /** Always `model`. */
  object: "model";
  /** Epoch seconds; Copilot gives none, so 0. */
  created: number;
  /** The vendor, or `github-copilot`. */
  owned_by: string;
}

/**
 * Copilot's model entries in OpenAI's list shape; entries that do not parse
 * (no string `id`, `capabilities` not an object) are skipped singly, duplicates once.
 *
 * @example
 * ```ts
 * import { modelList } from "./openai.ts";
 * const list = modelList([{ id: "gpt-4.1", vendor: "Azure OpenAI" }, 42, { id: 1 }]);
 * console.assert(list.data.length === 1 && list.data[0]!.owned_by === "Azure OpenAI");
 * ```
 */
export function modelList(entries: unknown[]): { object: "list"; data: OpenAiModel[] } {
  const seen = new Set<string>();
  const data: OpenAiModel[] = [];
  for (const entry of entries) {
    if (typeof entry !== "object" || entry === null) continue;
    const { id, vendor, created, capabilities } = entry as Record<string, unknown>;
    if (typeof id !== "string" || id === "" || seen.has(id)) continue;
    // Copilot describes every model with a `capabilities` object; anything else does not parse.
    if (capabilities !== undefined && (typeof capabilities !== "object" || capabilities === null)) {
      continue;
    }
    seen.add(id);
    data.push({
      id,
      object: "model",
      created: typeof created === "number" && Number.isFinite(created) ? Math.floor(created) : 0,
      owned_by: typeof vendor === "string" && vendor !== "" ? vendor : "github-copilot",
    });
  }
  return { object: "list", data };
}

/**
 * Whether a Copilot model entry can be called through `/chat/completions`:
 * true when its `supported_endpoints` is absent or lists it.
 */
export function supportsChat(entry: unknown): boolean {
  if (typeof entry !== "object" || entry === null) return true;
  const endpoints = (entry as { supported_endpoints?: unknown }).supported_endpoints;
  if (!Array.isArray(endpoints)) return true;
  return endpoints.some((e) => e === "/chat/completions" || e === "/v1/chat/completions");
}

/** What every object of one text-completion answer shares. */
export interface AnswerHead {
  /** `cmpl-...`. */
  id: string;
  /** Epoch seconds. */
  created: number;
  /** The model used. */
  model: string;
}

/**
 * One {@linkcode TextCompletion} (a whole answer, or one SSE chunk); `usage` only when given.
 *
 * @example
 * ```ts
 * import { textCompletion } from "./openai.ts";
 * const chunk = textCompletion({ id: "cmpl-1", created: 0, model: "m" }, []);
 * console.assert(chunk.object === "text_completion" && !("usage" in chunk));
 * ```
 */
export function textCompletion(
  head: AnswerHead,
  choices: CompletionChoice[],
  usage?: Usage,
): TextCompletion {
  const answer: TextCompletion = {
    id: head.id,
    object: "text_completion",
    created: head.created,
    model: head.model,
    choices,
  };
  if (usage) answer.usage = usage;
  return answer;
}
