import { Transform, pipeline, type Readable, type TransformCallback } from 'node:stream'
import { createGunzip, createInflate, createBrotliDecompress } from 'node:zlib'
import { Decompress as ZstdDecompress } from 'fzstd'
import type { FastifyRequest } from 'fastify'
import { BadRequestError, PayloadTooLargeError } from '../errors/index.js'

/** zstd as a Node Transform: Node 20's zlib has none, and Codex in ChatGPT mode sends zstd bodies. */
function createZstdDecompress(): Transform {
  let push: ((chunk: Uint8Array) => void) | undefined
  const decoder = new ZstdDecompress((chunk) => push?.(chunk))
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      push = (c) => this.push(Buffer.from(c))
      try {
        decoder.push(new Uint8Array(chunk))
        cb()
      } catch (err) {
        cb(err as Error)
      }
    },
    flush(cb: TransformCallback) {
      push = (c) => this.push(Buffer.from(c))
      try {
        decoder.push(new Uint8Array(0), true)
        cb()
      } catch (err) {
        cb(err as Error)
      }
    },
  })
}

function decoderFor(encoding: string): Transform | null | undefined {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip()
    case 'deflate':
      return createInflate()
    case 'br':
      return createBrotliDecompress()
    case 'zstd':
      return createZstdDecompress()
    case 'identity':
      return null
    default:
      return undefined
  }
}

/** Counts decoded bytes and fails with 413 past the cap, so a zip bomb never fills memory. */
function sizeCap(maxBytes: number): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length
      if (seen > maxBytes) cb(new PayloadTooLargeError('Decompressed request body is too large'))
      else cb(null, chunk)
    },
  })
}

/**
 * Fastify preParsing hook: decodes `content-encoding` (applied right to left) with a size cap on the
 * decoded bytes. Errors surface through the scope's error handler, in its envelope.
 */
export function decompressBody(maxDecompressedBytes: number) {
  return async (request: FastifyRequest, _reply: unknown, payload: Readable): Promise<Readable> => {
    const header = request.headers['content-encoding']
    if (!header) return payload
    const encodings = header
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean)
      .reverse()
    const decoders: Transform[] = []
    for (const encoding of encodings) {
      const decoder = decoderFor(encoding)
      if (decoder === undefined) {
        throw new BadRequestError(`Unsupported Content-Encoding: ${encoding}`, 'invalid_request')
      }
      if (decoder !== null) decoders.push(decoder)
    }
    if (decoders.length === 0) return payload
    const capped = sizeCap(maxDecompressedBytes)
    const undecodable = () =>
      new BadRequestError('Request body could not be decompressed', 'invalid_request')
    // Registered before pipeline's own listeners, so the client sees a 400 rather than zlib's text.
    for (const d of decoders) d.once('error', () => capped.destroy(undecodable()))
    // The stages fail together and report once, on the last one (which Fastify reads). The request
    // itself is only piped in, never destroyed: its socket must stay open for the 400/413 answer.
    pipeline([...decoders, capped], (err) => {
      if (err) {
        payload.unpipe(decoders[0])
        payload.resume()
      }
    })
    payload.pipe(decoders[0]!)
    // Fastify compares content-length with what it reads; after decoding those differ by design.
    delete request.headers['content-length']
    return capped
  }
}
