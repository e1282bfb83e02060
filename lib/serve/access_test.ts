import { assert, assertEquals, assertFalse } from "@std/assert";
import { Access, isLoopback, isPreflight, timingSafeEqual, urlHost } from "./access.ts";

function request(headers: Record<string, string>, method = "GET"): Request {
  return new Request("http://127.0.0.1:8080/v1/models", {
    method,
    headers: { host: "127.0.0.1:8080", ...headers },
  });
}

Deno.test("isLoopback and urlHost", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "LOCALHOST"]) {
    assert(isLoopback(host), host);
  }
  for (const host of ["0.0.0.0", "::", "192.168.1.2", "example.com", "128.0.0.1"]) {
    assertFalse(isLoopback(host), host);
  }
  assertEquals(urlHost("::1"), "[::1]");
  assertEquals(urlHost("[::1]"), "[::1]");
  assertEquals(urlHost("127.0.0.1"), "127.0.0.1");
});

Deno.test("Access.hostAllowed", async (t) => {
  await t.step("loopback binding takes loopback names with the right port", () => {
    const access = new Access({ host: "127.0.0.1", port: 8080 });
    for (const host of ["127.0.0.1:8080", "localhost:8080", "LocalHost:8080", "[::1]:8080"]) {
      assert(access.hostAllowed(host), host);
    }
    for (
      const host of [
        "127.0.0.1:8081",
        "127.0.0.1",
        "evil.example:8080",
        "localhost.evil.example:8080",
        "192.168.1.2:8080",
        "",
        "127.0.0.1:8080:1",
        "a b:8080",
      ]
    ) {
      assertFalse(access.hostAllowed(host), host);
    }
    assertFalse(access.hostAllowed(null));
  });

  await t.step("port 80 may be left out", () => {
    const access = new Access({ host: "127.0.0.1", port: 80 });
    assert(access.hostAllowed("localhost"));
    assert(access.hostAllowed("localhost:80"));
  });

  await t.step("IPv6 binding", () => {
    const access = new Access({ host: "::1", port: 9000 });
    assert(access.hostAllowed("[::1]:9000"));
    assertFalse(access.hostAllowed("[::2]:9000"));
  });

  await t.step("a named or specific address is accepted as itself", () => {
    const access = new Access({ host: "192.168.1.2", port: 8080 });
    assert(access.hostAllowed("192.168.1.2:8080"));
    assertFalse(access.hostAllowed("192.168.1.3:8080"));
  });

  await t.step(
    "wildcard binding: any IP literal and this machine's name, never other names",
    () => {
      const access = new Access({ host: "0.0.0.0", port: 8080, hostname: "devbox" });
      assert(access.hostAllowed("10.0.0.7:8080"));
      assert(access.hostAllowed("[fe80::1]:8080"));
      assert(access.hostAllowed("DEVBOX:8080"));
      assertFalse(access.hostAllowed("rebind.evil.example:8080"));
      assertFalse(access.hostAllowed("10.0.0.7:8081"));
    },
  );
});

Deno.test("Access.check", async (t) => {
  const access = new Access({
    host: "127.0.0.1",
    port: 8080,
    allowOrigin: ["http://localhost:3000/"],
    apiKey: "s3cret",
  });
  const good = { host: "127.0.0.1:8080", authorization: "Bearer s3cret" };

  await t.step("a good request passes", async () => {
    assertEquals(await access.check(request(good)), undefined);
    assertEquals(
      await access.check(request({ ...good, authorization: "bearer   s3cret " })),
      undefined,
    );
  });

  await t.step("a foreign Host is refused before anything else", async () => {
    const refusal = await access.check(request({ ...good, host: "evil.example:8080" }));
    assertEquals(refusal?.status, 403);
    assertEquals(refusal?.code, "forbidden_host");
  });

  await t.step("an origin not allowed is refused; an allowed one passes", async () => {
    const refusal = await access.check(request({ ...good, origin: "https://evil.example" }));
    assertEquals(refusal?.status, 403);
    assertEquals(refusal?.code, "forbidden_origin");
    assertEquals(
      await access.check(request({ ...good, origin: "http://localhost:3000" })),
      undefined,
    );
  });

  await t.step("a missing or wrong key is a 401", async () => {
    for (
      const authorization of [undefined, "Bearer wrong", "Bearer s3cret2", "s3cret", "Bearer "]
    ) {
      const headers: Record<string, string> = { host: good.host };
      if (authorization !== undefined) headers.authorization = authorization;
      const refusal = await access.check(request(headers));
      assertEquals(refusal?.status, 401, authorization);
      assertEquals(refusal?.code, "invalid_api_key");
    }
  });

  await t.step("Anthropic's x-api-key carries the key too", async () => {
    assertEquals(
      await access.check(request({ host: good.host, "x-api-key": "s3cret" })),
      undefined,
    );
    const refusal = await access.check(request({ host: good.host, "x-api-key": "wrong" }));
    assertEquals(refusal?.status, 401);
    assertEquals(refusal?.message, "Incorrect API key provided");
    // An SDK given a key and a token sends both headers: one carrying the key is enough.
    for (
      const [authorization, apiKey] of [["Bearer other", "s3cret"], ["Bearer s3cret", "other"]]
    ) {
      const both = { host: good.host, authorization: authorization!, "x-api-key": apiKey! };
      assertEquals(await access.check(request(both)), undefined, `${authorization} ${apiKey}`);
    }
    const neither = { host: good.host, authorization: "Bearer other", "x-api-key": "other" };
    assertEquals((await access.check(request(neither)))?.status, 401);
    const missing = await access.check(request({ host: good.host }));
    assertEquals(
      missing?.message,
      "Missing API key: send 'Authorization: Bearer KEY' or 'x-api-key: KEY'",
    );
  });

  await t.step("a preflight needs no key", async () => {
    const preflight = request({
      host: good.host,
      origin: "http://localhost:3000",
      "access-control-request-method": "POST",
    }, "OPTIONS");
    assert(isPreflight(preflight));
    assertEquals(await access.check(preflight), undefined);
  });

  await t.step("without a key configured, none is needed", async () => {
    const open = new Access({ host: "127.0.0.1", port: 8080 });
    assertFalse(open.requiresKey);
    assertEquals(await open.check(request({ host: good.host })), undefined);
  });
});

Deno.test("Access CORS headers only for allowed origins", () => {
  const access = new Access({ host: "127.0.0.1", port: 8080, allowOrigin: ["http://a.test"] });
  assertEquals(access.corsHeaders(null), {});
  assertEquals(access.corsHeaders("http://b.test"), {});
  assertEquals(access.corsHeaders("http://a.test")["Access-Control-Allow-Origin"], "http://a.test");
  const preflight = request({
    origin: "http://a.test",
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization, content-type",
  }, "OPTIONS");
  const headers = access.preflightHeaders(preflight);
  assertEquals(headers["Access-Control-Allow-Headers"], "authorization, content-type");
  assert(headers["Access-Control-Allow-Methods"]?.includes("POST"));
});

Deno.test("timingSafeEqual", () => {
  assert(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])));
  assertFalse(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4])));
  assertFalse(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3])));
});

Deno.test("check: no or malformed Host is a 400, a foreign request target a 403", async () => {
  const access = new Access({ host: "127.0.0.1", port: 8080 });
  const status = async (url: string, host: string | null) => {
    const headers: Record<string, string> = host === null ? {} : { host };
    return (await access.check(new Request(url, { headers })))?.status ?? 200;
  };
  const ours = "http://127.0.0.1:8080/healthz";
  assertEquals(await status(ours, null), 400);
  assertEquals(await status(ours, "127.0.0.1:65536"), 400);
  assertEquals(await status(ours, "127.0.0.1:8080, evil.example"), 400);
  assertEquals(await status(ours, "-1"), 403);
  assertEquals(await status("http://evil.example/healthz", "127.0.0.1:8080"), 403);
  assertEquals(await status(ours, "127.0.0.1:8080"), 200);
});

Deno.test("check: remembered verdicts still tell every Host and request target apart", async () => {
  const access = new Access({ host: "127.0.0.1", port: 8080 });
  const at = (url: string, host: string) => new Request(url, { headers: { host } });
  for (let round = 0; round < 3; round++) {
    assertEquals(
      await access.check(at("http://127.0.0.1:8080/v1/models", "127.0.0.1:8080")),
      undefined,
    );
    assertEquals(
      await access.check(at("http://127.0.0.1:8080/v1/other?x=1", "127.0.0.1:8080")),
      undefined,
    );
    // The same Host, another target (an absolute-form request line): refused every time.
    assertEquals(
      (await access.check(at("http://evil.example:8080/v1/models", "127.0.0.1:8080")))?.status,
      403,
    );
    assertEquals(
      (await access.check(at("http://127.0.0.1:8080/", "evil.example:8080")))?.status,
      403,
    );
  }
  // A flood of new Hosts empties the memory; verdicts stay right.
  for (let i = 0; i < 600; i++) {
    const refused = await access.check(at("http://127.0.0.1:8080/", `h${i}.example:8080`));
    assertEquals(refused?.status, 403);
  }
  assertEquals(await access.check(at("http://127.0.0.1:8080/", "localhost:8080")), undefined);
});

Deno.test("check: no Host (400) and a Host that reads 'null' (403) are remembered apart", async () => {
  const access = new Access({ host: "127.0.0.1", port: 8080 });
  const none = new Request("http://127.0.0.1:8080/");
  const literal = new Request("http://127.0.0.1:8080/", { headers: { host: "null" } });
  for (let round = 0; round < 2; round++) {
    assertEquals((await access.check(none))?.status, 400);
    assertEquals((await access.check(literal))?.status, 403);
  }
});
