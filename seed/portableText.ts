/**
 * Small builders for hand-written Portable Text with deterministic `_key`s, so the seed file
 * stays byte-for-byte stable between builds.
 */

export interface LinkTarget {
  _type: 'link'
  linkType: 'internal' | 'external'
  internal?: {_type: 'reference'; _ref: string}
  href?: string
}

export interface Span {
  _type: 'span'
  _key: string
  text: string
  marks: string[]
}

export interface Block {
  _type: 'block'
  _key: string
  style: string
  children: Span[]
  markDefs: (LinkTarget & {_key: string})[]
  listItem?: 'bullet' | 'number'
  level?: number
}

/** A run of text with a link on it. */
export interface Linked {
  text: string
  link: LinkTarget
}

export function toDocument(id: string): LinkTarget {
  return {_type: 'link', linkType: 'internal', internal: {_type: 'reference', _ref: id}}
}

export function toUrl(href: string): LinkTarget {
  return {_type: 'link', linkType: 'external', href}
}

export function linked(text: string, link: LinkTarget): Linked {
  return {text, link}
}

/** Hands out keys `<prefix>-<n>` in order of use. */
export function keyMaker(prefix: string): () => string {
  let n = 0
  return () => `${prefix}-${(++n).toString().padStart(2, '0')}`
}

export function block(nextKey: () => string, style: string, ...parts: (string | Linked)[]): Block {
  const blockKey = nextKey()
  const markDefs: Block['markDefs'] = []
  const children = parts.map((part, index): Span => {
    const spanKey = `${blockKey}-s${index + 1}`
    if (typeof part === 'string') return {_type: 'span', _key: spanKey, text: part, marks: []}
    const markKey = `${blockKey}-m${markDefs.length + 1}`
    markDefs.push({_key: markKey, ...part.link})
    return {_type: 'span', _key: spanKey, text: part.text, marks: [markKey]}
  })
  return {_type: 'block', _key: blockKey, style, children, markDefs}
}
