/**
 * The site's one Portable Text renderer. Components live at module scope (never rebuilt per
 * render) and are typed from TypeGen's result for the page body, so a block type added to the
 * schema without a renderer here fails type-checking (see `BodyBlockRenderers`).
 */
import {PortableText, type PortableTextComponents} from '@portabletext/react'
import type {ReactNode} from 'react'

import {documentPath} from '../queries/paths'
import type {PageBySlugQueryResult} from '../sanity.types'

type Body = NonNullable<NonNullable<PageBySlugQueryResult>['body']>
export type BodyBlock = Body[number]
type CustomBlock = Exclude<BodyBlock, {_type: 'block'}>
type TextBlock = Extract<BodyBlock, {_type: 'block'}>
type Link = NonNullable<TextBlock['markDefs']>[number]

/**
 * Where a link goes: an internal target to its page (`documentPath`, the site's one URL scheme),
 * an external link as it is. Undefined when the target cannot be read (deleted, unpublished or
 * not public): the link's text is then shown without a link, and the server logs the ids.
 */
export function linkHref(
  link: Pick<Link, 'linkType' | 'href' | 'internal'> | null | undefined,
): string | undefined {
  if (!link) return undefined
  if (link.linkType === 'external') return link.href ?? undefined
  return link.internal ? documentPath(link.internal) : undefined
}

/** A `link` object shown on its own (a "more information" field): its label, linked; else null. */
export function linkElement(
  link: (Pick<Link, 'linkType' | 'href' | 'internal'> & {label?: string | null}) | null | undefined,
): ReactNode {
  if (!link) return null
  const href = linkHref(link)
  const label = link.label ?? link.internal?.title ?? link.href ?? null
  if (!label) return null
  return href ? <a href={href}>{label}</a> : <>{label}</>
}

function LinkMark({value, children}: {value?: Link; children: ReactNode}) {
  const href = value ? linkHref(value) : undefined
  if (!href) return <>{children}</>
  const external = /^https?:/.test(href)
  return (
    <a href={href} {...(external ? {rel: 'noopener'} : {})}>
      {children}
    </a>
  )
}

function Callout({value}: {value: Extract<CustomBlock, {_type: 'callout'}>}) {
  return (
    <aside className={`callout callout-${value.tone ?? 'info'}`}>
      {value.title ? <p className="callout-title">{value.title}</p> : null}
      <BodyText value={value.body} />
    </aside>
  )
}

function Expandable({value}: {value: Extract<CustomBlock, {_type: 'expandable'}>}) {
  return (
    <details className="expandable">
      <summary>{value.title}</summary>
      <BodyText value={value.body} />
    </details>
  )
}

/** Every custom block type TypeGen knows must have a renderer: a missing key is a type error. */
type BodyBlockRenderers = {
  [Type in CustomBlock['_type']]: (props: {value: Extract<CustomBlock, {_type: Type}>}) => ReactNode
}
const blockRenderers: BodyBlockRenderers = {callout: Callout, expandable: Expandable}

/** The block styles, list types and annotations TypeGen knows; each needs its own renderer. */
export type BlockStyle = NonNullable<TextBlock['style']>
export type ListType = NonNullable<TextBlock['listItem']>
export type AnnotationType = Link['_type']
type ChildrenOnly = (props: {children?: ReactNode}) => ReactNode

/** Exact key sets (a mapped type over TypeGen's unions): a new style or list type fails tsc here. */
export const blockStyleRenderers: {[Style in BlockStyle]: ChildrenOnly} = {
  h2: ({children}) => <h2>{children}</h2>,
  h3: ({children}) => <h3>{children}</h3>,
  h4: ({children}) => <h4>{children}</h4>,
  normal: ({children}) => <p>{children}</p>,
}
export const listRenderers: {[List in ListType]: ChildrenOnly} = {
  bullet: ({children}) => <ul>{children}</ul>,
  number: ({children}) => <ol>{children}</ol>,
}
export const annotationRenderers: {[Mark in AnnotationType]: typeof LinkMark} = {link: LinkMark}
export {blockRenderers}

const components: PortableTextComponents = {
  // @portabletext/react types custom blocks loosely; `blockRenderers` above is the typed source.
  types: blockRenderers as unknown as PortableTextComponents['types'],
  // Same for marks: its props carry `value?: any`, ours carry TypeGen's link.
  marks: annotationRenderers as unknown as PortableTextComponents['marks'],
  block: blockStyleRenderers,
  list: listRenderers,
}

/** Page bodies and the rich text nested in callouts and expandable sections alike. */
type RichText = readonly {_type: string; _key: string}[]

export function BodyText({value}: {value: RichText | null | undefined}) {
  return value ? <PortableText value={[...value]} components={components} /> : null
}
