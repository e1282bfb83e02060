/**
 * `COPILOT_CA_FILE`: a corporate CA the system does not know. The CLI talks
 * TLS to a relay in front of the fake whose certificate only that CA signed:
 * refused without the variable, accepted with it, and a missing file is a
 * one-line usage error.
 */

import { assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { runCli, sandbox } from "../fixtures/spawn_cli.ts";
import { DEFAULT_COMPLETION_TEXT, startFake } from "../fixtures/fake_upstream/mod.ts";

const TOKEN = `ghu_${"CaFileTest".padEnd(36, "0")}`;

function hasOpenssl(): boolean {
  try {
    return new Deno.Command("openssl", { args: ["version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** A throwaway CA and a certificate for localhost signed by it, made with openssl. */
async function makeCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const run = async (...args: string[]) => {
    const { success, stderr } = await new Deno.Command("openssl", {
      args,
      cwd: dir,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!success) {
      throw new Error(`Cannot run openssl ${args[0]}: ${new TextDecoder().decode(stderr)}`);
    }
  };
  await run(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=Test Corp CA",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
  );
  await run(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=localhost",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
  );
  await Deno.writeTextFile(`${dir}/ext.cnf`, "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  await run(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    "ext.cnf",
    "-out",
    "server.pem",
  );
  return {
    ca: `${dir}/ca.pem`,
    cert: await Deno.readTextFile(`${dir}/server.pem`),
    key: await Deno.readTextFile(`${dir}/server.key`),
  };
}

Deno.test({
  name: "COPILOT_CA_FILE: TLS through a corporate CA",
  ignore: !hasOpenssl(),
  async fn(t) {
    await using fake = await startFake();
    fake.addGitHubToken(TOKEN, "octocat");
    await using box = await sandbox(fake);
    const { ca, cert, key } = await makeCertificates(box.home);
    // A TLS relay in front of the fake, for both the API and the completions.
    await using relay = Deno.serve(
      { hostname: "127.0.0.1", port: 0, cert, key, onListen() {} },
      async (req) => {
        const url = new URL(req.url);
        const upstream = await fetch(`${fake.url}${url.pathname}${url.search}`, {
          method: req.method,
          headers: req.headers,
          body: req.body,
        });
        return new Response(upstream.body, { status: upstream.status, headers: upstream.headers });
      },
    );
    const base = `https://localhost:${relay.addr.port}`;
    const env = {
      ...box.env,
      COPILOT_GITHUB_TOKEN: TOKEN,
      COPILOT_API_URL: base,
      COPILOT_PROXY_URL: base,
    };

    await t.step("without it, the unknown CA is refused with one line", async () => {
      const { code, stdout, stderr } = await runCli(["complete"], { env, stdin: "x = " });
      assertEquals([code, stdout], [1, ""]);
      assertMatch(stderr, /^copilot: cannot reach localhost:\d+: .+\n$/);
    });

    await t.step("with it, the completion streams over TLS", async () => {
      const { code, stdout, stderr } = await runCli(["complete"], {
        env: { ...env, COPILOT_CA_FILE: ca },
        stdin: "def fib(n):\n",
      });
      assertEquals({ code, stdout, stderr }, {
        code: 0,
        stdout: DEFAULT_COMPLETION_TEXT,
        stderr: "",
      });
    });

    await t.step("a missing file is a usage error naming it", async () => {
      const { code, stderr } = await runCli(["complete"], {
        env: { ...env, COPILOT_CA_FILE: `${box.home}/nope.pem` },
        stdin: "x",
      });
      assertEquals(code, 2);
      assertStringIncludes(stderr, `cannot read COPILOT_CA_FILE ${box.home}/nope.pem`);
    });
  },
});
