import type { PgDatabase } from './pg-database'
import { lockKey } from './pg-database'
import { PARTITIONED_TABLES } from '../migrations/postgres'
import { logger } from '../../../utils/logger'

export type PartitionedTable = (typeof PARTITIONED_TABLES)[number]

const DAY_MS = 86_400_000

/** The UTC day a time falls in, as `YYYYMMDD` (the partition's suffix). */
export const dayOf = (t: Date | number) => new Date(typeof t === 'number' ? t : t.getTime()).toISOString().slice(0, 10).replaceAll('-', '')

const startOf = (day: string) => `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`
const nextDay = (day: string) => dayOf(Date.parse(`${startOf(day)}T00:00:00Z`) + DAY_MS)

export interface DayPartition {
  name: string
  day: string
  /** Start and end (exclusive) of the range, epoch ms. */
  from: number
  to: number
}

/**
 * The day partitions of the two log tables (request_log_pYYYYMMDD, request_bodies_pYYYYMMDD). Rows
 * whose day has no partition yet land in the table's DEFAULT partition; creating a day moves its rows
 * out of the default one first (a partition cannot be attached over rows the default one holds for
 * its range). Any instance may call this: an advisory transaction lock makes them take turns.
 */
export async function ensureDayPartition(db: PgDatabase, table: PartitionedTable, day: string): Promise<boolean> {
  const name = `${table}_p${day}`
  return db.transaction(async (tx) => {
    await tx.run('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(`partitions:${table}`)])
    const [exists] = await tx.all<{ r: string | null }>('SELECT to_regclass($1) AS r', [name])
    if (exists?.r) return false
    const from = `${startOf(day)} 00:00:00`
    const to = `${startOf(nextDay(day))} 00:00:00`
    await tx.run(`CREATE TABLE ${name} (LIKE ${table} INCLUDING DEFAULTS)`)
    await tx.run(`WITH moved AS (DELETE FROM ${table}_default WHERE ts >= '${from}' AND ts < '${to}' RETURNING *) INSERT INTO ${name} SELECT * FROM moved`)
    await tx.run(`ALTER TABLE ${table} ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`)
    return true
  })
}

/** Every day partition of a table (the default one excluded), oldest first. */
export async function listDayPartitions(db: PgDatabase, table: PartitionedTable): Promise<DayPartition[]> {
  const rows = await db.all<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = $1 AND c.relname ~ '_p[0-9]{8}$' ORDER BY c.relname`,
    [table],
  )
  return rows.map(({ name }) => {
    const day = name.slice(-8)
    const from = Date.parse(`${startOf(day)}T00:00:00Z`)
    return { name, day, from, to: from + DAY_MS }
  })
}

/**
 * Keeps today's and the next `aheadDays` days' partitions in place: at boot and then every hour, so
 * a row written after midnight finds its partition already there.
 */
export class PartitionKeeper {
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly db: PgDatabase,
    private readonly aheadDays = 2,
  ) {}

  async ensure(now = Date.now()): Promise<number> {
    let created = 0
    for (const table of PARTITIONED_TABLES)
      for (let d = 0; d <= this.aheadDays; d++) if (await ensureDayPartition(this.db, table, dayOf(now + d * DAY_MS))) created++
    return created
  }

  start(intervalMs = 3_600_000): void {
    this.timer = setInterval(() => void this.ensure().catch((e) => logger.error('log partitions not created', { error: (e as Error).message })), intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }
}
