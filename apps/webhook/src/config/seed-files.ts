import { type Stats, statSync } from "node:fs";
import { join } from "node:path";

/** A short reason for a file system error, without the stack. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** Identity of the running process, to tell "my own group" from other users. */
export interface ProcessIdentity {
  /** Effective user id, or undefined where the platform has none. */
  readonly uid: number | undefined;
  /** Effective group id and supplementary groups. */
  readonly gids: readonly number[];
}

/** The current process's identity (POSIX); empty on platforms without uids. */
export function currentIdentity(): ProcessIdentity {
  const uid = typeof process.geteuid === "function" ? process.geteuid() : undefined;
  const gids = new Set<number>();
  if (typeof process.getegid === "function") gids.add(process.getegid());
  if (typeof process.getgroups === "function") for (const gid of process.getgroups()) gids.add(gid);
  return { uid, gids: [...gids] };
}

/**
 * A warning when a secret file can be read by users other than the service: world-readable, or
 * group-readable by a group the service does not belong to. (0640 root:<service group> is fine.)
 */
function secretFileWarning(
  path: string,
  stats: Pick<Stats, "mode" | "gid">,
  identity: ProcessIdentity,
): string | undefined {
  const mode = stats.mode & 0o777;
  const octal = mode.toString(8).padStart(4, "0");
  if ((mode & 0o004) !== 0) {
    return `${path} is readable by every user (mode ${octal}); run: chmod 0640 ${path}`;
  }
  if ((mode & 0o040) !== 0 && !identity.gids.includes(stats.gid)) {
    return `${path} is readable by group ${stats.gid}, which this service is not in (mode ${octal}); run: chmod 0600 ${path} or give it the service's group`;
  }
  return undefined;
}

/** Warnings for every secret seed file in `dir` that other users can read, used or not (env may win). */
export function secretFileWarnings(
  dir: string,
  names: readonly string[],
  identity: ProcessIdentity,
): string[] {
  const warnings: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const stats = statSync(path);
      const warning = stats.isFile() ? secretFileWarning(path, stats, identity) : undefined;
      if (warning !== undefined) warnings.push(warning);
    } catch {
      // absent or unreadable: nothing to warn about here (reading it reports problems)
    }
  }
  return warnings;
}
