import type { UpstreamDialect } from './dialect'
import type { FilePart } from './content'
import { GatewayError } from '../errors'

/** What a file part is, in words a person reads in an error: "audio input", "PDF document". */
export function describeFile(p: FilePart): string {
  if (p.mediaType.startsWith('audio/')) return 'audio input'
  if (p.mediaType.startsWith('video/')) return 'video input'
  if (p.mediaType === 'application/pdf') return 'PDF document'
  return `file of type ${p.mediaType}`
}

/** Audio MIME type → OpenAI `input_audio.format` (only wav and mp3 exist there). */
export function audioFormat(mediaType: string): 'wav' | 'mp3' | undefined {
  const m = mediaType.toLowerCase()
  if (m === 'audio/wav' || m === 'audio/x-wav' || m === 'audio/wave') return 'wav'
  if (m === 'audio/mpeg' || m === 'audio/mp3') return 'mp3'
  return undefined
}

/** `data:<type>;base64,<data>` → its parts, or undefined when it is not a base64 data URL. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const m = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url)
  return m ? { mediaType: m[1]!, data: m[2]! } : undefined
}

/**
 * The 400 for a part the target cannot carry: "messages[0].content[1]: audio input cannot be sent to
 * anthropic". `fallbackAt` names the IR position when the decoder recorded no client path.
 */
export function cannotCarry(p: FilePart, target: UpstreamDialect, fallbackAt: string, why?: string): GatewayError {
  const at = p.at ?? fallbackAt
  return new GatewayError('unsupported', `${at}: ${describeFile(p)} cannot be sent to ${target}${why ? ` (${why})` : ''}`, { param: at })
}
