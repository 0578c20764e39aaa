import {Readable} from 'node:stream'

import {describe, expect, it} from 'vitest'

import {BodyError, bodyKind, parseBody, readBody} from '../../intake/body'

describe('bodyKind', () => {
  it.each([
    ['application/x-www-form-urlencoded', 'form'],
    ['application/x-www-form-urlencoded; charset=UTF-8', 'form'],
    ['application/json', 'json'],
    ['Application/JSON; charset="utf-8"', 'json'],
  ] as const)('%s → %s', (type, kind) => expect(bodyKind(type)).toBe(kind))
  it.each([
    undefined,
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/json; charset=latin1',
  ])('refuses %s', (type) => expect(bodyKind(type)).toBeUndefined())
})

describe('readBody', () => {
  it('reads up to the limit', async () => {
    expect((await readBody(Readable.from([Buffer.alloc(10), Buffer.alloc(6)]), 16)).length).toBe(16)
  })
  it('stops with 413 as soon as the limit is passed', async () => {
    let pulled = 0
    async function* chunks() {
      for (let i = 0; i < 100; i++) {
        pulled++
        yield Buffer.alloc(10)
      }
    }
    await expect(readBody(chunks(), 25)).rejects.toMatchObject({status: 413})
    expect(pulled).toBe(3)
  })
})

describe('parseBody', () => {
  it('parses forms, keeping repeated fields as arrays', () => {
    expect(parseBody('form', Buffer.from('whatDoing=a+b&url=%2Fx&url=%2Fy'))).toEqual({
      whatDoing: 'a b',
      url: ['/x', '/y'],
    })
  })
  it('parses JSON objects only', () => {
    expect(parseBody('json', Buffer.from('{"whatDoing":"a"}'))).toEqual({whatDoing: 'a'})
    expect(() => parseBody('json', Buffer.from('[1]'))).toThrow(BodyError)
    expect(() => parseBody('json', Buffer.from('{'))).toThrow(/not valid JSON/)
  })
  it('refuses invalid UTF-8', () => {
    expect(() => parseBody('form', Buffer.from([0x61, 0xff]))).toThrow(/UTF-8/)
  })
})
