import type { DuckDBConnection } from '@duckdb/node-api'
import type { BatchTable, ColumnType } from './batch-inserter'

/**
 * Where one lane of a BatchInserter sends its chunks: a statement on a connection of its own, fed one
 * chunk of JSON lines (one JSON array per row, values in column order) as UTF-8 bytes or text. One
 * per engine.
 */
export interface BatchTarget {
  insert(lines: Uint8Array | string): Promise<void>
  close(): void
}

/** DuckDB: a prepared `INSERT … SELECT` on the lane's own connection; DuckDB parses and casts on its threads. */
export async function duckBatchTarget<T>(connect: () => Promise<DuckDBConnection>, spec: BatchTable<T>): Promise<BatchTarget> {
  const conn = await connect()
  try {
    const stmt = await conn.prepare(insertSql(spec))
    return {
      async insert(lines) {
        // Bytes bind as a BLOB: one copy, where a string is converted to UTF-8 on the event loop.
        if (typeof lines === 'string') stmt.bindBlob(1, Buffer.from(lines, 'utf8'))
        else stmt.bindBlob(1, lines)
        await stmt.run()
      },
      close: () => conn.closeSync(),
    }
  } catch (e) {
    conn.closeSync()
    throw e
  }
}

/**
 * `INSERT INTO t (cols) SELECT … FROM` one JSON array per line (the chunk's UTF-8 bytes, decoded to text by DuckDB): from_json gives each line as VARCHAR[]
 * (nested values as their JSON text, null as NULL), and each column is cast to its type.
 */
function insertSql<T>(spec: BatchTable<T>): string {
  const cast = ([, type]: readonly [string, ColumnType], i: number) => {
    const v = `r[${i + 1}]`
    if (type === 'TIMESTAMP') return `epoch_ms(CAST(${v} AS BIGINT))`
    // A JSON column takes the text as it is (DuckDB checks it on the implicit cast).
    return type === 'VARCHAR' || type === 'JSON' ? v : `CAST(${v} AS ${type})`
  }
  return `INSERT INTO ${spec.table} (${spec.columns.map(([n]) => n).join(', ')})
    SELECT ${spec.columns.map(cast).join(', ')}
    FROM (SELECT from_json(unnest(string_split(decode($1::BLOB), chr(10))), '["VARCHAR"]') AS r)`
}
