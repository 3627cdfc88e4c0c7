import type { Logger } from "@pagerduty-voys/core";
import { createPagerDutySource } from "@pagerduty-voys/pagerduty-source";
import { loadConfig } from "../config/load-config.js";
import { recordingSource, renderCheckJson } from "./check-json.js";
import { runCheck } from "./check-report.js";
import { type CliIo, printConfigErrors } from "./io.js";

/**
 * `check`: validate the configuration, then fetch and report the on-call roster of every route.
 * With `format` "json" the whole outcome is one JSON document on stdout (see check-json.ts).
 */
export async function check(
  io: CliIo,
  now: () => Date = () => new Date(),
  format: "text" | "json" = "text",
): Promise<number> {
  const result = loadConfig({ env: io.env });
  if (!result.ok) {
    if (format === "json") {
      io.stdout(
        renderCheckJson({ code: 2, shifts: [], now: now(), errors: result.errors, warnings: [], report: [] }),
      );
    } else printConfigErrors(io, result.errors);
    return 2;
  }
  if (format === "text") for (const warning of result.warnings) io.stderr(`warning: ${warning}\n`);
  const { config } = result;
  const recorded = recordingSource(
    createPagerDutySource({
      apiKey: config.pagerduty.apiKey,
      apiUrl: config.pagerduty.apiUrl,
      requestTimeoutMs: config.pagerduty.requestTimeoutMs,
      userCacheTtlMs: config.pagerduty.userCacheTtlMs,
      logger: stderrLogger(io),
    }),
  );
  const timeoutMs = Math.max(15_000, config.pagerduty.requestTimeoutMs * 4);
  const at = now();
  const report = await runCheck({ config, source: recorded.source, now: at, timeoutMs });
  if (format === "json") {
    const errors = report.code === 0 ? [] : report.lines;
    const { warnings } = result;
    io.stdout(
      renderCheckJson({
        code: report.code,
        config,
        shifts: recorded.shifts(),
        now: at,
        errors,
        warnings,
        report: report.lines,
      }),
    );
  } else (report.code === 0 ? io.stdout : io.stderr)(`${report.lines.join("\n")}\n`);
  return report.code;
}

function stderrLogger(io: CliIo): Logger {
  const write = (level: string) => (obj: object, msg?: string) => {
    const detail = (obj as { err?: { message?: string } }).err?.message;
    io.stderr(`${level}: ${msg ?? ""}${detail ? ` (${detail})` : ""}\n`);
  };
  return { debug: () => undefined, info: () => undefined, warn: write("warning"), error: write("error") };
}
