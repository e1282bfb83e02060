/** Tests of what the user hears: errors once, the sign-in offer once, statuses on change. */

import { assertEquals } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";
import type { Account } from "./account.ts";
import { Notices, RETRY_SIGN_IN_MS } from "./notices.ts";
import { Connection } from "./rpc.ts";

function setup(initiate: () => Promise<never>) {
  const sent: { method?: string; params?: { message?: string } }[] = [];
  const connection = new Connection((message) => {
    sent.push(message as never);
    return Promise.resolve();
  });
  const account = { initiate, confirm: () => Promise.reject(new Error("unused")) };
  const notices = new Notices(connection, account as unknown as Account);
  return { sent, notices };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("Notices: an error is shown once until a completion works again", () => {
  const { sent, notices } = setup(() => Promise.reject(new Error("unused")));
  notices.failed(new CopilotError("Copilot answered 500: boom"));
  notices.failed(new CopilotError("Copilot answered 500: boom"));
  assertEquals(sent.length, 1);
  assertEquals(sent[0]?.params?.message, "Copilot: Copilot answered 500: boom");
  notices.succeeded();
  notices.failed(new CopilotError("Copilot answered 500: boom"));
  assertEquals(sent.length, 2);
});

Deno.test("Notices: offline, a failed sign-in is shown once and not offered on every keystroke", async () => {
  let codes = 0;
  const { sent, notices } = setup(() => {
    codes++;
    return Promise.reject(new CopilotError("cannot reach github.com: fetch failed"));
  });
  const notSignedIn = new CopilotError("not logged in; run `copilot login`", {
    exitCode: ExitCode.Auth,
  });
  for (let i = 0; i < 5; i++) {
    notices.failed(notSignedIn);
    await settle();
  }
  assertEquals(codes, 1);
  assertEquals(sent.map((m) => m.params?.message), [
    "Copilot: sign-in failed: cannot reach github.com: fetch failed",
  ]);
  notices.offerSignIn(Date.now() + RETRY_SIGN_IN_MS + 1);
  await settle();
  assertEquals(codes, 2);
  assertEquals(sent.length, 1, "the same failure is not shown twice");
});

Deno.test("Notices: didChangeStatus only for GitHub clients, only on change", () => {
  const { sent, notices } = setup(() => Promise.reject(new Error("unused")));
  notices.status("Normal", "");
  assertEquals(sent, []);
  notices.githubStatus = true;
  notices.status("Normal", "");
  notices.status("Normal", "");
  notices.status("Warning", "rate limit");
  assertEquals(sent.map((m) => m.method), ["didChangeStatus", "didChangeStatus"]);
});
