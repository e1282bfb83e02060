import { assertEquals } from "@std/assert";
import { UsageScan } from "./usage_scan.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("UsageScan: the last total wins, wherever the reads cut the field", () => {
  const answer =
    'event: message_start\ndata: {"message":{"copilot_usage":{"total_nano_aiu":10}}}\n\n' +
    'event: message_delta\ndata: {"copilot_usage":{"total_nano_aiu": 40123456}}\n\n';
  for (let cut = 0; cut <= answer.length; cut++) {
    const scan = new UsageScan();
    scan.push(bytes(answer.slice(0, cut)));
    scan.push(bytes(answer.slice(cut)));
    assertEquals(scan.nanoAiu, 40123456, `cut at ${cut}`);
  }
});

Deno.test("UsageScan: nothing stated, nothing found (other numbers are not it)", () => {
  const scan = new UsageScan();
  scan.push(bytes('data: {"usage":{"total_tokens":12},"text":"total_nano_aiu is a field"}\n\n'));
  assertEquals(scan.nanoAiu, undefined);
});

Deno.test("UsageScan.watch: chunks pass unchanged, read or taken, and are scanned", async () => {
  const chunks = [bytes('{"copilot_usage":{"total_'), bytes('nano_aiu":7}}')];
  let taken = false;
  const scan = new UsageScan();
  const source = scan.watch({
    read: () => Promise.resolve({ done: false, value: chunks[0]! }),
    cancel: () => Promise.resolve(),
    take: () => taken ? undefined : (taken = true, chunks[1]),
  });
  assertEquals((await source.read()).value, chunks[0]);
  assertEquals(source.take?.(), chunks[1]);
  assertEquals(source.take?.(), undefined);
  assertEquals(scan.nanoAiu, 7);
});

Deno.test("UsageScan: only the field of a copilot_usage object, in any number form", () => {
  const scan = new UsageScan();
  scan.push(bytes('{"type":"tool_use","input":{"total_nano_aiu":5}}'));
  assertEquals(scan.nanoAiu, undefined, "a tool's input is not the cost");
  scan.push(bytes('{"copilot_usage":{"premium":1,"total_nano_aiu":1.2e+06}}'));
  assertEquals(scan.nanoAiu, 1_200_000);
});
