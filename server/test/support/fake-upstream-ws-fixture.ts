import { afterAll, afterEach, beforeAll } from 'vitest'
import { startFakeUpstream, type FakeAccount, type FakeUpstream } from './fake-upstream.js'
import { connectWs, type WsTestClient } from './ws-client.js'

export interface FakeWsFixture {
  fake: FakeUpstream
  /** The account added at start; it survives the per-test reset. */
  account: FakeAccount
  /** connectWs to the fake's WebSocket endpoint; the client is closed after the test. */
  connect(headers: Record<string, string>, deflate: boolean): Promise<WsTestClient>
}

/**
 * For a test file of the fake upstream's WebSocket side: the fake with one account, started before
 * the file's tests and closed after them; after each test its clients are closed and the fake is
 * reset. The returned object is filled in by then.
 */
export function fakeWsFixture(email: string): FakeWsFixture {
  const open: WsTestClient[] = []
  const fixture = {
    async connect(headers: Record<string, string>, deflate: boolean) {
      const client = await connectWs(fixture.fake.wsUrl, headers, { perMessageDeflate: deflate })
      open.push(client)
      return client
    },
  } as FakeWsFixture
  beforeAll(async () => {
    fixture.fake = await startFakeUpstream()
    fixture.account = fixture.fake.addAccount({ email })
  })
  afterAll(async () => fixture.fake?.close())
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()))
    fixture.fake.reset()
  })
  return fixture
}
