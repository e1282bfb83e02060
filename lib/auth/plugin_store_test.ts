import { assertEquals } from "@std/assert";
import { DatabaseSync } from "node:sqlite";
import { CLIENT_ID as COPILOT_CLIENT_ID } from "./app.ts";
import { readPluginLogins } from "./plugin_store.ts";

const SCHEMA = `CREATE TABLE oauth_tokens (
  token_id TEXT PRIMARY KEY,
  auth_authority TEXT NOT NULL,
  user_login TEXT,
  scopes TEXT,
  token_schema_version INTEGER NOT NULL,
  token_ciphertext BLOB,
  last_used_at INTEGER,
  updated_at INTEGER
)`;

interface Row {
  id: string;
  host: string;
  user: string;
  version: number;
  token: Uint8Array;
  lastUsed: number;
}

/** Creates `auth.db` in WAL mode as the language server does; returns the open writer. */
function authDb(dir: string, rows: Row[]): DatabaseSync {
  const db = new DatabaseSync(`${dir}/auth.db`);
  db.exec("PRAGMA journal_mode=WAL");
  db.exec(SCHEMA);
  const insert = db.prepare(
    `INSERT INTO oauth_tokens (token_id, auth_authority, user_login, scopes, token_schema_version,
     token_ciphertext, last_used_at, updated_at) VALUES (?, ?, ?, '', ?, ?, ?, ?)`,
  );
  for (const row of rows) {
    insert.run(row.id, row.host, row.user, row.version, row.token, row.lastUsed, row.lastUsed);
  }
  return db;
}

const bytes = (text: string) => new TextEncoder().encode(text);

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "copilot-plugin-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("auth.db: reads a version-0 row, skips an encrypted one, while the writer holds the WAL", async () => {
  await withDir(async (dir) => {
    const db = authDb(dir, [
      // Newest, but encrypted (version 1): must be skipped.
      {
        id: "a",
        host: "github.com",
        user: "newer",
        version: 1,
        token: crypto.getRandomValues(new Uint8Array(60)),
        lastUsed: 300,
      },
      {
        id: "b",
        host: "github.com",
        user: "octocat",
        version: 0,
        token: bytes("ghu_plain0"),
        lastUsed: 200,
      },
      {
        id: "c",
        host: "octo.ghe.com",
        user: "enterprise",
        version: 0,
        token: bytes("ghu_other"),
        lastUsed: 400,
      },
      // Version 0 but not a GitHub token: skipped.
      {
        id: "d",
        host: "github.com",
        user: "junk",
        version: 0,
        token: bytes("not a token"),
        lastUsed: 250,
      },
    ]);
    try {
      // The data sits in auth.db-wal: the writer has not checkpointed.
      assertEquals((await Deno.stat(`${dir}/auth.db-wal`)).size > 0, true);
      const logins = await readPluginLogins("github.com", dir);
      assertEquals(logins, [{
        token: "ghu_plain0",
        kind: "plugin",
        source: `copilot.vim (${dir}/auth.db)`,
        host: "github.com",
        user: "octocat",
      }]);
      assertEquals((await readPluginLogins("octo.ghe.com", dir)).map((l) => l.user), [
        "enterprise",
      ]);
    } finally {
      db.close();
    }
  });
});

Deno.test("auth.db: newest last_used_at first among version-0 rows", async () => {
  await withDir(async (dir) => {
    authDb(dir, [
      {
        id: "a",
        host: "github.com",
        user: "old",
        version: 0,
        token: bytes("ghu_old"),
        lastUsed: 1,
      },
      {
        id: "b",
        host: "github.com",
        user: "new",
        version: 0,
        token: bytes("ghu_new"),
        lastUsed: 9,
      },
    ]).close();
    assertEquals((await readPluginLogins("github.com", dir)).map((l) => l.user), ["new", "old"]);
  });
});

Deno.test("auth.db: only an encrypted row means no login", async () => {
  await withDir(async (dir) => {
    authDb(dir, [{
      id: "a",
      host: "github.com",
      user: "octocat",
      version: 1,
      token: bytes("ghu_looks_plain_but_v1"),
      lastUsed: 1,
    }]).close();
    assertEquals(await readPluginLogins("github.com", dir), []);
  });
});

Deno.test("auth.db that is not SQLite is ignored", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/auth.db`, "garbage");
    assertEquals(await readPluginLogins("github.com", dir), []);
  });
});

Deno.test("apps.json: the Copilot app's key for the host, read without modifying the file", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/apps.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        "github.com:Iv1.other": { user: "someone", oauth_token: "ghu_otherapp" },
        [`github.com:${COPILOT_CLIENT_ID}`]: {
          user: "octocat",
          oauth_token: "ghu_apps",
          githubAppId: COPILOT_CLIENT_ID,
        },
        [`octo.ghe.com:${COPILOT_CLIENT_ID}`]: { user: "enterprise", oauth_token: "ghu_ghe" },
      }),
    );
    await Deno.chmod(path, 0o600);
    const before = await Deno.readFile(path);
    const statBefore = await Deno.stat(path);
    assertEquals(await readPluginLogins("github.com", dir), [{
      token: "ghu_apps",
      kind: "plugin",
      source: `copilot.vim (${path})`,
      host: "github.com",
      user: "octocat",
    }]);
    assertEquals((await readPluginLogins("octo.ghe.com", dir))[0]?.token, "ghu_ghe");
    assertEquals(await Deno.readFile(path), before);
    const statAfter = await Deno.stat(path);
    assertEquals(statAfter.mtime, statBefore.mtime);
    assertEquals(statAfter.mode, statBefore.mode);
  });
});

Deno.test("hosts.json: the host's key", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/hosts.json`,
      JSON.stringify({ "github.com": { user: "octocat", oauth_token: "ghu_hosts" } }),
    );
    assertEquals(await readPluginLogins("github.com", dir), [{
      token: "ghu_hosts",
      kind: "plugin",
      source: `copilot.vim (${dir}/hosts.json)`,
      host: "github.com",
      user: "octocat",
    }]);
    assertEquals(await readPluginLogins("octo.ghe.com", dir), []);
  });
});

Deno.test("order is auth.db, apps.json, hosts.json, duplicates removed", async () => {
  await withDir(async (dir) => {
    authDb(dir, [{
      id: "a",
      host: "github.com",
      user: "db",
      version: 0,
      token: bytes("ghu_db"),
      lastUsed: 1,
    }])
      .close();
    await Deno.writeTextFile(
      `${dir}/apps.json`,
      JSON.stringify({
        [`github.com:${COPILOT_CLIENT_ID}`]: { user: "apps", oauth_token: "ghu_apps" },
      }),
    );
    await Deno.writeTextFile(
      `${dir}/hosts.json`,
      JSON.stringify({ "github.com": { user: "hosts", oauth_token: "ghu_apps" } }),
    );
    assertEquals((await readPluginLogins("github.com", dir)).map((l) => l.token), [
      "ghu_db",
      "ghu_apps",
    ]);
  });
});

Deno.test("broken or missing JSON files mean no login", async () => {
  await withDir(async (dir) => {
    assertEquals(await readPluginLogins("github.com", dir), []);
    await Deno.writeTextFile(`${dir}/apps.json`, "{not json");
    await Deno.writeTextFile(`${dir}/hosts.json`, JSON.stringify({ "github.com": { user: "x" } }));
    assertEquals(await readPluginLogins("github.com", dir), []);
  });
});
