export { ConversationStore, type ConversationTurn } from './conversation-store.js'
export {
  rebuildTurn,
  portableInput,
  PreviousResponseNotFoundError,
  type RebuiltTurn,
} from './rebuild.js'
export {
  continuationOf,
  rememberTurn,
  type Continuation,
  type ObservedOutput,
} from './continuation.js'
