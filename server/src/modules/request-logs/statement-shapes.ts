import type { Compilable } from 'kysely'

/** A statement ready to run: SQL text and its bound values, in order. */
export interface Statement {
  sql: string
  parameters: readonly unknown[]
}

/** Builds a multi-row statement (an INSERT of these rows) for Kysely to compile. */
export type BuildRows<R> = (rows: R[]) => Compilable

/** How a batch's statements are compiled: Kysely each time, or through a ShapeCache. */
export type CompileRows = <R extends object>(rows: R[], build: BuildRows<R>) => Statement

export const compileEachTime: CompileRows = (rows, build) => build(rows).compile()

/** Stands for the value at this index of a batch's values while a shape is compiled. */
const SLOT = '\u0000codex-lb-slot:'
const MAX_SHAPES = 512

/**
 * Kysely takes microseconds per value to compile a multi-row INSERT: for a 200-row batch about as
 * long as SQLite takes to run it, and on the event loop. The SQL depends only on the batch's shape
 * (which columns each row defines), so each shape is compiled once with placeholder values, and a
 * batch of that shape then only has its values put in the order that compile bound them.
 */
export class ShapeCache {
  #shapes = new Map<string, { sql: string; slots: Array<number | { value: unknown }> }>()

  readonly compile: CompileRows = (rows, build) => {
    const values: unknown[] = []
    // The key: each run of rows with the same columns, as (columns, count): short to hash.
    let key = ''
    let previous = ''
    let run = 0
    for (const row of rows) {
      let columns = ''
      for (const column in row) {
        const value = row[column]
        // Kysely leaves undefined out, as if the column were absent.
        if (value === undefined) continue
        values.push(value)
        columns += `${column},`
      }
      if (columns === previous) run++
      else {
        if (run) key += `${previous}*${run}\n`
        previous = columns
        run = 1
      }
    }
    key += `${previous}*${run}`
    let shape = this.#shapes.get(key)
    if (!shape) {
      shape = compileShape(rows, build)
      this.#shapes.set(key, shape)
      if (this.#shapes.size > MAX_SHAPES) this.#shapes.delete(this.#shapes.keys().next().value!)
    }
    return {
      sql: shape.sql,
      parameters: shape.slots.map((slot) => (typeof slot === 'number' ? values[slot] : slot.value)),
    }
  }
}

function compileShape<R extends object>(rows: R[], build: BuildRows<R>) {
  let index = 0
  const placeholders = rows.map((row) => {
    const out: Record<string, unknown> = {}
    for (const [column, value] of Object.entries(row)) {
      if (value !== undefined) out[column] = `${SLOT}${index++}`
    }
    return out as R
  })
  const compiled = build(placeholders).compile()
  const slots = compiled.parameters.map((p) =>
    typeof p === 'string' && p.startsWith(SLOT) ? Number(p.slice(SLOT.length)) : { value: p },
  )
  if (compiled.sql.includes(SLOT)) throw new Error('a value was inlined into the SQL')
  return { sql: compiled.sql, slots }
}
