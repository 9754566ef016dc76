export { chatRoutes, type ChatRoutesOptions } from './routes.js'
export { responsesBodyFromMessages } from './message-coercion.js'
