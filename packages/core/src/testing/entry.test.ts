import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist");

/** Imports `file` in a fresh node process; resolves with what it printed, or rejects with its stderr. */
async function importInChild(file: string): Promise<string> {
  const script = `const m = await import(${JSON.stringify(file)}); console.log(Object.keys(m).sort().join(","));`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { timeout: 10_000 });
  return stdout.trim();
}

// The built entries, copied where no node_modules is above them: vitest cannot be resolved there.
describe("the built /testing entry", () => {
  let copy: string;
  beforeAll(() => {
    if (!existsSync(join(dist, "testing.js")))
      throw new Error(`${dist} is missing: run \`pnpm build\` first`);
    copy = mkdtempSync(join(tmpdir(), "pdv-testing-entry-"));
    cpSync(dist, join(copy, "dist"), { recursive: true });
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it("imports without vitest", async () => {
    const names = await importInChild(join(copy, "dist", "testing.js"));
    expect(names.split(",")).toEqual(
      expect.arrayContaining(["createManualClock", "createRecordingLogger", "startRedisServer"]),
    );
  });

  it("keeps the contract suites, which need vitest, in /testing/vitest", async () => {
    await expect(importInChild(join(copy, "dist", "testing", "vitest.js"))).rejects.toThrow(/vitest/);
  });
});
