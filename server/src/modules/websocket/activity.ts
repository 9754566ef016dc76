import type { StreamObserver } from '../proxy/stream-observer.js'

/**
 * When the client last got a frame of the running turn, and the turn's response id once known:
 * what the heartbeat needs to fill a silence with a frame the CLI skips.
 */
export class TurnActivity {
  lastFrameAt = performance.now()
  /** Set at the commit point: the relayed stream's side observer. */
  observer: StreamObserver | undefined

  touch(): void {
    this.lastFrameAt = performance.now()
  }

  get responseId(): string | undefined {
    return this.observer?.responseId
  }
}
