import { AppError, BadRequestError } from '../../errors/index.js'
import { isRecord } from '../../lib/json.js'
import type { ConversationStore, ConversationTurn } from './conversation-store.js'

/** A follow-up turn made whole again: what to send, and what only its account may see. */
export interface RebuiltTurn {
  /** The request with the remembered history in front of the new items, without the anchor. */
  body: Record<string, unknown>
  /** How many leading input items came from the record (the rest are the client's new ones). */
  historyItems: number
  previous: ConversationTurn
}

export class PreviousResponseNotFoundError extends AppError {
  constructor(
    /** `unknown`: not in the record (never ours, or dropped); `foreign`: another socket's. */
    readonly reason: 'unknown' | 'foreign',
    message = 'Previous response was not found; retry without previous_response_id.',
  ) {
    super(message, {
      status: 400,
      code: 'previous_response_not_found',
      param: 'previous_response_id',
    })
  }
}

function newItems(input: unknown): unknown[] {
  if (input === undefined || input === null) return []
  if (typeof input === 'string') {
    return [{ role: 'user', content: [{ type: 'input_text', text: input }] }]
  }
  if (Array.isArray(input)) return input
  throw new BadRequestError(
    '`input` must be a string or an array of input items',
    'invalid_request_error',
    'input',
  )
}

/**
 * Turns `previous_response_id` + new items back into a full request from the record. Undefined
 * when the body has no anchor. Throws PreviousResponseNotFoundError for an id the record does not
 * hold (never produced here, or dropped under the memory cap), and for one that belongs to another
 * client socket (`ownerId` given: that socket's history is not this one's to continue).
 */
export function rebuildTurn(
  body: Record<string, unknown>,
  store: ConversationStore,
  ownerId?: string,
): RebuiltTurn | undefined {
  const anchor = body['previous_response_id']
  if (anchor === undefined || anchor === null) return undefined
  if (typeof anchor !== 'string' || anchor === '') {
    throw new BadRequestError(
      '`previous_response_id` must be a string',
      'invalid_request_error',
      'previous_response_id',
    )
  }
  const previous = store.lookup(anchor)
  if (!previous) throw new PreviousResponseNotFoundError('unknown')
  if (ownerId !== undefined && previous.ownerId !== ownerId && previous.ownerId !== 'http') {
    throw new PreviousResponseNotFoundError(
      'foreign',
      `Previous response '${anchor}' belongs to another connection; send the full input instead.`,
    )
  }
  const history = [...previous.input, ...previous.output]
  const { previous_response_id: _anchor, ...rest } = body
  return {
    body: { ...rest, input: [...history, ...newItems(body['input'])] },
    historyItems: history.length,
    previous,
  }
}

/**
 * The input another account can accept: reasoning items carry content encrypted for the account
 * that produced them, so they are left out of the history (the new items are kept as sent).
 */
export function portableInput(input: readonly unknown[], historyItems: number): unknown[] {
  return input.filter(
    (item, i) => i >= historyItems || !(isRecord(item) && item['type'] === 'reasoning'),
  )
}
