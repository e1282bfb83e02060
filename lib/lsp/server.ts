/**
 * The language server's core: `initialize` (position encoding, client
 * capabilities, `initializationOptions`), the lifecycle (`shutdown`, `exit`),
 * the open documents, and the one path every completion method takes from a
 * cursor to placed suggestions.
 *
 * @module
 */

import meta from "../../deno.json" with { type: "json" };
import { Account, FINISH_SIGN_IN_COMMAND } from "./account.ts";
import {
  type ContentChange,
  Documents,
  offsetAt,
  type Position,
  type PositionEncoding,
} from "./documents.ts";
import { Engine, type Fetcher } from "./engine.ts";
import { Notices } from "./notices.ts";
import { copilotLanguage, promptAt } from "./prompt.ts";
import { ACCEPT_COMMAND, place, type Placed } from "./results.ts";
import { type Connection, ErrorCode, ResponseError } from "./rpc.ts";
import { pauseFor, Upstream } from "./upstream.ts";
import { readSettings, type Settings } from "../base/settings.ts";

/** The server's version, as `serverInfo` and `getVersion` give it. */
export const VERSION: string = meta.version;

/** Default debounce of automatic triggers, in milliseconds. */
export const DEFAULT_DEBOUNCE_MS = 60;

/** Options of the server (the command line's; `initializationOptions` override them). */
export interface ServerOptions {
  /** The run's settings (read once by main.ts); default those of an empty environment. */
  settings?: Settings;
  /** Debounce of automatic triggers, in milliseconds. */
  debounceMs?: number;
  /** Answer only invoked triggers. */
  manual?: boolean;
  /** Fetches suggestions; default the Copilot client (tests may stand in). */
  fetch?: Fetcher;
  /** Debug log lines (stderr), or nothing. */
  log?: (line: string) => void;
}

/** Where a completion is asked for. */
export interface Cursor {
  /** The document. */
  uri: string;
  /** The cursor. */
  position: Position;
  /** Suggestions wanted. */
  n: number;
  /** An automatic trigger (debounced; not answered in manual mode). */
  automatic: boolean;
  /** Text of a document the editor did not open (GitHub's old `doc.source`). */
  source?: { text: string; languageId: string; version: number };
  /** A workspace-relative path the editor gave (GitHub's `doc.relativePath`). */
  relativePath?: string;
  /** Requests of another lane (the panel) do not supersede the document's ghost text. */
  lane?: string;
}

/** Suggestions placed at a cursor. */
export interface Suggestions {
  /** Each suggestion, deduplicated. */
  placed: Placed[];
  /** Copilot's language id of the document. */
  language: string;
}

/** The path shown in the prompt's marker: relative to the workspace root when inside it. */
function displayPath(uri: string, root: string | undefined): string {
  if (root && uri.startsWith(root.endsWith("/") ? root : `${root}/`)) {
    return decodeURIComponent(uri.slice(root.replace(/\/$/, "").length + 1));
  }
  if (!uri.startsWith("file://")) return uri;
  return decodeURIComponent(new URL(uri).pathname.split("/").at(-1) ?? uri);
}

/** The state of one language server session, shared by every method. */
export class LanguageServer {
  /** The connection to the editor. */
  readonly connection: Connection;
  /** The open documents. */
  readonly documents = new Documents();
  /** The upstream client. */
  readonly upstream: Upstream;
  /** Sign-in state. */
  readonly account: Account;
  /** What the user is told. */
  readonly notices: Notices;
  /** Fetch scheduling. */
  readonly engine: Engine;
  /** Answer only invoked triggers. */
  manual: boolean;
  /** Whether the editor shows inline (ghost text) completions itself. */
  inlineClient = false;
  /** `initialize` seen. */
  initialized = false;
  /** `shutdown` seen. */
  shutDown = false;
  /** The editor's `setEditorInfo` / `initializationOptions.editorInfo`. */
  editorInfo: unknown;
  #root: string | undefined;
  #exited: PromiseWithResolvers<number> = Promise.withResolvers();

  /** Creates the server on `connection`. */
  constructor(connection: Connection, options: ServerOptions = {}) {
    this.connection = connection;
    const settings = options.settings ?? readSettings({});
    this.upstream = new Upstream(settings);
    this.account = new Account(settings, async () => (await this.upstream.client()).session);
    this.manual = options.manual ?? false;
    this.notices = new Notices(connection, this.account);
    if (options.log) this.notices.log = options.log;
    this.engine = new Engine({
      fetch: options.fetch ?? ((request, signal) => this.upstream.fetch(request, signal)),
      debounceMs: options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
      pauseFor,
    });
    connection.guard = (method) => {
      if (!this.initialized && method !== "initialize") {
        return new ResponseError(ErrorCode.ServerNotInitialized, "initialize first");
      }
      if (this.shutDown) return new ResponseError(ErrorCode.InvalidRequest, "shut down");
      return undefined;
    };
    this.#lifecycle();
    this.#documentSync();
  }

  /** Resolves with the exit status once the editor sent `exit` (or went away). */
  get exited(): Promise<number> {
    return this.#exited.promise;
  }

  /** The editor went away (end of input): exit as `exit` would. */
  close(): void {
    this.engine.cancel();
    this.connection.close();
    this.#exited.resolve(this.shutDown ? 0 : 1);
  }

  #lifecycle(): void {
    const c = this.connection;
    c.onRequest("initialize", (params) => this.#initialize(params as InitializeParams));
    c.onNotification("initialized", () => {});
    c.onRequest("shutdown", () => {
      this.engine.cancel();
      this.shutDown = true;
      return null;
    });
    c.onNotification("exit", () => this.close());
  }

  #initialize(params: InitializeParams) {
    if (this.initialized) throw new ResponseError(ErrorCode.InvalidRequest, "initialized twice");
    this.initialized = true;
    const caps = params?.capabilities ?? {};
    const offered = caps.general?.positionEncodings ?? [];
    const encoding: PositionEncoding = offered.includes("utf-8") ? "utf-8" : "utf-16";
    this.documents.encoding = encoding;
    this.inlineClient = caps.textDocument?.inlineCompletion !== undefined;
    this.notices.showDocument = caps.window?.showDocument?.support === true;
    this.#root = params?.workspaceFolders?.[0]?.uri ?? params?.rootUri ?? undefined;
    const init = params?.initializationOptions ?? {};
    if (typeof init.debounceMs === "number" && init.debounceMs >= 0) {
      this.engine.debounceMs = init.debounceMs;
    }
    if (typeof init.manual === "boolean") this.manual = init.manual;
    if (init.editorInfo) {
      this.editorInfo = init.editorInfo;
      this.notices.githubStatus = true;
    }
    return {
      capabilities: {
        positionEncoding: encoding,
        textDocumentSync: { openClose: true, change: 2 }, // incremental
        ...(this.inlineClient ? { inlineCompletionProvider: {} } : {
          completionProvider: { resolveProvider: false, triggerCharacters: [] },
        }),
        executeCommandProvider: { commands: [ACCEPT_COMMAND, FINISH_SIGN_IN_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: "copilot", version: VERSION },
    };
  }

  #documentSync(): void {
    const c = this.connection;
    c.onNotification("textDocument/didOpen", (params) => {
      const { textDocument: d } = params as { textDocument: DocumentItem };
      this.documents.open({
        uri: d.uri,
        languageId: d.languageId ?? "",
        version: d.version ?? 0,
        text: d.text ?? "",
      });
    });
    c.onNotification("textDocument/didChange", (params) => {
      const { textDocument, contentChanges } = params as {
        textDocument: { uri: string; version: number };
        contentChanges: ContentChange[];
      };
      this.documents.change(textDocument.uri, textDocument.version, contentChanges);
    });
    c.onNotification("textDocument/didClose", (params) => {
      const { uri } = (params as { textDocument: { uri: string } }).textDocument;
      this.engine.cancel(uri);
      this.documents.close(uri);
    });
  }

  /**
   * The suggestions at `cursor`, placed in the document as it was when asked.
   * Upstream failures answer none (the user hears of them once, see
   * {@linkcode Notices}); a superseded or cancelled request rejects with
   * `RequestCancelled`.
   */
  async suggest(cursor: Cursor, signal: AbortSignal): Promise<Suggestions> {
    const open = this.documents.get(cursor.uri);
    const document = open ?? (cursor.source && { uri: cursor.uri, ...cursor.source });
    if (!document) throw new ResponseError(ErrorCode.InvalidParams, `${cursor.uri} is not open`);
    const path = cursor.relativePath ?? displayPath(cursor.uri, this.#root);
    const language = copilotLanguage(document.languageId, path);
    if (this.manual && cursor.automatic) return { placed: [], language };
    const { text, version } = document;
    const encoding = this.documents.encoding;
    const offset = offsetAt(text, cursor.position, encoding);
    const request = promptAt({ text, offset, language, path, n: cursor.n });
    let texts: string[];
    try {
      const key = cursor.lane ? `${cursor.lane} ${cursor.uri}` : cursor.uri;
      texts = await this.engine.complete(key, request, signal, cursor.automatic);
    } catch (err) {
      if (err instanceof ResponseError) throw err;
      this.notices.failed(err);
      return { placed: [], language };
    }
    this.notices.succeeded();
    const input = { text, offset, position: cursor.position, version, encoding };
    const placed: Placed[] = [];
    for (const suggestion of new Set(texts.map((t) => t.trimEnd()))) {
      const one = place(input, suggestion, crypto.randomUUID());
      if (one) placed.push(one);
    }
    return { placed, language };
  }
}

interface DocumentItem {
  uri: string;
  languageId?: string;
  version?: number;
  text?: string;
}

interface InitializeParams {
  capabilities?: {
    general?: { positionEncodings?: string[] };
    textDocument?: { inlineCompletion?: unknown };
    window?: { showDocument?: { support?: boolean } };
  };
  rootUri?: string | null;
  workspaceFolders?: { uri: string }[] | null;
  initializationOptions?: {
    debounceMs?: unknown;
    manual?: unknown;
    editorInfo?: unknown;
  } | null;
}
