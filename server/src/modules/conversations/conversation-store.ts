/**
 * What the proxy remembers of recent responses so that a turn sent as `previous_response_id` + new
 * items can always be rebuilt into a full request: the full input of the turn and the output items
 * its response returned. The upstream keeps its own copy only on the socket that produced it, so
 * this record is what lets a conversation move to another account, socket or transport.
 *
 * Memory-capped per owner (a client socket, or `http`) and in total; the oldest entries go first.
 * Entries share item objects with the turns they were built from, so the byte figures are an upper
 * bound of what is really held.
 */
export interface ConversationTurn {
  responseId: string
  /** The client socket that produced it, or `http`. */
  ownerId: string
  /** The account that produced it: reasoning items are only valid there. */
  accountId: string | null
  input: readonly unknown[]
  output: readonly unknown[]
  /** Approximate size (JSON bytes of input and output). */
  bytes: number
}

export interface ConversationStoreOptions {
  maxBytes: number
  maxBytesPerOwner: number
}

export class ConversationStore {
  readonly #turns = new Map<string, ConversationTurn>()
  readonly #ownerBytes = new Map<string, number>()
  #bytes = 0

  constructor(private readonly options: ConversationStoreOptions) {}

  get bytes(): number {
    return this.#bytes
  }

  get size(): number {
    return this.#turns.size
  }

  /** Remembers a completed turn; drops older entries until both caps hold again. */
  remember(turn: ConversationTurn): void {
    this.#delete(turn.responseId)
    if (turn.bytes > this.options.maxBytesPerOwner || turn.bytes > this.options.maxBytes) return
    this.#turns.set(turn.responseId, turn)
    this.#bytes += turn.bytes
    this.#ownerBytes.set(turn.ownerId, (this.#ownerBytes.get(turn.ownerId) ?? 0) + turn.bytes)
    this.#evict(turn.ownerId)
  }

  lookup(responseId: string): ConversationTurn | undefined {
    return this.#turns.get(responseId)
  }

  /** Frees everything an owner left behind (its socket closed). */
  dropOwner(ownerId: string): void {
    if (!this.#ownerBytes.has(ownerId)) return
    for (const [id, turn] of this.#turns) if (turn.ownerId === ownerId) this.#delete(id)
    this.#ownerBytes.delete(ownerId)
  }

  #evict(ownerId: string): void {
    // Map iteration is insertion order: the first entries are the oldest.
    for (const [id, turn] of this.#turns) {
      if ((this.#ownerBytes.get(ownerId) ?? 0) <= this.options.maxBytesPerOwner) break
      if (turn.ownerId === ownerId) this.#delete(id)
    }
    for (const id of this.#turns.keys()) {
      if (this.#bytes <= this.options.maxBytes) break
      this.#delete(id)
    }
  }

  #delete(responseId: string): void {
    const turn = this.#turns.get(responseId)
    if (!turn) return
    this.#turns.delete(responseId)
    this.#bytes -= turn.bytes
    const left = (this.#ownerBytes.get(turn.ownerId) ?? 0) - turn.bytes
    if (left > 0) this.#ownerBytes.set(turn.ownerId, left)
    else this.#ownerBytes.delete(turn.ownerId)
  }
}
