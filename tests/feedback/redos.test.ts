/**
 * The intake runs its regular expressions on text from anyone: none may take super-linear time on
 * the largest field we accept. Adversarial inputs for each rule, at the 1,250-character limit.
 */
import {describe, expect, it} from 'vitest'

import {normaliseText} from '../../feedback/fingerprint'
import {maskPii} from '../../feedback/pii'
import {spamReason} from '../../feedback/spam'

const N = 1250
const adversarial: Record<string, string> = {
  'email-like dots': `a@${'b.'.repeat((N - 2) / 2)}`,
  'email-like no tld': `${'a'.repeat(N / 2)}@${'b-'.repeat(N / 4)}`,
  'many at signs': '@a'.repeat(N / 2),
  'digits and spaces': '0 '.repeat(N / 2),
  'digits with brackets': '(0)-'.repeat(N / 4),
  'long digit run': '1'.repeat(N),
  'postcode-like': 'A1 '.repeat(N / 3),
  'NI-like': 'AB 12 '.repeat(N / 6),
}

describe('no catastrophic backtracking', () => {
  it.each(Object.entries(adversarial))('%s: masking and spam rules stay fast', (_, text) => {
    const start = performance.now()
    for (let i = 0; i < 10; i++) {
      maskPii(text)
      spamReason({whatDoing: text, whatWentWrong: text, now: 0})
      normaliseText(text)
    }
    // 10 rounds of all rules; linear-time rules take well under a millisecond per round.
    expect(performance.now() - start).toBeLessThan(250)
  })
})
