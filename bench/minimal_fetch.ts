/**
 * The baseline of the `complete` benchmark: the least a Deno script can do to
 * get a completion — read the prompt, send the same request with `fetch`,
 * print each event's text. No config, no session cache, no error handling.
 * Run it with the URL, the session token and the request to copy (`{headers, body}`
 * as JSON) in the environment:
 *
 *   BENCH_URL=http://127.0.0.1:PORT/v1/engines/m/completions BENCH_TOKEN=... \
 *   BENCH_REQUEST='{"headers": {...}, "body": {...}}' deno run -A bench/minimal_fetch.ts < prompt
 *
 * @module
 */

const prompt = await new Response(Deno.stdin.readable).text();
// The same request the CLI sent (recorded by the fake), with this prompt.
const sent = JSON.parse(Deno.env.get("BENCH_REQUEST")!);
const res = await fetch(Deno.env.get("BENCH_URL")!, {
  method: "POST",
  headers: { ...sent.headers, "Authorization": `Bearer ${Deno.env.get("BENCH_TOKEN")}` },
  body: JSON.stringify({ ...sent.body, prompt }),
});
const encoder = new TextEncoder();
let buffer = "";
for await (const text of res.body!.pipeThrough(new TextDecoderStream())) {
  buffer += text;
  const lines = buffer.split("\n");
  buffer = lines.pop()!;
  for (const line of lines) {
    if (!line.startsWith("data:") || line.includes("[DONE]")) continue;
    for (const choice of JSON.parse(line.slice(5)).choices ?? []) {
      if (choice.text) await Deno.stdout.write(encoder.encode(choice.text));
    }
  }
}
