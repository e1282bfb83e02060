/**
 * A JSON-RPC 2.0 endpoint for the language server: dispatches requests and
 * notifications to handlers, gives every request an abort signal that
 * `$/cancelRequest` fires, answers every request exactly once, and sends
 * requests of its own to the editor.
 *
 * @module
 */

/** JSON-RPC and LSP error codes the server answers with. */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  ServerNotInitialized: -32002,
  RequestCancelled: -32800,
} as const;

/** An error answered to the editor as `{code, message}`. */
export class ResponseError extends Error {
  /** The JSON-RPC error code. */
  readonly code: number;
  /** Creates one. */
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/** The error of a request that was cancelled or superseded. */
export function cancelled(): ResponseError {
  return new ResponseError(ErrorCode.RequestCancelled, "request cancelled");
}

/** What a request handler gets besides the params. */
export interface RequestContext {
  /** Aborts when the editor cancels the request (or the server shuts down). */
  signal: AbortSignal;
}

/** Handles one request; its result (or thrown {@linkcode ResponseError}) is the answer. */
export type RequestHandler = (params: unknown, context: RequestContext) => unknown;
/** Handles one notification. */
export type NotificationHandler = (params: unknown) => void;

type Id = number | string;

interface Message {
  jsonrpc?: string;
  id?: Id | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

/** A JSON-RPC connection over a message writer; feed it what the reader decodes. */
export class Connection {
  #send: (message: unknown) => Promise<void>;
  #requests = new Map<string, RequestHandler>();
  #notifications = new Map<string, NotificationHandler>();
  #running = new Map<Id, AbortController>();
  #waiting = new Map<Id, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  #nextId = 0;
  /** Called with a handler's unexpected failure (a bug), for the log. */
  onInternalError: (err: unknown) => void = () => {};
  /** Refuses a request before its handler runs (not initialized, shut down); undefined lets it in. */
  guard: (method: string) => ResponseError | undefined = () => undefined;

  /** Creates a connection that sends through `send`. */
  constructor(send: (message: unknown) => Promise<void>) {
    this.#send = send;
  }

  /** Registers the handler of request `method`. */
  onRequest(method: string, handler: RequestHandler): void {
    this.#requests.set(method, handler);
  }

  /** Registers the handler of notification `method`. */
  onNotification(method: string, handler: NotificationHandler): void {
    this.#notifications.set(method, handler);
  }

  /** Sends a notification to the editor. */
  notify(method: string, params?: unknown): Promise<void> {
    return this.#send({ jsonrpc: "2.0", method, ...(params === undefined ? {} : { params }) });
  }

  /** Sends a request to the editor; resolves with its result, rejects with its error. */
  request(method: string, params?: unknown): Promise<unknown> {
    const id = `s${this.#nextId++}`;
    const answer = new Promise((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
    this.#send({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
    return answer;
  }

  /** Number of requests being handled (for tests and the idle check). */
  get running(): number {
    return this.#running.size;
  }

  /** Handles one decoded message (or the {@linkcode SyntaxError} of one that was not JSON). */
  receive(message: unknown): void {
    if (message instanceof SyntaxError) {
      this.#answer(null, undefined, new ResponseError(ErrorCode.ParseError, message.message));
      return;
    }
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      this.#answer(null, undefined, new ResponseError(ErrorCode.InvalidRequest, "not an object"));
      return;
    }
    const m = message as Message;
    if (typeof m.method !== "string") return this.#settle(m);
    if (m.id === undefined || m.id === null) return this.#notification(m.method, m.params);
    this.#request(m.id, m.method, m.params);
  }

  /** Aborts every running request and fails every request sent (the editor is gone). */
  close(): void {
    for (const controller of this.#running.values()) controller.abort(cancelled());
    for (const { reject } of this.#waiting.values()) reject(cancelled());
    this.#waiting.clear();
  }

  #notification(method: string, params: unknown): void {
    if (method === "$/cancelRequest") {
      const id = (params as { id?: Id } | undefined)?.id;
      if (id !== undefined) this.#running.get(id)?.abort(cancelled());
      return;
    }
    const handler = this.#notifications.get(method);
    if (!handler) return; // unknown notifications ($/setTrace, ...) are ignored
    try {
      handler(params);
    } catch (err) {
      this.onInternalError(err);
    }
  }

  #request(id: Id, method: string, params: unknown): void {
    const handler = this.#requests.get(method);
    const refused = this.guard(method) ??
      (handler ? undefined : new ResponseError(ErrorCode.MethodNotFound, `no method ${method}`));
    if (refused || !handler) {
      this.#answer(id, undefined, refused);
      return;
    }
    const controller = new AbortController();
    this.#running.set(id, controller);
    const { signal } = controller;
    let outcome: Promise<unknown>;
    try {
      outcome = Promise.resolve(handler(params, { signal }));
    } catch (err) {
      outcome = Promise.reject(err);
    }
    outcome.then(
      (result) => this.#answer(id, result ?? null),
      (err) => this.#answer(id, undefined, this.#asResponseError(err, signal)),
    ).finally(() => this.#running.delete(id));
  }

  #asResponseError(err: unknown, signal: AbortSignal): ResponseError {
    if (err instanceof ResponseError) return err;
    if (signal.aborted) return cancelled();
    this.onInternalError(err);
    return new ResponseError(ErrorCode.InternalError, err instanceof Error ? err.message : "?");
  }

  #answer(id: Id | null, result: unknown, error?: ResponseError): void {
    this.#send(
      error
        ? { jsonrpc: "2.0", id, error: { code: error.code, message: error.message } }
        : { jsonrpc: "2.0", id, result },
    );
  }

  #settle(m: Message): void {
    if (m.id === undefined || m.id === null) return;
    const waiter = this.#waiting.get(m.id);
    if (!waiter) return;
    this.#waiting.delete(m.id);
    if (m.error) waiter.reject(new ResponseError(m.error.code, m.error.message));
    else waiter.resolve(m.result);
  }
}
