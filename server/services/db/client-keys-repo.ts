import type { SqlDb } from './sql-db'
import type { ClientKeyCreate } from '../../../shared/schemas/security'
import { isoOf } from './admin-tokens-repo'
import type { ClientKeyRecord } from './config-writes'
import { jsonColumn, type ClientKeysTableRow } from './table-rows'

/** A client key as the admin API sees it: never the secret (nor its hash), only its masked hint. */
export interface ClientKeyRow extends Omit<ClientKeyRecord, 'keyHash'> {
  /** 'file' rows belong to rosetta.yaml and are read-only through the API. */
  source: string
  createdAt: string
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))

/** A client_keys row's fields as stored, without the hash (the admin API's and the config loader's view). */
export function clientKeyFields(r: ClientKeysTableRow): Omit<ClientKeyRow, 'createdAt'> {
  return {
    name: r.name,
    hint: r.key_hint,
    owner: r.owner ?? null,
    models: jsonColumn<string[] | null>(r.models, null),
    enabled: r.enabled,
    expiresAt: r.expires_at ? isoOf(r.expires_at) : null,
    rpm: num(r.rpm),
    tpm: num(r.tpm),
    dayTokens: num(r.day_tokens),
    monthTokens: num(r.month_tokens),
    dayUsd: num(r.day_usd),
    monthUsd: num(r.month_usd),
    source: r.source,
    cache: jsonColumn<ClientKeyRecord['cache']>(r.cache, null),
    plugins: jsonColumn<ClientKeyRecord['plugins']>(r.plugins, null),
  }
}

function toRow(r: ClientKeysTableRow): ClientKeyRow {
  return { ...clientKeyFields(r), createdAt: isoOf(r.created_at) }
}

export async function listClientKeys(db: SqlDb): Promise<ClientKeyRow[]> {
  return (await db.all<ClientKeysTableRow>('SELECT * FROM client_keys ORDER BY name')).map(toRow)
}

export async function getClientKey(db: SqlDb, name: string): Promise<ClientKeyRow | undefined> {
  const r = await db.all<ClientKeysTableRow>('SELECT * FROM client_keys WHERE name = $1', [name])
  return r[0] ? toRow(r[0]) : undefined
}

const COLUMNS = 'owner = $2, models = $3, enabled = $4, expires_at = $5::TIMESTAMP, rpm = $6, tpm = $7, day_tokens = $8, month_tokens = $9, day_usd = $10, month_usd = $11'

function values(k: Omit<ClientKeyCreate, 'name'> & { name: string }) {
  return [k.name, k.owner, k.models ? JSON.stringify(k.models) : null, k.enabled, k.expiresAt, k.rpm, k.tpm, k.dayTokens, k.monthTokens, k.dayUsd, k.monthUsd]
}

export async function insertClientKey(db: SqlDb, k: ClientKeyCreate, keyHash: string, hint: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run(`INSERT INTO client_keys (name, key_hash, key_hint, enabled, source) VALUES ($1, $2, $3, $4, 'db')`, [k.name, keyHash, hint, k.enabled])
    await tx.run(`UPDATE client_keys SET ${COLUMNS} WHERE name = $1`, values(k))
  })
}

export async function updateClientKey(db: SqlDb, k: ClientKeyRow): Promise<void> {
  await db.run(`UPDATE client_keys SET ${COLUMNS} WHERE name = $1`, values(k))
}

export async function deleteClientKey(db: SqlDb, name: string): Promise<void> {
  await db.run("DELETE FROM client_keys WHERE name = $1 AND source = 'db'", [name])
}

/**
 * Tokens (and cost, once the request log has it) each client key used today and this month (UTC),
 * read once at boot so budgets survive a restart.
 */
export async function usageSince(db: SqlDb, dayStart: Date, monthStart: Date): Promise<Array<{ name: string; dayTokens: number; monthTokens: number; dayUsd: number; monthUsd: number }>> {
  const q = (cost: string) => `
    SELECT client_key AS name,
      sum(CASE WHEN ts >= $1::TIMESTAMP THEN coalesce(input_tokens, 0) + coalesce(output_tokens, 0) ELSE 0 END) AS day_tokens,
      sum(coalesce(input_tokens, 0) + coalesce(output_tokens, 0)) AS month_tokens,
      sum(CASE WHEN ts >= $1::TIMESTAMP THEN ${cost} ELSE 0 END) AS day_usd,
      sum(${cost}) AS month_usd
    FROM request_log WHERE ts >= $2::TIMESTAMP AND client_key IS NOT NULL GROUP BY client_key`
  const params = [dayStart.toISOString().replace('Z', ''), monthStart.toISOString().replace('Z', '')]
  // Sums of BIGINT/DOUBLE: HUGEINT and DOUBLE come back as strings or numbers; read with Number().
  type UsageRow = { name: string; day_tokens: unknown; month_tokens: unknown; day_usd: unknown; month_usd: unknown }
  let rows: UsageRow[]
  try {
    rows = await db.all<UsageRow>(q('coalesce(cost_usd, 0)'), params)
  } catch {
    rows = await db.all<UsageRow>(q('0'), params) // a request log without the cost column yet
  }
  return rows.map((r) => ({ name: r.name, dayTokens: Number(r.day_tokens), monthTokens: Number(r.month_tokens), dayUsd: Number(r.day_usd), monthUsd: Number(r.month_usd) }))
}
