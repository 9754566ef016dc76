/**
 * A migration that cannot go on: the message names the cause and what to do, and nothing was
 * written. The CLI prints it as is and exits 1.
 */
export class PythonMigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PythonMigrationError'
  }
}

/** A Fernet token that does not verify or decrypt with the key file's key (never carries the token). */
export class FernetError extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'FernetError'
  }
}
