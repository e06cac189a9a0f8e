import type { RosettaPlugin } from '../api'
import denyWords from './deny-words'
import redact from './redact'
import maxTokens from './max-tokens'
import headers from './headers'
import modelRewrite from './model-rewrite'
import jsonGuard from './json-guard'

/** The plugins shipped with Rosetta, written against the same API as anyone's (docs/plugins.md). */
export const BUILTIN_PLUGINS: readonly RosettaPlugin[] = [denyWords, redact, maxTokens, headers, modelRewrite, jsonGuard]
