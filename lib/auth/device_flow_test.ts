import { assert, assertEquals, assertRejects } from "@std/assert";
import {
  type DeviceCode,
  type DeviceFlowOptions,
  pollForToken,
  requestDeviceCode,
} from "./device_flow.ts";
import { resolveIdentity } from "../net/identity.ts";
import { CLIENT_ID } from "./app.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import type { SendOptions } from "../net/http.ts";

interface Sent {
  url: string;
  at: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** A scripted GitHub on a virtual clock: sleeping advances time, nothing really waits. */
function scripted(answers: Response[], latency = 0) {
  let clock = 1_000_000;
  const sent: Sent[] = [];
  const options: DeviceFlowOptions = {
    github: "https://github.test",
    now: () => clock,
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
    fetch: (url: string, init: SendOptions) => {
      sent.push({
        url,
        at: clock,
        headers: Object.fromEntries(new Headers(init.headers)),
        body: JSON.parse(String(init.body)),
      });
      const next = answers.shift();
      if (!next) throw new Error("unexpected request");
      clock += latency;
      return Promise.resolve(next);
    },
  };
  return { options, sent, now: () => clock };
}

const json = (body: unknown, status = 200) => Response.json(body, { status });

const CODE: DeviceCode = {
  deviceCode: "3584d83530557fdd1f46af8289938c8ef79f9dc5",
  userCode: "WDJB-MJHT",
  verificationUri: "https://github.test/login/device",
  expiresIn: 900,
  interval: 5,
};

Deno.test("requestDeviceCode posts JSON with the client id and scope", async () => {
  const { options, sent } = scripted([json({
    device_code: CODE.deviceCode,
    user_code: "WDJB-MJHT",
    verification_uri: "https://github.test/login/device",
    expires_in: 600,
    interval: 0.5,
  })]);
  const requestedAt = options.now!();
  const code = await requestDeviceCode(options);
  assertEquals(code, { ...CODE, expiresIn: 600, interval: 0.5, requestedAt });
  assertEquals(sent[0]!.url, "https://github.test/login/device/code");
  assertEquals(sent[0]!.headers, {
    "accept": "application/json",
    "content-type": "application/json",
    "editor-version": "Neovim/0.11.4",
    "editor-plugin-version": "copilot.vim/1.55.0",
    "copilot-language-server-version": "1.539.0",
    "user-agent": "GithubCopilot/1.539.0",
  });
  assertEquals(sent[0]!.body, { client_id: CLIENT_ID, scope: "repo workflow" });
});

Deno.test("the device flow under the vscode preset: VS Code's sign-in headers and scope", async () => {
  const { options, sent } = scripted([json({
    device_code: CODE.deviceCode,
    user_code: "WDJB-MJHT",
    verification_uri: "https://github.test/login/device",
  })]);
  await requestDeviceCode({ ...options, identity: resolveIdentity({ COPILOT_CLIENT: "vscode" }) });
  assertEquals(sent[0]!.headers, {
    "accept": "application/json",
    "content-type": "application/json",
    "user-agent": "Visual-Studio-Code",
  });
  assertEquals(sent[0]!.body, { client_id: CLIENT_ID, scope: "user:email" });
});

Deno.test("requestDeviceCode defaults expires_in to 900 and interval to 5", async () => {
  const { options } = scripted([json({
    device_code: "d",
    user_code: "ABCD-EFGH",
    verification_uri: "https://github.test/login/device",
  })]);
  const code = await requestDeviceCode(options);
  assertEquals([code.expiresIn, code.interval], [900, 5]);
});

Deno.test("requestDeviceCode accepts a form-encoded answer", async () => {
  const form =
    "device_code=d&user_code=ABCD-EFGH&verification_uri=https%3A%2F%2Fgithub.test%2Flogin%2Fdevice&expires_in=900&interval=5";
  const { options } = scripted([new Response(form)]);
  const code = await requestDeviceCode(options);
  assertEquals(code.userCode, "ABCD-EFGH");
  assertEquals(code.verificationUri, "https://github.test/login/device");
});

Deno.test("requestDeviceCode reports an error answer in one line", async () => {
  const { options } = scripted([json({
    error: "device_flow_disabled",
    error_description: "Device Flow must be explicitly enabled for this App",
  }, 400)]);
  const err = await assertRejects(() => requestDeviceCode(options), CopilotError);
  assertEquals(
    err.message,
    "github.test refused to start the login: device_flow_disabled: Device Flow must be explicitly enabled for this App",
  );
});

Deno.test("pollForToken waits the interval before every poll, then returns the token", async () => {
  const issuedAt = 1_000_000;
  const { options, sent } = scripted([
    json({ error: "authorization_pending" }),
    json({ error: "authorization_pending" }, 400),
    json({ access_token: "ghu_abc", token_type: "bearer", scope: "" }),
  ]);
  const token = await pollForToken(CODE, issuedAt, options);
  assertEquals(token, { accessToken: "ghu_abc" });
  assertEquals(sent.map((s) => s.at - issuedAt), [5000, 10000, 15000]);
  assertEquals(sent[0]!.url, "https://github.test/login/oauth/access_token");
  assertEquals(sent[0]!.body, {
    client_id: CLIENT_ID,
    device_code: CODE.deviceCode,
    grant_type: "urn:ietf:params:oauth:grant-type:device_code",
  });
});

Deno.test("pollForToken counts the interval from the previous answer, not the request", async () => {
  const issuedAt = 1_000_000;
  const { options, sent } = scripted([
    json({ error: "authorization_pending" }),
    json({ access_token: "ghu_x" }),
  ], 2000);
  await pollForToken(CODE, issuedAt, options);
  // Each answer takes 2 s: the next poll goes out 5 s after it arrived.
  assertEquals(sent.map((s) => s.at - issuedAt), [5000, 12000]);
});

Deno.test("pollForToken: slow_down takes the answer's interval", async () => {
  const issuedAt = 1_000_000;
  const { options, sent } = scripted([
    json({ error: "slow_down", interval: 10 }),
    json({ error: "authorization_pending" }),
    json({ access_token: "ghu_abc" }),
  ]);
  await pollForToken(CODE, issuedAt, options);
  assertEquals(sent.map((s) => s.at - issuedAt), [5000, 15000, 25000]);
});

Deno.test("pollForToken: slow_down without an interval adds 5 s", async () => {
  const issuedAt = 1_000_000;
  const { options, sent } = scripted([
    json({ error: "slow_down" }),
    json({ error: "slow_down" }),
    json({ access_token: "ghu_abc" }),
  ]);
  await pollForToken({ ...CODE, interval: 0.25 }, issuedAt, options);
  assertEquals(sent.map((s) => s.at - issuedAt), [250, 5500, 15750]);
});

Deno.test("pollForToken keeps a refresh token and the token's lifetime", async () => {
  const { options } = scripted([json({
    access_token: "ghu_abc",
    expires_in: 28800,
    refresh_token: "ghr_def",
    refresh_token_expires_in: 15811200,
  })]);
  const token = await pollForToken(CODE, 1_000_000, options);
  assertEquals(token, { accessToken: "ghu_abc", refreshToken: "ghr_def", expiresIn: 28800 });
});

async function pollFailure(answer: Response): Promise<CopilotError> {
  const { options } = scripted([json({ error: "authorization_pending" }), answer]);
  return await assertRejects(() => pollForToken(CODE, 1_000_000, options), CopilotError);
}

Deno.test("pollForToken stops on access_denied", async () => {
  const err = await pollFailure(json({ error: "access_denied" }));
  assertEquals(err.message, "login cancelled: access was denied on GitHub");
  assertEquals(err.exitCode, ExitCode.Auth);
});

Deno.test("pollForToken stops on expired_token and token_expired, with 200 or 400", async () => {
  for (const [error, status] of [["expired_token", 200], ["token_expired", 400]] as const) {
    const err = await pollFailure(json({ error }, status));
    assert(err.message.includes("expired"), err.message);
    assertEquals(err.exitCode, ExitCode.Auth);
  }
});

Deno.test("pollForToken stops on any other error and shows its description", async () => {
  const err = await pollFailure(json({
    error: "incorrect_device_code",
    error_description: "The device_code provided is not valid.",
    error_uri: "https://docs.github.com",
  }));
  assertEquals(
    err.message,
    "GitHub refused the login: incorrect_device_code: The device_code provided is not valid.",
  );
});

Deno.test("pollForToken stops on an answer with neither token nor error", async () => {
  const err = await pollFailure(new Response("<html>oops</html>", { status: 502 }));
  assertEquals(err.message, "GitHub answered the login poll with HTTP 502");
});

Deno.test("pollForToken gives up when expires_in runs out locally", async () => {
  const issuedAt = 1_000_000;
  const answers = Array.from({ length: 10 }, () => json({ error: "authorization_pending" }));
  const { options, sent, now } = scripted(answers);
  const err = await assertRejects(
    () => pollForToken({ ...CODE, expiresIn: 12, interval: 5 }, issuedAt, options),
    CopilotError,
  );
  assert(err.message.includes("expired"));
  assertEquals(sent.length, 2);
  assert(now() - issuedAt < 12_000);
});

Deno.test("pollForToken counts the code's life from when its request left", async () => {
  // The answer came 3 s after the request (a slow network): GitHub's 12 s started before
  // issuedAt, so only one poll (at issuedAt + 5 s) fits, not two.
  const issuedAt = 1_000_000;
  const answers = Array.from({ length: 10 }, () => json({ error: "authorization_pending" }));
  const { options, sent } = scripted(answers);
  const code = { ...CODE, expiresIn: 12, interval: 5, requestedAt: issuedAt - 3000 };
  await assertRejects(() => pollForToken(code, issuedAt, options), CopilotError, "expired");
  assertEquals(sent.length, 1);
});

Deno.test("pollForToken stops at once when the signal aborts", async () => {
  const controller = new AbortController();
  const { options, sent } = scripted([json({ error: "authorization_pending" })]);
  const sleep = options.sleep!;
  options.signal = controller.signal;
  options.sleep = (ms, signal) => {
    if (sent.length === 1) controller.abort(new DOMException("interrupted", "AbortError"));
    return sleep(ms, signal);
  };
  const err = await assertRejects(() => pollForToken(CODE, 1_000_000, options));
  assert(err instanceof DOMException && err.name === "AbortError");
  assertEquals(sent.length, 1);
});
