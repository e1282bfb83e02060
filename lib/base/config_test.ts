import { assertEquals } from "@std/assert";
import {
  configDir,
  defaultEndpoints,
  type Os,
  osConfigDir,
  pluginConfigDir,
  upstreams,
} from "./config.ts";

const cwd = () => "/work";

Deno.test("osConfigDir: XDG when absolute, else ~/.config on Linux", () => {
  assertEquals(osConfigDir({ HOME: "/home/me" }, "linux"), "/home/me/.config");
  assertEquals(osConfigDir({ HOME: "/home/me", XDG_CONFIG_HOME: "/xdg" }, "linux"), "/xdg");
  assertEquals(
    osConfigDir({ HOME: "/home/me", XDG_CONFIG_HOME: "rel" }, "linux"),
    "/home/me/.config",
  );
  assertEquals(osConfigDir({ HOME: "/home/me", XDG_CONFIG_HOME: "" }, "linux"), "/home/me/.config");
  assertEquals(osConfigDir({ HOME: "/u", XDG_CONFIG_HOME: "/xdg" }, "freebsd"), "/xdg");
});

Deno.test("osConfigDir: Application Support on macOS, XDG ignored", () => {
  assertEquals(
    osConfigDir({ HOME: "/Users/me", XDG_CONFIG_HOME: "/xdg" }, "darwin"),
    "/Users/me/Library/Application Support",
  );
});

Deno.test("osConfigDir: APPDATA on Windows, else the profile's Roaming", () => {
  assertEquals(
    osConfigDir({ APPDATA: "C:\\Users\\me\\AppData\\Roaming" }, "windows"),
    "C:\\Users\\me\\AppData\\Roaming",
  );
  assertEquals(
    osConfigDir({ USERPROFILE: "C:\\Users\\me" }, "windows"),
    "C:\\Users\\me\\AppData\\Roaming",
  );
});

Deno.test("osConfigDir: HOME unset falls back to USERPROFILE, else there is none", () => {
  assertEquals(osConfigDir({ USERPROFILE: "/profile" }, "linux"), "/profile/.config");
  // Never "undefined/.config": a login written there lands under the working directory.
  assertEquals(osConfigDir({}, "linux"), undefined);
  assertEquals(osConfigDir({}, "darwin"), undefined);
  assertEquals(osConfigDir({}, "windows"), undefined);
  assertEquals(configDir({}, "linux", cwd), undefined);
  assertEquals(configDir({ XDG_CONFIG_HOME: "rel" }, "linux", cwd), undefined);
  assertEquals(configDir({ COPILOT_CONFIG_DIR: "/c" }, "linux", cwd), "/c");
  assertEquals(pluginConfigDir({}, "linux"), undefined);
  assertEquals(pluginConfigDir({}, "windows"), undefined);
});

Deno.test("configDir: COPILOT_CONFIG_DIR wins, resolved against cwd when relative", () => {
  const cases: [Record<string, string>, Os, () => string, string][] = [
    [{ HOME: "/home/me" }, "linux", cwd, "/home/me/.config/copilot"],
    [{ COPILOT_CONFIG_DIR: "/etc/c" }, "linux", cwd, "/etc/c"],
    [{ COPILOT_CONFIG_DIR: "c" }, "linux", cwd, "/work/c"],
    [{ APPDATA: "C:\\AppData" }, "windows", cwd, "C:\\AppData\\copilot"],
    [{ COPILOT_CONFIG_DIR: "D:\\c" }, "windows", cwd, "D:\\c"],
    [{ COPILOT_CONFIG_DIR: "c" }, "windows", () => "C:\\w", "C:\\w\\c"],
    [{ HOME: "/Users/me" }, "darwin", cwd, "/Users/me/Library/Application Support/copilot"],
  ];
  for (const [env, os, dir, want] of cases) {
    assertEquals(configDir(env, os, dir), want, `${os} ${JSON.stringify(env)}`);
  }
});

Deno.test("pluginConfigDir: XDG when absolute, LOCALAPPDATA on Windows, ~/.config elsewhere", () => {
  const cases: [Record<string, string>, Os, string][] = [
    [{ HOME: "/home/me" }, "linux", "/home/me/.config/github-copilot"],
    [{ HOME: "/Users/me" }, "darwin", "/Users/me/.config/github-copilot"],
    [{ XDG_CONFIG_HOME: "/xdg" }, "darwin", "/xdg/github-copilot"],
    [{ HOME: "/home/me", XDG_CONFIG_HOME: "rel" }, "linux", "/home/me/.config/github-copilot"],
    [{ LOCALAPPDATA: "C:\\Local" }, "windows", "C:\\Local\\github-copilot"],
    [{ USERPROFILE: "C:\\Users\\me" }, "windows", "C:\\Users\\me\\AppData\\Local\\github-copilot"],
    [{ XDG_CONFIG_HOME: "C:\\xdg" }, "windows", "C:\\xdg\\github-copilot"],
  ];
  for (const [env, os, want] of cases) {
    assertEquals(pluginConfigDir(env, os), want, `${os} ${JSON.stringify(env)}`);
  }
});

Deno.test("upstreams: github.com, an Enterprise host, and overrides without trailing slashes", () => {
  assertEquals(upstreams(), {
    github: "https://github.com",
    api: "https://api.github.com",
    proxy: undefined,
  });
  assertEquals(upstreams("octo.ghe.com"), {
    github: "https://octo.ghe.com",
    api: "https://api.octo.ghe.com",
    proxy: undefined,
  });
  assertEquals(
    upstreams("github.com", { github: "http://g/", api: "http://a//", proxy: "http://p/" }),
    { github: "http://g", api: "http://a", proxy: "http://p" },
  );
  assertEquals(defaultEndpoints("octo.ghe.com").proxy, "https://copilot-api.octo.ghe.com");
  assertEquals(defaultEndpoints("github.com").api, "https://api.githubcopilot.com");
});
