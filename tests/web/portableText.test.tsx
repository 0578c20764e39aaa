/** Numbered `{input, output}` fixtures: every block style, list, mark, link kind and custom block. */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {renderToStaticMarkup} from 'react-dom/server'
import {describe, expect, it} from 'vitest'

import {BodyText} from '../../web/PortableText'

const DIR = 'tests/fixtures/portable-text'
const fixtures = readdirSync(DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({
    name: file.replace(/\.json$/, ''),
    ...(JSON.parse(readFileSync(join(DIR, file), 'utf8')) as {
      input: {_type: string; _key: string}[]
      output: string
    }),
  }))

describe('Portable Text renderer', () => {
  it('has a fixture for every style, list, decorator and custom block type', () => {
    const all = JSON.stringify(fixtures.map((f) => f.input))
    for (const needle of [
      '"style":"h2"',
      '"style":"h3"',
      '"style":"h4"',
      '"style":"normal"',
      '"listItem":"bullet"',
      '"listItem":"number"',
      '"strong"',
      '"em"',
      '"linkType":"external"',
      '"linkType":"internal"',
      '"_type":"callout"',
      '"_type":"expandable"',
    ]) {
      expect(all, needle).toContain(needle)
    }
  })

  it.each(fixtures)('$name', ({input, output}) => {
    expect(renderToStaticMarkup(<BodyText value={input} />)).toBe(output)
  })
})
