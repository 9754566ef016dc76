import { Transform, type Readable, type TransformCallback } from 'node:stream'
import { createGunzip, createInflate, createBrotliDecompress } from 'node:zlib'
import { Decompress as ZstdDecompress } from 'fzstd'
import type { FastifyRequest } from 'fastify'
import { AppError, BadRequestError, PayloadTooLargeError } from '../errors/index.js'

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
    let stream: Readable = payload
    let decoded = false
    for (const encoding of encodings) {
      const decoder = decoderFor(encoding)
      if (decoder === undefined) {
        throw new BadRequestError(`Unsupported Content-Encoding: ${encoding}`, 'invalid_request')
      }
      if (decoder === null) continue
      const source = stream
      source.on('error', (err) => decoder.destroy(err))
      stream = source.pipe(decoder)
      decoded = true
    }
    if (!decoded) return payload
    const capped = stream.pipe(sizeCap(maxDecompressedBytes))
    stream.on('error', (err) => {
      capped.destroy(
        err instanceof AppError
          ? err
          : new BadRequestError('Request body could not be decompressed', 'invalid_request'),
      )
    })
    // Fastify compares content-length with what it reads; after decoding those differ by design.
    delete request.headers['content-length']
    return capped
  }
}
