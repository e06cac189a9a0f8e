/**
 * Configuration and security tables' rows as `all()` returns them (getRowObjectsJson): column names
 * as in the migrations; VARCHAR → string, INTEGER/DOUBLE → number, BIGINT → string (JSON has no
 * 64-bit integers), TIMESTAMP → `2025-01-01 10:00:00.123` (UTC), JSON → its text or its value. The
 * repositories map them to the camelCase records the rest of the code uses.
 */

/** A BIGINT column: read it with Number(). */
type BigIntColumn = string | number
/** A JSON column: read it with `jsonColumn`. */
type JsonColumn = unknown

export interface ProvidersTableRow {
  id: string
  type: string
  base_url: string | null
  key_strategy: string
  auth_header: string | null
  auth_template: string | null
  headers: JsonColumn
  timeout_ms: number
  enabled: boolean
  source: string
  position: number
  capabilities: JsonColumn
  /** Migration 18: the type's own settings (`api_version`, `project`, `location`, `region`). */
  options: JsonColumn
}

export interface ProviderKeysTableRow {
  id: number
  provider_id: string
  name: string | null
  key_cipher: string
  key_hash: string
  key_hint: string
  weight: number
  max_concurrency: number | null
  enabled: boolean
  source: string
  position: number
  /** Null until filled in at boot for keys stored before migration 11. */
  fingerprint: string | null
}

export interface ModelEntriesTableRow {
  name: string
  targets: JsonColumn
  fallbacks: JsonColumn
  enabled: boolean
  source: string
  position: number
  cache: JsonColumn
  plugins: JsonColumn
}

export interface RoutesTableRow {
  name: string
  match_type: 'exact' | 'prefix' | 'keyword' | 'regex'
  pattern: string
  provider_id: string
  model_template: string
  priority: number
  enabled: boolean
  source: string
  position: number
  cache: JsonColumn
  plugins: JsonColumn
}

export interface ClientKeysTableRow {
  name: string
  key_hash: string
  key_hint: string
  models: JsonColumn
  rpm: number | null
  enabled: boolean
  source: string
  created_at: string
  owner: string | null
  expires_at: string | null
  tpm: number | null
  day_tokens: BigIntColumn | null
  month_tokens: BigIntColumn | null
  day_usd: number | null
  month_usd: number | null
  cache: JsonColumn
  plugins: JsonColumn
}

export interface AdminTokensTableRow {
  name: string
  token_hash: string
  token_hint: string
  role: string
  can_view_bodies: boolean
  enabled: boolean
  expires_at: string | null
  created_at: string
  created_by: string | null
}

export interface SessionsTableRow {
  id_hash: string
  subject_kind: string
  subject_name: string
  role: string
  can_view_bodies: boolean
  created_at: string
  expires_at: string
  ip: string | null
  user_agent: string | null
}

export interface AuditLogTableRow {
  id: BigIntColumn
  ts: string
  actor: string | null
  role: string | null
  ip: string | null
  action: string
  target: string | null
  outcome: string
  detail: string | null
  before: JsonColumn
  after: JsonColumn
}

/** A JSON column's value: its text parsed, the value itself, or `fallback` when NULL. */
export function jsonColumn<T>(v: unknown, fallback: T): T {
  return typeof v === 'string' ? (JSON.parse(v) as T) : ((v as T | null | undefined) ?? fallback)
}
