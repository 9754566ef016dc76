export { ConversationStore, type ConversationTurn } from './conversation-store.js'
export { rebuildTurn, portableInput, PreviousResponseNotFoundError } from './rebuild.js'
export { TurnOutput } from './turn-output.js'
