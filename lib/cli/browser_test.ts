import { assertEquals } from "@std/assert";
import { browserCommand, openBrowser } from "./browser.ts";
import { RUN_PATHS } from "./programs.ts";
import config from "../../deno.json" with { type: "json" };

const URL = "https://github.com/login/device?a=1&b=2";
const envOf = (vars: Record<string, string>) => (name: string) => vars[name];
const all = () => true;
const shell = (opener: string) => [RUN_PATHS.sh, ["-c", `exec ${opener} "$1"`, "sh", URL]];

Deno.test("browserCommand: xdg-open on Linux only with a display and an opener", () => {
  assertEquals(browserCommand(URL, "linux", envOf({}), all), undefined);
  assertEquals(browserCommand(URL, "linux", envOf({ DISPLAY: ":0" }), all), shell("xdg-open"));
  assertEquals(
    browserCommand(URL, "freebsd", envOf({ WAYLAND_DISPLAY: "wayland-0" }), all),
    shell("xdg-open"),
  );
  assertEquals(browserCommand(URL, "linux", envOf({ DISPLAY: ":0" }), () => false), undefined);
});

Deno.test("browserCommand: open on macOS, rundll32 on Windows, display or not", () => {
  assertEquals(browserCommand(URL, "darwin", envOf({}), all), shell("open"));
  assertEquals(browserCommand(URL, "windows", envOf({}), all), [
    RUN_PATHS.rundll32,
    ["url.dll,FileProtocolHandler", URL],
  ]);
});

Deno.test("deno.json lets the binary run exactly the programs it uses, by absolute path", () => {
  assertEquals(config.permissions.default.run.toSorted(), Object.values(RUN_PATHS).toSorted());
});

Deno.test("openBrowser starts the opener and says so", () => {
  const started: [string, string[]][] = [];
  const opened = openBrowser(URL, {
    env: () => undefined,
    os: "windows",
    spawn: (command, args) => started.push([command, args]),
  });
  assertEquals(opened, true);
  assertEquals(started, [[RUN_PATHS.rundll32, ["url.dll,FileProtocolHandler", URL]]]);
});

Deno.test("openBrowser never throws: a failing spawn or no display is just false", () => {
  const failing = () => {
    throw new Deno.errors.NotFound("sh");
  };
  assertEquals(
    openBrowser(URL, { os: "windows", env: envOf({ DISPLAY: ":0" }), spawn: failing }),
    false,
  );
  let spawned = false;
  assertEquals(
    openBrowser(URL, { os: "linux", env: envOf({}), spawn: () => spawned = true }),
    false,
  );
  assertEquals(spawned, false);
});

Deno.test("openBrowser with no opener on PATH returns false and starts nothing", () => {
  let spawned = false;
  const env = envOf({ DISPLAY: ":0", PATH: "/nonexistent" });
  assertEquals(openBrowser(URL, { os: "linux", env, spawn: () => spawned = true }), false);
  assertEquals(spawned, false);
});
