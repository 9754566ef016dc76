import type { LineReader } from './line-reader.js'

/** Where the CLI reads its environment and writes its output; tests pass their own. */
export interface CliIo {
  stdout(text: string): void
  stderr(text: string): void
  /** Lines typed on stdin (`accounts login --paste`); absent when input cannot be read. */
  openStdin?(): LineReader
  env: Record<string, string | undefined>
  /** Directory whose `.env.local` is read. */
  cwd: string
}

/** A failure whose message is the whole story: printed without a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
    this.name = 'CliError'
  }
}
