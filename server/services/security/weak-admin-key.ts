/**
 * Why a configured NUXT_ADMIN_KEY is too weak to guard the whole gateway, or undefined when it is
 * fine. The admin key opens every admin route and works as a client key on /v1, so a guessable one
 * is refused at boot (NUXT_ALLOW_WEAK_ADMIN_KEY=true overrides, with a warning). Generated keys
 * (`rsk-admin-` + 32 random characters) always pass.
 */
export const MIN_ADMIN_KEY_LENGTH = 16

/**
 * Well-known passwords and the shapes people type when asked for a secret. Compared case-insensitively
 * after dropping separators; short entries are caught by the length rule already, but naming the
 * real reason ("a well-known password") is more useful to the operator than "too short".
 */
const COMMON = new Set(
  [
    'admin', 'administrator', 'adminadmin', 'admin123', 'admin1234', 'admin12345', 'adminpassword', 'adminadmin123',
    'password', 'password1', 'password12', 'password123', 'password1234', 'passw0rd', 'p@ssw0rd', 'p@ssword',
    'passwordpassword', 'mypassword', 'secret', 'secret123', 'supersecret', 'topsecret', 'mysecretkey', 'secretkey',
    'changeme', 'changeme123', 'changethis', 'changeit', 'default', 'letmein', 'welcome', 'welcome1', 'welcome123',
    'root', 'toor', 'rootroot', 'root123', 'test', 'test123', 'testtest', 'testing', 'testing123', 'demo', 'demo123',
    'guest', 'user', 'login', 'master', 'qwerty', 'qwerty123', 'qwertyuiop', 'qwertyuiopasdfgh', 'asdfghjkl',
    'asdfasdf', 'zxcvbnm', 'iloveyou', 'monkey', 'dragon', 'football', 'baseball', 'sunshine', 'princess',
    'shadow', 'superman', 'trustno1', 'abc123', 'abcd1234', 'abcdef', 'abcdefgh', '123456', '1234567', '12345678',
    '123456789', '1234567890', '123123', '111111', '000000', '654321', '987654321', 'qazwsx', '1q2w3e4r',
    '1q2w3e4r5t', '1qaz2wsx', 'zaq12wsx', 'apikey', 'api-key', 'apisecret', 'token', 'mytoken', 'accesstoken',
    'rosetta', 'rosettaadmin', 'rosetta123', 'rosettaadminkey', 'llmgateway', 'gateway', 'openai', 'anthropic',
    'sk-admin', 'adminkey', 'myadminkey', 'theadminkey', 'yourkeyhere', 'your-admin-key', 'youradminkey',
    'replaceme', 'replace-me', 'placeholder', 'example', 'examplekey', 'foobar', 'foobarbaz', 'hunter2',
  ].map((p) => squash(p)),
)

function squash(s: string): string {
  return s.toLowerCase().replace(/[\s_.-]+/g, '')
}

/** True when every step between neighbouring characters is the same +1 or -1 (abcdef…, 98765…). */
function isRun(s: string): boolean {
  if (s.length < 4) return false
  const step = s.charCodeAt(1) - s.charCodeAt(0)
  if (step !== 1 && step !== -1) return false
  for (let i = 2; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1)
    // Digit runs wrap (…7890123…) as people type them.
    if (d !== step && !(step === 1 && s[i - 1] === '9' && s[i] === '0') && !(step === -1 && s[i - 1] === '0' && s[i] === '9')) return false
  }
  return true
}

/** The shortest unit the key repeats (abcabcabc → 3), or the key's length when it repeats nothing. */
function period(s: string): number {
  for (let p = 1; p <= s.length / 2; p++) {
    if (s.length % p !== 0) continue
    let ok = true
    for (let i = p; i < s.length && ok; i++) ok = s[i] === s[i - p]
    if (ok) return p
  }
  return s.length
}

export function weakAdminKeyReason(key: string): string | undefined {
  const k = key.trim()
  const flat = squash(k)
  if (COMMON.has(flat)) return 'it is a well-known password'
  const unit = period(flat)
  if (unit < flat.length && COMMON.has(flat.slice(0, unit))) return 'it repeats a well-known password'
  if (new Set(k).size === 1) return 'it is one character repeated'
  if (isRun(k)) return 'it is a simple sequence of characters'
  if (unit <= 4 && unit < flat.length) return `it repeats a ${unit}-character pattern`
  if (k.length < MIN_ADMIN_KEY_LENGTH) return `it is shorter than ${MIN_ADMIN_KEY_LENGTH} characters`
  if (new Set(k).size < 6) return `it uses only ${new Set(k).size} different characters`
  return undefined
}
