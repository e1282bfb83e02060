import { assert, assertEquals, assertRejects } from "@std/assert";
import type { GitHubCredential } from "./credentials.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { readSettings } from "../base/settings.ts";
import { exchangeToken } from "./token_exchange.ts";

const CREDENTIAL: GitHubCredential = {
  token: "ghu_secret",
  kind: "login",
  source: "test",
  host: "github.com",
};

/** Settings whose API base is `api`. */
const settingsFor = (api: string) => readSettings({ COPILOT_API_URL: api });
let settings = settingsFor("http://127.0.0.1:1");

interface Seen {
  path: string;
  headers: Headers;
}

/** A one-route GitHub API on loopback; `settings` point at it while `fn` runs. */
async function withApi(
  handler: (req: Request) => Response | Promise<Response>,
  fn: (requests: Seen[]) => Promise<void>,
): Promise<void> {
  const requests: Seen[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    requests.push({ path: new URL(req.url).pathname, headers: req.headers });
    return handler(req);
  });
  settings = settingsFor(`http://127.0.0.1:${server.addr.port}`);
  try {
    await fn(requests);
  } finally {
    await server.shutdown();
  }
}

/** The headers a client chose, without those Deno's fetch adds itself. */
function withoutTransport(headers: Headers): Record<string, string> {
  const added = ["accept", "accept-encoding", "accept-language", "host", "connection"];
  return Object.fromEntries([...headers].filter(([name]) => !added.includes(name)));
}

async function failure(
  status: number,
  body: unknown,
  headers?: HeadersInit,
): Promise<CopilotError> {
  let err: CopilotError | undefined;
  await withApi(
    () =>
      typeof body === "string"
        ? new Response(body, { status, headers })
        : Response.json(body, { status, headers }),
    async () => {
      err = await assertRejects(() => exchangeToken(CREDENTIAL, settings), CopilotError);
    },
  );
  assert(!err!.message.includes("ghu_"), "the token never shows");
  return err!;
}

Deno.test("exchange sends the token and identity headers, reads the answer", async () => {
  await withApi(
    () =>
      Response.json({
        token: "tid=abc;exp=1702022150;sku=free_educational:ff",
        expires_at: 1702022150,
        refresh_in: 1500,
        endpoints: {
          api: "https://api.test",
          proxy: "https://proxy.test",
          telemetry: "https://t.test",
        },
        sku: "free_educational",
        user_notification: { message: "Your trial ends soon", title: "t", url: "u" },
        unknown_field: { ignored: true },
      }),
    async (requests) => {
      const token = await exchangeToken(CREDENTIAL, settings);
      assertEquals(token, {
        token: "tid=abc;exp=1702022150;sku=free_educational:ff",
        expiresAt: 1702022150,
        refreshIn: 1500,
        endpoints: { api: "https://api.test", proxy: "https://proxy.test" },
        notice: "Your trial ends soon",
      });
      const req = requests[0]!;
      assertEquals(req.path, "/copilot_internal/v2/token");
      // The default preset: the language server's apiFetch (Bearer, 2024-12-15, editor headers).
      assertEquals(withoutTransport(req.headers), {
        "authorization": "Bearer ghu_secret",
        "copilot-language-server-version": "1.539.0",
        "editor-plugin-version": "copilot.vim/1.55.0",
        "editor-version": "Neovim/0.11.4",
        "user-agent": "GithubCopilot/1.539.0",
        "x-github-api-version": "2024-12-15",
      });
    },
  );
});

Deno.test("exchange under the vscode preset: token scheme, 2025-04-01, no editor headers", async () => {
  await withApi(() => Response.json({ token: "tid=x:ff" }), async (requests) => {
    await exchangeToken(CREDENTIAL, { ...settings, identity: { COPILOT_CLIENT: "vscode" } });
    assertEquals(withoutTransport(requests[0]!.headers), {
      "authorization": "token ghu_secret",
      "user-agent": "GitHubCopilotChat/0.60.0",
      "x-github-api-version": "2025-04-01",
      "x-vscode-user-agent-library-version": "electron-fetch",
    });
  });
});

Deno.test("exchange without endpoints or refresh_in falls back to defaults", async () => {
  await withApi(() => Response.json({ token: "tid=x:ff" }), async () => {
    const before = Date.now() / 1000;
    const token = await exchangeToken(CREDENTIAL, settings);
    assertEquals(token.endpoints, {});
    assertEquals(token.refreshIn, 1500);
    assert(token.expiresAt >= before + 1560 && token.expiresAt <= Date.now() / 1000 + 1560);
  });
});

/** Refusals by status and body: the message, the exit code, and the status kept on the error. */
const REFUSALS: {
  name: string;
  status: number;
  body: unknown;
  message: string;
  exitCode: number;
}[] = [
  {
    name: "401: GitHub rejected the token, exit 4",
    status: 401,
    body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" },
    message: "GitHub rejected the token; run `copilot login`",
    exitCode: ExitCode.Auth,
  },
  {
    name: "403 without error_details: no Copilot access",
    status: 403,
    body: { message: "Forbidden" },
    message: "this account has no Copilot access",
    exitCode: ExitCode.Auth,
  },
  {
    name: "404 (a token of another app): no Copilot access",
    status: 404,
    body: {
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest",
      status: "404",
    },
    message: "this account has no Copilot access",
    exitCode: ExitCode.Auth,
  },
  {
    name: "403 rate-limit body: rate limited, exit 5",
    status: 403,
    body: {
      message: "API rate limit exceeded for user ID 1.",
      documentation_url: "https://docs.github.com/rest",
      status: "403",
    },
    message: "GitHub rate limit exceeded; try again later",
    exitCode: ExitCode.RateLimited,
  },
];

for (const { name, status, body, message, exitCode } of REFUSALS) {
  Deno.test(name, async () => {
    const err = await failure(status, body);
    assertEquals([err.message, err.exitCode, err.status], [message, exitCode, status]);
  });
}

Deno.test("403 with error_details: its message and the signup URL with {EDITOR} filled in", async () => {
  const err = await failure(403, {
    message: "Resource not accessible by integration",
    error_details: {
      url: "https://github.com/github-copilot/signup?editor={EDITOR}",
      message: "No access to GitHub Copilot found. You are currently logged in as octocat.",
      title: "Signup for GitHub Copilot",
      notification_id: "no_copilot_access",
    },
  });
  assertEquals(
    err.message,
    "No access to GitHub Copilot found. You are currently logged in as octocat. " +
      "(https://github.com/github-copilot/signup?editor=Neovim_0.11.4)",
  );
  assertEquals(err.exitCode, ExitCode.Auth);
});

Deno.test("429: rate limited, exit 5, with its Retry-After", async () => {
  const tooMany = await failure(429, "slow down", { "Retry-After": "30" });
  assertEquals(tooMany.exitCode, ExitCode.RateLimited);
  assertEquals(tooMany.retryAfter, 30);
});

Deno.test("5xx: the host and status, exit 1", async () => {
  const err = await failure(502, "<html>bad gateway</html>");
  assert(/^127\.0\.0\.1:\d+ answered 502 to the token exchange/.test(err.message), err.message);
  assertEquals(err.exitCode, ExitCode.Failure);
});

Deno.test("200 without a token is an error", async () => {
  const err = await failure(200, { expires_at: 1 });
  assert(err.message.endsWith("sent a token exchange answer without a token"), err.message);
});

Deno.test("network failure: cannot reach HOST", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  settings = settingsFor(`http://127.0.0.1:${port}`);
  const err = await assertRejects(() => exchangeToken(CREDENTIAL, settings), CopilotError);
  assert(err.message.startsWith(`cannot reach 127.0.0.1:${port}: `), err.message);
  assertEquals(err.exitCode, ExitCode.Failure);
});
