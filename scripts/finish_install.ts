/**
 * The second half of `deno task install`, after `deno install -g ... -n copilot`:
 * points the `copilot` shim at the Deno that installed it (`Deno.execPath()`,
 * so a Deno run by `npx -y deno@2 task install` works too, where no `deno` is
 * on PATH), then says where the command went and, when that directory is not
 * on PATH, the line that adds it.
 *
 * @module
 */

const NAME = "copilot";
const windows = Deno.build.os === "windows";

/** Where `deno install -g` puts commands: `$DENO_INSTALL_ROOT/bin`, else `~/.deno/bin`. */
export function installDir(env: (name: string) => string | undefined): string {
  const sep = windows ? "\\" : "/";
  const root = env("DENO_INSTALL_ROOT") ||
    `${env("HOME") || env("USERPROFILE") || "."}${sep}.deno`;
  return `${root.replace(/[\\/]+$/, "")}${sep}bin`;
}

/** The shim with its leading `deno` replaced by the absolute path of `deno`. */
export function pinDeno(shim: string, deno: string): string {
  return windows
    ? shim.replace(/^@deno /m, `@"${deno}" `)
    : shim.replace(/^exec deno /m, `exec '${deno.replaceAll("'", `'"'"'`)}' `);
}

/** Whether `dir` is one of the directories of `path` (a PATH value). */
export function onPath(dir: string, path: string): boolean {
  const norm = (d: string) => d.replace(/[\\/]+$/, "");
  return path.split(windows ? ";" : ":").some((entry) => entry !== "" && norm(entry) === norm(dir));
}

/** Pins the shim and reports; resolves with the exit status. */
async function main(): Promise<number> {
  const env = (name: string) => Deno.env.get(name);
  const dir = installDir(env);
  const shim = `${dir}${windows ? "\\" : "/"}${NAME}${windows ? ".cmd" : ""}`;
  let text: string;
  try {
    text = await Deno.readTextFile(shim);
  } catch {
    console.error(`install: deno install wrote no ${shim}`);
    return 1;
  }
  await Deno.writeTextFile(shim, pinDeno(text, Deno.execPath()));
  console.log(`Installed ${NAME} at ${shim} (it runs ${Deno.execPath()}).`);
  if (!onPath(dir, env("PATH") ?? "")) {
    console.log(`${dir} is not on your PATH; add it, e.g. in your shell's startup file:`);
    console.log(windows ? `  setx PATH "%PATH%;${dir}"` : `  export PATH="${dir}:$PATH"`);
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main());
