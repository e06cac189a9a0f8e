/**
 * The personal data `redact` knows by name. Each kind is a regex plus, where the format has one, a
 * checksum, so random digit runs (order numbers, timestamps) are not taken for card or ID numbers.
 */
export const PII_KINDS = ['email', 'phone', 'credit_card', 'cn_id'] as const
export type PiiKind = (typeof PII_KINDS)[number]

interface Detector {
  re: RegExp
  valid?: (match: string) => boolean
}

/** Luhn: every card number's last digit checks the others. */
function luhn(s: string): boolean {
  const d = s.replace(/\D/g, '')
  if (d.length < 13 || d.length > 19) return false
  let sum = 0
  for (let i = 0; i < d.length; i++) {
    let n = d.charCodeAt(d.length - 1 - i) - 48
    if (i % 2 === 1) {
      n *= 2
      if (n > 9) n -= 9
    }
    sum += n
  }
  return sum % 10 === 0
}

const CN_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CN_ID_CHECK = '10X98765432'

/** GB 11643-1999: the 18th character is a weighted checksum of the first 17 digits. */
function cnId(s: string): boolean {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (s.charCodeAt(i) - 48) * CN_ID_WEIGHTS[i]!
  return CN_ID_CHECK[sum % 11] === s[17]!.toUpperCase()
}

/** In the order they are applied: ID numbers and cards before phones, which would take their digits. */
export const DETECTORS: Record<PiiKind, Detector> = {
  email: { re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  cn_id: { re: /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g, valid: cnId },
  credit_card: { re: /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g, valid: luhn },
  // Mainland mobiles (+86 optional), and numbers written with a country code or in 3-3-4 / 3-4-4 groups.
  phone: { re: /(?<![\d+])(?:(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}|\+\d{1,3}[ .-]?\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){2,3}|\(?\d{3}\)?[ .-]\d{3,4}[ .-]\d{4})(?!\d)/g },
}

export const APPLY_ORDER: readonly PiiKind[] = ['email', 'cn_id', 'credit_card', 'phone']

export const LABEL: Record<PiiKind, string> = { email: '[EMAIL]', phone: '[PHONE]', credit_card: '[CARD]', cn_id: '[CN_ID]' }
