export { ConversationStore, type ConversationTurn } from './conversation-store.js'
export { rebuildTurn, portableInput, PreviousResponseNotFoundError } from './rebuild.js'
