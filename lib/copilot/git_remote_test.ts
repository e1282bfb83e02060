/** Unit tests of finding a file's repository and GitHub remote from .git/config (git_remote.ts). */

import { assertEquals } from "@std/assert";
import { join } from "../base/paths.ts";
import { findGitRepo, parseRemote, remoteUrls } from "./git_remote.ts";

Deno.test("remote URLs in every form git writes them", () => {
  for (
    const url of [
      "https://github.com/Octo/Repo.git",
      "https://github.com/Octo/Repo",
      "git@github.com:Octo/Repo.git",
      "ssh://git@github.com:22/Octo/Repo.git",
      "git://github.com/Octo/Repo",
    ]
  ) {
    assertEquals(parseRemote(url)?.url, "https://github.com/Octo/Repo", url);
  }
  assertEquals(parseRemote("/srv/git/repo.git"), undefined);
  assertEquals(parseRemote("file:///srv/git/repo.git"), undefined);
  assertEquals(parseRemote("https://github.com/just-owner"), undefined);
});

Deno.test("remoteUrls reads only remote sections", () => {
  const config = `[core]\n\turl = nope\n[remote "origin"]\n\turl = git@github.com:o/r.git\n` +
    `\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch "main"]\n\tremote = origin\n` +
    `[remote "up"]\n  url = "https://github.com/u/r"\n`;
  assertEquals(remoteUrls(config), ["git@github.com:o/r.git", "https://github.com/u/r"]);
});

Deno.test("findGitRepo walks up to .git, also through a worktree's gitdir file", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "copilot-git-" }));
  try {
    await Deno.mkdir(join(dir, "main", ".git", "worktrees", "wt"), { recursive: true });
    await Deno.writeTextFile(
      join(dir, "main", ".git", "config"),
      '[remote "origin"]\n\turl = https://github.com/o/r\n',
    );
    await Deno.writeTextFile(join(dir, "main", ".git", "worktrees", "wt", "commondir"), "../..\n");
    await Deno.mkdir(join(dir, "main", "src", "deep"), { recursive: true });
    assertEquals(await findGitRepo(join(dir, "main", "src", "deep", "a.py")), {
      root: join(dir, "main"),
      remotes: ["https://github.com/o/r"],
    });
    await Deno.mkdir(join(dir, "wt"));
    await Deno.writeTextFile(
      join(dir, "wt", ".git"),
      `gitdir: ${join(dir, "main", ".git", "worktrees", "wt")}\n`,
    );
    assertEquals((await findGitRepo("x.py", join(dir, "wt")))?.remotes, ["https://github.com/o/r"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
