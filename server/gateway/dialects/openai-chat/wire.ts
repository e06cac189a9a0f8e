/** Small narrowing helpers and wire constants shared by the OpenAI Chat Completions codec. */

export const DIALECT = 'openai-chat' as const

export type Json = Record<string, unknown>

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

/** Removes keys whose value is `undefined` (wire bodies never carry them). */
export function compact<T extends Json>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]
  return o
}

/** `data:<mime>;base64,<data>` → its parts, or undefined for any other URL. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(url)
  return m ? { mediaType: m[1]!, data: m[2]! } : undefined
}

export function epochSeconds(): number {
  return Math.floor(Date.now() / 1000)
}
