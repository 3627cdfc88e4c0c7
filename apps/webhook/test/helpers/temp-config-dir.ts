import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temporary CONFIG_DIR; `write` creates a file (mode 0600 unless told), `remove` deletes the directory. */
export interface TempConfigDir {
  readonly path: string;
  write(name: string, content: string, mode?: number): string;
  remove(): void;
}

/** Creates a temporary CONFIG_DIR for tests. */
export function tempConfigDir(): TempConfigDir {
  const path = mkdtempSync(join(tmpdir(), "pdv-config-"));
  return {
    path,
    write(name, content, mode = 0o600) {
      const file = join(path, name);
      writeFileSync(file, content);
      chmodSync(file, mode);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
