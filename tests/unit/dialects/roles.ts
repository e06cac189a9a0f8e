import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The roles every dialect folder plays, one file each, with the same names everywhere (issue 20
 * item 2; docs/architecture.md "Adding a dialect"). A role file may hold more than these exports;
 * dialect-specific helpers live in files of their own (gemini/schema.ts, openai-chat/reasoning.ts).
 * `decode-messages.ts` / `encode-messages.ts` hold the conversation (whatever the wire calls it:
 * Chat and Anthropic `messages`, Responses `input`, Gemini `contents`).
 */
export const ROLE_EXPORTS: Record<string, readonly string[]> = {
  // The codec itself: every DialectCodec member, re-exported from the role files below.
  'index.ts': ['name', 'decodeRequest', 'encodeRequest', 'decodeResponse', 'encodeResponse', 'createStreamDecoder', 'isTerminalFrame', 'createStreamEncoder', 'decodeError', 'encodeError', 'decodeUsage'],
  'wire.ts': ['DIALECT', 'isRecord', 'str', 'num'],
  'decode-request.ts': ['decodeRequest'],
  'encode-request.ts': ['encodeRequest'],
  'decode-messages.ts': ['decodeMessages'],
  'encode-messages.ts': ['encodeMessages'],
  'decode-response.ts': ['decodeResponse'],
  'encode-response.ts': ['encodeResponse'],
  'decode-stream.ts': ['createStreamDecoder', 'isTerminalFrame'],
  'encode-stream.ts': ['createStreamEncoder'],
  'errors.ts': ['decodeError', 'encodeError'],
  'map-finish-reason.ts': ['decodeFinishReason', 'encodeFinishReason'],
  'usage.ts': ['decodeUsage', 'encodeUsage', 'decodeResponseUsage'],
  // The wire facts of its own vendor: URLs, auth header, model list and probe, its public doors (issue 18).
  'transport.ts': ['transport'],
}

/** The unit test files every production dialect has under tests/unit/dialects/<name>/. */
export const ROLE_TESTS = ['request.test.ts', 'response.test.ts', 'decode-stream.test.ts', 'encode-stream.test.ts', 'errors.test.ts'] as const

/** What a dialect folder lacks: `file` or `file: export`, empty when it plays every role. */
export async function missingRoles(dir: string): Promise<string[]> {
  const missing: string[] = []
  for (const [file, names] of Object.entries(ROLE_EXPORTS)) {
    const path = join(dir, file)
    if (!existsSync(path)) {
      missing.push(file)
      continue
    }
    const mod = (await import(path)) as Record<string, unknown>
    for (const name of names) if (mod[name] === undefined) missing.push(`${file}: ${name}`)
  }
  return missing
}

/** The role test files missing from a dialect's test folder. */
export function missingRoleTests(dir: string): string[] {
  return ROLE_TESTS.filter((f) => !existsSync(join(dir, f)))
}
