/**
 * `copilot complete`: a shell filter. The prompt comes on stdin (or
 * `--file`), the completion streams to stdout verbatim as it decodes, and
 * nothing reaches stderr on success (vim's `:r !cmd` reads stderr too).
 *
 * @module
 */

import type { CompleteOptions } from "./complete_args.ts";
import { CopilotClient } from "../copilot/client.ts";
import type { CompletionChunk } from "../copilot/completion_stream.ts";
import { budgetedPrompt, type CompletionRequest } from "../copilot/completion_request.ts";
import { EMPTY_PROMPT, isBlankPrompt } from "../base/limits.ts";
import { CopilotError, ExitCode, isAbort } from "../base/errors.ts";
import type { Settings } from "../base/settings.ts";
import { languageOfPath } from "../copilot/languages.ts";
import { readStdin, readTextFile } from "../cli/prompt_input.ts";
import { editorOf, emptyPromptReason } from "../cli/editor.ts";

const encoder = new TextEncoder();

/** Writes all of `text` to stdout, unbuffered. */
async function print(text: string): Promise<void> {
  const bytes = encoder.encode(text);
  for (let written = 0; written < bytes.length;) {
    written += await Deno.stdout.write(bytes.subarray(written));
  }
}

/** Builds the request from the options and the input. */
async function buildRequest(
  options: CompleteOptions,
  prompt: string,
  settings: Settings,
): Promise<CompletionRequest> {
  if (isBlankPrompt(prompt)) {
    const reason = options.file ? EMPTY_PROMPT : emptyPromptReason(editorOf(settings));
    throw new CopilotError(reason, { exitCode: ExitCode.Usage });
  }
  const suffix = options.suffixFile
    ? await readTextFile(options.suffixFile, "suffix file")
    : options.suffix;
  const language = options.lang ?? (options.file ? languageOfPath(options.file) : undefined);
  const request: CompletionRequest = { prompt, line: options.line, n: options.n };
  if (suffix !== undefined) request.suffix = suffix;
  if (language !== undefined) request.language = language;
  if (options.file !== undefined) request.path = options.file;
  if (options.stop.length > 0) request.stop = options.stop;
  if (options.maxTokens !== undefined) request.maxTokens = options.maxTokens;
  if (options.temperature !== undefined) request.temperature = options.temperature;
  if (options.topP !== undefined) request.topP = options.topP;
  if (options.model !== undefined) request.model = options.model;
  return request;
}

/** One finished (or cut) choice. */
interface Choice {
  index: number;
  text: string;
  finish_reason: string | null;
}

/** How much of the prompt the token budget cut (estimated tokens and characters). */
function promptCut(request: CompletionRequest) {
  const { fitted } = budgetedPrompt(request);
  return {
    prefix_tokens: fitted.prefixTokensCut,
    suffix_tokens: fitted.suffixTokensCut,
    prefix_chars: fitted.prefixCharsCut,
    suffix_chars: fitted.suffixCharsCut,
  };
}

/** Prints the request that would be sent, tokens redacted; sends nothing. */
async function dryRun(client: CopilotClient, request: CompletionRequest): Promise<number> {
  const { redact } = await import("../base/redact.ts");
  const { method, url, headers, body } = await client.describeCompletion(request);
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  const cut = promptCut(request);
  const note = cut.prefix_chars + cut.suffix_chars > 0
    ? `\n# cut to the prompt budget: ${cut.prefix_tokens} tokens (${cut.prefix_chars} characters) from the start of the prompt, ${cut.suffix_tokens} tokens (${cut.suffix_chars} characters) from the end of the suffix\n`
    : "";
  await print(
    redact(
      `${method} ${url}\n${lines.join("\n")}\n\n${JSON.stringify(body, null, 2)}\n${note}`,
    ),
  );
  return ExitCode.Ok;
}

/**
 * Runs `copilot complete`; resolves with the exit status, throws
 * {@linkcode CopilotError} for failures. With `--echo`, a failure before the
 * prompt was echoed writes the prompt back unchanged (an editor's filter keeps
 * its lines).
 */
export async function complete(
  options: CompleteOptions,
  settings: Settings,
  signal: AbortSignal,
): Promise<number> {
  const prompt = options.file ? await readTextFile(options.file, "prompt file") : await readStdin();
  const echo = { done: false };
  try {
    return await completePrompt(options, settings, prompt, echo, signal);
  } catch (err) {
    if (options.echo && !echo.done) await print(prompt).catch(() => {});
    throw err;
  }
}

/** Completes `prompt`; sets `echo.done` once `--echo` has printed it. */
async function completePrompt(
  options: CompleteOptions,
  settings: Settings,
  prompt: string,
  echo: { done: boolean },
  signal: AbortSignal,
): Promise<number> {
  const request = await buildRequest(options, prompt, settings);
  const client = new CopilotClient({
    settings,
    ...(options.timeout ? { timeout: options.timeout } : {}),
  });
  if (options.dryRun) return await dryRun(client, request);
  if (options.file !== undefined) {
    // Nothing of an excluded file may leave: checked before the request is made.
    const { checkExclusion } = await import("../copilot/exclusion.ts");
    await checkExclusion(options.file, prompt, settings, client.session, signal);
  }

  const stream = await client.completions(request, signal);
  if (options.echo) {
    echo.done = true;
    await print(request.prompt);
  }
  const live = !options.json; // choice 0 streams live; others wait for their turn
  const choices = new Map<number, Choice>();
  let printedText = "";
  try {
    for await (const chunk of stream as AsyncIterable<CompletionChunk>) {
      const choice = choices.get(chunk.index) ??
        { index: chunk.index, text: "", finish_reason: null };
      choices.set(chunk.index, choice);
      choice.text += chunk.text;
      if (chunk.finishReason) choice.finish_reason = chunk.finishReason;
      if (live && chunk.index === 0 && chunk.text !== "") {
        await print(chunk.text);
        printedText += chunk.text;
      }
    }
  } catch (err) {
    if (isAbort(err) || err instanceof Deno.errors.BrokenPipe) throw err;
    const message = err instanceof CopilotError ? err.message : String(err);
    throw new CopilotError(
      message.startsWith("completion cut off") ? message : `completion cut off: ${message}`,
      { exitCode: err instanceof CopilotError ? err.exitCode : ExitCode.Failure, cause: err },
    );
  }
  const all = [...choices.values()].sort((a, b) => a.index - b.index);
  const kept = all.filter((choice) => choice.finish_reason !== "content_filter");
  if (options.json) {
    await print(
      JSON.stringify({
        text: kept[0]?.text ?? "",
        finish_reason: kept[0]?.finish_reason ?? null,
        choices: kept,
        filtered: all.length - kept.length,
        cut: promptCut(request),
      }) + "\n",
    );
  } else {
    const others = kept.filter((choice) => choice.index !== 0);
    let tail = printedText;
    for (const [i, choice] of others.entries()) {
      const lead = tail === "" || tail.endsWith("\n") ? "" : "\n";
      await print(`${lead}--- suggestion ${i + 2} of ${others.length + 1} ---\n${choice.text}`);
      tail = choice.text;
    }
    if (Deno.stdout.isTerminal() && tail !== "" && !tail.endsWith("\n")) await print("\n");
  }
  // A filtered suggestion is dropped; it is a failure when nothing is left, or when
  // the streamed one was cut by the filter after part of it was printed.
  const streamedFiltered = !options.json && all[0]?.finish_reason === "content_filter";
  if (all.length > 0 && (kept.length === 0 || streamedFiltered)) {
    throw new CopilotError("Copilot's content filter withheld the suggestion");
  }
  return ExitCode.Ok;
}
