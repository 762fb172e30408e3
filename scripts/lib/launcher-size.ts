// What the Rewards launcher costs a storefront: its script and stylesheet as the shopper
// downloads them, gzipped at level 9. The budget for both together is 10 KB (10,240 bytes).
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { gzip, constants } from "node:zlib";

import { ROOT } from "./build";

export const LAUNCHER_ASSETS = path.join(ROOT, "extensions/loyalty-theme/assets");
export const LAUNCHER_BUDGET_BYTES = 10 * 1024;

const gzipAsync = promisify(gzip);

async function gzippedBytes(file: string): Promise<number> {
  const source = await fs.readFile(path.join(LAUNCHER_ASSETS, file));
  return (await gzipAsync(source, { level: constants.Z_BEST_COMPRESSION })).byteLength;
}

export async function launcherGzipBytes(): Promise<{ js: number; css: number; total: number }> {
  const [js, css] = await Promise.all([gzippedBytes("rewards-launcher.js"), gzippedBytes("rewards-launcher.css")]);
  return { js, css, total: js + css };
}
