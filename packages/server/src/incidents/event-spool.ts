import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { PagerDutyEvent } from "@pagerduty-voys/pagerduty-source";

const PREFIX = "event-";
const SUFFIX = ".json";
const TEMP_PREFIX = ".tmp-event-";

/** An event kept on disk until PagerDuty accepted it. */
interface SpooledEvent {
  /** The file name inside the directory. */
  readonly file: string;
  /** The event. */
  readonly event: PagerDutyEvent;
}

/** Undelivered events on disk, one file per event, each written atomically. */
export interface EventSpool {
  /** The directory. */
  readonly directory: string;
  /** Writes an event (temporary file, then rename) and resolves with its file name. */
  save(event: PagerDutyEvent, at: Date): Promise<string>;
  /** Removes an event's file (delivered or refused); a missing file is fine. */
  remove(file: string): Promise<void>;
  /** Every event left from before, oldest first; unreadable files are reported and set aside. */
  load(onBadFile: (file: string, error: unknown) => void): Promise<SpooledEvent[]>;
}

/** Opens (and creates, when missing) the directory undelivered events are kept in. */
export async function openEventSpool(directory: string): Promise<EventSpool> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  return {
    directory,
    async save(event, at) {
      // Time first, so that a plain sort of the names is the order of the calls.
      const file = `${PREFIX}${at.getTime().toString().padStart(15, "0")}-${randomUUID()}${SUFFIX}`;
      const temp = join(directory, `${TEMP_PREFIX}${randomUUID()}`);
      // The file holds a caller's number: readable by the service user only.
      await writeFile(temp, JSON.stringify(event), { mode: 0o600, flag: "wx", flush: true });
      await rename(temp, join(directory, file));
      return file;
    },
    async remove(file) {
      await rm(join(directory, file), { force: true });
    },
    async load(onBadFile) {
      const names = (await readdir(directory)).sort();
      const events: SpooledEvent[] = [];
      for (const name of names) {
        if (name.startsWith(TEMP_PREFIX)) {
          // A write cut short by a crash: the event was never acknowledged to anyone.
          await rm(join(directory, name), { force: true });
          continue;
        }
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) continue;
        try {
          const event = JSON.parse(await readFile(join(directory, name), "utf8")) as PagerDutyEvent;
          if (typeof event?.routing_key !== "string") throw new TypeError("not an event");
          events.push({ file: name, event });
        } catch (error) {
          onBadFile(name, error);
          await rename(join(directory, name), join(directory, `${name}.bad`)).catch(() => undefined);
        }
      }
      return events;
    },
  };
}
