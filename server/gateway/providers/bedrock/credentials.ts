import { isRecord, str } from '../../json'

/** An AWS credential as SigV4 signs with it. */
export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/**
 * A Bedrock key as stored: the JSON text of `{ access_key_id, secret_access_key, session_token? }`
 * (rosetta.yaml may give it as that mapping, which the config schema stores as JSON), or
 * `AKID:SECRET` split at the first colon (secret access keys hold `/` and `+`, never `:`). Returns a
 * sentence naming what is wrong — never the key's content — when it is neither.
 */
export function parseAwsCredentials(text: string): AwsCredentials | string {
  const t = text.trim()
  if (t.startsWith('{')) {
    let doc: unknown
    try {
      doc = JSON.parse(t)
    } catch {
      return 'is not an AWS credential (its JSON does not parse)'
    }
    if (!isRecord(doc)) return 'is not an AWS credential (not a JSON object)'
    const accessKeyId = str(doc.access_key_id)
    const secretAccessKey = str(doc.secret_access_key)
    if (!accessKeyId || !secretAccessKey) return 'is not an AWS credential (it needs access_key_id and secret_access_key)'
    const sessionToken = str(doc.session_token)
    return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey }
  }
  const colon = t.indexOf(':')
  if (colon <= 0 || colon === t.length - 1) return 'is not an AWS credential (write it as ACCESS_KEY_ID:SECRET_ACCESS_KEY or as a mapping with access_key_id and secret_access_key)'
  return { accessKeyId: t.slice(0, colon), secretAccessKey: t.slice(colon + 1) }
}

/** The parts of a stored key that are secret on their own (scrubbed wherever they turn up). */
export function awsSecretParts(text: string): string[] {
  const c = parseAwsCredentials(text)
  if (typeof c === 'string') return []
  return c.sessionToken ? [c.secretAccessKey, c.sessionToken] : [c.secretAccessKey]
}
