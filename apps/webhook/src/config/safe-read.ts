import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync } from "node:fs";
import { describeFsError } from "./seed-files.js";

/** Largest config.yaml read. */
export const MAX_YAML_BYTES = 1024 * 1024;
/** Largest secret or id file read (api_key, secret_key, escalation_policy_id, routing_key). */
export const MAX_SECRET_BYTES = 64 * 1024;

/** What reading one configuration file gave. */
export type FileRead =
  | { readonly status: "absent"; readonly path: string }
  | { readonly status: "ok"; readonly path: string; readonly text: string }
  | { readonly status: "problem"; readonly path: string; readonly reason: string };

function kindOf(stats: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * Reads a configuration file safely: it must be a regular file after following symlinks (a FIFO,
 * device or directory is refused without blocking: opened non-blocking, checked with fstat), at
 * most `maxBytes` long (never read further). A dangling symlink is a problem, not "absent".
 */
export function readConfigFile(path: string, maxBytes: number): FileRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      const target = danglingTarget(path);
      if (target === undefined) return { status: "absent", path };
      return { status: "problem", path, reason: `is a symbolic link to ${target}, which does not exist` };
    }
    return { status: "problem", path, reason: describeFsError(error) };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile())
      return { status: "problem", path, reason: `is ${kindOf(stats)}; expected a regular file` };
    if (stats.size > maxBytes) return { status: "problem", path, reason: `is larger than ${maxBytes} bytes` };
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) return { status: "problem", path, reason: `is larger than ${maxBytes} bytes` };
    return { status: "ok", path, text: buffer.subarray(0, length).toString("utf8") };
  } catch (error) {
    return { status: "problem", path, reason: describeFsError(error) };
  } finally {
    closeSync(fd);
  }
}

function danglingTarget(path: string): string | undefined {
  try {
    if (!lstatSync(path).isSymbolicLink()) return undefined;
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
