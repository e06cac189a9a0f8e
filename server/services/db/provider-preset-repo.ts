import type { SqlDb } from './sql-db'
import type { ProviderConfig } from '../../../shared/schemas/config-file'

/**
 * Which preset a provider was made from, and its own quirk overrides. Kept as one `settings` row
 * per provider (`provider_preset:<id>`, JSON) rather than new columns: issue 18's preset work had
 * no migration number, and these two values are read once per snapshot, never per request.
 */
export interface ProviderPresetRow {
  preset: string | null
  quirks: ProviderConfig['quirks'] | null
}

const PREFIX = 'provider_preset:'

export async function writeProviderPreset(db: SqlDb, p: Pick<ProviderConfig, 'id' | 'preset' | 'quirks'>): Promise<void> {
  const quirks = p.quirks && Object.keys(p.quirks).length > 0 ? p.quirks : null
  if (!p.preset && !quirks) {
    await deleteProviderPreset(db, p.id)
    return
  }
  const value = JSON.stringify({ preset: p.preset ?? null, quirks })
  await db.run('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()', [PREFIX + p.id, value])
}

export async function deleteProviderPreset(db: SqlDb, providerId: string): Promise<void> {
  await db.run('DELETE FROM settings WHERE key = $1', [PREFIX + providerId])
}

/** Every provider's preset row, by provider id (a row that does not parse is ignored: the provider then has none). */
export async function loadProviderPresets(db: SqlDb): Promise<Map<string, ProviderPresetRow>> {
  const rows = await db.all<{ key: string; value: string }>(`SELECT key, value FROM settings WHERE key LIKE '${PREFIX}%'`)
  const out = new Map<string, ProviderPresetRow>()
  for (const r of rows) {
    let v: unknown
    try {
      v = JSON.parse(r.value)
    } catch {
      continue
    }
    if (typeof v !== 'object' || v === null) continue
    const o = v as Record<string, unknown>
    out.set(r.key.slice(PREFIX.length), {
      preset: typeof o.preset === 'string' ? o.preset : null,
      quirks: typeof o.quirks === 'object' && o.quirks !== null ? (o.quirks as ProviderConfig['quirks']) : null,
    })
  }
  return out
}
