/** Where the CLI writes and what it reads: injectable so that tests can run commands in-process. */
export interface CliIo {
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
}

/** The real process's environment and streams. */
export function processIo(): CliIo {
  return {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}

/** Prints configuration problems, one per line, to stderr. */
export function printConfigErrors(io: CliIo, errors: readonly string[]): void {
  const lines = errors.map((error) => `  - ${error}`).join("\n");
  io.stderr(`pagerduty-voys-webhook: invalid configuration, not starting:\n${lines}\n`);
}
