import { assertEquals } from "@std/assert";
import { DEFAULT_TIMEOUT_S, readSettings } from "./settings.ts";

const linux = { os: "linux" as const, cwd: () => "/work" };

Deno.test("readSettings: defaults with an empty environment", () => {
  const settings = readSettings({ HOME: "/home/me" }, linux);
  assertEquals(settings, {
    githubToken: undefined,
    host: "github.com",
    urls: {},
    configDir: "/home/me/.config/copilot",
    pluginConfigDir: "/home/me/.config/github-copilot",
    model: undefined,
    net: { timeout: DEFAULT_TIMEOUT_S, caFile: undefined, debug: false },
    identity: {},
    serveKey: undefined,
    serveGraceSeconds: undefined,
    serveGuards: {
      headerSeconds: undefined,
      idleSeconds: undefined,
      bodySeconds: undefined,
      maxConnections: undefined,
      plainTransport: false,
    },
    hostEnv: {},
  });
});

Deno.test("readSettings: the host variables the terminal helpers need, and no others", () => {
  const env = { HOME: "/home/me", VIM: "/usr/share/vim", PATH: "/usr/bin", SHELL: "/bin/sh" };
  assertEquals(readSettings(env, linux).hostEnv, { VIM: "/usr/share/vim", PATH: "/usr/bin" });
});

Deno.test("readSettings: serve's guards, positive numbers only", () => {
  const env = {
    COPILOT_SERVE_HEADER_TIMEOUT: "2.5",
    COPILOT_SERVE_IDLE_TIMEOUT: "0",
    COPILOT_SERVE_BODY_TIMEOUT: "x",
    COPILOT_SERVE_MAX_CONNECTIONS: "64",
    COPILOT_SERVE_TRANSPORT: "deno",
  };
  assertEquals(readSettings(env, { os: "linux" }).serveGuards, {
    headerSeconds: 2.5,
    idleSeconds: undefined,
    bodySeconds: undefined,
    maxConnections: 64,
    plainTransport: true,
  });
});

Deno.test("readSettings: every variable lands in its field", () => {
  const env = {
    HOME: "/home/me",
    COPILOT_GITHUB_TOKEN: "ghu_x",
    COPILOT_HOST: "octo.ghe.com",
    COPILOT_GITHUB_URL: "http://g",
    COPILOT_API_URL: "http://a",
    COPILOT_PROXY_URL: "http://p",
    COPILOT_CONFIG_DIR: "conf",
    COPILOT_MODEL: "gpt-x",
    COPILOT_TIMEOUT: "2.5",
    COPILOT_CA_FILE: "/ca.pem",
    COPILOT_DEBUG: "1",
    COPILOT_USER_AGENT: "me/1",
    COPILOT_SERVE_KEY: "k",
    COPILOT_SERVE_GRACE: "0",
    OTHER: "ignored",
  };
  const settings = readSettings(env, linux);
  assertEquals(settings.githubToken, "ghu_x");
  assertEquals(settings.host, "octo.ghe.com");
  assertEquals(settings.urls, { github: "http://g", api: "http://a", proxy: "http://p" });
  assertEquals(settings.configDir, "/work/conf");
  assertEquals(settings.model, "gpt-x");
  assertEquals(settings.net, { timeout: 2.5, caFile: "/ca.pem", debug: true });
  assertEquals(settings.identity.COPILOT_USER_AGENT, "me/1");
  assertEquals(settings.identity.OTHER, undefined);
  // Secrets stay out of the identity overrides.
  assertEquals(settings.identity.COPILOT_GITHUB_TOKEN, undefined);
  assertEquals(settings.identity.COPILOT_SERVE_KEY, undefined);
  assertEquals(settings.serveKey, "k");
  assertEquals(settings.serveGraceSeconds, 0);
});

Deno.test("readSettings: empty and invalid values count as unset", () => {
  const settings = readSettings({
    HOME: "/h",
    COPILOT_GITHUB_TOKEN: "",
    COPILOT_HOST: "",
    COPILOT_TIMEOUT: "soon",
    COPILOT_SERVE_GRACE: "-1",
    COPILOT_CA_FILE: "",
    COPILOT_USER_AGENT: "",
  }, linux);
  assertEquals(settings.githubToken, undefined);
  assertEquals(settings.host, "github.com");
  assertEquals(settings.net.timeout, DEFAULT_TIMEOUT_S);
  assertEquals(settings.net.caFile, undefined);
  assertEquals(settings.serveGraceSeconds, undefined);
  assertEquals(settings.identity.COPILOT_USER_AGENT, undefined);
  assertEquals(readSettings({ COPILOT_TIMEOUT: "0" }, linux).net.timeout, DEFAULT_TIMEOUT_S);
  assertEquals(readSettings({ COPILOT_SERVE_GRACE: "" }, linux).serveGraceSeconds, undefined);
});

Deno.test("readSettings: COPILOT_DEBUG is off for 0 and false", () => {
  for (const [value, on] of [["1", true], ["yes", true], ["0", false], ["false", false]] as const) {
    assertEquals(readSettings({ COPILOT_DEBUG: value }, linux).net.debug, on, value);
  }
});

Deno.test("readSettings: the OS picks the directories", () => {
  const settings = readSettings(
    { APPDATA: "C:\\Roaming", LOCALAPPDATA: "C:\\Local" },
    { os: "windows", cwd: () => "C:\\w" },
  );
  assertEquals(settings.configDir, "C:\\Roaming\\copilot");
  assertEquals(settings.pluginConfigDir, "C:\\Local\\github-copilot");
});
