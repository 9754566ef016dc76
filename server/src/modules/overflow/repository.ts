import type { Kysely } from 'kysely'
import type { Database, OverflowUpstreamRow, OverflowUpstreamsTable } from '../../db/schema.js'

/** What the service writes: every column but the id and the timestamps, which are set here. */
export type OverflowUpstreamWrite = Omit<OverflowUpstreamsTable, 'id' | 'created_at' | 'updated_at'>

/** The overflow_upstreams table; the key stays encrypted here, the service decrypts it. */
export class OverflowRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(): Promise<OverflowUpstreamRow[]> {
    return this.db
      .selectFrom('overflow_upstreams')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  }

  find(id: string): Promise<OverflowUpstreamRow | undefined> {
    return this.db
      .selectFrom('overflow_upstreams')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
  }

  async insert(id: string, row: OverflowUpstreamWrite, now: number): Promise<void> {
    await this.db
      .insertInto('overflow_upstreams')
      .values({ id, ...row, created_at: now, updated_at: now })
      .execute()
  }

  async update(id: string, patch: Partial<OverflowUpstreamWrite>, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('overflow_upstreams')
      .set({ ...patch, updated_at: now })
      .where('id', '=', id)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('overflow_upstreams')
      .where('id', '=', id)
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }
}
