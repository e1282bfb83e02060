/**
 * `POST /v1/completions`: OpenAI's text completions, streamed or not, one
 * upstream completion per prompt.
 *
 * @module
 */

import type { CompletionChunk } from "../../copilot/completion_stream.ts";
import { isAbort } from "../../base/errors.ts";
import { mapSource, type Source } from "../../base/pull.ts";
import { readBody } from "../body.ts";
import { startCompletions } from "../merge.ts";
import { type AnswerHead, type CompletionChoice, textCompletion, usageOf } from "../openai.ts";
import {
  errorEvent,
  json,
  type Part,
  type RouteContext,
  SSE_HEADERS,
  sseEvent,
  Streamed,
} from "../route.ts";
import { type CompletionsCall, completionsCall, parseJsonObject } from "../validate.ts";

/** Answers `POST /v1/completions` with one OpenAI object, or SSE chunks when `stream`. */
export async function completions(
  ctx: RouteContext,
  req: Request,
  signal: AbortSignal,
): Promise<Response | Streamed> {
  const call = completionsCall(parseJsonObject(await readBody(req, ctx.maxBodyBytes, ctx.bodyMs)));
  call.request.model ??= await ctx.client.completionModel(signal);
  const chunks = await startCompletions(ctx.client, call.request, call.prompts, signal);
  const head: AnswerHead = {
    id: `cmpl-${crypto.randomUUID().replaceAll("-", "")}`,
    created: Math.floor(ctx.now() / 1000),
    model: call.request.model,
  };
  const texts = new Texts(call);
  return call.stream ? streamed(call, head, texts, chunks) : await whole(call, head, texts, chunks);
}

/** The choices' texts so far, as the client sees them: with the prompt first when echoing. */
class Texts {
  readonly texts: string[] = [];
  readonly finish: (string | null)[] = [];
  readonly #started = new Set<number>();
  readonly #n: number;

  constructor(readonly call: CompletionsCall) {
    this.#n = call.request.n ?? 1;
  }

  /** Adds a chunk of prompt `prompt`; returns its choice index and text. */
  add(prompt: number, chunk: CompletionChunk): [number, string] {
    const index = prompt * this.#n + chunk.index;
    let text = chunk.text;
    if (this.call.echo && !this.#started.has(index)) {
      this.#started.add(index);
      text = this.call.prompts[prompt] + text;
    }
    this.texts[index] = (this.texts[index] ?? "") + text;
    if (chunk.finishReason) this.finish[index] = chunk.finishReason;
    return [index, text];
  }

  /** The usage estimate of everything so far. */
  usage() {
    return usageOf(this.call.prompts, this.texts.map((t) => t ?? ""));
  }
}

/** The whole answer in one object, once every chunk is in. */
async function whole(
  call: CompletionsCall,
  head: AnswerHead,
  texts: Texts,
  chunks: Source<[number, CompletionChunk]>,
): Promise<Response> {
  for (let r = await chunks.read(); !r.done; r = await chunks.read()) texts.add(...r.value);
  const choices: CompletionChoice[] = [];
  for (let index = 0; index < call.prompts.length * (call.request.n ?? 1); index++) {
    choices.push({
      text: texts.texts[index] ?? "",
      index,
      logprobs: null,
      finish_reason: texts.finish[index] ?? null,
    });
  }
  return json(textCompletion(head, choices, texts.usage()));
}

/** The answer as SSE chunks, one per upstream chunk, then `usage` if asked, then `[DONE]`. */
function streamed(
  call: CompletionsCall,
  head: AnswerHead,
  texts: Texts,
  chunks: Source<[number, CompletionChunk]>,
): Streamed {
  const events = mapSource<[number, CompletionChunk], Part>(chunks, {
    map([prompt, chunk], controller) {
      const [index, text] = texts.add(prompt, chunk);
      if (text === "" && chunk.finishReason === null) return;
      const choice = { text, index, logprobs: null, finish_reason: chunk.finishReason };
      controller.enqueue(sseEvent(JSON.stringify(textCompletion(head, [choice]))));
    },
    end(controller) {
      if (call.includeUsage) {
        controller.enqueue(sseEvent(JSON.stringify(textCompletion(head, [], texts.usage()))));
      }
      controller.enqueue(sseEvent("[DONE]"));
      controller.close();
    },
    fail(err, controller) {
      if (isAbort(err)) return controller.error(err);
      controller.enqueue(sseEvent(errorEvent(err)));
      controller.close();
    },
  });
  return new Streamed(events, SSE_HEADERS);
}
