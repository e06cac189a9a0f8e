import { parse as parseYaml } from 'yaml'
import { isRecord, str } from '../../json'

/** What the token exchange reads from a Google service-account key file. */
export interface ServiceAccount {
  clientEmail: string
  privateKey: string
  privateKeyId?: string
  tokenUri: string
}

/** Google's token endpoint, for a key file that names none (every real one does). */
export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token'

/**
 * A Vertex key as stored: the service-account JSON file's text (rosetta.yaml may also give it as a
 * YAML mapping, which the config schema stores as that JSON; YAML text pasted as a string is read
 * too). Returns a sentence naming what is wrong — never the key's content — when it is not one.
 */
export function parseServiceAccount(text: string): ServiceAccount | string {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    try {
      doc = parseYaml(text)
    } catch {
      return 'is not a service-account key (neither JSON nor YAML)'
    }
  }
  if (!isRecord(doc)) return 'is not a service-account key (not a JSON object)'
  const clientEmail = str(doc.client_email)
  const privateKey = str(doc.private_key)
  if (!clientEmail || !privateKey) return 'is not a service-account key (it needs client_email and private_key)'
  const tokenUri = str(doc.token_uri) ?? GOOGLE_TOKEN_URI
  if (!/^https?:\/\//.test(tokenUri)) return 'has a token_uri that is not an http(s) URL'
  return { clientEmail, privateKey, privateKeyId: str(doc.private_key_id), tokenUri }
}
