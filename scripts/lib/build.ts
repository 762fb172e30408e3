// Builds the app when the build is missing or older than any source file under app/.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export function buildIfStale(): void {
  const serverBuild = path.join(ROOT, "build/server/index.js");
  const builtAt = fs.existsSync(serverBuild) ? fs.statSync(serverBuild).mtimeMs : 0;
  if (builtAt > newestMtime(path.join(ROOT, "app"))) return;
  console.error("Building the app…");
  execFileSync("remix", ["vite:build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}
