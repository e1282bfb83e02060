import { assertEquals, assertThrows } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { type IndicatorOutput, normalizeHost, waitingIndicator } from "./login.ts";

Deno.test("normalizeHost accepts a host or a bare URL of one", () => {
  assertEquals(normalizeHost("github.com"), "github.com");
  assertEquals(normalizeHost("Octo.GHE.com"), "octo.ghe.com");
  assertEquals(normalizeHost("https://octo.ghe.com/"), "octo.ghe.com");
  assertEquals(normalizeHost("ghe.local:8443"), "ghe.local:8443");
});

Deno.test("normalizeHost rejects anything else with exit 2", () => {
  for (const bad of ["", "https://octo.ghe.com/login", "octo.ghe.com?x=1", "not a host"]) {
    const err = assertThrows(() => normalizeHost(bad), CopilotError);
    assertEquals(err.exitCode, ExitCode.Usage);
  }
});

function recorder(terminal: boolean): IndicatorOutput & { text: () => string } {
  const chunks: string[] = [];
  return {
    isTerminal: () => terminal,
    writeSync(bytes: Uint8Array) {
      chunks.push(new TextDecoder().decode(bytes));
      return bytes.length;
    },
    text: () => chunks.join(""),
  };
}

Deno.test("waitingIndicator draws nothing when not on a terminal", () => {
  const out = recorder(false);
  waitingIndicator(new AbortController().signal, out, 1).stop();
  assertEquals(out.text(), "");
});

Deno.test("waitingIndicator spins on a terminal and erases its line when stopped", async () => {
  const out = recorder(true);
  const indicator = waitingIndicator(new AbortController().signal, out, 5);
  await new Promise((resolve) => setTimeout(resolve, 30));
  indicator.stop();
  indicator.stop();
  const text = out.text();
  assertEquals(text.startsWith("\r⠋ Waiting for you to enter the code..."), true);
  assertEquals(text.includes("\r⠙ Waiting"), true);
  assertEquals(text.endsWith("\r\x1b[2K"), true);
  assertEquals(text.split("\x1b[2K").length, 2);
});

Deno.test("waitingIndicator erases its line on Ctrl-C (abort)", () => {
  const out = recorder(true);
  const controller = new AbortController();
  waitingIndicator(controller.signal, out, 1000);
  controller.abort();
  assertEquals(out.text().endsWith("\r\x1b[2K"), true);
});
