import { assertEquals } from "@std/assert";
import { browserCommand, openBrowser } from "./browser.ts";

const URL = "https://github.com/login/device?a=1&b=2";
const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("browserCommand: xdg-open on Linux only with a display", () => {
  assertEquals(browserCommand(URL, "linux", envOf({})), undefined);
  assertEquals(browserCommand(URL, "linux", envOf({ DISPLAY: ":0" })), ["xdg-open", [URL]]);
  assertEquals(browserCommand(URL, "freebsd", envOf({ WAYLAND_DISPLAY: "wayland-0" })), [
    "xdg-open",
    [URL],
  ]);
});

Deno.test("browserCommand: open on macOS, rundll32 on Windows, display or not", () => {
  assertEquals(browserCommand(URL, "darwin", envOf({})), ["open", [URL]]);
  assertEquals(browserCommand(URL, "windows", envOf({})), [
    "rundll32",
    ["url.dll,FileProtocolHandler", URL],
  ]);
});

Deno.test("openBrowser starts the opener and says so", () => {
  const started: [string, string[]][] = [];
  const opened = openBrowser(URL, {
    os: "darwin",
    spawn: (command, args) => started.push([command, args]),
  });
  assertEquals(opened, true);
  assertEquals(started, [["open", [URL]]]);
});

Deno.test("openBrowser never throws: a missing opener or no display is just false", () => {
  const missing = () => {
    throw new Deno.errors.NotFound("xdg-open");
  };
  assertEquals(
    openBrowser(URL, { os: "linux", env: envOf({ DISPLAY: ":0" }), spawn: missing }),
    false,
  );
  let spawned = false;
  assertEquals(
    openBrowser(URL, { os: "linux", env: envOf({}), spawn: () => spawned = true }),
    false,
  );
  assertEquals(spawned, false);
});

Deno.test("openBrowser with the real spawner and a missing program returns false", () => {
  const path = Deno.env.get("PATH");
  try {
    Deno.env.set("PATH", "/nonexistent");
    assertEquals(openBrowser(URL, { os: "linux", env: envOf({ DISPLAY: ":0" }) }), false);
  } finally {
    if (path === undefined) Deno.env.delete("PATH");
    else Deno.env.set("PATH", path);
  }
});
