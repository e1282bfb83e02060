/**
 * What the tool knows of languages: file extensions, line comments (for the
 * `Path:` marker) and the stop sequences of a multi-line completion.
 *
 * @module
 */

import { pathOps } from "../base/paths.ts";

/** Splits on either separator: a Windows path named on any OS still has a language. */
const anyOs = pathOps(true);

interface Language {
  /** File extensions, without the dot. */
  ext: string[];
  /** Line comment prefix. */
  comment: string;
  /** Stops of a block completion, when not the default. */
  stops?: string[];
  /**
   * False when the LS does not let the server trim by indentation: its block
   * mode for the language is Parsing, not Server or ParsingAndServer
   * (`shouldDoServerTrimming`); true for every other language.
   */
  serverTrimming?: false;
}

const HASH = "#";
const SLASHES = "//";

const LANGUAGES: Record<string, Language> = {
  python: {
    ext: ["py", "pyw", "pyi"],
    comment: HASH,
    stops: ["\ndef ", "\nclass ", "\nif ", "\n\n#"],
  },
  javascript: { ext: ["js", "mjs", "cjs", "jsx"], comment: SLASHES },
  typescript: { ext: ["ts", "mts", "cts"], comment: SLASHES },
  typescriptreact: { ext: ["tsx"], comment: SLASHES },
  go: { ext: ["go"], comment: SLASHES },
  rust: { ext: ["rs"], comment: SLASHES },
  c: { ext: ["c", "h"], comment: SLASHES },
  cpp: { ext: ["cc", "cpp", "cxx", "hpp", "hh"], comment: SLASHES },
  csharp: { ext: ["cs"], comment: SLASHES },
  java: { ext: ["java"], comment: SLASHES },
  kotlin: { ext: ["kt", "kts"], comment: SLASHES },
  swift: { ext: ["swift"], comment: SLASHES },
  scala: { ext: ["scala"], comment: SLASHES },
  php: { ext: ["php"], comment: SLASHES },
  ruby: { ext: ["rb"], comment: HASH, serverTrimming: false },
  shellscript: { ext: ["sh", "bash", "zsh"], comment: HASH },
  perl: { ext: ["pl", "pm"], comment: HASH },
  r: { ext: ["r"], comment: HASH },
  yaml: { ext: ["yml", "yaml"], comment: HASH },
  toml: { ext: ["toml"], comment: HASH },
  dockerfile: { ext: ["dockerfile"], comment: HASH },
  makefile: { ext: ["mk"], comment: HASH },
  lua: { ext: ["lua"], comment: "--" },
  sql: { ext: ["sql"], comment: "--" },
  haskell: { ext: ["hs"], comment: "--" },
  vim: { ext: ["vim"], comment: '"' },
  html: { ext: ["html", "htm"], comment: "<!--" },
  // LS 1.539.0: markdown ends a block at two empty lines only (a fence is content there).
  markdown: { ext: ["md", "markdown"], comment: "<!--", stops: ["\n\n\n"] },
  css: { ext: ["css", "scss", "less"], comment: "/*" },
  elixir: { ext: ["ex", "exs"], comment: HASH },
  zig: { ext: ["zig"], comment: SLASHES },
  dart: { ext: ["dart"], comment: SLASHES },
};

/** Default stops of a block (multi-line) completion. */
export const BLOCK_STOPS: readonly string[] = ["\n\n\n", "\n```"];

/** The language id for a file name, from its extension; undefined when unknown. */
export function languageOfPath(path: string): string | undefined {
  const name = anyOs.basename(path).toLowerCase();
  if (name === "dockerfile") return "dockerfile";
  if (name === "makefile") return "makefile";
  const ext = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1) : "";
  return Object.entries(LANGUAGES).find(([, lang]) => lang.ext.includes(ext))?.[0];
}

/** The line comment prefix of `language`, `#` when unknown. */
export function lineComment(language: string | undefined): string {
  return (language && LANGUAGES[language]?.comment) || HASH;
}

/**
 * Whether the server trims a completion in `language` by indentation
 * (`extra.trim_by_indentation`): the LS decides by the language's block mode,
 * not by line or block request, so it is true even for one line.
 */
export function serverTrimming(language: string | undefined): boolean {
  return !(language && LANGUAGES[language]?.serverTrimming === false);
}

/** Stop sequences of a block completion in `language`. */
export function blockStops(language: string | undefined): string[] {
  return [...((language && LANGUAGES[language]?.stops) || BLOCK_STOPS)];
}
