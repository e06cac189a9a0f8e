import { PRESET_IDS, presetById, presetFields, type Preset } from '../shared/presets'
import { CliError, EXIT } from './client'

/**
 * `providers add --preset`: the provider the preset stands for (type, base URL, auth), the
 * options given on the command line laid over it. The preset data is compiled into the CLI
 * (shared/presets), the same data the server fills `preset:` entries from.
 */
export function presetOrFail(id: string): Preset {
  const p = presetById(id)
  if (!p) throw new CliError(`unknown preset '${id}' (known: ${PRESET_IDS.join(', ')}; see \`rosetta providers presets\`)`, EXIT.usage)
  return p
}

export function presetProviderFields(p: Preset, china: boolean): Record<string, unknown> {
  if (china && !p.baseUrlChina) throw new CliError(`preset '${p.id}' has no separate mainland China site`, EXIT.usage)
  const fields = presetFields(p)
  return { ...fields, ...(china ? { base_url: p.baseUrlChina } : {}), preset: p.id }
}

/** One row of `rosetta providers presets`. */
export function presetRow(p: Preset) {
  return {
    id: p.id,
    vendor: p.label,
    type: p.type,
    base_url: p.baseUrl ?? p.baseUrlTemplate ?? '',
    china_base_url: p.baseUrlChina ?? '',
    settings: p.settings ?? [],
    models: p.models.length,
  }
}
