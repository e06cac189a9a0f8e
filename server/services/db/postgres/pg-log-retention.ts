import { forgetRollups } from './rollups'
import type { PgDatabase } from './pg-database'
import { lockKey } from './pg-database'
import { listDayPartitions, type PartitionedTable } from './partitions'
import { RetentionSchedule, type RetentionPolicy, type RetentionResult } from '../../log/log-retention'
import { logger } from '../../../utils/logger'

/**
 * Retention on PostgreSQL: whole days go by dropping their partition (no row-by-row DELETE, no
 * bloat, space back at once); only the day the cutoff falls in and the default partition see a
 * DELETE. Over the size cap, the oldest days go, bodies first. One instance at a time: the others
 * find the advisory lock taken and skip the round.
 */
export class PgLogRetention extends RetentionSchedule {
  constructor(
    private readonly db: PgDatabase,
    private readonly policy: RetentionPolicy,
  ) {
    super()
  }


  protected async enforce(now: Date): Promise<RetentionResult> {
    const client = await this.db.pool.connect()
    const key = lockKey('log-retention')
    try {
      const [got] = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key])).rows
      if (!got?.ok) return { metadataDeleted: 0, bodiesDeleted: 0, sizeDeleted: 0, usedMb: await this.usedMb() }
      try {
        const day = 86_400_000
        const metadataDeleted = await this.deleteBefore('request_log', new Date(now.getTime() - this.policy.metadataDays * day))
        const bodiesDeleted = await this.deleteBefore('request_bodies', new Date(now.getTime() - this.policy.bodyDays * day))
        let sizeDeleted = 0
        let usedMb = await this.usedMb()
        const today = now.getTime() - (now.getTime() % day)
        // Over the cap: the oldest closed day goes (bodies first), then measure again. Today stays.
        while (this.policy.maxDbMb > 0 && usedMb > this.policy.maxDbMb) {
          const oldest = async (t: PartitionedTable) => (await listDayPartitions(this.db, t)).find((p) => p.from < today)
          const victim = (await oldest('request_bodies')) ? 'request_bodies' : (await oldest('request_log')) ? 'request_log' : null
          if (!victim) break
          const p = (await oldest(victim))!
          sizeDeleted += await this.dropPartition(p.name)
          // The day's rollups go with its log rows (a partition holds whole UTC days: no span is cut).
          if (victim === 'request_log') await forgetRollups(this.db, p.from, p.to)
          usedMb = await this.usedMb()
        }
        const result = { metadataDeleted, bodiesDeleted, sizeDeleted, usedMb }
        this.last = { ...result, at: now.toISOString() }
        if (metadataDeleted || bodiesDeleted || sizeDeleted) logger.info('log retention', { ...result })
        return result
      } finally {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined)
      }
    } finally {
      client.release()
    }
  }

  private async dropPartition(name: string): Promise<number> {
    const n = Number((await this.db.all<{ n: string }>(`SELECT count(*) AS n FROM ${name}`))[0]?.n ?? 0)
    await this.db.run(`DROP TABLE ${name}`)
    return n
  }

  private async deleteBefore(table: PartitionedTable, cutoff: Date): Promise<number> {
    let n = 0
    for (const p of await listDayPartitions(this.db, table)) if (p.to <= cutoff.getTime()) n += await this.dropPartition(p.name)
    // The day the cutoff falls in and the default partition: partition pruning keeps this to them.
    const r = await this.db.pool.query(`DELETE FROM ${table} WHERE ts < $1::timestamp`, [cutoff.toISOString()])
    // The rollups follow: those of the time before the cutoff go, the minute, hour and day it cuts are rolled again.
    if (table === 'request_log') await forgetRollups(this.db, 0, cutoff.getTime())
    return n + (r.rowCount ?? 0)
  }

  async usedMb(): Promise<number> {
    const [r] = await this.db.all<{ b: string }>('SELECT pg_database_size(current_database()) AS b')
    return Number(r?.b ?? 0) / 1_048_576
  }

}
