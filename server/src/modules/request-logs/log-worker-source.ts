/**
 * The SQLite log worker's code, run with `new Worker(…, { eval: true })`: a string, so the same
 * code runs from server/dist, from tsx and under Vitest (a worker file would be .ts in two of them).
 * It owns a second connection to the database file (WAL: the main connection's readers go on) and
 * runs each batch's compiled statements in one transaction, answering 'written' or an error.
 *
 * `marks` (shared memory) holds [attempt id, rowid and row count of its first INSERT] from before
 * COMMIT: if the thread dies with an attempt in flight, the main thread knows whether it may have
 * committed, and the retry first checks that row (`check`) instead of writing the batch twice.
 *
 * It also runs the database's WAL checkpoints (the main connection's automatic ones are off while
 * it lives), so their fsyncs do not land on the event loop. `fault` is fault injection for tests.
 */
export const LOG_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs })
db.pragma('synchronous = NORMAL')
db.pragma('foreign_keys = ON')
db.pragma('busy_timeout = ' + Number(workerData.busyTimeoutMs))
// Checkpoints only on the timer below: one run by a COMMIT (fsyncs, ms) would keep the main thread
// waiting on the 'writing' flag long after the lock was free.
db.pragma('wal_autocheckpoint = 0')
const marks = new Float64Array(workerData.marks)
const statements = new Map()

function prepared(sql) {
  let statement = statements.get(sql)
  if (!statement) {
    statement = db.prepare(sql)
    statements.set(sql, statement)
    if (statements.size > 64) statements.delete(statements.keys().next().value)
  }
  return statement
}

function alreadyWritten(check) {
  const row = prepared('select request_id, requested_at from request_logs where id = ?').get(check.rowid)
  return row !== undefined && row.request_id === check.requestId && row.requested_at === check.requestedAt
}

// 1 while this thread holds the write lock: the main thread waits on it (db/open.ts), not in
// SQLite's busy handler. Set after BEGIN: raised while waiting for the lock, the main thread would
// wait out this thread's busy-handler sleeps too.
const writing = new Int32Array(workerData.writing)

function write(message) {
  db.exec('BEGIN IMMEDIATE')
  Atomics.store(writing, 0, 1)
  try {
    return writeLocked(message)
  } finally {
    Atomics.store(writing, 0, 0)
    Atomics.notify(writing, 0)
  }
}

function writeLocked(message) {
  try {
    if (message.check && alreadyWritten(message.check)) {
      db.exec('ROLLBACK')
      return 'already-written'
    }
    message.statements.forEach((statement, i) => {
      const info = prepared(statement.sql).run(statement.parameters)
      if (i === 0) {
        marks[1] = Number(info.lastInsertRowid)
        marks[2] = info.changes
        marks[0] = message.id
      }
    })
    if (message.fault === 'exit-before-commit') process.exit(70)
    db.exec('COMMIT')
    if (message.fault === 'exit-after-commit') process.exit(70)
    return 'written'
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK')
    throw err
  }
}

const checkpoints = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch {
    // Busy or away: the next one catches up.
  }
}, workerData.checkpointEveryMs)

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    clearInterval(checkpoints)
    try {
      db.pragma('wal_checkpoint(PASSIVE)')
    } catch {}
    db.close()
    parentPort.close()
    return
  }
  try {
    parentPort.postMessage({ id: message.id, outcome: write(message) })
  } catch (err) {
    parentPort.postMessage({ id: message.id, error: { message: String(err && err.message), code: err && err.code } })
  }
})
`
