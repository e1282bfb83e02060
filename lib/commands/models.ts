/**
 * `copilot models`: Copilot's model list (`GET /models`), with the models in
 * use marked: the completion model of `complete` and the chat default of
 * `serve`. `--json` for scripts.
 *
 * @module
 */

import { CopilotClient } from "../copilot/client.ts";
import { ExitCode } from "../base/errors.ts";
import type { Settings } from "../base/settings.ts";
import { chooseModels, type ModelInfo, modelInfos } from "../copilot/model_choice.ts";
import type { ModelsOptions } from "./models_args.ts";

/** One line per model: id, type, vendor and notes. */
export function modelLines(infos: ModelInfo[], completion: string, chatDefault?: string): string[] {
  const width = Math.max(0, ...infos.map((m) => m.id.length));
  const lines = infos.map((m) => {
    const notes: string[] = [];
    if (m.id === completion) notes.push("used by complete");
    if (m.id === chatDefault) notes.push("chat default");
    if (m.preview) notes.push("preview");
    if (m.policy && m.policy !== "enabled") notes.push(`policy ${m.policy}`);
    if (m.endpoints) notes.push(`endpoints ${m.endpoints.join(" ")}`);
    const head = `${m.id.padEnd(width)}  ${m.type.padEnd(10)}  ${m.vendor ?? ""}`;
    return `${head}${notes.length ? `  (${notes.join(", ")})` : ""}`.trimEnd();
  });
  if (!infos.some((m) => m.id === completion)) {
    lines.push(
      `${completion.padEnd(width)}  completion  (used by complete; not listed by Copilot)`,
    );
  }
  return lines;
}

/** Runs `copilot models`: prints the list and resolves with 0. */
export async function models(
  options: ModelsOptions,
  settings: Settings,
  signal: AbortSignal,
): Promise<number> {
  const client = new CopilotClient({ settings });
  const entries = await client.models(signal);
  const infos = modelInfos(entries);
  const chosen = chooseModels(entries);
  const completion = await client.completionModel(signal);
  if (options.json) {
    console.log(JSON.stringify({
      completionModel: completion,
      chatDefault: chosen.chatDefault ?? null,
      models: infos,
    }));
  } else {
    console.log(modelLines(infos, completion, chosen.chatDefault).join("\n"));
  }
  return ExitCode.Ok;
}
