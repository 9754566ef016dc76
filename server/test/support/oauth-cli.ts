import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js'

/** The authorization URL line `codex-lb accounts login` prints (indented two spaces). */
export const AUTHORIZE_URL = /^ {2}(http\S+\/oauth\/authorize\?\S+)$/m

export interface CliLoginFixture {
  fake: FakeUpstream
  /** Holds the data dir (`<dir>/data`); removed after the file's tests. */
  dir: string
  /** CODEX_LB_* for the CLI: the data dir, the fake's auth server, an ephemeral callback port. */
  env: Record<string, string>
}

/**
 * For a test file that signs in through the CLI: a fake auth server and a fresh data dir, made
 * before the file's tests and removed after them. The returned object is filled in by then.
 */
export function cliLoginFixture(prefix: string): CliLoginFixture {
  const fixture = {} as CliLoginFixture
  beforeAll(async () => {
    fixture.fake = await startFakeUpstream()
    fixture.dir = mkdtempSync(join(tmpdir(), prefix))
    fixture.env = {
      CODEX_LB_DATA_DIR: join(fixture.dir, 'data'),
      CODEX_LB_AUTH_BASE_URL: fixture.fake.authBaseUrl,
      CODEX_LB_OAUTH_CALLBACK_PORT: '0',
    }
  })
  afterAll(async () => {
    await fixture.fake?.close()
    if (fixture.dir) rmSync(fixture.dir, { recursive: true, force: true })
  })
  return fixture
}
