import { readFileSync } from 'node:fs'
import { parse, YAMLParseError } from 'yaml'
import { configFileSchema, formatZodIssues, isMaskedSecret, type ConfigFile } from '../../../shared/schemas/config-file'
import { hashKey } from '../security/hashing'

export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`Invalid configuration file ${file}:\n${detail}`)
    this.name = 'ConfigFileError'
  }
}

/** Reads and validates `rosetta.yaml`; every problem is reported with its field path and reason. */
export function loadConfigFile(file: string): ConfigFile {
  const text = readConfigText(file)
  if (text === null) throw new ConfigFileError(file, '  cannot read it: the file does not exist')
  return parseConfigText(text, file)
}

/** The file's text, or null when there is no file there (yet); any other failure is an error. */
export function readConfigText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new ConfigFileError(file, `  cannot read it: ${(e as Error).message}`)
  }
}

export function parseConfigText(text: string, file = 'rosetta.yaml'): ConfigFile {
  let raw: unknown
  try {
    raw = parse(text) ?? {}
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : ''
    throw new ConfigFileError(file, `  YAML syntax error${where}: ${(e as Error).message.split('\n')[0]}`)
  }
  const r = configFileSchema.safeParse(raw)
  if (!r.success) throw new ConfigFileError(file, formatZodIssues(r.error).replace(/^/gm, '  '))
  // The schema is shared with the browser, which has no sha256: this check lives here.
  const wrong = r.data.client_keys.flatMap((c, i) =>
    c.key && c.key_hash && !isMaskedSecret(c.key) && hashKey(c.key) !== c.key_hash ? [`  client_keys[${i}].key_hash: is not the sha256 of key: give one or the other`] : [],
  )
  if (wrong.length) throw new ConfigFileError(file, wrong.join('\n'))
  return r.data
}
