/** Narrowing helpers and shared wire facts of AWS Bedrock's Converse API. */
export { arr, isRecord, num, str, type Json } from '../../json'

export const DIALECT = 'bedrock-converse' as const

/** Converse image `format` values, by MIME type. */
export const IMAGE_FORMATS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
}

/** Converse document `format` values, by MIME type. */
export const DOCUMENT_FORMATS: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
}

/** Converse video `format` values, by MIME type (Amazon Nova reads video). */
export const VIDEO_FORMATS: Record<string, string> = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/x-matroska': 'mkv',
  'video/webm': 'webm',
  'video/x-flv': 'flv',
  'video/mpeg': 'mpeg',
  'video/x-ms-wmv': 'wmv',
  'video/3gpp': 'three_gp',
}

/** Tool use ids must match `[a-zA-Z0-9_-]+` (at most 64 characters): other vendors' ids are made to fit. */
export function toolUseId(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)
  return clean === '' ? 'tooluse_' : clean
}

/**
 * A document `name`: Converse allows letters, digits, single spaces, hyphens, parentheses and square
 * brackets (the name is shown to the model; a file name's dot and extension are not allowed).
 */
export function documentName(filename: string | undefined, n: number): string {
  const base = (filename ?? '').replace(/\.[A-Za-z0-9]{1,5}$/, '')
  const clean = base.replace(/[^A-Za-z0-9\s\-()[\]]/g, '-').replace(/\s+/g, ' ').trim()
  return clean === '' ? `document-${n}` : clean.slice(0, 200)
}

/** Arguments JSON text → the `input` object Converse wants; undefined when it is not a JSON object. */
export function parseArguments(args: string): Record<string, unknown> | undefined {
  if (args.trim() === '') return {}
  try {
    const v: unknown = JSON.parse(args)
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
