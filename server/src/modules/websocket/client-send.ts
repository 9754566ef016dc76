import type { WebSocket } from 'ws'

/**
 * Frames shorter than this go out uncompressed even when the client negotiated permessage-deflate
 * (the Codex CLI always offers it). With context takeover `ws` compresses every frame and ignores
 * its own `threshold`; each compressed frame is a zlib thread-pool round trip behind a process-wide
 * limit of 10, and the socket holds its next frames until it returns. Deltas (~150 bytes) are
 * nearly all of a turn's frames: compressing them held 50 sockets to ~1,600 turns/s against
 * ~4,400 (server/bench/websocket-load.ts). RFC 7692 lets each message choose, so big frames
 * (responses echoing instructions and tools, reasoning items) still shrink.
 */
export const COMPRESS_MIN_CHARS = 1024

/** Sends one text frame to a client socket, compressed only if it is big enough to gain from it. */
export function sendText(socket: WebSocket, frame: string, done?: (err?: Error) => void): void {
  // String length, not bytes: cheaper, and only ever lower for non-ASCII text.
  socket.send(frame, { binary: false, compress: frame.length >= COMPRESS_MIN_CHARS }, done)
}
