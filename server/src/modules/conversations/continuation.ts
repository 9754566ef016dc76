import type { ConversationStore } from './conversation-store.js'
import { portableInput, type RebuiltTurn } from './rebuild.js'

/** A rebuilt turn as the proxy routes it: its owning account, and the body any other may get. */
export interface Continuation {
  /** The account that produced the previous response: preferred while it is usable. */
  accountId: string
  /** The request without the items only that account can read (its encrypted reasoning). */
  portableBody: Record<string, unknown>
}

/**
 * The continuation of a validated, rebuilt request; undefined when the turn was not rebuilt or
 * its history came from no account (a prewarm answered locally).
 */
export function continuationOf(
  body: Record<string, unknown>,
  rebuilt: RebuiltTurn | undefined,
): Continuation | undefined {
  const owner = rebuilt?.previous.accountId
  if (!rebuilt || !owner) return undefined
  const input = body['input'] as unknown[]
  return {
    accountId: owner,
    portableBody: { ...body, input: portableInput(input, rebuilt.historyItems) },
  }
}

/** What the relay's side observer saw of a completed response. */
export interface ObservedOutput {
  responseId: string | undefined
  outputItems: readonly unknown[]
  outputBytes: number
}

/**
 * Remembers a completed turn under its response id, with the input the serving account really got,
 * so a later `previous_response_id` can be rebuilt from it on any transport.
 */
export function rememberTurn(
  store: ConversationStore,
  turn: {
    ownerId: string
    accountId: string
    body: Record<string, unknown>
    continuation: Continuation | undefined
    output: ObservedOutput
    /**
     * The request's JSON size as received, when known: with the rebuilt history's own size it bounds
     * the input's, so a large input is not serialized again only to be measured.
     */
    receivedBytes?: number | undefined
    rebuiltFrom?: { bytes: number } | undefined
  },
): void {
  const { output, continuation, accountId } = turn
  if (!output.responseId) return
  const moved = continuation && continuation.accountId !== accountId
  const input = ((moved ? continuation.portableBody : turn.body)['input'] ?? []) as unknown[]
  store.remember({
    responseId: output.responseId,
    ownerId: turn.ownerId,
    accountId,
    input,
    output: output.outputItems,
    // Rough: what the record holds is mostly shared with the request it came from.
    bytes: inputBytes(turn, input) + output.outputBytes,
  })
}

function inputBytes(
  turn: { receivedBytes?: number | undefined; rebuiltFrom?: { bytes: number } | undefined },
  input: unknown[],
): number {
  if (turn.receivedBytes === undefined) return JSON.stringify(input).length
  return turn.receivedBytes + (turn.rebuiltFrom?.bytes ?? 0)
}
