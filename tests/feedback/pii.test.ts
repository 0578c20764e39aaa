import {describe, expect, it} from 'vitest'

import {isPhoneNumber, isValidNhsNumber, maskPii} from '../../feedback/pii'

describe('isValidNhsNumber', () => {
  it('accepts numbers whose modulus 11 check digit matches', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true)
    expect(isValidNhsNumber('401 023 2137')).toBe(true)
    expect(isValidNhsNumber('450-557-7104')).toBe(true)
  })
  it('rejects a wrong check digit and wrong lengths', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false)
    expect(isValidNhsNumber('943476591')).toBe(false)
    expect(isValidNhsNumber('94347659190')).toBe(false)
  })
})

describe('isPhoneNumber', () => {
  it.each([
    '07700 900123',
    '020 7946 0958',
    '(020) 7946 0958',
    '+44 7700 900123',
    '+44 (0)20 7946 0958',
    '0044 20 7946 0958',
    '0800 123 4567',
    '+33 1 23 45 67 89',
  ])('recognises %s', (n) => expect(isPhoneNumber(n)).toBe(true))
  it.each(['2019 2020 2021', '12345678901', '0123 45', '+44 12'])('leaves %s alone', (n) =>
    expect(isPhoneNumber(n)).toBe(false),
  )
})

describe('maskPii', () => {
  it.each([
    [
      'email me at jo.bloggs+nhs@example.co.uk thanks',
      'email me at [email removed] thanks',
      'email',
    ],
    ['my NHS number is 943 476 5919.', 'my NHS number is [NHS number removed].', 'nhs-number'],
    ['NI number QQ 12 34 56 C here', 'NI number [NI number removed] here', 'ni-number'],
    [
      'I live at SW1A 1AA and m1 1ae',
      'I live at [postcode removed] and [postcode removed]',
      'postcode',
    ],
    [
      'ring 07700 900123 or +44 (0)20 7946 0958',
      'ring [phone number removed] or [phone number removed]',
      'phone',
    ],
  ] as const)('masks %s', (input, output, kind) => {
    const result = maskPii(input)
    expect(result.text).toBe(output)
    expect(result.kinds).toEqual([kind])
  })

  it('masks a valid NHS number as such, not as a phone number', () => {
    expect(maskPii('0123456789 is not a number, 4010232137 is').kinds).toContain('nhs-number')
  })

  it('leaves ordinary text, years and course codes unchanged', () => {
    const text =
      'The 2019 and 2020 intakes of the BSc (Hons) programme ran for 3 years; see section 4.2.'
    expect(maskPii(text)).toEqual({text, kinds: []})
  })

  it('reports each kind once, in rule order, when several are present', () => {
    const result = maskPii('a@b.org, 07700 900123, c@d.org, SW1A 1AA')
    expect(result.kinds).toEqual(['email', 'postcode', 'phone'])
    expect(result.text).not.toMatch(/@|07700|SW1A/)
  })
})
