import { util, type Dispatcher } from 'undici'

/** Headers as undici's `request` gives them: lower-case names, repeated ones as arrays. */
export type ResponseHeaders = Record<string, string | string[] | undefined>

export interface StreamedResponse {
  status: number
  headers: ResponseHeaders
  /** The body's chunks as they arrive; throws what broke the connection (or the abort reason). */
  chunks: AsyncIterableIterator<Buffer>
}

export interface StreamRequest {
  path: string
  origin: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  body: string | null
  signal: AbortSignal | null
  headersTimeout: number
  bodyTimeout: number
}

// Past this much unread body the socket is paused until the reader catches up.
const HIGH_WATER_BYTES = 64 * 1024

type Waiter = { resolve: (r: IteratorResult<Buffer>) => void; reject: (err: unknown) => void }

/**
 * One streamed request straight through `dispatcher.dispatch`: the body is handed over chunk by
 * chunk as undici parses it, with backpressure, without the Readable and AbortSignal plumbing of
 * undici's `request()` — on the proxy's hot path that plumbing cost more than the relay itself.
 * Errors are undici's own (timeouts keep their `UND_ERR_*` codes), so failure classification holds.
 */
export function dispatchStream(
  dispatcher: Dispatcher,
  req: StreamRequest,
): Promise<StreamedResponse> {
  return new Promise((resolveHead, rejectHead) => {
    let headersSeen = false
    let abortFn: ((reason: Error) => void) | undefined
    let resumeFn: (() => void) | undefined
    let paused = false
    const queue: Buffer[] = []
    let queued = 0
    let ended = false
    let failure: unknown
    let waiter: Waiter | undefined
    const { signal } = req

    const onAbort = () => abortFn?.(signal?.reason ?? new Error('aborted'))
    const settle = () => {
      signal?.removeEventListener('abort', onAbort)
      if (!waiter) return
      const w = waiter
      waiter = undefined
      if (failure !== undefined && queue.length === 0) w.reject(failure)
      else if (queue.length === 0) w.resolve({ done: true, value: undefined })
    }
    const chunks: AsyncIterableIterator<Buffer> = {
      next() {
        const chunk = queue.shift()
        if (chunk) {
          queued -= chunk.length
          if (paused && queued < HIGH_WATER_BYTES) {
            paused = false
            resumeFn?.()
          }
          return Promise.resolve({ done: false, value: chunk })
        }
        if (failure !== undefined) return Promise.reject(failure)
        if (ended) return Promise.resolve({ done: true, value: undefined })
        return new Promise((resolve, reject) => (waiter = { resolve, reject }))
      },
      return() {
        // The reader stopped early: nothing more is wanted from this connection.
        if (!ended && failure === undefined) abortFn?.(new Error('body no longer read'))
        return Promise.resolve({ done: true, value: undefined })
      },
      [Symbol.asyncIterator]() {
        return this
      },
    }

    if (signal?.aborted) {
      rejectHead(signal.reason ?? new Error('aborted'))
      return
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    dispatcher.dispatch(
      {
        origin: req.origin,
        path: req.path,
        method: req.method,
        headers: req.headers,
        body: req.body,
        headersTimeout: req.headersTimeout,
        bodyTimeout: req.bodyTimeout,
      },
      {
        onConnect(abort: (reason: Error) => void) {
          abortFn = abort
          if (signal?.aborted) abort(signal.reason ?? new Error('aborted'))
        },
        onHeaders(status: number, raw: Buffer[], resume: () => void): boolean {
          if (status < 200) return true
          headersSeen = true
          resumeFn = resume
          resolveHead({ status, headers: util.parseHeaders(raw) as ResponseHeaders, chunks })
          return true
        },
        onData(chunk: Buffer): boolean {
          if (waiter) {
            const w = waiter
            waiter = undefined
            w.resolve({ done: false, value: chunk })
            return true
          }
          queue.push(chunk)
          queued += chunk.length
          paused = queued >= HIGH_WATER_BYTES
          return !paused
        },
        onComplete() {
          ended = true
          settle()
        },
        onError(err: Error) {
          if (!headersSeen) {
            signal?.removeEventListener('abort', onAbort)
            rejectHead(err)
            return
          }
          failure = err
          settle()
        },
      } as unknown as Dispatcher.DispatchHandler,
    )
  })
}
