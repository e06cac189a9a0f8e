import { invalidRequest, type GatewayError } from './errors'

/** Longest model name accepted at any door (names go into URLs, errors and the log). */
export const MODEL_NAME_MAX = 256

/** C0 and C1 control characters (newline, tab, NUL, DEL, …): never part of a model name. */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
/** A lone surrogate cannot be UTF-8 encoded, so it could not reach an upstream as the same name. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * The one rule for a requested model name, at every door: 1–256 characters, no control characters,
 * well-formed Unicode. Anything else (`/`, `..`, `?`, `#`, `%`, spaces) is a legal name: it reaches
 * the upstream unchanged in a JSON body, or as one percent-encoded path segment (path-segment.ts).
 * Returns the 400 for a bad name, never echoing the name itself.
 */
export function modelNameProblem(name: string): GatewayError | undefined {
  if (name.length === 0) return invalidRequest('model: a model name is required', 'model')
  if (name.length > MODEL_NAME_MAX) return invalidRequest(`model: a model name is at most ${MODEL_NAME_MAX} characters`, 'model')
  if (CONTROL.test(name)) return invalidRequest('model: a model name may not contain control characters (newlines, tabs, NUL)', 'model')
  if (LONE_SURROGATE.test(name)) return invalidRequest('model: a model name must be well-formed Unicode', 'model')
  return undefined
}
