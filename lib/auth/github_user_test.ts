import { assertEquals, assertRejects } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { fetchUser } from "./github_user.ts";
import type { SendOptions } from "../net/http.ts";
import { resolveIdentity } from "../net/identity.ts";

function answering(res: Response, seen: { url?: string; headers?: Headers } = {}) {
  return (url: string, init: SendOptions) => {
    seen.url = url;
    seen.headers = new Headers(init.headers);
    return Promise.resolve(res);
  };
}

Deno.test("fetchUser sends the token and returns the login", async () => {
  const seen: { url?: string; headers?: Headers } = {};
  const login = await fetchUser("https://api.test", "ghu_abc", {
    fetch: answering(Response.json({ login: "octocat", id: 1 }), seen),
  });
  assertEquals(login, "octocat");
  assertEquals(seen.url, "https://api.test/user");
  assertEquals(Object.fromEntries(seen.headers!), {
    "accept": "application/json",
    "authorization": "Bearer ghu_abc",
    "copilot-language-server-version": "1.539.0",
    "editor-plugin-version": "copilot.vim/1.55.0",
    "editor-version": "Neovim/0.11.4",
    "user-agent": "GithubCopilot/1.539.0",
  });
});

Deno.test("fetchUser under the vscode preset: VS Code's github-authentication headers", async () => {
  const seen: { url?: string; headers?: Headers } = {};
  await fetchUser("https://api.test", "ghu_abc", {
    fetch: answering(Response.json({ login: "octocat", id: 1 }), seen),
    identity: resolveIdentity({ COPILOT_CLIENT: "vscode" }),
  });
  assertEquals(Object.fromEntries(seen.headers!), {
    "authorization": "token ghu_abc",
    "user-agent": "Visual-Studio-Code",
  });
});

/** fetchUser's CopilotError when GitHub answers `body` with `status`. */
function rejection(status: number, body: unknown): Promise<CopilotError> {
  return assertRejects(
    () =>
      fetchUser("https://api.test", "ghu_abc", {
        fetch: answering(Response.json(body, { status })),
      }),
    CopilotError,
  );
}

Deno.test("fetchUser: 401 means the token was rejected, exit 4", async () => {
  const err = await rejection(401, { message: "Bad credentials" });
  assertEquals(err.message, "GitHub rejected the token; run `copilot login`");
  assertEquals(err.exitCode, ExitCode.Auth);
});

Deno.test("fetchUser: other failures name the host and status", async () => {
  const err = await rejection(502, { message: "Server Error" });
  assertEquals(err.message, "api.test answered 502 to /user: Server Error");
  assertEquals(err.exitCode, ExitCode.Failure);
  await assertRejects(
    () => fetchUser("https://api.test", "t", { fetch: answering(Response.json({ id: 1 })) }),
    CopilotError,
    "without a login",
  );
});
