/** Something text can be written to (`process.stdout`, a test buffer). */
export interface TextSink {
  write(text: string): unknown;
  /** True when a terminal is attached (human-readable logs). */
  readonly isTTY?: boolean;
}

/** Something text can be read from (`process.stdin`). */
export interface TextSource extends AsyncIterable<string | Uint8Array> {
  readonly isTTY?: boolean;
}

/** The process boundary of the CLI, injected so `main` can be tested without a process. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin?: TextSource;
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin };
}

/** Exit statuses of the CLI. */
export const EXIT_OK = 0;
/** A runtime failure (bad config file, daemon error). */
export const EXIT_FAILURE = 1;
/** A command-line usage error (unknown flag, bad flag value), as Go's `flag` package. */
export const EXIT_USAGE = 2;
