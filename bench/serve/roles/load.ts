/**
 * The serve benchmark's Deno load generator (`--role load`): `fetch` over keep-alive
 * connections, one {@linkcode Job} per JSON line on stdin, one {@linkcode JobResult} per line
 * on stdout, every body checked against the fake's text.
 *
 * @module
 */

import { TextLineStream } from "@std/streams/text-line-stream";
import { FAST_TEXT as TEXT } from "../../../test/fixtures/fake_upstream/fast.ts";

/** Longest one job (every request of it) may take in the load generator. */
const JOB_TIMEOUT_MS = 120_000;

/** One job for the load generator: `conns` workers, each sending `perConn` requests in turn. */
export interface Job {
  /** URL to POST to. */
  url: string;
  /** Request headers. */
  headers: Record<string, string>;
  /** Request body (JSON text). */
  body: string;
  /** How to read the answer: OpenAI-style SSE, or the plain text of `POST /`. */
  expect: "sse" | "text";
  /** Concurrent connections (workers). */
  conns: number;
  /** Requests per worker, one after the other. */
  perConn: number;
  /** POSTed to once every request has its first byte (it opens the fake's gate). */
  releaseUrl?: string;
  /** Worker i starts `i * spreadMs / conns` ms late, so paced answers do not come in lockstep. */
  spreadMs?: number;
}

/** What the load generator answers for a {@linkcode Job}. */
export interface JobResult {
  /** Time to first body byte per request, ms. */
  ttfb: number[];
  /** Time to last body byte per request, ms. */
  ttlb: number[];
  /** Requests whose body was the full, correct text. */
  ok: number;
  /** Requests that failed or answered wrongly. */
  failed: number;
  /** The first failure, for the report. */
  firstError?: string;
  /** Wall time of the whole job, ms. */
  elapsedMs: number;
  /** Latest first byte of any request, ms after the job started. */
  lastFirstByteAt: number;
  /** Earliest end of any request, ms after the job started. */
  firstEndAt: number;
}

/** The text of choice 0 in an OpenAI-style SSE body, or an error when it is incomplete. */
function sseText(body: string): string {
  let text = "";
  let done = false;
  for (const line of body.split("\n")) {
    if (!line.startsWith("data:")) continue;
    const data = line.slice(line.startsWith("data: ") ? 6 : 5);
    if (data === "[DONE]") {
      done = true;
      continue;
    }
    const event = JSON.parse(data) as { choices?: { index?: number; text?: string }[] };
    for (const choice of event.choices ?? []) {
      if ((choice.index ?? 0) === 0) text += choice.text ?? "";
    }
  }
  if (!done) throw new Error("no [DONE] event");
  return text;
}

/** Sends one request; resolves with its timings and whether its body was the full text. */
async function sendOne(
  job: Job,
  jobStart: number,
  signal: AbortSignal,
  onFirstByte: () => void,
): Promise<{
  ttfb: number;
  ttlb: number;
  firstAt: number;
  endAt: number;
  error?: string;
}> {
  const started = performance.now();
  const res = await fetch(job.url, {
    method: "POST",
    headers: job.headers,
    body: job.body,
    signal,
  });
  const parts: Uint8Array[] = [];
  let firstByte = NaN;
  if (res.body) {
    for await (const part of res.body) {
      if (Number.isNaN(firstByte)) {
        firstByte = performance.now();
        onFirstByte();
      }
      parts.push(part);
    }
  }
  const ended = performance.now();
  if (Number.isNaN(firstByte)) {
    firstByte = ended;
    onFirstByte();
  }
  const timing = {
    ttfb: firstByte - started,
    ttlb: ended - started,
    firstAt: firstByte - jobStart,
    endAt: ended - jobStart,
  };
  const decoder = new TextDecoder();
  let body = "";
  for (const part of parts) body += decoder.decode(part, { stream: true });
  body += decoder.decode();
  if (res.status !== 200) return { ...timing, error: `HTTP ${res.status}: ${body.slice(0, 200)}` };
  try {
    const text = job.expect === "sse" ? sseText(body) : body;
    if (text !== TEXT) return { ...timing, error: `wrong text: ${JSON.stringify(text)}` };
  } catch (err) {
    return { ...timing, error: `bad body (${err}): ${body.slice(0, 200)}` };
  }
  return timing;
}

/** Runs one {@linkcode Job}: `conns` workers in parallel, each sending its requests in turn. */
async function runJob(job: Job): Promise<JobResult> {
  const result: JobResult = {
    ttfb: [],
    ttlb: [],
    ok: 0,
    failed: 0,
    elapsedMs: 0,
    lastFirstByteAt: 0,
    firstEndAt: Infinity,
  };
  const jobStart = performance.now();
  // One timer per job, not per request: a pending timeout per request would keep each alive.
  const signal = AbortSignal.timeout(JOB_TIMEOUT_MS);
  let firstBytes = 0;
  let released: Promise<unknown> = Promise.resolve();
  const onFirstByte = () => {
    if (++firstBytes === job.conns * job.perConn && job.releaseUrl) {
      released = fetch(job.releaseUrl, { method: "POST" }).then((res) => res.body?.cancel());
    }
  };
  const worker = async (_: unknown, at: number) => {
    const late = (job.spreadMs ?? 0) * at / job.conns;
    if (late > 0) await new Promise((resolve) => setTimeout(resolve, late));
    for (let i = 0; i < job.perConn; i++) {
      try {
        const one = await sendOne(job, jobStart, signal, onFirstByte);
        result.ttfb.push(one.ttfb);
        result.ttlb.push(one.ttlb);
        result.lastFirstByteAt = Math.max(result.lastFirstByteAt, one.firstAt);
        result.firstEndAt = Math.min(result.firstEndAt, one.endAt);
        if (one.error === undefined) result.ok++;
        else {
          result.failed++;
          result.firstError ??= one.error;
        }
      } catch (err) {
        result.failed++;
        result.firstError ??= String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: job.conns }, worker));
  result.elapsedMs = performance.now() - jobStart;
  await released;
  return result;
}

/** Reads jobs as JSON lines on stdin and answers each with a JSON line on stdout. */
export async function runLoad(): Promise<void> {
  const lines: ReadableStream<string> = Deno.stdin.readable.pipeThrough(new TextDecoderStream())
    .pipeThrough(new TextLineStream());
  const encoder = new TextEncoder();
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const result = await runJob(JSON.parse(line) as Job);
    await Deno.stdout.write(encoder.encode(JSON.stringify(result) + "\n"));
  }
}
