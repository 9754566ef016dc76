export {
  LocalBus,
  parseMessage,
  type ClusterBus,
  type ClusterMessage,
  type ClusterTopic,
} from './bus.js'
export { followPeers, type SharedCaches } from './caches.js'
export { PgNotifyBus } from './pg-bus.js'
