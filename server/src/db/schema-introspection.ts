import { sql, type DatabaseIntrospector, type Kysely, type TableMetadata } from 'kysely'

/**
 * Kysely's PostgreSQL introspector lists every column of every table in every schema of the
 * database (with a name-based privilege check per schema), and the Migrator calls it up to three
 * times a run only to learn whether its own two tables exist. In a database shared with other
 * schemas that costs time in proportion to all of them, and fails with "schema … does not exist"
 * when another schema is dropped during the query. This one answers for `schema` alone.
 */
class SchemaIntrospector implements DatabaseIntrospector {
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly inner: DatabaseIntrospector,
    private readonly schema: string,
  ) {}

  getSchemas() {
    return this.inner.getSchemas()
  }

  async getTables(): Promise<TableMetadata[]> {
    const rows = await sql<{ name: string; kind: string }>`select c.relname as name,
      c.relkind as kind from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${this.schema} and c.relkind in ('r', 'v', 'p')`.execute(this.db)
    return rows.rows.map((r) => ({
      name: r.name,
      isView: r.kind === 'v',
      columns: [],
      schema: this.schema,
    }))
  }

  async getMetadata() {
    return { tables: await this.getTables() }
  }
}

/**
 * `db` as the Migrator sees it: the same connections, but `introspection` lists the tables of
 * `schema` only (their names; the Migrator reads nothing else).
 */
export function withSchemaIntrospection<T>(db: Kysely<T>, schema: string): Kysely<T> {
  const introspector = new SchemaIntrospector(db as Kysely<unknown>, db.introspection, schema)
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'introspection') return introspector
      const value: unknown = Reflect.get(target, prop, target)
      // Kysely's methods read private fields: they must run on the instance, not the proxy.
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
