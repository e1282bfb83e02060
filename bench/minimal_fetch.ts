/**
 * The baseline of the `complete` benchmark: the least a Deno script can do to
 * get a completion — read the prompt, send the same request with `fetch`,
 * print each event's text. No config, no session cache, no error handling.
 * Run it with the URL and session token in the environment:
 *
 *   BENCH_URL=http://127.0.0.1:PORT/v1/engines/m/completions BENCH_TOKEN=... deno run -A bench/minimal_fetch.ts < prompt
 *
 * @module
 */

const prompt = await new Response(Deno.stdin.readable).text();
const res = await fetch(Deno.env.get("BENCH_URL")!, {
  method: "POST",
  headers: {
    "Authorization": `Bearer ${Deno.env.get("BENCH_TOKEN")}`,
    "Content-Type": "application/json",
    "Editor-Version": "vscode/1.104.3",
  },
  body: JSON.stringify({ prompt, max_tokens: 500, n: 1, stream: true }),
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
